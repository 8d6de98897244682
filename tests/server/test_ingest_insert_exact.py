"""The ingest's own INSERT (server/ingest.py: one JSON document on PostgreSQL, bound rows on SQLite) stores
every column exactly as given: text that needs quoting or escaping, right-to-left and astral characters,
NULLs, booleans, times to the microsecond, the largest offsets. Checked against a real database of
each kind, read back through SQLAlchemy."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from server_helpers import PASSPHRASE, TEST_KDF_COST, publish_builtin
from sqlalchemy import select
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Engine
from sqlmodel import Session

from db.schemas import WIRE_FIELDS, Mode
from server import campaigns, ingest, sealing
from server.database import write_session
from server.models import Campaign, Device, StoredSignature

AWKWARD_TEXTS = ['a "quoted" name', "back\\slash", "{braces}, commas, NULL", "NULL", "", " lead and trail ",
                 "عمر الحلبي", "emoji 👍🏽 and CJK 漢字", "line\nbreak", "tab\tstop", "it's", "[1,2]"]


def _row(device_id: str, n: int, text: str, received_at: datetime) -> dict[str, Any]:
    when = datetime(2026, 3, 4, 5, 6, 7, 123456 + n, tzinfo=UTC)
    row: dict[str, Any] = {name: None for name in WIRE_FIELDS}
    row.update(
        id=str(uuid.uuid4()), seq=n + 1, campaign_slug="aleppo", campaign_version=1, letter_sha256="a" * 64,
        locale="ar", mode=Mode.PAPER if n % 2 else Mode.KIOSK, paper_sheet=text[:32] or None, given_name=text,
        family_name=text[::-1], email=None, city=text, comment=text, consent_processing=True,
        consent_updates=(None, True, False)[n % 3], consent_text_sha256="b" * 64, consent_locale="ar",
        consent_given_at=when, utc_offset_minutes=(-840, 0, 840)[n % 3], created_at=when + timedelta(seconds=1),
    )
    row.update(content_hash=f"{n:064x}", device_id=device_id, received_at=received_at,
               clock_offset_ms=(-(10**15), 0, 10**15)[n % 3])
    return row


def _new_device(engine: Engine, name: str) -> str:
    device_id = str(uuid.uuid4())
    with write_session(engine) as session:
        session.add(Device(id=device_id, name=name))
        session.commit()
    return device_id


def _stored(engine: Engine) -> dict[str, StoredSignature]:
    with Session(engine) as session:
        return {r.id: r for r in session.exec(select(StoredSignature)).scalars()}  # type: ignore[call-overload]


def test_the_ingest_insert_stores_every_column_as_given(server_engine: Engine) -> None:
    device_id = _new_device(server_engine, "exact")
    received_at = datetime(2026, 3, 4, 9, 0, 0, 1, tzinfo=UTC)
    rows = [_row(device_id, n, text, received_at) for n, text in enumerate(AWKWARD_TEXTS)]
    with write_session(server_engine) as session:
        inserted = ingest._insert(session.connection(), rows)
        again = ingest._insert(session.connection(), rows[:3])  # ON CONFLICT: nothing twice
        session.commit()
    assert inserted == {row["id"] for row in rows}
    assert again == set()

    stored = _stored(server_engine)
    assert len(stored) == len(rows)
    for row in rows:
        back = stored[row["id"]]
        for name, value in row.items():
            got = getattr(back, name)
            if isinstance(value, datetime):  # SQLite hands times back naive (they are UTC)
                got = got if got.tzinfo else got.replace(tzinfo=UTC)
            assert got == value, (name, value, got)


def test_a_chunk_partly_stored_already_names_exactly_the_ids_inserted_now(server_engine: Engine) -> None:
    # On SQLite the insert goes without RETURNING when its count of rows says all or none were new; a mix
    # (a device that cut its batches anew) is inserted again from a savepoint, RETURNING the ids.
    device_id = _new_device(server_engine, "partly")
    received_at = datetime(2026, 3, 4, 9, 0, 0, 1, tzinfo=UTC)
    rows = [_row(device_id, n, f"partly {n}", received_at) for n in range(6)]
    with write_session(server_engine) as session:
        assert ingest._insert(session.connection(), rows[1:3]) == {rows[1]["id"], rows[2]["id"]}
        session.commit()
    later = received_at + timedelta(seconds=5)
    again = [{**row, "received_at": later, "content_hash": "f" * 64} for row in rows]
    with write_session(server_engine) as session:
        assert ingest._insert(session.connection(), again) == {row["id"] for n, row in enumerate(rows) if n not in (1, 2)}
        assert ingest._insert(session.connection(), again) == set()
        session.commit()
    stored = _stored(server_engine)
    assert len(stored) == len(rows)  # nothing twice, and the first content of each id stays
    for n, row in enumerate(rows):
        assert stored[row["id"]].content_hash == (row["content_hash"] if n in (1, 2) else "f" * 64)


def test_a_naive_time_is_stored_as_utc(server_engine: Engine) -> None:
    device_id = _new_device(server_engine, "naive")
    row = _row(device_id, 0, "x", datetime(2026, 3, 4, 9, 0, 0))  # naive: the server's times are UTC
    with write_session(server_engine) as session:
        ingest._insert(session.connection(), [row])
        session.commit()
    with Session(server_engine) as session:
        got = session.exec(select(StoredSignature.received_at)).scalar_one()  # type: ignore[call-overload]
    assert (got if got.tzinfo else got.replace(tzinfo=UTC)) == datetime(2026, 3, 4, 9, 0, 0, tzinfo=UTC)


def test_the_ingest_reads_campaigns_and_keys_as_the_orm_does(server_engine: Engine) -> None:
    """server/ingest.py reads the campaigns' states and the sealing keys straight on the driver: the same
    answer as campaigns.states and sealing.key_ids, a closed campaign, a campaign without versions and
    several keys included."""
    publish_builtin(server_engine)
    with write_session(server_engine) as session:
        slugs = sorted(campaigns.states(session=session))
        assert len(slugs) >= 2
        campaigns.set_closed(slugs[0], True, session=session)
        session.add(Campaign(slug="no-versions-yet"))
        sealing.rotate(PASSPHRASE, session=session, cost=TEST_KDF_COST)
        session.commit()
    with Session(server_engine) as session:
        expected = (campaigns.states(session=session), sealing.key_ids(session=session))
    assert expected[0][slugs[0]].closed and not expected[0][slugs[1]].closed
    assert expected[0]["no-versions-yet"].versions == frozenset() and len(expected[1]) >= 2
    assert ingest._campaigns_and_keys(server_engine) == expected


def _last_seen(engine: Engine, device_id: str) -> tuple[datetime | None, int | None]:
    with Session(engine) as session:
        device = session.get(Device, device_id)
        assert device is not None
        seen = device.last_seen_at
        return (seen if seen is None or seen.tzinfo else seen.replace(tzinfo=UTC)), device.last_clock_offset_ms


def test_a_batch_records_when_its_device_was_last_seen_and_the_web_once_a_minute(server_engine: Engine) -> None:
    device_id, web_id = str(uuid.uuid4()), str(uuid.uuid4())
    with write_session(server_engine) as session:
        session.add(Device(id=device_id, name="seen"))
        session.add(Device(id=web_id, name="web"))
        session.commit()
    at = datetime(2026, 3, 4, 9, 0, 0, 123456, tzinfo=UTC)
    ingest.ingest(server_engine, device_id, at - timedelta(seconds=2), [], now=at)
    assert _last_seen(server_engine, device_id) == (at, 2000)
    ingest.ingest(server_engine, device_id, at + timedelta(seconds=5), [], now=at + timedelta(seconds=1))
    assert _last_seen(server_engine, device_id) == (at + timedelta(seconds=1), -4000)

    def web(seconds: int) -> None:
        ingest.ingest(server_engine, web_id, at, [], now=at + timedelta(seconds=seconds), made_by_server=True)

    web(0)
    assert _last_seen(server_engine, web_id) == (at, 0)
    web(30)  # within the minute this process updated it: no statement
    assert _last_seen(server_engine, web_id) == (at, 0)
    ingest._web_seen.pop(web_id)  # another worker process, which has not updated it yet
    web(40)  # the statement runs, and leaves the row another process updated within the minute
    assert _last_seen(server_engine, web_id) == (at, 0)
    web(101)  # a minute after this process's last statement, and the row older than a minute
    assert _last_seen(server_engine, web_id) == (at + timedelta(seconds=101), 101_000)


def test_a_time_kept_as_its_canonical_wire_text_is_stored_as_the_time(server_engine: Engine) -> None:
    """A record that took the validation's fast path reaches the insert with its times as their wire text
    ('...T...Z'); stored, they are the same times as a datetime gives, to the microsecond, at the
    calendar's edges too, through the ingest's own insert and through SQLAlchemy's."""
    device_id = _new_device(server_engine, "texts")
    received_at = datetime(2026, 3, 4, 9, 0, 0, 1, tzinfo=UTC)
    times = [datetime(2026, 3, 4, 5, 6, 7, 123456, tzinfo=UTC), datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC),
             datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)]
    as_text, as_time = [], []
    for n, when in enumerate(times):
        row = _row(device_id, n, "x", received_at)
        row.update(consent_given_at=when, created_at=when)
        as_time.append(row)
        text = {**row, "id": str(uuid.uuid4()), "seq": 100 + n}
        text.update(consent_given_at=when.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z",
                    created_at=when.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z")
        as_text.append(text)
    with write_session(server_engine) as session:
        ingest._insert(session.connection(), as_time + as_text[:2])
        session.commit()
    binders = ingest._sqlite_binders
    try:
        ingest._sqlite_binders = lambda _dialect: None  # type: ignore[assignment]  # SQLAlchemy's insert on SQLite
        with write_session(server_engine) as session:
            connection = session.connection()
            if server_engine.dialect.name == "postgresql":  # SQLAlchemy's insert, as _insert makes it for other drivers
                statement = postgresql.insert(StoredSignature.__table__).returning(StoredSignature.__table__.c.id)  # type: ignore[attr-defined]
                inserted = set(connection.execute(statement, ingest._with_datetimes(as_text[2:])).scalars())
            else:
                inserted = ingest._insert(connection, as_text[2:])
            session.commit()
        assert inserted == {row["id"] for row in as_text[2:]}
    finally:
        ingest._sqlite_binders = binders  # type: ignore[assignment]
    stored = _stored(server_engine)
    for time_row, text_row, when in zip(as_time, as_text, times, strict=True):
        for row in (time_row, text_row):
            for name in ("consent_given_at", "created_at"):
                got = getattr(stored[row["id"]], name)
                assert (got if got.tzinfo else got.replace(tzinfo=UTC)) == when, (name, row[name], got)
    if server_engine.dialect.name == "sqlite":  # the very text SQLAlchemy writes
        with server_engine.connect() as conn:
            texts = dict(conn.exec_driver_sql("SELECT id, created_at FROM signature").all())
        for time_row, text_row in zip(as_time, as_text, strict=True):
            assert texts[text_row["id"]] == texts[time_row["id"]]


_bindable = (st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**63 - 1)
             | st.floats(allow_nan=False) | st.text(max_size=12) | st.sampled_from(list(Mode)))


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=4).flatmap(
    lambda width: st.lists(st.lists(_bindable, min_size=width, max_size=width), min_size=1, max_size=5)))
def test_values_bound_for_sqlite_store_what_sqlite3_stores_of_them_as_they_are(rows: list[list[Any]]) -> None:
    # _as_sqlite3_binds writes a column empty in every row as NULL and binds a bool or an enum as the
    # plain int or str: the table must hold the very same values, of the very same storage types.
    width = len(rows[0])
    names = [f"c{at}" for at in range(width)]
    db = sqlite3.connect(":memory:")
    try:
        for table in ("as_they_are", "as_bound"):
            db.execute(f"CREATE TABLE {table} (n INTEGER, {', '.join(names)})")
        flat = [value for row in rows for value in row]
        one = "(" + ", ".join("?" * width) + ")"
        numbered = ", ".join(f"({n}, " + one[1:] for n in range(len(rows)))
        db.execute(f"INSERT INTO as_they_are VALUES {numbered}", flat)
        params, placeholders = ingest._as_sqlite3_binds([list(column) for column in zip(*rows, strict=True)])
        assert placeholders.count("?") * len(rows) == len(params)
        numbered = ", ".join(f"({n}, " + placeholders[1:] for n in range(len(rows)))
        db.execute(f"INSERT INTO as_bound VALUES {numbered}", params)
        read = ", ".join(f"typeof({name}), {name}" for name in names)
        expected = db.execute(f"SELECT {read} FROM as_they_are ORDER BY n").fetchall()
        assert db.execute(f"SELECT {read} FROM as_bound ORDER BY n").fetchall() == expected
    finally:
        db.close()
