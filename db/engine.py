"""One SQLAlchemy engine per process for the device database, with SQLite set up for durability.

* WAL journal, ``synchronous=FULL``: a commit is on disk (the WAL is fsynced) before it returns.
* foreign keys on, a busy timeout so a second process (the sync sender) waits instead of failing.
* Python's sqlite3 module starts transactions lazily and never with ``BEGIN IMMEDIATE``; we take
  transaction control ourselves (SQLAlchemy's documented recipe) so that writers can take the write
  lock up front with :func:`write_session` and compute the next device sequence number safely.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, create_engine

BUSY_TIMEOUT_MS = 10_000
BEGIN_OPTION = "petition_begin"


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, see _on_begin
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _on_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get(BEGIN_OPTION, "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(db_file: Path, *, echo: bool = False) -> Engine:
    """Engine for the device's SQLite file."""
    engine = create_engine(
        f"sqlite:///{db_file}",
        echo=echo,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def read_session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)


class _Writer:
    """The engine's own write connection for :func:`immediate_cursor`: SQLite lets one writer in at a
    time anyway, so the hot write paths share one connection under a lock instead of taking a pooled
    one each time (the pool's checkout and reset cost as much as the INSERT). It is made by the pool
    (so the connect settings above apply), detached from it, and closed when the engine is disposed."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.connection: sqlite3.Connection | None = None

    def open(self, engine: Engine) -> sqlite3.Connection:
        if self.connection is None:
            fairy = engine.raw_connection()
            connection = cast(sqlite3.Connection, fairy.driver_connection)
            fairy.detach()
            self.connection = connection
        return self.connection

    def close(self, _engine: Engine | None = None) -> None:
        with self.lock:
            if self.connection is not None:
                self.connection.close()
                self.connection = None


_WRITERS: weakref.WeakKeyDictionary[Engine, _Writer] = weakref.WeakKeyDictionary()
_WRITERS_LOCK = threading.Lock()


def _writer(engine: Engine) -> _Writer:
    writer = _WRITERS.get(engine)
    if writer is None:
        with _WRITERS_LOCK:
            writer = _WRITERS.get(engine)
            if writer is None:
                writer = _WRITERS[engine] = _Writer()
                event.listen(engine, "engine_disposed", writer.close)
    return writer


@contextmanager
def immediate_cursor(engine: Engine) -> Iterator[Any]:
    """A DBAPI cursor inside ``BEGIN IMMEDIATE`` on the engine's write connection, for the hot paths
    (saving a signature, claiming a sync batch) where SQLAlchemy's Connection costs more than the fsync.

    Committed when the block ends; on any error rolled back, unless SQLite already did (it does on
    a full disk), and ``sqlite3`` errors are raised as SQLAlchemy's exception family, like every
    other query's. A thread that finds the write connection busy waits as long as SQLite's own busy
    timeout would, then fails the same way ("database is locked")."""
    writer = _writer(engine)
    if not writer.lock.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
        busy = sqlite3.OperationalError("database is locked")
        raise DBAPIError.instance("BEGIN IMMEDIATE", None, busy, sqlite3.Error)
    try:
        try:
            connection = writer.open(engine)
            cursor = connection.cursor()
            cursor.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise DBAPIError.instance("BEGIN IMMEDIATE", None, exc, sqlite3.Error) from exc
        try:
            yield cursor
            cursor.execute("COMMIT")
        except BaseException as exc:
            if connection.in_transaction:
                connection.rollback()
            if isinstance(exc, sqlite3.Error):
                raise DBAPIError.instance("BEGIN IMMEDIATE ... COMMIT", None, exc, sqlite3.Error) from exc
            raise
        finally:
            cursor.close()
    finally:
        writer.lock.release()


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session whose transaction starts with BEGIN IMMEDIATE: it holds the write lock from the start,
    so a read-then-write inside it (the next sequence number, a state transition) cannot race."""
    immediate = engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
    with Session(immediate, expire_on_commit=False) as session:
        yield session
