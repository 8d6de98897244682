"""Server test fixtures: an engine per test on SQLite and (when PETITION_TEST_DATABASE_URL is set) on
PostgreSQL, an in-process client, enrolled devices, published campaigns."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from server_helpers import EnrolledDevice, enroll, publish_builtin
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from bench.scratch_db import create_database, drop_database
from server.app import create_app
from server.database import make_engine, sqlite_url, upgrade
from server.models import metadata
from server.settings import ServerSettings

PG_ENV = "PETITION_TEST_DATABASE_URL"
NO_PG = f"PostgreSQL tests need {PG_ENV} (dev.sh test sets it up)"


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, at the newest schema; dropped afterwards."""
    admin_url = os.environ.get(PG_ENV)
    if not admin_url:
        pytest.skip(NO_PG)
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = create_database(admin, "petition_server_test_")
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        drop_database(admin, name)
        admin.dispose()


def _truncate_pg(engine: Engine) -> None:
    tables = ", ".join(t.name for t in metadata.sorted_tables)  # server_key too: its keys need their test's key file
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if backend == "postgresql":
        url: str = request.getfixturevalue("pg_url")
        engine = make_engine(url)
        _truncate_pg(engine)
        engine.dispose()
        return url
    return sqlite_url(tmp_path / "server")


@pytest.fixture
def server_engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def server_settings(tmp_path: Path, database_url: str) -> ServerSettings:
    return ServerSettings(data_dir=tmp_path / "server", database_url=database_url)


@pytest.fixture
def client(server_settings: ServerSettings, server_engine: Engine) -> Iterator[TestClient]:
    app = create_app(server_settings, server_engine)
    with TestClient(app, raise_server_exceptions=True) as test_client:
        yield test_client


@pytest.fixture
def published(server_engine: Engine) -> Engine:
    publish_builtin(server_engine)
    return server_engine


@pytest.fixture
def device(client: TestClient, published: Engine) -> EnrolledDevice:
    return enroll(client, published, "laptop 1")


@pytest.fixture
def other_device(client: TestClient, published: Engine) -> EnrolledDevice:
    return enroll(client, published, "laptop 2")
