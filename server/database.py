"""The server's engine and schema migrations.

* Embedded default: an SQLite file in the data directory, through ``db.engine.make_engine`` (WAL,
  ``synchronous=FULL`` so an acknowledged batch is on disk, a busy timeout, and ``BEGIN IMMEDIATE``
  for writers via ``db.engine.write_session``).
* PostgreSQL (``postgresql+psycopg://…``): a plain pooled engine; the ingest's unique key and
  ``ON CONFLICT DO NOTHING`` make racing workers safe without any lock of our own. A pooled connection
  is pinged only after ``PING_AFTER_IDLE_S`` idle, not on every checkout (see ``_ping_when_idle``).

Migrations run from the CLI before the server starts (never in the API workers, which may be many).
An existing SQLite file is copied with SQLite's backup API before a pending migration runs.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlmodel import Session

from db.engine import BEGIN_OPTION
from db.engine import make_engine as make_sqlite_engine
from db.engine import write_session as sqlite_write_session
from db.migrate import backup_database
from db.paths import ensure_private_dir

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

HEAD_REVISION = "s0012_partner_pushes"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_FILENAME = "petition-server.sqlite3"


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{Path(data_dir) / SQLITE_FILENAME}"


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise ValueError("the server needs an SQLite file, not an in-memory database")
        db_file = Path(parsed.database)
        ensure_private_dir(db_file.parent)
        engine = make_sqlite_engine(db_file)
        engine.pool._pool.maxsize = 20  # type: ignore[attr-defined]  # threadpool handlers share it
        return engine
    engine = sa_create_engine(parsed.difference_update_query(["prepare_threshold"]), pool_size=10, max_overflow=10,
                              pool_recycle=POOL_RECYCLE_S, connect_args=_psycopg_arguments(parsed.query))
    _ping_when_idle(engine)
    return engine


# A pooled connection is checked for life before use only once it has lain idle this long. SQLAlchemy's
# pool_pre_ping checked it on every checkout: a round trip (and two autocommit switches) per
# transaction, most of a busy server's database work for a web signature's few short transactions. A
# connection in steady use was alive a moment ago; one that died since (the database restarted under
# load) fails its statement as a disconnect, SQLAlchemy then drops every connection of the pool, and the
# request gets database_unavailable (503) once, as any request during the restart would.
PING_AFTER_IDLE_S = 2.0
POOL_RECYCLE_S = 1800  # connections are replaced after half an hour (servers and proxies drop old ones)


def _ping_when_idle(engine: Engine) -> None:
    dialect = engine.dialect

    @event.listens_for(engine, "connect")
    def _connected(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if time.monotonic() - record.info.get("idle_since", 0.0) < PING_AFTER_IDLE_S:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as exc:
            # The pool throws this connection away and checks out a new one (up to three tries).
            raise DisconnectionError(type(exc).__name__) from exc


def _psycopg_arguments(query: Any) -> dict[str, Any]:
    """``?prepare_threshold=none`` in the URL: psycopg prepares no statements on the server. Behind a
    pooler in transaction mode (PgBouncer before 1.21) the next transaction may run on another server
    connection, where a statement prepared on the first does not exist (docs/deploy/SCALING.md)."""
    value = query.get("prepare_threshold")
    if value is None:
        return {}
    if isinstance(value, tuple):
        value = value[-1]
    if str(value).lower() in ("none", "off", ""):
        return {"prepare_threshold": None}
    return {"prepare_threshold": int(value)}


class _SqliteWriterLock:
    """Queues the writers of every thread and every worker process before they ask SQLite.

    SQLite has one writer at a time and its busy handler is a sleep-and-poll (sleeps of up to 100 ms),
    unfair to waiters and slow to notice a released lock: with several workers it left the database
    idle between batches. So the threads of a process queue on a thread lock, and the processes on an
    exclusive ``flock`` of a file beside the database, which the kernel hands to the next waiter at
    once. (Without fcntl, as on Windows, only the threads of one process are queued.)"""

    def __init__(self, db_file: Path) -> None:
        self._threads = threading.Lock()
        self._fd: int | None = None
        if fcntl is not None:
            self._fd = os.open(f"{db_file}.write-lock", os.O_RDWR | os.O_CREAT, 0o600)

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._threads:
            if self._fd is None:
                yield
                return
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)


_sqlite_writers: dict[int, _SqliteWriterLock] = {}
_sqlite_writers_guard = threading.Lock()


def _writer_lock(engine: Engine) -> _SqliteWriterLock:
    with _sqlite_writers_guard:
        lock = _sqlite_writers.get(id(engine))
        if lock is None:
            lock = _sqlite_writers[id(engine)] = _SqliteWriterLock(Path(str(engine.url.database)))
        return lock


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session for read-then-write work: on SQLite it holds the write lock from BEGIN on, after
    queueing with every other writer of this database (see _SqliteWriterLock)."""
    if is_sqlite(engine):
        with _writer_lock(engine).held(), sqlite_write_session(engine) as session:
            yield session
    else:
        with Session(engine, expire_on_commit=False) as session:
            yield session


@contextmanager
def write_connection(engine: Engine) -> Iterator[Connection]:
    """``write_session`` as a Core connection in a transaction (committed when the block ends without
    an exception), for the few hot paths where an ORM session's own work is measurable (the web page's
    POST, server/web_sign.py): no session, no ORM execution of plain statements."""
    if is_sqlite(engine):
        with _writer_lock(engine).held(), \
                engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"}).begin() as conn:
            yield conn
    else:
        with engine.begin() as conn:
            yield conn


def is_psycopg(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg"


@contextmanager
def driver_errors(engine: Engine) -> Iterator[None]:
    """Errors of the database driver itself, used straight (the hot paths below), raised as SQLAlchemy
    raises them (``OperationalError`` for a database locked, lost or restarting): the server answers
    those as it answers them from anywhere else (503 ``database_unavailable``, a form given back)."""
    base = engine.dialect.loaded_dbapi.Error
    try:
        yield
    except base as exc:
        raise DBAPIError.instance(None, None, exc, base, dialect=engine.dialect) from exc


@contextmanager
def autocommit_driver(engine: Engine) -> Iterator[Any]:
    """A pooled PostgreSQL connection's own psycopg connection, in autocommit mode for the block: each
    statement is then its own transaction, committed when it returns, in one round trip (a transaction
    block takes three: psycopg sends BEGIN on its own, then the statement, then COMMIT). For single
    statements on hot paths (the web page's POST); back to the pool as the pool hands them out. The
    driver's errors are raised as SQLAlchemy's (``driver_errors``)."""
    with driver_errors(engine):
        connection = engine.raw_connection()
        driver = connection.driver_connection
        assert driver is not None  # a connection checked out of the pool is open
        try:
            driver.autocommit = True
            yield driver
        except engine.dialect.loaded_dbapi.Error:
            if driver.closed or driver.broken:
                # Lost (PostgreSQL restarted, the network): the pool's other connections most likely
                # are too. A new pool, as SQLAlchemy makes one on a disconnect it sees itself, so one
                # request fails, not one for each connection the pool held.
                engine.dispose(close=False)
            raise
        finally:
            if not driver.closed:
                driver.autocommit = False
            # A connection whose server side was lost fails the pool's reset here and is dropped, never
            # handed out again (tests/server/test_autocommit_driver.py).
            connection.close()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return str(row[0]) if row else None


def _alembic_config() -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(engine: Engine, target: str = "head") -> None:
    """Bring the schema to ``target``, backing an existing SQLite file up first."""
    from alembic import command

    revision = current_revision(engine)
    if revision == HEAD_REVISION and target == "head":
        return
    if revision is not None and is_sqlite(engine) and engine.url.database:
        backup_database(Path(engine.url.database), f"before-{HEAD_REVISION}-from-{revision}")
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, target)
    if is_sqlite(engine) and engine.url.database:
        Path(engine.url.database).chmod(0o600)


def open_database(url: str, *, migrate: bool = True) -> Engine:
    engine = make_engine(url)
    if migrate:
        upgrade(engine)
    return engine
