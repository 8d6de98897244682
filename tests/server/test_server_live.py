"""A real ``petition-server serve`` process with two workers on 127.0.0.1, on SQLite and PostgreSQL:
racing identical batches from parallel processes, conflicts, revocation, oversized bodies."""

from __future__ import annotations

import contextlib
import multiprocessing
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

import httpx
import orjson
import pytest
from conftest import _truncate_pg
from server_helpers import (
    EnrolledDevice,
    LiveServer,
    batch,
    hash_of,
    live_server,
    new_code,
    public_key,
    publish_builtin,
    signature,
)
from server_race import post_batch
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from db.wire import API_PREFIX, HEALTH_MARKER
from server import devices
from server.database import make_engine, sqlite_url, upgrade, write_session
from server.models import StoredSignature
from utils.pgbouncer import PGBOUNCER, pgbouncer

pytestmark = pytest.mark.timeout(180)
RACERS = 4


@pytest.fixture(scope="module", params=["sqlite", "postgresql", "pgbouncer"])
def live_env(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Engine]]:
    """One server process per backend for this module (two workers; four behind PgBouncer in
    transaction mode, as a deployment that outgrew one worker host runs); tests use their own devices."""
    data_dir = tmp_path_factory.mktemp("live")
    if request.param in ("postgresql", "pgbouncer"):
        url: str = request.getfixturevalue("pg_url")
        engine = make_engine(url)
        _truncate_pg(engine)
    else:
        url = sqlite_url(data_dir)
        engine = make_engine(url)
    upgrade(engine)
    publish_builtin(engine)
    with contextlib.ExitStack() as stack:
        workers = 2
        if request.param == "pgbouncer":
            if PGBOUNCER is None:
                pytest.skip("needs pgbouncer (./dev.sh test installs it)")
            url = stack.enter_context(pgbouncer(url))
            workers = 4
        server = stack.enter_context(live_server(url, data_dir, workers=workers))
        yield server, engine
    engine.dispose()


@pytest.fixture
def live(live_env: tuple[LiveServer, Engine]) -> LiveServer:
    return live_env[0]


@pytest.fixture
def server_engine(live_env: tuple[LiveServer, Engine]) -> Engine:
    return live_env[1]


@pytest.fixture(scope="module")
def racers() -> Iterator[ProcessPoolExecutor]:
    with ProcessPoolExecutor(RACERS, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(abs, range(RACERS)))  # start them before the race
        yield pool


def _enroll_live(live: LiveServer, engine: Engine, name: str) -> EnrolledDevice:
    answer = httpx.post(f"{live.url}{API_PREFIX}/enroll",
                        json={"code": new_code(engine, name), "device_public_key": public_key()}, timeout=10)
    assert answer.status_code == 200, answer.text
    return EnrolledDevice(answer.json()["device_id"], answer.json()["token"])


def _race(pool: ProcessPoolExecutor, live: LiveServer, device: EnrolledDevice, body: bytes) -> list[list[dict[str, object]]]:
    futures = [pool.submit(post_batch, live.url, device.token, device.id, body) for _ in range(RACERS)]
    return [f.result(timeout=120) for f in futures]


def test_health_of_real_process(live: LiveServer) -> None:
    answer = httpx.get(f"{live.url}{API_PREFIX}/health", timeout=5)
    assert answer.json()["marker"] == HEALTH_MARKER


def test_identical_batches_racing_store_each_signature_once(
    live: LiveServer, server_engine: Engine, racers: ProcessPoolExecutor
) -> None:
    device = _enroll_live(live, server_engine, "racer")
    sigs = [signature(seq=i) for i in range(1, 301)]
    body = orjson.dumps(batch(sigs))
    answers = _race(racers, live, device, body)

    per_id = Counter((r["id"], r["outcome"]) for answer in answers for r in answer)
    for s in sigs:
        assert per_id[(s["id"], "created")] == 1, "exactly one racer creates each signature"
        assert per_id[(s["id"], "duplicate")] == RACERS - 1
    ids = [s["id"] for s in sigs]
    with Session(server_engine) as session:
        stored = session.exec(
            select(StoredSignature.id, StoredSignature.content_hash).where(col(StoredSignature.id).in_(ids))
        ).all()
        total = session.exec(select(func.count()).where(col(StoredSignature.device_id) == device.id)).one()
    assert total == len(sigs)
    assert {i: h for i, h in stored} == {s["id"]: hash_of(s) for s in sigs}

    # the same ids with other content, racing: every one is a conflict and the first content stays
    changed = [{**s, "city": "Aleppo"} for s in sigs]
    answers = _race(racers, live, device, orjson.dumps(batch(changed)))
    assert {r["outcome"] for answer in answers for r in answer} == {"conflict"}
    with Session(server_engine) as session:
        cities = set(session.exec(select(StoredSignature.city).where(col(StoredSignature.id).in_(ids))).all())
    assert cities == {"Berlin"}


def test_revocation_takes_effect_on_the_next_request(live: LiveServer, server_engine: Engine) -> None:
    device = _enroll_live(live, server_engine, "to revoke")
    url = f"{live.url}{API_PREFIX}/campaigns"
    assert httpx.get(url, headers=device.headers, timeout=5).status_code == 200
    with write_session(server_engine) as session:
        (found,) = devices.find(device.id, session=session)
        devices.revoke(found, session=session)
        session.commit()
    # several requests, so both workers answer at least once with high probability
    statuses = {httpx.get(url, headers=device.headers, timeout=5).status_code for _ in range(8)}
    assert statuses == {403}
    upload = httpx.post(f"{live.url}{device.batches}", content=orjson.dumps(batch([signature()])),
                        headers={**device.headers, "Content-Type": "application/json"}, timeout=10)
    assert upload.status_code == 403 and upload.json()["error"] == "device_revoked"


def test_oversized_body_gets_413_json_from_real_server(live: LiveServer, server_engine: Engine) -> None:
    device = _enroll_live(live, server_engine, "big")
    body = b'{"device_time": "2026-01-01T00:00:00Z", "signatures": [' + b" " * (3 * 1024 * 1024) + b"]}"
    answer = httpx.post(f"{live.url}{device.batches}", content=body,
                        headers={**device.headers, "Content-Type": "application/json"}, timeout=30)
    assert answer.status_code == 413 and answer.json()["error"] == "payload_too_large"
    # the connection pool is still usable afterwards
    assert httpx.get(f"{live.url}{API_PREFIX}/health", timeout=5).status_code == 200
    assert "Traceback" not in live.log()
