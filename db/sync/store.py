"""Per-batch state transitions of signature rows, and the history of sync runs.

Every transition is one statement over the batch (``UPDATE ... WHERE id IN (...)``), committed
(synchronous=FULL) before the request goes out and after its answer came back:

    pending --claim_batch--> sending --apply_results--> acked | needs_attention
                             sending --release_batch / reset_sending--> pending

:func:`apply_and_claim` commits one batch's outcomes and the next batch's claim in one transaction
(one disk flush instead of two); each batch's rows still change together.

A crash at any moment leaves rows either ``pending`` (sent again later) or ``sending`` (put back to
``pending`` by the next sender, who holds the data directory's lock, and sent again). Sending again is
safe: the server keeps the first copy of an id and answers ``duplicate`` for the same content.

The hot path reads rows with the DBAPI cursor and builds the canonical wire form itself
(:func:`payload_from_row`), byte-identical to ``db.schemas.wire_payload`` of the same row (a test
checks it), because the ORM costs more per row than the rest of sending.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from db.engine import immediate_cursor, write_session
from db.models import ServerCount, SyncRun, SyncState
from db.quick import TRANSIENT_REASONS
from db.schemas import FIELD_API_VERSION, OMITTED_WHEN_EMPTY, WIRE_FIELDS, as_utc, held_beyond
from db.wire import API_VERSION, Outcome, SignatureResult

_DATETIMES = tuple(n for n in WIRE_FIELDS if n in ("consent_given_at", "created_at"))
_BOOLS = ("consent_processing", "consent_updates")
# The unary + keeps SQLite off the sync_state index: with 100,000 pending rows that index makes it
# sort every pending row for each batch; walking the seq index from the cursor reads only the batch.
_WHERE_PENDING = "WHERE +sync_state = 'pending' AND seq > ? ORDER BY seq LIMIT ?"
_SELECT_SQL = f"SELECT {', '.join(WIRE_FIELDS)} FROM signature {_WHERE_PENDING}"
_ROW_SQL = f"SELECT {', '.join(WIRE_FIELDS)} FROM signature WHERE id = ?"


def _json_value(name: str) -> str:
    if name in _DATETIMES:  # the stored forms _iso rewrites by slicing (the guard checks them)
        return f"substr({name}, 1, 10) || 'T' || substr({name}, 12, 15) || 'Z'"
    if name in _BOOLS:
        return f"CASE {name} WHEN 1 THEN json('true') WHEN 0 THEN json('false') END"
    return name


# The wire JSON of each row written by SQLite's json_object (the same bytes as orjson writes
# payload_from_row's dict, a test checks it): reading 29 columns into Python objects, the payload dict
# and its encoding cost more per row than the rest of claiming. The guard leaves NULL, and the row to
# payload_from_row, where json_object would not write the same: a late field that is not empty
# (json_object cannot leave a key out), a time in a form _iso does not slice, a boolean column holding
# other than 0 or 1 (NUMERIC affinity keeps text as text). The other columns have TEXT or INTEGER
# affinity and hold what orjson writes alike; a BLOB, which neither writes, fails the query (then
# the whole batch goes the Python way, which refuses it too).
_JSON_GUARD = " AND ".join([
    *(f"{n} IS NULL" for n in WIRE_FIELDS if n in OMITTED_WHEN_EMPTY),
    *(f"typeof({n}) = 'text' AND (length({n}) = 26 OR (length({n}) = 32 AND substr({n}, 27) = '+00:00'))"
      for n in _DATETIMES),
    *(f"({n} IS NULL OR (typeof({n}) = 'integer' AND {n} IN (0, 1)))" for n in _BOOLS),
])
_JSON_SQL = (
    "SELECT id, seq, campaign_slug, voids, CASE WHEN " + _JSON_GUARD + " THEN CAST(json_object("
    + ", ".join(f"'{n}', {_json_value(n)}" for n in WIRE_FIELDS if n not in OMITTED_WHEN_EMPTY)
    + f") AS BLOB) END FROM signature {_WHERE_PENDING}"
)


_CLAIM_SQL = "UPDATE signature SET sync_state = 'sending' WHERE seq > ? AND seq <= ? AND +sync_state = 'pending'"


# Held back: a server that speaks an older API version than a signature's mode needs would refuse it for
# good (db.schemas.MODE_API_VERSION), and one that does not know a filled field would drop it
# (db.schemas.FIELD_API_VERSION), so such rows stay ``pending`` and out of every batch until the
# server speaks it. The same condition goes into the claim's read and its UPDATE, which must find exactly
# the rows read. The mode values and field names are the code's own, never input.
def _held_condition(held: tuple[str, ...]) -> str:
    modes = [item for item in held if item not in FIELD_API_VERSION]
    condition = f" AND mode NOT IN ({', '.join(repr(mode) for mode in modes)})" if modes else ""
    return condition + "".join(f" AND {name} IS NULL" for name in held if name in FIELD_API_VERSION)


@dataclass(frozen=True)
class _ClaimSql:
    json: str
    select: str
    update: str


_claim_sql: dict[tuple[str, ...], _ClaimSql] = {(): _ClaimSql(_JSON_SQL, _SELECT_SQL, _CLAIM_SQL)}


def _sql_holding(held: tuple[str, ...]) -> _ClaimSql:
    found = _claim_sql.get(held)
    if found is None:
        condition = _held_condition(held)
        where = _WHERE_PENDING.replace(" ORDER BY", condition + " ORDER BY")
        found = _claim_sql[held] = _ClaimSql(_JSON_SQL.replace(_WHERE_PENDING, where),
                                             _SELECT_SQL.replace(_WHERE_PENDING, where), _CLAIM_SQL + condition)
    return found
# Room for the envelope around the signatures: {"device_time": ..., "batch_id": ..., "signatures": [...]}
ENVELOPE_BYTES = 256
RUN_HISTORY = 1000


def _iso(stored: Any) -> str:
    # SQLAlchemy stores DateTime in SQLite as 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC for our columns);
    # the wire form is 'YYYY-MM-DDTHH:MM:SS.ffffffZ'.
    # (rows written through the ORM's binder of an aware value carry '+00:00').
    if isinstance(stored, str) and (len(stored) == 26 or (len(stored) == 32 and stored.endswith("+00:00"))):
        return f"{stored[:10]}T{stored[11:26]}Z"
    value = stored if isinstance(stored, datetime) else datetime.fromisoformat(str(stored))
    return as_utc(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def payload_from_row(row: tuple[Any, ...]) -> dict[str, Any]:
    """The wire payload of a raw ``SELECT <WIRE_FIELDS>`` row (same as wire_payload of the ORM row)."""
    out = dict(zip(WIRE_FIELDS, row, strict=True))
    for name in _DATETIMES:
        out[name] = _iso(out[name])
    for name in _BOOLS:
        if out[name] is not None:
            out[name] = bool(out[name])
    for name in OMITTED_WHEN_EMPTY:
        if out[name] is None:
            del out[name]
    return out


@dataclass
class Batch:
    ids: list[str]
    parts: list[bytes]  # each signature's JSON, in order
    last_seq: int
    slugs: dict[str, tuple[str, int]] = field(default_factory=dict)  # id -> (slug, +1 or -1 for a void)
    # Set by claim_batch: its rows are then every row after this sequence number up to last_seq that was
    # pending when it was claimed, which lets one range condition find them again.
    after_seq: int | None = None

    def body(self, device_time: datetime, batch_id: str, *, want_totals: bool) -> bytes:
        head = orjson.dumps({
            "device_time": device_time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "batch_id": batch_id, "want_totals": want_totals,
        })
        return head[:-1] + b',"signatures":[' + b",".join(self.parts) + b"]}"

    def __len__(self) -> int:
        return len(self.ids)


def _in(ids: list[str]) -> str:
    return ", ".join("?" for _ in ids)


def claim_batch(engine: Engine, *, after_seq: int, max_count: int, max_bytes: int,
                api_version: int = API_VERSION) -> Batch | None:
    """The oldest pending rows after ``after_seq``, at most ``max_count`` and ``max_bytes`` of JSON
    (a single row larger than that still comes alone: the server will say 413 and it is set aside),
    marked ``sending`` and committed. None when nothing is pending. Rows a server speaking
    ``api_version`` would refuse for good (see held_back) are left pending, out of the batch."""
    return claim_next(engine, Claim(after_seq, max_count, max_bytes, held_beyond(api_version)))


def claim_next(engine: Engine, claim: Claim) -> Batch | None:
    """claim_batch's work, from a Claim."""
    with immediate_cursor(engine) as cursor:
        return _claim(cursor, claim)


@dataclass(frozen=True)
class Claim:
    """What claim_batch takes: the next batch after ``after_seq``, capped by count and bytes, without
    the rows whose mode is in ``held`` (the server does not speak it yet)."""

    after_seq: int
    max_count: int
    max_bytes: int
    held: tuple[str, ...] = ()


_SEQ_AT = WIRE_FIELDS.index("seq")
_JSON_AT = itemgetter(4)  # the wire JSON in a row of _JSON_SQL
_VOIDS_AT = WIRE_FIELDS.index("voids")
_SLUG_AT = WIRE_FIELDS.index("campaign_slug")


_json_in_sql: bool | None = None  # whether this SQLite has json_object (built in since 3.38)


def _has_json_object(cursor: Any) -> bool:
    global _json_in_sql
    if _json_in_sql is None:
        try:
            cursor.execute("SELECT json_object('a', json('true'))").fetchall()
            _json_in_sql = True
        except sqlite3.OperationalError:  # pragma: no cover - an SQLite built without JSON
            _json_in_sql = False
    return _json_in_sql


def _parts(cursor: Any, claim: Claim) -> list[tuple[str, int, str, str | None, bytes]]:
    """(id, seq, campaign_slug, voids, wire JSON) of the pending rows after the cursor, oldest first."""
    sql = _sql_holding(claim.held)
    if _has_json_object(cursor):
        try:
            rows = cursor.execute(sql.json, (claim.after_seq, claim.max_count)).fetchall()
        except sqlite3.OperationalError:  # a value JSON cannot hold: as below, which raises for it too
            rows = None
        if rows is not None:
            if None not in map(_JSON_AT, rows):
                return rows  # type: ignore[no-any-return]
            return [row if row[4] is not None else (*row[:4], orjson.dumps(payload_from_row(
                cursor.execute(_ROW_SQL, (row[0],)).fetchone()))) for row in rows]
    return [(row[0], row[_SEQ_AT], row[_SLUG_AT], row[_VOIDS_AT], orjson.dumps(payload_from_row(row)))
            for row in cursor.execute(sql.select, (claim.after_seq, claim.max_count)).fetchall()]


def _claim(cursor: Any, claim: Claim) -> Batch | None:
    rows = _parts(cursor, claim)
    if not rows:
        return None
    # Column by column (zip, comprehensions) rather than row by row: at 500 rows a batch, the loop's
    # own steps cost as much as an SQL statement.
    ids, seqs, slugs, voids, parts = (list(column) for column in zip(*rows, strict=True))
    taken = _within(parts, claim.max_bytes - ENVELOPE_BYTES)
    del ids[taken:], slugs[taken:], voids[taken:], parts[taken:]
    signs = [-1 if void else 1 for void in voids]
    batch = Batch(ids=ids, parts=parts, last_seq=seqs[taken - 1], after_seq=claim.after_seq,
                  slugs=dict(zip(ids, zip(slugs, signs, strict=True), strict=True)))
    # The rows just read, found by their sequence numbers (cheaper than by id; the same rows: the
    # batch is every pending row in its range, and nothing else writes in this transaction).
    cursor.execute(_sql_holding(claim.held).update, (batch.after_seq, batch.last_seq))
    if cursor.rowcount != len(batch.ids):  # pragma: no cover - would mean another writer
        raise RuntimeError("the claimed range does not hold exactly the batch")
    return batch


def _within(parts: list[bytes], budget: int) -> int:
    """How many of the parts, oldest first, the batch takes: as many as fit in ``budget`` bytes with a
    comma each, and always the first (a single part too large for any batch goes alone)."""
    if sum(map(len, parts)) + len(parts) <= budget:
        return len(parts)
    taken = 0
    for part in parts:
        if taken and len(part) + 1 > budget:
            break
        budget -= len(part) + 1
        taken += 1
    return taken


def _execute(engine: Engine, sql: str, params: list[Any]) -> int:
    with immediate_cursor(engine) as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def release_batch(engine: Engine, ids: list[str]) -> None:
    """The request failed: the batch goes back to ``pending`` (it may or may not be on the server;
    sending it again is safe)."""
    _execute(engine, f"UPDATE signature SET sync_state = 'pending' WHERE sync_state = 'sending' AND id IN ({_in(ids)})", ids)


# Refusals that can go away while the signature stays as it is (db.quick.TRANSIENT_REASONS: the
# operator publishes the campaign or version after devices signed it, or reopens a closed one).
# Re-sending is safe (the server answers 'duplicate' for anything it already has), so these rows
# are offered again now and then. A conflict or a validation refusal stays with the coordinator.


def requeue_transient(engine: Engine) -> int:
    """Rows refused for a reason that may have gone away go back to ``pending``. Call only while
    holding the sender lock."""
    condition = " OR ".join("sync_reason LIKE ?" for _ in TRANSIENT_REASONS)
    return _execute(
        engine,
        f"UPDATE signature SET sync_state = 'pending', sync_reason = NULL "
        f"WHERE sync_state = 'needs_attention' AND ({condition})",
        list(TRANSIENT_REASONS),
    )


def reset_sending(engine: Engine) -> int:
    """Rows a previous sender left in ``sending`` (it crashed or was killed) go back to ``pending``.
    Call only while holding the sender lock."""
    return _execute(engine, "UPDATE signature SET sync_state = 'pending' WHERE sync_state = 'sending'", [])


@dataclass
class Applied:
    created: int = 0
    duplicates: int = 0
    attention: int = 0


def attention_reason(result: SignatureResult) -> str:
    if result.reason:
        return f"{result.outcome.value}: {result.reason}" + (f" ({result.field})" if result.field else "")
    return result.outcome.value


def apply_results(
    engine: Engine, batch: Batch, results: list[SignatureResult], totals: dict[str, int] | None,
    *, now: datetime | None = None,
) -> Applied:
    """One transaction: acknowledged rows to ``acked``, refused ones to ``needs_attention`` with the
    server's reason (one UPDATE per distinct reason), and the server's counts. With ``totals`` the
    server's public counts are recorded as they are; without, each recorded count moves by the rows
    acknowledged now, so the live count (server total + unacknowledged) never jumps."""
    return apply_and_claim(engine, batch, results, totals, now=now)[0]


# The server's counts as db.signatures.record_server_count records them, in the batch's raw
# transaction: an ORM session there cost about 2 ms per batch, more than the two statements it sent.
_RECORD_COUNT_SQL = (
    "INSERT INTO server_count (campaign_slug, total, reported_at) VALUES (?, ?, ?) "
    "ON CONFLICT (campaign_slug) DO UPDATE SET total = excluded.total, reported_at = excluded.reported_at"
)
_MOVE_COUNT_SQL = "UPDATE server_count SET total = total + ?, reported_at = ? WHERE campaign_slug = ?"


def _reported_at(engine: Engine, at: datetime) -> Any:
    """``at`` as the ORM stores ServerCount.reported_at (the column type's own bind processor)."""
    column_type = ServerCount.__table__.c.reported_at.type  # type: ignore[attr-defined]
    process = column_type.dialect_impl(engine.dialect).bind_processor(engine.dialect)
    return at if process is None else process(at)


def apply_and_claim(
    engine: Engine, batch: Batch, results: list[SignatureResult], totals: dict[str, int] | None,
    *, now: datetime | None = None, claim: Claim | None = None,
) -> tuple[Applied, Batch | None]:
    """apply_results, and with ``claim`` the next batch claimed as claim_batch does, in the same
    transaction: one commit (one disk flush) for the two state changes, each still per batch."""
    now = now or datetime.now(UTC)
    applied = Applied()
    acked: list[str] = []
    attention: dict[str, list[str]] = defaultdict(list)
    outcomes = [result.outcome for result in results]
    created, duplicates = outcomes.count(Outcome.CREATED), outcomes.count(Outcome.DUPLICATE)
    if created + duplicates == len(results):  # all acknowledged, as nearly always: counted, not looped over
        acked = [result.id for result in results]  # type: ignore[misc]
        assert None not in acked
        applied.created, applied.duplicates = created, duplicates
    else:
        for result in results:
            assert result.id is not None
            if result.outcome.is_success:
                acked.append(result.id)
                if result.outcome.value == "created":
                    applied.created += 1
                else:
                    applied.duplicates += 1
            else:
                attention[attention_reason(result)].append(result.id)
                applied.attention += 1
    with immediate_cursor(engine) as cursor:
        stamp = now.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
        if acked and batch.after_seq is not None and len(acked) == len(batch.ids):
            # all of a claimed batch: its range (still 'sending': only this sender changes them)
            cursor.execute(
                "UPDATE signature SET sync_state = 'acked', sync_reason = NULL, acked_at = ? "
                "WHERE seq > ? AND seq <= ? AND +sync_state = 'sending'", (stamp, batch.after_seq, batch.last_seq),
            )
            if cursor.rowcount != len(acked):  # pragma: no cover - rolled back; the batch is sent again
                raise RuntimeError("the batch's range does not hold exactly the batch")
        elif acked:
            cursor.execute(
                f"UPDATE signature SET sync_state = 'acked', sync_reason = NULL, acked_at = ? "
                f"WHERE sync_state = 'sending' AND id IN ({_in(acked)})", (stamp, *acked),
            )
        for reason, ids in attention.items():
            cursor.execute(
                f"UPDATE signature SET sync_state = 'needs_attention', sync_reason = ? "
                f"WHERE sync_state = 'sending' AND id IN ({_in(ids)})", (reason, *ids),
            )
        delta: dict[str, int] = defaultdict(int)
        for slug, sign in map(batch.slugs.__getitem__, acked):
            delta[slug] += sign
        reported_at = _reported_at(engine, now)
        for slug in sorted(set(delta) | set(totals or {})):
            if totals and slug in totals:  # as record_server_count, one statement
                cursor.execute(_RECORD_COUNT_SQL, (slug, totals[slug], reported_at))
            elif delta[slug]:  # before any report the live count is the local total anyway: no row, no change
                cursor.execute(_MOVE_COUNT_SQL, (delta[slug], reported_at, slug))
        claimed = _claim(cursor, claim) if claim is not None else None
    return applied, claimed


def set_aside(engine: Engine, ids: list[str], reason: str) -> None:
    """Rows the server can never take as they are (e.g. one signature larger than a whole batch)."""
    _execute(
        engine,
        f"UPDATE signature SET sync_state = 'needs_attention', sync_reason = ? WHERE id IN ({_in(ids)})",
        [reason, *ids],
    )


def _query(engine: Engine, sql: str) -> list[tuple[Any, ...]]:
    raw = engine.raw_connection()
    try:
        return list(raw.cursor().execute(sql).fetchall())
    finally:
        raw.close()


def counts(engine: Engine) -> dict[str, int]:
    """Signatures per sync state, every state named (0 when none)."""
    out = {state.value: 0 for state in SyncState}
    out.update({str(state): int(n) for state, n in _query(
        engine, "SELECT sync_state, count(*) FROM signature GROUP BY sync_state")})
    return out


def held_back(engine: Engine, api_version: int) -> dict[str, int]:
    """Unacknowledged signatures (pending or sending) per mode, or per field, that a server speaking
    ``api_version`` does not know: they wait for the server to be updated. A signature held for its mode
    counts under the mode only. Empty when there are none."""
    held = held_beyond(api_version)
    if not held:
        return {}
    modes = tuple(item for item in held if item not in FIELD_API_VERSION)
    fields = [item for item in held if item in FIELD_API_VERSION]
    in_modes = f"mode IN ({', '.join(repr(mode) for mode in modes)})" if modes else "0"
    # the first held reason a row has names its group: its mode, else its first filled held field
    group = "CASE WHEN " + in_modes + " THEN mode " + "".join(
        f"WHEN {name} IS NOT NULL THEN '{name}' " for name in fields) + "END"
    return {str(key): int(n) for key, n in _query(
        engine, f"SELECT {group} AS held, count(*) FROM signature WHERE sync_state IN ('pending', 'sending') "
        f"AND {group} IS NOT NULL GROUP BY held")}


def attention_reasons(engine: Engine) -> dict[str, int]:
    return {str(reason): int(n) for reason, n in _query(
        engine, "SELECT sync_reason, count(*) FROM signature WHERE sync_state = 'needs_attention' GROUP BY sync_reason")}


def record_run(engine: Engine, run: SyncRun) -> None:
    with write_session(engine) as session:
        session.add(run)
        session.flush()
        assert run.id is not None
        if run.id % 100 == 0:  # keep the history short
            session.execute(delete(SyncRun).where(col(SyncRun.id) <= run.id - RUN_HISTORY))
        session.commit()


def last_runs(engine: Engine, limit: int = 1) -> list[SyncRun]:
    with Session(engine, expire_on_commit=False) as session:
        return list(session.execute(select(SyncRun).order_by(col(SyncRun.id).desc()).limit(limit)).scalars())


def last_success(engine: Engine) -> SyncRun | None:
    with Session(engine, expire_on_commit=False) as session:
        return session.execute(
            select(SyncRun).where(col(SyncRun.outcome) == "ok").order_by(col(SyncRun.id).desc()).limit(1)
        ).scalars().first()

