"""A device of this version against a server that accepts only API version 1 (a real server process
forced to version 1, as an older build answers), then against the same server at version 2: it speaks
what the server lists in its health document, and its signatures go either way."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import Engine

from db.schemas import Mode
from db.sync import enrollment, runner
from db.sync.client import ApiClient
from db.wire import API_HEADER, API_PREFIX, API_VERSION
from utils.factories import save
from utils.sync_env import (
    SERVER_ENV,
    VERSION_1_ENV,
    SyncServer,
    device_set,
    enroll_device,
    server_database,
    server_set,
)

pytestmark = pytest.mark.timeout(180)

from server_helpers import ROOT, batch, live_server, signature  # noqa: E402 (on the path through utils.sync_env)


def _sync(data_dir: Path, engine: Engine) -> runner.SyncReport:
    syncer = runner.Syncer(data_dir, engine)
    try:
        report = syncer.run()
        assert syncer._client is not None
        report.message = f"api {syncer._client.api_version}"  # which version the run spoke
        return report
    finally:
        syncer.close()


def _move_to(data_dir: Path, url: str) -> enrollment.Enrollment:
    """The same server, restarted at another address: the device's enrollment follows it."""
    moved = enrollment.load(data_dir)
    assert moved is not None
    moved.server_url = url
    enrollment.save(data_dir, moved)
    return moved


def test_a_newer_device_speaks_version_1_to_a_version_1_server(data_dir: Path, engine: Engine,
                                                                tmp_path: Path) -> None:
    assert API_VERSION == 2
    with server_database(tmp_path / "server") as (url, server_engine):
        with live_server(url, tmp_path / "server", extra_env=VERSION_1_ENV) as old:
            enrolled = enroll_device(data_dir, SyncServer(old, server_engine))
            client = ApiClient(old.url)
            assert client.health().api_versions == [1] and client.api_version == 1
            client.close()
            save(engine, given_name="Rana")
            report = _sync(data_dir, engine)
            assert (report.outcome, report.sent, report.message) == (runner.OK, 1, "api 1")
        with live_server(url, tmp_path / "server", extra_env=SERVER_ENV) as new:
            _move_to(data_dir, new.url)
            save(engine, given_name="Jan")
            report = _sync(data_dir, engine)
            assert (report.outcome, report.sent, report.message) == (runner.OK, 1, "api 2")
        assert server_set(server_engine, enrolled.device_id) == device_set(engine)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def _states_by_mode(engine: Engine) -> dict[tuple[str, str], int]:
    raw = engine.raw_connection()
    try:
        return {(str(mode), str(state)): int(n) for mode, state, n in raw.cursor().execute(
            "SELECT mode, sync_state, count(*) FROM signature GROUP BY mode, sync_state").fetchall()}
    finally:
        raw.close()


def test_phone_signatures_wait_for_a_version_1_server_and_go_once_it_speaks_version_2(
        data_dir: Path, engine: Engine, tmp_path: Path) -> None:
    """Mode ``phone`` is a version-2 value: a version-1 server refuses it for good (checked first, by
    hand), so the device keeps those signatures pending, sends the others, and says why in its report,
    ``petition-kiosk sync`` and ``status``. Once the server speaks version 2 they arrive, once, as phone."""
    with server_database(tmp_path / "server") as (url, server_engine):
        with live_server(url, tmp_path / "server", extra_env=VERSION_1_ENV) as old:
            enrolled = enroll_device(data_dir, SyncServer(old, server_engine))
            assert enrolled.api_version == 1
            # what a version-1 server answers to a phone signature: refused, for good
            other = enroll_device(tmp_path / "other", SyncServer(old, server_engine), name="other")
            probe = httpx.post(f"{old.url}{API_PREFIX}/devices/{other.device_id}/batches",
                               json=batch([signature("aleppo", 1, mode="phone")]),
                               headers={"Authorization": f"Bearer {other.token}", API_HEADER: "1"}, timeout=30)
            assert [(r["outcome"], r["reason"], r["field"]) for r in probe.json()["results"]] == [
                ("rejected", "invalid", "mode")]

            # phones and the kiosk interleaved, in batches of 4: the held ones sit between those sent
            for i in range(12):
                save(engine, given_name=f"P{i}", mode=Mode.PHONE if i % 3 else Mode.KIOSK)
            syncer = runner.Syncer(data_dir, engine, max_count=4)
            try:
                report = syncer.run()
                again = syncer.run()  # a second run holds them again, and sends nothing twice
            finally:
                syncer.close()
            assert (report.outcome, report.sent, report.attention, report.pending) == (runner.OK, 4, 0, 8)
            assert (report.server_api_version, report.held) == (1, {"phone": 8})
            assert not report.done
            assert (again.sent, again.held) == (0, {"phone": 8})
            assert _states_by_mode(engine) == {("kiosk", "acked"): 4, ("phone", "pending"): 8}
            assert all(mode == "kiosk" for mode in _server_modes(server_engine, enrolled.device_id).values())
            line = ("8 signatures made on phones wait for the server to be updated (it speaks API version 1; "
                    "they need version 2)")
            assert runner.held_words(report.held, 1) == [line]

            save(engine, given_name="Late", mode=Mode.KIOSK)
            result = _cli("sync", "--data-dir", str(data_dir), "--no-pull")
            assert result.returncode == 1, result.stdout + result.stderr  # something still waits
            assert "ok: sent 1," in result.stdout and line in result.stdout
            status = _cli("status", "--data-dir", str(data_dir))
            assert status.returncode == 0 and line in status.stdout and "pending: 8" in status.stdout
            assert "needs_attention: 0" in status.stdout

        with live_server(url, tmp_path / "server", extra_env=SERVER_ENV) as new:
            assert _move_to(data_dir, new.url).api_version == 1
            result = _cli("sync", "--data-dir", str(data_dir), "--no-pull")
            assert result.returncode == 0, result.stdout + result.stderr
            assert "ok: sent 8," in result.stdout and "wait for the server" not in result.stdout
            status = _cli("status", "--data-dir", str(data_dir)).stdout
            assert "wait for the server" not in status and "pending: 0" in status
            assert getattr(enrollment.load(data_dir), "api_version", None) == 2
        assert server_set(server_engine, enrolled.device_id) == device_set(engine)  # each once, same content
        modes = _server_modes(server_engine, enrolled.device_id)
        assert sorted(modes.values()).count("phone") == 8 and len(modes) == 13
        assert _states_by_mode(engine) == {("kiosk", "acked"): 5, ("phone", "acked"): 8}


def _server_modes(server_engine: Engine, device_id: str) -> dict[str, str]:
    from sqlmodel import Session, col, select

    from server.models import StoredSignature

    with Session(server_engine) as session:
        return {i: str(getattr(m, "value", m)) for i, m in session.exec(
            select(StoredSignature.id, StoredSignature.mode).where(col(StoredSignature.device_id) == device_id)).all()}
