"""Web signing: phones signing on the server's own page (``/s/<slug>``, server/pages/sign.py) against a
real ``petition-server`` process with 4 workers, on PostgreSQL (and SQLite as a second figure).

Each simulated phone does what a phone does: it opens a connection of its own, GETs the petition (the
form and its token, the CSRF token and idempotency key in one), POSTs the filled-in form and reads the
thank-you page, which must carry the receipt link. Every phone comes from an address of its own
(127.x.y.z: the whole of 127.0.0.0/8 is loopback on Linux), as a crowd of phones does, so the per-address
limit (20 forms a minute) stops no one and the server's default limits stay as they are. The phones are
a small asyncio HTTP/1.1 client written here (bounded in count and time): a general client library
would spend more of the machine's two cores than the server it measures.

1. **Capacity**: phones in a closed loop (each starts the next phone when it is done) at a few
   concurrency levels; the best signatures/s is the capacity.
2. **Half capacity**: phones arriving at a fixed pace of half the capacity (an open loop: a phone
   starts on time whether or not the ones before it are done); signatures/s and the p95 latency of a
   signature (GET to the thank-you page read) and of the POST alone.

The baseline, measured in the same run on the same server and database: the device batch path, the
same number of signatures sent by one enrolled device through ``/api/v1/devices/{id}/batches`` in
batches of 500, in signatures/s, and the server's CPU time per signature on either path (read from
/proc for the server's process group). Afterwards the database is counted: every thank-you page is
one stored web signature (lost and duplicated are figures, both must be 0).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import http.client
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

import orjson

from bench.core import Figure, percentile
from db.crowd.app import HONEYPOT_FIELD

NAME = "web-sign"
DESCRIPTION = "phones signing on the server's page /s/<slug> (4 workers, PostgreSQL and SQLite): capacity, p95"
SLUG = "aleppo"
BATCH = 500
GOAL_RATE = ">= 500 signatures/s"
GOAL_P95 = "< 500 ms"
PHONE_TIMEOUT_S = 30.0
T = TypeVar("T")
FORM_TOKEN = re.compile(rb'name="form" value="([^"]+)"')


def phone_address(n: int) -> str:
    """The n-th phone's own loopback address, from 127.1.0.1 on (never .0 or .255 at the end)."""
    host, last = divmod(n, 254)
    return f"127.{1 + (host >> 8) % 254}.{host & 255}.{last + 1}"


class PhoneFailed(Exception):
    pass


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> tuple[int, bytes]:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    body = await reader.readexactly(length) if length else b""
    return status, body


@dataclass
class _Tally:
    signed: int = 0
    latencies_ms: list[float] = field(default_factory=list)  # GET sent to thank-you page read
    post_ms: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


async def _phone(port: int, address: str, n: int, tally: _Tally) -> None:
    host = f"127.0.0.1:{port}"
    start = time.perf_counter()
    writer = None
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", port, local_addr=(address, 0)), PHONE_TIMEOUT_S)
        get = (f"GET /s/{SLUG}?lang=en HTTP/1.1\r\nHost: {host}\r\nAccept-Language: en\r\n"
               "Sec-Fetch-Site: none\r\n\r\n").encode()
        status, page = await asyncio.wait_for(_exchange(reader, writer, get), PHONE_TIMEOUT_S)
        token = FORM_TOKEN.search(page) if status == 200 else None
        if token is None:
            raise PhoneFailed(f"GET {status}")
        form = urlencode({"form": token.group(1).decode(), "lang": "en", "given_name": "Amal",
                          "family_name": f"Haddad {n}", "email": f"amal.{n}@example.org", "city": "Berlin",
                          "comment": "", "consent": "yes", HONEYPOT_FIELD: ""}).encode()
        post = (f"POST /s/{SLUG} HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\nSec-Fetch-Site: same-origin\r\n"
                f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(form)}\r\n\r\n").encode() + form
        sent = time.perf_counter()
        status, thanks = await asyncio.wait_for(_exchange(reader, writer, post), PHONE_TIMEOUT_S)
        done = time.perf_counter()
        if status != 200 or b"/receipt/" not in thanks:
            raise PhoneFailed(f"POST {status}")
        tally.signed += 1
        tally.latencies_ms.append((done - start) * 1000)
        tally.post_ms.append((done - sent) * 1000)
    except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError, PhoneFailed) as exc:
        tally.failures.append(str(exc) if isinstance(exc, PhoneFailed) else type(exc).__name__)
    finally:
        if writer is not None:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


def _run(main: Coroutine[Any, Any, T]) -> T:
    """The phones' event loop: libuv's (uvloop, a dependency of the server) where it installs, which
    spends about half the CPU of asyncio's own per phone; the phones share the server's two cores."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - Windows
        return asyncio.run(main)
    return uvloop.run(main)


class _Numbers:
    """Each phone's number (its address and its name), never used twice in a run."""

    def __init__(self) -> None:
        self.next = 0

    def take(self) -> int:
        self.next += 1
        return self.next


async def _closed_loop(port: int, concurrency: int, seconds: float, numbers: _Numbers) -> tuple[float, _Tally]:
    """``concurrency`` phones at a time for ``seconds``: signatures/s."""
    tally = _Tally()
    end = time.perf_counter() + seconds

    async def lane() -> None:
        while time.perf_counter() < end:
            n = numbers.take()
            await _phone(port, phone_address(n), n, tally)

    t0 = time.perf_counter()
    await asyncio.gather(*(lane() for _ in range(concurrency)))
    return tally.signed / (time.perf_counter() - t0), tally


async def _paced(port: int, rate: float, seconds: float, numbers: _Numbers, max_in_flight: int) -> tuple[float, _Tally]:
    """A phone every 1/rate seconds for ``seconds``, whether or not the others are done (at most
    ``max_in_flight`` at once: beyond that the server is not keeping up and the run says so)."""
    tally = _Tally()
    tasks: set[asyncio.Task[None]] = set()
    total = max(1, round(rate * seconds))
    t0 = time.perf_counter()
    skipped = 0
    for i in range(total):
        await asyncio.sleep(max(0.0, t0 + i / rate - time.perf_counter()))
        if len(tasks) >= max_in_flight:
            skipped += 1
            continue
        n = numbers.take()
        task = asyncio.create_task(_phone(port, phone_address(n), n, tally))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    if tasks:
        await asyncio.wait(tasks, timeout=PHONE_TIMEOUT_S * 2)
    wall = time.perf_counter() - t0
    tally.failures += ["not started: too many phones waiting"] * skipped
    return tally.signed / wall, tally


def _batch_baseline(port: int, code: str, count: int, template: dict[str, Any]) -> float:
    """Seconds to send ``count`` signatures through the device batch path, batches of 500, one device."""
    from bench.bench_ingest import _payloads, _request

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        key = base64.b64encode(os.urandom(32)).decode()
        status, body = _request(conn, "POST", "/api/v1/enroll", orjson.dumps({"code": code, "device_public_key": key}))
        if status != 200:
            raise RuntimeError(f"enroll failed: {status} {body}")
        payloads = _payloads(template, count, 0)
        bodies = [orjson.dumps({"device_time": datetime.now(UTC).isoformat(), "signatures": payloads[i:i + BATCH]})
                  for i in range(0, len(payloads), BATCH)]
        t0 = time.perf_counter()
        for batch in bodies:
            status, answer = _request(conn, "POST", f"/api/v1/devices/{body['device_id']}/batches", batch, body["token"])
            if status != 200:
                raise RuntimeError(f"batch refused: {status} {str(answer)[:200]}")
        return time.perf_counter() - t0
    finally:
        conn.close()


def _run_backend(label: str, url: str, data_dir: Path, quick: bool, workers: int) -> list[Figure]:
    from sqlmodel import Session

    from bench.bench_ingest import _server, _template, server_cpu_seconds
    from bench.sealed_data import ensure_sealing_key
    from db.paths import builtin_bundle_dirs
    from server import devices as server_devices
    from server import web_sign
    from server.campaigns import publish
    from server.database import open_database, write_session

    engine = open_database(url)
    with write_session(engine) as session:
        ensure_sealing_key(session)  # the campaign seals: the server seals every web signature on arrival
        for folder in builtin_bundle_dirs():
            publish(folder, session=session)
        code = server_devices.add_device("bench web-sign baseline", session=session, ttl=timedelta(hours=1)).code
        session.commit()
    levels, step_s, paced_s = ((8, 32), 3.0, 5.0) if quick else ((8, 16, 32, 64, 128), 8.0, 20.0)
    numbers = _Numbers()
    steps: list[tuple[int, float, _Tally]] = []
    with _server(url, data_dir, workers) as port:
        # Warm-up: every worker unpacks the bundle and renders the empty page once.
        _, warm = _run(_closed_loop(port, workers * 2, 1.0, numbers))
        cpu0 = server_cpu_seconds(data_dir)
        for concurrency in levels:
            rate, tally = _run(_closed_loop(port, concurrency, step_s, numbers))
            steps.append((concurrency, rate, tally))
            print(f"web-sign.{label}: {concurrency} phones at once: {rate:.0f} signatures/s, signature p95 "
                  f"{percentile(tally.latencies_ms, 95):.0f} ms, {len(tally.failures)} failed", file=sys.stderr)
        cpu1 = server_cpu_seconds(data_dir)
        closed_signed = sum(t.signed for _, _, t in steps)
        best_concurrency, capacity, _ = max(steps, key=lambda s: s[1])
        half = max(1.0, capacity / 2)  # at least one phone a second, even when none signed (see the failures)
        paced_rate, paced = _run(_paced(port, half, paced_s, numbers, max_in_flight=best_concurrency * 8))
        print(f"web-sign.{label}: paced at {half:.0f}/s: {paced_rate:.0f} signatures/s, signature p95 "
              f"{percentile(paced.latencies_ms, 95):.0f} ms, POST p95 {percentile(paced.post_ms, 95):.0f} ms, "
              f"{len(paced.failures)} failed", file=sys.stderr)
        batch_count = max(BATCH, paced.signed)
        cpu2 = server_cpu_seconds(data_dir)
        batch_s = _batch_baseline(port, code, batch_count, _template())
        cpu3 = server_cpu_seconds(data_dir)
    with Session(engine) as session:
        stored = web_sign.web_count(SLUG, session=session)
    engine.dispose()
    thanked = warm.signed + closed_signed + paced.signed
    batch_rate = batch_count / batch_s
    cpu_web = cpu_batch = None
    if None not in (cpu0, cpu1, cpu2, cpu3) and closed_signed:
        cpu_web = (cpu1 - cpu0) * 1000 / closed_signed  # type: ignore[operator]
        cpu_batch = (cpu3 - cpu2) * 1000 / batch_count  # type: ignore[operator]
    failures = [f for _, _, t in steps for f in t.failures] + paced.failures
    note = (f"{workers} workers; capacity at {best_concurrency} phones at once ("
            + ", ".join(f"{c}: {r:.0f}/s" for c, r, _ in steps)
            + f"); paced {paced_s:.0f} s at {half:.0f}/s; batch baseline {batch_count} signatures in batches of {BATCH}"
            + f"; {len(failures)} phones failed" + (f" (first: {failures[0]})" if failures else ""))
    prefix = f"web-sign.{label}"
    return [
        Figure(f"{prefix}.capacity", capacity, "signatures/s", batch_rate,
               "the device batch path: the same server, one device, batches of 500", goal=GOAL_RATE, note=note),
        Figure(f"{prefix}.half_rate", paced_rate, "signatures/s", note="phones arriving at half the capacity"),
        Figure(f"{prefix}.half_p95", percentile(paced.latencies_ms, 95), "ms", goal=GOAL_P95,
               note="a signature at half capacity: GET the page, POST the form, thank-you page read"),
        Figure(f"{prefix}.half_post_p95", percentile(paced.post_ms, 95), "ms"),
        Figure(f"{prefix}.cpu_per_signature", cpu_web if cpu_web is not None else float("nan"), "ms",
               cpu_batch, "server CPU per signature on the device batch path",
               note="the server's CPU time (all workers) per stored signature"),
        Figure(f"{prefix}.lost", max(0, thanked - stored), "signatures", goal="0",
               note="thank-you pages without a stored web signature"),
        Figure(f"{prefix}.unthanked", max(0, stored - thanked), "signatures",
               note="stored web signatures whose phone got no thank-you page (gave up waiting); each form "
                    "is one id, so none can be stored twice"),
    ]


def run(quick: bool) -> list[Figure]:
    from bench.bench_ingest import _pg_admin_url
    from bench.scratch_db import scratch_postgresql
    from server.database import sqlite_url

    workers = int(os.environ.get("PETITION_BENCH_WORKERS", "4"))
    figures: list[Figure] = []
    tmp = Path(tempfile.mkdtemp(prefix="bench-web-sign-"))
    try:
        admin_url = _pg_admin_url()
        database = None
        if admin_url:
            try:
                database = scratch_postgresql(admin_url, "petition_web_")
            except Exception as exc:  # noqa: BLE001 - a figure, not a crash
                figures.append(Figure("web-sign.postgresql.capacity", float("nan"), "signatures/s",
                                      note=f"skipped: PostgreSQL not reachable ({type(exc).__name__})"))
        else:
            figures.append(Figure("web-sign.postgresql.capacity", float("nan"), "signatures/s",
                                  note="skipped: set PETITION_TEST_DATABASE_URL (or PETITION_BENCH_DATABASE_URL)"))
        if database is not None:
            with database as url:
                (tmp / "pg").mkdir()
                figures += _run_backend("postgresql", url, tmp / "pg", quick, workers)
        (tmp / "sqlite").mkdir()
        figures += _run_backend("sqlite", sqlite_url(tmp / "sqlite"), tmp / "sqlite", quick, workers)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return figures


if __name__ == "__main__":
    for figure in run(quick="--quick" in sys.argv):
        print(figure.as_json())
