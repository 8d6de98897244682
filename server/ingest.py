"""Batch ingest: validate every signature on its own, store the batch in one transaction, and name each
id's outcome.

The signature table's primary key, (id, device): ids are scoped to the device that sent them, so one
device can neither take nor block another's. It decides everything: ``INSERT ... ON CONFLICT (id,
device_id) DO NOTHING RETURNING id`` stores each new id of a device exactly once however many identical batches race (PostgreSQL makes the
second inserter wait for the first one's commit; SQLite serialises writers). Ids that were not inserted
are then looked up: the same content hash is a ``duplicate`` (success: a retry after a lost answer), any
other is a ``conflict`` and the first content stays.

A signature of a closed campaign is not stored, but a retry of one stored before the campaign closed is
still a ``duplicate``, so a device whose answer got lost is never told its signature failed.
"""

from __future__ import annotations

import operator
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from itertools import chain
from typing import Any

import orjson
from pydantic import ValidationError
from sqlalchemy import Boolean, DateTime, bindparam, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col, select

from db import validation as v
from db.schemas import (
    SERVER_MODES,
    WIRE_FIELDS,
    SignatureCreate,
    canonical_records,
    content_hash,
    fields_beyond,
    modes_beyond,
    wire_hash,
)
from db.wire import (
    API_VERSION,
    REASON_CAMPAIGN_UNKNOWN,
    REASON_CAMPAIGN_VERSION_UNKNOWN,
    REASON_SEALING_KEY_UNKNOWN,
    REASON_UNKNOWN_FIELD,
    REASON_VOID_TARGET_FOREIGN,
    BatchResult,
    Outcome,
)
from server import campaigns
from server.database import autocommit_driver, driver_errors, is_psycopg, write_session
from server.models import Campaign, CampaignVersion, Device, SealingKeyRow, StoredSignature, utcnow

_table = StoredSignature.__table__  # type: ignore[attr-defined]
INT32_MAX = 2**31 - 1  # the seq column is a 32-bit INTEGER on PostgreSQL
OFFSET_LIMIT_MS = 10**15
WEB_SEEN_EVERY = timedelta(minutes=1)  # how often a web signature updates its pseudo-device's last_seen_at
CONFLICT_TARGET = "(id, device_id)"  # the table's primary key: ids are scoped to their device
_web_seen: dict[str, datetime] = {}  # pseudo-device -> when this process last updated its last_seen_at
_LONG_AGO = datetime(1970, 1, 1, tzinfo=UTC)
_SERVER_FIELDS = ("content_hash", "device_id", "received_at", "clock_offset_ms")  # besides the wire fields


@dataclass(slots=True)
class _Candidate:
    index: int
    id: str
    digest: str
    row: dict[str, Any]
    closed: bool


@dataclass(slots=True)
class _Checked:
    # Every wire field, as SignatureCreate holds it; but a record that took the fast path keeps its times
    # as their canonical wire text ('YYYY-MM-DDTHH:MM:SS.ffffffZ', checked by canonical_records), which
    # _insert writes for SQLite by slicing, about ten times cheaper than formatting a datetime again.
    values: dict[str, Any]
    digest: str


# The signature's own times (the server's received_at is a datetime, bound once a batch).
_WIRE_TIMES = tuple(column.name for column in _table.columns if isinstance(column.type, DateTime) and column.name in WIRE_FIELDS)


def _reject(index: int, raw_id: Any, reason: str, field: str | None) -> dict[str, Any]:
    """A refused signature's result, as SignatureResult holds it (see answer_json)."""
    return {"id": raw_id if isinstance(raw_id, str) and len(raw_id) <= 64 else None,
            "index": index, "outcome": Outcome.REJECTED, "reason": reason, "field": field}


_WIRE_NAMES = frozenset(WIRE_FIELDS)


def _validate_all(items: Sequence[Any], reject_unknown_fields: bool = True, unknown_modes: tuple[str, ...] = (),
                  unknown_fields: tuple[str, ...] = ()) -> list[_Checked | dict[str, Any]]:
    """Each item checked and hashed, or its rejection (see _reject), in the batch's order."""
    checked: list[_Checked | dict[str, Any] | None] = [None] * len(items)
    at: list[int] = []
    screened: list[Any] = []
    for index, item in enumerate(items):
        if unknown_fields and isinstance(item, dict) and not item.keys().isdisjoint(unknown_fields):
            # A server speaking version 1 dropped a field it did not know and stored the rest, as that version
            # did (devices hold such signatures back from it: db/sync/store.py).
            item = {name: value for name, value in item.items() if name not in unknown_fields}
        if unknown_modes and isinstance(item, dict) and item.get("mode") in unknown_modes:
            # A server speaking an older API version answers as that version did: a mode it did not know
            # fails validation ("invalid", the field named), for good.
            checked[index] = _reject(index, item.get("id"), v.INVALID, "mode")
        elif reject_unknown_fields and isinstance(item, dict) and not item.keys() <= _WIRE_NAMES:
            # API version 2: a field this server does not know would be lost, and the device would take
            # "created" for its signature as sent. Refused instead, naming the field.
            unknown = sorted(str(name) for name in item.keys() - _WIRE_NAMES)
            checked[index] = _reject(index, item.get("id"), REASON_UNKNOWN_FIELD, unknown[0][:64])
        else:
            at.append(index)
            screened.append(item)
    # What devices send is canonical already: checked a column of the batch at a time, the same answer, far cheaper.
    for index, item, canonical in zip(at, screened, canonical_records(screened), strict=True):
        if canonical is not None:
            if canonical.values["seq"] > INT32_MAX:
                checked[index] = _reject(index, canonical.values["id"], v.INVALID, "seq")
            else:
                values, wire = canonical.values, canonical.wire
                for name in _WIRE_TIMES:  # see _Checked
                    values[name] = wire[name]
                checked[index] = _Checked(values, wire_hash(wire))
        else:
            checked[index] = _validate_fully(index, item)
    return checked  # type: ignore[return-value]  # every position was filled


def _validate_fully(index: int, item: Any) -> _Checked | dict[str, Any]:
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
    return _Checked({name: getattr(record, name) for name in WIRE_FIELDS}, content_hash(record))


def ingest(
    engine: Engine, device_id: str, device_time: datetime, items: Sequence[Any], *, now: datetime | None = None,
    reject_unknown_fields: bool = True, api_version: int = API_VERSION, made_by_server: bool = False,
    known: Mapping[str, campaigns.CampaignState] | None = None, sealing_keys: frozenset[str] | None = None,
) -> BatchResult:
    """``made_by_server``: the signatures come from the server's own page (server/web_sign.py); only
    then may they carry a mode of ``SERVER_MODES``. ``known`` and ``sealing_keys``: the campaigns' states
    and the sealing key ids as the caller has just read them (the web page's POST); else read here."""
    return BatchResult.model_validate(ingest_document(
        engine, device_id, device_time, items, now=now, reject_unknown_fields=reject_unknown_fields,
        api_version=api_version, made_by_server=made_by_server, known=known, sealing_keys=sealing_keys,
    ))


def ingest_document(
    engine: Engine, device_id: str, device_time: datetime, items: Sequence[Any], *, now: datetime | None = None,
    reject_unknown_fields: bool = True, api_version: int = API_VERSION, made_by_server: bool = False,
    known: Mapping[str, campaigns.CampaignState] | None = None, sealing_keys: frozenset[str] | None = None,
) -> dict[str, Any]:
    """``ingest``, its answer as the plain document BatchResult validates (answer_json writes it)."""
    received_at = now or utcnow()
    # Subtracting aware times never overflows, unlike converting one at the calendar's edge to UTC.
    device_clock = device_time if device_time.tzinfo is not None else device_time.replace(tzinfo=UTC)
    offset_ms = int((received_at - device_clock).total_seconds() * 1000)
    offset_ms = max(-OFFSET_LIMIT_MS, min(OFFSET_LIMIT_MS, offset_ms))

    if known is None or sealing_keys is None:
        known, sealing_keys = _campaigns_and_keys(engine)

    results: list[dict[str, Any] | None] = [None] * len(items)
    candidates: list[_Candidate] = []
    first_in_batch: dict[str, _Candidate] = {}
    repeats: list[_Candidate] = []
    unknown_modes = modes_beyond(api_version) + (() if made_by_server else SERVER_MODES)
    unknown_fields = fields_beyond(api_version)
    server_values = {"device_id": device_id, "received_at": received_at, "clock_offset_ms": offset_ms}  # with content_hash: _SERVER_FIELDS
    for index, checked in enumerate(_validate_all(items, reject_unknown_fields, unknown_modes, unknown_fields)):
        if type(checked) is not _Checked:  # a rejection
            results[index] = checked  # type: ignore[assignment]
            continue
        row = checked.values
        signature_id = row["id"]
        state = known.get(row["campaign_slug"])
        if state is None:
            results[index] = _reject(index, signature_id, REASON_CAMPAIGN_UNKNOWN, "campaign_slug")
            continue
        if row["campaign_version"] not in state.versions:
            results[index] = _reject(index, signature_id, REASON_CAMPAIGN_VERSION_UNKNOWN, "campaign_version")
            continue
        if row["sealed_key"] is not None and row["sealed_key"] not in sealing_keys:
            results[index] = _reject(index, signature_id, REASON_SEALING_KEY_UNKNOWN, "sealed_key")
            continue
        row.update(server_values)
        row["content_hash"] = checked.digest
        candidate = _Candidate(index, signature_id, checked.digest, row, state.closed)
        if signature_id in first_in_batch:
            repeats.append(candidate)
        else:
            first_in_batch[signature_id] = candidate
            candidates.append(candidate)

    foreign = _foreign_void_targets(engine, device_id, candidates)
    if foreign:
        refused_ids = {c.id for c in candidates if c.row["voids"] in foreign}
        for c in [*candidates, *repeats]:
            if c.id in refused_ids or c.row["voids"] in foreign:  # a repeat of a refused id goes with it
                results[c.index] = _reject(c.index, c.id, REASON_VOID_TARGET_FOREIGN, "voids")
        candidates = [c for c in candidates if results[c.index] is None]
        repeats = [c for c in repeats if results[c.index] is None]

    to_insert = [c.row for c in candidates if not c.closed]
    stored: dict[str, str] = {}
    inserted: set[str] = set()
    # The web page's pseudo-device gets every web signature: updated on each, its row would be one
    # lock that all of them queue for (PostgreSQL holds it until the commit is on disk). Once a
    # minute is all "last seen" needs: within the minute after this process updated it, no
    # statement is sent, and a row the WHERE leaves out is not locked.
    seen_due = not made_by_server or received_at - _web_seen.get(device_id, _LONG_AGO) >= WEB_SEEN_EVERY
    if to_insert and not seen_due and is_psycopg(engine):
        # The insert is all the transaction would hold (a web signature): the statement alone in
        # autocommit is its own transaction, committed (and on disk) when it returns, with the same ON
        # CONFLICT; one round trip instead of three (BEGIN, INSERT, COMMIT). The ids not inserted are
        # looked up after it: stored signatures never change.
        with autocommit_driver(engine) as driver:
            inserted = _insert_postgresql(driver, to_insert)
        lookup = [c.id for c in candidates if c.id not in inserted]
        if lookup:
            with Session(engine) as session:
                stored = _stored_hashes(session.connection(), device_id, lookup)
    else:
        with write_session(engine) as session:
            conn = session.connection()
            if to_insert:
                inserted = _insert(conn, to_insert)
            stored = _stored_hashes(conn, device_id, [c.id for c in candidates if c.id not in inserted])
            if seen_due:
                seen = {"device_id": device_id, "seen_at": received_at, "offset_ms": offset_ms}
                if made_by_server:
                    _web_seen[device_id] = received_at
                    conn.execute(_SEEN_WEB, {**seen, "stale_before": received_at - WEB_SEEN_EVERY})
                else:
                    conn.execute(_SEEN, seen)
            session.commit()

    outcomes: dict[int, tuple[str, Outcome]] = {}  # index -> (id, outcome) of the checked signatures
    for c in candidates:
        if c.id in inserted:
            outcome = Outcome.CREATED
        elif c.id in stored:
            outcome = Outcome.DUPLICATE if stored[c.id] == c.digest else Outcome.CONFLICT
        else:
            outcome = Outcome.CAMPAIGN_CLOSED
        outcomes[c.index] = (c.id, outcome)
    for c in repeats:
        first = first_in_batch[c.id]
        if outcomes[first.index][1] is Outcome.CAMPAIGN_CLOSED and c.digest == first.digest:
            outcome = Outcome.CAMPAIGN_CLOSED
        elif c.digest == stored.get(c.id, first.digest if c.id in inserted else None):
            outcome = Outcome.DUPLICATE
        else:
            outcome = Outcome.CONFLICT
        outcomes[c.index] = (c.id, outcome)

    counts: dict[str, int] = {o.value: 0 for o in Outcome}
    final: list[dict[str, Any]] = []
    for index, refused in enumerate(results):
        if refused is not None:
            final.append(refused)
            counts[refused["outcome"]] += 1
        elif index in outcomes:
            signature_id, outcome = outcomes[index]
            final.append({"id": signature_id, "index": index, "outcome": outcome, "reason": None, "field": None})
            counts[outcome] += 1  # a StrEnum: the same key as its value
    return {"received_at": received_at, "clock_offset_s": offset_ms / 1000, "counts": counts, "results": final,
            "totals": None}


def answer_json(document: dict[str, Any]) -> bytes:
    """``BatchResult.model_validate(document).model_dump_json()``, the same bytes (tests/server/
    test_ingest_answer.py compares them), written by orjson from the document as ingest_document made it:
    about 2 us a signature less of a worker's CPU than a SignatureResult validated and written per
    signature (bench ingest-profile). The document's fields are BatchResult's, in its order, and hold
    what it would hold: an aware UTC time, a float, the counts, each result's five fields, the totals."""
    return orjson.dumps(document, option=orjson.OPT_UTC_Z)


# The device's "last seen", one statement built once: built for each batch, SQLAlchemy spent 0.5 ms of CPU
# a batch making and looking up its cache key, against 0.1-0.2 ms for this one (a scratch script).
_SEEN = (update(Device).where(col(Device.id) == bindparam("device_id"))
         .values(last_seen_at=bindparam("seen_at"), last_clock_offset_ms=bindparam("offset_ms")))
_SEEN_WEB = _SEEN.where(or_(col(Device.last_seen_at).is_(None), col(Device.last_seen_at) < bindparam("stale_before")))
_CAMPAIGNS_SQL = f"SELECT slug, closed_at IS NOT NULL FROM {Campaign.__tablename__}"
_VERSIONS_SQL = f"SELECT slug, version FROM {CampaignVersion.__tablename__}"
_KEYS_SQL = f"SELECT key_id FROM {SealingKeyRow.__tablename__}"


def _campaigns_and_keys(engine: Engine) -> tuple[dict[str, campaigns.CampaignState], frozenset[str]]:
    """``campaigns.states`` and ``sealing.key_ids``: the same three selects, straight on the driver's
    cursor. Through an ORM session they cost 0.6 ms of a worker's CPU a batch on SQLite and 1.1 ms on
    PostgreSQL, against 0.05 and 0.3 ms so (a scratch script, the variants alternated); the tables are a
    few rows. tests/server/test_ingest_insert_exact.py checks both give the same."""
    with engine.connect() as conn, driver_errors(engine):
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(_CAMPAIGNS_SQL)
            closed = {slug: bool(is_closed) for slug, is_closed in cursor.fetchall()}
            cursor.execute(_VERSIONS_SQL)
            versions: dict[str, set[int]] = {}
            for slug, version in cursor.fetchall():
                versions.setdefault(slug, set()).add(version)
            cursor.execute(_KEYS_SQL)
            keys = frozenset(key_id for (key_id,) in cursor.fetchall())
        finally:
            cursor.close()
    states = {slug: campaigns.CampaignState(is_closed, frozenset(versions.get(slug, ()))) for slug, is_closed in closed.items()}
    return states, keys


def _foreign_void_targets(engine: Engine, device_id: str, candidates: list[_Candidate]) -> set[str]:
    """The targets of this batch's voids that another device sent (such a void is refused). A target
    not stored yet is no reason to refuse: counts apply a void only once its own device's target is
    there (server/voids.py)."""
    targets = sorted({c.row["voids"] for c in candidates if c.row["voids"] is not None})
    if not targets:
        return set()
    foreign: set[str] = set()
    with Session(engine) as session:
        for start in range(0, len(targets), 400):
            chunk = targets[start : start + 400]
            senders: dict[str, set[bool]] = {}
            for target, own in session.exec(
                select(StoredSignature.id, col(StoredSignature.device_id) == device_id)
                .where(col(StoredSignature.id).in_(chunk))
            ).all():
                senders.setdefault(target, set()).add(bool(own))
            # ids are scoped to their device: an id this device sent too is its own signature's
            foreign.update(target for target, own in senders.items() if True not in own)
    return foreign


def _stored_hashes(conn: Connection, device_id: str, ids: list[str]) -> dict[str, str]:
    """The content hashes of those of ``ids`` the device has stored."""
    stored: dict[str, str] = {}
    for start in range(0, len(ids), 400):
        chunk = ids[start : start + 400]
        stored.update(conn.execute(
            select(StoredSignature.id, StoredSignature.content_hash).where(
                col(StoredSignature.device_id) == device_id, col(StoredSignature.id).in_(chunk))
        ).tuples().all())
    return stored


def _insert(conn: Connection, rows: list[dict[str, Any]]) -> set[str]:
    """Insert the rows whose id is not stored yet; the ids inserted now."""
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        return _insert_postgresql(conn.connection.driver_connection, rows)
    if conn.dialect.name != "sqlite":
        stmt = postgresql.insert(_table).on_conflict_do_nothing(index_elements=["id", "device_id"]).returning(_table.c.id)
        return set(conn.execute(stmt, _with_datetimes(rows)).scalars())
    # SQLite: the statement SQLAlchemy's executemany sends (multi-row VALUES, RETURNING the ids
    # inserted), the values bound as the columns' own bind processors bind them, without its per-row
    # bookkeeping, which cost more than the insert itself.
    binders = _sqlite_binders(conn.dialect)
    if binders is None or rows[0].keys() != binders.filled:  # a column ingest does not fill: SQLAlchemy
        stmt = sqlite.insert(_table).on_conflict_do_nothing(index_elements=["id", "device_id"]).returning(_table.c.id)
        return set(conn.execute(stmt, _with_datetimes(rows)).scalars())
    names = binders.names
    width = len(names)
    raw = conn.connection.driver_connection
    per_statement = max(1, raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width)  # type: ignore[union-attr]
    cursor = raw.cursor()  # type: ignore[union-attr]
    inserted: set[str] = set()
    same = {}  # columns with one value for the whole batch (device, time received...): bound once
    for name in _SERVER_FIELDS:
        first = rows[0][name]
        if all(row[name] is first for row in rows):
            same[name] = first
    try:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            columns = [list(map(get, chunk)) for get in binders.column_values]  # the chunk a column at a time
            for at, process in binders.processors:
                column = columns[at]
                if names[at] in same:
                    bound = None if same[names[at]] is None else process(same[names[at]])
                    columns[at] = [bound] * len(chunk)
                elif process is _sqlite_datetime:  # the same, without a call per value for canonical wire text
                    columns[at] = [value[:10] + " " + value[11:26] if type(value) is str
                                   else None if value is None else _sqlite_datetime(value) for value in column]
                elif at in binders.bool_columns and set(map(type, column)) <= _BOOL_TYPES:
                    pass  # _as_sqlite3_binds binds True and False as 1 and 0, what the processor makes of them
                else:
                    columns[at] = [None if value is None else process(value) for value in column]
            params, placeholders = _as_sqlite3_binds(columns)
            values = ", ".join([placeholders] * len(chunk))
            sql = f"{binders.insert_head} VALUES {values} ON CONFLICT {CONFLICT_TARGET} DO NOTHING"
            # Without RETURNING, about 2.5 us a row less (a scratch timing of both), and the count of rows
            # inserted says which in the two cases a device makes: all of them (a new batch) or none (one
            # sent again after its answer was lost; a batch is one transaction). Only a mix goes back to
            # the savepoint and inserts again, RETURNING the ids inserted.
            cursor.execute("SAVEPOINT ingest_rows")
            cursor.execute(sql, params)
            if cursor.rowcount == len(chunk):
                inserted.update(row["id"] for row in chunk)
            elif cursor.rowcount != 0:
                cursor.execute("ROLLBACK TO ingest_rows")
                cursor.execute(f"{sql} RETURNING id", params)
                inserted.update(found for (found,) in cursor.fetchall())
            cursor.execute("RELEASE ingest_rows")
    finally:
        cursor.close()
    return inserted


_BOUND_AS_IS = frozenset({int, float, str})
_NONE_ONLY = frozenset({type(None)})
_placeholders: dict[tuple[int, tuple[int, ...]], str] = {}


def _as_sqlite3_binds(columns: list[list[Any]]) -> tuple[list[Any], str]:
    """The values of ``columns`` (each a column of the same rows) as the statement binds them, row after
    row, and the placeholders of one row: what the table stores is exactly what sqlite3 would store of
    the values as they are.

    sqlite3 binds a value of exactly int, float or str at once; any other (None, a bool, an enum) goes
    through its adapter lookup first, about 0.3 us a value, which was half of the insert's time with a
    dozen empty columns a row (a scratch timing: 10.4 against 5.2 us a row). So a column that is None in
    every row is written NULL in the statement instead of bound, and a value of a subclass of str or int
    (an enum, a bool) is bound as the plain str or int that sqlite3 stores for it."""
    nulls: list[int] = []
    bound: list[list[Any]] = []
    for at, column in enumerate(columns):
        kinds = set(map(type, column))
        if kinds == _NONE_ONLY:
            nulls.append(at)
            continue
        if kinds <= _BOUND_AS_IS:
            bound.append(column)
        elif len(kinds) == 1 and issubclass(kind := next(iter(kinds)), (str, int)):  # an enum's column, a bool's
            bound.append(list(map(str.__str__ if issubclass(kind, str) else int.__int__, column)))
        else:
            bound.append([_plain(value) for value in column])
    key = (len(columns), tuple(nulls))
    placeholders = _placeholders.get(key)
    if placeholders is None:
        placeholders = "(" + ", ".join("NULL" if at in nulls else "?" for at in range(len(columns))) + ")"
        if len(_placeholders) < 1024:
            _placeholders[key] = placeholders
    return list(chain.from_iterable(zip(*bound, strict=True))), placeholders


def _plain(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is int or kind is float or value is None:
        return value
    if isinstance(value, str):
        return str.__str__(value)  # the characters sqlite3 binds for a str subclass, as a plain str
    if isinstance(value, int):
        return int.__int__(value)  # the number sqlite3 binds for an int subclass (True: 1)
    return value


def _with_datetimes(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with their times as datetimes, as SQLAlchemy's own insert takes them (see _Checked)."""
    return [{**row, **{name: datetime.fromisoformat(row[name]) for name in _WIRE_TIMES if type(row[name]) is str}}
            for row in rows]


def postgresql_insert_sql(columns: Sequence[str], table: str = _table.name) -> str:
    """The batch's one INSERT on PostgreSQL: the rows as one JSON document, turned back into rows of the
    table's own type by ``json_populate_recordset``; its one parameter is postgresql_batch_document's.

    Profiled (docs/deploy/SCALING.md): a multi-row VALUES statement (500 rows x 33 columns, 16,500
    placeholders) spent a third of a worker's busy time in psycopg parsing the statement anew for each
    batch; ``unnest`` of one array per column fixed that, but psycopg then spent about 40 us of Python a
    signature writing the arrays (an escaping check per element). orjson writes the document in C, about
    5 us a signature, and PostgreSQL parses it in C. The text is short and the same for every batch.
    bench/bench_ingest.py runs the same statement straight on the driver as its ceiling."""
    names = ", ".join(columns)
    return (f"INSERT INTO {table} ({names}) SELECT {names} FROM json_populate_recordset(NULL::{table}, %s::json) "
            f"ON CONFLICT {CONFLICT_TARGET} DO NOTHING RETURNING id")


def postgresql_batch_document(rows: Sequence[dict[str, Any]]) -> str:
    """The rows as postgresql_insert_sql's parameter. Times are aware UTC here; a naive one would be
    taken as UTC, as the server stores every time (never as the session's time zone)."""
    return orjson.dumps(rows, option=orjson.OPT_NAIVE_UTC).decode()


_postgresql_sql: dict[tuple[str, ...], str] = {}


def _insert_postgresql(raw: Any, rows: list[dict[str, Any]]) -> set[str]:
    columns = tuple(rows[0])
    sql = _postgresql_sql.get(columns)
    if sql is None:
        sql = _postgresql_sql[columns] = postgresql_insert_sql(columns)
    with raw.cursor() as cursor:
        cursor.execute(sql, (postgresql_batch_document(rows),))
        return {found for (found,) in cursor.fetchall()}


@dataclass(frozen=True)
class _Binders:
    filled: frozenset[str]
    names: tuple[str, ...]  # the table's columns, in order
    processors: tuple[tuple[int, Callable[[Any], Any]], ...]  # (position, bind processor) of the columns with one
    insert_head: str
    column_values: tuple[Callable[[dict[str, Any]], Any], ...]  # each column's value of a row, in column order
    bool_columns: frozenset[int]  # positions of the BOOLEAN columns whose processor sqlite3 matches


_binders: dict[Any, _Binders | None] = {}


def _sqlite_binders(dialect: Any) -> _Binders | None:
    """How the signature table's columns are bound on this dialect, or None when the table has a
    column ingest does not fill (it would need its default)."""
    if dialect not in _binders:
        names = tuple(column.name for column in _table.columns)
        filled = frozenset((*WIRE_FIELDS, *_SERVER_FIELDS))
        if frozenset(names) != filled:
            _binders[dialect] = None
        else:
            processors = []
            bool_columns: set[int] = set()
            for at, column in enumerate(_table.columns):
                process = column.type.dialect_impl(dialect).bind_processor(dialect)
                if process is not None:
                    if isinstance(column.type, DateTime):
                        if not _stores_like_isoformat(process):
                            # Records keep their times as canonical wire text, which only
                            # _sqlite_datetime binds: another SQLAlchemy's way goes its own way.
                            _binders[dialect] = None
                            return None
                        process = _sqlite_datetime
                    elif isinstance(column.type, Boolean) and _binds_like_sqlite3(process):
                        bool_columns.add(at)
                    processors.append((at, process))
            _binders[dialect] = _Binders(
                filled, names, tuple(processors), f"INSERT INTO {_table.name} ({', '.join(names)})",
                tuple(map(operator.itemgetter, names)), frozenset(bool_columns),
            )
    return _binders[dialect]


def _sqlite_datetime(value: datetime) -> str:
    # SQLAlchemy's SQLite DATETIME stores the fields as written, 'YYYY-MM-DD HH:MM:SS.ffffff', whatever
    # the time zone (the values here are UTC); isoformat writes the same, in C (the year always in four
    # digits), then the offset of an aware time, which the slice leaves out. Without the timespec argument
    # it leaves out a fraction of zero, written here; it is faster so (1.5 against 2.4 us here).
    text = value.isoformat(" ")
    return text[:26] if text[19:20] == "." else text[:19] + ".000000"


_BOOL_TYPES = frozenset({bool, type(None)})


def _binds_like_sqlite3(process: Callable[[Any], Any]) -> bool:
    """The dialect's BOOLEAN processor makes of True and False the integers sqlite3 stores for them."""
    return all(type(process(value)) is int and process(value) == int(value) for value in (True, False))


def _stores_like_isoformat(process: Callable[[Any], Any]) -> bool:
    """The dialect's DATETIME processor writes what _sqlite_datetime writes (checked on edge cases)."""
    samples = [datetime(2026, 1, 2, 3, 4, 5, 6789, tzinfo=UTC), datetime(999, 12, 31, 23, 59, 59, tzinfo=UTC),
               datetime(1, 1, 1, tzinfo=UTC), datetime(2026, 6, 30, 12, 0, 0, 1, tzinfo=timezone(timedelta(hours=5)))]
    return all(process(sample) == _sqlite_datetime(sample) for sample in samples)
