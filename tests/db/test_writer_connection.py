"""The engine's write connection (db.engine.immediate_cursor): the save path and the sync store's
batch claims share one SQLite connection under a lock. These tests use a real database file."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from sqlalchemy.exc import DBAPIError, OperationalError

import db.engine as db_engine
from db.engine import immediate_cursor
from db.paths import database_path
from utils.factories import save


def _count(data_dir) -> int:
    con = sqlite3.connect(database_path(data_dir))
    try:
        return con.execute("SELECT count(*) FROM signature").fetchone()[0]
    finally:
        con.close()


def test_the_write_connection_runs_with_the_durable_settings(engine) -> None:
    with immediate_cursor(engine) as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == db_engine.BUSY_TIMEOUT_MS


def test_an_error_inside_rolls_back_and_the_connection_stays_usable(engine, data_dir) -> None:
    save(engine, email="first@example.org")
    with pytest.raises(RuntimeError), immediate_cursor(engine) as cursor:
        cursor.execute("INSERT INTO event (id, name, place, date, created_at) VALUES ('x', 'n', 'p', '2026-01-01', '2026-01-01 10:00:00')")
        raise RuntimeError("the caller failed half-way")
    with immediate_cursor(engine) as cursor:
        assert cursor.execute("SELECT count(*) FROM event WHERE id = 'x'").fetchone()[0] == 0
    with pytest.raises(DBAPIError), immediate_cursor(engine) as cursor:
        cursor.execute("INSERT INTO no_such_table VALUES (1)")
    assert save(engine, email="second@example.org").seq == 2
    assert _count(data_dir) == 2


def test_disposing_the_engine_closes_it_and_the_next_save_opens_another(engine, data_dir) -> None:
    save(engine, email="before@example.org")
    writer = db_engine._writer(engine)
    first = writer.connection
    assert first is not None
    engine.dispose()
    assert writer.connection is None
    with pytest.raises(sqlite3.ProgrammingError):  # closed, not merely forgotten
        first.execute("SELECT 1")
    assert save(engine, email="after@example.org").seq == 2
    assert writer.connection is not None and writer.connection is not first
    assert _count(data_dir) == 2


def test_a_writer_kept_waiting_too_long_fails_like_a_locked_database(engine, monkeypatch) -> None:
    monkeypatch.setattr(db_engine, "BUSY_TIMEOUT_MS", 200)
    inside, release = threading.Event(), threading.Event()

    def hold() -> None:
        with immediate_cursor(engine):
            inside.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert inside.wait(10)
        started = time.monotonic()
        with pytest.raises(OperationalError, match="database is locked"), immediate_cursor(engine):
            pass
        assert time.monotonic() - started < 5
    finally:
        release.set()
        holder.join(10)
    # Once the holder is done, the next writer gets in.
    assert save(engine, email="later@example.org").seq == 1
