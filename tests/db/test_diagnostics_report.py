"""The diagnostics report (db/diagnostics.py): what a helper needs, none of what a seized report must
not hold (a signer's details, the device token, the PIN's hash)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from db import __version__, diagnostics, logs, pin
from db import settings as settings_store
from db.models import SyncRun
from db.sync import enrollment, store
from utils.factories import save

CROWD_TOKEN = "Zq4" * 8
TOKEN = "tok_" + "Q7x" * 15  # the shape of a server token (secrets.token_urlsafe(32))


@pytest.fixture(autouse=True)
def fresh_logging():
    logs.reset_logging()
    yield
    logs.reset_logging()


def _enroll(data_dir):
    """An enrollment as db/sync/enrollment.py writes it after a server said yes."""
    enrollment.save(data_dir, enrollment.Enrollment(
        server_url="https://petitions.example.org:8443/", device_id="0190f1a2-7c3e-7abc-8def-0123456789ab",
        device_name="laptop-3", token=TOKEN, enrolled_at=datetime.now(UTC).isoformat(),
        server_keys=[{"purpose": "signing", "key_id": "3f9a0c2d11aa4b5e", "public_key": "c2lnbmluZy1rZXk="}]))


def test_the_report_says_what_runs_and_its_state_and_holds_no_secret_or_signer(data_dir, engine):
    logs.setup_logging(data_dir)
    _enroll(data_dir)
    pin.set_pin(data_dir, "482916")
    with Session(engine) as session:  # crowd mode's access token and the Wi-Fi password on the poster
        settings_store.update(session=session, crowd_token=CROWD_TOKEN, wifi_name="stand-wifi",
                              wifi_password="olive-branch-7731")
        session.commit()
    pin_hash = json.loads(pin.pin_path(data_dir).read_text())["hash"]
    save(engine, given_name="Zubaida", family_name="Quraishi", email="zubaida.quraishi@example.org")
    refused = save(engine, given_name="Haytham", family_name="Idlibi").id
    store.set_aside(engine, [refused], "rejected: email_invalid (email)")
    finished = datetime.now(UTC)
    store.record_run(engine, SyncRun(started_at=finished - timedelta(seconds=3), finished_at=finished, outcome="offline",
                                     server_url="https://petitions.example.org:8443/", sent=0, pending=1,
                                     message="could not reach zubaida.quraishi@example.org"))
    logging.getLogger("test").warning("a line in the log for %s", "Token=" + TOKEN)

    report = diagnostics.collect(data_dir, engine, qt_version="6.11.3")

    assert f"version: {__version__}" in report and "qt: 6.11.3" in report
    assert "pending: 1" in report and "needs_attention: 1" in report and "acked: 0" in report
    assert "needing attention, rejected: email_invalid (email): 1" in report
    assert "enrolled: yes" in report and "server (host): petitions.example.org:8443" in report
    assert "server's API version at the last contact: not known" in report  # no sync since enrollment here
    assert "coordinator PIN set: yes" in report
    assert "act-on-syria v" in report and "aleppo v" in report
    assert "offline (petitions.example.org:8443): sent 0" in report
    assert "a line in the log for Token=<secret>" in report
    assert "free disk space:" in report
    assert "crowd_token: set" in report and "wifi_password: set" in report and "wifi_name: stand-wifi" in report
    for secret in (TOKEN, CROWD_TOKEN, "olive-branch-7731", pin_hash, "482916", "Zubaida", "Quraishi", "zubaida.quraishi@example.org", "Haytham",
                   "Idlibi", "c2lnbmluZy1rZXk="):
        assert secret not in report, secret


def test_a_fresh_device_and_a_broken_part_still_give_a_report(data_dir, engine, monkeypatch):
    from db import panel

    def broken(**_kwargs):
        raise RuntimeError("disk I/O error")

    monkeypatch.setattr(panel, "installed_versions", broken)
    report = diagnostics.collect(data_dir, engine)
    assert "enrolled: no" in report and "coordinator PIN set: no" in report and "last sync: never" in report
    assert "== Campaigns ==\n(could not be read: RuntimeError)" in report
    assert "== Signatures ==" in report and "no log file at" in report


def test_the_audit_log_shows_counts_but_not_notes_or_ids(data_dir, engine):
    from db import panel
    from db.engine import write_session

    ids = [save(engine, given_name="Rana").id]
    store.set_aside(engine, ids, "rejected: email_invalid (email)")
    with write_session(engine) as session:
        panel.set_aside(ids, "withdrawn", "Rana Hamwi called, she withdrew", session=session)
        session.commit()
    report = diagnostics.collect(data_dir, engine)
    assert "set_aside (count=1, reason=withdrawn)" in report
    assert "Hamwi" not in report and ids[0] not in report.split("== Audit log")[1]
