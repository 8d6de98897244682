"""Hand-off files: 100,000 signatures from a device to its server and back without a network.

A device database holds 100,000 pending signatures (the shape of bench/sync_data.py's), sealed to the
server's key as an enrolled device saves them (a sealed box does not compress: the largest file; the
same signatures in clear compress to a few dozen bytes each), and is enrolled with a server database
(SQLite) that has published the built-in campaigns; no server process is needed, the way an operator's
import runs. Three legs, each timed on
its own, each with a baseline measured in the same run:

* **export** (``db.sync.handoff.export_handoff``: read, canonical JSON, zlib, sealed box, Ed25519,
  atomic write with fsync) against writing the same rows as plain JSON to a file with fsync: what
  compressing, sealing and signing add;
* **import** on the server (``server.handoff``: verify the device's signature, open the sealed payload,
  store through ``server.ingest.ingest`` in batches of 500, sign and write the receipt) against the
  same signatures stored by ``ingest`` directly, in the same batches, into a copy of the server database
  taken before the import: what the file adds to the API's own storing. The passphrase's one-time key unlock is a figure of its own
  (at the cheapest Argon2id cost here; a real server's default costs about a second);
* **receipt** on the device (``import_receipt``: verify, then sync's claim and apply per 500) against
  sync's own claim + apply of the same rows with every answer ``created``, on a copy of the database.

Every signature must reach the server once: ``handoff.lost`` counts those that did not.
"""

from __future__ import annotations

import base64
import os
import shutil
import sqlite3
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from time import perf_counter

from bench.core import Figure

NAME = "handoff"
DESCRIPTION = "100,000 signatures exported to a hand-off file, imported by the server, receipt read back"

FULL = 100_000
QUICK = 3_000
BATCH = 500


def _server(path: Path):  # type: ignore[no-untyped-def]
    from bench.sealed_data import ensure_sealing_key
    from db.paths import builtin_bundle_dirs
    from server import campaigns
    from server.database import open_database, sqlite_url, write_session

    engine = open_database(sqlite_url(path))
    with write_session(engine) as session:
        ensure_sealing_key(session)
        for folder in builtin_bundle_dirs():
            campaigns.publish(folder, session=session)
        session.commit()
    return engine


def _enroll(server_engine, device_dir: Path) -> str:  # type: ignore[no-untyped-def]
    """What ``petition-kiosk enroll`` leaves behind, without the network: the server's device row with
    the device's public key, the device's enrollment file with the server's keys."""
    from db.sync import enrollment
    from server import security
    from server.database import write_session
    from server.devices import add_device
    from server.models import Device

    with write_session(server_engine) as session:
        made = add_device("bench", session=session, ttl=timedelta(hours=1))
        device = session.get(Device, made.device_id)
        assert device is not None
        device.public_key = enrollment.public_key_b64(device_dir)
        device.enrolled_at = datetime.now(UTC)
        session.add(device)
        session.commit()
    server_dir = Path(server_engine.url.database).parent  # the SQLite file's folder: its key file too
    keys = [k.model_dump() for k in security.public_keys(server_engine, server_dir)]
    enrollment.save(device_dir, enrollment.Enrollment(
        server_url="https://petitions.example.org", device_id=made.device_id, device_name="bench",
        token=base64.b64encode(os.urandom(32)).decode(), server_keys=keys,
        enrolled_at=datetime.now(UTC).isoformat()))
    return made.device_id


def _fill_sealed(engine, count: int, key) -> None:  # type: ignore[no-untyped-def]
    """``count`` pending signatures sealed to ``key`` as an enrolled device saves them (db.sealing.seal),
    inserted many per transaction through the save path's own column binders."""
    import uuid

    from bench.sync_data import template
    from db.schemas import content_hash
    from db.sealing import seal
    from db.signatures import _INSERT_SQL, _bind

    base = template()
    tag = uuid.uuid4().hex[:6]
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for start in range(0, count, 5000):
            rows = []
            for seq in range(start + 1, min(count, start + 5000) + 1):
                record = seal(base.model_copy(update={
                    "id": str(uuid.uuid4()), "seq": seq, "family_name": f"Haddad {tag}-{seq}",
                    "email": f"amal.{tag}.{seq}@example.org"}), key)
                rows.append(_bind({**record.model_dump(), "content_hash": content_hash(record),
                                   "sync_state": "pending"}, engine.dialect))
            cursor.execute("BEGIN IMMEDIATE")
            cursor.executemany(_INSERT_SQL, rows)
            cursor.execute("COMMIT")
    finally:
        raw.close()


def _plain_json(engine, target: Path) -> float:  # type: ignore[no-untyped-def]
    """Baseline of the export: the same rows read and encoded as the file's payload, written as plain JSON."""
    import orjson

    from db.quick import TRANSIENT_REASONS
    from db.sync.handoff import _EXPORT_SQL
    from db.sync.store import payload_from_row

    start = perf_counter()
    raw = engine.raw_connection()
    try:
        rows = raw.cursor().execute(_EXPORT_SQL, list(TRANSIENT_REASONS)).fetchall()
    finally:
        raw.close()
    data = b"[" + b",".join(orjson.dumps(payload_from_row(r)) for r in rows) + b"]"
    with open(target, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    return perf_counter() - start


def _copy_database(source: Path, target_dir: Path) -> Path:
    from db.paths import database_path

    target_dir.mkdir()
    src = sqlite3.connect(database_path(source))
    dst = sqlite3.connect(database_path(target_dir))
    src.backup(dst)
    src.close()
    dst.close()
    return target_dir


def _copy_server(engine, target_dir: Path) -> Path:  # type: ignore[no-untyped-def]
    from server.database import SQLITE_FILENAME

    target_dir.mkdir()
    src = sqlite3.connect(str(engine.url.database))
    dst = sqlite3.connect(target_dir / SQLITE_FILENAME)
    src.backup(dst)
    src.close()
    dst.close()
    return target_dir


def _sync_apply(engine) -> float:  # type: ignore[no-untyped-def]
    """Baseline of the receipt: sync's claim + apply of every pending row, every answer 'created'."""
    from db.sync import store
    from db.wire import MAX_BATCH_BYTES, Outcome, SignatureResult

    start = perf_counter()
    after = 0
    while (batch := store.claim_batch(engine, after_seq=after, max_count=BATCH, max_bytes=MAX_BATCH_BYTES)) is not None:
        results = [SignatureResult(id=i, index=n, outcome=Outcome.CREATED) for n, i in enumerate(batch.ids)]
        store.apply_results(engine, batch, results, None)
        after = batch.last_seq
    return perf_counter() - start


def run(quick: bool) -> list[Figure]:
    from sqlalchemy import func, select
    from sqlmodel import Session

    from bench.sealed_data import PASSPHRASE
    from db.migrate import open_database
    from db.sync import handoff as device_handoff
    from db.sync import store
    from server import handoff as server_handoff
    from server import sealing
    from server.database import open_database as open_server
    from server.database import sqlite_url
    from server.ingest import ingest
    from server.models import StoredSignature

    count = QUICK if quick else FULL
    with tempfile.TemporaryDirectory(prefix="bench-handoff-") as scratch:
        root = Path(scratch)
        device_dir, usb = root / "device", root / "usb"
        device_dir.mkdir()
        usb.mkdir()
        server_engine = _server(root / "server")
        engine = open_database(device_dir)
        baseline_engine = None
        try:
            _enroll(server_engine, device_dir)
            with Session(server_engine) as session:
                key = sealing.active_public_key(session=session)
            _fill_sealed(engine, count, key)  # an enrolled device seals what it saves
            # The baseline's server: a copy of this one (same keys, campaigns, device), before any import.
            baseline_engine = open_server(sqlite_url(_copy_server(server_engine, root / "baseline-server")))

            plain_s = _plain_json(engine, usb / "plain.json")
            plain_size = (usb / "plain.json").stat().st_size
            start = perf_counter()
            exported = device_handoff.export_handoff(usb / "day.handoff", data_dir=device_dir, engine=engine)
            export_s = perf_counter() - start
            assert exported.path is not None and exported.signatures == count

            # Server: the baseline first (ingest straight from the file's own payloads, on a copy of the
            # database), then the import of the file, so that the import gets no warmer cache than it.
            data = exported.path.read_bytes()
            start = perf_counter()
            with Session(server_engine) as session:
                keys = sealing.unlock(PASSPHRASE, session=session)
            unlock_s = perf_counter() - start
            checked = server_handoff.check(data, engine=baseline_engine)
            payloads = server_handoff.open_payload(checked, keys).signatures
            start = perf_counter()
            now = datetime.now(UTC)
            created = 0
            for at in range(0, len(payloads), BATCH):
                created += ingest(baseline_engine, checked.header.device_id, now, payloads[at:at + BATCH],
                                  now=now).counts["created"]
            ingest_s = perf_counter() - start
            assert created == count
            del payloads

            start = perf_counter()
            checked = server_handoff.check(data, engine=server_engine)
            items = server_handoff.open_payload(checked, keys)
            report = server_handoff.load(server_engine, checked, items, data_dir=root / "server")
            server_handoff.write_receipt(usb / "day.receipt", report.receipt_bytes)
            import_s = perf_counter() - start
            assert report.counts["created"] == count, report.counts
            with Session(server_engine) as session:
                stored = session.execute(select(func.count()).select_from(StoredSignature)).scalar_one()

            # Device: the receipt, and sync's own transitions on a copy taken before it.
            copy_dir = _copy_database(device_dir, root / "device-copy")
            start = perf_counter()
            done = device_handoff.import_receipt(usb / "day.receipt", data_dir=device_dir, engine=engine, purge=False)
            receipt_s = perf_counter() - start
            assert done.created == count and store.counts(engine)["acked"] == count
            copy_engine = open_database(copy_dir)
            try:
                apply_s = _sync_apply(copy_engine)
                assert store.counts(copy_engine)["acked"] == count
            finally:
                copy_engine.dispose()
        finally:
            engine.dispose()
            server_engine.dispose()
            if baseline_engine is not None:
                baseline_engine.dispose()
            shutil.rmtree(root, ignore_errors=True)

    note = f"{count:,} signatures, sealed as an enrolled device saves them, SQLite, batches of {BATCH}"
    return [
        Figure("handoff.export.rate", count / export_s, "signatures/s", baseline=count / plain_s,
               baseline_name="the same rows as plain JSON to a file (read, encode, fsync)",
               note=f"zlib level {device_handoff.COMPRESSION_LEVEL}, one sealed box, Ed25519; {note}"),
        Figure("handoff.file_size", exported.size / 1e6, "MB", baseline=plain_size / 1e6,
               baseline_name="the same payload as plain JSON",
               note=f"{exported.size / count:.0f} bytes per signature"),
        Figure("handoff.import.rate", count / import_s, "signatures/s", baseline=count / ingest_s,
               baseline_name="server.ingest.ingest of the same signatures, same batches, copy of the database",
               note="verify, open, decompress, ingest, receipt signed and written; passphrase unlock excluded"),
        Figure("handoff.import.unlock", unlock_s * 1000, "ms",
               note="Argon2id 'interactive' (bench); the default 'moderate' costs about a second per key"),
        Figure("handoff.receipt.rate", count / receipt_s, "signatures/s", baseline=count / apply_s,
               baseline_name="sync's claim + apply of the same rows, all 'created', on a copy",
               note="verify, parse, per 500: claim + apply_results; retention purge excluded"),
        Figure("handoff.lost", count - int(stored), "signatures", goal="0"),
    ]


if __name__ == "__main__":
    import sys

    for figure in run(quick="--quick" in sys.argv):
        print(figure.as_json())
