"""Kiosk mode for the main window (desktop/window.py): full screen, frameless and on top, the screen kept
on, the corner that leads to the coordinator PIN. Loaded when the window enters kiosk mode: a start
outside kiosk mode paints without it. (Refusing keys and close requests stays in the window.)"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QMainWindow

from desktop.kiosk import CornerHold, ScreenSaverInhibitor
from desktop.widgets import set_mouse_drag_scrolling


class _StayFullScreen(QObject):
    """The window goes back to full screen when something outside minimises it or takes it out of
    full screen. A filter added on entering kiosk mode rather than a ``changeEvent`` override: PySide
    would hand an override every change event of every start, and loads some fifty event classes to
    hand over the first one, before the first paint."""

    def __init__(self, lockdown: KioskLockdown) -> None:
        super().__init__(lockdown.window)
        self.lockdown = lockdown

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.WindowStateChange and self.lockdown.active \
                and not self.lockdown.window.windowState() & Qt.WindowState.WindowFullScreen:
            QTimer.singleShot(0, self.lockdown.fill_screen)
        return False


class KioskLockdown:
    """Entering and leaving kiosk mode for ``window``; ``on_corner_held`` asks for the PIN."""

    def __init__(self, window: QMainWindow, on_corner_held: Callable[[], None]) -> None:
        self.window = window
        self.on_corner_held = on_corner_held
        self.active = False
        self.corner: CornerHold | None = None
        self.inhibitor: ScreenSaverInhibitor | None = None
        self._following_screen = False

    def enter(self) -> None:
        """Full screen, frameless, on top; the screen stays on. The way out: hold the top-left
        corner for 3 s, then the coordinator PIN."""
        window = self.window
        self.active = True
        set_mouse_drag_scrolling(True)  # no text to select in a kiosk; some touch panels send only mouse events
        window.setWindowFlags(window.windowFlags() | Qt.WindowType.FramelessWindowHint
                              | Qt.WindowType.WindowStaysOnTopHint)
        if self.corner is None:
            self.corner = CornerHold(window)
            self.corner.held.connect(self.on_corner_held)
            window.installEventFilter(_StayFullScreen(self))
        self.corner.move(0, 0)
        self.corner.show()
        self.corner.raise_()
        self.inhibitor = self.inhibitor or ScreenSaverInhibitor()
        self.inhibitor.inhibit()
        screen = window.screen()
        if screen is not None and not self._following_screen:
            screen.geometryChanged.connect(self._refit)  # a tablet turned, a monitor swapped
            self._following_screen = True

    def fill_screen(self) -> None:
        """Full screen, even where no window manager grants the request (a bare X session started
        with xinit, a common minimal kiosk): also take the screen's whole geometry ourselves."""
        self.window.showFullScreen()
        screen = self.window.screen()
        if screen is not None:
            self.window.setGeometry(screen.geometry())

    def _refit(self) -> None:
        if self.active:
            self.fill_screen()

    def leave(self) -> None:
        """An ordinary window again."""
        window = self.window
        self.active = False
        set_mouse_drag_scrolling(False)  # a mouse selects text again; a finger still scrolls
        if self.inhibitor is not None:
            self.inhibitor.release()
        if self.corner is not None:
            self.corner.hide()
        window.setWindowFlags(window.windowFlags() & ~Qt.WindowType.FramelessWindowHint
                              & ~Qt.WindowType.WindowStaysOnTopHint)
        # Maximized, not normal: a normal window came back at its 1024x600 size below the title bar,
        # with the bottom strip and "Sign the letter" off a 600-pixel-high screen.
        window.showMaximized()
