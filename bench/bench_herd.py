"""The 6 pm herd: many devices come back online within one window (a minute in the full run), each with
50-500 pending signatures, against a real ``petition-server`` with four workers on SQLite, then on
PostgreSQL when ``PETITION_BENCH_DATABASE_URL`` or ``PETITION_TEST_DATABASE_URL`` is set (as
bench_ingest).

Some devices run the real client (``db.sync.runner``: claim, send, apply, the loop's backoff and its
obedience to ``Retry-After``) on data folders of their own, in threads; the rest are a bounded async
load generator speaking the same wire format: a device POSTs its batches in turn, and on 503/429 waits
the ``Retry-After`` the server named (else a doubling backoff), at most five minutes, as the real client.
``--quick``: 100 devices (10 real) arriving within 5 s (a denser herd, so the queue fills); full: 1,000 (50 real) within 60 s.

Printed per backend: the time until every device is drained (baseline: one device alone draining the
mean backlog, times devices over workers: the herd served with perfect packing), the share of batch
requests answered 429/503 (and retried), the longest wait of any device from coming online to its first
acknowledged batch (goal < 60 s; baseline: that wait for one device alone), the p95 of a batch request
the server admitted, and lost / duplicated signatures (both 0).

The server runs with its own settings from the environment: ``PETITION_SERVER_INGEST_QUEUE=0`` (or 1)
with ``PETITION_SERVER_BUSY_HOLD_S=0`` shows admission control refusing batches on a herd the default
queue and the wait at its door absorb. ``PETITION_BENCH_WORKERS`` sets
the workers (default 4).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import http.client
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from bench.core import Figure, percentile

NAME = "herd"
DESCRIPTION = "many devices come back at once with 50-500 signatures each (real server, 4 workers)"
BATCH = 500
DEADLINE_S = 600.0  # every device's loop ends by then, drained or not (then it counts as not drained)
CAP_S = 300.0  # the real client's backoff cap (db/sync/runner.py: Backoff)


def _wire(template: dict[str, Any], count: int, tag: str) -> list[dict[str, Any]]:
    return [{**template, "id": str(uuid.uuid4()), "seq": i, "family_name": f"Haddad {tag}-{i}",
             "email": f"amal.{tag}.{i}@example.org"} for i in range(1, count + 1)]


class _Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests = 0
        self.busy = 0  # answered 429/503 (and retried)
        self.other_errors: list[str] = []
        self.admitted_ms: list[float] = []
        self.first_wait: dict[str, float] = {}  # device -> s from online to its first acknowledged batch
        self.drained_at: dict[str, float] = {}  # device -> perf_counter when all its signatures were acked


async def _simulated_device(client: Any, name: str, device_id: str, token: str, bodies: list[bytes],
                            online_at: float, t0: float, tally: _Tally) -> None:
    await asyncio.sleep(max(0.0, t0 + online_at - time.perf_counter()))
    came = time.perf_counter()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "X-Petition-Api": "1"}
    rng = random.Random(name)
    for body in bodies:
        failures = 0
        while time.perf_counter() - t0 < DEADLINE_S:
            sent = time.perf_counter()
            try:
                answer = await client.post(f"/api/v1/devices/{device_id}/batches", content=body, headers=headers)
                status, after = answer.status_code, answer.headers.get("Retry-After")
            except Exception as exc:  # noqa: BLE001 - a device keeps its batch and retries
                status, after = 0, None
                with tally.lock:
                    tally.other_errors.append(type(exc).__name__)
            took = time.perf_counter() - sent
            with tally.lock:
                tally.requests += 1
                if status == 200:
                    tally.admitted_ms.append(took * 1000)
                    tally.first_wait.setdefault(name, time.perf_counter() - came)
                elif status in (429, 503):
                    tally.busy += 1
                elif status:
                    tally.other_errors.append(str(status))
            if status == 200:
                break
            if after is not None and after.strip().isdigit():
                delay = min(float(after), CAP_S)
            else:  # the real client's backoff: doubling from 1 s, drawn in [half, full]
                step = min(CAP_S, 2.0 ** failures)
                delay = step / 2 + rng.uniform(0, step / 2)
            failures += 1
            await asyncio.sleep(delay)
        else:
            return
    tally.drained_at[name] = time.perf_counter()


def _real_device(folder: Path, name: str, online_at: float, t0: float, tally: _Tally) -> None:
    from db.migrate import open_database
    from db.sync import runner

    engine = open_database(folder)
    time.sleep(max(0.0, t0 + online_at - time.perf_counter()))
    came = time.perf_counter()

    def progress(report: runner.SyncReport) -> None:
        if report.sent:
            with tally.lock:
                tally.first_wait.setdefault(name, time.perf_counter() - came)

    syncer = runner.Syncer(folder, engine, progress=progress)

    def run_once(stop: threading.Event) -> runner.SyncReport:
        report = syncer.run(stop)
        with tally.lock:
            tally.requests += report.batches + (1 if report.outcome != runner.OK else 0)
            if report.retry_after is not None:
                tally.busy += 1
            elif report.outcome != runner.OK:
                tally.other_errors.append(report.message[:80])
        if report.done:
            with tally.lock:
                tally.drained_at[name] = time.perf_counter()
        if report.done or time.perf_counter() - t0 > DEADLINE_S:
            auto.stop()
        return report

    auto = runner.AutoSync(run_once)
    try:
        auto.run()
    finally:
        syncer.close()
        engine.dispose()


def _run_backend(label: str, url: str, root: Path, devices: int, real: int, window_s: float,
                 workers: int) -> list[Figure]:
    import httpx
    from sqlalchemy import func, select
    from sqlmodel import Session, col

    from bench.bench_ingest import _hash, _request, _server, _template
    from bench.sealed_data import ensure_sealing_key
    from bench.sync_data import fill_pending
    from db.migrate import open_database as open_device
    from db.paths import builtin_bundle_dirs
    from db.sync import enrollment
    from server import devices as server_devices
    from server.campaigns import publish
    from server.database import open_database, write_session
    from server.models import StoredSignature

    rng = random.Random(21)
    engine = open_database(url)
    with write_session(engine) as session:
        ensure_sealing_key(session)
        for folder in builtin_bundle_dirs():
            publish(folder, session=session)
        codes = [server_devices.add_device(f"herd {i}", session=session, ttl=timedelta(hours=1)).code
                 for i in range(devices + 1)]
        session.commit()
    pending = [rng.randint(50, 500) for _ in range(devices)]
    online = sorted(rng.uniform(0, window_s) for _ in range(devices))
    template = _template()
    expected: dict[str, str] = {}
    server_dir = root / "server"
    server_dir.mkdir()
    tally = _Tally()
    with _server(url, server_dir, workers) as port:
        base = f"http://127.0.0.1:{port}"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        key = base64.b64encode(os.urandom(32)).decode()
        sims: list[tuple[str, str, str, list[bytes], float]] = []
        reals: list[tuple[Path, str, float]] = []
        for n in range(devices):
            if n < real:  # the real client, on a data folder of its own
                folder = root / f"device-{n}"
                device_engine = open_device(folder)
                fill_pending(device_engine, pending[n])
                device_engine.dispose()
                with contextlib.closing(sqlite3.connect(folder / "petition-kiosk.sqlite3")) as db:
                    expected.update(db.execute("SELECT id, content_hash FROM signature").fetchall())
                enrollment.enroll(folder, base, codes[n])
                reals.append((folder, f"real-{n}", online[n * devices // max(1, real)]))
                continue
            status, body = _request(conn, "POST", "/api/v1/enroll", orjson.dumps({"code": codes[n], "device_public_key": key}))
            if status != 200:
                raise RuntimeError(f"enroll failed: {status} {body}")
            payloads = _wire(template, pending[n], str(n))
            expected.update({p["id"]: _hash(p) for p in payloads})
            bodies = [orjson.dumps({"device_time": datetime.now(UTC).isoformat(), "signatures": payloads[i:i + BATCH]})
                      for i in range(0, len(payloads), BATCH)]
            sims.append((f"sim-{n}", body["device_id"], body["token"], bodies, 0.0))
        # the real devices take arrival times spread over the window; the simulated ones the rest
        taken = {n * devices // max(1, real) for n in range(real)}
        rest = [t for i, t in enumerate(online) if i not in taken]
        sims = [(a, b, c, d, rest[i % len(rest)] if rest else 0.0) for i, (a, b, c, d, _) in enumerate(sims)]

        # The same-run baseline: one device alone, nobody else online, sending the mean backlog (twice,
        # new signatures each time; the faster counts: the first warms the worker up).
        mean = round(sum(pending) / len(pending))
        status, body = _request(conn, "POST", "/api/v1/enroll", orjson.dumps({"code": codes[devices], "device_public_key": key}))
        conn.close()
        lone_times = []
        for attempt in range(2):
            lone = _wire(template, mean, f"lone{attempt}")
            t = time.perf_counter()
            with httpx.Client(base_url=base, timeout=60) as c:
                for at in range(0, len(lone), BATCH):
                    answer = c.post(f"/api/v1/devices/{body['device_id']}/batches", headers={
                        "Authorization": f"Bearer {body['token']}", "Content-Type": "application/json",
                        "X-Petition-Api": "1"},
                        content=orjson.dumps({"device_time": datetime.now(UTC).isoformat(),
                                              "signatures": lone[at:at + BATCH]}))
                    if answer.status_code != 200:
                        raise RuntimeError(f"lone device: {answer.status_code}")
            lone_times.append(time.perf_counter() - t)
            expected.update({p["id"]: _hash(p) for p in lone})
        lone_s = min(lone_times)

        async def generator(t0: float) -> None:
            limits = httpx.Limits(max_connections=len(sims) or 1, max_keepalive_connections=len(sims) or 1)
            async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
                await asyncio.gather(*(_simulated_device(client, name, device_id, token, bodies, at, t0, tally)
                                       for name, device_id, token, bodies, at in sims))

        t0 = time.perf_counter() + 1.0
        threads = [threading.Thread(target=_real_device, args=(folder, name, at, t0, tally), daemon=True)
                   for folder, name, at in reals]
        for thread in threads:
            thread.start()
        asyncio.run(generator(t0))
        for thread in threads:
            thread.join(max(1.0, DEADLINE_S - (time.perf_counter() - t0)))
        end = max(tally.drained_at.values(), default=time.perf_counter())
        drain_s = end - t0

    # Lost and duplicated, by ids and content hashes: the simulated devices', the lone one's and each
    # real device's (read from its own database before the run).
    ids = list(expected)
    stored: dict[str, str] = {}
    with Session(engine) as session:
        for i in range(0, len(ids), 1000):
            stored.update(session.execute(select(col(StoredSignature.id), col(StoredSignature.content_hash))
                                          .where(col(StoredSignature.id).in_(ids[i:i + 1000]))).tuples().all())
        total_rows = int(session.execute(select(func.count()).select_from(StoredSignature)).scalar_one())
    engine.dispose()
    lost = sum(1 for i in ids if i not in stored)
    altered = sum(1 for i, h in expected.items() if i in stored and stored[i] != h)
    duplicated = total_rows - len(stored) + altered
    not_drained = devices - len(tally.drained_at)
    firsts = list(tally.first_wait.values())
    longest_first = max(firsts) if len(firsts) == devices else float("inf")
    packed = lone_s * devices / workers
    share = tally.busy / tally.requests if tally.requests else 0.0
    note = (f"{devices} devices ({real} running the real client), {sum(pending):,} signatures, online within "
            f"{window_s:.0f} s (the last at {max(online):.1f} s), {workers} workers; {tally.requests} batch requests, {tally.busy} answered 429/503; "
            f"devices not drained: {not_drained}; other failures: {len(tally.other_errors)}"
            + (f" (first: {tally.other_errors[0]})" if tally.other_errors else ""))
    print(f"herd.{label}: drained in {drain_s:.1f} s (one device alone {lone_s:.2f} s x {devices} / {workers} = "
          f"{packed:.1f} s); busy answers {share:.1%}; longest first wait {longest_first:.1f} s "
          f"(alone {lone_s:.2f} s); admitted batch p95 {percentile(tally.admitted_ms, 95):.0f} ms; "
          f"lost {lost}, duplicated {duplicated}; {note}", file=sys.stderr)
    prefix = f"herd.{label}"
    return [
        Figure(f"{prefix}.drain", drain_s, "s", packed, "one device alone x devices / workers", note=note),
        Figure(f"{prefix}.busy_share", share * 100, "% of batch requests",
               note="answered 429/503 and retried after Retry-After"),
        Figure(f"{prefix}.longest_first_wait", longest_first, "s", lone_s, "one device alone", goal="< 60 s"),
        Figure(f"{prefix}.batch_p95", percentile(tally.admitted_ms, 95), "ms",
               note="admitted batch requests of the load generator, send to answer"),
        Figure(f"{prefix}.lost", lost, "signatures", goal="0"),
        Figure(f"{prefix}.duplicated", duplicated, "signatures", goal="0", note="stored twice or altered"),
    ]


def run(quick: bool) -> list[Figure]:
    from bench.bench_ingest import _pg_admin_url
    from bench.scratch_db import scratch_postgresql
    from server.database import sqlite_url

    devices, real, window_s = (100, 10, 5.0) if quick else (1000, 50, 60.0)
    workers = int(os.environ.get("PETITION_BENCH_WORKERS", "4"))
    figures: list[Figure] = []
    tmp = Path(tempfile.mkdtemp(prefix="bench-herd-"))
    try:
        (tmp / "sqlite").mkdir()
        figures += _run_backend("sqlite", sqlite_url(tmp / "sqlite"), tmp / "sqlite", devices, real, window_s, workers)
        admin_url = _pg_admin_url()
        if not admin_url:
            figures.append(Figure("herd.postgresql.drain", float("nan"), "s",
                                  note="skipped: set PETITION_TEST_DATABASE_URL (or PETITION_BENCH_DATABASE_URL)"))
            return figures
        try:
            database = scratch_postgresql(admin_url, "petition_herd_")
        except Exception as exc:  # noqa: BLE001 - a figure, not a crash
            figures.append(Figure("herd.postgresql.drain", float("nan"), "s",
                                  note=f"skipped: PostgreSQL not reachable ({type(exc).__name__})"))
            return figures
        with database as url:
            (tmp / "pg").mkdir()
            figures += _run_backend("postgresql", url, tmp / "pg", devices, real, window_s, workers)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return figures


if __name__ == "__main__":
    for figure in run(quick="--quick" in sys.argv):
        print(figure.as_json())
