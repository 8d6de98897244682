"""The Qt side of sync: a background thread running the Qt-free ``db.sync.runner.AutoSync`` loop,
reporting by signals. The GUI thread never waits on the network or on sync's database writes: it only
receives ``report``/``progress`` (``SyncReport`` copies, queued to the GUI thread because the emitter is
another thread) and may call ``sync_now`` (sets an event).

A daemon Python thread rather than a QThread: quitting the app must never wait for a request in flight
(up to the read timeout), and a QThread destroyed while running aborts the process. Killing the sync
mid-batch is safe by design (the batch stays ``sending`` and is sent again).

Besides sending, the sync thread does the device's housekeeping, off the GUI thread: the retention
purge (``db.retention``) once at start and after every run that got signatures acknowledged, and
asking the server what it knows of this device (clock offset, for the coordinator's panel).

``cancel`` (the panel's Cancel) ends the current run after the batch in flight: that batch's outcome
is still applied, the rest stays ``pending``, and the loop goes on as after any run. The runner only
knows a stop event; the worker hands it one that is set by either quitting or cancelling."""

from __future__ import annotations

import copy
import gc
import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from sqlalchemy.engine import Engine

from db.sync import runner
from db.wire import MAX_BATCH_SIGNATURES

log = logging.getLogger(__name__)

PROBE_INTERVAL_S = 30.0
PULL_EVERY_S = 1800.0


class _EitherEvent:
    """Looks like a threading.Event to the runner: set when the app quits or the coordinator cancels."""

    def __init__(self, *events: threading.Event) -> None:
        self.events = events

    def is_set(self) -> bool:
        return any(event.is_set() for event in self.events)


class SyncWorker(QObject):
    report = Signal(object)  # runner.SyncReport after each run
    progress = Signal(object)  # runner.SyncReport after each batch
    run_started = Signal(int)  # a run begins with this many signatures waiting (pending or sending)
    purged = Signal(object)  # db.retention.PurgeReport, when a purge blanked anything

    def __init__(self, data_dir: Path, engine: Engine, parent: QObject | None = None, *,
                 probe_interval_s: float = PROBE_INTERVAL_S, max_count: int = MAX_BATCH_SIGNATURES) -> None:
        super().__init__(parent)
        self.syncer = runner.Syncer(data_dir, engine, pull_every_s=PULL_EVERY_S, max_count=max_count,
                                    progress=lambda r: self.progress.emit(copy.copy(r)))
        self.auto = runner.AutoSync(self._run_once, probe_interval_s=probe_interval_s,
                                    on_report=lambda r, _delay: self.report.emit(copy.copy(r)))
        self.data_dir, self.engine = data_dir, engine
        self.housekeeping = True  # retention purge and the server's view after runs (tests may turn it off)
        self._cancel = threading.Event()
        self._running = threading.Event()
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
            if self.housekeeping:
                self._purge("start-up")
            self.auto.run()
        finally:
            self.syncer.close()

    def _run_once(self, stop: threading.Event) -> runner.SyncReport:  # in the sync thread
        # here, not at the top: the first paint goes without it
        from db.sync import store

        self._cancel.clear()
        self._running.set()
        try:
            counts = store.counts(self.engine)
            self.run_started.emit(counts["pending"] + counts["sending"] - sum(self._held().values()))
            report = self.syncer.run(_EitherEvent(stop, self._cancel))  # type: ignore[arg-type]
        finally:
            self._running.clear()
            self._cancel.clear()
        self._log_run(report)
        if self.housekeeping and report.outcome in (runner.OK, runner.STOPPED) and (report.sent or report.batches):
            self._purge("after sync")
            self._ask_server()
        return report

    def _held(self) -> dict[str, int]:
        """What waits for the server to speak a newer API version, as far as the last sync knew: not part
        of a run's progress, since it will not be sent (the panel says why)."""
        from db.sync import enrollment, store

        enrolled = enrollment.load(self.data_dir)
        version = enrolled.api_version if enrolled is not None else None
        return store.held_back(self.engine, version) if version is not None else {}

    _last_outcome: str | None = None
    _last_held: dict[str, int] | None = None

    def _log_run(self, report: runner.SyncReport) -> None:
        """A line per run that did something or ended differently from the last one: the loop probes
        every 30 seconds, and a day of "nothing to send" lines would push the useful ones out."""
        if report.held != self._last_held:  # what waits for a newer server: said when it changes
            self._last_held = report.held
            for line in runner.held_words(report.held, report.server_api_version):
                log.info("sync: %s", line)
        if not (report.sent or report.attention or report.outcome != self._last_outcome):
            return
        self._last_outcome = report.outcome
        level = logging.WARNING if report.outcome in (runner.REFUSED, runner.AUTH) else logging.INFO
        log.log(level, "sync: %s, sent %d (duplicates %d), needing attention %d, still pending %d%s", report.outcome,
                report.sent, report.duplicates, report.attention, report.pending,
                f" - {report.message}" if report.message else "")

    def _purge(self, reason: str) -> None:
        # here, not at the top: the first paint goes without it
        from sqlmodel import Session

        from db import retention
        from db import settings as settings_store

        try:
            with Session(self.engine) as session:
                days = settings_store.effective(session=session).retention_days
            done = retention.purge(engine=self.engine, data_dir=self.data_dir, retention_days=days, reason=reason)
        except Exception as exc:  # housekeeping must never stop sending
            log.warning("retention purge failed: %s", type(exc).__name__)
            return
        if done.purged or done.backups_purged:
            self.purged.emit(done)

    def _ask_server(self) -> None:
        # here, not at the top: the first paint goes without it
        from db.sync import history

        try:
            history.fetch_server_view(self.data_dir)
        except Exception as exc:  # the panel shows the last answer it has
            log.info("could not ask the server about this device: %s", type(exc).__name__)

    def cancel(self) -> None:
        """The panel's Cancel: end the run in progress after its current batch (no-op when idle)."""
        if self._running.is_set():
            self._cancel.set()

    @property
    def sending(self) -> bool:
        return self._running.is_set()

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
    # here, not at the top: the first paint goes without it
    from PySide6.QtWidgets import QApplication

    worker = SyncWorker(data_dir, engine, window)
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(worker.stop)
    worker.start()
    return worker
