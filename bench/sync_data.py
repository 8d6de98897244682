"""Pending signatures made fast, for the sync tests and benchmarks (not a benchmark itself).

One template record is validated (``SignatureCreate``); the others vary its id, name and e-mail and are
inserted through the same column binders as ``db.signatures.save_record``, many per transaction: a
backlog of 100,000 takes about a second instead of minutes of one fsync per signature. Their ids are
UUIDv7, time-ordered, as the device makes them (db.signatures): random ids would make every store of
them, the server's and the raw-insert baseline's, pay for inserts all over the primary key's index."""

from __future__ import annotations

import contextlib
import hashlib
import tempfile
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy.engine import Engine
from uuid6 import uuid7

from db.campaigns import load_bundle
from db.paths import builtin_bundle_dirs
from db.schemas import SignatureCreate, wire_payload
from db.signatures import _INSERT_SQL, _bind


def template(slug: str = "aleppo", *, comment_bytes: int = 0, made_at: datetime | None = None) -> SignatureCreate:
    """``made_at``: when the signatures were made (consented and created); by default an hour ago."""
    bundle = next(b for b in (load_bundle(p) for p in builtin_bundle_dirs()) if b.slug == slug)
    shown = bundle.localised("en")
    now = made_at or datetime.now(UTC) - timedelta(hours=1)
    return SignatureCreate.model_validate({
        "id": str(uuid.uuid4()), "seq": 1, "campaign_slug": bundle.slug, "campaign_version": bundle.version,
        "letter_sha256": shown.letter_sha256, "locale": "en", "given_name": "Amal", "family_name": "Haddad",
        "email": "amal@example.org", "city": "Berlin", "consent_processing": True, "consent_updates": False,
        "consent_text_sha256": shown.consent_sha256, "consent_locale": "en", "consent_given_at": now,
        "utc_offset_minutes": 60, "created_at": now,
        "comment": ("x" * comment_bytes) if comment_bytes else None,
    })


def rows(count: int, *, slug: str = "aleppo", start_seq: int = 1, tag: str = "",
         comment_bytes: int = 0, campaign_version: int | None = None,
         made_at: datetime | None = None) -> list[dict[str, Any]]:
    """``count`` database rows (signature table columns), content hashes included."""
    base = template(slug, comment_bytes=comment_bytes, made_at=made_at)
    values = base.model_dump()
    wire = wire_payload(base)
    tag = tag or uuid.uuid4().hex[:6]
    out = []
    for i in range(count):
        seq = start_seq + i
        change = {"id": str(uuid7()), "seq": seq, "family_name": f"Haddad {tag}-{seq}",
                  "email": f"amal.{tag}.{seq}@example.org"}
        if campaign_version is not None:
            change["campaign_version"] = campaign_version
        digest = hashlib.sha256(orjson.dumps({**wire, **change}, option=orjson.OPT_SORT_KEYS)).hexdigest()
        out.append({**values, **change, "content_hash": digest, "sync_state": "pending"})
    return out


def fill_pending(engine: Engine, count: int, *, slug: str = "aleppo", chunk: int = 5000,
                 comment_bytes: int = 0, campaign_version: int | None = None,
                 made_at: datetime | None = None) -> list[str]:
    """Insert ``count`` pending signatures after the device's last sequence number; returns their ids.
    ``made_at``: when they were made, by default an hour ago (before midnight in the first hour of a day)."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        start = cursor.execute("SELECT coalesce(max(seq), 0) + 1 FROM signature").fetchone()[0]
        made = rows(count, slug=slug, start_seq=start, comment_bytes=comment_bytes,
                    campaign_version=campaign_version, made_at=made_at)
        for at in range(0, count, chunk):
            cursor.execute("BEGIN IMMEDIATE")
            cursor.executemany(_INSERT_SQL, [_bind(r, engine.dialect) for r in made[at:at + chunk]])
            cursor.execute("COMMIT")
    finally:
        raw.close()
    return [r["id"] for r in made]


@contextlib.contextmanager
def backlog_against_server(count: int, prefix: str, *, workers: int = 1, url: str | None = None) -> Iterator[Path]:
    """A real server process (``workers`` worker processes; its database at ``url``, else an SQLite file
    of its own) with the built-in campaigns published, and a device data directory enrolled with it
    holding ``count`` pending signatures. Yields the device's data directory while the server runs (the
    server's is its sibling ``server``); everything is removed afterwards (a database at ``url`` is the
    caller's)."""
    from bench.bench_ingest import _server
    from bench.sealed_data import ensure_sealing_key
    from db.migrate import open_database
    from db.sync import enrollment
    from server import campaigns, devices
    from server.database import make_engine, sqlite_url, upgrade, write_session

    with tempfile.TemporaryDirectory(prefix=prefix) as scratch:
        root = Path(scratch)
        server_dir, device_dir = root / "server", root / "device"
        server_dir.mkdir()
        url = url or sqlite_url(server_dir)
        server_engine = make_engine(url)
        upgrade(server_engine)
        with write_session(server_engine) as session:
            ensure_sealing_key(session)  # the server publishes its campaigns sealed to its key
            for folder in builtin_bundle_dirs():
                campaigns.publish(folder, session=session)
            session.commit()
        engine = open_database(device_dir)
        fill_pending(engine, count)
        engine.dispose()
        try:
            with _server(url, server_dir, workers) as port:
                with write_session(server_engine) as session:
                    code = devices.add_device("bench", session=session, ttl=timedelta(hours=1)).code
                    session.commit()
                enrollment.enroll(device_dir, f"http://127.0.0.1:{port}", code)
                yield device_dir
        finally:
            server_engine.dispose()
