"""The coordinator PIN in front of the panel, for the main window (desktop/window.py): asking for it,
checking it with db/pin.py's guard (wrong PINs lock the pad for a while), choosing and changing it.
Loaded on first use: the first paint goes without it."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

from db import pin
from desktop.context import AppContext
from desktop.overlays import PinPad

log = logging.getLogger("desktop.window")


class CoordinatorPin(QObject):
    """The PIN pad over ``window``; ``open_panel`` once the PIN is right (or first chosen on the way to
    the panel), ``audit`` records wrong PINs and changes, ``locked_down`` says whether kiosk mode is on."""

    def __init__(self, window: QWidget, ctx: AppContext, *, open_panel: Callable[[], None],
                 audit: Callable[..., None], locked_down: Callable[[], bool]) -> None:
        super().__init__(window)
        self.window, self.ctx = window, ctx
        self.open_panel, self.audit, self.locked_down = open_panel, audit, locked_down
        self.made_pad: PinPad | None = None
        self._lock_timer: QTimer | None = None
        self._then_panel = False  # the pad's "set" mode was opened to reach the panel

    @property
    def pad(self) -> PinPad:
        if self.made_pad is None:
            self.made_pad = PinPad(self.window, min_digits=pin.MIN_DIGITS, max_digits=pin.MAX_DIGITS)
            self.made_pad.entered.connect(self._check)
            self.made_pad.chosen.connect(self._store)
        return self.made_pad

    def ask(self) -> None:
        """The way to the coordinator's panel: the corner hold in kiosk mode, the Coordinator button
        otherwise. Without a PIN yet, one is chosen first (and the panel opens)."""
        if not pin.has_pin(self.ctx.data_dir):
            self._then_panel = True
            self.pad.ask("set")
            self.pad.cancel_button.setVisible(not self.locked_down())
            return
        self.pad.ask("check")
        self._show_lock()

    def change(self) -> None:
        self.pad.ask("set")
        self.pad.cancel_button.setVisible(True)  # changing, not choosing the first one

    def _guard(self) -> pin.PinGuard:
        return pin.PinGuard(self.ctx.data_dir)

    def _check(self, entered: str) -> None:
        """The hash takes a quarter of a second or more (db/pin.py's cost): it runs off the GUI thread,
        the keypad locked meanwhile so that no second try starts."""
        from desktop.tasks import run_in_background  # here: the first paint goes without it

        guard = self._guard()
        self.pad.set_locked(True)
        run_in_background(lambda: guard.check(entered), self._checked, self._check_failed, owner=self.pad)

    def _check_failed(self, exc: Exception) -> None:
        log.warning("coordinator PIN could not be checked: %s", type(exc).__name__)
        self.pad.set_locked(False)
        self.pad.say_wrong()

    def _checked(self, attempt: pin.Attempt) -> None:
        self.pad.set_locked(False)
        if attempt.ok:
            log.info("coordinator PIN accepted: opening the panel")
            self.pad.hide()
            self.pad.reset()
            self.open_panel()
            return
        log.warning("wrong coordinator PIN (%d in a row)", attempt.failures)
        self.audit("pin_failed", failures=attempt.failures)
        self.pad.say_wrong()
        self._show_lock()

    def _show_lock(self) -> None:
        left = int(self._guard().locked_for() + 0.999)
        pad = self.pad
        pad.set_locked(left > 0)
        if left <= 0:
            return
        pad.say_locked(left)
        if self._lock_timer is None:
            self._lock_timer = QTimer(self)
            self._lock_timer.setSingleShot(True)
            self._lock_timer.timeout.connect(self._lock_tick)
        self._lock_timer.start(1000)

    def _lock_tick(self) -> None:
        if self.pad.isVisible():
            self._show_lock()
            if self._guard().locked_for() <= 0:
                self.pad.say("")

    def _store(self, new_pin: str) -> None:
        changing = pin.has_pin(self.ctx.data_dir)
        pin.set_pin(self.ctx.data_dir, new_pin)
        log.info("coordinator PIN set")
        self.audit("pin_changed" if changing else "pin_set")
        self.pad.hide()
        self.pad.reset()
        if self._then_panel:
            self._then_panel = False
            self.open_panel()
