"""Kiosk mode for the main window (desktop/window.py): full screen, frameless and on top, keys and
close requests refused, the screen kept on; the way out is holding the top-left corner, then the
coordinator PIN (desktop/window_pin.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QMainWindow

from desktop.flow import Effect, Move, Page

if TYPE_CHECKING:
    from desktop.flow import Flow
    from desktop.kiosk import CornerHold, ScreenSaverInhibitor

    _Window = QMainWindow
else:
    _Window = object


class _StayFullScreen(QObject):
    """Kiosk mode: the window goes back to full screen when something outside minimises it or takes
    it out of full screen. A filter added on entering kiosk mode rather than a ``changeEvent``
    override: PySide would hand an override every change event of every start, and loads some fifty
    event classes to hand over the first one, before the first paint."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        window = self.parent()
        if event.type() == QEvent.Type.WindowStateChange and isinstance(window, KioskMode) and window.locked_down:
            # here, not at the top: the first paint goes without it
            from PySide6.QtCore import Qt

            if not window.windowState() & Qt.WindowState.WindowFullScreen:
                QTimer.singleShot(0, window.fill_screen)
        return False


class KioskMode(_Window):
    """The main window's kiosk lockdown (a mixin of MainWindow)."""

    if TYPE_CHECKING:
        flow: Flow
        locked_down: bool
        _corner: CornerHold | None
        _inhibitor: ScreenSaverInhibitor | None
        _following_screen: bool

        def ask_pin(self) -> None: ...

        def _apply(self, move: Move) -> None: ...

    def enter_kiosk(self) -> None:
        """Full screen, frameless, on top; Escape and close requests do nothing; the screen stays on.
        The way out: hold the top-left corner for 3 s, then the coordinator PIN."""
        from PySide6.QtCore import Qt  # not at the top: a start outside kiosk mode paints without it

        from desktop.kiosk import CornerHold, ScreenSaverInhibitor
        from desktop.widgets import set_mouse_drag_scrolling

        self.locked_down = True
        self.flow.kiosk = True
        set_mouse_drag_scrolling(True)  # no text to select in a kiosk; some touch panels send only mouse events
        self.setWindowFlags(self.windowFlags() | Qt.WindowType.FramelessWindowHint
                            | Qt.WindowType.WindowStaysOnTopHint)
        if self._corner is None:
            self._corner = CornerHold(self)
            self._corner.held.connect(self.ask_pin)
            self.installEventFilter(_StayFullScreen(self))
        self._corner.move(0, 0)
        self._corner.show()
        self._corner.raise_()
        self._inhibitor = self._inhibitor or ScreenSaverInhibitor()
        self._inhibitor.inhibit()
        screen = self.screen()
        if screen is not None and not self._following_screen:
            screen.geometryChanged.connect(self._refit)  # a tablet turned, a monitor swapped
            self._following_screen = True

    def fill_screen(self) -> None:
        """Full screen, even where no window manager grants the request (a bare X session started
        with xinit, a common minimal kiosk): also take the screen's whole geometry ourselves."""
        self.showFullScreen()
        screen = self.screen()
        if screen is not None:
            self.setGeometry(screen.geometry())

    def _refit(self) -> None:
        if self.locked_down:
            self.fill_screen()

    def leave_kiosk(self) -> None:
        """The panel's "Leave kiosk mode": an ordinary window again, on the letter."""
        # here, not at the top: the first paint goes without it
        from PySide6.QtCore import Qt

        from desktop.widgets import set_mouse_drag_scrolling

        self.locked_down = False
        self.flow.kiosk = False
        set_mouse_drag_scrolling(False)  # a mouse selects text again; a finger still scrolls
        if self._inhibitor is not None:
            self._inhibitor.release()
        if self._corner is not None:
            self._corner.hide()
        self.setWindowFlags(self.windowFlags() & ~Qt.WindowType.FramelessWindowHint
                            & ~Qt.WindowType.WindowStaysOnTopHint)
        self.showNormal()
        self.flow.page = Page.LETTER
        self._apply(Move(Page.LETTER, (Effect.SCROLL_TO_TOP,)))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        if self.locked_down:
            event.ignore()  # Alt+F4, the window manager's close, a stray close(): the kiosk stays
            return
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if self.locked_down:
            event.accept()  # Escape and any other unhandled key end here, doing nothing
            return
        super().keyPressEvent(event)
