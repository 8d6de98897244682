"""Signatures whose mode a server's API version does not know (db.schemas.MODE_API_VERSION) stay out of
every batch claimed for it, pending, on a real SQLite file, by both ways a batch is read (SQLite's
json_object and the Python encoder); the others are claimed around them, each once."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from sqlalchemy.engine import Engine

from db.schemas import MODE_API_VERSION, Mode, modes_beyond
from db.sync import store
from db.wire import API_VERSION, API_VERSIONS
from utils.factories import save


def test_every_mode_names_the_api_version_it_arrived_with() -> None:
    assert set(MODE_API_VERSION) == set(Mode)
    assert all(version in API_VERSIONS for version in MODE_API_VERSION.values())
    assert modes_beyond(1) == ("phone", "web")  # web: made by the server, from version 2
    assert modes_beyond(API_VERSION) == ()


def _states(engine: Engine) -> dict[str, tuple[str, str]]:
    raw = engine.raw_connection()
    try:
        return {i: (m, s) for i, m, s in raw.cursor().execute("SELECT id, mode, sync_state FROM signature").fetchall()}
    finally:
        raw.close()


@pytest.mark.parametrize("json_in_sql", [True, False])
def test_a_version_1_claim_leaves_phone_signatures_pending(engine: Engine, data_dir: Path, json_in_sql: bool,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "_json_in_sql", json_in_sql)
    modes = [Mode.PHONE, Mode.KIOSK, Mode.PHONE, Mode.PHONE, Mode.ASSISTED, Mode.KIOSK, Mode.PHONE, Mode.KIOSK]
    made = [save(engine, given_name=f"S{i}", mode=mode) for i, mode in enumerate(modes)]
    ids = {m.id for m in made}
    claimed: list[str] = []
    after = 0
    for _ in range(10):  # bounded: 4 batches of 1 at most
        batch = store.claim_batch(engine, after_seq=after, max_count=1, max_bytes=1_000_000, api_version=1)
        if batch is None:
            break
        assert all(orjson.loads(part)["mode"] != "phone" for part in batch.parts)
        claimed += batch.ids
        after = batch.last_seq
    states = _states(engine)
    assert set(claimed) == {i for i in ids if states[i][0] != "phone"} and len(claimed) == 4
    assert {states[i] for i in claimed} == {("kiosk", "sending"), ("assisted", "sending")}
    assert {states[i] for i in ids - set(claimed)} == {("phone", "pending")}
    assert store.held_back(engine, 1) == {"phone": 4}
    assert store.held_back(engine, 2) == {}

    # the server speaks version 2 now: the phones' signatures are claimed, in one batch
    batch = store.claim_batch(engine, after_seq=0, max_count=100, max_bytes=1_000_000, api_version=2)
    assert batch is not None and set(batch.ids) == ids - set(claimed)
    assert [orjson.loads(part)["mode"] for part in batch.parts] == ["phone"] * 4
    assert store.held_back(engine, 1) == {"phone": 4}  # still unacknowledged (sending)


def test_what_waits_is_said_in_the_coordinators_words() -> None:
    from db.sync.runner import held_words

    assert held_words({"phone": 1}, 1) == [
        "1 signature made on a phone waits for the server to be updated (it speaks API version 1; it needs version 2)"]
    assert held_words({"phone": 12}, 1) == [
        "12 signatures made on phones wait for the server to be updated (it speaks API version 1; they need version 2)"]
    assert held_words({"phone": 0}, 1) == held_words({}, 2) == []
