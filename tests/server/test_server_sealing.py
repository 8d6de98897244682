"""The server's side of sealed mode, on SQLite and PostgreSQL: its sealing keys under the operator's
passphrase, export and dedupe opening what devices sealed (db.sealing.seal), rotation, ingest of
sealed signatures, and publishing campaigns with the server's key."""

from __future__ import annotations

import base64
import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from fastapi.testclient import TestClient
from nacl.public import PrivateKey
from pydantic import ValidationError
from server_helpers import (
    PASSPHRASE,
    TEST_KDF_COST,
    EnrolledDevice,
    batch,
    new_code,
    public_key,
    sealed_signature,
    signature,
)
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from db.campaigns import SEALING_FILE, BundleError, builtin_bundle_dirs, load_bundle
from db.fields import SIGNER_FIELDS
from db.schemas import SignatureCreate
from db.sealing import PublicKey, key_id
from db.wire import API_PREFIX, REASON_SEALING_KEY_UNKNOWN, CampaignEntry, EnrollResponse, ServerKeys
from server import campaigns, sealing
from server.cli import NEW_PASSPHRASE_ENV, PASSPHRASE_ENV, main
from server.database import _alembic_config, current_revision, make_engine, sqlite_url, upgrade, write_session
from server.export import OPENED, _cell
from server.models import StoredSignature
from utils.factories import copy_bundle, edit

HANDWRITING = "M120 400 L180 320 Q240 260 300 330 C360 400 420 380 480 300 Z"


@pytest.fixture(autouse=True)
def _no_passphrase_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)
    monkeypatch.delenv(NEW_PASSPHRASE_ENV, raising=False)


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def _common(tmp_path: Path, database_url: str) -> list[str]:
    return ["--data-dir", str(tmp_path / "server"), "--database-url", database_url]


def _passphrase_file(tmp_path: Path, text: str = PASSPHRASE, name: str = "passphrase") -> str:
    path = tmp_path / name
    path.write_text(text + "\n", encoding="utf-8")
    return str(path)


def _active(engine: Engine) -> PublicKey:
    with Session(engine) as session:
        key = sealing.active_public_key(session=session)
    assert key is not None
    return key


def _upload(client: TestClient, device: EnrolledDevice, sigs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    answer = client.post(device.batches, json=batch(sigs), headers=device.headers)
    assert answer.status_code == 200, answer.text
    results: list[dict[str, Any]] = answer.json()["results"]
    return results


def _read_csv(path: Path) -> dict[str, dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return {row["id"]: row for row in csv.DictReader(fh)}


SIGNERS = [
    {"given_name": "عمر", "family_name": "الحلبي", "email": "omar.halabi@example.org", "city": "حلب",
     "comment": "من أجل حلب\nومن أجل كل السوريين", "signature_svg": HANDWRITING},
    {"given_name": "Zoë", "family_name": "Müller-Lüdenscheidt", "email": "zoe@example.de", "city": "Köln",
     "comment": "=1+1 is not a formula here", "phone": "+49 30 1234567", "postal_code": "50667", "country": "DE"},
    {"given_name": "Amal", "family_name": None, "email": "amal@example.org", "city": None, "comment": None},
]


def _clear(sig: dict[str, Any]) -> SignatureCreate:
    return SignatureCreate.model_validate(sig)


def test_export_with_the_passphrase_recovers_every_sealed_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, database_url: str, client: TestClient,
    published: Engine, device: EnrolledDevice,
) -> None:
    key = _active(published)
    sealed = [sealed_signature(key, seq=i + 1, **fields) for i, fields in enumerate(SIGNERS)]
    for payload in sealed:
        assert payload["sealed_key"] == key.key_id
        assert not any(payload.get(name) for name in SIGNER_FIELDS)  # nothing personal travels in clear
    plain = signature(seq=10, given_name="Layla", family_name="Haddad", email="layla@example.org")
    results = _upload(client, device, [*sealed, plain])
    assert [r["outcome"] for r in results] == ["created"] * 4
    # a retry of the same sealed bytes is a duplicate (the box was fixed at save time)
    assert [r["outcome"] for r in _upload(client, device, sealed)] == ["duplicate"] * 3

    target = tmp_path / "export.csv"
    code, out, err = _cli(capsys, "export", "--csv", str(target), "--passphrase-file", _passphrase_file(tmp_path),
                          *_common(tmp_path, database_url))
    assert code == 0, err
    assert "4 signatures" in out and "3 of them unsealed" in out
    assert PASSPHRASE not in out + err
    rows = _read_csv(target)
    assert target.stat().st_mode & 0o077 == 0
    assert "sealed" not in next(iter(rows.values()))  # the box itself is not exported
    for payload, fields in zip(sealed, SIGNERS, strict=True):
        row = rows[payload["id"]]
        expected = _clear(signature(seq=1, **fields))  # validated as the device validated it before sealing
        for name in SIGNER_FIELDS:
            assert row[name] == _cell(getattr(expected, name)), name
        assert row["sealed_status"] == OPENED and row["sealed_key"] == key.key_id
        assert row["consent_processing"] == "true"
    assert rows[sealed[0]["id"]]["given_name"] == "عمر"
    assert rows[sealed[0]["id"]]["signature_svg"] == HANDWRITING
    assert rows[sealed[1]["id"]]["comment"] == "'=1+1 is not a formula here"
    assert rows[plain["id"]]["given_name"] == "Layla" and rows[plain["id"]]["sealed_status"] == ""


def test_wrong_or_missing_passphrase_refuses_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, database_url: str, client: TestClient,
    published: Engine, device: EnrolledDevice, monkeypatch: pytest.MonkeyPatch,
) -> None:
    _upload(client, device, [sealed_signature(_active(published), given_name="Samira")])
    target = tmp_path / "export.csv"
    common = _common(tmp_path, database_url)
    wrong = _passphrase_file(tmp_path, "not the passphrase at all", "wrong")
    code, out, err = _cli(capsys, "export", "--csv", str(target), "--passphrase-file", wrong, *common)
    assert code == 2 and "does not unlock" in err and "nothing was written" in err
    assert "not the passphrase" not in out + err
    assert not target.exists() and not list(tmp_path.glob(".export.csv.*"))

    monkeypatch.setenv(PASSPHRASE_ENV, "also wrong, from the environment")
    code, _, err = _cli(capsys, "export", "--csv", str(target), *common)
    assert code == 2 and "does not unlock" in err and not target.exists()
    code, _, err = _cli(capsys, "stats", "--dedupe", *common)
    assert code == 2 and "does not unlock" in err

    monkeypatch.delenv(PASSPHRASE_ENV)
    code, _, err = _cli(capsys, "export", "--csv", str(target), *common)  # no terminal to ask on
    assert code == 2 and "--passphrase-file" in err and not target.exists()

    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    code, _, err = _cli(capsys, "export", "--csv", str(target), *common)
    assert code == 0, err
    assert [r["given_name"] for r in _read_csv(target).values()] == ["Samira"]


def test_without_sealed_signatures_export_and_stats_need_no_passphrase(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, database_url: str, client: TestClient,
    device: EnrolledDevice,
) -> None:
    _upload(client, device, [signature(seq=1), signature(seq=2)])
    target = tmp_path / "export.csv"
    code, out, err = _cli(capsys, "export", "--csv", str(target), *_common(tmp_path, database_url))
    assert code == 0, err
    assert "2 signatures" in out and len(_read_csv(target)) == 2
    code, out, err = _cli(capsys, "stats", "--dedupe", *_common(tmp_path, database_url))
    assert code == 0, err


def test_rotation_keeps_old_signatures_readable_and_devices_get_the_new_key(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, database_url: str, client: TestClient,
    published: Engine, device: EnrolledDevice,
) -> None:
    common = _common(tmp_path, database_url)
    secret = _passphrase_file(tmp_path)
    old = _active(published)
    before = _upload(client, device, [sealed_signature(old, seq=1, given_name="Old Key")])
    assert before[0]["outcome"] == "created"

    wrong = _passphrase_file(tmp_path, "a wrong passphrase here", "wrong")
    code, _, err = _cli(capsys, "keys", "rotate", "--passphrase-file", wrong, "--kdf-cost", TEST_KDF_COST, *common)
    assert code == 2 and "does not unlock" in err and _active(published) == old

    code, out, err = _cli(capsys, "keys", "rotate", "--passphrase-file", secret, "--kdf-cost", TEST_KDF_COST, *common)
    assert code == 0, err
    new = _active(published)
    assert new != old and new.key_id in out

    keys = ServerKeys.model_validate(client.get(f"{API_PREFIX}/keys", headers=device.headers).json())
    assert [(k.purpose, k.key_id, k.public_key) for k in keys.keys if k.purpose == "sealing"] == [
        ("sealing", new.key_id, new.b64)]
    fresh = client.post(f"{API_PREFIX}/enroll", json={"code": new_code(published), "device_public_key": public_key()})
    enrolled = EnrollResponse.model_validate(fresh.json())
    assert [k.key_id for k in enrolled.server_keys if k.purpose == "sealing"] == [new.key_id]

    # a device that has not heard of the rotation yet still seals to the old key: still accepted
    after = _upload(client, device, [sealed_signature(new, seq=2, given_name="New Key"),
                                     sealed_signature(old, seq=3, given_name="Late Old Key")])
    assert [r["outcome"] for r in after] == ["created", "created"]

    code, out, _ = _cli(capsys, "keys", "list", *common)
    assert code == 0
    listed = {cells[0]: (cells[1], cells[5]) for cells in (line.split() for line in out.splitlines()[1:])}
    assert listed == {old.key_id: ("old", "2"), new.key_id: ("active", "1")}  # state, signatures sealed to it

    target = tmp_path / "export.csv"
    code, out, err = _cli(capsys, "export", "--csv", str(target), "--passphrase-file", secret, *common)
    assert code == 0, err
    names = {r["given_name"]: r["sealed_key"] for r in _read_csv(target).values()}
    assert names == {"Old Key": old.key_id, "New Key": new.key_id, "Late Old Key": old.key_id}


def test_a_box_moved_onto_another_record_or_altered_does_not_open_and_is_reported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, database_url: str, client: TestClient,
    published: Engine, device: EnrolledDevice,
) -> None:
    key = _active(published)
    original = sealed_signature(key, seq=1, given_name="Hala", email="hala@example.org")
    # Someone with the database copies Hala's box onto a record of their own making...
    moved = {**sealed_signature(key, seq=2, given_name="Somebody"), "sealed": original["sealed"]}
    # ... or alters a box in place.
    raw = bytearray(base64.b64decode(original["sealed"]))
    raw[-1] ^= 1
    altered = {**sealed_signature(key, seq=3, given_name="Rami"), "sealed": base64.b64encode(bytes(raw)).decode()}
    results = _upload(client, device, [original, moved, altered])
    assert [r["outcome"] for r in results] == ["created"] * 3, results

    target = tmp_path / "export.csv"
    code, out, err = _cli(capsys, "export", "--csv", str(target), "--passphrase-file", _passphrase_file(tmp_path),
                          *_common(tmp_path, database_url))
    assert code == 1 and "2 sealed signatures did not open" in err
    assert moved["id"] in err and altered["id"] in err and original["id"] not in err
    rows = _read_csv(target)
    assert len(rows) == 3  # nothing dropped
    assert rows[original["id"]]["given_name"] == "Hala"
    for bad in (moved, altered):
        assert rows[bad["id"]]["sealed_status"] == sealing.DOES_NOT_OPEN
        assert rows[bad["id"]]["given_name"] == "" and rows[bad["id"]]["email"] == ""


def test_a_signature_sealed_to_a_key_the_server_does_not_hold_is_rejected(
    client: TestClient, published: Engine, device: EnrolledDevice,
) -> None:
    stranger = PublicKey(*_key_pair())
    payload = sealed_signature(stranger, seq=1)
    good = sealed_signature(_active(published), seq=2)
    results = _upload(client, device, [payload, good])
    assert results[0]["outcome"] == "rejected"
    assert results[0]["reason"] == REASON_SEALING_KEY_UNKNOWN and results[0]["field"] == "sealed_key"
    assert results[1]["outcome"] == "created"


def _key_pair() -> tuple[str, bytes]:
    raw = bytes(PrivateKey.generate().public_key)
    return key_id(raw), raw


def test_stats_dedupe_finds_repeat_signers_across_sealed_and_clear_signatures(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, database_url: str, client: TestClient,
    published: Engine, device: EnrolledDevice, other_device: EnrolledDevice, monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = _active(published)
    first = signature(seq=1, email="Nour.Khalil@Example.org")
    second = sealed_signature(key, seq=2, email="nour.khalil@example.org")  # same person, other case
    withdrawn = sealed_signature(key, seq=3, email="nour.khalil@example.org")
    void = signature(seq=4, given_name=None, family_name=None, email=None, city=None, voids=withdrawn["id"])
    alone = sealed_signature(key, seq=5, email="someone.else@example.org")
    _upload(client, device, [first, second, withdrawn, void, alone])
    phone_a = sealed_signature(key, "act-on-syria", seq=1, email=None, phone="+963 11 222 3333", country="SY")
    phone_b = signature("act-on-syria", seq=2, email="other@example.org", phone="+963112223333", country="SY")
    _upload(client, other_device, [phone_a, phone_b])

    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    code, out, err = _cli(capsys, "stats", "--dedupe", *_common(tmp_path, database_url))
    assert code == 0, err
    table = {line.split()[0]: line.split()[1:] for line in out.split("likely duplicate signers")[1].splitlines()[2:]
             if line.strip()}
    assert table["aleppo"] == ["1", "2", "1", "2"]  # signers, their signatures, extra, people counted
    assert table["act-on-syria"] == ["1", "2", "1", "1"]


# --- the keys themselves ---------------------------------------------------------------------------

def test_keys_open_only_with_the_passphrase_and_change_passphrase_re_encrypts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, database_url: str, server_engine: Engine,
) -> None:
    common = _common(tmp_path, database_url)
    secret = _passphrase_file(tmp_path)
    code, out, err = _cli(capsys, "keys", "list", *common)
    assert code == 0 and "keys init" in out
    short = _passphrase_file(tmp_path, "too short", "short")
    code, _, err = _cli(capsys, "keys", "init", "--passphrase-file", short, *common)
    assert code == 2 and "at least 12 characters" in err
    code, _, err = _cli(capsys, "keys", "init", "--passphrase-file", secret, "--kdf-cost", TEST_KDF_COST, *common)
    assert code == 0, err
    code, _, err = _cli(capsys, "keys", "init", "--passphrase-file", secret, *common)
    assert code == 2 and "keys rotate" in err

    with Session(server_engine) as session:
        (row,) = sealing.all_keys(session=session)
        ops, mem = sealing.KDF_COSTS[TEST_KDF_COST]
        assert (row.kdf, row.kdf_opslimit, row.kdf_memlimit) == ("argon2id13", ops, mem)
        assert len(base64.b64decode(row.kdf_salt)) == 16
        with pytest.raises(sealing.WrongPassphrase):
            sealing.unlock("correct horse battery stapler", session=session)
        keys = sealing.unlock(PASSPHRASE, session=session)
    private = keys[row.key_id]
    assert base64.b64encode(bytes(private.public_key)).decode() == row.public_key

    new_secret = _passphrase_file(tmp_path, "a brand new passphrase, ünïcödé", "new")
    code, out, err = _cli(capsys, "keys", "change-passphrase", "--passphrase-file", secret,
                          "--new-passphrase-file", new_secret, "--kdf-cost", TEST_KDF_COST, *common)
    assert code == 0, err
    with Session(server_engine) as session:
        with pytest.raises(sealing.WrongPassphrase):
            sealing.unlock(PASSPHRASE, session=session)
        again = sealing.unlock("a brand new passphrase, ünïcödé", session=session)
        decomposed = "a brand new passphrase, u\u0308ni\u0308co\u0308de\u0301"  # the same words, typed elsewhere
        assert bytes(sealing.unlock(decomposed, session=session)[row.key_id]) == bytes(private)
        (changed,) = sealing.all_keys(session=session)
    assert bytes(again[row.key_id]) == bytes(private)
    assert changed.kdf_salt != row.kdf_salt and changed.private_key_box != row.private_key_box


def test_the_database_file_holds_no_private_key_in_clear(tmp_path: Path, server_engine: Engine, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("reads the SQLite file")
    with write_session(server_engine) as session:
        sealing.create(PASSPHRASE, session=session, cost=TEST_KDF_COST)
        session.commit()
        private = next(iter(sealing.unlock(PASSPHRASE, session=session).values()))
    server_engine.dispose()
    raw = bytes(private)
    blob = b"".join(p.read_bytes() for p in (tmp_path / "server").glob("petition-server.sqlite3*"))
    for form in (raw, base64.b64encode(raw), raw.hex().encode(), PASSPHRASE.encode()):
        assert form not in blob


# --- publishing --------------------------------------------------------------------------------------

def _unpacked(data: bytes, dest: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        zf.extractall(dest)
    return dest


def test_publishing_injects_the_servers_key_and_refuses_without_one(tmp_path: Path, server_engine: Engine) -> None:
    aleppo = next(p for p in builtin_bundle_dirs() if p.name == "aleppo")
    with write_session(server_engine) as session, pytest.raises(campaigns.NoSealingKey, match="keys init"):
        campaigns.publish(aleppo, session=session)

    with write_session(server_engine) as session:
        sealing.create(PASSPHRASE, session=session, cost=TEST_KDF_COST)
        first = campaigns.publish(aleppo, session=session)
        again = campaigns.publish(aleppo, session=session)
        session.commit()
        found = campaigns.bundle("aleppo", 1, session=session)
    key = _active(server_engine)
    assert first.created and not again.created and again.bundle_sha256 == first.bundle_sha256
    assert found is not None
    data, _ = found
    assert zipfile.ZipFile(io.BytesIO(data)).read(SEALING_FILE) == campaigns.sealing_file(key, clear_postal_code=False)
    on_device = load_bundle(_unpacked(data, tmp_path / "device-aleppo"), source="server")
    assert on_device.sealing_mode == "required"
    assert on_device.manifest.sealing.public_key == key.b64 and on_device.manifest.sealing.key_id == key.key_id

    # the organiser's clear_postal_code is kept; mode "off" publishes without a key
    kept = copy_bundle("act-on-syria", tmp_path / "kept")
    (kept / "campaign.toml").write_text((kept / "campaign.toml").read_text() + "\n[sealing]\nclear_postal_code = true\n")
    off = copy_bundle("act-on-syria", tmp_path / "off")
    edit(off / "campaign.toml", 'slug = "act-on-syria"', 'slug = "unsealed"')
    (off / "campaign.toml").write_text((off / "campaign.toml").read_text() + '\n[sealing]\nmode = "off"\n')
    with write_session(server_engine) as session:
        campaigns.publish(kept, session=session)
        campaigns.publish(off, session=session)
        session.commit()
        kept_zip = campaigns.bundle("act-on-syria", 1, session=session)
        off_zip = campaigns.bundle("unsealed", 1, session=session)
    assert kept_zip is not None and off_zip is not None
    kept_bundle = load_bundle(_unpacked(kept_zip[0], tmp_path / "device-kept"), source="server")
    assert kept_bundle.manifest.sealing.clear_postal_code and kept_bundle.manifest.sealing.public_key == key.b64
    assert SEALING_FILE not in zipfile.ZipFile(io.BytesIO(off_zip[0])).namelist()
    assert load_bundle(_unpacked(off_zip[0], tmp_path / "device-off"), source="server").sealing_mode == "off"


def test_a_sealing_file_left_in_a_folder_to_publish_is_refused(tmp_path: Path, server_engine: Engine) -> None:
    """Only the server writes sealing.toml: one copied from elsewhere (say mode = "off") decides nothing."""
    folder = copy_bundle("act-on-syria", tmp_path)
    (folder / SEALING_FILE).write_text('mode = "off"\n', encoding="utf-8")
    with write_session(server_engine) as session:
        sealing.create(PASSPHRASE, session=session, cost=TEST_KDF_COST)
        with pytest.raises(BundleError, match="remove this file"):
            campaigns.publish(folder, session=session)


@pytest.mark.parametrize("slug", ["../outside", "/abs", "a/b", ""])
def test_a_campaign_list_with_a_path_for_a_slug_does_not_parse(slug: str) -> None:
    """Devices make folders from listed slugs (db/sync/bundles.py)."""
    entry = {"slug": slug, "version": 1, "title": "t", "goal": 1, "bundle_sha256": "0" * 64, "bundle_size": 1,
             "locale_hashes": {}, "published_at": "2026-01-01T00:00:00Z", "closed": False}
    with pytest.raises(ValidationError):
        CampaignEntry.model_validate(entry)


def test_after_rotation_published_versions_keep_their_key_and_new_versions_get_the_new_one(
    tmp_path: Path, published: Engine,
) -> None:
    aleppo = next(p for p in builtin_bundle_dirs() if p.name == "aleppo")
    old = _active(published)
    with write_session(published) as session:
        before = campaigns.bundle("aleppo", 1, session=session)
        sealing.rotate(PASSPHRASE, session=session, cost=TEST_KDF_COST)
        session.commit()
    new = _active(published)
    assert before is not None
    with write_session(published) as session:
        same = campaigns.publish(aleppo, session=session)  # a deploy script publishing everything again
        assert not same.created and same.bundle_sha256 == before[1]
        v2 = copy_bundle("aleppo", tmp_path)
        edit(v2 / "campaign.toml", "version = 1", "version = 2")
        assert campaigns.publish(v2, session=session).created
        session.commit()
        found = campaigns.bundle("aleppo", 2, session=session)
    assert found is not None
    assert old.key_id.encode() in zipfile.ZipFile(io.BytesIO(before[0])).read(SEALING_FILE)
    assert new.key_id.encode() in zipfile.ZipFile(io.BytesIO(found[0])).read(SEALING_FILE)


def test_migrating_a_database_of_the_previous_schema_keeps_every_row(
    tmp_path: Path, client: TestClient, published: Engine, device: EnrolledDevice, backend: str,
) -> None:
    if backend != "sqlite":
        pytest.skip("downgrades the shared PostgreSQL schema")
    stored = [signature(seq=i) for i in range(1, 4)]
    _upload(client, device, stored)
    engine = make_engine(sqlite_url(tmp_path / "server"))
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "s0002")
    assert current_revision(engine) == "s0002"
    upgrade(engine)
    with Session(engine) as session:
        ids = set(session.exec(select(StoredSignature.id)).all())
        assert sealing.all_keys(session=session) == []  # the table came back empty: keys are made by the operator
    assert {s["id"] for s in stored} <= ids
    engine.dispose()
