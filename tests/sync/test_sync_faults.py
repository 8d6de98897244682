"""Exactly once through a bad network: a real server process behind the project's fault-injecting proxy
(resets, 500/503, read timeouts, slow answers, captive-portal HTML, truncated answers, and answers lost
after the server committed). At least 500 batch requests cross the proxy, every fault kind at least 20
times; afterwards the server holds exactly the device's signatures, by id and content hash."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bench.sync_data import fill_pending
from db.signatures import live_count
from db.sync import runner
from db.sync.client import ApiClient
from utils.fault_proxy import FAULTS, FaultProxy, schedule
from utils.sync_env import SyncServer, device_set, device_states, enroll_device, server_set, sync_server

pytestmark = pytest.mark.timeout(240)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncServer]:
    with sync_server(tmp_path_factory.mktemp("server")) as running:
        yield running


def test_every_signature_arrives_exactly_once_through_faults(server: SyncServer, data_dir: Path, engine: Engine) -> None:
    ids = fill_pending(engine, 700, slug="aleppo") + fill_pending(engine, 700, slug="act-on-syria")
    with FaultProxy(server.url, schedule(per_fault=25, passes=300), hold_s=0.8, slow_s=0.15) as proxy:
        enrolled = enroll_device(data_dir, server, via=proxy.url)
        syncer = runner.Syncer(data_dir, engine, max_count=4, connect_timeout=2, read_timeout=0.5, totals_every_s=0)
        outcomes: dict[str, int] = {}
        deadline = time.monotonic() + 200
        for _ in range(3000):  # bounded: each run ends at its first fault
            report = syncer.run()
            outcomes[report.outcome] = outcomes.get(report.outcome, 0) + 1
            if report.done or time.monotonic() > deadline:
                break
        syncer.close()
        print(f"\nbatch requests through the proxy: {proxy.requests['batch']}, other requests: "
              f"{proxy.requests['other']}; faults: {dict(sorted(proxy.counts.items()))}; runs: {outcomes}")

    assert report.done, report
    assert proxy.requests["batch"] >= 500
    for kind in FAULTS:
        assert proxy.counts[kind] >= 20, kind
    assert device_states(engine) == {"acked": len(ids)}
    on_server = server_set(server.engine, enrolled.device_id)
    assert on_server == device_set(engine)  # none lost, none twice, same content
    # The live count is exact: the server's public total, nothing counted twice.
    client = ApiClient(server.url, enrolled.token)
    with Session(engine) as session:
        for slug in ("aleppo", "act-on-syria"):
            assert live_count(slug, session=session) == client.count(slug).count
    client.close()
