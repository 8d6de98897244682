"""Crowd mode's service in the app: starts and stops the child process that serves the phone pages
(``petition-kiosk crowd --for-app``, db/crowd/serve.py) and tells the window what it does.

Why a child process and not a thread: the phone pages' work (rendering, validating, saving) is Python,
and in the app's own process it would compete with the screen for the interpreter; a child runs on the
second core and the kiosk's screen keeps its pace (bench/bench_crowd.py measures both). The child
writes to the same SQLite database, in WAL mode, as ``petition-kiosk sync`` does beside the app.

The child lives exactly as long as the service wants it: it stops when its standard input closes, so
even a crashed app leaves no server behind. It is restarted when the campaign or event changes (the
access token changes with the event).
"""

from __future__ import annotations

import logging
import sys
from enum import Enum

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, QProcess, QTimer, Signal

from db.crowd.invite import Invite, access_token, petition_url
from db.crowd.serve import ADDRESS_IN_USE, ADDRESS_UNAVAILABLE, NOT_PERMITTED
from desktop.context import AppContext

log = logging.getLogger("desktop.crowd")

STOP_GRACE_MS = 3000  # after closing the child's standard input, before it is killed
START_TIMEOUT_MS = 30_000


class CrowdState(Enum):
    OFF = "off"
    STARTING = "starting"
    ON = "on"
    FAILED = "failed"


REASONS = {
    ADDRESS_IN_USE: QT_TRANSLATE_NOOP("Crowd", "Another program already uses this port. Choose another port."),
    ADDRESS_UNAVAILABLE: QT_TRANSLATE_NOOP(
        "Crowd", "This computer is not on that network any more. Check the Wi-Fi, then choose the address again."),
    NOT_PERMITTED: QT_TRANSLATE_NOOP("Crowd", "This port is not allowed for the app. Choose a port above 1024."),
    "no_campaign": QT_TRANSLATE_NOOP("Crowd", "The campaign is not installed on this device."),
    "no_address": QT_TRANSLATE_NOOP("Crowd", "Choose the network address the phones reach this device on."),
    "stopped": QT_TRANSLATE_NOOP("Crowd", "The phone service stopped unexpectedly. Turn it on again."),
    "timeout": QT_TRANSLATE_NOOP("Crowd", "The phone service did not start. Turn it on again."),
}


def child_command() -> tuple[str, list[str]]:
    """The program and arguments that run ``petition-kiosk`` itself, built or from source."""
    if getattr(sys, "frozen", False):
        return sys.executable, []
    return sys.executable, ["-m", "desktop"]


class CrowdService(QObject):
    changed = Signal()  # state, error or invite changed
    signed = Signal()  # a phone's signature is on disk

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.state = CrowdState.OFF
        self.error = ""
        self._error_code = ""
        self._url: str | None = None
        self._process: QProcess | None = None
        self._buffer = b""
        self._wanted = False
        self._start_timer = QTimer(self)
        self._start_timer.setSingleShot(True)
        self._start_timer.timeout.connect(self._start_timed_out)
        self._restart_after_stop = False
        self._serving: tuple[object, ...] = ()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # -- what the window and the panel ask ---------------------------------------------------------

    def invite(self) -> Invite | None:
        if self.state is not CrowdState.ON or self._url is None:
            return None
        s = self.ctx.settings
        return Invite(url=self._url, wifi_name=s.wifi_name or None, wifi_password=s.wifi_password or None,
                      security=s.wifi_security)

    def start(self) -> None:
        """Turn crowd mode on (and remember it, so a restart of the app turns it on again)."""
        self._store(crowd_on=True)
        self._wanted = True
        self._launch()

    def stop(self) -> None:
        """Turn crowd mode off (remembered)."""
        self._store(crowd_on=False)
        self._wanted = False
        self._restart_after_stop = False
        if self._process is None:
            self._set(CrowdState.OFF)
        else:
            self._halt()  # OFF once the child has gone (_finished): until then phones may still sign

    def reset_token(self) -> None:
        """A new access token: the old QR code (a photo of the poster, a shared link) opens nothing."""
        from db.engine import write_session

        with write_session(self.ctx.engine) as session:
            access_token(session=session, reset=True)
            session.commit()
        self.ctx.reload_settings()
        self.restart()

    def restart(self) -> None:
        """Serve again with what the settings say now (campaign, event, address, port, token)."""
        if not self._wanted:
            self.changed.emit()
            return
        if self._process is not None:
            self._restart_after_stop = True
            self._halt()
        else:
            self._launch()

    def settings_changed(self) -> None:
        """The campaign, the event, the address or the port may have changed: serve what they say now."""
        if self._wanted and self._serving != self._serving_key():
            self.restart()
        else:
            self.changed.emit()  # the Wi-Fi in the invite may have changed

    def _serving_key(self) -> tuple[object, ...]:
        s = self.ctx.settings
        return (self.ctx.campaign_slug, s.active_event_id, s.crowd_host, s.crowd_port, s.crowd_token)

    def resume(self) -> None:
        """At start-up: on again if the coordinator left it on."""
        if self.ctx.settings.crowd_on:
            self._wanted = True
            self._launch()

    def shutdown(self) -> None:
        """The app is quitting: stop the child, without changing the stored choice."""
        self._wanted = False
        self._restart_after_stop = False
        if self._process is not None:
            process = self._process
            self._halt()
            process.waitForFinished(STOP_GRACE_MS + 500)

    # -- the child -------------------------------------------------------------------------------------

    def _store(self, **changes: object) -> None:
        from db import settings as settings_store
        from db.engine import write_session

        with write_session(self.ctx.engine) as session:
            settings_store.update(session=session, **changes)
            session.commit()
        self.ctx.reload_settings()

    def _launch(self) -> None:
        if self._process is not None:
            return
        host = self.ctx.settings.crowd_host
        if not host:
            self._fail("no_address")
            return
        from db.engine import write_session

        with write_session(self.ctx.engine) as session:  # a new token when the event changed
            access_token(session=session)
            session.commit()
        self.ctx.reload_settings()
        settings = self.ctx.settings
        self._serving = self._serving_key()
        program, arguments = child_command()
        arguments += ["crowd", "--for-app", "--data-dir", str(self.ctx.data_dir),
                      "--campaign", self.ctx.campaign_slug,
                      "--host", host, "--port", str(settings.crowd_port)]
        process = QProcess(self)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.SeparateChannels)
        process.setStandardErrorFile(QProcess.nullDevice())  # its log goes to the data folder's log file
        process.readyReadStandardOutput.connect(self._read)
        process.finished.connect(self._finished)
        process.errorOccurred.connect(self._process_error)
        self._process = process
        self._buffer = b""
        self._error_code = ""
        self._url = None
        self._set(CrowdState.STARTING)
        self._start_timer.start(START_TIMEOUT_MS)
        log.info("crowd mode: starting the phone service on port %d", settings.crowd_port)
        process.start(program, arguments)

    def _halt(self) -> None:
        """Close the child's standard input (it stops itself), and kill it if it does not."""
        process = self._process
        if process is None:
            return
        self._start_timer.stop()
        if process.state() != QProcess.ProcessState.NotRunning:
            process.closeWriteChannel()
            QTimer.singleShot(STOP_GRACE_MS, process.kill)

    def _read(self) -> None:
        process = self._process
        if process is None:
            return
        self._buffer += bytes(process.readAllStandardOutput().data())
        *lines, self._buffer = self._buffer.split(b"\n")
        for raw in lines:
            line = raw.decode("utf-8", "replace").strip()
            if line.startswith("ready "):
                self._start_timer.stop()
                self._url = line.split(" ", 1)[1]
                log.info("crowd mode: phones can sign")
                self._set(CrowdState.ON)
            elif line == "signed":
                self.signed.emit()
            elif line.startswith("error "):
                self._error_code = line.split(" ")[1]

    def _finished(self, *_args: object) -> None:
        process, self._process = self._process, None
        if process is not None:
            process.deleteLater()
        self._start_timer.stop()
        self._url = None
        if self._restart_after_stop and self._wanted:
            self._restart_after_stop = False
            self._launch()
            return
        if self._wanted:
            log.warning("crowd mode: the phone service stopped (%s)", self._error_code or "exited")
            self._fail(self._error_code or "stopped")
        else:
            self._set(CrowdState.OFF)

    def _process_error(self, error: QProcess.ProcessError) -> None:
        if error is QProcess.ProcessError.FailedToStart:
            self._finished()

    def _start_timed_out(self) -> None:
        self._error_code = "timeout"
        self._halt()

    def _fail(self, code: str) -> None:
        self.error = QCoreApplication.translate("Crowd", str(REASONS.get(code, REASONS["stopped"])))
        self._set(CrowdState.FAILED, keep_error=True)

    def _set(self, state: CrowdState, *, keep_error: bool = False) -> None:
        if not keep_error:
            self.error = ""
        self.state = state
        self.changed.emit()

    def retranslate(self) -> None:
        if self.state is CrowdState.FAILED and self._error_code:
            self.error = QCoreApplication.translate("Crowd", str(REASONS.get(self._error_code, REASONS["stopped"])))
            self.changed.emit()


__all__ = ["CrowdService", "CrowdState", "petition_url"]
