"""Every read-then-write goes through ``db.engine.write_session`` (or the server's).

A plain ``Session(engine)`` begins DEFERRED: its first read takes a snapshot, and when it then
writes while another connection (the sync thread, a second process) holds the write lock, SQLite
answers "database is locked" at once, without waiting out the busy timeout, because waiting could
deadlock. ``write_session`` begins IMMEDIATE, so it waits its turn. This test finds any
``with Session(...)`` block that commits.

Exempt, with a ``# write-first`` comment on the ``with`` line: a block whose first statement writes
(SQLite then waits out the busy timeout as usual) and that must not queue on the writer lock because
it may run inside another writer's session (which would deadlock)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("db", "desktop", "server")


def _committing_plain_sessions(path: Path) -> list[int]:
    text = path.read_text(encoding="utf-8")
    source = text.split("\n")
    tree = ast.parse(text)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.With):
            continue
        plain = any(
            isinstance(item.context_expr, ast.Call) and getattr(item.context_expr.func, "id", None) == "Session"
            for item in node.items
        )
        commits = any(
            isinstance(inner, ast.Call) and getattr(inner.func, "attr", None) == "commit"
            for statement in node.body for inner in ast.walk(statement)
        )
        if plain and commits and "write-first" not in source[node.lineno - 1]:
            found.append(node.lineno)
    return found


def test_writes_take_the_write_lock_up_front():
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
        for line in _committing_plain_sessions(path)
    ]
    assert offenders == [], "use db.engine.write_session for these read-then-write blocks"


def test_the_guard_finds_what_it_looks_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("with Session(engine) as s:\n    s.add(x)\n    s.commit()\n"
                      "with write_session(engine) as s:\n    s.commit()\n"
                      "with Session(engine) as s:\n    s.get(X, 1)\n", encoding="utf-8")
    assert _committing_plain_sessions(sample) == [1]
