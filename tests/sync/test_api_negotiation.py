"""A device of this version against a server that accepts only API version 1 (a real server process
forced to version 1, as an older build answers), then against the same server at version 2: it speaks
what the server lists in its health document, and its signatures go either way."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from db.sync import runner
from db.sync.client import ApiClient
from db.wire import API_VERSION
from server.database import make_engine, sqlite_url, upgrade
from utils.factories import save
from utils.sync_env import SERVER_ENV, SyncServer, device_set, enroll_device, server_set

pytestmark = pytest.mark.timeout(180)

from server_helpers import live_server, publish_builtin  # noqa: E402 (on the path through utils.sync_env)


def _sync(data_dir: Path, engine: Engine) -> runner.SyncReport:
    syncer = runner.Syncer(data_dir, engine)
    try:
        report = syncer.run()
        assert syncer._client is not None
        report.message = f"api {syncer._client.api_version}"  # which version the run spoke
        return report
    finally:
        syncer.close()


def test_a_newer_device_speaks_version_1_to_a_version_1_server(data_dir: Path, engine: Engine,
                                                                tmp_path: Path) -> None:
    assert API_VERSION == 2
    url = sqlite_url(tmp_path / "server")
    server_engine = make_engine(url)
    upgrade(server_engine)
    publish_builtin(server_engine)
    try:
        with live_server(url, tmp_path / "server", extra_env={**SERVER_ENV, "PETITION_SERVER_API_MAX": "1"}) as old:
            enrolled = enroll_device(data_dir, SyncServer(old, server_engine))
            client = ApiClient(old.url)
            assert client.health().api_versions == [1] and client.api_version == 1
            client.close()
            save(engine, given_name="Rana")
            report = _sync(data_dir, engine)
            assert (report.outcome, report.sent, report.message) == (runner.OK, 1, "api 1")
        with live_server(url, tmp_path / "server", extra_env=SERVER_ENV) as new:
            enrolled.server_url = new.url
            from db.sync import enrollment

            enrollment.save(data_dir, enrolled)
            save(engine, given_name="Jan")
            report = _sync(data_dir, engine)
            assert (report.outcome, report.sent, report.message) == (runner.OK, 1, "api 2")
        assert server_set(server_engine, enrolled.device_id) == device_set(engine)
    finally:
        server_engine.dispose()
