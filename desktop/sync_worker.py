"""The Qt side of sync: a background thread running the Qt-free ``db.sync.runner.AutoSync`` loop,
reporting by signals. The GUI thread never waits on the network or on sync's database writes: it only
receives ``report``/``progress`` (``SyncReport`` copies, queued to the GUI thread because the emitter is
another thread) and may call ``sync_now`` (sets an event).

A daemon Python thread rather than a QThread: quitting the app must never wait for a request in flight
(up to the read timeout), and a QThread destroyed while running aborts the process. Killing the sync
mid-batch is safe by design (the batch stays ``sending`` and is sent again)."""

from __future__ import annotations

import copy
import gc
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from sqlalchemy.engine import Engine

from db.sync import runner

PROBE_INTERVAL_S = 30.0
PULL_EVERY_S = 1800.0


class SyncWorker(QObject):
    report = Signal(object)  # runner.SyncReport after each run
    progress = Signal(object)  # runner.SyncReport after each batch

    def __init__(self, data_dir: Path, engine: Engine, parent: QObject | None = None, *,
                 probe_interval_s: float = PROBE_INTERVAL_S, max_count: int = runner.MAX_BATCH_SIGNATURES) -> None:
        super().__init__(parent)
        self.syncer = runner.Syncer(data_dir, engine, pull_every_s=PULL_EVERY_S, max_count=max_count,
                                    progress=lambda r: self.progress.emit(copy.copy(r)))
        self.auto = runner.AutoSync(self.syncer.run, probe_interval_s=probe_interval_s,
                                    on_report=lambda r, _delay: self.report.emit(copy.copy(r)))
        self._thread = threading.Thread(target=self._run, name="petition-kiosk-sync", daemon=True)

    def start(self) -> None:
        # The sync thread allocates steadily, which sets off full garbage collections; each one
        # scanned every object the app had loaded (~100,000: Qt wrappers, SQLAlchemy, pydantic) and
        # held the GIL for 40-70 ms, a visible stall for the signer. Everything loaded by now lives
        # as long as the app, so it is moved out of the collector's reach first.
        gc.freeze()
        self._thread.start()

    def _run(self) -> None:  # in the sync thread
        try:
            self.auto.run()
        finally:
            self.syncer.close()

    def sync_now(self) -> None:
        """The "Sync now" button: run at once, backoff reset."""
        self.auto.sync_now()

    def stop(self, timeout_s: float = 2.0) -> None:
        """End the loop after the current batch; waits at most ``timeout_s`` (never for the network)."""
        self.auto.stop()
        self._thread.join(timeout_s)

    def is_running(self) -> bool:
        return self._thread.is_alive()


def start_background_sync(window: QObject, data_dir: Path, engine: Engine) -> SyncWorker:
    """Start sending in the background once the window has warmed up; stopped when the app quits."""
    from PySide6.QtWidgets import QApplication

    worker = SyncWorker(data_dir, engine, window)
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(worker.stop)
    worker.start()
    return worker
