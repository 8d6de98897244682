"""The panel's settings: the server and enrollment, this device (name, idle reset, retention, theme,
on-screen keyboard, the coordinator PIN), and the data on it (export, purge). Enrollment, export and
purge run through ``desktop.tasks``, so the screen never waits on the network or on a large file."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLineEdit, QSpinBox

from db import panel as saves
from db.sync import enrollment as enrollment_store
from desktop.enrollment_box import EnrollmentBox
from desktop.kiosk import HOLD_MS
from desktop.panel.section import Section, set_captions, when
from desktop.panel.words import device_name_words
from desktop.tasks import run_in_background
from desktop.widgets import button, label


class SettingsSection(Section):
    name = "settings"
    change_pin_requested = Signal()

    def build(self) -> None:
        self._build_server()
        self._build_device()
        self._build_data()
        self.column.addStretch(1)

    def _build_server(self) -> None:
        self.server_title = label(role="field-label")
        self.enrollment_state = label()
        self.enrollment = EnrollmentBox(self.ctx, self)  # the same as the set-up's (desktop/enrollment_box.py)
        self.enrollment.enrolled.connect(self._enrolled)
        self.server_url = self.enrollment.server_url
        self.enroll_code = self.enrollment.enroll_code
        self.enroll_button = self.enrollment.enroll_button
        self.enroll_message = self.enrollment.message
        self.server_form = QFormLayout()
        self.server_form.addRow("", self.server_url)
        self.server_form.addRow("", self.enroll_code)
        self.column.addWidget(self.server_title)
        self.column.addWidget(self.enrollment_state)
        self.column.addLayout(self.server_form)
        self.column.addWidget(self.enroll_button, 0, Qt.AlignmentFlag.AlignLeading)
        self.column.addWidget(self.enroll_message)

    def _build_device(self) -> None:
        self.device_title = label(role="field-label")
        self.device_name = QLineEdit()  # shown in exports, hand-off files and on the server
        self.device_name.setMaxLength(64)
        self.idle = QSpinBox()
        self.idle.setRange(30, 3600)
        self.retention = QSpinBox()
        self.retention.setRange(0, 3650)
        self.theme = QComboBox()
        self.theme.addItem("", "default")
        self.theme.addItem("", "outdoor")
        self.keyboard_choice = QComboBox()  # the on_screen_keyboard setting (desktop/keyboard.py)
        for mode in ("auto", "on", "off"):
            self.keyboard_choice.addItem("", mode)
        self.device_form = QFormLayout()
        self.device_form.addRow("", self.device_name)
        self.device_form.addRow("", self.idle)
        self.device_form.addRow("", self.retention)
        self.device_form.addRow("", self.theme)
        self.device_form.addRow("", self.keyboard_choice)
        self.settings_save = button(role="panel-primary")
        self.settings_save.clicked.connect(self.save_settings)
        self.pin_button = button()
        self.pin_button.clicked.connect(self.change_pin_requested)
        self.settings_message = label(role="muted")
        # The way back in from kiosk mode, said where the PIN is changed: the README alone said it.
        self.kiosk_way_in = label(role="muted")
        row = QHBoxLayout()
        row.addWidget(self.settings_save)
        row.addWidget(self.pin_button)
        row.addStretch(1)
        self.column.addWidget(self.device_title)
        self.column.addLayout(self.device_form)
        self.column.addLayout(row)
        self.column.addWidget(self.settings_message)
        self.column.addWidget(self.kiosk_way_in)

    def _build_data(self) -> None:
        self.data_title = label(role="field-label")
        self.export_warning = label(role="warning")
        self.export_button = button()
        self.export_button.clicked.connect(self.choose_export)
        self.purge_button = button()
        self.purge_button.clicked.connect(self.purge_now)
        self.data_message = label(role="muted")
        data_row = QHBoxLayout()
        data_row.addWidget(self.export_button)
        data_row.addWidget(self.purge_button)
        data_row.addStretch(1)
        self.column.addWidget(self.data_title)
        self.column.addWidget(self.export_warning)
        self.column.addLayout(data_row)
        self.column.addWidget(self.data_message)

    def title(self) -> str:
        return self.tr("Settings")

    def retranslate(self) -> None:
        set_captions(self.server_form, (self.tr("Server address"), self.tr("Enrollment code or QR text")))
        set_captions(self.device_form, (self.tr("Device name"), self.tr("Idle reset after (seconds)"),
                                        self.tr("Keep personal data after sending (days)"), self.tr("Theme"),
                                        self.tr("On-screen keyboard")))
        self.server_title.setText(self.tr("Server and enrollment"))
        self.enrollment.retranslate()
        self.server_url.setPlaceholderText("https://")
        self.device_title.setText(self.tr("This device"))
        self.theme.setItemText(0, self.tr("Standard"))
        self.theme.setItemText(1, self.tr("Outdoor (high contrast)"))
        self.keyboard_choice.setItemText(0, self.tr("When there is a touch screen and no keyboard"))
        self.keyboard_choice.setItemText(1, self.tr("Always"))
        self.keyboard_choice.setItemText(2, self.tr("Never"))
        self.retention.setSpecialValueText(self.tr("0 (purge right after sending)"))
        self.settings_save.setText(self.tr("Save settings"))
        self.pin_button.setText(self.tr("Change the coordinator PIN"))
        self.kiosk_way_in.setText(self.tr(
            "In kiosk mode this panel opens when you hold the top-left corner of the screen for %1 seconds, "
            "then type the coordinator PIN. It is the only way out of kiosk mode.")
            .replace("%1", QLocale().toString(HOLD_MS // 1000)))
        self.data_title.setText(self.tr("Data on this device"))
        self.export_warning.setText(self.tr(
            "The export file holds the personal data of every signer on this device. Save it only to an "
            "encrypted drive, never to a shared folder, and delete it when it has been handed over."))
        self.export_button.setText(self.tr("Export signatures (CSV)"))
        self.purge_button.setText(self.tr("Purge sent personal data now"))

    def fill(self) -> None:
        settings = self.settings()
        enrolled = enrollment_store.load(self.ctx.data_dir)
        if enrolled is None:
            self.enrollment_state.setText(self.tr("Not enrolled. Type the server address and the enrollment code "
                                                  "from the server's operator, or paste the QR code's text."))
        else:
            self.enrollment_state.setText(self.tr("Enrolled with %1 as %2 since %3.").replace(
                "%1", enrolled.server_url).replace("%2", enrolled.device_name).replace(
                "%3", when(datetime.fromisoformat(enrolled.enrolled_at)) if enrolled.enrolled_at else "?"))
            if not self.server_url.text():
                self.server_url.setText(enrolled.server_url)
        if not self.server_url.text() and settings.server_url:
            self.server_url.setText(settings.server_url)
        self.device_name.setText(settings.device_name)
        self.idle.setValue(settings.idle_timeout_s)
        self.retention.setValue(settings.retention_days)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))
        self.keyboard_choice.setCurrentIndex(max(0, self.keyboard_choice.findData(settings.on_screen_keyboard)))

    def save_settings(self) -> None:
        # on first use, not at the top: the screen opens without it
        from db.setup import device_name_problem

        # Empty is allowed here (a device tried out with --demo has no name yet); the set-up asks for one.
        problem = device_name_problem(self.device_name.text()) if self.device_name.text().strip() else None
        if problem is not None:
            self.settings_message.setText(device_name_words(problem))
            self.device_name.setFocus()
            return
        changes = {"device_name": self.device_name.text().strip(), "idle_timeout_s": self.idle.value(),
                   "retention_days": self.retention.value(), "theme": self.theme.currentData(),
                   "on_screen_keyboard": self.keyboard_choice.currentData()}
        saves.save_settings(engine=self.ctx.engine, **changes)
        # on first use, not at the top: the screen opens without it
        from desktop import keyboard

        if keyboard.wanted(changes["on_screen_keyboard"]) and not keyboard.in_use():
            # The input method is chosen when the app starts (desktop/keyboard.py).
            self.settings_message.setText(self.tr("Saved. The on-screen keyboard appears from the next start."))
        else:
            self.settings_message.setText(self.tr("Saved."))
        self.settings_changed.emit()

    # -- enrollment (desktop/enrollment_box.py) ---------------------------------------------------

    def enroll(self) -> None:
        self.enrollment.enroll()

    def _enrolled(self, _enrolled: Any) -> None:
        self.settings_changed.emit()
        if self.host.worker is not None:
            self.host.worker.sync_now()
        self.host.refresh()

    # -- data on this device -------------------------------------------------------------------

    def choose_export(self) -> None:
        stamp = datetime.now().strftime("%Y-%m-%d-%H%M")
        suggested = str(Path.home() / f"signatures-{stamp}.csv")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export signatures"), suggested, "CSV (*.csv)",
                                              options=QFileDialog.Option.DontUseNativeDialog)
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        # on first use, not at the top: the screen opens without it
        from db.export import export_csv

        enrolled = enrollment_store.load(self.ctx.data_dir)
        device_id = enrolled.device_id if enrolled else ""
        name = self.settings().device_name or (enrolled.device_name if enrolled else "")
        engine = self.ctx.engine
        self.export_button.setEnabled(False)
        self.data_message.setText(self.tr("Exporting…"))
        run_in_background(lambda: export_csv(path, engine=engine, device_id=device_id, device_name=name),
                          self._exported, self._data_failed, owner=self)

    def _exported(self, report: Any) -> None:
        self.export_button.setEnabled(True)
        text = self.tr("%Ln signature(s) exported.", "", report.rows)
        if report.sealed:
            text += " " + self.tr(
                "%Ln of them are sealed: their signers' details are encrypted for the campaign's server and "
                "cannot be read on this device, so the file holds them without names. The server's operator "
                "reads them with the server's passphrase.", "", report.sealed)
        self.data_message.setText(text + "\n" + self.tr("File: %1").replace("%1", str(report.path)))
        self.exported_report = report

    def purge_now(self) -> None:
        # on first use, not at the top: the screen opens without it
        from db import retention

        days = self.settings().retention_days
        engine, data_dir = self.ctx.engine, self.ctx.data_dir
        self.purge_button.setEnabled(False)
        run_in_background(lambda: retention.purge(engine=engine, data_dir=data_dir, retention_days=days,
                                                  reason="coordinator"), self._purged, self._data_failed, owner=self)

    def _purged(self, report: Any) -> None:
        self.purge_button.setEnabled(True)
        self.data_message.setText(self.tr("Personal data of %Ln sent signature(s) purged.", "", report.purged))
        self.purged_report = report

    def _data_failed(self, exc: Exception) -> None:
        self.export_button.setEnabled(True)
        self.purge_button.setEnabled(True)
        self.data_message.setText(self.tr("That did not work: %1").replace("%1", str(exc) or type(exc).__name__))
