"""Where a worker's CPU goes per signature on the batch route, phase by phase, on SQLite and PostgreSQL.

In-process, one thread, the server's own functions in the order the route runs them: the device's token
checked, the body parsed (orjson, then the batch envelope), ``server.ingest.ingest_document`` (which
validates and hashes every signature, asks for the campaigns and sealing keys, inserts, commits and
builds the answer's document), and the answer written (``answer_json``). CPU time of this thread
(``time.thread_time``), so other processes on a shared machine count less than in a wall clock. The database's own CPU is in the figure on SQLite
(it runs in the process) and not on PostgreSQL (it runs in its own processes).

The validation is timed apart (``server.ingest._validate_all`` on the batch's items, just before
``ingest_document`` does the same again) and the insert and the commit are timed inside it; what is
left of it once those three are taken off is its sessions and small queries, the loop that sorts the
checked signatures and the outcomes. The total counts each phase once. The garbage collector is set as
the server's workers set it (``server.app.tune_garbage_collector``).

The baseline of the total: the server's own INSERT statement straight on the driver for the same rows
(bench/bench_ingest.py's ceiling), in CPU of this process, same database, same run.
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from bench.core import Figure

NAME = "ingest-profile"
DESCRIPTION = "a worker's CPU per signature on the batch route, phase by phase (SQLite, PostgreSQL)"

PHASES = ("auth", "parse", "validate", "insert", "commit", "ingest_rest", "answer")
NOTES = {
    "auth": "the device's bearer token looked up",
    "parse": "orjson.loads and the batch envelope (BatchUpload)",
    "validate": "every signature checked and hashed (canonical_records, SHA-256), timed apart",
    "insert": "the INSERT ... ON CONFLICT DO NOTHING (RETURNING id on PostgreSQL), driver and (SQLite) database",
    "commit": "the commit (SQLite: WAL write; the fsync wait is not CPU)",
    "ingest_rest": "the rest of ingest_document(): sessions, campaign and key lookups, device update, outcomes",
    "answer": "the answer written as JSON",
}


@contextmanager
def _timed(owner: Any, name: str, into: dict[str, float], key: str) -> Iterator[None]:
    original = getattr(owner, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        t0 = time.thread_time()
        try:
            return original(*args, **kwargs)
        finally:
            into[key] = into.get(key, 0.0) + time.thread_time() - t0

    setattr(owner, name, timed)
    try:
        yield
    finally:
        setattr(owner, name, original)


def _profile(label: str, url: str, batches: int) -> list[Figure]:
    from sqlalchemy import select
    from sqlalchemy.orm import Session as OrmSession
    from sqlmodel import Session

    from bench.bench_ingest import BATCH, _ceiling, _payloads, _template, scratch_signature_table
    from bench.sealed_data import ensure_sealing_key
    from db.paths import builtin_bundle_dirs
    from db.wire import BatchUpload, normalise_code
    from server import devices, ingest, security
    from server.app import tune_garbage_collector
    from server.campaigns import publish
    from server.database import open_database, write_session
    from server.models import StoredSignature

    engine = open_database(url)
    with write_session(engine) as session:
        ensure_sealing_key(session)
        for folder in builtin_bundle_dirs():
            publish(folder, session=session)
        code = devices.add_device("profile", session=session, ttl=timedelta(hours=1)).code
        session.commit()
    with write_session(engine) as session:
        enrolled = devices.enroll(normalise_code(code), security.b64(os.urandom(32)), "bench", session=session)
        assert not isinstance(enrolled, devices.EnrollError)
        device_id, token = enrolled[0].id, enrolled[1]
        session.commit()
    template = _template()

    def bodies(start: int, count: int) -> list[bytes]:
        return [orjson.dumps({"device_time": datetime.now(UTC).isoformat(), "signatures": _payloads(template, BATCH, start + b)})
                for b in range(count)]

    def one_batch(body: bytes, spent: dict[str, float]) -> None:
        marks = [time.thread_time()]
        devices.authenticate(token, engine=engine)
        marks.append(time.thread_time())
        batch = BatchUpload.model_validate(orjson.loads(body))
        marks.append(time.thread_time())
        ingest._validate_all(batch.signatures)
        marks.append(time.thread_time())
        answer = ingest.ingest_document(engine, device_id, batch.device_time, batch.signatures)
        marks.append(time.thread_time())
        ingest.answer_json(answer)
        marks.append(time.thread_time())
        for key, t0, t1 in zip(("auth", "parse", "validate", "ingest", "answer"), marks, marks[1:], strict=False):
            spent[key] = spent.get(key, 0.0) + t1 - t0

    tune_garbage_collector()
    try:
        for body in bodies(0, 3):  # warm: imports, first connections, statement caches
            one_batch(body, {})
        spent: dict[str, float] = {}
        with _timed(ingest, "_insert", spent, "insert"), _timed(OrmSession, "commit", spent, "commit"):
            for body in bodies(10, batches):
                one_batch(body, spent)
    finally:
        gc.unfreeze()
        gc.set_threshold(700, 10, 10)
    n = batches * BATCH
    # ingest_document() validates the batch itself: the same work as the pass timed apart, so that is taken off
    # what is left of it, and the total counts the validation once.
    spent["ingest_rest"] = spent.pop("ingest") - spent["validate"] - spent["insert"] - spent["commit"]
    per = {key: spent[key] / n * 1e6 for key in PHASES}
    total = sum(per.values())

    # Baseline: the ceiling's statement straight on the driver, same rows, in this process's CPU.
    with Session(engine) as session:
        rows = [dict(r._mapping) for r in session.execute(select(StoredSignature.__table__)).all()]  # type: ignore[attr-defined]
    with scratch_signature_table(engine, "bench_profile_signature") as scratch:
        cpu0 = time.thread_time()
        _ceiling(engine, scratch, rows)
        raw_us = (time.thread_time() - cpu0) / len(rows) * 1e6
    engine.dispose()

    prefix = f"ingest_profile.{label}"
    where = "database CPU included (in-process)" if label == "sqlite" else "PostgreSQL's own CPU not included"
    figures = [Figure(f"{prefix}.total", total, "us/signature", baseline=raw_us,
                      baseline_name="the server's INSERT straight on the driver, same rows (this process's CPU)",
                      note=f"{batches} batches of {BATCH}, one thread; {where}")]
    figures += [Figure(f"{prefix}.{key}", per[key], "us/signature", note=NOTES[key]) for key in PHASES]
    return figures


def run(quick: bool) -> list[Figure]:
    from bench.bench_ingest import _pg_admin_url
    from bench.scratch_db import scratch_postgresql
    from server.database import sqlite_url

    batches = 10 if quick else 60
    tmp = Path(tempfile.mkdtemp(prefix="bench-ingest-profile-"))
    figures: list[Figure] = []
    try:
        figures += _profile("sqlite", sqlite_url(tmp), batches)
        admin_url = _pg_admin_url()
        if not admin_url:
            return [*figures, Figure("ingest_profile.postgresql.total", float("nan"), "us/signature",
                                     note="skipped: set PETITION_TEST_DATABASE_URL (or PETITION_BENCH_DATABASE_URL)")]
        try:
            database = scratch_postgresql(admin_url, "petition_bench_")
        except Exception as exc:  # noqa: BLE001 - a figure, not a crash
            return [*figures, Figure("ingest_profile.postgresql.total", float("nan"), "us/signature",
                                     note=f"skipped: PostgreSQL not reachable ({type(exc).__name__})")]
        with database as url:
            figures += _profile("postgresql", url, batches)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return figures


