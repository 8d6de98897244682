"""Sealed mode on the device: a signer's details are encrypted to the server's key when they are saved,
and nothing readable of them stays on disk (database, WAL, SHM, backups, exports, anything else in the
data directory), in any encoding SQLite or a log would use."""

from __future__ import annotations

import base64
import csv
import hashlib
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest
from nacl.public import PrivateKey
from pydantic import ValidationError
from sqlalchemy.engine import Engine

from db import campaigns, export, retention, sealing
from db.engine import write_session
from db.migrate import backup_database
from db.paper import import_paper
from db.paths import database_path
from db.schemas import SignatureCreate, content_hash, wire_payload
from db.sealing import SealedOpenError, SealingUnavailable
from db.signatures import deterministic_id
from utils.factories import acknowledge, builtin_campaign, copy_bundle, record_input, save, write_csv
from utils.sealing import give_key
from utils.traces import find_traces

SIGNERS = [
    ("نورهان", "الزيتوني", "nourhan.z@example.org"),
    ("Mazen", "Darwish", "mazen.d@example.org"),
    ("Yara", "Bader-Ḥalabi", "yara.b@example.de"),
]


def rows(engine: Engine) -> list[dict[str, object]]:
    raw = engine.raw_connection()
    try:
        cur = raw.cursor().execute("SELECT * FROM signature ORDER BY seq")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    finally:
        raw.close()


def bundle_with(tmp_path: Path, sealing_toml: str) -> campaigns.Campaign:
    folder = copy_bundle("act-on-syria", tmp_path)
    with (folder / "campaign.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n[sealing]\n" + sealing_toml + "\n")
    return campaigns.load_bundle(folder, source="import")


@pytest.fixture
def private() -> PrivateKey:
    return PrivateKey.generate()


def test_the_demo_campaign_saves_in_clear_until_the_device_holds_a_key(engine, private) -> None:
    campaign = builtin_campaign("act-on-syria")
    assert campaign.sealing_mode == "when-key"
    save(engine, given_name="Before", family_name="Key")
    key = give_key(engine, private)
    saved = save(engine, given_name=SIGNERS[0][0], family_name=SIGNERS[0][1], email=SIGNERS[0][2])

    before, after = rows(engine)
    assert before["given_name"] == "Before" and before["sealed"] is None and before["sealed_key"] is None
    assert after["id"] == saved.id
    assert after["sealed_key"] == key.key_id
    for name in ("given_name", "family_name", "email", "postal_code", "country", "phone", "city", "comment"):
        assert after[name] is None, name
    # What stays readable: campaign, version, locale, event, times, mode, consent.
    assert after["campaign_slug"] == "act-on-syria" and after["locale"] == "en" and after["mode"] == "kiosk"
    assert after["consent_processing"] == 1 and after["consent_updates"] == 0
    opened = sealing.open_sealed(str(after["sealed"]), saved.id, private)
    assert opened == {"given_name": SIGNERS[0][0], "family_name": SIGNERS[0][1], "email": SIGNERS[0][2],
                      "postal_code": "10115", "country": "DE", "phone": None, "city": None, "comment": None,
                      "signature_svg": None}


def test_nothing_readable_of_a_sealed_signer_is_left_anywhere_in_the_data_directory(engine, data_dir, private) -> None:
    give_key(engine, private)
    backup_database(database_path(data_dir), "before-test")  # a migration backup, taken before any signer
    for given, family, email in SIGNERS * 5:
        save(engine, given_name=given, family_name=family, email=email)
    export.export_csv(data_dir / "export.csv", engine=engine)
    backup_database(database_path(data_dir), "after-signing")  # and one that holds the sealed rows
    wal = database_path(data_dir).with_name(database_path(data_dir).name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0  # the rows are still in the WAL: it is searched too

    words = [w for signer in SIGNERS for w in signer] + ["example.org", "10115"]
    assert find_traces([data_dir], words) == []
    # The search finds what is there: the same names saved in clear would be found.
    assert find_traces([data_dir], ["act-on-syria"]) != []


def test_no_hash_of_a_signers_details_is_kept(engine, private) -> None:
    """A hash of an email on the device would let anyone holding it test whether a person signed."""
    give_key(engine, private)
    given, family, email = SIGNERS[1]
    save(engine, given_name=given, family_name=family, email=email)
    blob = database_path(Path(str(engine.url.database)).parent).read_bytes()
    for value in (email, given, family, f"{given} {family}"):
        for digest in (hashlib.sha256(value.encode()).hexdigest(), hashlib.md5(value.encode()).hexdigest()):
            assert digest.encode() not in blob


def test_a_required_campaign_without_a_key_cannot_collect_and_stores_nothing(engine, tmp_path, private) -> None:
    campaign = bundle_with(tmp_path, 'mode = "required"')
    with write_session(engine) as session:
        campaigns.register(campaign, session=session)
        session.commit()
    assert campaign.sealing_mode == "required"
    assert not sealing.can_collect(campaign, engine=engine)
    with pytest.raises(SealingUnavailable) as refused:
        save(engine, campaign.localised("en"), given_name="Nobody")
    assert refused.value.key == sealing.KEY_MISSING
    assert rows(engine) == []

    give_key(engine, private)
    assert sealing.can_collect(campaign, engine=engine)
    save(engine, campaign.localised("en"), given_name="Somebody")
    (row,) = rows(engine)
    assert row["given_name"] is None and row["sealed"] is not None


def test_a_bundle_that_carries_a_key_seals_to_it_and_is_required(engine, tmp_path, private) -> None:
    own = PrivateKey.generate()
    raw = bytes(own.public_key)
    campaign = bundle_with(tmp_path, f'public_key = "{base64.b64encode(raw).decode()}"')
    with write_session(engine) as session:
        campaigns.register(campaign, session=session)
        session.commit()
    assert campaign.sealing_mode == "required"
    give_key(engine, private)  # the device's key is not the campaign's
    saved = save(engine, campaign.localised("en"), given_name="Rasha")
    (row,) = rows(engine)
    assert row["sealed_key"] == sealing.key_id(raw)
    assert sealing.open_sealed(str(row["sealed"]), saved.id, own)["given_name"] == "Rasha"
    with pytest.raises(SealedOpenError):
        sealing.open_sealed(str(row["sealed"]), saved.id, private)


def test_sealing_off_never_seals_and_a_kept_postal_code_stays_readable(engine, tmp_path, private) -> None:
    give_key(engine, private)
    off = bundle_with(tmp_path / "off", 'mode = "off"')
    postal = bundle_with(tmp_path / "postal", "clear_postal_code = true")
    with write_session(engine) as session:
        campaigns.register(off, session=session)
        session.commit()
    save(engine, off.localised("en"), given_name="Clear")
    save(engine, postal.localised("en"), given_name="Hidden")
    clear, sealed_row = rows(engine)
    assert clear["given_name"] == "Clear" and clear["sealed"] is None
    assert sealed_row["given_name"] is None and sealed_row["postal_code"] == "10115"
    assert "postal_code" not in sealing.open_sealed(str(sealed_row["sealed"]), str(sealed_row["id"]), private)


def test_a_sealed_box_opens_only_as_its_own_signature_and_only_with_its_key(private) -> None:
    key = sealing.PublicKey(sealing.key_id(bytes(private.public_key)), bytes(private.public_key))
    record = sealing.seal(SignatureCreate.model_validate(record_input(given_name="Lina")), key)
    other = SignatureCreate.model_validate(record_input())
    assert sealing.open_sealed(str(record.sealed), record.id, private)["given_name"] == "Lina"
    with pytest.raises(SealedOpenError, match="another signature"):
        sealing.open_sealed(str(record.sealed), other.id, private)
    with pytest.raises(SealedOpenError):
        sealing.open_sealed(str(record.sealed), record.id, PrivateKey.generate())
    tampered = bytearray(base64.b64decode(str(record.sealed)))
    tampered[-1] ^= 1
    with pytest.raises(SealedOpenError):
        sealing.open_sealed(base64.b64encode(bytes(tampered)).decode(), record.id, private)
    # Sealing twice gives other bytes (a fresh ephemeral key each time): the box is fixed at save time.
    assert sealing.seal(SignatureCreate.model_validate(record_input(given_name="Lina")), key).sealed != record.sealed


@pytest.mark.parametrize("change", [
    {"given_name": "Clear"},            # a sealed record carries no clear name
    {"sealed_key": None},               # sealed data names its key
    {"sealed": "not base64!" * 8},
    {"sealed_key": "XYZ"},
])
def test_the_wire_schema_refuses_half_sealed_records(private, change) -> None:
    key = sealing.PublicKey(sealing.key_id(bytes(private.public_key)), bytes(private.public_key))
    sealed = sealing.seal(SignatureCreate.model_validate(record_input(given_name="Lina")), key)
    data = {**wire_payload(sealed), **change}
    with pytest.raises(ValidationError):
        SignatureCreate.model_validate(data)
    assert SignatureCreate.model_validate(wire_payload(sealed)).sealed == sealed.sealed


def test_the_content_hash_of_a_signature_without_the_new_fields_is_unchanged() -> None:
    """Signatures saved before sealing existed must hash as they did, or a retry after an upgrade
    would be a conflict on the server."""
    record = SignatureCreate.model_validate(record_input())
    payload = wire_payload(record)
    assert not {"sealed", "sealed_key", "signature_svg"} & set(payload)
    assert content_hash(record) == hashlib.sha256(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)).hexdigest()


def test_paper_rows_of_a_sealed_campaign_get_ids_from_the_file_not_from_the_signers(engine, tmp_path, private) -> None:
    give_key(engine, private)
    campaign = builtin_campaign("act-on-syria")
    path = write_csv(tmp_path / "sheets.csv", [
        ["sheet", "given_name", "family_name", "email"],
        ["7", SIGNERS[0][0], SIGNERS[0][1], SIGNERS[0][2]],
        ["7", SIGNERS[1][0], SIGNERS[1][1], ""],
    ])
    first = import_paper(path, engine=engine, campaign=campaign)
    again = import_paper(path, engine=engine, campaign=campaign)
    assert (first.saved, again.saved, again.duplicates) == (2, 0, 2)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    stored = rows(engine)
    assert [r["id"] for r in stored] == [deterministic_id("act-on-syria", "7", digest, f"line {n}") for n in (2, 3)]
    assert all(r["mode"] == "paper" and r["paper_sheet"] == "7" and r["given_name"] is None for r in stored)
    path.unlink()
    assert find_traces([Path(str(engine.url.database)).parent], [w for s in SIGNERS[:2] for w in s]) == []


def test_retention_blanks_the_sealed_data_and_keeps_the_receipt(engine, data_dir, private) -> None:
    key = give_key(engine, private)
    saved = save(engine, given_name="Purged")
    acknowledge(engine, [saved.id], datetime.now(UTC) - timedelta(days=1))
    report = retention.purge(engine=engine, data_dir=data_dir, retention_days=0)
    assert report.purged == 1
    (row,) = rows(engine)
    assert row["sealed"] is None and row["sealed_key"] == key.key_id and row["content_hash"] == saved.content_hash


def test_the_export_says_how_many_rows_are_sealed_and_leaves_their_boxes_out(engine, data_dir, private) -> None:
    save(engine, given_name="Clear")
    give_key(engine, private)
    save(engine, given_name=SIGNERS[0][0])
    report = export.export_csv(data_dir / "out.csv", engine=engine)
    assert (report.rows, report.sealed) == (2, 1)
    with open(data_dir / "out.csv", encoding="utf-8-sig", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert "sealed" not in table[0]
    assert [r["given_name"] for r in table] == ["Clear", ""]
    assert table[1]["sealed_key"] != "" and table[0]["sealed_key"] == ""


def test_a_device_that_held_a_key_keeps_it_when_a_server_sends_none(engine, private) -> None:
    key = give_key(engine, private)
    with write_session(engine) as session:
        assert sealing.remember_keys([{"purpose": "signing", "public_key": "x"}], server_url=None, session=session) is None
        assert sealing.remember_keys([{"purpose": "sealing", "public_key": "broken"}], server_url=None, session=session) is None
        session.commit()
    assert sealing.device_key(engine) == (key, True)


def test_a_rotated_key_becomes_the_active_one(engine, private) -> None:
    give_key(engine, private)
    newer = PrivateKey.generate()
    key = give_key(engine, newer)
    assert sealing.device_key(engine)[0] == key
    saved = save(engine, given_name="After rotation")
    assert sealing.open_sealed(str(rows(engine)[0]["sealed"]), saved.id, newer)["given_name"] == "After rotation"
    con = sqlite3.connect(str(engine.url.database))
    try:
        assert con.execute("SELECT count(*), sum(active) FROM sealing_key").fetchone() == (2, 1)
    finally:
        con.close()


def test_the_box_length_does_not_tell_how_long_the_details_are(private) -> None:
    key = sealing.PublicKey(sealing.key_id(bytes(private.public_key)), bytes(private.public_key))
    short = sealing.seal(SignatureCreate.model_validate(record_input(given_name="Al")), key)
    long = sealing.seal(SignatureCreate.model_validate(record_input(
        given_name="Maria-Magdalena", family_name="Al-Khatib", email="maria.magdalena@example.org")), key)
    assert len(str(short.sealed)) == len(str(long.sealed))
    assert sealing.open_sealed(str(long.sealed), long.id, private)["email"] == "maria.magdalena@example.org"
