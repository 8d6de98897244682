"""Ingest: many devices uploading at once to a real ``petition-server`` process (two workers).

Each simulated device enrolls through the API and first sends one signature alone, untimed (it warms
the worker that serves the device's keep-alive connection: imports, first database connection). Then:

* **Saturation.** Every device sends its signatures in batches of 500 on its own connection, all at
  once. The figure is signatures stored per second, wall clock, from the start to the last answer, and
  the server's CPU time per signature (all its processes). Batch p50/p95 here are work in flight over
  throughput (Little's law), not a latency the server chose. Fairness: the slowest device's own rate
  over the fastest's.
* **Half the capacity.** The same devices, each sending a batch at a fixed interval with their starts
  spread evenly, together offering half the rate just measured: batch p50/p95 there are the latency a
  device sees on a server that is not saturated (goal on PostgreSQL: p95 under 1 s).

Afterwards every id and content hash is checked in the database: lost, duplicated and altered
signatures are figures too (all must be 0).

The baseline, measured in the same run on the same database: the ceiling. The same rows, already
prepared, stored with the very statement the server's ingest sends (server/ingest.py: one JSON document
through ``json_populate_recordset`` with ``ON CONFLICT ... DO NOTHING RETURNING id`` on PostgreSQL;
multi-row VALUES with ``ON CONFLICT ... DO NOTHING`` in a savepoint on SQLite, where the count of rows
inserted says that every one was new, its values bound as the server binds them), straight on the
database driver, 500 rows a transaction, into a scratch copy of the signature table with its indexes and
its foreign key to the device table, which the database checks for every row of the server's insert
too. The gap between the two is what the server adds: HTTP, parsing, validation, hashing, the answers.

SQLite always; PostgreSQL too when ``PETITION_BENCH_DATABASE_URL`` or ``PETITION_TEST_DATABASE_URL``
names a server where the role may create databases (a scratch database is made and dropped).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.client
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from bench.core import Figure, percentile

NAME = "ingest"
DESCRIPTION = "concurrent devices uploading batches to a real server process (SQLite, PostgreSQL)"

ROOT = Path(__file__).resolve().parent.parent
BATCH = 500
RETRIES = 3  # failures other than "busy" before a batch is given up
SEND_DEADLINE_S = 300  # a batch is given up after this long in all (then counted lost)
BUSY_WAIT_CAP_S = 30  # the longest Retry-After honoured, as the device's backoff cap bounds it
PACED_BATCHES = 3  # per device, in the run below saturation
# uvicorn closes a keep-alive connection idle for 5 s (its default): a device whose connection sat idle
# longer opens a new one before it sends, as urllib3 does with a connection it finds dropped, instead of
# writing into the closed one and counting a failed request.
IDLE_REOPEN_S = 4.0
GOAL = "sqlite >= 5000 signatures/s (ODK Central sizing: ~41/s)"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def _server(url: str, data_dir: Path, workers: int) -> Iterator[int]:
    port = _free_port()
    log = open(data_dir / "server.log", "wb")  # noqa: SIM115 - closed below
    cmd = [sys.executable, "-m", "server.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
           "--data-dir", str(data_dir), "--database-url", url, "--workers", str(workers),
           "--log-level", "warning", "--no-access-log"]
    # 50 devices enroll within seconds: lift the enrollment rate limits for this run only.
    env = {**os.environ, "PETITION_SERVER_ENROLL_PER_IP_PER_MINUTE": "10000",
           "PETITION_SERVER_ENROLL_GLOBAL_PER_MINUTE": "10000"}
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True, env=env)
    (data_dir / SERVER_PID_FILE).write_text(str(proc.pid))  # its process group: see server_cpu_seconds
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited: {(data_dir / 'server.log').read_text()[-2000:]}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/api/v1/health")
                if conn.getresponse().status == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start within 60 s")
            time.sleep(0.1)
        yield port
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait(timeout=15)
        log.close()


SERVER_PID_FILE = "server.pid"


def server_cpu_seconds(data_dir: Path) -> float | None:
    """CPU time used so far by the server _server started in ``data_dir``, its workers included (the
    processes of its process group; Linux /proc), or None where that cannot be read."""
    try:
        group = int((data_dir / SERVER_PID_FILE).read_text())
    except (OSError, ValueError):
        return None
    return processes_cpu_seconds(lambda _name, fields: int(fields[2]) == group)  # pgrp


def processes_cpu_seconds(keep: Callable[[str, list[str]], bool]) -> float | None:
    """CPU time used so far by the processes that ``keep(name, fields)`` keeps (``name``: the command
    name in /proc/<pid>/stat; ``fields``: what follows it there), or None where /proc cannot be read."""
    ticks = 0
    try:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                text = stat.read_text()
                head, _, rest = text.rpartition(")")
                fields = rest.split()
                if keep(head[head.index("(") + 1:], fields):
                    ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, AttributeError):
        return None


def _request(conn: http.client.HTTPConnection, method: str, path: str, body: bytes | None = None,
             token: str | None = None) -> tuple[int, Any]:
    status, answer, _retry_after = _exchange(conn, method, path, body, token)
    return status, answer


def _exchange(conn: http.client.HTTPConnection, method: str, path: str, body: bytes | None = None,
              token: str | None = None) -> tuple[int, Any, str | None]:
    """A request: status, decoded answer, and the Retry-After header if any."""
    headers = {"Content-Type": "application/json", "X-Petition-Api": "1"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=body, headers=headers)
    answer = conn.getresponse()
    return answer.status, orjson.loads(answer.read()), answer.getheader("Retry-After")


def _template() -> dict[str, Any]:
    from db.campaigns import load_bundle
    from db.paths import builtin_bundle_dirs
    from db.schemas import SignatureCreate, wire_payload

    bundle = next(load_bundle(p) for p in builtin_bundle_dirs() if load_bundle(p).slug == "aleppo")
    shown = bundle.localised("en")
    now = datetime.now(UTC) - timedelta(hours=1)
    return wire_payload(SignatureCreate.model_validate({
        "id": str(uuid.uuid4()), "seq": 1, "campaign_slug": bundle.slug, "campaign_version": bundle.version,
        "letter_sha256": shown.letter_sha256, "locale": "en", "given_name": "Amal", "family_name": "Haddad",
        "email": "amal@example.org", "city": "Berlin", "consent_processing": True, "consent_updates": False,
        "consent_text_sha256": shown.consent_sha256, "consent_locale": "en", "consent_given_at": now,
        "utc_offset_minutes": 60, "created_at": now,
    }))


def _payloads(template: dict[str, Any], count: int, device_no: int) -> list[dict[str, Any]]:
    # Already canonical (wire_payload's own formatting), so the content hash can be computed directly.
    return [{**template, "id": str(uuid.uuid4()), "seq": i, "family_name": f"Haddad {device_no}-{i}",
             "email": f"amal.{device_no}.{i}@example.org"} for i in range(1, count + 1)]


def _hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _run_backend(label: str, url: str, data_dir: Path, devices: int, per_device: int, workers: int) -> list[Figure]:
    from sqlalchemy import func, select
    from sqlmodel import Session, col

    from bench.sealed_data import ensure_sealing_key
    from db.paths import builtin_bundle_dirs
    from server import devices as server_devices
    from server.campaigns import publish
    from server.database import open_database, write_session
    from server.models import StoredSignature

    engine = open_database(url)
    with write_session(engine) as session:
        ensure_sealing_key(session)  # the server publishes its campaigns sealed to its key
        for folder in builtin_bundle_dirs():
            publish(folder, session=session)
        codes = [server_devices.add_device(f"bench {i}", session=session, ttl=timedelta(hours=1)).code
                 for i in range(devices)]
        session.commit()

    template = _template()
    # Per device: one signature alone first (untimed: it warms the worker that serves the device's
    # connection, so the run times batches, not imports and first connections), then the saturation
    # run's batches, then the paced run's.
    plan = [_payloads(template, 1 + per_device + PACED_BATCHES * BATCH, d) for d in range(devices)]

    def bodies_of(payloads: list[dict[str, Any]]) -> list[bytes]:
        return [orjson.dumps({"device_time": datetime.now(UTC).isoformat(), "signatures": payloads[i:i + BATCH]})
                for i in range(0, len(payloads), BATCH)]

    warm = [bodies_of(p[:1]) for p in plan]
    saturating = [bodies_of(p[1:1 + per_device]) for p in plan]
    paced = [bodies_of(p[1 + per_device:]) for p in plan]
    expected = {p["id"]: _hash(p) for payloads in plan for p in payloads}

    errors: list[str] = []
    outcomes: dict[str, int] = {}
    lock = threading.Lock()
    last_used: dict[http.client.HTTPConnection, float] = {}  # when each connection last had an answer

    def send(c: http.client.HTTPConnection, device_id: str, token: str, body: bytes, latencies: list[float]) -> None:
        # Like a device: keep the batch and send it again; after 429/503 wait the Retry-After the server
        # named (admission control answers a batch beyond its queue at once), else a short doubling pause.
        # Bounded: RETRIES other failures, SEND_DEADLINE_S in all; what is still unsent counts as lost.
        deadline = time.monotonic() + SEND_DEADLINE_S
        failures = 0
        while True:
            if time.monotonic() - last_used.get(c, time.monotonic()) > IDLE_REOPEN_S:
                c.close()  # http.client connects again on the request below
            t0 = time.perf_counter()
            try:
                status, answer, after = _exchange(c, "POST", f"/api/v1/devices/{device_id}/batches", body, token)
            except (OSError, http.client.HTTPException) as exc:
                # e.g. the server closed a keep-alive connection that sat idle through a Retry-After:
                # a device opens a new one and sends the batch again
                c.close()
                status, answer, after = 0, repr(exc), None
            elapsed = time.perf_counter() - t0
            last_used[c] = time.monotonic()
            with lock:
                if status == 200:
                    latencies.append(elapsed * 1000)  # admitted batches: a refusal at the door is no batch time
                    for outcome, k in answer["counts"].items():
                        outcomes[outcome] = outcomes.get(outcome, 0) + k
                    return
                errors.append(f"{status}: {str(answer)[:200]}")
            busy = status in (429, 503)
            failures += 0 if busy else 1
            if failures >= RETRIES or time.monotonic() >= deadline:
                return
            time.sleep(min(BUSY_WAIT_CAP_S, float(after)) if busy and after else 0.05 * 2 ** failures)

    latencies: list[float] = []  # saturation run
    paced_latencies: list[float] = []
    finished: list[float] = [0.0] * devices  # saturation run: when each device had its last answer
    server_cpu = 0.0
    with _server(url, data_dir, workers) as port:
        tokens = []
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        key = base64.b64encode(os.urandom(32)).decode()
        for code in codes:
            status, body = _request(conn, "POST", "/api/v1/enroll", orjson.dumps({"code": code, "device_public_key": key}))
            if status != 200:
                raise RuntimeError(f"enroll failed: {status} {body}")
            tokens.append((body["device_id"], body["token"]))
        conn.close()
        connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=120) for _ in range(devices)]

        def run_devices(loop: Any) -> float:
            gate = threading.Barrier(devices + 1)

            def device(n: int) -> None:
                gate.wait()
                try:
                    loop(n)
                except Exception as exc:  # a figure, not a crash: reported below
                    with lock:
                        errors.append(repr(exc))

            threads = [threading.Thread(target=device, args=(n,)) for n in range(devices)]
            for t in threads:
                t.start()
            gate.wait()
            t0 = time.perf_counter()
            for t in threads:
                t.join(timeout=600)
            return t0

        def warm_up(n: int) -> None:
            for body in warm[n]:
                send(connections[n], *tokens[n], body, [])

        def saturate(n: int) -> None:
            for body in saturating[n]:
                send(connections[n], *tokens[n], body, latencies)
            finished[n] = time.perf_counter()

        run_devices(warm_up)
        cpu_before = server_cpu_seconds(data_dir)
        t0 = run_devices(saturate)
        wall = max(finished) - t0
        cpu_after = server_cpu_seconds(data_dir)
        if cpu_before is not None and cpu_after is not None:
            server_cpu = cpu_after - cpu_before
        rate = devices * per_device / wall if wall else 0.0

        # Below saturation: the same devices, each sending a batch at a fixed interval, their starts
        # spread evenly, so that together they offer half the rate just measured.
        interval = devices * BATCH / (rate / 2) if rate else 1.0

        def pace(n: int) -> None:
            start = time.perf_counter() + interval * n / devices
            for k, body in enumerate(paced[n]):
                delay = start + k * interval - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                send(connections[n], *tokens[n], body, paced_latencies)

        paced_t0 = run_devices(pace)
        paced_wall = time.perf_counter() - paced_t0
        for c in connections:
            c.close()

    # Check by ids and content hashes: nothing lost, nothing stored twice, nothing altered.
    ids = list(expected)
    stored: dict[str, str] = {}
    with Session(engine) as session:
        for i in range(0, len(ids), 1000):
            chunk = ids[i:i + 1000]
            stored.update(session.execute(
                select(col(StoredSignature.id), col(StoredSignature.content_hash)).where(col(StoredSignature.id).in_(chunk))
            ).tuples().all())
        total_rows = session.execute(select(func.count()).select_from(StoredSignature)).scalar_one()
    lost = sum(1 for i in ids if i not in stored)
    altered = sum(1 for i, h in expected.items() if i in stored and stored[i] != h)
    duplicated = int(total_rows) - len(stored)

    # Baseline, the ceiling: the server's own INSERT ... ON CONFLICT statement, run straight
    # on the database driver with the rows already prepared, 500 rows a transaction, into a scratch copy
    # of the table (see scratch_signature_table), same database, same run. What the server adds to that
    # (HTTP, parsing, validation, hashing, idempotency answers) is the gap.
    with Session(engine) as session:
        rows = [dict(r._mapping) for r in session.execute(select(StoredSignature.__table__)).all()]  # type: ignore[attr-defined]
    with scratch_signature_table(engine, "bench_raw_signature") as scratch:
        raw_wall = _ceiling(engine, scratch, rows)
    engine.dispose()

    raw_rate = len(rows) / raw_wall if raw_wall else 0.0
    own = [per_device / (f - t0) for f in finished if f > t0]
    fairness = min(own) / max(own) if own else float("nan")
    note = f"{devices} devices x {per_device}, batches of {BATCH}, {workers} workers"
    if server_cpu:
        note += f"; server CPU {server_cpu / (devices * per_device) * 1e6:.0f} us per signature"
    busy = [e for e in errors if e.startswith(("429:", "503:"))]
    if busy:
        note += f"; {len(busy)} batch requests answered busy (429/503) and sent again after Retry-After"
    other = [e for e in errors if e not in busy]
    if other:
        note += f"; {len(other)} other failed requests (retried), first: {other[0]}"
    prefix = f"ingest.{label}"
    paced_rate = devices * PACED_BATCHES * BATCH / paced_wall if paced_wall else 0.0
    return [
        Figure(f"{prefix}.rate", rate, "signatures/s", baseline=raw_rate,
               baseline_name="the server's INSERT statement straight on the driver, same rows and DB", goal=GOAL if label == "sqlite" else "",
               note=note),
        Figure(f"{prefix}.batch_p50", percentile(latencies, 50), "ms", note="at saturation: work in flight over throughput"),
        Figure(f"{prefix}.batch_p95", percentile(latencies, 95), "ms"),
        Figure(f"{prefix}.fairness", fairness, "", goal="near 1",
               note="at saturation: the slowest device's signatures/s over the fastest's"),
        Figure(f"{prefix}.paced_batch_p50", percentile(paced_latencies, 50), "ms"),
        Figure(f"{prefix}.paced_batch_p95", percentile(paced_latencies, 95), "ms",
               goal="< 1000 ms" if label == "postgresql" else "",
               note=f"offered half the saturation rate ({rate / 2:,.0f}/s; achieved {paced_rate:,.0f}/s): "
                    f"{devices} devices, one batch each every {interval:.1f} s, {PACED_BATCHES} each"),
        Figure(f"{prefix}.lost", lost, "signatures", goal="0"),
        Figure(f"{prefix}.duplicated", duplicated, "signatures", goal="0"),
        Figure(f"{prefix}.altered", altered, "signatures", goal="0",
               note=f"outcomes: {outcomes}"),
    ]


@contextlib.contextmanager
def scratch_signature_table(engine: Any, name: str) -> Iterator[str]:
    """A copy of the server's signature table for the ceiling, made and dropped around the block: the same
    columns, primary key, indexes and foreign key to the device table (PostgreSQL checks that key with a
    trigger on every row, SQLite with a lookup: work the server's insert does too), empty."""
    from sqlalchemy import Column, ForeignKey, Index, MetaData, String, Table

    from server.models import StoredSignature

    meta = MetaData()
    Table("device", meta, Column("id", String, primary_key=True))  # only for the foreign key: never made here
    source = StoredSignature.__table__  # type: ignore[attr-defined]
    columns = [Column(c.name, c.type, *[ForeignKey(fk.target_fullname) for fk in c.foreign_keys],
                      primary_key=c.primary_key, nullable=c.nullable) for c in source.columns]
    table = Table(name, meta, *columns)
    for index in source.indexes:
        Index(f"{name}_{index.name}", *[table.c[c.name] for c in index.columns])
    meta.drop_all(engine, tables=[table])
    meta.create_all(engine, tables=[table])
    try:
        yield name
    finally:
        meta.drop_all(engine, tables=[table])


def _ceiling(engine: Any, table: str, rows: list[dict[str, Any]]) -> float:
    """Seconds to store ``rows`` into ``table`` with the statement the server's ingest sends (server/ingest.py),
    on the driver's own connection, 500 rows a transaction; the values converted beforehand."""
    from server.ingest import (
        CONFLICT_TARGET,
        _as_sqlite3_binds,
        _sqlite_datetime,
        postgresql_batch_document,
        postgresql_insert_sql,
    )

    columns = list(rows[0])
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        if engine.dialect.name == "postgresql":
            sql = postgresql_insert_sql(columns, table)
            row_batches = [rows[i:i + BATCH] for i in range(0, len(rows), BATCH)]
            t0 = time.perf_counter()
            for row_batch in row_batches:  # the JSON document written inside the clock, as the server writes it
                with driver.cursor() as cursor:
                    cursor.execute(sql, (postgresql_batch_document(row_batch),))
                    cursor.fetchall()
                driver.commit()
            return time.perf_counter() - t0
        # SQLite: multi-row VALUES, as many rows a statement as SQLite binds variables for.
        per_statement = max(1, driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(columns))
        head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
        prepared = [[_sqlite_datetime(v) if isinstance(v, datetime) else v for v in row.values()] for row in rows]
        statements = []
        for i in range(0, len(prepared), BATCH):
            batch = prepared[i:i + BATCH]
            chunks = []
            for chunk in (batch[j:j + per_statement] for j in range(0, len(batch), per_statement)):
                # bound as the server binds them: a column empty in every row as NULL in the statement
                params, one = _as_sqlite3_binds([list(column) for column in zip(*chunk, strict=True)])
                chunks.append((head + ", ".join([one] * len(chunk)) + f" ON CONFLICT {CONFLICT_TARGET} DO NOTHING", params))
            statements.append(chunks)
        t0 = time.perf_counter()
        cursor = driver.cursor()
        for batch_statements in statements:  # as the server sends them when every row is new (its count says so)
            cursor.execute("BEGIN IMMEDIATE")
            for sql_text, params in batch_statements:
                cursor.execute("SAVEPOINT ingest_rows")
                cursor.execute(sql_text, params)
                cursor.execute("RELEASE ingest_rows")
            cursor.execute("COMMIT")
        return time.perf_counter() - t0
    finally:
        raw.close()


def _pg_admin_url() -> str | None:
    return os.environ.get("PETITION_BENCH_DATABASE_URL") or os.environ.get("PETITION_TEST_DATABASE_URL")


def run(quick: bool) -> list[Figure]:
    devices, per_device = (5, 2000) if quick else (50, 2000)
    workers = int(os.environ.get("PETITION_BENCH_WORKERS", "2"))
    figures: list[Figure] = []
    tmp = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    try:
        from server.database import sqlite_url

        sqlite_dir = tmp / "sqlite"
        sqlite_dir.mkdir()
        figures += _run_backend("sqlite", sqlite_url(sqlite_dir), sqlite_dir, devices, per_device, workers)

        admin_url = _pg_admin_url()
        if not admin_url:
            figures.append(Figure("ingest.postgresql.rate", float("nan"), "signatures/s",
                                  note="skipped: set PETITION_TEST_DATABASE_URL (or PETITION_BENCH_DATABASE_URL)"))
            return figures
        from bench.scratch_db import scratch_postgresql

        try:
            database = scratch_postgresql(admin_url, "petition_bench_")
        except Exception as exc:  # noqa: BLE001 - a figure, not a crash
            figures.append(Figure("ingest.postgresql.rate", float("nan"), "signatures/s",
                                  note=f"skipped: PostgreSQL not reachable ({type(exc).__name__})"))
            return figures
        with database as url:
            pg_dir = tmp / "pg"
            pg_dir.mkdir()
            figures += _run_backend("postgresql", url, pg_dir, devices, per_device, workers)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return figures


if __name__ == "__main__":
    for figure in run(quick="--quick" in sys.argv):
        print(figure.as_json())
