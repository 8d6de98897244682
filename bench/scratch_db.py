"""Scratch PostgreSQL databases for one benchmark run or test session (not a benchmark itself): made
with a unique name, dropped afterwards."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError

DROP_ATTEMPTS = 20  # each waits up to PostgreSQL's own 5 s for other connections to go, then 0.25 s more


def create_database(admin: Engine, prefix: str) -> str:
    """A new, empty database named ``prefix`` and a unique suffix; its name. ``admin``: autocommit."""
    name = f"{prefix}{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return name


def drop_database(admin: Engine, name: str) -> None:
    """Drop ``name`` after ending this role's own connections to it (a server's pool, a killed
    worker's). Not ``WITH (FORCE)``: that would also terminate an autovacuum worker busy in it, which
    a role without pg_signal_backend may not do, and PostgreSQL 15 then refuses the whole statement
    (it failed a benchmark run so); a plain DROP cancels autovacuum by itself. A connection still on
    its way out makes the DROP fail with "being accessed by other users": tried again."""
    with admin.connect() as conn:
        for attempt in range(DROP_ATTEMPTS):
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name "
                              "AND usename = current_user AND pid <> pg_backend_pid()"), {"name": name})
            try:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
                return
            except OperationalError:  # 55006 object_in_use
                if attempt == DROP_ATTEMPTS - 1:
                    raise
                time.sleep(0.25)


def scratch_postgresql(admin_url: str, prefix: str) -> AbstractContextManager[str]:
    """A new database on the server of ``admin_url`` (whose role may create databases), made now, so
    an unreachable server raises here, before the caller's run; used as a context manager, its URL,
    and it is dropped when the block ends."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        name = create_database(admin, prefix)
    except Exception:
        admin.dispose()
        raise

    @contextmanager
    def database() -> Iterator[str]:
        try:
            yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        finally:
            drop_database(admin, name)
            admin.dispose()

    return database()
