"""Someone walked away (a mixin of MainWindow, desktop/window.py): the idle timer on the pages where
the flow says idle matters, the "Still there?" countdown, and the reset when it runs out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

from desktop.flow import Event

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from desktop.context import AppContext
    from desktop.flow import Flow
    from desktop.overlays import IdleCountdown

    _Window = QMainWindow
else:
    _Window = object

INPUT_EVENTS = {
    QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
    QEvent.Type.Wheel, QEvent.Type.InputMethod,
}
COUNTDOWN_S = 20  # the visible "Still there?" part at the end of the idle time


class IdleWatch(_Window):
    if TYPE_CHECKING:
        ctx: AppContext
        flow: Flow
        idle_ms: int | None
        countdown_s: int
        idle_timer: QTimer
        reset_done: SignalInstance
        _watching_input: bool
        _countdown: IdleCountdown | None

        @property
        def countdown(self) -> IdleCountdown: ...

        def send(self, event: Event) -> None: ...

    def _idle_total_ms(self) -> int:
        return self.idle_ms if self.idle_ms is not None else self.ctx.settings.idle_timeout_s * 1000

    def _arm_idle(self) -> None:
        """Watch for input only on the pages where the flow says idle matters (never the attract
        screen): an application-wide event filter sees every event, which costs time everywhere
        else (start-up above all)."""
        armed = self.flow.watches_idle()
        if self._countdown is not None and self._countdown.isVisible():
            self._countdown.stop()
        if armed:
            self.idle_timer.start(max(0, self._idle_total_ms() - self.countdown_s * 1000))
        else:
            self.idle_timer.stop()
        if armed != self._watching_input:
            app = QApplication.instance()
            assert app is not None  # the window exists: so does the application
            if armed:
                app.installEventFilter(self)
            else:
                app.removeEventFilter(self)
            self._watching_input = armed

    def start_countdown(self) -> None:
        self.countdown.start(self.countdown_s)

    def still_here(self) -> None:
        self.countdown.stop()
        self.idle_timer.start()

    def idle_expired(self) -> None:
        """The countdown's end: wipe everything and go home (the flow's IDLE move)."""
        self.countdown.stop()
        self.send(Event.IDLE)
        self.reset_done.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in INPUT_EVENTS:
            countdown = self._countdown
            if countdown is not None and countdown.isVisible():
                if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
                    QTimer.singleShot(0, self.still_here)  # any touch on the countdown: still here
            elif self.idle_timer.isActive():
                self.idle_timer.start()
        return False
