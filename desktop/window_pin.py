"""The coordinator PIN in front of the panel (a mixin of MainWindow, desktop/window.py): asking for it,
checking it with db/pin.py's guard (wrong PINs lock the pad for a while), choosing and changing it."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMainWindow

if TYPE_CHECKING:
    from db.pin import PinGuard
    from desktop.context import AppContext
    from desktop.overlays import PinPad

    _Window = QMainWindow
else:
    _Window = object

log = logging.getLogger("desktop.window")


class CoordinatorPin(_Window):
    if TYPE_CHECKING:
        ctx: AppContext
        locked_down: bool
        _pin_pad: PinPad | None
        _pin_lock_timer: QTimer | None
        _pin_then_panel: bool

        def open_panel(self) -> None: ...

        def _audit(self, kind: str, **detail: object) -> None: ...

    @property
    def pin_pad(self) -> PinPad:
        if self._pin_pad is None:
            # here, not at the top: the first paint goes without it
            from db import pin
            from desktop.overlays import PinPad

            self._pin_pad = PinPad(self, min_digits=pin.MIN_DIGITS, max_digits=pin.MAX_DIGITS)
            self._pin_pad.entered.connect(self._check_pin)
            self._pin_pad.chosen.connect(self._store_pin)
        return self._pin_pad

    def ask_pin(self) -> None:
        """The way to the coordinator's panel: the corner hold in kiosk mode, the Coordinator button
        otherwise. Without a PIN yet, one is chosen first (and the panel opens)."""
        # here, not at the top: the first paint goes without it
        from db import pin

        if not pin.has_pin(self.ctx.data_dir):
            self._pin_then_panel = True
            self.pin_pad.ask("set")
            self.pin_pad.cancel_button.setVisible(not self.locked_down)
            return
        self.pin_pad.ask("check")
        self._show_pin_lock()

    def _pin_guard(self) -> PinGuard:
        # here, not at the top: the first paint goes without it
        from db.pin import PinGuard

        return PinGuard(self.ctx.data_dir)

    def _check_pin(self, entered: str) -> None:
        attempt = self._pin_guard().check(entered)
        if attempt.ok:
            log.info("coordinator PIN accepted: opening the panel")
            self.pin_pad.hide()
            self.pin_pad.reset()
            self.open_panel()
            return
        log.warning("wrong coordinator PIN (%d in a row)", attempt.failures)
        self._audit("pin_failed", failures=attempt.failures)
        self.pin_pad.say_wrong()
        self._show_pin_lock()

    def _show_pin_lock(self) -> None:
        left = int(self._pin_guard().locked_for() + 0.999)
        pad = self.pin_pad
        pad.set_locked(left > 0)
        if left <= 0:
            return
        pad.say_locked(left)
        if self._pin_lock_timer is None:
            self._pin_lock_timer = QTimer(self)
            self._pin_lock_timer.setSingleShot(True)
            self._pin_lock_timer.timeout.connect(self._show_pin_lock_tick)
        self._pin_lock_timer.start(1000)

    def _show_pin_lock_tick(self) -> None:
        if self.pin_pad.isVisible():
            self._show_pin_lock()
            if self._pin_guard().locked_for() <= 0:
                self.pin_pad.say("")

    def _store_pin(self, new_pin: str) -> None:
        # here, not at the top: the first paint goes without it
        from db import pin

        changing = pin.has_pin(self.ctx.data_dir)
        pin.set_pin(self.ctx.data_dir, new_pin)
        log.info("coordinator PIN set")
        self._audit("pin_changed" if changing else "pin_set")
        self.pin_pad.hide()
        self.pin_pad.reset()
        if self._pin_then_panel:
            self._pin_then_panel = False
            self.open_panel()

    def change_pin(self) -> None:
        self.pin_pad.ask("set")
        self.pin_pad.cancel_button.setVisible(True)  # changing, not choosing the first one
