"""Schema migrations: the head revision, models against the migrated schema, upgrading an old database
with its rows (and a backup first), and refusing a database from a newer version."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import Session, SQLModel

from db import migrate
from db.engine import make_engine
from db.migrate import BACKUP_DIR, HEAD_REVISION, DatabaseTooNew, open_database
from db.paths import database_path
from db.schemas import Mode
from db.signatures import count_for_campaign
from utils.factories import save

SHA = "a" * 64


def test_head_revision_is_alembics_head() -> None:
    script = ScriptDirectory.from_config(migrate._alembic_config())
    assert script.get_heads() == [HEAD_REVISION]


def test_models_match_the_migrated_schema(data_dir: Path) -> None:
    engine = open_database(data_dir)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, SQLModel.metadata) == []
    finally:
        engine.dispose()


def test_a_fresh_database_gets_no_backup(data_dir: Path) -> None:
    open_database(data_dir).dispose()
    assert migrate.current_revision(database_path(data_dir)) == HEAD_REVISION
    backups = data_dir / BACKUP_DIR
    assert not backups.exists() or not any(backups.iterdir())
    open_database(data_dir).dispose()  # opening again at head: still nothing to back up
    assert not backups.exists() or not any(backups.iterdir())


def _signature_row(seq: int, slug: str, voids: str | None = None) -> dict[str, object]:
    return {
        "id": str(uuid.uuid4()), "seq": seq, "campaign_slug": slug, "campaign_version": 1,
        "letter_sha256": SHA, "locale": "ar", "event_id": None, "mode": "kiosk", "paper_sheet": None,
        "given_name": None if voids else "محمد", "family_name": None if voids else f"Signer {seq}",
        "email": None, "phone": None, "postal_code": None, "city": None, "country": None, "comment": None,
        "consent_processing": 0 if voids else 1, "consent_updates": None, "consent_text_sha256": SHA,
        "consent_locale": "ar", "consent_given_at": "2026-01-02 10:00:00.000000", "utc_offset_minutes": 120,
        "created_at": "2026-01-02 10:00:00.000000", "voids": voids, "content_hash": SHA,
        "sync_state": "acked" if seq == 1 else "pending", "sync_reason": None, "acked_at": None,
    }


def _make_0001_database(data_dir: Path) -> list[dict[str, object]]:
    """A database as version 0001 of the schema left it, filled with plain SQL (no models: today's
    models describe today's schema)."""
    engine = make_engine(database_path(data_dir))
    migrate.upgrade(engine, "0001")
    engine.dispose()
    rows = [_signature_row(1, "act-on-syria"), _signature_row(2, "act-on-syria"), _signature_row(3, "aleppo")]
    rows.append(_signature_row(4, "act-on-syria", voids=str(rows[1]["id"])))
    con = sqlite3.connect(database_path(data_dir))
    with con:
        columns = ", ".join(rows[0])
        marks = ", ".join(f":{name}" for name in rows[0])
        con.executemany(f"INSERT INTO signature ({columns}) VALUES ({marks})", rows)
        con.execute("INSERT INTO event (id, name, place, date, created_at) VALUES (?, ?, ?, ?, ?)",
                    (str(uuid.uuid4()), "Stall", "Berlin", "2026-01-02", "2026-01-02 09:00:00"))
        con.execute("INSERT INTO audit_log (at, kind, detail) VALUES (?, ?, ?)",
                    ("2026-01-02 09:00:00", "started", "{}"))
        con.execute("INSERT INTO settings (id, data, updated_at) VALUES (1, ?, ?)",
                    ('{"device_name": "stall 1"}', "2026-01-02 09:00:00"))
    con.close()
    assert migrate.current_revision(database_path(data_dir)) == "0001"
    return rows


def _table(db_file: Path, sql: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(db_file)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_a_0001_database_is_migrated_with_every_row(data_dir: Path) -> None:
    rows = _make_0001_database(data_dir)
    db_file = database_path(data_dir)
    before = {t: _table(db_file, f"SELECT * FROM {t}") for t in ("signature", "event", "audit_log", "settings")}

    engine = open_database(data_dir)
    try:
        assert migrate.current_revision(db_file) == HEAD_REVISION
        for table, content in before.items():
            # Later revisions add columns at the end (signature.purged_at, 0005): the old ones are intact.
            after = [row[:len(content[0])] if content else row for row in _table(db_file, f"SELECT * FROM {table}")]
            assert after == content, table
        assert sorted(_table(db_file, "SELECT campaign_slug, total FROM signature_count")) == [
            ("act-on-syria", 1), ("aleppo", 1),  # act-on-syria: two signatures, one of them voided
        ]
        # The migrated database keeps counting, a signature made on a phone too (the mode column is
        # plain text, 8 characters, without a constraint: no migration for a new mode).
        save(engine)
        save(engine, mode=Mode.PHONE)
        assert _table(db_file, "SELECT mode FROM signature ORDER BY seq DESC LIMIT 1") == [("phone",)]
        with Session(engine) as session:
            assert count_for_campaign("act-on-syria", session=session) == 3
            assert count_for_campaign("aleppo", session=session) == 1
    finally:
        engine.dispose()

    (backup,) = (data_dir / BACKUP_DIR).iterdir()
    assert "from-0001" in backup.name
    assert _table(backup, "SELECT version_num FROM alembic_version") == [("0001",)]
    assert _table(backup, "SELECT id FROM signature ORDER BY seq") == [(r["id"],) for r in rows]
    assert _table(backup, "PRAGMA integrity_check") == [("ok",)]
    assert _table(backup, "SELECT name FROM sqlite_master WHERE name = 'signature_count'") == []


def test_a_database_from_a_newer_version_is_refused(data_dir: Path) -> None:
    open_database(data_dir).dispose()
    db_file = database_path(data_dir)
    con = sqlite3.connect(db_file)
    with con:
        con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.close()
    with pytest.raises(DatabaseTooNew, match="9999_from_the_future"):
        open_database(data_dir)
    assert migrate.current_revision(db_file) == "9999_from_the_future"
    assert not (data_dir / BACKUP_DIR).exists()
