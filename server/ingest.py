"""Batch ingest: validate every signature on its own, store the batch in one transaction, and name each
id's outcome.

The signature table's primary key decides everything: ``INSERT ... ON CONFLICT (id) DO NOTHING
RETURNING id`` stores each new id exactly once however many identical batches race (PostgreSQL makes the
second inserter wait for the first one's commit; SQLite serialises writers). Ids that were not inserted
are then looked up: the same content hash is a ``duplicate`` (success: a retry after a lost answer), any
other is a ``conflict`` and the first content stays.

A signature of a closed campaign is not stored, but a retry of one stored before the campaign closed is
still a ``duplicate``, so a device whose answer got lost is never told its signature failed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from db import validation as v
from db.schemas import WIRE_FIELDS, SignatureCreate, as_utc, content_hash
from db.wire import (
    REASON_CAMPAIGN_UNKNOWN,
    REASON_CAMPAIGN_VERSION_UNKNOWN,
    REASON_SEALING_KEY_UNKNOWN,
    BatchResult,
    Outcome,
    SignatureResult,
)
from server import campaigns, sealing
from server.database import write_session
from server.models import Device, StoredSignature, utcnow

_table = StoredSignature.__table__  # type: ignore[attr-defined]
INT32_MAX = 2**31 - 1  # the seq column is a 32-bit INTEGER on PostgreSQL
OFFSET_LIMIT_MS = 10**15


@dataclass
class _Candidate:
    index: int
    id: str
    digest: str
    row: dict[str, Any]
    closed: bool


def _reject(index: int, raw_id: Any, reason: str, field: str | None) -> SignatureResult:
    return SignatureResult(
        id=raw_id if isinstance(raw_id, str) and len(raw_id) <= 64 else None,
        index=index, outcome=Outcome.REJECTED, reason=reason, field=field,
    )


def _validate(index: int, item: Any) -> SignatureCreate | SignatureResult:
    if not isinstance(item, dict):
        return _reject(index, None, v.INVALID, None)
    raw_id = item.get("id")
    try:
        record = SignatureCreate.model_validate(item)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err.get("loc") else None
        key = err["type"] if err["type"] in v.MESSAGE_KEYS else (v.REQUIRED if err["type"] == "missing" else v.INVALID)
        return _reject(index, raw_id, key, field)
    except (ValueError, OverflowError, TypeError):
        # e.g. a date at the edge of the calendar whose UTC conversion overflows
        return _reject(index, raw_id, v.INVALID, None)
    if record.seq > INT32_MAX:
        return _reject(index, raw_id, v.INVALID, "seq")
    return record


def ingest(
    engine: Engine, device_id: str, device_time: datetime, items: Sequence[Any], *, now: datetime | None = None
) -> BatchResult:
    received_at = now or utcnow()
    offset_ms = int((received_at - as_utc(device_time)).total_seconds() * 1000)
    offset_ms = max(-OFFSET_LIMIT_MS, min(OFFSET_LIMIT_MS, offset_ms))

    with Session(engine) as session:
        known = campaigns.states(session=session)
        sealing_keys = sealing.key_ids(session=session)

    results: list[SignatureResult | None] = [None] * len(items)
    candidates: list[_Candidate] = []
    first_in_batch: dict[str, _Candidate] = {}
    repeats: list[_Candidate] = []
    for index, item in enumerate(items):
        checked = _validate(index, item)
        if isinstance(checked, SignatureResult):
            results[index] = checked
            continue
        state = known.get(checked.campaign_slug)
        if state is None:
            results[index] = _reject(index, checked.id, REASON_CAMPAIGN_UNKNOWN, "campaign_slug")
            continue
        if checked.campaign_version not in state.versions:
            results[index] = _reject(index, checked.id, REASON_CAMPAIGN_VERSION_UNKNOWN, "campaign_version")
            continue
        if checked.sealed_key is not None and checked.sealed_key not in sealing_keys:
            results[index] = _reject(index, checked.id, REASON_SEALING_KEY_UNKNOWN, "sealed_key")
            continue
        row = {name: getattr(checked, name) for name in WIRE_FIELDS}
        digest = content_hash(checked)
        row.update(content_hash=digest, device_id=device_id, received_at=received_at, clock_offset_ms=offset_ms)
        candidate = _Candidate(index, checked.id, digest, row, state.closed)
        if checked.id in first_in_batch:
            repeats.append(candidate)
        else:
            first_in_batch[checked.id] = candidate
            candidates.append(candidate)

    to_insert = [c.row for c in candidates if not c.closed]
    stored: dict[str, str] = {}
    inserted: set[str] = set()
    with write_session(engine) as session:
        conn = session.connection()
        if to_insert:
            dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
            stmt = dialect.insert(_table).on_conflict_do_nothing(index_elements=["id"]).returning(_table.c.id)
            inserted = set(conn.execute(stmt, to_insert).scalars())
        lookup = [c.id for c in candidates if c.id not in inserted]
        for start in range(0, len(lookup), 400):
            chunk = lookup[start : start + 400]
            stored.update(
                conn.execute(
                    select(StoredSignature.id, StoredSignature.content_hash).where(col(StoredSignature.id).in_(chunk))
                ).tuples().all()
            )
        conn.execute(
            update(Device).where(col(Device.id) == device_id).values(last_seen_at=received_at, last_clock_offset_ms=offset_ms)
        )
        session.commit()

    for c in candidates:
        if c.id in inserted:
            outcome = Outcome.CREATED
        elif c.id in stored:
            outcome = Outcome.DUPLICATE if stored[c.id] == c.digest else Outcome.CONFLICT
        else:
            outcome = Outcome.CAMPAIGN_CLOSED
        results[c.index] = SignatureResult(id=c.id, index=c.index, outcome=outcome)
    for c in repeats:
        first = first_in_batch[c.id]
        first_outcome = results[first.index]
        assert first_outcome is not None
        if first_outcome.outcome is Outcome.CAMPAIGN_CLOSED and c.digest == first.digest:
            outcome = Outcome.CAMPAIGN_CLOSED
        elif c.digest == stored.get(c.id, first.digest if c.id in inserted else None):
            outcome = Outcome.DUPLICATE
        else:
            outcome = Outcome.CONFLICT
        results[c.index] = SignatureResult(id=c.id, index=c.index, outcome=outcome)

    final = [r for r in results if r is not None]
    counts: dict[str, int] = {o.value: 0 for o in Outcome}
    for r in final:
        counts[r.outcome.value] += 1
    return BatchResult(received_at=received_at, clock_offset_s=offset_ms / 1000, counts=counts, results=final)
