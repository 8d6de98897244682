"""The server's shortcuts for what devices send, against the full way.

* ``db.schemas.canonical_record`` (validation of a record that is already canonical) against
  ``SignatureCreate.model_validate``: every record a device sends takes the shortcut, and whatever it
  accepts the full validation accepts too, with the same values and content hash. Records it is not sure
  of (anything perturbed) go the full way, so acceptance and refusal never depend on the path.
* ``server/ingest.py``'s own SQLite insert against SQLAlchemy's: the same rows stored.
"""

from __future__ import annotations

import shutil
import unicodedata
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from unittest import mock

import orjson
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlalchemy import text

from db import schemas
from db.schemas import WIRE_FIELDS, SignatureCreate, canonical_record, content_hash, wire_payload
from server import ingest
from server.database import SQLITE_FILENAME, make_engine, sqlite_url, upgrade, write_session
from server.devices import add_device

# isort: off
from utils import sync_env  # noqa: F401  (puts the server tests' helpers on the path)
from server_helpers import ensure_sealing_key, publish_builtin, sealed_signature, signature  # noqa: E402
# isort: on

SETTINGS = settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
NOW = datetime(2026, 3, 1, 12, 30, 15, 250000, tzinfo=UTC)


def full_way(item: Any) -> tuple[dict[str, Any], str, dict[str, Any]] | None:
    """(values, content hash, wire payload) as the full validation makes them; None when it refuses."""
    try:
        record = SignatureCreate.model_validate(item)
    except (ValidationError, ValueError, OverflowError, TypeError):
        return None
    return {name: getattr(record, name) for name in WIRE_FIELDS}, content_hash(record), wire_payload(record)


def assert_same_answer(item: Any) -> bool:
    """The shortcut vouches only for what the full way accepts, and then gives exactly its result.
    True when the shortcut was taken."""
    fast = canonical_record(item)
    if fast is None:
        return False
    full = full_way(item)
    assert full is not None, f"the shortcut accepted what validation refuses: {item!r}"
    values, digest, wire = full
    assert {k: (type(v), v) for k, v in fast.values.items()} == {k: (type(v), v) for k, v in values.items()}
    assert fast.content_hash == digest
    assert fast.wire == wire
    return True


def over_the_wire(payload: dict[str, Any]) -> dict[str, Any]:
    return orjson.loads(orjson.dumps(payload))  # what the server's JSON parser hands to ingest


# --- what devices send takes the shortcut ---------------------------------------------------------

LETTERS = st.one_of(
    st.characters(min_codepoint=0x41, max_codepoint=0x24F, categories=("Lu", "Ll")),
    st.characters(min_codepoint=0x600, max_codepoint=0x6FF, categories=("Lo", "Mn")),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF, categories=("Lo",)),
    st.sampled_from("\u200c\u200d-'’. \u00a0"),
)
TEXT = st.lists(LETTERS, min_size=1, max_size=40).map("".join).filter(lambda t: t.strip())
EMAILS = st.one_of(st.emails(), st.sampled_from(["Ada@Bücher.DE", "a@xn--bcher-kva.de", "info@example.org",
                                                 "Amal.Haddad+petition@Example.ORG", "x@münchen.de"]))
PHONES = st.sampled_from([("DE", "030 901820"), ("SY", "+963 11 234 5678"), ("FR", "06 12 34 56 78"), (None, "+1 202-555-0147")])


@st.composite
def device_records(draw: st.DrawFn) -> dict[str, Any]:
    """A record as a device saves it (SignatureCreate made it canonical) and sends it."""
    fields: dict[str, Any] = {
        "given_name": draw(st.one_of(st.none(), TEXT)),
        "family_name": draw(st.one_of(st.none(), TEXT)),
        "email": draw(st.one_of(st.none(), EMAILS)),
        "city": draw(st.one_of(st.none(), TEXT)),
        "postal_code": draw(st.one_of(st.none(), st.sampled_from(["10115", "٧٥٠٠١", "sw1a 1aa", "H2X-1Y4"]))),
        "comment": draw(st.one_of(st.none(), st.lists(st.one_of(TEXT, st.just("\n"))).map("".join))),
        "consent_updates": draw(st.one_of(st.none(), st.booleans())),
        "utc_offset_minutes": draw(st.integers(-840, 840)),
        "created_at": NOW - timedelta(microseconds=draw(st.integers(0, 10**12))),
        "event_id": draw(st.one_of(st.none(), st.uuids().map(str))),
        "mode": draw(st.sampled_from(["kiosk", "assisted", "phone"])),
    }
    fields["consent_given_at"] = fields["created_at"]
    phone = draw(st.one_of(st.none(), PHONES))
    if phone is not None:
        fields["country"], fields["phone"] = phone
    if draw(st.booleans()):
        fields["mode"], fields["paper_sheet"] = "paper", draw(st.sampled_from(["12", "A-7", "٣٤"]))
    try:
        return over_the_wire(signature("aleppo", draw(st.integers(1, 2**31 - 1)), **fields))
    except ValidationError:  # a combination the device would not have saved (e.g. a bad phone)
        return over_the_wire(signature("aleppo", 1))


@SETTINGS
@given(item=device_records())
@example(item=over_the_wire(signature("aleppo", 1)))
@example(item=over_the_wire(signature("act-on-syria", 2, comment="two\nlines", country="SY")))
@example(item=over_the_wire(signature("aleppo", 3, mode="phone")))
def test_what_devices_send_takes_the_shortcut_with_the_same_result(item: dict[str, Any]) -> None:
    assert assert_same_answer(item), f"a device's record went the full way: {item!r}"


def _sealing_key(tmp_path: Path) -> Any:
    """A server's sealing key, made in a scratch database: what sealed records are sealed to."""
    engine = make_engine(sqlite_url(tmp_path))
    upgrade(engine)
    try:
        return ensure_sealing_key(engine)
    finally:
        engine.dispose()


def test_sealed_records_and_voids_take_the_shortcut(tmp_path: Path) -> None:
    key = _sealing_key(tmp_path)
    sealed = over_the_wire(sealed_signature(key, "aleppo", 3, postal_code="10115"))
    assert sealed["sealed"] and sealed["sealed_key"]
    void = over_the_wire(signature("aleppo", 4, given_name=None, family_name=None, email=None, city=None,
                                   voids=sealed["id"]))
    for item in (sealed, void):
        assert assert_same_answer(item)


# --- anything else goes the full way unless the shortcut is certain -------------------------------

ODD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**40), 2**40), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12), st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=1),
    st.sampled_from(["", " ", "kiosk", "KIOSK", "paper", "1", "true", "0", "-1", "2026-03-01T12:30:15.250000Z",
                     "2026-03-01T12:30:15Z", "2026-03-01 12:30:15.250000", "2026-03-01T12:30:15.250000+00:00",
                     "2026-02-30T12:30:15.250000Z", "0001-01-01T00:00:00.000000Z", "2026-03-01T24:00:00.000000Z",
                     "١٢٣", "a@b", "A@EXAMPLE.ORG", "info@example.org", "\u202eevil", "e\u0301", "ab\ncd"]),
)


def _rewrites(value: Any) -> list[Any]:
    """The same value written in other ways that validation may take and change (or refuse)."""
    if not isinstance(value, str):
        return [value, str(value)]
    return [value, value.upper(), value.lower(), f" {value}", f"{value} ", value.replace("-", ""),
            "{" + value + "}", value.replace("Z", "+00:00"), value[:-1], value + "\u200e",
            unicodedata.normalize("NFD", value), value.replace(" ", "  "), value.replace("T", " ")]


@SETTINGS
@given(item=device_records(), data=st.data())
def test_a_changed_record_is_vouched_for_only_when_validation_agrees(item: dict[str, Any], data: st.DataObject) -> None:
    changed = dict(item)
    for _ in range(data.draw(st.integers(1, 2))):
        name = data.draw(st.sampled_from([*WIRE_FIELDS, "extra"]))
        how = data.draw(st.sampled_from(["odd", "rewrite", "drop", "null"]))
        if how == "drop":
            changed.pop(name, None)
        elif how == "null":
            changed[name] = None
        elif how == "rewrite" and name in changed:
            changed[name] = data.draw(st.sampled_from(_rewrites(changed[name])))
        else:
            changed[name] = data.draw(ODD_VALUES)
    assert_same_answer(changed)
    assert_same_answer(over_the_wire(changed) if _json_safe(changed) else changed)


@st.composite
def changed_records(draw: st.DrawFn) -> Any:
    """A device's record with one or two fields changed as above, or something that is no record at all."""
    changed = dict(draw(device_records()))
    for _ in range(draw(st.integers(1, 2))):
        name = draw(st.sampled_from([*WIRE_FIELDS, "extra"]))
        how = draw(st.sampled_from(["odd", "rewrite", "drop", "null"]))
        if how == "drop":
            changed.pop(name, None)
        elif how == "null":
            changed[name] = None
        elif how == "rewrite" and name in changed:
            changed[name] = draw(st.sampled_from(_rewrites(changed[name])))
        else:
            changed[name] = draw(ODD_VALUES)
    return draw(st.sampled_from([changed, None, [], "x", {}]))


@SETTINGS
@given(items=st.lists(st.one_of(device_records(), changed_records()), max_size=8), data=st.data())
def test_a_batch_checked_column_by_column_gets_each_records_own_answer(items: list[Any], data: st.DataObject) -> None:
    """canonical_records (the batch route's way) answers for each record exactly what canonical_record
    answers for it alone, whatever the other records of the batch are; repeats of a record included."""
    if items:
        items += data.draw(st.lists(st.sampled_from(items), max_size=3))  # a batch sent with repeats
    with mock.patch.object(schemas, "COLUMNS_FROM", 1):  # column by column however small the batch
        batch = schemas.canonical_records(items)
    assert len(batch) == len(items)
    for item, together in zip(items, batch, strict=True):
        alone = canonical_record(item)
        assert (together is None) == (alone is None), f"the batch and the record alone disagree on {item!r}"
        if together is not None and alone is not None:
            assert {k: (type(v), v) for k, v in together.values.items()} == {k: (type(v), v) for k, v in alone.values.items()}
            assert together.wire == alone.wire
            assert together.content_hash == alone.content_hash
            assert_same_answer(item)


def test_every_change_of_every_field_in_one_batch_gets_its_own_answer(tmp_path: Path) -> None:
    """One batch of canonical records (clear, sealed, a void, a phone) and, next to them, every field of
    each changed in every way the tests above change it: each gets what canonical_record gives it alone."""
    key = _sealing_key(tmp_path)
    good = [over_the_wire(signature("aleppo", 1)),
            over_the_wire(signature("act-on-syria", 2, comment="two\nlines", country="DE", phone="030 901820",
                                    postal_code="10115", mode="paper", paper_sheet="12")),
            over_the_wire(sealed_signature(key, "aleppo", 3, postal_code="10115"))]
    good.append(over_the_wire(signature("aleppo", 4, given_name=None, family_name=None, email=None, city=None,
                                        voids=good[0]["id"])))
    odd = ["", " ", "kiosk", "KIOSK", "1", "0", "-1", "2026-02-30T12:30:15.250000Z", "2026-03-01T24:00:00.000000Z",
           "2026-03-01T12:30:15Z", "a@b", "A@EXAMPLE.ORG", "info@example.org", "\u202eevil", "e\u0301", "ab\ncd",
           "9" * 40, "x" * 70, None, True, False, 0, 1, -1, 2**31, 2**40, 1.5, [1], {"a": 1}]
    changed = []
    for record in good:
        for name in [*WIRE_FIELDS, "extra"]:
            changed.append({field: value for field, value in record.items() if field != name})
            for value in [*(_rewrites(record[name]) if name in record else []), *odd]:
                changed.append({**record, name: value})
    items: list[Any] = [*good, *changed, *good, None, [], "x", {}]
    batch = schemas.canonical_records(items)
    for item, together in zip(items, batch, strict=True):
        alone = canonical_record(item)
        assert (together is None) == (alone is None), f"the batch and the record alone disagree on {item!r}"
        if together is not None and alone is not None:
            assert {k: (type(v), v) for k, v in together.values.items()} == {k: (type(v), v) for k, v in alone.values.items()}
            assert (together.wire, together.content_hash) == (alone.wire, alone.content_hash)
    assert sum(found is not None for found in batch) > 2 * len(good)  # the shortcut was taken, not only refused


def _json_safe(item: dict[str, Any]) -> bool:
    try:
        orjson.dumps(item)
    except TypeError:
        return False
    return True


def test_the_shortcut_covers_the_model_it_was_written_for() -> None:
    """It reads its checks from SignatureCreate and turns itself off when the model has anything it
    does not know (a pattern, a 'before' validator...). It must be on for the model as it is."""
    assert schemas._PLAN is not None
    assert canonical_record(over_the_wire(signature("aleppo", 1))) is not None


@pytest.mark.parametrize(("name", "value"), [
    ("letter_sha256", "not a hash"), ("letter_sha256", "A" * 64), ("consent_text_sha256", "0" * 63),
    ("receipt_sha256", "g" * 64), ("receipt_sha256", "a" * 64 + "\n"), ("campaign_slug", "Aleppo"),
    ("campaign_slug", "aleppo\n"),
])
def test_a_value_outside_its_field_s_pattern_is_refused_on_every_path(name: str, value: str) -> None:
    """The model's patterns (hashes, locales, the slug) are checked by the full way, the shortcut and a
    batch column by column alike (``$`` as pydantic reads it: not before a final newline)."""
    good = over_the_wire(signature("aleppo", 1, receipt_sha256="a" * 64))
    assert canonical_record(good) is not None and full_way(good) is not None
    bad = {**good, name: value}
    with pytest.raises(ValidationError):
        SignatureCreate.model_validate(bad)
    assert canonical_record(bad) is None
    with mock.patch.object(schemas, "COLUMNS_FROM", 1):
        assert schemas.canonical_records([good, bad, good])[1] is None


@pytest.mark.parametrize("code", ["es-419", "en_GB", "zh-Hant"])
def test_a_signature_in_any_language_code_a_campaign_may_list_is_accepted(code: str) -> None:
    """A manifest's locales are any codes (only its default is checked): signatures made in one, on a
    device or on paper, must never be refused for it."""
    item = {**over_the_wire(signature("aleppo", 1)), "locale": code, "consent_locale": code}
    assert full_way(item) is not None and assert_same_answer(item)


def test_not_a_record_goes_the_full_way() -> None:
    for item in (None, [], "x", 1, {}, {"id": "x"}):
        assert canonical_record(item) is None


# --- the insert -----------------------------------------------------------------------------------


def _server_template(path: Path) -> tuple[Path, str, Any]:
    """A server database with the campaigns published, a sealing key and a device: (file, device id, key)."""
    path.mkdir()
    engine = make_engine(sqlite_url(path))
    upgrade(engine)
    try:
        key = ensure_sealing_key(engine)
        publish_builtin(engine)
        with write_session(engine) as session:
            device_id = add_device("laptop", session=session, ttl=timedelta(hours=1)).device_id
            session.commit()
    finally:
        engine.dispose()  # the last connection folds the WAL into the file
    return path / SQLITE_FILENAME, device_id, key


def _ingest_twice(template: Path, path: Path, device_id: str, items: list[dict[str, Any]], *, core: bool,
                  monkeypatch: pytest.MonkeyPatch, other_dates: bool = False) -> list[tuple[Any, ...]]:
    path.mkdir()
    shutil.copyfile(template, path / SQLITE_FILENAME)
    engine = make_engine(sqlite_url(path))
    try:
        with monkeypatch.context() as patch:
            if core:  # as if the table had a column ingest does not fill: SQLAlchemy's insert
                patch.setattr(ingest, "_sqlite_binders", lambda _dialect: None)
            if other_dates:  # as if another SQLAlchemy bound dates its own way: its insert, never a crash
                patch.setattr(ingest, "_binders", {})
                patch.setattr(ingest, "_stores_like_isoformat", lambda _process: False)
            first = ingest.ingest(engine, device_id, NOW, items, now=NOW + timedelta(seconds=3))
            again = ingest.ingest(engine, device_id, NOW, items, now=NOW + timedelta(seconds=4))
        assert [r.outcome.value for r in again.results] == [
            "duplicate" if r.outcome.value == "created" else r.outcome.value for r in first.results]
        with engine.connect() as conn:
            return list(conn.execute(text("SELECT * FROM signature ORDER BY seq")).tuples())
    finally:
        engine.dispose()


def test_the_raw_sqlite_insert_stores_what_sqlalchemy_stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    template, device_id, key = _server_template(tmp_path / "template")
    first = signature("aleppo", 1, comment="two\nlines", country="DE", phone="030 901820", postal_code="10115")
    items = [
        first,
        signature("act-on-syria", 2, consent_updates=None, event_id="0190f3c4-5b6a-7c8d-9e0f-a1b2c3d4e5f6"),
        signature("aleppo", 3, mode="paper", paper_sheet="17", utc_offset_minutes=-300),
        signature("aleppo", 4, given_name=None, family_name=None, email=None, city=None, voids=first["id"]),
        signature("aleppo", 5, created_at=datetime(999, 12, 31, 23, 59, 59, tzinfo=UTC),
                  consent_given_at=datetime(2026, 1, 1, tzinfo=UTC)),
        {**signature("aleppo", 6), "email": "Not An Email"},  # refused: stored by neither
        {**signature("aleppo", 7), "given_name": "  Amal  "},  # not canonical: the full way, stored folded
        sealed_signature(key, "aleppo", 8),
    ]
    items = [over_the_wire(item) for item in items]
    raw = _ingest_twice(template, tmp_path / "raw", device_id, items, core=False, monkeypatch=monkeypatch)
    core = _ingest_twice(template, tmp_path / "core", device_id, items, core=True, monkeypatch=monkeypatch)
    other = _ingest_twice(template, tmp_path / "other", device_id, items, core=False, monkeypatch=monkeypatch,
                          other_dates=True)
    assert len(raw) == 7
    assert raw == core == other


def test_a_device_clock_at_the_edge_of_the_calendar_is_an_offset_not_an_error(tmp_path: Path) -> None:
    """Converting 0001-01-01T00:00:00+00:01 to UTC overflows; the clock offset is taken without it."""
    template, device_id, _key = _server_template(tmp_path / "server")
    engine = make_engine(sqlite_url(template.parent))
    try:
        for device_time in (datetime(1, 1, 1, tzinfo=timezone(timedelta(minutes=1))),
                            datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-5))),
                            datetime(2026, 3, 1, 12, 30)):  # naive: taken as UTC
            result = ingest.ingest(engine, device_id, device_time, [over_the_wire(signature("aleppo", 1))], now=NOW)
            assert abs(result.clock_offset_s) <= ingest.OFFSET_LIMIT_MS / 1000
            assert [r.outcome.value for r in result.results] in (["created"], ["duplicate"])
    finally:
        engine.dispose()
