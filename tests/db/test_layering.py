"""Imports point inward (house style rule 1): every module of db/ and server/ imports, and db/ opens and
migrates a database, in a process where PySide6 and desktop/ cannot be imported at all."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Runs in a fresh interpreter: refuse Qt and the desktop package, then import every module of the
# packages named on the command line. Alembic runs migrations/env.py itself, so db/'s is exercised by
# migrating a real database instead of importing it.
CHILD = r"""
import importlib, importlib.abc, pkgutil, sys, tempfile
from pathlib import Path

BLOCKED = ("PySide6", "shiboken6", "desktop")

class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"blocked in this test: {name}")
        return None

sys.meta_path.insert(0, Refuse())
sys.modules["PySide6"] = None
for name in BLOCKED:
    try:
        importlib.import_module(name)
    except ImportError:
        pass
    else:
        raise SystemExit(f"the block does not work: {name} imported")

imported = []
for package_name in sys.argv[1:]:
    package = importlib.import_module(package_name)
    imported.append(package_name)
    for info in pkgutil.walk_packages(package.__path__, package_name + "."):
        leaf = info.name.rsplit(".", 1)[-1]
        if leaf == "__main__" or (leaf == "env" and ".migrations" in info.name):
            continue
        importlib.import_module(info.name)
        imported.append(info.name)

if "db" in sys.argv[1:]:
    from db.migrate import HEAD_REVISION, current_revision, open_database
    from db.paths import database_path
    data_dir = Path(tempfile.mkdtemp())
    open_database(data_dir).dispose()
    assert current_revision(database_path(data_dir)) == HEAD_REVISION
    imported.append("db.migrations.env")

leaked = sorted(name for name in sys.modules if name.split(".")[0] in BLOCKED and sys.modules[name] is not None)
if leaked:
    raise SystemExit(f"blocked modules were imported: {leaked}")
print("\n".join(imported))
"""


def _import_blocked(*packages: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, *packages], cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.split()


def test_db_imports_and_migrates_without_qt_or_desktop() -> None:
    imported = set(_import_blocked("db"))
    expected = {f"db.{p.stem}" for p in (ROOT / "db").glob("*.py") if p.stem != "__init__"}
    assert expected <= imported
    assert {"db.signatures", "db.paper", "db.migrations.env"} <= imported


def test_server_imports_without_qt_or_desktop() -> None:
    modules = [p for p in (ROOT / "server").rglob("*.py") if p.name != "__init__.py"]
    if not (ROOT / "server" / "__init__.py").is_file() or not modules:
        pytest.skip("server/ has no Python modules yet")
    imported = set(_import_blocked("server"))
    top_level = {f"server.{p.stem}" for p in (ROOT / "server").glob("*.py") if p.stem not in ("__init__", "__main__")}
    assert top_level <= imported
