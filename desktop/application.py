"""The one QApplication and its look: the application font, and the one stylesheet made concrete for
this screen and font (resources/styles/kiosk.qss)."""

from __future__ import annotations

import math
import re
import sys
from typing import cast

from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QApplication

from db.paths import resource_path
from desktop import widgets
from desktop.context import AppContext
from desktop.i18n import Translators
from desktop.widgets import screen_dots_per_mm

BASE_POINT_SIZE = 13


def make_application(argv: list[str] | None = None, *, on_screen_keyboard: str | None = None) -> QApplication:
    """The one QApplication. ``on_screen_keyboard`` ("auto", "on", "off"; the setting): the input
    method is chosen before the application exists, so it is passed here (desktop/input_method.py)."""
    existing = QApplication.instance()
    if existing is None:
        if on_screen_keyboard is not None:
            # here, not at the top: the first paint goes without it
            from desktop.input_method import choose_input_method

            choose_input_method(on_screen_keyboard)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    else:
        app = cast(QApplication, existing)  # this program makes no other kind
    app.setApplicationName("Petition Kiosk")
    app.setOrganizationName("petition-kiosk")
    app.setDesktopFileName("petition-kiosk")
    widgets.after_first_paint(set_window_icon)  # an SVG: loads Qt's SVG plugin and library
    if not app.styleSheet():  # once: a text size set since stays
        set_text_size(app, 1.0)
    return app


def set_window_icon() -> None:
    # here, not at the top: the first paint goes without it
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
    # here, not at the top: the first paint goes without it
    from desktop import i18n

    i18n.apply_language(app, translators, locale)


def early_choice(ctx: AppContext, name: str, choices: tuple[str, ...]) -> str:
    """A setting with a few allowed values (``theme``, ``on_screen_keyboard``) as the first paint
    needs it, before pydantic is loaded: environment, then stored, then the first choice."""
    # here, not at the top: the first paint goes without it
    from db.quick import early_setting

    value = (ctx.overrides or {}).get(name) or early_setting(name, ctx.stored_settings)
    return value if value in choices else choices[0]


