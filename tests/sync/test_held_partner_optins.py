"""Partners' opt-ins are a version-2 field (db.schemas.FIELD_API_VERSION): a server speaking version 1 drops
a field it does not know and answers "created", so a device keeps the signatures that carry opt-ins in
clear pending while its server speaks version 1, sends the others, and sends those intact once the
server speaks version 2. Real server processes on 127.0.0.1, one forced to version 1 as an older build
answers; the store's claim checked on its own too, by both ways a batch is read."""

from __future__ import annotations

from pathlib import Path

import httpx
import orjson
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from db.schemas import FIELD_API_VERSION, held_beyond, parse_partner_optins
from db.signatures import build_record, save_record, save_signature
from db.sync import enrollment, handoff, runner, store
from db.wire import API_HEADER, API_PREFIX, split_handoff
from utils.factories import builtin_campaign, make_draft
from utils.sync_env import (
    SERVER_ENV,
    VERSION_1_ENV,
    SyncServer,
    device_set,
    enroll_device,
    server_database,
    server_set,
)

pytestmark = pytest.mark.timeout(180)

from server_helpers import batch, live_server, signature  # noqa: E402 (on the path through utils.sync_env)

PARTNERS = ("families-for-freedom", "syrian-british-council", "white-helmets")


def _save_clear(engine: Engine, i: int, chosen: frozenset[str]) -> str:
    """A signature saved in clear (as a campaign with sealing off saves it), with opt-ins ``chosen``."""
    shown = builtin_campaign("act-on-syria").localised("en")
    record = build_record(make_draft(given_name=f"S{i}", email=f"s{i}@example.org", partners=chosen), shown)
    return save_record(record, engine=engine).id


def _states(engine: Engine) -> dict[str, tuple[str | None, str]]:
    raw = engine.raw_connection()
    try:
        return {i: (p, s) for i, p, s in raw.cursor().execute(
            "SELECT id, partner_optins, sync_state FROM signature").fetchall()}
    finally:
        raw.close()


def test_the_field_names_its_version_and_is_held_below_it() -> None:
    assert FIELD_API_VERSION == {"partner_optins": 2}
    assert held_beyond(1) == ("phone", "web", "partner_optins") and held_beyond(2) == ()


@pytest.mark.parametrize("json_in_sql", [True, False])
def test_a_version_1_claim_leaves_signatures_with_opt_ins_pending(engine: Engine, json_in_sql: bool,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "_json_in_sql", json_in_sql)
    chosen = [frozenset(), frozenset(PARTNERS[:2]), frozenset(), frozenset({PARTNERS[2]}), frozenset()]
    ids = [_save_clear(engine, i, c) for i, c in enumerate(chosen)]
    first = store.claim_batch(engine, after_seq=0, max_count=100, max_bytes=1_000_000, api_version=1)
    assert first is not None and first.ids == [ids[0], ids[2], ids[4]]
    assert all("partner_optins" not in orjson.loads(part) for part in first.parts)
    assert store.held_back(engine, 1) == {"partner_optins": 2} and store.held_back(engine, 2) == {}
    later = store.claim_batch(engine, after_seq=0, max_count=100, max_bytes=1_000_000, api_version=2)
    assert later is not None and later.ids == [ids[1], ids[3]]
    assert [parse_partner_optins(orjson.loads(p)["partner_optins"]).keys() for p in later.parts] == [
        set(PARTNERS[:2]), {PARTNERS[2]}]


def _server_optins(server_engine: Engine, device_id: str) -> dict[str, str | None]:
    from server.models import StoredSignature

    with Session(server_engine) as session:
        return dict(session.exec(select(StoredSignature.id, StoredSignature.partner_optins)
                                 .where(col(StoredSignature.device_id) == device_id)).all())


def test_opt_ins_wait_for_a_version_1_server_and_arrive_intact_at_version_2(
        data_dir: Path, engine: Engine, tmp_path: Path) -> None:
    with server_database(tmp_path / "server") as (url, server_engine):
        with live_server(url, tmp_path / "server", extra_env=VERSION_1_ENV) as old:
            enrolled = enroll_device(data_dir, SyncServer(old, server_engine))
            assert enrolled.api_version == 1
            # what a version-1 server does with the field: stores the signature without it, "created"
            other = enroll_device(tmp_path / "other", SyncServer(old, server_engine), name="other")
            probe = signature("act-on-syria", 1, partner_optins=f"{PARTNERS[0]}:{'a' * 64}")
            answer = httpx.post(f"{old.url}{API_PREFIX}/devices/{other.device_id}/batches", json=batch([probe]),
                                headers={"Authorization": f"Bearer {other.token}", API_HEADER: "1"}, timeout=30)
            assert [r["outcome"] for r in answer.json()["results"]] == ["created"]
            assert _server_optins(server_engine, other.device_id) == {probe["id"]: None}  # lost: why devices hold

            with_optins = [_save_clear(engine, i, frozenset(PARTNERS[i % 3:])) for i in range(3)]
            without = [_save_clear(engine, 10 + i, frozenset()) for i in range(2)]
            # sealed (the device holds the server's key): the opt-ins are inside the box, which a
            # version-1 server stores whole; nothing is dropped, so it goes
            sealed = save_signature(make_draft(partners=frozenset({PARTNERS[1]})), engine=engine,
                                    shown=builtin_campaign("act-on-syria").localised("en")).id
            # a hand-off file for it leaves them out too, and is of format 1 (what that server reads)
            made = handoff.export_handoff(tmp_path, data_dir=data_dir, engine=engine)
            assert (made.signatures, made.held) == (3, {"partner_optins": 3}) and made.path is not None
            assert split_handoff(made.path.read_bytes()).header.version == 1
            syncer = runner.Syncer(data_dir, engine, max_count=2)
            try:
                report = syncer.run()
                again = syncer.run()
            finally:
                syncer.close()
            assert (report.outcome, report.sent, report.pending) == (runner.OK, 3, 3)
            assert (report.server_api_version, report.held) == (1, {"partner_optins": 3})
            assert (again.sent, again.held) == (0, {"partner_optins": 3})
            assert runner.held_words(report.held, 1) == [
                "3 signatures with partners' opt-ins wait for the server to be updated (it speaks API version 1; "
                "they need version 2)"]
            states = _states(engine)
            assert {states[i][1] for i in with_optins} == {"pending"}
            assert {states[i][1] for i in (*without, sealed)} == {"acked"}
            assert set(_server_optins(server_engine, enrolled.device_id)) == {*without, sealed}

        with live_server(url, tmp_path / "server", extra_env=SERVER_ENV) as new:
            moved = enrollment.load(data_dir)
            assert moved is not None
            moved.server_url = new.url
            moved.api_version = 2
            enrollment.save(data_dir, moved)
            made = handoff.export_handoff(tmp_path / "later.handoff", data_dir=data_dir, engine=engine)
            assert (made.signatures, made.held) == (3, {}) and made.path is not None
            assert split_handoff(made.path.read_bytes()).header.version == 2  # holds a version-2 field
            syncer = runner.Syncer(data_dir, engine)
            try:
                report = syncer.run()
            finally:
                syncer.close()
            assert (report.outcome, report.sent, report.pending, report.held) == (runner.OK, 3, 0, {})
        # each once, the same content hash as on the device (it covers the opt-ins), the opt-ins as saved
        assert server_set(server_engine, enrolled.device_id) == device_set(engine)
        stored = _server_optins(server_engine, enrolled.device_id)
        assert {i: stored[i] for i in with_optins} == {i: states[i][0] for i in with_optins}
        assert all(stored[i] for i in with_optins)
