"""What one enrolled device can do to another's signatures, with a real server process on 127.0.0.1:
upload under its pending id (nothing: ids are scoped to their device) and void it (refused)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from db.migrate import open_database
from db.sync import runner
from db.sync.client import ApiClient
from db.wire import REASON_VOID_TARGET_FOREIGN
from utils.factories import save
from utils.sync_env import SyncServer, device_set, enroll_device, server_set, sync_server

pytestmark = pytest.mark.timeout(180)

from server_helpers import signature  # noqa: E402 (on the path through utils.sync_env)


@pytest.fixture
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncServer]:
    with sync_server(tmp_path_factory.mktemp("server")) as running:
        yield running


def _post(server: SyncServer, data_dir: Path, items: list[dict[str, object]]) -> list[tuple[str, str | None]]:
    """Upload ``items`` as the device enrolled in ``data_dir`` (its own token, its own route)."""
    from db.sync import enrollment

    enrolled = enrollment.load(data_dir)
    assert enrolled is not None
    client = ApiClient(server.url, enrolled.token)
    try:
        body = json.dumps({"device_time": datetime.now(UTC).isoformat(), "signatures": items}).encode()
        return [(r.outcome.value, r.reason) for r in client.post_batch(enrolled.device_id, body).results]
    finally:
        client.close()


def _count(server: SyncServer) -> int:
    client = ApiClient(server.url)
    try:
        return client.count("act-on-syria").count
    finally:
        client.close()


def _sync(data_dir: Path, engine: Engine) -> runner.SyncReport:
    syncer = runner.Syncer(data_dir, engine)
    try:
        return syncer.run()
    finally:
        syncer.close()


def test_another_device_neither_blocks_nor_voids_a_pending_signature(
        server: SyncServer, data_dir: Path, engine: Engine, tmp_path: Path) -> None:
    a = enroll_device(data_dir, server, name="laptop A")
    pending = save(engine, given_name="Rana").id
    c_dir, b_dir = tmp_path / "c", tmp_path / "b"
    for other, name in ((c_dir, "laptop C"), (b_dir, "laptop B")):
        open_database(other).dispose()
        enroll_device(other, server, name=name)

    # C learned A's pending id and uploads its own content under it first.
    forged = signature("act-on-syria", 1, id=pending, email="x@example.org", postal_code="10115", country="DE",
                       city=None)
    assert _post(server, c_dir, [forged]) == [("created", None)]

    report = _sync(data_dir, engine)
    assert report.outcome == runner.OK and report.sent == 1 and report.attention == 0
    assert server_set(server.engine, a.device_id) == device_set(engine)  # A's own content, stored
    assert _count(server) == 2

    # B voids A's signature: refused, and nothing changes.
    void = signature("act-on-syria", 2, voids=pending, given_name=None, family_name=None, email=None, city=None)
    assert _post(server, b_dir, [void]) == [("rejected", REASON_VOID_TARGET_FOREIGN)]
    assert _count(server) == 2
