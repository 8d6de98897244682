"""Creating the QApplication, its look, and the main window."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QApplication

from db.paths import resource_path
from desktop.context import AppContext
from desktop.flow import Page
from desktop.i18n import Translators
from desktop.window import MainWindow

BASE_POINT_SIZE = 13


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Petition Kiosk")
    app.setOrganizationName("petition-kiosk")
    app.setDesktopFileName("petition-kiosk")
    font = QFont("Noto Sans")
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSize(BASE_POINT_SIZE)
    app.setFont(font)
    app.setStyleSheet(load_stylesheet())
    return app  # type: ignore[return-value]


def load_stylesheet() -> str:
    qss = resource_path("styles", "kiosk.qss").read_text(encoding="utf-8")
    return qss.replace("@ICONS@", resource_path("icons").as_posix())


def apply_language(app: QApplication, translators: Translators, locale: str) -> None:
    translators.install(app, locale.split("-")[0])
    rtl = locale.split("-")[0] in {"ar", "fa", "he", "ur"}
    QGuiApplication.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)


def build_window(app: QApplication, ctx: AppContext) -> MainWindow:
    translators = Translators()
    apply_language(app, translators, ctx.locale)
    window = MainWindow(ctx)
    window.translators = translators  # type: ignore[attr-defined]  (kept alive with the window)
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
    QApplication.instance().quit()


def run_gui(ctx: AppContext, *, exit_when_painted: bool = False) -> int:
    app = make_application()
    window = build_window(app, ctx)
    first = window.stack.currentWidget()
    target = window.letter.browser.viewport() if first is window.pages.get(Page.LETTER) else first
    target.installEventFilter(_FirstPaint(target, _report_painted if exit_when_painted else window.warm_up))
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        window.resize(1024, 600)
        window.show()
    else:
        window.showMaximized()
    try:
        return app.exec()
    finally:
        ctx.close()
