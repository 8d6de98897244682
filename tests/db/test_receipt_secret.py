"""The receipt secret: a signature saved with a receipt link carries the SHA-256 of a random secret
(``receipt_sha256``); the secret itself is shown only in the thank-you page's QR code and is never
written anywhere on the device. Signatures without one hash exactly as before the field existed."""

from __future__ import annotations

import csv
import hashlib
import sqlite3
from datetime import UTC, datetime

import orjson
import pytest
from pydantic import ValidationError

from db import export
from db.paths import database_path
from db.schemas import SignatureCreate, content_hash, wire_payload
from db.signatures import new_receipt_secret, receipt_sha256, receipt_url
from utils.factories import record_input, save
from utils.traces import find_traces

SHA = "ab" * 32
AT = datetime(2026, 11, 21, 12, 0, 0, tzinfo=UTC)
OLD_RECORD = {
    "id": "0190c0de-0000-7000-8000-000000000001", "seq": 7, "campaign_slug": "act-on-syria", "campaign_version": 1,
    "letter_sha256": SHA, "locale": "en", "consent_processing": True, "consent_text_sha256": SHA,
    "consent_locale": "en", "consent_given_at": AT, "utc_offset_minutes": 60, "created_at": AT,
    "given_name": "Ada", "email": "ada@example.org", "consent_updates": False,
}
# content_hash(OLD_RECORD) as the release before receipt secrets computed it.
OLD_HASH = "2919fc4835d487033b93468f48e41bc41aca1bbd85d4c6adc11f146c05dbcc3f"


def test_the_content_hash_of_a_signature_without_a_receipt_hash_is_unchanged() -> None:
    record = SignatureCreate.model_validate(OLD_RECORD)
    assert "receipt_sha256" not in wire_payload(record)
    assert content_hash(record) == OLD_HASH
    with_hash = SignatureCreate.model_validate({**OLD_RECORD, "receipt_sha256": "cd" * 32})
    assert wire_payload(with_hash)["receipt_sha256"] == "cd" * 32
    assert content_hash(with_hash) != OLD_HASH
    payload = wire_payload(with_hash)
    assert content_hash(with_hash) == hashlib.sha256(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)).hexdigest()


@pytest.mark.parametrize("bad", ["", "AB" * 32, "ab" * 31, "ab" * 33, "zz" * 32, new_receipt_secret()])
def test_a_receipt_hash_is_64_lower_case_hex_digits(bad: str) -> None:
    with pytest.raises(ValidationError):
        SignatureCreate.model_validate(record_input(receipt_sha256=bad))


def test_the_device_saves_the_hash_of_the_secret_and_never_the_secret(engine, data_dir, tmp_path) -> None:
    secrets = [new_receipt_secret() for _ in range(3)]
    assert len(set(secrets)) == 3 and all(len(s) >= 22 for s in secrets)
    saved = [save(engine, receipt_secret=s) for s in secrets]
    plain = save(engine)  # no receipt link: no hash
    con = sqlite3.connect(database_path(data_dir))
    try:
        stored = dict(con.execute("SELECT id, receipt_sha256 FROM signature").fetchall())
        # the immutability trigger covers the new column
        with pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):
            con.execute("UPDATE signature SET receipt_sha256 = ? WHERE id = ?", ("00" * 32, saved[0].id))
        with pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):
            con.execute("UPDATE signature SET receipt_sha256 = ? WHERE id = ?", ("00" * 32, plain.id))
    finally:
        con.close()
    assert [stored[s.id] for s in saved] == [hashlib.sha256(k.encode()).hexdigest() for k in secrets]
    assert [stored[s.id] for s in saved] == [receipt_sha256(k) for k in secrets]
    assert stored[plain.id] is None

    target = tmp_path / "export.csv"
    export.export_csv(target, engine=engine)
    with target.open(encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) == 4
    engine.dispose()
    assert find_traces([data_dir, tmp_path], secrets) == []


def test_the_receipt_url_carries_the_secret_as_k() -> None:
    template = "https://petitions.example.org/receipt/{id}"
    assert receipt_url(template, "abc", "s3cr3t") == "https://petitions.example.org/receipt/abc?k=s3cr3t"
    assert receipt_url(template, "abc", None) == "https://petitions.example.org/receipt/abc"
    assert receipt_url("https://x.example/r?id={id}", "abc", "s") == "https://x.example/r?id=abc&k=s"
    assert receipt_url("https://x.example/r/{id}#top", "abc", "s") == "https://x.example/r/abc?k=s#top"
