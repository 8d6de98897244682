"""A real server process for the sync tests, enrolled devices, and the exact-set check."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))  # reuse the server tests' helpers
from server_helpers import LiveServer, live_server, new_code, publish_builtin  # noqa: E402

from db.sync import enrollment  # noqa: E402
from server.database import make_engine, sqlite_url, upgrade  # noqa: E402
from server.models import StoredSignature  # noqa: E402

# Each test enrolls its own devices within seconds.
SERVER_ENV = {"PETITION_SERVER_ENROLL_PER_IP_PER_MINUTE": "100000",
              "PETITION_SERVER_ENROLL_GLOBAL_PER_MINUTE": "100000"}


@dataclass
class SyncServer:
    live: LiveServer
    engine: Engine

    @property
    def url(self) -> str:
        return self.live.url


# A server that answers as one from before API version 2 did (server/settings.py: api_max).
VERSION_1_ENV = {**SERVER_ENV, "PETITION_SERVER_API_MAX": "1"}


@contextlib.contextmanager
def server_database(data_dir: Path) -> Iterator[tuple[str, Engine]]:
    """(URL, engine) of a server database at the newest schema with the built-in campaigns published
    (sealed to its key, made first): servers may be started on it in turn (live_server)."""
    url = sqlite_url(data_dir)
    engine = make_engine(url)
    upgrade(engine)
    publish_builtin(engine)
    try:
        yield url, engine
    finally:
        engine.dispose()


@contextlib.contextmanager
def sync_server(data_dir: Path, *, workers: int = 1, tls: tuple[Path, Path, Path] | None = None,
                extra_env: dict[str, str] | None = None) -> Iterator[SyncServer]:
    """A real server with the built-in campaigns published (sealed to its key, made first). With ``tls``
    (certificate chain, key, CA: PEM files) it serves HTTPS; ``extra_env`` adds server settings."""
    with server_database(data_dir) as (url, engine), \
            live_server(url, data_dir, workers=workers, extra_env={**SERVER_ENV, **(extra_env or {})}, tls=tls) as live:
        yield SyncServer(live, engine)


def enroll_device(data_dir: Path, server: SyncServer, *, via: str | None = None, name: str = "laptop") -> enrollment.Enrollment:
    """Enroll ``data_dir`` with a fresh code; ``via`` (a proxy URL) becomes the server it talks to."""
    code = new_code(server.engine, name)
    enrolled = enrollment.enroll(data_dir, server.url, code)
    if via is not None:
        enrolled.server_url = via
        enrollment.save(data_dir, enrolled)
    return enrolled


def server_set(server_engine: Engine, device_id: str) -> dict[str, str]:
    with Session(server_engine) as session:
        rows = session.exec(
            select(StoredSignature.id, StoredSignature.content_hash).where(col(StoredSignature.device_id) == device_id)
        ).all()
    found = dict(rows)
    assert len(found) == len(rows)
    return found


def device_set(engine: Engine) -> dict[str, str]:
    raw = engine.raw_connection()
    try:
        return dict(raw.cursor().execute("SELECT id, content_hash FROM signature").fetchall())
    finally:
        raw.close()


def device_states(engine: Engine) -> dict[str, int]:
    raw = engine.raw_connection()
    try:
        return dict(raw.cursor().execute("SELECT sync_state, count(*) FROM signature GROUP BY sync_state").fetchall())
    finally:
        raw.close()
