"""The save path (db/signatures.py) on a real database file: what a saved row holds, that it can never
change, voids, counts, and the SQLite settings every connection runs with."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from db import validation as v
from db.engine import BUSY_TIMEOUT_MS
from db.paths import database_path
from db.schemas import Mode, content_hash
from db.signatures import (
    build_record,
    count_by_state,
    count_for_campaign,
    get,
    save_record,
    save_signature,
    void_signature,
)
from utils.factories import builtin_campaign, make_draft, save


def _raw_row(data_dir: Path, signature_id: str) -> sqlite3.Row | None:
    """The row as a separate connection sees it: only committed data is visible there."""
    con = sqlite3.connect(database_path(data_dir))
    con.row_factory = sqlite3.Row
    try:
        return con.execute("SELECT * FROM signature WHERE id = ?", (signature_id,)).fetchone()
    finally:
        con.close()


def test_a_saved_signature_is_committed_with_its_evidence(engine, data_dir, campaign) -> None:
    shown = campaign.localised("en")
    before = datetime.now(UTC)
    saved = save(engine, shown, consent_updates=True)

    row = _raw_row(data_dir, saved.id)
    assert row is not None, "save_signature returned before its commit"
    assert uuid.UUID(row["id"]).version == 7
    assert row["seq"] == saved.seq == 1
    assert (row["campaign_slug"], row["campaign_version"]) == ("act-on-syria", 1)
    assert row["letter_sha256"] == shown.letter_sha256 == hashlib.sha256(shown.letter_text.encode()).hexdigest()
    assert (row["locale"], row["consent_locale"], row["mode"]) == ("en", "en", "kiosk")
    assert (row["consent_processing"], row["consent_updates"]) == (1, 1)
    assert row["consent_text_sha256"] == shown.consent_sha256
    assert shown.consent_sha256 == hashlib.sha256(
        f"{shown.consent_processing}\n\n{shown.consent_updates}".encode()).hexdigest()
    given_at = datetime.fromisoformat(row["consent_given_at"]).replace(tzinfo=UTC)
    assert before - timedelta(seconds=1) <= given_at <= datetime.now(UTC)
    assert (row["given_name"], row["email"], row["country"]) == ("Ada", "ada@example.org", "DE")
    assert row["sync_state"] == "pending"
    assert row["content_hash"] == saved.content_hash

    with Session(engine) as session:
        stored = get(saved.id, session=session)
        assert stored is not None
        assert content_hash(stored) == saved.content_hash


def test_the_save_path_reads_a_record_as_model_dump_gives_it(campaign) -> None:
    """save_record copies a validated record's values straight from pydantic's __dict__ (speed);
    that must stay exactly what model_dump() gives, or what is stored and hashed would drift."""
    record = build_record(make_draft(email="ada@example.org", consent_updates=True), campaign.localised("en"))
    assert record.__dict__ == record.model_dump()
    assert list(record.__dict__) == list(type(record).model_fields)


@pytest.fixture
def timezone() -> Iterator[None]:
    """Lets a test set TZ; restores the process's time zone afterwards."""
    old = os.environ.get("TZ")
    yield
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


# POSIX TZ strings (their sign is the reverse of ISO's), so the test needs no time zone database.
@pytest.mark.parametrize("zone, offset", [("UTC0", 0), ("IST-5:30", 330), ("NPT-5:45", 345), ("VET4", -240)])
def test_the_signers_utc_offset_is_recorded(engine, data_dir, timezone, zone, offset) -> None:
    os.environ["TZ"] = zone
    time.tzset()
    saved = save(engine)
    row = _raw_row(data_dir, saved.id)
    assert row is not None and row["utc_offset_minutes"] == offset


def test_sequence_numbers_and_ids_increase(engine) -> None:
    saved = [save(engine, email=f"s{i}@example.org") for i in range(5)]
    assert [s.seq for s in saved] == [1, 2, 3, 4, 5]
    assert [s.id for s in saved] == sorted(s.id for s in saved)  # UUIDv7 sort by time
    assert len({s.id for s in saved}) == 5


def test_concurrent_writers_get_distinct_sequence_numbers(engine) -> None:
    results: list[int] = []
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(10):
                results.append(save(engine, email=f"w{n}.{i}@example.org").seq)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results) == list(range(1, 41))


@pytest.mark.parametrize("statement", [
    "UPDATE signature SET given_name = 'Someone else' WHERE id = :id",
    "UPDATE signature SET content_hash = 'x' WHERE id = :id",
    "UPDATE signature SET consent_processing = 0 WHERE id = :id",
    "UPDATE signature SET seq = 99 WHERE id = :id",
    "DELETE FROM signature WHERE id = :id",
])
def test_a_saved_signature_cannot_be_changed_or_deleted(engine, data_dir, statement) -> None:
    saved = save(engine)
    before = dict(_raw_row(data_dir, saved.id))
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.exec_driver_sql(statement.replace(":id", "?"), (saved.id,))
    assert dict(_raw_row(data_dir, saved.id)) == before


def test_only_the_sync_columns_move(engine, data_dir) -> None:
    saved = save(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE signature SET sync_state = 'acked', acked_at = '2026-01-01 00:00:00', sync_reason = NULL "
            "WHERE id = ?", (saved.id,))
    row = _raw_row(data_dir, saved.id)
    assert row is not None and row["sync_state"] == "acked"
    with Session(engine) as session:
        assert count_by_state(session=session) == {"acked": 1}


def test_a_void_counts_minus_one_and_points_at_the_original(engine, data_dir) -> None:
    first = save(engine)
    save(engine, email="second@example.org")
    void = void_signature(first.id, engine=engine)
    row = _raw_row(data_dir, void.id)
    assert row is not None
    assert row["voids"] == first.id
    assert row["mode"] == Mode.ASSISTED
    assert row["seq"] == 3
    assert all(row[name] is None for name in ("given_name", "family_name", "email", "postal_code", "country"))
    assert _raw_row(data_dir, first.id) is not None  # the original stays: it is evidence
    with Session(engine) as session:
        assert count_for_campaign("act-on-syria", session=session) == 1
        assert count_by_state(session=session) == {"pending": 3}
    with pytest.raises(KeyError):
        void_signature(str(uuid.uuid4()), engine=engine)


def test_counts_are_per_campaign(engine) -> None:
    aleppo = builtin_campaign("aleppo").localised("en")
    for i in range(3):
        save(engine, email=f"a{i}@example.org")
    for i in range(2):
        save(engine, aleppo, email=f"b{i}@example.org", postal_code=None, country=None, city="Aleppo")
    with Session(engine) as session:
        assert count_for_campaign("act-on-syria", session=session) == 3
        assert count_for_campaign("aleppo", session=session) == 2
        assert count_for_campaign("no-such-campaign", session=session) == 0


def test_a_rejected_signature_writes_nothing(engine, data_dir) -> None:
    with pytest.raises(v.SignatureInvalid):
        save(engine, email="not-an-email")
    con = sqlite3.connect(database_path(data_dir))
    try:
        assert con.execute("SELECT COUNT(*) FROM signature").fetchone() == (0,)
    finally:
        con.close()


def test_saving_the_same_id_twice_is_a_duplicate(engine, campaign) -> None:
    record = build_record(make_draft(id=str(uuid.uuid4())), campaign.localised("en"))
    first = save_record(record, engine=engine)
    again = save_record(record, engine=engine)
    assert not first.duplicate and again.duplicate
    assert (again.id, again.seq, again.content_hash) == (first.id, first.seq, first.content_hash)
    with Session(engine) as session:
        assert count_for_campaign("act-on-syria", session=session) == 1


def test_pragmas_of_every_connection(engine) -> None:
    with engine.connect() as connection:
        def pragma(name: str) -> object:
            return connection.exec_driver_sql(f"PRAGMA {name}").scalar()

        assert pragma("foreign_keys") == 1
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("busy_timeout") == BUSY_TIMEOUT_MS


def test_foreign_keys_are_enforced(engine, campaign) -> None:
    with pytest.raises(IntegrityError):
        save_signature(make_draft(event_id=str(uuid.uuid4())), engine=engine, shown=campaign.localised("en"))
    with Session(engine) as session:
        assert count_for_campaign("act-on-syria", session=session) == 0
