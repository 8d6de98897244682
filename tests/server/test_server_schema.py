"""Migrations, table separation and layering."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from server.database import HEAD_REVISION, current_revision, make_engine, sqlite_url, upgrade
from server.models import metadata

ROOT = Path(__file__).resolve().parents[2]


def test_migrations_create_exactly_the_model_tables(server_engine: Engine) -> None:
    assert current_revision(server_engine) == HEAD_REVISION
    tables = set(inspect(server_engine).get_table_names()) - {"alembic_version"}
    assert tables == set(metadata.tables)
    for name, table in metadata.tables.items():
        columns = {c["name"] for c in inspect(server_engine).get_columns(name)}
        assert columns == set(table.columns.keys()), name


def test_migrations_match_models_no_autogenerate_diff(server_engine: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with server_engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    # type comparisons differ harmlessly between dialects; tables, columns and indexes must not
    structural = [d for d in diff if isinstance(d, tuple) and d[0] in ("add_table", "remove_table", "add_column",
                                                                       "remove_column", "add_index", "remove_index")]
    assert structural == []


def test_upgrade_is_idempotent_and_backs_up_nothing_when_current(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path))
    upgrade(engine)
    upgrade(engine)
    assert not (tmp_path / "backups").exists()
    engine.dispose()


def test_server_tables_stay_off_the_device_metadata() -> None:
    assert "device" not in SQLModel.metadata.tables and "rate_limit" not in SQLModel.metadata.tables


def test_server_imports_without_qt_or_desktop() -> None:
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'desktop'):\n"
        "            raise ImportError('blocked: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import server.app, server.cli, server.export, db.wire\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
