"""The panel's day-end sync: send everything now (with progress, a summary and the sync history), or
carry the waiting signatures to the server in a hand-off file and read its receipt (db/sync/handoff.py).
During a sync the worker's signals (queued from its thread) update the figures live."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractItemView, QFileDialog, QHBoxLayout, QProgressBar
from sqlmodel import Session

from db import panel as queries
from db.sync import history
from desktop.panel.models import HistoryModel
from desktop.panel.section import Section, number, table
from desktop.panel.words import outcome_advice, outcome_words
from desktop.tasks import run_in_background
from desktop.widgets import button, label

if TYPE_CHECKING:
    from db.sync.runner import SyncReport

LIVE_REFRESH_MS = 300  # at most this often during a sync: counting costs a few ms per refresh


class SyncSection(Section):
    name = "sync"

    def build(self) -> None:
        self._total: int | None = None  # signatures in the running sync
        self._last_outcome = ""  # the last sync's (runner outcome): what to do about what still waits
        self._started_at = 0.0
        self._day_end = False  # a run started with "Sync now" here: show its summary
        self._live_timer = QTimer(self)
        self._live_timer.setSingleShot(True)
        self._live_timer.setInterval(LIVE_REFRESH_MS)
        self._live_timer.timeout.connect(self._refresh_live)
        column = self.column
        self.intro = label(role="muted")
        self.sync_button = button(role="panel-primary")
        self.sync_button.clicked.connect(self.sync_now)
        self.cancel_button = button()
        self.cancel_button.clicked.connect(self.cancel_sync)
        self.cancel_button.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.sync_button)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        # Hand-off files: the signatures to the server on a USB stick when there is no network.
        self.handoff_intro = label(role="muted")
        self.handoff_button = button()
        self.handoff_button.clicked.connect(self.choose_handoff)
        self.receipt_button = button()
        self.receipt_button.clicked.connect(self.choose_receipt)
        self.handoff_message = label()
        self.handoff_message.hide()  # until there is something to say
        handoff_row = QHBoxLayout()
        handoff_row.addWidget(self.handoff_button)
        handoff_row.addWidget(self.receipt_button)
        handoff_row.addStretch(1)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress_line = label()
        self.summary = label(role="field-label")
        # Signatures whose mode the server's API version does not know yet (db/sync/store.py holds them).
        self.held_line = label(role="warning")
        self.held_line.hide()
        # (phone signatures held, signatures with partners' opt-ins held, the server's API version, the
        # version they need)
        self._held = (0, 0, 1, 2)
        self.history_title = label(role="field-label")
        self.history_model = HistoryModel()
        self.history_view = table(self.history_model)
        self.history_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        column.addWidget(self.intro)
        column.addLayout(row)
        column.addWidget(self.progress)
        column.addWidget(self.progress_line)
        column.addWidget(self.summary)
        column.addWidget(self.held_line)
        column.addWidget(self.handoff_intro)
        column.addLayout(handoff_row)
        column.addWidget(self.handoff_message)
        column.addWidget(self.history_title)
        column.addWidget(self.history_view, 1)

    def title(self) -> str:
        return self.tr("Day-end sync")

    def retranslate(self) -> None:
        self.intro.setText(self.tr(
            "Send every signature on this device to the server. Keep the device connected until it is done; "
            "you can cancel at any time and nothing is lost."))
        self.sync_button.setText(self.tr("Sync now"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.history_title.setText(self.tr("Sync history"))
        self.history_view.setAccessibleName(self.tr("Sync history"))
        self.handoff_intro.setText(self.tr(
            "No network? Take the waiting signatures to the server in a hand-off file that only the server can "
            "open, then read its receipt here."))
        self.handoff_button.setText(self.tr("Write a hand-off file…"))
        self.receipt_button.setText(self.tr("Read a receipt…"))
        self.history_model.retranslate()
        self._say_held()

    def fill(self) -> None:
        self.history_model.set_rows(history.runs(self.ctx.engine, 50))
        worker = self.host.worker
        sending = worker is not None and worker.sending
        self.cancel_button.setEnabled(sending)
        if not sending and self._total is None:
            with Session(self.ctx.engine) as session:
                states = queries.counts_by_state(session=session)
            waiting = states["pending"] + states["sending"]
            self.progress.setRange(0, max(1, waiting + states["acked"]))
            self.progress.setValue(states["acked"])
            waiting_line = self.tr("%1 waiting to be sent.").replace("%1", number(waiting))
            advice = outcome_advice(self._last_outcome) if waiting else ""  # what to do about them
            self.progress_line.setText(f"{waiting_line} {advice}" if advice else waiting_line)
            self._show_held()

    def _show_held(self) -> None:
        """Signatures made on phones, or carrying partners' opt-ins, that wait for the server to speak API
        version 2, as status says it."""
        # on first use, not at the top: the screen opens without it
        from db.schemas import MODE_API_VERSION, Mode
        from db.sync import enrollment, store

        enrolled = enrollment.load(self.ctx.data_dir)
        version = enrolled.api_version if enrolled is not None else None
        held = store.held_back(self.ctx.engine, version) if version is not None else {}
        self._held = (held.get(Mode.PHONE.value, 0), held.get("partner_optins", 0), version or 1,
                      MODE_API_VERSION[Mode.PHONE])
        self._say_held()

    def _say_held(self) -> None:
        phones, partners, version, needed = self._held
        self.held_line.setVisible(bool(phones or partners))
        lines = []
        if phones:
            lines.append(self.tr(
                "%Ln signature(s) made on phones wait for the server to be updated (it speaks API version %1; "
                "they need version %2). Nothing is lost: they are sent once the server is updated.", "", phones).replace(
                "%1", number(version)).replace("%2", number(needed)))
        if partners:
            lines.append(self.tr(
                "%Ln signature(s) with partners' opt-ins wait for the server to be updated (it speaks API version "
                "%1; they need version %2). Nothing is lost: they are sent once the server is updated.", "",
                partners).replace("%1", number(version)).replace("%2", number(needed)))
        if lines:
            self.held_line.setText("\n".join(lines))

    def _refresh_live(self) -> None:
        """During a sync: the figures of what is showing."""
        if self.host.current_section() in ("overview", "sync", "attention"):
            self.host.refresh_section(self.host.current_section())

    # -- the sync worker (desktop/sync_worker.py) ------------------------------------------------

    def sync_now(self) -> None:
        worker = self.host.start_worker()
        if worker is None:
            return
        self._day_end = True
        self.summary.setText("")
        self.progress_line.setText(self.tr("Starting…"))
        self.progress_line.setToolTip("")
        self.sync_button.setEnabled(False)
        worker.sync_now()

    def cancel_sync(self, *_: object) -> None:
        if self.host.worker is not None:
            self.host.worker.cancel()
            self.progress_line.setText(self.tr("Cancelling after the batch being sent…"))
            self.cancel_button.setEnabled(False)

    def on_run_started(self, total: int) -> None:
        self._total = total
        self._started_at = time.monotonic()
        if total:
            self.cancel_button.setEnabled(True)
            self.progress.setRange(0, max(1, total))
            self.progress.setValue(0)

    def on_progress(self, report: SyncReport) -> None:
        total = self._total or 0
        done = report.sent + report.attention
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(min(done, total))
        elapsed = max(0.001, time.monotonic() - self._started_at)
        rate = done / elapsed
        left = (total - done) / rate if rate > 0 else 0
        self.progress_line.setText(self.tr("%1 of %2 sent · %3 per second · about %4 left").replace(
            "%1", number(done)).replace("%2", number(total)).replace("%3", number(round(rate))).replace(
            "%4", self._duration(left)))
        if not self._live_timer.isActive():
            self._live_timer.start()

    def on_report(self, report: SyncReport) -> None:
        self._total = None
        self.cancel_button.setEnabled(False)
        self.sync_button.setEnabled(True)
        if self._day_end and report.outcome == "offline" and report.retry_after is not None:
            # A busy server named when to come back; the loop sends again then by itself, and that
            # run's summary is the one shown (the coordinator need not press Sync now again).
            self.progress_line.setText(self.tr("The server is busy: sending again in %1 s.").replace(
                "%1", number(max(1, round(report.retry_after)))))
            self.progress_line.setToolTip(report.message)
            self._last_outcome = report.outcome
            self._show_held()
            return
        if self._day_end:
            self._day_end = False
            self.summary.setText(self.tr(
                "%1. Created: %2 · already on the server: %3 · need attention: %4 · still waiting: %5").replace(
                "%1", outcome_words(report.outcome).capitalize()).replace("%2", number(report.created)).replace(
                "%3", number(report.duplicates)).replace("%4", number(report.attention)).replace(
                "%5", number(report.pending)))
            self.progress_line.setText(outcome_advice(report.outcome))
            self.progress_line.setToolTip(report.message if report.outcome not in ("ok", "stopped") else "")
        self._last_outcome = report.outcome
        self._show_held()

    def _duration(self, seconds: float) -> str:
        if seconds < 90:
            return self.tr("%Ln second(s)", "", max(0, round(seconds)))
        return self.tr("%Ln minute(s)", "", round(seconds / 60))

    # -- hand-off files (db/sync/handoff.py) ----------------------------------------------------

    def choose_handoff(self) -> None:
        # on first use, not at the top: the screen opens without it
        from db.sync.handoff import default_name

        path, _ = QFileDialog.getSaveFileName(self, self.tr("Write a hand-off file"), str(Path.home() / default_name()),
                                              self.tr("Hand-off files (*.handoff)"),
                                              options=QFileDialog.Option.DontUseNativeDialog)
        if path:
            self.handoff_to(Path(path))

    def handoff_to(self, path: Path) -> None:
        # on first use, not at the top: the screen opens without it
        from db.sync import handoff

        engine, data_dir = self.ctx.engine, self.ctx.data_dir
        self._handoff_running(self.tr("Writing the hand-off file…"))
        run_in_background(lambda: handoff.export_handoff(path, data_dir=data_dir, engine=engine),
                          self._handed_off, self._handoff_failed, owner=self)

    def choose_receipt(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Read a receipt"), str(Path.home()),
                                              self.tr("Receipts (*.receipt)"),
                                              options=QFileDialog.Option.DontUseNativeDialog)
        if path:
            self.receipt_from(Path(path))

    def receipt_from(self, path: Path) -> None:
        # on first use, not at the top: the screen opens without it
        from db.sync import handoff

        engine, data_dir = self.ctx.engine, self.ctx.data_dir
        self._handoff_running(self.tr("Reading the receipt…"))
        run_in_background(lambda: handoff.import_receipt(path, data_dir=data_dir, engine=engine),
                          self._receipt_read, self._handoff_failed, owner=self)

    def _handoff_running(self, text: str) -> None:
        self.handoff_button.setEnabled(False)
        self.receipt_button.setEnabled(False)
        self.handoff_message.setText(text)
        self.handoff_message.show()

    def _handoff_done(self, result: Any, text: str) -> None:
        self.handoff_button.setEnabled(True)
        self.receipt_button.setEnabled(True)
        self.handoff_message.setText(text)
        self.handoff_result = result
        if self.isVisible():
            self.host.refresh()

    def _handed_off(self, done: Any) -> None:
        if done.path is None:
            self._handoff_done(done, self.tr("Nothing is waiting to be sent: no file was written.")
                               + self._left_out(done))
            return
        self._handoff_done(done, self.tr("%Ln signature(s) written to %1.", "", done.signatures).replace(
            "%1", str(done.path)) + " " + self.tr("Nothing is marked as sent until you read the server's receipt.")
            + self._left_out(done))

    def _left_out(self, done: Any) -> str:
        """Phone signatures a hand-off file left out: the server speaks an older API version."""
        phones, partners = done.held.get("phone", 0), done.held.get("partner_optins", 0)
        out = ""
        if phones:
            out += " " + self.tr("%Ln signature(s) made on phones are not in the file: they wait for the server to "
                                 "be updated.", "", phones)
        if partners:
            out += " " + self.tr("%Ln signature(s) with partners' opt-ins are not in the file: they wait for the "
                                 "server to be updated.", "", partners)
        return out

    def _receipt_read(self, done: Any) -> None:
        text = self.tr("Receipt read: %Ln signature(s) acknowledged by the server.", "", done.acked)
        if done.attention:
            text += " " + self.tr("Needing attention: %1.").replace("%1", number(done.attention))
        self._handoff_done(done, text)

    def _handoff_failed(self, exc: Exception) -> None:
        # on first use, not at the top: the screen opens without it
        from db.sync import handoff as h

        words = {
            h.NOT_ENROLLED: self.tr("This device is not enrolled with a server. A hand-off file is made for one "
                                    "server: enroll the device first."),
            h.ENROLL_AGAIN: self.tr("The server refused this device. Enroll it again before handing signatures over."),
            h.SERVER_KEYS_MISSING: self.tr("This device does not hold its server's encryption key, so it cannot "
                                           "write a hand-off file. Sync once while online, or enroll the device again."),
            h.BUSY: self.tr("A sync is running. Try again when it has finished."),
            h.RECEIPT_UNREADABLE: self.tr("This file is not a receipt, or it is damaged. Nothing was changed."),
            h.RECEIPT_NEWER: self.tr("This receipt was made by a newer server. Update the app, then read it again."),
            h.RECEIPT_FORGED: self.tr("The receipt's signature does not verify with the server's key: it was "
                                      "altered or not made by the server. Nothing was changed."),
            h.RECEIPT_OTHER_SERVER: self.tr("This receipt was signed by another server than the one this device is "
                                            "enrolled with. Nothing was changed."),
            h.RECEIPT_OTHER_DEVICE: self.tr("This receipt is for another device. Nothing was changed."),
        }
        text = words.get(getattr(exc, "key", ""))
        self._handoff_done(exc, text or self.tr("That did not work: %1").replace("%1", str(exc) or type(exc).__name__))
