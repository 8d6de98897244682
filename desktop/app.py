"""Creating the QApplication, its look, and the main window."""

from __future__ import annotations

import gc
import math
import os
import re
import sys
from collections.abc import Callable

# Importing PySide and the window makes tens of thousands of objects, nearly all of them kept as long
# as the app runs (classes, functions, PySide's type data), and the cyclic garbage collector went
# through them some thirty times on the way (6-8 ms of every start, before the first paint). So it
# is paused for these imports, and what exists then is set aside (gc.freeze) rather than looked
# through once more when it resumes; the app gives it back to the collector right after its first
# paint (_warm_up).
_collecting = gc.isenabled()
gc.disable()
try:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtGui import QFont, QFontMetricsF
    from PySide6.QtWidgets import QApplication

    from db.paths import resource_path
    from desktop import widgets
    from desktop.context import AppContext
    from desktop.flow import Page
    from desktop.i18n import Translators
    from desktop.widgets import screen_dots_per_mm
    from desktop.window import MainWindow
finally:
    gc.freeze()
    if _collecting:
        gc.enable()

BASE_POINT_SIZE = 13


def make_application(argv: list[str] | None = None, *, on_screen_keyboard: str | None = None) -> QApplication:
    """The one QApplication. ``on_screen_keyboard`` ("auto", "on", "off"; the setting): the input
    method is chosen before the application exists, so it is passed here (desktop/input_method.py)."""
    app = QApplication.instance()
    if app is None:
        if on_screen_keyboard is not None:
            from desktop.input_method import choose_input_method

            choose_input_method(on_screen_keyboard)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Petition Kiosk")
    app.setOrganizationName("petition-kiosk")
    app.setDesktopFileName("petition-kiosk")
    widgets.after_first_paint(set_window_icon)  # an SVG: loads Qt's SVG plugin and library
    if not app.styleSheet():  # type: ignore[attr-defined]  # once: a text size set since stays
        set_text_size(app, 1.0)  # type: ignore[arg-type]
    return app  # type: ignore[return-value]


def set_window_icon() -> None:
    from PySide6.QtGui import QIcon

    QApplication.setWindowIcon(QIcon(str(resource_path("icons", "petition-kiosk.svg"))))


def set_text_size(app: QApplication, scale: float) -> None:
    """The application font at ``scale`` times the base size, and the stylesheet made to follow it:
    its point sizes grow in proportion, its em sizes follow by themselves."""
    font = QFont("Noto Sans")
    # Arabic: Noto Sans has no Arabic glyphs; naming the Arabic family second makes every label use
    # it for Arabic text in any language, so switching language never changes (and re-lays out) fonts.
    font.setFamilies(["Noto Sans", "Noto Sans Arabic"])
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(BASE_POINT_SIZE * scale)
    app.setFont(font)
    app.setStyleSheet(load_stylesheet(font))


_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_FONT_PT = re.compile(r"font-size:\s*(\d+(?:\.\d+)?)pt")
_MAX = re.compile(r"max\(([^()]*)\)")
_LENGTH = re.compile(r"(\d+(?:\.\d+)?)(em|mm|px)\b")


def load_stylesheet(font: QFont | None = None, dots_per_mm: float | None = None) -> str:
    """resources/styles/kiosk.qss, made concrete for this screen and font:

    - ``@ICONS@``: the icons folder;
    - ``NNpt``: scaled with the application font (written against the 13 pt base);
    - ``NNmm``: real millimetres on this screen, in pixels (Qt style sheets have no mm);
    - ``max(2.6em, 9mm)``: the larger of the two in pixels, the em of the rule's own font size, so a
      control is as tall as its text needs and never below a fingertip's 9 mm."""
    qss = _COMMENT.sub("", resource_path("styles", "kiosk.qss").read_text(encoding="utf-8"))
    font = QFont(font) if font is not None else QApplication.font()
    scale = font.pointSizeF() / BASE_POINT_SIZE if font.pointSizeF() > 0 else 1.0
    per_mm = dots_per_mm if dots_per_mm is not None else screen_dots_per_mm()
    line_heights: dict[float, float] = {}

    def em_px(points: float) -> float:
        if points not in line_heights:
            sized = QFont(font)
            sized.setPointSizeF(points)
            line_heights[points] = QFontMetricsF(sized).height()
        return line_heights[points]

    def rule(match: re.Match[str]) -> str:
        selector, body = match.group(1), match.group(2)
        if "mm" not in body and (scale == 1.0 or "pt" not in body):
            return match.group(0)  # most rules: nothing to make concrete (this runs before the first paint)
        sized = _FONT_PT.search(body)
        points = float(sized.group(1)) * scale if sized else font.pointSizeF()

        def px(length: str) -> float:
            found = _LENGTH.fullmatch(length.strip())
            if found is None:
                raise ValueError(f"kiosk.qss: cannot size {length!r} in {selector.strip()!r}")
            value, unit = float(found.group(1)), found.group(2)
            return value * {"em": em_px(points), "mm": per_mm, "px": 1.0}[unit]

        body = _MAX.sub(lambda m: f"{math.ceil(max(px(part) for part in m.group(1).split(',')))}px", body)
        body = _LENGTH.sub(lambda m: f"{math.ceil(px(m.group(0)))}px" if m.group(2) == "mm" else m.group(0), body)
        if scale != 1.0:
            body = _FONT_PT.sub(lambda m: f"font-size: {float(m.group(1)) * scale:.2f}pt", body)
        return f"{selector}{{{body}}}"

    qss = _RULE.sub(rule, qss)
    return qss.replace("@ICONS@", resource_path("icons").as_posix())


def apply_language(app: QApplication, translators: Translators, locale: str) -> None:
    from desktop import i18n

    i18n.apply_language(app, translators, locale)


def early_choice(ctx: AppContext, name: str, choices: tuple[str, ...]) -> str:
    """A setting with a few allowed values (``theme``, ``on_screen_keyboard``) as the first paint
    needs it, before pydantic is loaded: environment, then stored, then the first choice."""
    from db.quick import early_setting

    value = (ctx.overrides or {}).get(name) or early_setting(name, ctx.stored_settings)
    return value if value in choices else choices[0]


def build_window(app: QApplication, ctx: AppContext) -> MainWindow:
    translators = Translators()
    apply_language(app, translators, ctx.locale)
    window = MainWindow(ctx)
    window.apply_theme(early_choice(ctx, "theme", ("default", "outdoor")))  # the first paint is in it
    window.translators = translators  # kept alive with the window; a language switch reuses them
    if ctx.kiosk:
        window.enter_kiosk()
    window.start()
    return window


class _FirstPaint(QObject):
    """Runs ``then`` once, just after the first page has been painted."""

    def __init__(self, target: QObject, then: Callable[[], None]) -> None:
        super().__init__(target)
        self._then: Callable[[], None] | None = then

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Paint and self._then is not None:
            then, self._then = self._then, None
            QTimer.singleShot(0, then)
        return False


def _report_painted() -> None:
    print("painted", flush=True)  # the start-up benchmark's probe
    # exit(), not quit(): Qt 6 lets windows refuse a quit, and the kiosk window refuses to close.
    QApplication.exit(0)


def _warm_up(window: MainWindow) -> None:
    gc.unfreeze()
    widgets.first_paint_done()
    window.warm_up()
    from desktop.sync_worker import start_background_sync  # after the first paint: sync is not needed for it

    worker = start_background_sync(window, window.ctx.data_dir, window.ctx.engine)
    worker.report.connect(window.refresh_counts)  # queued: the report comes from the sync thread
    worker.purged.connect(lambda _report: window.refresh_counts())
    window.sync_worker = worker
    if Page.PANEL in window.pages:
        window.panel.attach_worker(worker)


def run_gui(ctx: AppContext, *, exit_when_painted: bool = False) -> int:
    widgets.hold_until_painted()
    app = make_application(on_screen_keyboard=early_choice(ctx, "on_screen_keyboard", ("auto", "on", "off")))
    window = build_window(app, ctx)
    then = _report_painted if exit_when_painted else lambda: _warm_up(window)
    first = window.stack.currentWidget()
    assert first is not None  # build_window has shown the first page
    if first is window.pages.get(Page.LETTER):
        window.letter.browser.call_after_first_paint(then)  # the letter's text itself, painted
    else:
        first.installEventFilter(_FirstPaint(first, then))
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        window.resize(1024, 600)
        window.show()
    elif ctx.kiosk:
        window.fill_screen()
    else:
        window.showMaximized()
    try:
        return app.exec()
    finally:
        ctx.close()
