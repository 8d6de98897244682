"""SIGKILL the headless sync process mid-batch - after the server committed a batch whose answer it
never read, before a batch reached the server, and at random moments - then sync again: the server
holds exactly the device's set, and every row is acknowledged."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bench.sync_data import fill_pending
from utils.fault_proxy import FaultProxy
from utils.sync_env import SyncServer, device_set, device_states, enroll_device, server_set, sync_server

pytestmark = pytest.mark.timeout(180)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncServer]:
    with sync_server(tmp_path_factory.mktemp("server")) as running:
        yield running


def _sync_process(data_dir: Path, batch: int = 5) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "desktop", "sync", "--data-dir", str(data_dir), "--batch-size", str(batch),
         "--no-pull", "--read-timeout", "10"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )


def _kill(process: subprocess.Popen[bytes]) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def test_killed_mid_batch_then_restarted(server: SyncServer, data_dir: Path, engine: Engine) -> None:
    fill_pending(engine, 300)
    rng = random.Random(7)
    with FaultProxy(server.url, batch_delay_s=0.01) as proxy:
        enrolled = enroll_device(data_dir, server, via=proxy.url)
        seen_sending = 0
        for round_no, (kind, at) in enumerate([("hold", 3), ("stall", 2), ("hold", 1), ("stall", 4)]):
            proxy.held.clear()
            proxy.release.clear()
            start = proxy.requests["batch"]
            proxy.chooser = lambda n, kind=kind, at=at, start=start: kind if n == start + at else "pass"
            process = _sync_process(data_dir)
            assert proxy.held.wait(60), process.communicate()[0].decode()
            _kill(process)  # the batch is 'sending' on disk; for 'hold' the server has stored it
            states = device_states(engine)
            seen_sending += states.get("sending", 0) > 0
            proxy.release.set()
            print(f"round {round_no} ({kind}): killed with {states}")
        proxy.chooser = None
        for round_no in range(3):  # and at random moments, wherever the process happens to be
            process = _sync_process(data_dir, batch=3)
            assert process.stdout is not None
            for _ in range(rng.randint(1, 4)):  # a few batches in, then a random moment
                assert b"sent" in process.stdout.readline()
            time.sleep(rng.uniform(0, 0.05))
            _kill(process)
            print(f"random kill {round_no}: {device_states(engine)}")
        assert seen_sending == 4
        final = _sync_process(data_dir, batch=50)
        out = final.communicate(timeout=120)[0].decode()
        assert final.returncode == 0, out
        assert "ok: sent" in out
    assert device_states(engine) == {"acked": 300}
    assert server_set(server.engine, enrolled.device_id) == device_set(engine)
