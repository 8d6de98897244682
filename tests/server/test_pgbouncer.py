"""The server's engine behind PgBouncer in transaction mode (docs/deploy/SCALING.md).

psycopg 3 prepares a statement on the server after its fifth run on a connection; behind PgBouncer
1.18 in transaction mode the next transaction may get another server connection, where that
statement is missing or already taken. ``?prepare_threshold=none`` in the database URL turns that
off; the exactly-once checks through PgBouncer with four workers are in test_server_live.py."""

from __future__ import annotations

import os
import threading

import pytest
from sqlalchemy import text

from server.database import make_engine
from utils.pgbouncer import PGBOUNCER, pgbouncer

pytestmark = [
    pytest.mark.skipif(PGBOUNCER is None, reason="needs pgbouncer (./dev.sh test installs it)"),
    pytest.mark.skipif(not os.environ.get("PETITION_TEST_DATABASE_URL"),
                       reason="needs PETITION_TEST_DATABASE_URL (./dev.sh test sets it up)"),
    pytest.mark.timeout(120),
]


def _errors_from_three_busy_engines(url: str) -> list[str]:
    """Three engines run the same statement 30 times each, one transaction a run, at once."""
    errors: list[str] = []
    engines = [make_engine(url) for _ in range(3)]

    def work(engine) -> None:  # type: ignore[no-untyped-def]
        try:
            for i in range(30):
                with engine.begin() as connection:
                    connection.execute(text("SELECT count(*) FROM pg_class WHERE relpages >= :n"), {"n": i})
        except Exception as error:  # noqa: BLE001 - collected for the assertion
            errors.append(f"{type(error).__name__}: {str(error).splitlines()[0]}")

    threads = [threading.Thread(target=work, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for engine in engines:
        engine.dispose()
    return errors


def test_prepare_threshold_none_keeps_psycopg_working_behind_pgbouncer():
    with pgbouncer(os.environ["PETITION_TEST_DATABASE_URL"], pool_size=2) as through:
        assert "prepare_threshold=none" in through
        engine = make_engine(through)
        with engine.connect() as connection:
            assert connection.connection.dbapi_connection.prepare_threshold is None  # type: ignore[union-attr]
        assert "prepare_threshold" not in engine.url.render_as_string()  # not handed on to libpq
        engine.dispose()
        assert _errors_from_three_busy_engines(through) == []
        # The reason for the option: without it, prepared statements collide across connections.
        plain = through.replace("?prepare_threshold=none", "")
        assert any("prepared statement" in e for e in _errors_from_three_busy_engines(plain))


def test_a_direct_postgresql_url_keeps_psycopgs_default():
    engine = make_engine(os.environ["PETITION_TEST_DATABASE_URL"])
    with engine.connect() as connection:
        assert connection.connection.dbapi_connection.prepare_threshold == 5  # type: ignore[union-attr]
    engine.dispose()
