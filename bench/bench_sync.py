"""Sync: a device drains its backlog of pending signatures to a real ``petition-server`` process on
loopback (SQLite backend, four workers as docs/deploy/petition-server.service runs it), through the
real client (``petition-kiosk sync`` code path, batches of 500, four requests out at once).

The figure is signatures acknowledged per second, wall clock of the run, in a child process that also
reports its peak memory growth (``ru_maxrss`` after the run minus before it). Also printed: where the
sender's time went (claim: read, encode, commit 'sending' when done on its own; apply: commit the
outcomes and claim the next batch in the same transaction; post: waiting for answers), and the CPU time
per signature of the client and of the server (all its workers): on a shared machine these say more
than the wall clock.

The baseline, in the same run: the raw SQLite insert rate of the same rows (plain ``sqlite3``,
``executemany`` of 500 rows per transaction, WAL and synchronous=FULL like the server). It is a fixed
reference, no longer a ceiling: the server's own insert costs less a row than this plain one, since it
writes a column that is empty in every row of a batch as NULL in its statement instead of binding None
for each row, which sqlite3 sends through its adapter lookup (server/ingest.py, _as_sqlite3_binds).

Also printed, because the machine may be shared: the CPU-bound ceiling (the cores divided by the CPU
time both ends spend per signature), how busy the cores were during the run and how much of that was
this run.

The same run again with the server on PostgreSQL (``sync.postgresql.rate``, same baseline) when
``PETITION_BENCH_DATABASE_URL`` or ``PETITION_TEST_DATABASE_URL`` names a server where the role may create
databases (a scratch database is made and dropped): there PostgreSQL's own CPU per signature is printed
too (every ``postgres`` process on the machine, so read it on a machine where nothing else uses it).

``PETITION_BENCH_WORKERS`` sets the server's worker processes (default 4).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.core import Figure

NAME = "sync"
DESCRIPTION = "a device drains 100,000 pending signatures to a real server process (SQLite, PostgreSQL)"
ROOT = Path(__file__).resolve().parent.parent
GOAL = ">= 10000 signatures/s"  # and client memory growth < 100 MB: a figure of its own

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from db.migrate import open_database
from db.sync import runner
data_dir = Path(sys.argv[1])
engine = open_database(data_dir)
syncer = runner.Syncer(data_dir, engine)
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
cpu0 = cpu()
t0 = time.perf_counter()
report = syncer.run()
elapsed = time.perf_counter() - t0
cpu_s = cpu() - cpu0
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"outcome": report.outcome, "message": report.message, "sent": report.sent,
                  "pending": report.pending, "elapsed": elapsed, "timings": report.timings,
                  "batches": report.batches, "growth_mb": (after - before) / 1024, "cpu_s": cpu_s}))
"""


def _raw_insert_rate(device_db: Path, scratch: Path) -> float:
    from db.schemas import WIRE_FIELDS

    source = sqlite3.connect(device_db)
    rows = source.execute(f"SELECT {', '.join(WIRE_FIELDS)}, content_hash FROM signature ORDER BY seq").fetchall()
    source.close()
    con = sqlite3.connect(scratch, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    columns = [*WIRE_FIELDS, "content_hash"]
    con.execute(f"CREATE TABLE s ({', '.join(c + (' TEXT PRIMARY KEY' if c == 'id' else '') for c in columns)})")
    sql = f"INSERT INTO s ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)}) ON CONFLICT (id) DO NOTHING"
    t0 = time.perf_counter()
    for at in range(0, len(rows), 500):
        con.execute("BEGIN")
        con.executemany(sql, rows[at:at + 500])
        con.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    con.close()
    return len(rows) / elapsed


def _machine_cpu() -> tuple[float, float] | None:
    """(busy, idle) seconds of every core so far (Linux /proc/stat), or None where it cannot be read."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return None
    tick = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / tick, idle / tick


def postgres_cpu_seconds() -> float | None:
    """CPU time used so far by every PostgreSQL process on this machine (its backends, WAL writer,
    checkpointer...: Linux /proc, processes named ``postgres``), or None where that cannot be read. On a
    machine where nothing else uses PostgreSQL, the difference over a run is the database's own work,
    less that of processes that ended within it (an autovacuum worker): a floor."""
    from bench.bench_ingest import processes_cpu_seconds

    return processes_cpu_seconds(lambda name, _fields: name == "postgres")


def _drain(count: int, workers: int, url: str | None) -> dict[str, Any]:
    """One device draining ``count`` pending signatures into a real server (database at ``url``, else
    SQLite): the child's report, the server's CPU (and PostgreSQL's), the machine's, and the raw SQLite
    insert rate of the same rows."""
    from bench.bench_ingest import server_cpu_seconds
    from bench.sync_data import backlog_against_server

    with backlog_against_server(count, "bench-sync-", workers=workers, url=url) as device_dir:
        server_dir = device_dir.parent / "server"
        server_cpu_before, db_cpu_before = server_cpu_seconds(server_dir), postgres_cpu_seconds() if url else None
        machine_before, load_before = _machine_cpu(), os.getloadavg()[0]
        done = subprocess.run([sys.executable, "-c", CHILD, str(device_dir)], cwd=ROOT,
                              capture_output=True, text=True, timeout=900)
        server_cpu_after, db_cpu_after = server_cpu_seconds(server_dir), postgres_cpu_seconds() if url else None
        machine_after, load_after = _machine_cpu(), os.getloadavg()[0]
        if done.returncode != 0:
            raise RuntimeError(done.stderr[-2000:])
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        if result["outcome"] != "ok" or result["pending"]:
            raise RuntimeError(f"sync did not finish: {result}")
        result["ceiling"] = _raw_insert_rate(device_dir / "petition-kiosk.sqlite3", device_dir.parent / "raw.sqlite3")
    result["server_cpu_s"] = (server_cpu_after - server_cpu_before
                              if server_cpu_before is not None and server_cpu_after is not None else None)
    result["db_cpu_s"] = db_cpu_after - db_cpu_before if db_cpu_before is not None and db_cpu_after is not None else None
    result["machine"] = ([after - before for after, before in zip(machine_after, machine_before, strict=True)]
                         if machine_before is not None and machine_after is not None else None)
    result["load"] = (load_before, load_after)
    return result


def _figures(label: str, result: dict[str, Any], workers: int) -> list[Figure]:
    rate = result["sent"] / result["elapsed"]
    ceiling = result["ceiling"]
    t = result["timings"]
    total = result["elapsed"]
    client_us = result["cpu_s"] / result["sent"] * 1e6
    cpu = f"CPU per signature: client {client_us:.0f} us"
    ends_us = client_us
    if result["server_cpu_s"] is not None:
        server_us = result["server_cpu_s"] / result["sent"] * 1e6
        cpu += f", server {server_us:.0f} us"
        ends_us += server_us
        if result["db_cpu_s"] is not None:  # PostgreSQL works in processes of its own
            db_us = result["db_cpu_s"] / result["sent"] * 1e6
            cpu += f", PostgreSQL {db_us:.0f} us"
            ends_us += db_us
        # What the CPU time alone allows with every core busy for this run and nothing else.
        cpu += f" (CPU-bound ceiling on {os.cpu_count()} cores: {(os.cpu_count() or 1) / ends_us * 1e6:,.0f}/s)"
    if result["machine"] is not None:
        # On a shared machine: how much of the cores the run had (the rest went to other processes).
        busy, idle = result["machine"]
        ours = result["cpu_s"] + (result["server_cpu_s"] or 0) + (result["db_cpu_s"] or 0)
        cpu += (f"; machine during the run: {busy / (busy + idle):.0%} busy, of which this run "
                f"{min(1.0, ours / busy) if busy else 0:.0%}; load average {result['load'][0]:.2f} -> {result['load'][1]:.2f}")
    where = (f"sender's time: post (waiting for answers) {t['post'] / total:.0%}, claim {t['claim'] / total:.0%}, "
             f"apply {t['apply'] / total:.0%}; {result['batches']} batches; {cpu}; server workers {workers}")
    print(f"sync ({label}): {result['sent']} signatures in {total:.2f} s = {rate:,.0f}/s; raw SQLite insert "
          f"{ceiling:,.0f}/s; ratio {rate / ceiling:.2f}; {where}; client memory growth "
          f"{result['growth_mb']:.1f} MB", file=sys.stderr)
    name = "sync.rate" if label == "sqlite" else f"sync.{label}.rate"
    return [Figure(name, rate, "signatures/s", ceiling, "raw SQLite insert of the same rows", GOAL, where)]


def run(quick: bool) -> list[Figure]:
    from bench.bench_ingest import _pg_admin_url
    from bench.scratch_db import scratch_postgresql

    count = 5_000 if quick else 100_000
    workers = int(os.environ.get("PETITION_BENCH_WORKERS", "4"))
    result = _drain(count, workers, None)
    figures = _figures("sqlite", result, workers)
    figures.append(Figure("sync.client_memory_growth", result["growth_mb"], "MB", goal="< 100 MB"))
    admin_url = _pg_admin_url()
    if not admin_url:
        return [*figures, Figure("sync.postgresql.rate", float("nan"), "signatures/s",
                                 note="skipped: set PETITION_TEST_DATABASE_URL (or PETITION_BENCH_DATABASE_URL)")]
    try:
        database = scratch_postgresql(admin_url, "petition_sync_")
    except Exception as exc:  # noqa: BLE001 - a figure, not a crash
        return [*figures, Figure("sync.postgresql.rate", float("nan"), "signatures/s",
                                 note=f"skipped: PostgreSQL not reachable ({type(exc).__name__})")]
    with database as url:
        return [*figures, *_figures("postgresql", _drain(count, workers, url), workers)]
