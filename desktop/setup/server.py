"""The set-up's server step (optional): enrollment with the organisation's server, as in the panel."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QGridLayout

from desktop.enrollment_box import EnrollmentBox
from desktop.setup.step import Step
from desktop.widgets import label


class ServerStep(Step):
    name = "server"
    optional = True

    def build(self) -> None:
        self.intro = label()
        self.server_caption = label(role="field-label")
        self.enrollment = EnrollmentBox(self.ctx, self)  # the same as the panel's (desktop/enrollment_box.py)
        self.enrollment.busy.connect(self.host.set_busy)
        self.enrollment.enrolled.connect(self._enrolled)
        self.code_caption = label(role="field-label")
        self.later = label(role="muted")
        grid = QGridLayout()  # captions beside the fields: the step fits a 600-pixel-high screen
        m = self.fontMetrics().height()
        grid.setHorizontalSpacing(m)
        grid.setVerticalSpacing(m // 2)
        grid.addWidget(self.server_caption, 0, 0)
        grid.addWidget(self.enrollment.server_url, 0, 1, 1, 2)
        grid.addWidget(self.code_caption, 1, 0)
        grid.addWidget(self.enrollment.enroll_code, 1, 1)
        grid.addWidget(self.enrollment.enroll_button, 1, 2)
        grid.setColumnStretch(1, 1)
        self.column.addWidget(self.intro)
        self.column.addLayout(grid)
        self.column.addWidget(self.enrollment.message)
        self.column.addWidget(self.later)
        self.column.addStretch(1)

    def retranslate(self) -> None:
        self.intro.setText(self.tr(
            "Does your organisation run a Petition Kiosk server? Enrolled with it, this device sends its "
            "signatures whenever it has a network, and signers' details are sealed so that this device cannot "
            "read them back."))
        self.server_caption.setText(self.tr("Server address"))
        self.enrollment.server_url.setPlaceholderText("https://petitions.example.org")
        self.code_caption.setText(self.tr("Enrollment code"))
        self.enrollment.retranslate()
        # True to README "Hand-off files": a device writes them only once it is enrolled (it needs the
        # server's sealing key), so they are no way round enrolling, only round a missing network later.
        self.later.setText(self.tr(
            "No server, or no network here? Skip: this device collects signatures all the same, and you can "
            "enroll it later in the coordinator's panel (Settings). Once enrolled, it can also carry its "
            "signatures to the server on a USB stick (hand-off files) where there is no network."))

    def heading(self) -> str:
        return self.tr("Server (optional)")

    def _enrolled(self, _enrolled: Any) -> None:
        self.enrollment.enroll_button.setEnabled(False)  # enrolled: the next step is Next

    def set_busy(self, busy: bool) -> None:
        self.enrollment.enroll_button.setEnabled(not busy)
