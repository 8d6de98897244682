"""The batch route's answer is written by orjson from ``ingest_document``'s plain document
(``server.ingest.answer_json``), no longer by validating a BatchResult and writing it with pydantic. The
bytes on the wire must stay what every device already reads: checked here against the model's own
``model_dump_json`` on a real batch with every outcome, and on the values a document can hold."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from server_helpers import publish_builtin, signature
from sqlalchemy.engine import Engine

from db.wire import BatchResult, Outcome
from server import campaigns, ingest
from server.database import write_session
from server.models import Device

NOW = datetime(2026, 3, 1, 12, 30, 15, 250000, tzinfo=UTC)


def _as_the_model_writes_it(document: dict[str, Any]) -> bytes:
    return BatchResult.model_validate(document).model_dump_json().encode()


def test_a_batch_with_every_outcome_is_answered_in_the_models_own_bytes(server_engine: Engine) -> None:
    publish_builtin(server_engine)
    device_id = str(uuid.uuid4())
    with write_session(server_engine) as session:
        session.add(Device(id=device_id, name="answer"))
        session.commit()
    stored = signature(seq=1)
    ingest.ingest(server_engine, device_id, NOW, [stored], now=NOW)
    fresh = signature(seq=2)
    items = [
        fresh,                                            # created
        stored,                                           # duplicate
        {**stored, "family_name": "Other"},               # a repeat with other content: conflict
        {**signature(seq=3), "email": "not an address"},  # rejected: invalid, the field named
        {**signature(seq=4), "nickname": "x"},            # rejected: a field this server does not know
        {**signature(seq=5), "campaign_slug": "nowhere"},  # rejected: campaign_unknown
        "not an object",                                  # rejected: no id
        {**signature(seq=6), "id": "x" * 65},             # rejected: an id too long to echo
    ]
    document = ingest.ingest_document(server_engine, device_id, NOW - timedelta(seconds=3), items,
                                      now=NOW + timedelta(seconds=1))
    outcomes = [result["outcome"] for result in document["results"]]
    assert outcomes == [Outcome.CREATED, Outcome.DUPLICATE, Outcome.CONFLICT] + [Outcome.REJECTED] * 5
    assert ingest.answer_json(document) == _as_the_model_writes_it(document)

    with write_session(server_engine) as session:  # a closed campaign, and the totals a device may ask for
        assert campaigns.set_closed("aleppo", True, session=session)
        session.commit()
    closed = ingest.ingest_document(server_engine, device_id, NOW, [signature(seq=7)], now=NOW)
    assert [result["outcome"] for result in closed["results"]] == [Outcome.CAMPAIGN_CLOSED]
    closed["totals"] = {"aleppo": 2, "petition": 0}
    assert ingest.answer_json(closed) == _as_the_model_writes_it(closed)


# Each result's fields in SignatureResult's order, as ingest_document writes them (built from a tuple:
# hypothesis may draw a fixed dictionary's keys in another order).
_results = st.lists(st.tuples(
    st.none() | st.text(max_size=64), st.integers(min_value=0, max_value=499), st.sampled_from(list(Outcome)),
    st.none() | st.text(max_size=40), st.none() | st.text(max_size=64),
).map(lambda r: dict(zip(("id", "index", "outcome", "reason", "field"), r, strict=True))), max_size=5)


@settings(max_examples=300, deadline=None)
@given(
    received_at=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2200, 1, 1)),
    offset_ms=st.integers(min_value=-ingest.OFFSET_LIMIT_MS, max_value=ingest.OFFSET_LIMIT_MS),
    counts=st.dictionaries(st.sampled_from([o.value for o in Outcome]), st.integers(0, 500)),
    results=_results,
    totals=st.none() | st.dictionaries(st.text(max_size=20), st.integers(0, 2**40), max_size=3),
)
def test_any_document_is_written_as_the_model_writes_it(received_at: datetime, offset_ms: int, counts: dict[str, int],
                                                        results: list[dict[str, Any]], totals: dict[str, int] | None) -> None:
    # the times ingest_document puts there: aware UTC, to the microsecond (a whole second included)
    document = {"received_at": received_at.replace(tzinfo=UTC), "clock_offset_s": offset_ms / 1000,
                "counts": counts, "results": results, "totals": totals}
    assert ingest.answer_json(document) == _as_the_model_writes_it(document)
