"""Kiosk lockdown helpers: the hidden corner gesture and the screen-blanking inhibitor.

The window does the rest (full screen, frameless, on top, ignoring Escape and close requests). An
app cannot stop the operating system's own escapes (console switching, compositor keys): the
README's "Kiosk mode" section describes OS-level set-ups that can.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

HOLD_MS = 3000


class CornerHold(QWidget):
    """An invisible square in the window's top-left corner: pressing it for ``HOLD_MS`` without
    letting go emits ``held`` (the way to the coordinator PIN). A tap does nothing, and the square is
    small enough that no control of a page sits under it."""

    held = Signal()

    def __init__(self, parent: QWidget, hold_ms: int = HOLD_MS) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, True)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(hold_ms)
        self.timer.timeout.connect(self.held)
        side = self.fontMetrics().height() * 3
        self.resize(side, side)
        parent.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.parent() and event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutDirectionChange):
            self.move(0, 0)  # the physical top-left corner in every language
            self.raise_()
        return False

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        self.timer.start()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        self.timer.stop()
        event.accept()


class ScreenSaverInhibitor:
    """Keeps the screen from blanking through the freedesktop ScreenSaver D-Bus interface
    (GNOME, KDE, most Wayland and X11 desktops). Where there is no session bus or no such service
    (Windows, macOS, a bare compositor) it does nothing, quietly: the OS-level kiosk set-up in the
    README turns blanking off there."""

    SERVICE = "org.freedesktop.ScreenSaver"
    PATH = "/org/freedesktop/ScreenSaver"

    def __init__(self) -> None:
        self.cookie: int | None = None

    def inhibit(self, reason: str = "Petition kiosk is showing") -> bool:
        if self.cookie is not None:
            return True
        try:
            # here, not at the top: the first paint goes without it
            from PySide6.QtDBus import QDBusConnection, QDBusInterface, QDBusMessage
        except ImportError:
            return False
        bus = QDBusConnection.sessionBus()
        if not bus.isConnected():
            return False
        iface = QDBusInterface(self.SERVICE, self.PATH, self.SERVICE, bus)
        if not iface.isValid():
            return False
        reply = iface.call("Inhibit", "petition-kiosk", reason)
        if reply.type() != QDBusMessage.MessageType.ReplyMessage or not reply.arguments():
            log.info("screen blanking could not be inhibited")
            return False
        self.cookie = int(reply.arguments()[0])
        return True

    def release(self) -> None:
        if self.cookie is None:
            return
        try:
            # here, not at the top: the first paint goes without it
            from PySide6.QtDBus import QDBusConnection, QDBusInterface

            iface = QDBusInterface(self.SERVICE, self.PATH, self.SERVICE, QDBusConnection.sessionBus())
            if iface.isValid():
                iface.call("UnInhibit", self.cookie)
        finally:
            self.cookie = None
