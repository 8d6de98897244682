"""``petition-server push actionnetwork``, end to end, against a contract double of Action Network's record
signature helper (tests/server/actionnetwork_double.py: a real HTTP server on 127.0.0.1 built from the
documented example request and answer) that throttles with 429 and fails with 503: every signer who
opted in to the partner is recorded exactly once and nobody else; a second run sends nothing; a 4xx stops
with a clear report and the next run goes on; a real ``petition-server`` process SIGKILLed mid-request
resumes without recording anyone twice. Signatures are sealed (the passphrase is asked) and arrive
through the server's upload route."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from actionnetwork_double import EXAMPLE_REQUEST, EXAMPLE_RESPONSE, ActionNetworkDouble, running
from fastapi.testclient import TestClient
from server_helpers import PASSPHRASE, ROOT, EnrolledDevice, batch, ensure_sealing_key, sealed_signature
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from db.wire import API_HEADER
from server import actionnetwork, partners, sealing
from server.cli import main
from server.database import sqlite_url, write_session
from server.models import PartnerErasure, PartnerPush, Withdrawal

PARTNER = "white-helmets"
OTHER = "syrian-british-council"
PETITION = "9f837109-710d-4ab2-bfc9-4e6a4ae7bef1"
API_KEY = "an-secret-key-0123456789abcdef"
DIGEST = "ab" * 32


def _optins(*slugs: str) -> str:
    return " ".join(f"{s}:{DIGEST}" for s in sorted(slugs))


def _upload(client: TestClient, device: EnrolledDevice, engine: Engine, signers: list[dict[str, Any]]) -> list[str]:
    """The signers as sealed act-on-syria signatures through the upload route (API version 2); their ids."""
    key = ensure_sealing_key(engine)
    payloads = [sealed_signature(key, "act-on-syria", seq, **s) for seq, s in enumerate(signers, start=1)]
    answer = client.post(device.batches, json=batch(payloads), headers={**device.headers, API_HEADER: "2"})
    assert answer.status_code == 200, answer.text
    assert all(r["outcome"] == "created" for r in answer.json()["results"]), answer.text
    return [p["id"] for p in payloads]


def _files(tmp_path: Path) -> tuple[Path, Path]:
    key_file = tmp_path / "an.key"
    key_file.write_text(API_KEY + "\n")
    passphrase = tmp_path / "operator.passphrase"
    passphrase.write_text(PASSPHRASE + "\n")
    return key_file, passphrase


def _push_args(tmp_path: Path, database_url: str, endpoint: str, *extra: str) -> list[str]:
    key_file, passphrase = _files(tmp_path)
    return ["push", "actionnetwork", "--partner", PARTNER, "--petition-id", PETITION, "--api-key-file", str(key_file),
            "--endpoint", endpoint, "--data-dir", str(tmp_path / "server"), "--database-url", database_url,
            "--passphrase-file", str(passphrase), *extra]


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_documented_example_is_what_the_double_accepts_and_answers() -> None:
    assert EXAMPLE_REQUEST["person"]["email_addresses"] == [{"address": "jsmith@mail.com"}]
    assert actionnetwork.remote_id(EXAMPLE_RESPONSE) == "action_network:71497ab2-df46-11e4-b6f6-8c5d5a9a1f3f"
    assert actionnetwork.remote_id({}) is None  # the helper's answer when it took nothing in
    double = ActionNetworkDouble(API_KEY, PETITION)
    assert double._shape(EXAMPLE_REQUEST) == []
    assert double._shape({**EXAMPLE_REQUEST, "action_date": "2014-03-18T11:02:15Z"})  # not settable: refused


def test_retry_after_and_endpoints() -> None:
    assert actionnetwork.retry_after("3") == 3.0
    assert actionnetwork.retry_after(None) is None and actionnetwork.retry_after("soon") is None
    later = (datetime.now(UTC) + timedelta(seconds=30)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert 25 < (actionnetwork.retry_after(later) or 0) <= 30
    actionnetwork.check_endpoint(actionnetwork.DEFAULT_ENDPOINT)
    actionnetwork.check_endpoint("http://127.0.0.1:9/api/v2/")
    with pytest.raises(actionnetwork.PushError):  # the key and the signers' details never travel in clear
        actionnetwork.check_endpoint("http://actionnetwork.org/api/v2/")


def test_every_opted_in_signer_is_recorded_once_through_throttling_and_failures(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, database_url: str, server_engine: Engine,
        client: TestClient, device: EnrolledDevice) -> None:
    signed_at = datetime(2026, 11, 7, 14, 3, 9, tzinfo=UTC)
    wanted = [f"signer{i}@example.org" for i in range(7)]
    ids = _upload(client, device, server_engine, [
        *({"email": e, "partner_optins": _optins(PARTNER, *((OTHER,) if i % 2 else ())), "postal_code": "10115",
           "country": "DE", "created_at": signed_at + timedelta(minutes=i)} for i, e in enumerate(wanted)),
        {"email": "other-partner@example.org", "partner_optins": _optins(OTHER)},
        {"email": "no-partner@example.org"},
        {"email": "withdrawn@example.org", "partner_optins": _optins(PARTNER)},
        {"email": "erased@example.org", "partner_optins": _optins(PARTNER)},
        {"email": None, "partner_optins": _optins(PARTNER)},  # nothing Action Network could match on a resend
    ])
    with write_session(server_engine) as session:
        session.add(Withdrawal(signature_id=ids[9]))
        session.add(PartnerErasure(signature_id=ids[10], device_id=device.id, partner_slug=PARTNER,
                                   erased_at=datetime.now(UTC)))
        session.commit()

    double = ActionNetworkDouble(API_KEY, PETITION, throttle_every=3, fail_every=5)
    with running(double) as endpoint:
        code, out, err = _cli(capsys, *_push_args(tmp_path, database_url, endpoint, "--tag", "kiosk"))
        assert code == 0, err
        assert double.shape_errors == []
        assert double.emails() == set(wanted)  # everyone who chose the partner, nobody else
        assert set(double.requests_per_person.values()) == {1}  # each recorded by one accepted request
        assert {s.status for s in double.seen} == {200, 429, 503}
        assert f"7 recorded in Action Network petition {PETITION} now" in out
        assert "1 of them gave no e-mail address" in out
        assert API_KEY not in out + err and "example.org" not in out + err

        # paced within 4 calls a second, and the Retry-After of the first 429 waited out
        times = [s.at for s in double.seen]
        assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= actionnetwork.MIN_INTERVAL_S - 0.02
        first_429 = next(i for i, s in enumerate(double.seen) if s.status == 429)
        assert times[first_429 + 1] - times[first_429] >= 0.98

        # what travelled: each signer's own signing time and receipt id, the tag
        accepted = {s.email: s.request for s in double.seen if s.status == 200}
        assert set(accepted) == set(wanted)
        for i, email in enumerate(wanted):
            assert accepted[email]["add_tags"] == ["kiosk"]
            assert accepted[email]["person"]["custom_fields"] == {
                "petition_kiosk_signed_at": (signed_at + timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "petition_kiosk_receipt_id": ids[i], "petition_kiosk_campaign": "act-on-syria"}

        # a second run sends nothing
        before = len(double.seen)
        code, out, err = _cli(capsys, *_push_args(tmp_path, database_url, endpoint))
        assert code == 0, err
        assert len(double.seen) == before
        assert "0 recorded in" in out and "7 recorded by earlier runs" in out

    with Session(server_engine) as session:
        rows = session.exec(select(PartnerPush)).all()
    assert {r.signature_id for r in rows} == set(ids[:7])
    assert {r.state for r in rows} == {"sent"} and all(r.remote_id and r.remote_id.startswith("action_network:")
                                                       for r in rows)
    # the erase's report names the partner a pushed signer went to
    code, out, err = _cli(capsys, "erase", "--receipt-id", ids[0], "--data-dir", str(tmp_path / "server"),
                          "--database-url", database_url)
    assert code == 0, err
    assert f"  {PARTNER}  (1 signature(s))" in out


def test_the_request_body_carries_the_signing_time_receipt_id_and_tags(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, database_url: str, server_engine: Engine,
        client: TestClient, device: EnrolledDevice) -> None:
    signed_at = datetime(2026, 11, 7, 14, 3, 9, tzinfo=UTC)
    (sig_id,) = _upload(client, device, server_engine, [
        {"email": "amal@example.org", "given_name": "Amal", "family_name": "Haddad", "postal_code": "10115",
         "city": "Berlin", "country": "DE", "comment": "never sent", "phone": "+4930123456",
         "partner_optins": _optins(PARTNER), "created_at": signed_at}])
    double = ActionNetworkDouble(API_KEY, PETITION)
    with running(double) as endpoint:
        code, _, err = _cli(capsys, *_push_args(tmp_path, database_url, endpoint, "--tag", "kiosk", "--tag", "berlin"))
    assert code == 0, err
    assert [s.request for s in double.seen] == [{
        "person": {"email_addresses": [{"address": "amal@example.org"}], "given_name": "Amal",
                   "family_name": "Haddad",
                   "postal_addresses": [{"postal_code": "10115", "locality": "Berlin", "country": "DE"}],
                   "custom_fields": {"petition_kiosk_signed_at": "2026-11-07T14:03:09Z",
                                     "petition_kiosk_receipt_id": sig_id, "petition_kiosk_campaign": "act-on-syria"}},
        "add_tags": ["kiosk", "berlin"]}]  # no comment, no phone, no handwriting, no other partner


def test_a_refusal_stops_with_a_clear_report_and_the_next_run_goes_on(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, database_url: str, server_engine: Engine,
        client: TestClient, device: EnrolledDevice) -> None:
    emails = [f"person{i}@example.org" for i in range(4)]
    ids = _upload(client, device, server_engine, [{"email": e, "partner_optins": _optins(PARTNER)} for e in emails])
    double = ActionNetworkDouble(API_KEY, PETITION, refuse={emails[2]})
    with running(double) as endpoint:
        code, out, err = _cli(capsys, *_push_args(tmp_path, database_url, endpoint))
        assert code == 1
        assert f"error: stopped at signature {ids[2]}: Action Network refused it: HTTP 400: " in err
        assert "Invalid email address [" in err and emails[2] not in out + err  # its message, not the address
        done = double.emails()  # those before it (in the order the server received them)
        assert emails[2] not in done and len(done) < 4
        assert f"{4 - len(done)} signers not recorded yet: run the same command again" in err

        double.refuse.clear()  # the operator fixed the cause at Action Network
        code, out, err = _cli(capsys, *_push_args(tmp_path, database_url, endpoint))
        assert code == 0, err
        assert double.emails() == set(emails) and set(double.requests_per_person.values()) == {1}
        assert f"{4 - len(done)} recorded in" in out and f"{len(done)} recorded by earlier runs" in out

    # an answer without the signature (Action Network's answer to a POST it took nothing from): a stop
    (blind,) = _upload(client, device, server_engine, [{"email": "blind@example.org", "partner_optins": _optins(PARTNER)}])
    double = ActionNetworkDouble(API_KEY, PETITION, blind={"blind@example.org"})
    with running(double) as endpoint:
        code, _, err = _cli(capsys, *_push_args(tmp_path, database_url, endpoint))
    assert code == 1 and f"stopped at signature {blind}: Action Network answered 200 without the signature" in err
    with Session(server_engine) as session:
        row = session.get(PartnerPush, (blind, device.id, PARTNER, PETITION))
    assert row is not None and row.state == "sending"  # sent again by the next run

    # a key Action Network does not know: a refusal too, before anyone is recorded
    (late,) = _upload(client, device, server_engine, [{"email": "late@example.org", "partner_optins": _optins(PARTNER)}])
    double = ActionNetworkDouble("another key", PETITION)
    with running(double) as endpoint:
        code, _, err = _cli(capsys, *_push_args(tmp_path, database_url, endpoint))
    assert code == 1 and "Action Network refused it: HTTP 401: API Key invalid" in err
    assert f"stopped at signature {late}" in err or f"stopped at signature {blind}" in err  # both still to send
    assert "2 signers not recorded yet" in err
    assert API_KEY not in err and double.recorded == {}


def test_an_erase_made_while_a_push_runs_is_honoured(tmp_path: Path, server_engine: Engine, client: TestClient,
                                                     device: EnrolledDevice) -> None:
    emails = [f"run{i}@example.org" for i in range(3)]
    ids = _upload(client, device, server_engine, [{"email": e, "partner_optins": _optins(PARTNER)} for e in emails])
    erased: list[str] = []

    def erase_the_rest(report: actionnetwork.PushReport) -> None:
        if report.sent == 1:  # the operator erases everyone not yet pushed, for every partner
            with Session(server_engine) as session:
                pushed = {r.signature_id for r in session.exec(select(PartnerPush)).all()}
            for sig_id in set(ids) - pushed:
                partners.erase(server_engine, signature_id=sig_id)
                erased.append(sig_id)

    double = ActionNetworkDouble(API_KEY, PETITION)
    with Session(server_engine) as session:
        keys = dict(sealing.unlock(PASSPHRASE, session=session))
    with running(double) as endpoint:
        report = actionnetwork.push(server_engine, partner_slug=PARTNER, petition_id=PETITION, api_key=API_KEY,
                                    endpoint=endpoint, keys=keys, progress=erase_the_rest)
    assert len(erased) == 2 and report.sent == 1 and report.stopped is None
    assert len(double.emails()) == 1 and double.emails() <= set(emails)


def test_a_void_made_while_a_push_runs_is_honoured(server_engine: Engine, client: TestClient,
                                                   device: EnrolledDevice) -> None:
    """The operator voids the signers not yet pushed while the run goes on: none of them is sent, as the
    partner's file would leave them out (the one selection's rule: withdrawn, voided, erased)."""
    from server import voids

    emails = [f"void{i}@example.org" for i in range(3)]
    ids = _upload(client, device, server_engine, [{"email": e, "partner_optins": _optins(PARTNER)} for e in emails])
    voided: list[str] = []

    def void_the_rest(report: actionnetwork.PushReport) -> None:
        if report.sent == 1:
            with write_session(server_engine) as session:
                pushed = {r.signature_id for r in session.exec(select(PartnerPush)).all()}
                for sig_id in set(ids) - pushed:
                    assert not isinstance(voids.void_by_operator(sig_id, "a duplicate", session=session), str)
                    voided.append(sig_id)
                session.commit()

    double = ActionNetworkDouble(API_KEY, PETITION)
    with Session(server_engine) as session:
        keys = dict(sealing.unlock(PASSPHRASE, session=session))
    with running(double) as endpoint:
        report = actionnetwork.push(server_engine, partner_slug=PARTNER, petition_id=PETITION, api_key=API_KEY,
                                    endpoint=endpoint, keys=keys, progress=void_the_rest)
    assert len(voided) == 2 and report.sent == 1 and report.stopped is None
    assert len(double.emails()) == 1 and double.emails() <= set(emails)


def test_a_killed_push_resumes_without_recording_anyone_twice(tmp_path: Path, client: TestClient,
                                                             device: EnrolledDevice, server_engine: Engine,
                                                             database_url: str, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("the process kill is the same on both databases")
    assert database_url == sqlite_url(tmp_path / "server")
    emails = [f"kill{i}@example.org" for i in range(6)]
    ids = _upload(client, device, server_engine, [{"email": e, "partner_optins": _optins(PARTNER)} for e in emails])
    double = ActionNetworkDouble(API_KEY, PETITION, fail_every=4, hold=emails[3])
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def run(endpoint: str) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, "-m", "server.cli", *_push_args(tmp_path, database_url, endpoint)],
                                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)

    with running(double) as endpoint:
        process = run(endpoint)
        try:
            assert double.held.wait(60), "the push never reached the held signer"
            # Action Network has recorded that signer; the push has not seen the answer: kill it now
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
        double.release.set()
        with Session(server_engine) as session:
            states = {r.signature_id: r.state for r in session.exec(select(PartnerPush)).all()}
        held = ids[emails.index(double.hold)]  # type: ignore[arg-type]
        assert states.pop(held) == "sending" and set(states.values()) <= {"sent"}
        by_id = dict(zip(ids, emails, strict=True))
        assert double.emails() == {by_id[i] for i in states} | {double.hold}

        process = run(endpoint)
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        assert f"{len(emails) - len(states)} recorded in" in out and "1 of them resent after an interrupted run" in out
        assert API_KEY not in out + err

    assert double.emails() == set(emails)  # everyone, once: one signature per person and petition
    assert len(double.recorded) == len(emails)
    # only the signer whose answer the kill cut off was asked for twice; Action Network matched them
    assert double.requests_per_person == {**{(e, PETITION): 1 for e in emails}, (emails[3], PETITION): 2}
    with Session(server_engine) as session:
        assert {r.state for r in session.exec(select(PartnerPush)).all()} == {"sent"}
