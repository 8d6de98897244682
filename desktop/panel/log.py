"""The panel's log: the audit entries (never personal data), and the diagnostics report for whoever
helps the coordinator (db/diagnostics.py), copied or saved to a file."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QFileDialog, QHBoxLayout
from sqlmodel import Session

from db import panel as queries
from db.files import write_atomically
from desktop.panel.models import AuditModel
from desktop.panel.section import Section, table
from desktop.tasks import run_in_background
from desktop.widgets import button, label

log = logging.getLogger(__name__)


class LogSection(Section):
    name = "log"

    def build(self) -> None:
        column = self.column
        self.intro = label(role="muted")
        self.model = AuditModel()
        self.view = table(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        # A report for whoever helps the coordinator (db/diagnostics.py): no personal data in it.
        self.diagnostics_copy = button()
        self.diagnostics_copy.clicked.connect(self.copy_diagnostics)
        self.diagnostics_save = button()
        self.diagnostics_save.clicked.connect(self.choose_diagnostics_file)
        self.diagnostics_message = label(role="muted")
        self.diagnostics_message.hide()  # until there is something to say
        row = QHBoxLayout()
        row.addWidget(self.diagnostics_copy)
        row.addWidget(self.diagnostics_save)
        row.addStretch(1)
        column.addWidget(self.intro)
        column.addWidget(self.view, 1)
        column.addLayout(row)
        column.addWidget(self.diagnostics_message)

    def title(self) -> str:
        return self.tr("Log")

    def retranslate(self) -> None:
        self.view.setAccessibleName(self.tr("Log"))
        self.intro.setText(self.tr(
            "Enrollment, syncs, exports, purges, wrong PINs and set-asides. The log holds no personal data."))
        self.diagnostics_copy.setText(self.tr("Copy diagnostics"))
        self.diagnostics_save.setText(self.tr("Save diagnostics…"))
        self.model.retranslate()

    def fill(self) -> None:
        with Session(self.ctx.engine) as session:
            self.model.set_rows(queries.log_entries(session=session))

    # -- diagnostics (db/diagnostics.py) -------------------------------------------------------

    def copy_diagnostics(self) -> None:
        self._make_diagnostics(None)

    def choose_diagnostics_file(self) -> None:
        stamp = datetime.now().strftime("%Y-%m-%d-%H%M")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save diagnostics"),
                                              str(Path.home() / f"petition-kiosk-diagnostics-{stamp}.txt"),
                                              self.tr("Text files (*.txt)"),
                                              options=QFileDialog.Option.DontUseNativeDialog)
        if path:
            self.save_diagnostics_to(Path(path))

    def save_diagnostics_to(self, path: Path) -> None:
        self._make_diagnostics(path)

    def _make_diagnostics(self, path: Path | None) -> None:
        """Collect the report off the GUI thread (it counts signatures and reads the log's tail), then
        copy it or write it to ``path``; the audit log keeps that it was made."""
        # on first use, not at the top: the screen opens without it
        import PySide6
        from PySide6.QtCore import qVersion

        from db import diagnostics

        data_dir, engine = self.ctx.data_dir, self.ctx.engine
        qt = f"{qVersion()} (PySide6 {PySide6.__version__})"

        def work() -> str:
            text = diagnostics.collect(data_dir, engine, qt_version=qt)
            if path is not None:
                write_atomically(path, text.encode("utf-8"))  # owner-only: it names the server and the device
            queries.record("diagnostics_saved" if path is not None else "diagnostics_copied", engine=engine)
            return text

        self.diagnostics_copy.setEnabled(False)
        self.diagnostics_save.setEnabled(False)
        run_in_background(work, lambda text: self._diagnostics_made(text, path), self._diagnostics_failed,
                          owner=self)

    def _diagnostics_made(self, text: str, path: Path | None) -> None:
        if path is None:
            QGuiApplication.clipboard().setText(text)
            message = self.tr("Diagnostics copied. Paste them into a message to whoever helps you with this "
                              "device: they hold no personal data.")
        else:
            message = self.tr("Diagnostics saved to %1. They hold no personal data.").replace("%1", str(path))
        log.info("diagnostics %s", "copied" if path is None else "saved to a file")
        self._diagnostics_done(message)
        self.diagnostics_text = text
        if self.host.current_section() == "log":
            self.fill()

    def _diagnostics_failed(self, exc: Exception) -> None:
        log.warning("diagnostics failed: %s", type(exc).__name__)
        self._diagnostics_done(self.tr("That did not work: %1").replace(
            "%1", getattr(exc, "strerror", None) or type(exc).__name__))

    def _diagnostics_done(self, message: str) -> None:
        self.diagnostics_copy.setEnabled(True)
        self.diagnostics_save.setEnabled(True)
        self.diagnostics_message.setText(message)
        self.diagnostics_message.show()
