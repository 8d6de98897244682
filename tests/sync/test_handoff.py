"""Hand-off files, a USB stick instead of a network, against a real server process and its database:
``petition-kiosk export --handoff`` on the device, ``petition-server import-handoff`` (a subprocess, as an
operator runs it) on the server, ``petition-kiosk import-receipt`` back on the device.

The round trip stores every signature once and acknowledges them only from a genuine receipt; importing
the same file twice changes nothing; a tampered file, a file for another server, a file from a revoked or
foreign device are refused; a forged, altered or foreign receipt changes nothing and is logged; the file
holds no signer's name in any encoding."""

from __future__ import annotations

import base64
import hashlib
import os
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import nacl.signing
import orjson
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from db import audit
from db.migrate import open_database
from db.signatures import live_count
from db.sync import enrollment, handoff, store
from db.wire import HandoffReceipt, handoff_signed_part, pack_receipt, receipt_signed_part, split_handoff
from desktop.cli import main as kiosk
from server import campaigns as server_campaigns
from server.database import make_engine, sqlite_url, upgrade, write_session
from server.devices import find, revoke
from utils.factories import register_builtin, save
from utils.sync_env import SyncServer, device_set, device_states, enroll_device, server_set, sync_server
from utils.traces import find_traces

pytestmark = pytest.mark.timeout(180)
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "server"))
from server_helpers import PASSPHRASE, ensure_sealing_key  # noqa: E402

# Saved before the device is enrolled: in clear in its database, so the file is all that hides them.
SIGNERS = [("رنا", "الحلبي", "rana.halabi@example.org"), ("Jan", "Özdemir", "jan.oezdemir@example.de"),
           ("Mariam", "Qassab", "mariam.qassab@example.org")]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncServer]:
    with sync_server(tmp_path_factory.mktemp("handoff-server")) as running:
        yield running


@pytest.fixture
def passphrase_file(tmp_path: Path) -> Path:
    path = tmp_path / "passphrase"
    path.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return path


@pytest.fixture
def usb(tmp_path: Path) -> Path:
    path = tmp_path / "usb"
    path.mkdir()
    return path


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run_import(capsys: pytest.CaptureFixture[str]) -> Callable[..., Ran]:
    """``petition-server import-handoff`` in this process (the round trip runs it as a real process)."""
    from server.cli import main as server_cli

    def run(server_url: str, file: Path, passphrase_file: Path, *extra: str) -> Ran:
        capsys.readouterr()
        code = server_cli(["import-handoff", str(file), "--passphrase-file", str(passphrase_file),
                           "--database-url", server_url, "--data-dir", _data_dir_of(server_url), *extra])
        out = capsys.readouterr()
        return Ran(code, out.out, out.err)

    return run


def _data_dir_of(database_url: str) -> str:
    """The server's data folder (its SQLite file's): the key file that opens its signing key is there."""
    return str(Path(make_url(database_url).database or "").parent)


def _import_process(server_url: str, file: Path, passphrase_file: Path, *extra: str) -> Ran:
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", "import-handoff", str(file), "--passphrase-file", str(passphrase_file),
         "--database-url", server_url, "--data-dir", _data_dir_of(server_url), *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    return Ran(done.returncode, done.stdout, done.stderr)


def _export(data_dir: Path, target: Path) -> int:
    return kiosk(["export", "--handoff", str(target), "--data-dir", str(data_dir)])


def _receipt(data_dir: Path, file: Path) -> int:
    return kiosk(["import-receipt", str(file), "--data-dir", str(data_dir)])


def _states(engine: Engine) -> dict[str, int]:
    return {k: v for k, v in device_states(engine).items() if v}


def _audit(engine: Engine, kind: str) -> list[dict[str, object]]:
    with Session(engine) as session:
        return [entry.detail for entry in audit.recent(session=session, kind=kind)]


def _server_rows(server: SyncServer) -> list[tuple[object, ...]]:
    """Every stored signature as the server holds it, received time included."""
    with server.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(
            "SELECT id, content_hash, device_id, received_at, clock_offset_ms FROM signature ORDER BY id"))]


def _signed_up(data_dir: Path, engine: Engine, server: SyncServer, name: str = "laptop") -> enrollment.Enrollment:
    for given, family, email in SIGNERS:
        save(engine, given_name=given, family_name=family, email=email)
    return enroll_device(data_dir, server, name=name)


def test_round_trip_acknowledges_only_from_the_receipt(
    server: SyncServer, data_dir: Path, engine: Engine, usb: Path, passphrase_file: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    enrolled = _signed_up(data_dir, engine, server)
    save(engine, given_name="Sealed", family_name="After Enrollment")  # sealed at save time: stays sealed
    slug = "act-on-syria"
    with Session(engine) as session:
        count_before = live_count(slug, session=session)

    assert _export(data_dir, usb) == 0
    (file,) = usb.glob("*.handoff")
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert not list(usb.glob(".*.tmp"))
    assert _states(engine) == {"pending": 4}  # writing the file acknowledges nothing
    assert "4 signatures written" in capsys.readouterr().out
    (exported,) = _audit(engine, "handoff_export")
    assert exported["signatures"] == 4 and exported["device_id"] == enrolled.device_id

    done = _import_process(str(server.engine.url), file, passphrase_file)
    assert done.returncode == 0, done.stderr
    assert "created 4" in done.stdout
    assert server_set(server.engine, enrolled.device_id) == device_set(engine)
    assert _states(engine) == {"pending": 4}  # still: the device has seen no receipt yet
    receipt = file.with_suffix(".receipt")
    assert receipt.exists()

    assert _receipt(data_dir, receipt) == 0
    assert _states(engine) == {"acked": 4}
    with Session(engine) as session:
        assert live_count(slug, session=session) == count_before  # moved into the server's total, not doubled
    (applied,) = _audit(engine, "handoff_receipt")
    assert applied["created"] == 4 and applied["file_id"] == exported["file_id"]

    assert _export(data_dir, usb / "again.handoff") == 0  # nothing left unacknowledged
    assert "nothing is waiting" in capsys.readouterr().out
    assert not (usb / "again.handoff").exists()


def test_importing_the_same_file_twice_changes_nothing(
    server: SyncServer, data_dir: Path, engine: Engine, usb: Path, passphrase_file: Path,
    run_import: Callable[..., Ran],
) -> None:
    enrolled = _signed_up(data_dir, engine, server)
    file = usb / "day1.handoff"
    assert _export(data_dir, file) == 0
    first = run_import(str(server.engine.url), file, passphrase_file, "--receipt", str(usb / "first.receipt"))
    assert first.returncode == 0, first.stderr
    stored = _server_rows(server)
    again = run_import(str(server.engine.url), file, passphrase_file, "--receipt", str(usb / "second.receipt"))
    assert again.returncode == 0, again.stderr
    assert "created 0, already stored 3" in again.stdout
    assert _server_rows(server) == stored
    assert len(server_set(server.engine, enrolled.device_id)) == 3

    # Either receipt acknowledges them, and reading one twice changes nothing more.
    assert _receipt(data_dir, usb / "second.receipt") == 0
    assert _states(engine) == {"acked": 3}
    with Session(engine) as session:
        totals = session.connection().exec_driver_sql("SELECT campaign_slug, total FROM server_count").fetchall()
    assert _receipt(data_dir, usb / "first.receipt") == 0
    assert _states(engine) == {"acked": 3}
    with Session(engine) as session:
        assert session.connection().exec_driver_sql("SELECT campaign_slug, total FROM server_count").fetchall() == totals


def test_a_file_signatures_also_sent_by_sync_are_stored_once(
    server: SyncServer, data_dir: Path, engine: Engine, usb: Path, passphrase_file: Path,
    run_import: Callable[..., Ran],
) -> None:
    from db.sync import runner

    enrolled = _signed_up(data_dir, engine, server)
    file = usb / "both-ways.handoff"
    assert _export(data_dir, file) == 0
    syncer = runner.Syncer(data_dir, engine)
    try:
        assert syncer.run().sent == 3
    finally:
        syncer.close()
    done = run_import(str(server.engine.url), file, passphrase_file)
    assert done.returncode == 0 and "created 0, already stored 3" in done.stdout
    assert len(server_set(server.engine, enrolled.device_id)) == 3
    assert _receipt(data_dir, file.with_suffix(".receipt")) == 0
    assert _states(engine) == {"acked": 3}


@pytest.mark.parametrize("damage", ["box", "header", "signature", "truncated", "extended"])
def test_a_tampered_file_is_refused(
    server: SyncServer, data_dir: Path, engine: Engine, usb: Path, passphrase_file: Path,
    run_import: Callable[..., Ran], damage: str,
) -> None:
    enrolled = _signed_up(data_dir, engine, server)
    file = usb / "tampered.handoff"
    assert _export(data_dir, file) == 0
    data = bytearray(file.read_bytes())
    parts = split_handoff(bytes(data))
    box_at = len(parts.signed) - len(parts.box)
    if damage == "box":
        data[box_at + len(parts.box) // 2] ^= 0x01
    elif damage == "header":
        at = data.index(b'"created_at":"') + len(b'"created_at":"2')
        data[at] = ord("1") if data[at] != ord("1") else ord("2")  # another year, same length
    elif damage == "signature":
        data[-1] ^= 0x80
    elif damage == "truncated":
        del data[-10:]
    else:
        data += b"\0"
    file.write_bytes(bytes(data))
    done = run_import(str(server.engine.url), file, passphrase_file)
    assert done.returncode == 2
    assert "nothing was imported" in done.stderr
    if damage in ("box", "header", "signature"):
        assert "altered" in done.stderr
    else:
        assert "cut short" in done.stderr
    assert server_set(server.engine, enrolled.device_id) == {}
    assert not file.with_suffix(".receipt").exists()


def test_a_file_signed_by_another_device_is_refused(
    server: SyncServer, data_dir: Path, engine: Engine, usb: Path, passphrase_file: Path,
    run_import: Callable[..., Ran], tmp_path: Path,
) -> None:
    victim = _signed_up(data_dir, engine, server)
    file = usb / "genuine.handoff"
    assert _export(data_dir, file) == 0
    # Another enrolled device re-signs the file as it is: same header (the victim's id), its own key.
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    open_database(other_dir).dispose()
    enroll_device(other_dir, server, name="other laptop")
    parts = split_handoff(file.read_bytes())
    forged = usb / "forged.handoff"
    forged.write_bytes(parts.signed + enrollment.signing_key(other_dir).sign(parts.signed).signature)
    done = run_import(str(server.engine.url), forged, passphrase_file)
    assert done.returncode == 2 and "another device made it" in done.stderr
    assert server_set(server.engine, victim.device_id) == {}


def test_a_file_for_another_server_is_refused(
    server: SyncServer, data_dir: Path, engine: Engine, usb: Path, passphrase_file: Path,
    run_import: Callable[..., Ran], tmp_path: Path,
) -> None:
    _signed_up(data_dir, engine, server)
    file = usb / "for-the-first.handoff"
    assert _export(data_dir, file) == 0
    other_url = sqlite_url(tmp_path / "other-server")
    other = make_engine(other_url)
    upgrade(other)
    ensure_sealing_key(other)
    other.dispose()
    done = run_import(other_url, file, passphrase_file)
    assert done.returncode == 2
    assert "made for another server" in done.stderr and server.url in done.stderr
    other = make_engine(other_url)
    try:
        with other.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM signature")).scalar_one() == 0
    finally:
        other.dispose()


def test_a_revoked_device_s_file_is_refused(
    server: SyncServer, data_dir: Path, engine: Engine, usb: Path, passphrase_file: Path,
    run_import: Callable[..., Ran],
) -> None:
    enrolled = _signed_up(data_dir, engine, server, name="stolen laptop")
    file = usb / "stolen.handoff"
    assert _export(data_dir, file) == 0
    with write_session(server.engine) as session:
        revoke(find(enrolled.device_id, session=session)[0], session=session)
        session.commit()
    done = run_import(str(server.engine.url), file, passphrase_file)
    assert done.returncode == 2 and "was revoked" in done.stderr
    assert server_set(server.engine, enrolled.device_id) == {}


def test_the_file_holds_no_personal_data_in_clear(
    server: SyncServer, data_dir: Path, engine: Engine, usb: Path, passphrase_file: Path,
    run_import: Callable[..., Ran],
) -> None:
    _signed_up(data_dir, engine, server)
    words = [w for signer in SIGNERS for w in signer]
    assert find_traces([data_dir], words), "the test's premise: the device holds these in clear"
    file = usb / "clear.handoff"
    assert _export(data_dir, file) == 0
    assert find_traces([file], words) == []
    assert find_traces([file], ["example.org", "example.de"]) == []
    assert run_import(str(server.engine.url), file, passphrase_file).returncode == 0
    assert find_traces([usb], words) == []  # the receipt neither


def _forge(receipt: Path, change: dict[str, object] | None = None, *, key: nacl.signing.SigningKey | None = None) -> bytes:
    """The receipt with its document changed, then signed again by ``key`` (or its signature kept)."""
    lines = receipt.read_bytes().split(b"\n")
    document = orjson.loads(lines[1])
    document.update(change or {})
    doc = HandoffReceipt.model_validate(document)
    if key is not None:
        return pack_receipt(doc, key.sign(receipt_signed_part(doc)).signature)
    return receipt_signed_part(doc) + lines[2] + b"\n"


def test_a_forged_receipt_changes_nothing_and_is_logged(
    server: SyncServer, data_dir: Path, engine: Engine, usb: Path, passphrase_file: Path,
    run_import: Callable[..., Ran],
) -> None:
    _signed_up(data_dir, engine, server)
    file = usb / "x.handoff"
    assert _export(data_dir, file) == 0
    genuine = file.with_suffix(".receipt")
    assert run_import(str(server.engine.url), file, passphrase_file).returncode == 0
    lines = genuine.read_bytes().split(b"\n")
    document = orjson.loads(lines[1])

    # An outcome changed after the server signed: the signature no longer matches.
    refused = dict(document, results=[dict(r, outcome="rejected", reason="x") for r in document["results"]])
    forgeries = {
        "altered": _forge(genuine, {"results": refused["results"]}),
        "signed by someone else": _forge(genuine, key=nacl.signing.SigningKey.generate()),
        "bit flipped": genuine.read_bytes().replace(b'"duplicate"', b'"duplicatf"', 1).replace(
            b'"created"', b'"createe"', 1),
        "not a receipt": b"petition-kiosk receipt\nhello\n",
    }
    for name, data in forgeries.items():
        forged = usb / f"{name}.receipt"
        forged.write_bytes(data)
        assert _receipt(data_dir, forged) == 2, name
        assert _states(engine) == {"pending": 3}, name
    logged = _audit(engine, "handoff_receipt_refused")
    assert sorted(d["reason"] for d in logged) == sorted(
        [handoff.RECEIPT_FORGED, handoff.RECEIPT_FORGED, handoff.RECEIPT_FORGED, handoff.RECEIPT_UNREADABLE])
    assert all(d["file"].endswith(".receipt") and len(str(d["sha256"])) == 64 for d in logged)
    assert _audit(engine, "handoff_receipt") == []

    # The genuine one still works afterwards.
    assert _receipt(data_dir, genuine) == 0
    assert _states(engine) == {"acked": 3}


def test_a_receipt_for_another_device_or_server_changes_nothing(
    server: SyncServer, data_dir: Path, engine: Engine, usb: Path, passphrase_file: Path,
    run_import: Callable[..., Ran], tmp_path: Path,
) -> None:
    _signed_up(data_dir, engine, server)
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    other_engine = open_database(other_dir)
    register_builtin(other_engine)
    try:
        enroll_device(other_dir, server, name="other laptop")
        save(other_engine, given_name="Somebody")
        assert _export(other_dir, usb / "other.handoff") == 0
    finally:
        other_engine.dispose()
    assert run_import(str(server.engine.url), usb / "other.handoff", passphrase_file).returncode == 0
    assert _receipt(data_dir, usb / "other.receipt") == 2
    assert [d["reason"] for d in _audit(engine, "handoff_receipt_refused")] == [handoff.RECEIPT_OTHER_DEVICE]

    # A receipt signed by a server this device is not enrolled with (its key id in the document).
    key = nacl.signing.SigningKey.generate()
    key_id = hashlib.sha256(bytes(key.verify_key)).hexdigest()[:16]
    (usb / "foreign.receipt").write_bytes(_forge(usb / "other.receipt", {"server_key_id": key_id}, key=key))
    assert _receipt(data_dir, usb / "foreign.receipt") == 2
    assert _audit(engine, "handoff_receipt_refused")[0]["reason"] == handoff.RECEIPT_OTHER_SERVER
    assert _states(engine) == {"pending": 3}


def test_refusals_need_attention_as_after_a_sync_and_go_in_the_next_file(
    server: SyncServer, data_dir: Path, engine: Engine, usb: Path, passphrase_file: Path,
    run_import: Callable[..., Ran],
) -> None:
    _signed_up(data_dir, engine, server)
    with write_session(server.engine) as session:
        server_campaigns.set_closed("act-on-syria", True, session=session)
        session.commit()
    try:
        assert _export(data_dir, usb / "closed.handoff") == 0
        done = run_import(str(server.engine.url), usb / "closed.handoff", passphrase_file)
        assert done.returncode == 1 and "campaign closed 3" in done.stdout
        assert _receipt(data_dir, usb / "closed.receipt") == 1
        assert _states(engine) == {"needs_attention": 3}
        assert store.attention_reasons(engine) == {"campaign_closed": 3}
    finally:
        with write_session(server.engine) as session:
            server_campaigns.set_closed("act-on-syria", False, session=session)
            session.commit()
    # A refusal that may have gone away travels again, like sync offers it again.
    assert _export(data_dir, usb / "reopened.handoff") == 0
    assert run_import(str(server.engine.url), usb / "reopened.handoff", passphrase_file).returncode == 0
    assert _receipt(data_dir, usb / "reopened.receipt") == 0
    assert _states(engine) == {"acked": 3}


def test_a_receipt_naming_other_content_acknowledges_nothing(
    server: SyncServer, data_dir: Path, engine: Engine, usb: Path,
) -> None:
    """The server vouches for the content it stores; a row whose content differs is left waiting."""
    enrolled = _signed_up(data_dir, engine, server)
    ids = sorted(device_set(engine))
    key = nacl.signing.SigningKey.generate()
    key_id = hashlib.sha256(bytes(key.verify_key)).hexdigest()[:16]
    enrolled.server_keys = [k for k in enrolled.server_keys if k["purpose"] != "signing"] + [
        {"purpose": "signing", "algorithm": "Ed25519", "key_id": key_id,
         "public_key": base64.b64encode(bytes(key.verify_key)).decode()}]
    enrollment.save(data_dir, enrolled)  # this test plays the server: the device trusts its key
    doc = HandoffReceipt.model_validate({
        "format": "petition-kiosk-receipt", "version": 1, "file_id": "f", "device_id": enrolled.device_id,
        "server_key_id": key_id, "imported_at": "2026-01-01T00:00:00Z", "counts": {"created": 3},
        "results": [{"id": i, "content_hash": "0" * 64, "outcome": "created"} for i in ids],
    })
    (usb / "other-content.receipt").write_bytes(pack_receipt(doc, key.sign(receipt_signed_part(doc)).signature))
    assert _receipt(data_dir, usb / "other-content.receipt") == 1
    assert _states(engine) == {"pending": 3}
    (applied,) = _audit(engine, "handoff_receipt")
    assert applied["unknown"] == 3 and applied["acked"] == 0


def test_no_file_without_the_server_s_sealing_key(data_dir: Path, engine: Engine, usb: Path) -> None:
    save(engine, given_name="Ada")
    assert _export(data_dir, usb / "x.handoff") == 4  # not enrolled
    enrollment.signing_key(data_dir)
    enrollment.save(data_dir, enrollment.Enrollment(server_url="http://127.0.0.1:1", device_id="d", device_name="n",
                                                    token="t", server_keys=[]))
    with pytest.raises(handoff.HandoffError) as refused:
        handoff.export_handoff(usb / "x.handoff", data_dir=data_dir, engine=engine)
    assert refused.value.key == handoff.SERVER_KEYS_MISSING
    assert not list(usb.iterdir())


def test_the_signed_part_is_the_file_without_its_signature(
    server: SyncServer, data_dir: Path, engine: Engine, usb: Path,
) -> None:
    enrolled = _signed_up(data_dir, engine, server)
    file = usb / "x.handoff"
    assert _export(data_dir, file) == 0
    parts = split_handoff(file.read_bytes())
    assert handoff_signed_part(parts.header, parts.box) == parts.signed
    assert parts.header.device_id == enrolled.device_id and parts.header.server_url == server.url
    nacl.signing.VerifyKey(bytes(enrollment.signing_key(data_dir).verify_key)).verify(parts.signed, parts.signature)


def test_the_panel_words_are_the_core_s_messages() -> None:
    """The panel translates db/sync/handoff.py's message keys; its English is theirs."""
    from desktop.panel.sync import SyncSection

    class Probe:
        shown = ""

        def _handoff_done(self, _result: object, text: str) -> None:
            self.shown = text

        @staticmethod
        def tr(text: str) -> str:
            return text

    for key, message in handoff.MESSAGES.items():
        probe = Probe()
        SyncSection._handoff_failed(probe, handoff.HandoffError(key))  # type: ignore[arg-type]
        assert probe.shown == message, key


def test_what_goes_into_the_file(server: SyncServer, data_dir: Path, engine: Engine, usb: Path) -> None:
    """Unacknowledged signatures a sync would send: pending, sending, refused for a reason that may go
    away. Not: acknowledged, set aside, refused for good."""
    from server import handoff as server_handoff
    from server import sealing as server_sealing

    _signed_up(data_dir, engine, server)
    ids = [save(engine, given_name=f"Person {i}").id for i in range(6)]
    pending, sending, closed, conflict, aside, acked = ids
    store.set_aside(engine, [closed], "campaign_closed")
    store.set_aside(engine, [conflict], "conflict")
    with write_session(engine) as session:
        session.connection().exec_driver_sql(
            "UPDATE signature SET sync_state = 'set_aside', sync_reason = 'set_aside: test' WHERE id = ?", (aside,))
        session.connection().exec_driver_sql("UPDATE signature SET sync_state = 'sending' WHERE id = ?", (sending,))
        session.connection().exec_driver_sql(
            "UPDATE signature SET sync_state = 'acked', acked_at = '2026-01-01 00:00:00.000000' WHERE id = ?", (acked,))
        session.commit()
    file = usb / "mixed.handoff"
    done = handoff.export_handoff(file, data_dir=data_dir, engine=engine)
    with Session(server.engine) as session:
        keys = server_sealing.unlock(PASSPHRASE, session=session)
    carried = server_handoff.open_payload(server_handoff.check(file.read_bytes(), engine=server.engine), keys).signatures
    signed_up_first = set(device_set(engine)) - set(ids)
    assert {item["id"] for item in carried} == signed_up_first | {pending, sending, closed}
    assert done.signatures == len(carried) == 6
    assert [item["seq"] for item in carried] == sorted(item["seq"] for item in carried)
    assert _states(engine)["sending"] == 1  # writing the file moved nothing


# --- signatures made on phones (mode phone, an API version 2 value) -----------------------------------

def _modes_on_server(server: SyncServer, device_id: str) -> list[str]:
    with server.engine.connect() as conn:
        return sorted(str(mode) for (mode,) in conn.execute(
            text("SELECT mode FROM signature WHERE device_id = :device"), {"device": device_id}))


def test_a_file_with_phone_signatures_is_refused_whole_by_a_version_1_server_then_taken_by_version_2(
    server: SyncServer, data_dir: Path, engine: Engine, usb: Path, passphrase_file: Path,
) -> None:
    """A server that reads hand-off files of version 1 only (as one from before API version 2 does)
    refuses a file with phone signatures before storing any, saying to update it; the device keeps them
    all; a server that speaks version 2 takes them with their mode."""
    from db.schemas import Mode

    enrolled = enroll_device(data_dir, server)
    assert enrolled.api_version == 2
    save(engine, given_name="Kiosk")
    save(engine, given_name="Phone", mode=Mode.PHONE)
    file = usb / "crowd.handoff"
    assert _export(data_dir, file) == 0
    assert split_handoff(file.read_bytes()).header.version == 2

    old = subprocess.run(
        [sys.executable, "-m", "server.cli", "import-handoff", str(file), "--passphrase-file", str(passphrase_file),
         "--database-url", str(server.engine.url), "--data-dir", _data_dir_of(str(server.engine.url))],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env={**os.environ, "PETITION_SERVER_API_MAX": "1"},
    )
    assert old.returncode == 2
    assert "format version 2; this program reads version 1: update it" in old.stderr
    assert "nothing was imported" in old.stderr
    assert server_set(server.engine, enrolled.device_id) == {}
    assert _states(engine) == {"pending": 2}

    done = _import_process(str(server.engine.url), file, passphrase_file)
    assert done.returncode == 0, done.stderr
    assert _receipt(data_dir, file.with_suffix(".receipt")) == 0
    assert _states(engine) == {"acked": 2}
    assert server_set(server.engine, enrolled.device_id) == device_set(engine)
    assert _modes_on_server(server, enrolled.device_id) == ["kiosk", "phone"]


def test_a_device_that_knows_its_server_speaks_version_1_leaves_phone_signatures_out_of_the_file(
    server: SyncServer, data_dir: Path, engine: Engine, usb: Path, passphrase_file: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from db.schemas import Mode

    enrolled = enroll_device(data_dir, server)
    enrolled.api_version = 1  # as its last sync found the server
    enrollment.save(data_dir, enrolled)
    save(engine, given_name="Kiosk")
    for i in range(3):
        save(engine, given_name=f"Phone {i}", mode=Mode.PHONE)
    file = usb / "day.handoff"
    capsys.readouterr()
    assert _export(data_dir, file) == 0
    out = capsys.readouterr().out
    assert ("3 signatures made on phones wait for the server to be updated (it speaks API version 1; they need "
            "version 2): not in the file") in out
    assert "1 signature written to" in out and "It stays waiting here until the server's receipt" in out
    assert "not in the file, still waiting here" in out
    assert split_handoff(file.read_bytes()).header.version == 1  # a version-1 server reads it
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", "import-handoff", str(file), "--passphrase-file", str(passphrase_file),
         "--database-url", str(server.engine.url), "--data-dir", _data_dir_of(str(server.engine.url))],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env={**os.environ, "PETITION_SERVER_API_MAX": "1"},
    )
    assert done.returncode == 0, done.stderr
    capsys.readouterr()
    assert _receipt(data_dir, file.with_suffix(".receipt")) == 1  # the phones' signatures still wait
    out = capsys.readouterr().out
    assert "still waiting to be sent: 3" in out and "3 signatures made on phones wait for the server" in out
    assert _states(engine) == {"acked": 1, "pending": 3}
    assert _modes_on_server(server, enrolled.device_id) == ["kiosk"]


# --- the events the signatures name (format version 3) --------------------------------------------------

RALLY_DAY = date(2026, 11, 28)


def _event(engine: Engine, name: str, place: str | None, day: date, event_id: str | None = None) -> str:
    """An event on the device; with ``event_id``, under that id (as another device might hold it)."""
    from db import events as device_events
    from db.models import Event

    with write_session(engine) as session:
        if event_id is None:
            event_id = device_events.create_event(name, place, day, session=session).id
        else:
            session.add(Event(id=event_id, name=name, place=place, date=day))
        session.commit()
    return event_id


def _server_events(server: SyncServer) -> dict[tuple[str, str], tuple[str, str | None, date]]:
    from sqlmodel import col, select

    from server.models import DeviceEventRow

    with Session(server.engine) as session:
        rows = session.exec(select(DeviceEventRow).order_by(col(DeviceEventRow.device_id))).all()
        return {(r.device_id, r.event_id): (r.name, r.place, r.day) for r in rows}


def _payload(server: SyncServer, file: Path) -> Any:
    from server import handoff as server_handoff
    from server import sealing as server_sealing

    with Session(server.engine) as session:
        keys = server_sealing.unlock(PASSPHRASE, session=session)
    return server_handoff.open_payload(server_handoff.check(file.read_bytes(), engine=server.engine), keys)


def test_a_file_carries_the_events_its_signatures_name_stored_as_its_device_s_own(
    server: SyncServer, data_dir: Path, engine: Engine, usb: Path, passphrase_file: Path, tmp_path: Path,
) -> None:
    """Without a network sync, the cover names the place of collection (not "other places"): the file
    carries the events its signatures name (only those), of format version 3; the server stores them as
    the events route does: under the file's device, once (the same file again changes nothing), and a
    second device's file naming the same event id cannot change the first device's event."""
    rally = _event(engine, "Kundgebung am Fluss", "Alexanderplatz, Berlin", RALLY_DAY)
    _event(engine, "Never used", "Nowhere", RALLY_DAY)  # no signature names it: not in the file
    for given in ("Selma", "Yusuf"):
        save(engine, given_name=given, email=f"{given.lower()}.handoff-events@example.org", phone=None, event_id=rally)
    enrolled = enroll_device(data_dir, server, name="stand by the river")
    file = usb / "events.handoff"
    assert _export(data_dir, file) == 0
    assert split_handoff(file.read_bytes()).header.version == 3
    carried = _payload(server, file)
    assert carried.events == [{"id": rally, "name": "Kundgebung am Fluss", "place": "Alexanderplatz, Berlin",
                               "day": "2026-11-28"}]

    done = _import_process(str(server.engine.url), file, passphrase_file)
    assert done.returncode == 0, done.stderr
    assert "1 event the signatures name: new 1, changed 0, unchanged 0" in done.stdout
    expected = ("Kundgebung am Fluss", "Alexanderplatz, Berlin", RALLY_DAY)
    mine = {k: v for k, v in _server_events(server).items() if k[0] == enrolled.device_id}
    assert mine == {(enrolled.device_id, rally): expected}
    again = _import_process(str(server.engine.url), file, passphrase_file)
    assert again.returncode == 0, again.stderr
    assert "new 0, changed 0, unchanged 1" in again.stdout
    assert _receipt(data_dir, file.with_suffix(".receipt")) == 0
    assert _states(engine) == {"acked": 2}

    # Another device holds an event under the same id, named otherwise: its file stores its own.
    other_dir = tmp_path / "other-device"
    other_dir.mkdir()
    other_engine = open_database(other_dir)
    try:
        register_builtin(other_engine)
        _event(other_engine, "Hijacked", "Elsewhere", RALLY_DAY, event_id=rally)
        save(other_engine, given_name="Mallory", email="mallory.handoff-events@example.org", phone=None, event_id=rally)
        other = enroll_device(other_dir, server, name="intruder")
        other_file = usb / "other.handoff"
        assert _export(other_dir, other_file) == 0
        assert _import_process(str(server.engine.url), other_file, passphrase_file).returncode == 0
    finally:
        other_engine.dispose()
    stored = _server_events(server)
    assert stored[enrolled.device_id, rally] == expected
    assert stored[other.device_id, rally] == ("Hijacked", "Elsewhere", RALLY_DAY)

    # The delivery's cover names the event with the signatures that came by file.
    from server.cli import main as server_cli

    out = tmp_path / "delivery.pdf"
    assert server_cli(["deliver", "act-on-syria", "--out", str(out), "--passphrase-file", str(passphrase_file),
                       "--data-dir", _data_dir_of(str(server.engine.url)), "--database-url", str(server.engine.url),
                       "--lang", "en"]) == 0
    from pypdf import PdfReader

    cover = " ".join(" ".join(page.extract_text() or "" for page in PdfReader(out).pages).split())
    assert "Kundgebung am Fluss, Alexanderplatz, Berlin, 2026-11-28: 2 signers" in cover
    assert "Hijacked, Elsewhere, 2026-11-28: 1 signer" in cover


def test_an_older_server_refuses_a_file_with_events_whole_and_reads_the_files_it_always_read(
    server: SyncServer, data_dir: Path, engine: Engine, usb: Path, passphrase_file: Path,
) -> None:
    """A server from before format version 3 reads up to version 2 (the check a version-2 server made):
    it refuses a file with events whole, before storing anything, instead of dropping the events; the
    device keeps every signature. A device that knows its server speaks API version 1 leaves the events
    out, and its file is the version-1 file such a server reads; this server reads it too."""
    from server import handoff as server_handoff

    rally = _event(engine, "Mahnwache", None, RALLY_DAY)
    save(engine, given_name="Kiosk", event_id=rally)
    enrolled = enroll_device(data_dir, server)
    file = usb / "new.handoff"
    assert _export(data_dir, file) == 0
    with pytest.raises(server_handoff.HandoffRefused, match="format version 3; this program reads version 2: update it"):
        server_handoff.check(file.read_bytes(), engine=server.engine, max_version=2)
    forced_1 = subprocess.run(
        [sys.executable, "-m", "server.cli", "import-handoff", str(file), "--passphrase-file", str(passphrase_file),
         "--database-url", str(server.engine.url), "--data-dir", _data_dir_of(str(server.engine.url))],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env={**os.environ, "PETITION_SERVER_API_MAX": "1"},
    )
    assert forced_1.returncode == 2 and "format version 3; this program reads version 1" in forced_1.stderr
    assert server_set(server.engine, enrolled.device_id) == {}
    assert not [k for k in _server_events(server) if k[0] == enrolled.device_id]
    assert _states(engine) == {"pending": 1}

    enrolled.api_version = 1  # as its last sync found the server
    enrollment.save(data_dir, enrolled)
    old = usb / "old.handoff"
    assert _export(data_dir, old) == 0
    assert split_handoff(old.read_bytes()).header.version == 1
    assert _payload(server, old).events == []
    done = _import_process(str(server.engine.url), old, passphrase_file)
    assert done.returncode == 0, done.stderr
    assert "event" not in done.stdout
    assert server_set(server.engine, enrolled.device_id) == device_set(engine)
    assert not [k for k in _server_events(server) if k[0] == enrolled.device_id]


def test_an_event_that_does_not_validate_is_left_out_and_the_signatures_are_stored(
    server: SyncServer, data_dir: Path, engine: Engine, usb: Path, passphrase_file: Path,
) -> None:
    """A genuine file (signed by its device) whose events include one the events route would refuse (a
    control character in its name): that event is left out and counted, the others and every signature
    are stored."""
    import zlib

    from nacl.public import PublicKey, SealedBox

    from server import sealing as server_sealing

    rally = _event(engine, "Rally", "Hamburg", RALLY_DAY)
    save(engine, given_name="Kiosk", event_id=rally)
    enrolled = enroll_device(data_dir, server)
    file = usb / "day.handoff"
    assert _export(data_dir, file) == 0
    parts = split_handoff(file.read_bytes())
    with Session(server.engine) as session:
        keys = server_sealing.unlock(PASSPHRASE, session=session)
    private = keys[parts.header.sealing_key_id]
    document = orjson.loads(zlib.decompress(SealedBox(private).decrypt(parts.box)))
    document["events"].append({"id": "bad-event", "name": "Bell\x07 ringing", "place": None, "day": "2026-11-29"})
    box = SealedBox(PublicKey(bytes(private.public_key))).encrypt(zlib.compress(orjson.dumps(document)))
    header = parts.header.model_copy(update={"payload_bytes": len(box)})
    signed = handoff_signed_part(header, box)
    file.write_bytes(signed + enrollment.signing_key(data_dir).sign(signed).signature)

    done = _import_process(str(server.engine.url), file, passphrase_file)
    assert done.returncode == 0, done.stderr
    assert "2 events the signatures name: new 1, changed 0, unchanged 0, left out as invalid 1" in done.stdout
    assert {k: v for k, v in _server_events(server).items() if k[0] == enrolled.device_id} == {
        (enrolled.device_id, rally): ("Rally", "Hamburg", RALLY_DAY)}
    assert server_set(server.engine, enrolled.device_id) == device_set(engine)


def test_events_and_partner_opt_ins_in_one_file_make_it_version_3_and_a_version_1_device_leaves_both_out(
    server: SyncServer, data_dir: Path, engine: Engine, usb: Path, passphrase_file: Path,
) -> None:
    """The two rules of the file's version meet in one file: opt-ins in clear need format version 2 and
    events version 3, so a file with both is of version 3 and the server stores both. A device that knows
    its server speaks API version 1 holds the signature with opt-ins back and leaves the events out: its
    file is the version-1 file such a server reads."""
    partner = "white-helmets"
    rally = _event(engine, "Sit-in", "Marienplatz, München", RALLY_DAY)
    # saved before enrolling: in clear, so the opt-ins are a field the file's version must allow for
    chose = save(engine, given_name="Opted", partners=frozenset({partner}), event_id=rally).id
    plain = save(engine, given_name="Plain", event_id=rally).id
    enrolled = enroll_device(data_dir, server)
    file = usb / "both.handoff"
    assert _export(data_dir, file) == 0
    assert split_handoff(file.read_bytes()).header.version == 3
    assert [e["id"] for e in _payload(server, file).events] == [rally]

    enrolled.api_version = 1  # as a later sync found the server
    enrollment.save(data_dir, enrolled)
    made = handoff.export_handoff(usb / "old.handoff", data_dir=data_dir, engine=engine)
    assert made.path is not None
    assert (made.signatures, made.held) == (1, {"partner_optins": 1})
    assert split_handoff(made.path.read_bytes()).header.version == 1
    opened = _payload(server, made.path)
    assert opened.events == [] and [s["id"] for s in opened.signatures] == [plain]

    done = _import_process(str(server.engine.url), file, passphrase_file)
    assert done.returncode == 0, done.stderr
    with server.engine.connect() as conn:
        stored = dict(conn.execute(text("SELECT id, partner_optins FROM signature WHERE device_id = :device"),
                                   {"device": enrolled.device_id}).all())
    assert stored[plain] is None and str(stored[chose]).startswith(f"{partner}:")
    assert (enrolled.device_id, rally) in _server_events(server)
