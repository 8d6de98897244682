"""Server databases for the benchmarks (not a benchmark itself): a sealing key for servers that publish
campaigns, and stored signatures, sealed or clear, written straight into the signature table."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlmodel import Session

PASSPHRASE = "benchmark passphrase, never a real one"


def ensure_sealing_key(session: Session, *, cost: str = "interactive") -> None:
    """Give a benchmark server a sealing key (it publishes campaigns sealed to it); the caller commits.
    The cheapest KDF cost unless asked: only ``export-sealed`` measures the unlock."""
    from server import sealing

    if sealing.active_public_key(session=session) is None:
        sealing.create(PASSPHRASE, session=session, cost=cost)


def add_device(engine: Engine, name: str = "bench") -> str:
    from server.database import write_session
    from server.models import Device

    device_id = str(uuid.uuid4())
    with write_session(engine) as session:
        session.add(Device(id=device_id, name=name))
        session.commit()
    return device_id


def store_signatures(engine: Engine, device_id: str, count: int, *, key: Any = None, chunk: int = 5000) -> None:
    """``count`` signatures of the aleppo campaign stored as ingest stores them; sealed to ``key`` (a
    ``db.sealing.PublicKey``) as a device seals them when given, in clear otherwise."""
    from bench.sync_data import template
    from db.schemas import WIRE_FIELDS, content_hash
    from db.sealing import seal
    from server.database import write_session
    from server.models import StoredSignature

    base = template()
    table = StoredSignature.__table__  # type: ignore[attr-defined]
    received = datetime.now(UTC)
    tag = uuid.uuid4().hex[:6]
    for start in range(0, count, chunk):
        rows = []
        for seq in range(start + 1, min(count, start + chunk) + 1):
            record = base.model_copy(update={"id": str(uuid.uuid4()), "seq": seq, "family_name": f"Haddad {tag}-{seq}",
                                             "email": f"amal.{tag}.{seq}@example.org"})
            if key is not None:
                record = seal(record, key)
            row = {name: getattr(record, name) for name in WIRE_FIELDS}
            row.update(content_hash=content_hash(record), device_id=device_id, received_at=received, clock_offset_ms=0)
            rows.append(row)
        with write_session(engine) as session:
            session.execute(insert(table), rows)
            session.commit()
