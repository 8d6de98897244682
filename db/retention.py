"""Retention: the personal data of signatures the server has acknowledged is purged from the device
after ``settings.retention_days`` (0: at the first purge after the acknowledgement). Qt-free.

What stays of a purged signature is a receipt: id, campaign and version, times, consent record, content
hash and ``acked_at``, so every count still adds up. Nothing unacknowledged is ever purged (the query
asks for ``acked`` rows, and migrations 0005/0006's trigger refuses anything else).

Leaving no trace in the file matters as much as blanking the row:

* ``PRAGMA secure_delete`` overwrites the freed bytes of the changed records with zeros;
* copies of the names in unused parts of pages (left by earlier page splits, before any purge) are
  removed by ``VACUUM``, which rewrites every page from the live rows;
* the WAL, which now holds the old and new pages, is checkpointed with ``TRUNCATE`` (to zero bytes);
* the migration backups (``backups/*.sqlite3``, made before each schema change) hold the same rows:
  they are purged in the same way, then vacuumed.

Each purge that changes anything is written to the audit log (counts only).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

from sqlalchemy.engine import Engine

from db import audit
from db.engine import write_session
from db.fields import SIGNER_FIELDS
from db.migrate import BACKUP_DIR

log = logging.getLogger(__name__)

CHECKPOINT_TRIES = 50


@dataclass
class PurgeReport:
    purged: int = 0
    cutoff: datetime | None = None
    backups_purged: list[str] = field(default_factory=list)
    checkpointed: bool = False


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


# The sealed data goes too: unreadable here, but nothing a receipt needs (its key id stays).
_PURGED = (*SIGNER_FIELDS, "sealed")
_BLANK = ", ".join(f"{name} = NULL" for name in _PURGED)
_HAS_PERSONAL = " OR ".join(f"{name} IS NOT NULL" for name in _PURGED)


def due_count(*, engine: Engine, retention_days: int, now: datetime | None = None) -> int:
    """How many acknowledged signatures would a purge now blank."""
    cutoff = _stamp((now or datetime.now(UTC)) - timedelta(days=retention_days))
    raw = engine.raw_connection()
    try:
        return int(raw.cursor().execute(
            "SELECT count(*) FROM signature WHERE sync_state = 'acked' AND acked_at IS NOT NULL "
            "AND acked_at <= ? AND purged_at IS NULL", (cutoff,)).fetchone()[0])
    finally:
        raw.close()


def purge(*, engine: Engine, data_dir: Path, retention_days: int, now: datetime | None = None,
          reason: str = "scheduled") -> PurgeReport:
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=retention_days)
    report = PurgeReport(cutoff=cutoff)
    raw = engine.raw_connection()
    try:
        con = cast(sqlite3.Connection, raw.driver_connection)  # pysqlite's; None only once closed
        con.execute("PRAGMA secure_delete = ON")
        try:
            con.execute("BEGIN IMMEDIATE")
            cursor = con.execute(
                f"UPDATE signature SET {_BLANK}, purged_at = ? WHERE sync_state = 'acked' "
                "AND acked_at IS NOT NULL AND acked_at <= ? AND purged_at IS NULL",
                (_stamp(now), _stamp(cutoff)),
            )
            report.purged = cursor.rowcount
            con.execute("COMMIT")
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
        if report.purged:
            con.execute("VACUUM")
        report.checkpointed = _checkpoint(con)
    finally:
        con.execute("PRAGMA secure_delete = OFF")
        raw.close()
    report.backups_purged = purge_backups(engine=engine, data_dir=data_dir)
    if report.purged or report.backups_purged:
        with write_session(engine) as session:
            audit.record("purge", session=session, signatures=report.purged, retention_days=retention_days,
                         backups=len(report.backups_purged), reason=reason)
            session.commit()
        _checkpoint_engine(engine)
        log.info("purged the personal data of %d acknowledged signatures", report.purged)
    return report


def _checkpoint(con: sqlite3.Connection) -> bool:
    """TRUNCATE the WAL; bounded retries while a reader still holds an old snapshot."""
    for _ in range(CHECKPOINT_TRIES):
        busy, _frames, _done = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if not busy:
            return True
        time.sleep(0.02)
    log.warning("the WAL could not be truncated: a reader held it")
    return False


def _checkpoint_engine(engine: Engine) -> bool:
    raw = engine.raw_connection()
    try:
        return _checkpoint(cast(sqlite3.Connection, raw.driver_connection))
    finally:
        raw.close()


def _purged_ids(engine: Engine) -> set[str]:
    raw = engine.raw_connection()
    try:
        return {r[0] for r in raw.cursor().execute("SELECT id FROM signature WHERE purged_at IS NOT NULL")}
    finally:
        raw.close()


def purge_backups(*, engine: Engine, data_dir: Path) -> list[str]:
    """Blank, in every migration backup, the personal fields of the signatures purged from the database.
    A backup is a copy for recovering from a failed migration, not evidence: its immutability trigger is
    lifted for this one statement and put back. Returns the names of the backups changed."""
    folder = Path(data_dir) / BACKUP_DIR
    backups = sorted(folder.glob("*.sqlite3")) if folder.is_dir() else []
    if not backups:
        return []
    purged = _purged_ids(engine)
    changed = []
    for backup in backups:
        if _purge_backup(backup, purged):
            changed.append(backup.name)
    return changed


def _purge_backup(path: Path, purged: set[str]) -> bool:
    con = sqlite3.connect(path, isolation_level=None)
    try:
        if con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'signature'").fetchone() is None:
            return False
        holding = [r[0] for r in con.execute(f"SELECT id FROM signature WHERE {_HAS_PERSONAL}") if r[0] in purged]
        if not holding:
            return False
        con.execute("PRAGMA journal_mode = DELETE")
        con.execute("PRAGMA secure_delete = ON")
        triggers = con.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'signature' "
            "AND name LIKE 'signature_%' AND sql LIKE '%BEFORE UPDATE%'").fetchall()
        con.execute("BEGIN IMMEDIATE")
        try:
            for name, _sql in triggers:
                con.execute(f'DROP TRIGGER "{name}"')
            for at in range(0, len(holding), 500):
                part = holding[at:at + 500]
                con.execute(f"UPDATE signature SET {_BLANK} WHERE id IN ({', '.join('?' * len(part))})", part)
            for _name, sql in triggers:
                con.execute(sql)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("VACUUM")
        return True
    finally:
        con.close()
