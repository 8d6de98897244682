"""Pooled PostgreSQL connections are pinged only once idle (server.database.PING_AFTER_IDLE_S), not on
every checkout: a connection the database ended while it lay idle is replaced before use, so the
server survives a PostgreSQL restart; one in steady use is not pinged."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine

from server import database
from server.database import make_engine


@pytest.fixture
def pg_engine(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    monkeypatch.setattr(database, "PING_AFTER_IDLE_S", 0.3)
    engine = make_engine(pg_url)
    yield engine
    engine.dispose()


def _backend_pid(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


def test_a_connection_ended_while_idle_is_replaced_before_use(pg_engine: Engine) -> None:
    admin = create_engine(os.environ["PETITION_TEST_DATABASE_URL"], isolation_level="AUTOCOMMIT")
    try:
        ended = _backend_pid(pg_engine)
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": ended})
        time.sleep(0.5)  # idle past PING_AFTER_IDLE_S: pinged, found dead, replaced
        assert _backend_pid(pg_engine) != ended
    finally:
        admin.dispose()


def test_a_connection_in_steady_use_is_not_pinged(pg_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    statements: list[str] = []
    pings = 0
    original = pg_engine.dialect.do_ping

    def counting_ping(dbapi_connection: Any) -> bool:
        nonlocal pings
        pings += 1
        return bool(original(dbapi_connection))

    monkeypatch.setattr(pg_engine.dialect, "do_ping", counting_ping)
    event.listen(pg_engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    pids = {_backend_pid(pg_engine) for _ in range(5)}
    assert len(pids) == 1 and len(statements) == 5
    assert pings == 0  # pool_pre_ping would have pinged on each of the five checkouts
