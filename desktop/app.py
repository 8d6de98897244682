"""Building the main window and running the app: the first page painted as early as possible, then
the rest (desktop/warm_up.py). The QApplication itself is desktop/application.py's."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable

# Importing PySide and the window makes tens of thousands of objects, nearly all of them kept as long
# as the app runs (classes, functions, PySide's type data), and the cyclic garbage collector went
# through them some thirty times on the way (6-8 ms of every start, before the first paint). So it
# is paused for these imports, and what exists then is set aside (gc.freeze) rather than looked
# through once more when it resumes; the app gives it back to the collector right after its first
# paint (desktop/warm_up.py).
_collecting = gc.isenabled()
gc.disable()
try:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop import widgets
    from desktop.application import (
        BASE_POINT_SIZE,
        apply_language,
        early_choice,
        load_stylesheet,
        make_application,
        set_text_size,
    )
    from desktop.context import AppContext
    from desktop.flow import Page
    from desktop.i18n import Translators
    from desktop.window import MainWindow
finally:
    gc.freeze()
    if _collecting:
        gc.enable()


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


# What tests and benchmarks import from here: the application's making, and its look.
__all__ = ["BASE_POINT_SIZE", "apply_language", "build_window", "early_choice", "load_stylesheet",
           "make_application", "run_gui", "set_text_size"]


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
    # here, not at the top: the first paint goes without it
    from desktop.warm_up import (
        warm_up,  # after the first paint: it loads the log file's and the database's code
    )

    warm_up(window)


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
