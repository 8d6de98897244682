"""``server.database.autocommit_driver`` (single statements in autocommit on the hot paths of the web
page's POST) on a real PostgreSQL: a statement is committed when it returns, the connection goes back
to the pool as the pool hands connections out, and one whose server side was lost is never handed out
again."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from server.database import autocommit_driver, make_engine


def test_each_statement_is_committed_and_the_connection_goes_back_as_it_came(pg_url: str) -> None:
    engine = make_engine(pg_url)
    try:
        with autocommit_driver(engine) as driver:
            driver.execute("CREATE TABLE IF NOT EXISTS autocommit_probe (n integer)")
            driver.execute("INSERT INTO autocommit_probe VALUES (1)")
            with pytest.raises(Exception, match="division by zero"):
                driver.execute("SELECT 1 / 0")
        with engine.connect() as conn:  # another connection sees the row: it was committed on its own
            assert conn.execute(text("SELECT count(*) FROM autocommit_probe")).scalar() == 1
        with engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert raw is not None and raw.autocommit is False  # as the pool hands connections out
            conn.execute(text("DROP TABLE autocommit_probe"))
            conn.commit()
    finally:
        engine.dispose()


def test_a_connection_whose_server_side_was_lost_is_not_handed_out_again(pg_url: str) -> None:
    engine = make_engine(pg_url)
    try:
        with engine.connect() as other:  # held, so the driver below gets another connection
            with autocommit_driver(engine) as driver:
                lost = driver.execute("SELECT pg_backend_pid()").fetchone()[0]
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": lost})  # its server side ends
            other.commit()
        failures = 0
        for _ in range(3):  # the lost one fails once at most (if the pool hands it out before noticing)
            try:
                with autocommit_driver(engine) as driver:
                    assert driver.execute("SELECT pg_backend_pid()").fetchone()[0] != lost
            except Exception as exc:  # noqa: BLE001 - the connection terminated above
                assert "terminat" in str(exc) or "closed" in str(exc) or "connection" in str(exc).lower(), exc
                failures += 1
        assert failures <= 1
        with autocommit_driver(engine) as driver:
            assert driver.execute("SELECT 1").fetchone()[0] == 1
    finally:
        engine.dispose()


def test_after_a_restart_one_request_fails_not_one_per_pooled_connection(pg_url: str) -> None:
    """Every backend of the pool's connections ends (as when PostgreSQL restarts): the first statement
    on one of them fails, the pool is replaced, and the next statements run on new connections."""
    engine = make_engine(pg_url)
    try:
        with engine.connect() as first, engine.connect() as second:  # two connections in the pool
            pids = [c.connection.driver_connection.execute("SELECT pg_backend_pid()").fetchone()[0]  # type: ignore[union-attr]
                    for c in (first, second)]
        killer = make_engine(pg_url)
        try:
            with killer.connect() as conn:
                for pid in pids:
                    conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
                conn.commit()
        finally:
            killer.dispose()
        failures = 0
        for _ in range(4):
            try:
                with autocommit_driver(engine) as driver:
                    assert driver.execute("SELECT pg_backend_pid()").fetchone()[0] not in pids
            except Exception:  # noqa: BLE001 - a connection whose backend was ended above
                failures += 1
        assert failures == 1
    finally:
        engine.dispose()
