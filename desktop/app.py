"""Creating the QApplication, its look, and the main window."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QFont, QIcon
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
    app.setWindowIcon(QIcon(str(resource_path("icons", "petition-kiosk.svg"))))
    font = QFont("Noto Sans")
    # Arabic: Noto Sans has no Arabic glyphs; naming the Arabic family second makes every label use
    # it for Arabic text in any language, so switching language never changes (and re-lays out) fonts.
    font.setFamilies(["Noto Sans", "Noto Sans Arabic"])
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSize(BASE_POINT_SIZE)
    app.setFont(font)
    app.setStyleSheet(load_stylesheet())
    return app  # type: ignore[return-value]


def load_stylesheet() -> str:
    qss = resource_path("styles", "kiosk.qss").read_text(encoding="utf-8")
    return qss.replace("@ICONS@", resource_path("icons").as_posix())


def apply_language(app: QApplication, translators: Translators, locale: str) -> None:
    from desktop import i18n

    i18n.apply_language(app, translators, locale)


def build_window(app: QApplication, ctx: AppContext) -> MainWindow:
    translators = Translators()
    apply_language(app, translators, ctx.locale)
    window = MainWindow(ctx)
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
    QApplication.instance().quit()


def _warm_up(window: MainWindow) -> None:
    window.warm_up()
    from desktop.sync_worker import start_background_sync  # after the first paint: sync is not needed for it

    worker = start_background_sync(window, window.ctx.data_dir, window.ctx.engine)
    worker.report.connect(window.refresh_counts)  # queued: the report comes from the sync thread
    worker.purged.connect(lambda _report: window.refresh_counts())
    window.sync_worker = worker
    if Page.PANEL in window.pages:
        window.panel.attach_worker(worker)


def run_gui(ctx: AppContext, *, exit_when_painted: bool = False) -> int:
    app = make_application()
    window = build_window(app, ctx)
    first = window.stack.currentWidget()
    target = window.letter.browser.viewport() if first is window.pages.get(Page.LETTER) else first
    target.installEventFilter(_FirstPaint(target, _report_painted if exit_when_painted else lambda: _warm_up(window)))
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
