"""Fixtures shared by every test folder: a fresh data directory, its database, the demo campaign."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from db.campaigns import Campaign
from db.migrate import open_database
from utils.factories import builtin_campaign, register_builtin


@pytest.fixture(autouse=True)
def _logging_as_it_was() -> Iterator[None]:
    """A test that ran a command sets up the app's logging (db/logs.py) for the whole process: take
    it down after each test, so the next one sees the log records as it expects."""
    yield
    from db.logs import reset_logging

    reset_logging()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def engine(data_dir: Path) -> Iterator[Engine]:
    """The data directory's database at the newest schema, with the built-in campaigns registered."""
    engine = open_database(data_dir)
    register_builtin(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def campaign() -> Campaign:
    return builtin_campaign("act-on-syria")
