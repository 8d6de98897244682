"""Open the device database, migrating it first when needed.

Start-up checks the schema revision with plain ``sqlite3`` and imports Alembic only when a migration
is pending (importing it costs more than the rest of the check). Before any migration of an existing
database, the file is copied with SQLite's backup API to ``backups/`` in the data directory.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from db.paths import database_path, ensure_private_dir

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Engine

# The newest revision in db/migrations/versions; tests/db/test_migrations.py keeps it honest.
HEAD_REVISION = "0008"
BACKUP_DIR = "backups"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class DatabaseTooNew(RuntimeError):
    """The database was written by a newer version of the app; opening it could lose data."""


def current_revision(db_file: Path) -> str | None:
    if not db_file.exists():
        return None
    con = sqlite3.connect(db_file)
    try:
        row = con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if row is None:
            return None
        found = con.execute("SELECT version_num FROM alembic_version").fetchone()
        return found[0] if found else None
    finally:
        con.close()


def backup_database(db_file: Path, label: str) -> Path:
    """Consistent copy through SQLite's online backup API (safe with WAL and other readers)."""
    target_dir = ensure_private_dir(db_file.parent / BACKUP_DIR)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = target_dir / f"{db_file.stem}-{stamp}-{label}.sqlite3"
    src = sqlite3.connect(db_file)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    target.chmod(0o600)
    return target


def _alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}


def upgrade(engine: Engine, target: str = "head") -> None:
    from alembic import command

    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, target)


def open_database(data_dir: Path) -> Engine:
    """The engine for ``data_dir``'s database, at the newest schema, backed up first if migrated."""
    from db.engine import make_engine

    ensure_private_dir(data_dir)
    db_file = database_path(data_dir)
    revision = current_revision(db_file)
    engine = make_engine(db_file)
    if revision != HEAD_REVISION:
        if revision is not None:
            if revision not in known_revisions():
                raise DatabaseTooNew(
                    f"{db_file} has schema {revision}, which this version of Petition Kiosk does not know. "
                    "Install the newer version that wrote it."
                )
            backup_database(db_file, f"before-{HEAD_REVISION}-from-{revision}")
        upgrade(engine)
    db_file.chmod(0o600)
    return engine
