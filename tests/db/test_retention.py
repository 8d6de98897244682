"""Retention: acknowledged signatures lose their personal data after the retention period, keep their
receipts, and leave no trace of a purged name in the database file, its WAL or the migration backups.
Unacknowledged signatures are never touched."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from db import audit, retention
from db.migrate import backup_database
from db.paths import database_path
from db.signatures import count_for_campaign, live_count
from utils.factories import acknowledge, save
from utils.traces import find_traces

PURGED = ("نورهان", "Zaytouni")  # names of acknowledged signers: must vanish
KEPT = ("ميسون", "Qabbani")  # names of a signer the server has not acknowledged: must stay


def _files(data_dir: Path) -> list[Path]:
    db = database_path(data_dir)
    found = [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"), *(data_dir / "backups").glob("*")]
    return [p for p in found if p.exists()]


def _traces(data_dir: Path, words: tuple[str, ...]) -> list[tuple[str, str]]:
    return find_traces(_files(data_dir), words)


def _row(engine: Engine, signature_id: str) -> dict[str, object]:
    raw = engine.raw_connection()
    try:
        cur = raw.cursor().execute("SELECT * FROM signature WHERE id = ?", (signature_id,))
        return dict(zip([d[0] for d in cur.description], cur.fetchone(), strict=True))
    finally:
        raw.close()


@pytest.fixture
def signed(engine: Engine, data_dir: Path) -> dict[str, list[str]]:
    old = [save(engine, given_name=PURGED[0], family_name=f"{PURGED[1]} {i}", email=f"n{i}@example.org").id
           for i in range(30)]
    recent = save(engine, given_name="Recent", family_name="Acked").id
    pending = save(engine, given_name=KEPT[0], family_name=KEPT[1], email="m@example.org").id
    backup_database(database_path(data_dir), "before-test")  # a migration backup holding every name
    now = datetime.now(UTC)
    acknowledge(engine, old, now - timedelta(days=8))
    acknowledge(engine, [recent], now - timedelta(days=2))
    return {"old": old, "recent": [recent], "pending": [pending]}


def test_purge_keeps_receipts_and_never_touches_unacknowledged_rows(engine, data_dir, signed):
    before = {i: _row(engine, i) for ids in signed.values() for i in ids}
    with Session(engine) as session:
        count_before = count_for_campaign("act-on-syria", session=session)
        live_before = live_count("act-on-syria", session=session)

    report = retention.purge(engine=engine, data_dir=data_dir, retention_days=7)

    assert report.purged == 30 and report.checkpointed and len(report.backups_purged) == 1
    for signature_id in signed["old"]:
        row, old = _row(engine, signature_id), before[signature_id]
        assert all(row[name] is None for name in ("given_name", "family_name", "email", "postal_code", "country"))
        for name in ("id", "seq", "campaign_slug", "created_at", "content_hash", "acked_at", "sync_state",
                     "consent_given_at", "consent_text_sha256"):
            assert row[name] == old[name], name  # the receipt
        assert row["purged_at"] is not None
    for signature_id in signed["recent"] + signed["pending"]:
        assert _row(engine, signature_id) == before[signature_id]  # inside the period / unacknowledged
    with Session(engine) as session:
        assert count_for_campaign("act-on-syria", session=session) == count_before
        assert live_count("act-on-syria", session=session) == live_before
        (entry,) = audit.recent(session=session, kind="purge")
        assert entry.detail["signatures"] == 30 and entry.detail["backups"] == 1

    again = retention.purge(engine=engine, data_dir=data_dir, retention_days=7)
    assert again.purged == 0 and again.backups_purged == []


def test_no_purged_name_is_left_in_the_database_its_wal_or_the_backups(engine, data_dir, signed):
    assert _traces(data_dir, PURGED)  # the test can see them before
    retention.purge(engine=engine, data_dir=data_dir, retention_days=7)
    engine.dispose()
    assert _traces(data_dir, PURGED) == []
    kept = {word for _name, word in _traces(data_dir, KEPT)}
    assert any(KEPT[0] in w for w in kept) and any(KEPT[1] in w for w in kept)  # unacknowledged: still there
    for path in _files(data_dir):
        if path.suffix == ".sqlite3" or path.name.endswith(".db"):
            con = sqlite3.connect(path)
            assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            con.close()


def test_zero_days_purges_right_after_acknowledgement(engine, data_dir, signed):
    report = retention.purge(engine=engine, data_dir=data_dir, retention_days=0)
    assert report.purged == 31  # the recent one too, never the pending one
    assert _row(engine, signed["pending"][0])["given_name"] == KEPT[0]


def test_the_database_refuses_any_other_change_of_a_signature(engine, data_dir, signed):
    from sqlalchemy.exc import DBAPIError

    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        # Blanking an unacknowledged row, changing a name, or un-acknowledging a purged row: all refused.
        for sql, args in (
            ("UPDATE signature SET given_name = NULL, family_name = NULL, email = NULL, postal_code = NULL, "
             "country = NULL, purged_at = '2030-01-01' WHERE id = ?", signed["pending"]),
            ("UPDATE signature SET given_name = 'X' WHERE id = ?", signed["old"][:1]),
        ):
            with pytest.raises((sqlite3.DatabaseError, DBAPIError)):
                cur.execute(sql, args)
    finally:
        raw.close()
    retention.purge(engine=engine, data_dir=data_dir, retention_days=7)
    raw = engine.raw_connection()
    try:
        with pytest.raises(sqlite3.DatabaseError):
            raw.cursor().execute("UPDATE signature SET sync_state = 'pending' WHERE id = ?", signed["old"][:1])
    finally:
        raw.close()
