"""Admission control on the batch route: a worker with its queue full answers 503 server_busy with a
jittered Retry-After and stores nothing of that batch; devices wait what the server said and every
signature still arrives exactly once."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import requests
from sqlalchemy.engine import Engine

from bench.sync_data import fill_pending
from db.migrate import open_database
from db.sync import runner
from db.sync.client import ServerBusy, retry_after_seconds
from db.wire import API_HEADER, API_PREFIX, API_VERSION, ErrorBody
from utils.factories import register_builtin
from utils.sync_env import SyncServer, device_set, device_states, enroll_device, server_set, sync_server

pytestmark = pytest.mark.timeout(180)

from server_helpers import batch, hash_of, signature  # noqa: E402 (on the path through utils.sync_env)

# One worker, no queue, no wait at the door: a batch that arrives while another is in the worker is
# refused at once.
BUSY_ENV = {"PETITION_SERVER_INGEST_QUEUE": "0", "PETITION_SERVER_BUSY_RETRY_AFTER_S": "1",
            "PETITION_SERVER_BUSY_HOLD_S": "0"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncServer]:
    with sync_server(tmp_path_factory.mktemp("server"), workers=1, extra_env=BUSY_ENV) as running:
        yield running


def _post_together(url: str, token: str, device_id: str, bodies: list[bytes]) -> list[requests.Response]:
    """POST the bodies at the same moment, one connection each."""
    answers: list[Any] = [None] * len(bodies)
    start = threading.Barrier(len(bodies))

    def post(i: int) -> None:
        with requests.Session() as session:
            start.wait(10)
            answers[i] = session.post(
                f"{url}{API_PREFIX}/devices/{device_id}/batches", data=bodies[i], timeout=60,
                headers={"Authorization": f"Bearer {token}", API_HEADER: str(API_VERSION),
                         "Content-Type": "application/json"})

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


def test_a_full_queue_answers_503_with_a_jittered_retry_after_and_stores_nothing(
        server: SyncServer, data_dir: Path) -> None:
    enrolled = enroll_device(data_dir, server)
    accepted: dict[str, str] = {}
    refused: list[tuple[bytes, list[str]]] = []
    for _ in range(5):  # bounded: rounds of six batches at once until some were refused
        batches = [[signature(seq=n) for n in range(1, 301)] for _ in range(6)]
        bodies = [orjson.dumps(batch(b)) for b in batches]
        for answer, body, sent in zip(_post_together(server.url, enrolled.token, enrolled.device_id, bodies),
                                      bodies, batches, strict=True):
            if answer.status_code == 200:
                assert [r["outcome"] for r in answer.json()["results"]] == ["created"] * len(sent)
                accepted.update({s["id"]: hash_of(s) for s in sent})
            else:
                assert answer.status_code == 503, answer.text
                error = ErrorBody.model_validate_json(answer.content)
                assert error.error == "server_busy"
                assert answer.headers["Retry-After"] in ("1", "2")  # BUSY_RETRY_AFTER_S to twice that
                refused.append((body, [s["id"] for s in sent]))
        if refused:
            break
    assert refused, "six batches at once on a worker with no queue were all admitted"
    assert accepted  # the one in the worker was stored
    stored = server_set(server.engine, enrolled.device_id)
    assert stored == accepted  # nothing of a refused batch
    for body, ids in refused:  # sent again one by one: admitted, stored once
        answer = _post_together(server.url, enrolled.token, enrolled.device_id, [body])[0]
        assert answer.status_code == 200
        assert [r["outcome"] for r in answer.json()["results"]] == ["created"] * len(ids)
    assert len(server_set(server.engine, enrolled.device_id)) == len(accepted) + sum(len(i) for _, i in refused)


def test_batches_beyond_the_queue_wait_at_the_door_and_are_all_admitted_in_turn(tmp_path: Path, data_dir: Path) -> None:
    """The same worker without a queue, but a wait at the door (room for four there: 4 x the one place):
    five batches at once are each let in when the one before leaves, none is refused, each is stored once."""
    door_env = {**BUSY_ENV, "PETITION_SERVER_BUSY_HOLD_S": "20"}
    with sync_server(tmp_path / "server", workers=1, extra_env=door_env) as patient:
        enrolled = enroll_device(data_dir, patient)
        batches = [[signature(seq=n) for n in range(1, 301)] for _ in range(5)]
        answers = _post_together(patient.url, enrolled.token, enrolled.device_id,
                                 [orjson.dumps(batch(b)) for b in batches])
        assert [a.status_code for a in answers] == [200] * 5, [a.text[:200] for a in answers if a.status_code != 200]
        for answer, sent in zip(answers, batches, strict=True):
            assert [r["outcome"] for r in answer.json()["results"]] == ["created"] * len(sent)
        assert server_set(patient.engine, enrolled.device_id) == {s["id"]: hash_of(s) for b in batches for s in b}


def test_retry_after_is_read_as_seconds_only() -> None:
    assert retry_after_seconds("3") == 3.0
    assert retry_after_seconds(" 12 ") == 12.0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("Wed, 21 Oct 2026 07:28:00 GMT") is None  # a date: the device's clock may be wrong
    assert retry_after_seconds("-1") is None


def test_the_loop_waits_the_servers_retry_after_within_its_backoff_cap() -> None:
    auto = runner.AutoSync(lambda _stop: runner.SyncReport(), backoff=runner.Backoff(cap_s=10))
    busy = runner.SyncReport(outcome=runner.OFFLINE, retry_after=3)
    assert auto.delay_after(busy) == 3
    assert auto.delay_after(runner.SyncReport(outcome=runner.OFFLINE, retry_after=600)) == 10
    assert auto.backoff.failures == 0  # the server's word, not a failure that grows the next wait
    assert 0.5 <= auto.delay_after(runner.SyncReport(outcome=runner.OFFLINE)) <= 1


def test_devices_in_a_herd_wait_what_the_server_said_and_every_signature_arrives_once(
        server: SyncServer, tmp_path: Path) -> None:
    devices: list[tuple[Path, Engine, str]] = []
    for n in range(6):
        folder = tmp_path / f"device-{n}"
        folder.mkdir()
        engine = open_database(folder)
        register_builtin(engine)
        fill_pending(engine, 700)
        devices.append((folder, engine, enroll_device(folder, server, name=f"kiosk {n}").device_id))

    busy_answers: list[float] = []
    waits_too_short: list[tuple[float, float]] = []
    failures: list[BaseException] = []

    def device(folder: Path, engine: Engine) -> None:
        syncer = runner.Syncer(folder, engine, max_count=100)
        ended_at: list[float] = []
        asked: list[float | None] = []

        def run_once(stop: threading.Event) -> runner.SyncReport:
            if asked and asked[-1] is not None and time.monotonic() - ended_at[-1] < asked[-1]:
                waits_too_short.append((time.monotonic() - ended_at[-1], asked[-1]))
            report = syncer.run(stop)
            ended_at.append(time.monotonic())
            asked.append(report.retry_after)
            if report.retry_after is not None:
                busy_answers.append(report.retry_after)
            if report.done or len(asked) > 60:
                auto.stop()
            return report

        auto = runner.AutoSync(run_once, probe_interval_s=0.1, backoff=runner.Backoff(base_s=0.2, cap_s=2))
        try:
            auto.run()
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread
            failures.append(exc)
        finally:
            syncer.close()

    threads = [threading.Thread(target=device, args=(folder, engine)) for folder, engine, _ in devices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(150)
    assert not failures, failures
    assert busy_answers, "six devices with four batches out each on one worker without a queue: none refused"
    assert all(1 <= s <= 2 for s in busy_answers), busy_answers  # the server's jittered Retry-After
    assert not waits_too_short, waits_too_short
    for folder, engine, device_id in devices:
        assert device_states(engine) == {"acked": 700}, folder  # nothing set aside for a busy server
        assert server_set(server.engine, device_id) == device_set(engine)  # none lost, none twice
        engine.dispose()


def test_server_busy_is_an_offline_answer() -> None:
    assert issubclass(ServerBusy, runner.Offline)
