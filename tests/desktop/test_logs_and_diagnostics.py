"""The log file and the diagnostics report, through the real app: a day with a signer, a refused form,
a failed sync and a crash in a slot leaves a log that names nobody; the panel copies the report."""

from __future__ import annotations

import logging
import socket
import threading
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from sqlmodel import Session

from db import audit, logs
from db.sync import enrollment
from desktop.flow import Page
from desktop.warm_up import prepare
from utils.input import type_text

GIVEN, FAMILY = "Zubaida", "Quraishi-Nasrallah"
EMAIL = "zubaida.quraishi@example.org"
PHONE = "+49 1521 7654321"
ARABIC_NAME = "سلمى الإدلبي"


@pytest.fixture(autouse=True)
def fresh_logging():
    logs.reset_logging()
    yield
    logs.reset_logging()


def _log_text(data_dir) -> str:
    folder = data_dir / logs.LOG_DIR
    return "".join(p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()))


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.qt_no_exception_capture  # the app's own hook must see the slot's exception
@pytest.mark.timeout(120)
def test_a_day_of_signing_failing_and_crashing_leaves_no_signer_in_the_log(qtbot, window, ctx):
    from desktop.sync_worker import SyncWorker

    prepare(window)  # as after the first paint: the log file starts here
    path = logs.log_path(ctx.data_dir)
    assert path.exists()

    # A refused form (the e-mail address is wrong), then the same person signing.
    qtbot.mouseClick(window.letter.sign_button, Qt.MouseButton.LeftButton)
    form = window.sign
    qtbot.keyClicks(form.editors["given_name"], GIVEN)
    qtbot.keyClicks(form.editors["family_name"], FAMILY)
    qtbot.keyClicks(form.editors["email"], "zubaida.quraishi@@example")
    qtbot.mouseClick(form.sign_button, Qt.MouseButton.LeftButton)
    assert window.flow.page is Page.SIGN and form.errors["email"].isVisible()
    form.editors["email"].clear()
    qtbot.keyClicks(form.editors["email"], EMAIL)
    form.consent.box.setChecked(True)
    with qtbot.waitSignal(window.saved, timeout=5000):
        qtbot.mouseClick(form.sign_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.thanks.done_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.letter.sign_button, Qt.MouseButton.LeftButton)
    type_text(qtbot, form.editors["given_name"], ARABIC_NAME)
    form.consent.box.setChecked(True)
    with qtbot.waitSignal(window.saved, timeout=5000):
        qtbot.mouseClick(form.sign_button, Qt.MouseButton.LeftButton)

    # A sync that fails: the enrolled server does not answer.
    enrollment.save(ctx.data_dir, enrollment.Enrollment(
        server_url=f"http://127.0.0.1:{_closed_port()}", device_id="0190f1a2-7c3e-7abc-8def-0123456789ab",
        device_name="laptop", token="T" * 43, enrolled_at=datetime.now(UTC).isoformat()))
    worker = SyncWorker(ctx.data_dir, ctx.engine, window, probe_interval_s=3600)
    worker.housekeeping = False
    with qtbot.waitSignal(worker.report, timeout=60_000) as done:
        worker.start()
    assert done.args[0].outcome == "offline"
    worker.stop()

    # A crash in a slot and in a thread, their messages quoting the signer.
    def slot() -> None:
        raise ValueError(f"cannot handle {GIVEN} {FAMILY} <{EMAIL}> {PHONE}")

    QTimer.singleShot(0, slot)
    qtbot.waitUntil(lambda: "uncaught ValueError" in path.read_text(encoding="utf-8"), timeout=5000)
    thread = threading.Thread(target=lambda: {}[f"{ARABIC_NAME} {EMAIL}"], name="helper")
    thread.start()
    thread.join()
    # And a line the code should never have written, caught by the scrubber.
    logging.getLogger("desktop.test").warning("mail %s, phone %s", EMAIL, PHONE)

    text = _log_text(ctx.data_dir)
    for value in (GIVEN, FAMILY, EMAIL, PHONE, "7654321", "zubaida", ARABIC_NAME, "الإدلبي", "T" * 24):
        assert value not in text, value
    for expected in ("GUI: campaign act-on-syria, language en", "signature saved (seq 1)", "signature saved (seq 2)",
                     "sync: offline", "uncaught ValueError", "uncaught KeyError in thread helper",
                     "mail <email>, phone <number>"):
        assert expected in text, expected


def test_the_panel_copies_the_diagnostics_and_logs_that_it_did(qtbot, window, ctx):
    from utils.factories import save

    save(ctx.engine, given_name=GIVEN, family_name=FAMILY, email=EMAIL)
    window.open_panel()
    panel = window.panel
    panel.show_section("log")
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(panel.log.diagnostics_copy, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text().startswith("Petition Kiosk diagnostics"), timeout=10_000)
    copied = QGuiApplication.clipboard().text()
    assert "pending: 1" in copied and "qt: 6." in copied
    assert GIVEN not in copied and FAMILY not in copied and EMAIL not in copied
    assert panel.log.diagnostics_message.isVisible() and "copied" in panel.log.diagnostics_message.text()
    assert panel.log.diagnostics_copy.isEnabled()
    with Session(ctx.engine) as session:
        assert [e.kind for e in audit.recent(session=session, limit=1)] == ["diagnostics_copied"]
    assert panel.log.model.rowCount() >= 1  # the log section shows the new entry
    QGuiApplication.clipboard().clear()


def test_the_panel_saves_the_diagnostics_to_a_private_file(qtbot, window, ctx, tmp_path):
    window.open_panel()
    panel = window.panel
    panel.show_section("log")
    target = tmp_path / "diagnostics.txt"
    panel.log.save_diagnostics_to(target)
    qtbot.waitUntil(lambda: "saved" in panel.log.diagnostics_message.text(), timeout=10_000)
    assert target.read_text(encoding="utf-8").startswith("Petition Kiosk diagnostics")
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    with Session(ctx.engine) as session:
        assert audit.recent(session=session, limit=1)[0].kind == "diagnostics_saved"


def test_the_diagnostics_command_prints_the_report(tmp_path, capsys):
    from desktop.cli import main

    assert main(["diagnostics", "--data-dir", str(tmp_path / "data")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Petition Kiosk diagnostics") and "pending: 0" in out
    assert "command: diagnostics" in out  # the log's tail: the command logged itself first
    assert (tmp_path / "data" / "logs" / "petition-kiosk.log").exists()
