"""Enrolling this device with a server, as the panel's Settings and the first-run set-up both offer it:
the server's address, the enrollment code (or the QR code's text), the button and what came of it.

One component, so both screens check the same way: the address and code are checked at once
(db/setup.enrollment_target), only the network waits in the background (desktop/tasks.py). Each
screen places the widgets in its own layout and says what follows an enrollment (``enrolled``)."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from db.sync import enrollment
from desktop.panel.words import enrollment_words
from desktop.tasks import run_in_background
from desktop.widgets import button, label

log = logging.getLogger(__name__)


class EnrollmentBox(QObject):
    enrolled = Signal(object)  # the Enrolled record, once it is stored
    busy = Signal(bool)  # the network is being waited on

    def __init__(self, ctx: Any, owner: QWidget) -> None:
        super().__init__(owner)
        self.ctx = ctx
        self.owner = owner
        self.server_url = QLineEdit()
        self.server_url.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # addresses read left to right
        self.server_url.setInputMethodHints(Qt.InputMethodHint.ImhUrlCharactersOnly)
        self.enroll_code = QLineEdit()
        self.enroll_code.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.enroll_code.setInputMethodHints(Qt.InputMethodHint.ImhLatinOnly | Qt.InputMethodHint.ImhNoPredictiveText)
        self.enroll_code.returnPressed.connect(self.enroll)
        self.enroll_button = button(role="panel-primary")
        self.enroll_button.clicked.connect(self.enroll)
        self.message = label(role="muted")

    def retranslate(self) -> None:
        self.enroll_code.setPlaceholderText(self.tr("K7QM-2XPA-9RTF, or paste the text of the QR code"))
        self.enroll_button.setText(self.tr("Enroll this device"))

    def enroll(self) -> None:
        from db import setup  # here: the panel and the set-up open without its PIN hashing

        text, code = self.server_url.text(), self.enroll_code.text()
        try:  # the address and code checked here, at once; only the network waits in the background
            setup.enrollment_target(text, code)
        except enrollment.EnrollmentError as exc:
            self._failed(exc)
            return
        self.enroll_button.setEnabled(False)
        self.busy.emit(True)
        self.message.setToolTip("")
        self.message.setText(self.tr("Enrolling…"))
        data_dir, engine = self.ctx.data_dir, self.ctx.engine
        run_in_background(lambda: setup.enroll(data_dir, text, code, engine=engine), self._enrolled, self._failed,
                          owner=self.owner)

    def _enrolled(self, enrolled: Any) -> None:
        # on first use, not at the top: the screen opens without it
        from db.diagnostics import host

        log.info("enrolled as device %s with %s", enrolled.device_id, host(enrolled.server_url))
        self.enroll_button.setEnabled(True)
        self.busy.emit(False)
        self.enroll_code.clear()
        self.message.setText(self.tr("Enrolled with %1 as %2.").replace("%1", enrolled.server_url)
                             .replace("%2", enrolled.device_name))
        self.enrolled.emit(enrolled)

    def _failed(self, exc: Exception) -> None:
        log.info("enrollment failed: %s (%s)", enrollment.failure_key(exc), type(exc).__name__)
        self.enroll_button.setEnabled(True)
        self.busy.emit(False)
        self.message.setText(enrollment_words(exc))
        self.message.setToolTip(enrollment.failure_detail(exc))  # the server's own words
