"""Devices tell the server their events (API version 2), and the delivery's cover names them: a real
server process, devices syncing through the real sync runner, the PDF read back with pypdf.

A device with two events syncs: the server stores each once (a second sync adds nothing, a renamed
event is updated); a second device cannot change the first's events (each device owns its own); the
cover names each event with its place and day and counts signatures of an event the server does not
know under "other places". A version-1 server gets no events, and the sync succeeds; the events go
once the same server speaks version 2."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from db import events as device_events
from db.engine import write_session as device_write_session
from db.models import Signature
from db.signatures import SavedSignature
from db.sync import enrollment, runner
from db.sync.client import ApiClient, AuthRejected, Refused
from db.wire import DeviceEvent, DeviceEvents
from server.cli import main
from server.models import DeviceEventRow
from utils.factories import acknowledge, save
from utils.sync_env import SERVER_ENV, VERSION_1_ENV, SyncServer, enroll_device, server_database, sync_server

pytestmark = pytest.mark.timeout(240)

from server_helpers import PASSPHRASE, live_server  # noqa: E402 (on the path through utils.sync_env)

SLUG = "act-on-syria"
RALLY_DAY, VIGIL_DAY = date(2026, 11, 28), date(2026, 11, 29)


@pytest.fixture
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncServer]:
    with sync_server(tmp_path_factory.mktemp("server")) as running:
        yield running


def _sync(data_dir: Path, engine: Engine) -> runner.SyncReport:
    syncer = runner.Syncer(data_dir, engine)
    try:
        report = syncer.run()
    finally:
        syncer.close()
    assert report.outcome == runner.OK, report
    return report


def _signer(engine: Engine, given: str, event_id: str | None) -> SavedSignature:
    """A person of their own (the delivery counts each person once)."""
    saved: SavedSignature = save(engine, given_name=given, email=f"{given.lower()}@example.org", phone=None, event_id=event_id)
    return saved


def _event(engine: Engine, name: str, place: str | None, day: date) -> str:
    with device_write_session(engine) as session:
        event = device_events.create_event(name, place, day, session=session)
        session.commit()
        return event.id


def _rename(engine: Engine, event_id: str, name: str, place: str | None, day: date) -> None:
    with device_write_session(engine) as session:
        device_events.update_event(event_id, name, place, day, session=session)
        session.commit()


def _server_events(server_engine: Engine) -> dict[tuple[str, str], tuple[str, str | None, date]]:
    with Session(server_engine) as session:
        rows = session.exec(select(DeviceEventRow).order_by(col(DeviceEventRow.event_id))).all()
        return {(r.device_id, r.event_id): (r.name, r.place, r.day) for r in rows}


def _cover(server: SyncServer, tmp_path: Path, lang: str = "en") -> str:
    out = tmp_path / f"delivery-{lang}.pdf"
    secret = tmp_path / "passphrase"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    server_dir = Path(str(server.engine.url.database)).parent
    assert main(["deliver", SLUG, "--out", str(out), "--passphrase-file", str(secret), "--data-dir", str(server_dir),
                 "--database-url", str(server.engine.url), "--lang", lang]) == 0
    text = unicodedata.normalize("NFKC", "\n".join(page.extract_text() or "" for page in PdfReader(out).pages))
    return " ".join(text.split())


def test_events_are_stored_once_owned_by_their_device_and_named_on_the_cover(
        server: SyncServer, data_dir: Path, engine: Engine, tmp_path: Path) -> None:
    rally = _event(engine, "Kundgebung", "Alexanderplatz, Berlin", RALLY_DAY)
    vigil = _event(engine, "Mahnwache", None, VIGIL_DAY)
    unused = _event(engine, "Never used", "Nowhere", VIGIL_DAY)  # no signature names it: not sent
    for given in ("Rana", "Jan"):
        _signer(engine, given, rally)
    _signer(engine, "Mira", vigil)
    _signer(engine, "Omar", None)  # no event: "other places"
    enrolled = enroll_device(data_dir, server, name="stand")
    me = enrolled.device_id

    assert _sync(data_dir, engine).sent == 4
    expected = {(me, rally): ("Kundgebung", "Alexanderplatz, Berlin", RALLY_DAY), (me, vigil): ("Mahnwache", None, VIGIL_DAY)}
    assert _server_events(server.engine) == expected
    assert (me, unused) not in _server_events(server.engine)

    # Sent again (a new process): stored once, nothing changed.
    _signer(engine, "Lina", rally)
    assert _sync(data_dir, engine).sent == 1
    assert _server_events(server.engine) == expected
    client = ApiClient(enrolled.server_url, enrolled.token)
    try:
        client.health()
        again = client.put_events(me, DeviceEvents(events=[
            DeviceEvent(id=rally, name="Kundgebung", place="Alexanderplatz, Berlin", day=RALLY_DAY)]))
        assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    finally:
        client.close()

    # Renamed on the device: the server's copy follows.
    _rename(engine, rally, "Kundgebung für Syrien", "Alexanderplatz, Berlin", RALLY_DAY)
    _sync(data_dir, engine)
    expected[me, rally] = ("Kundgebung für Syrien", "Alexanderplatz, Berlin", RALLY_DAY)
    assert _server_events(server.engine) == expected

    # Another device sends an event under the first's event id, and for the first device: neither
    # changes the first device's event.
    other_dir = tmp_path / "other-device"
    other_dir.mkdir()
    other = enroll_device(other_dir, server, name="intruder")
    intruder = ApiClient(other.server_url, other.token)
    try:
        intruder.health()
        forged = DeviceEvents(events=[DeviceEvent(id=rally, name="Hijacked", place="Elsewhere", day=VIGIL_DAY)])
        with pytest.raises(AuthRejected) as refused:
            intruder.put_events(me, forged)
        assert (refused.value.status, refused.value.error) == (403, "forbidden")
        assert intruder.put_events(other.device_id, forged).created == 1  # its own, under its own id
    finally:
        intruder.close()
    stored = _server_events(server.engine)
    assert {k: v for k, v in stored.items() if k[0] == me} == expected
    assert stored[other.device_id, rally] == ("Hijacked", "Elsewhere", VIGIL_DAY)

    cover = _cover(server, tmp_path)
    assert "Signed from" in cover
    assert "Collected at 2 events and stands:" in cover
    assert "Kundgebung für Syrien, Alexanderplatz, Berlin, 2026-11-28: 3 signers" in cover
    assert "Mahnwache, 2026-11-29: 1 signer" in cover and "1 signers" not in cover
    assert "Other places" in cover and ": 1 signer" in cover.split("Other places", 1)[1]
    assert "Hijacked" not in cover and "Never used" not in cover
    assert "\u2068" not in cover and "\u2069" not in cover  # isolates only where the text is shaped
    arabic = _cover(server, tmp_path, "ar")
    assert "Kundgebung für Syrien" in arabic and "2026-11-28" in arabic
    one = "موقّع واحد"  # Arabic's own form for one: "one signer", no figure
    assert arabic.count(one) + arabic.count(one[::-1]) == 2, arabic
    german = _cover(server, tmp_path, "de")
    assert "Kundgebung für Syrien, Alexanderplatz, Berlin, 28.11.2026: 3 Unterzeichnende" in german
    assert "Mahnwache, 29.11.2026: 1 unterzeichnende Person" in german
    assert "Andere Orte" in german


def test_a_version_1_server_gets_no_events_and_the_sync_succeeds(data_dir: Path, engine: Engine,
                                                                   tmp_path: Path) -> None:
    rally = _event(engine, "Vigil", "Hamburg", RALLY_DAY)
    save(engine, given_name="Rana", event_id=rally)
    with server_database(tmp_path / "server") as (url, server_engine):
        with live_server(url, tmp_path / "server", extra_env=VERSION_1_ENV) as old:
            enrolled = enroll_device(data_dir, SyncServer(old, server_engine))
            report = _sync(data_dir, engine)
            assert (report.sent, report.server_api_version) == (1, 1)
            assert _server_events(server_engine) == {}
            client = ApiClient(old.url, enrolled.token)
            try:  # the route is not there, as on a server from before version 2
                client.health()
                with pytest.raises(Refused) as refused:
                    client.put_events(enrolled.device_id, DeviceEvents(events=[]))
                assert refused.value.status in (404, 405)
            finally:
                client.close()
        with live_server(url, tmp_path / "server", extra_env=SERVER_ENV) as new:  # the server updated
            moved = enrollment.load(data_dir)
            assert moved is not None
            moved.server_url = new.url
            enrollment.save(data_dir, moved)
            report = _sync(data_dir, engine)
            assert (report.sent, report.server_api_version) == (0, 2)
            assert _server_events(server_engine) == {(enrolled.device_id, rally): ("Vigil", "Hamburg", RALLY_DAY)}


def test_the_events_a_sync_names_are_those_the_signatures_name_without_reading_them_all(
        engine: Engine, data_dir: Path) -> None:
    """named_by_signatures reads the counts the insert trigger keeps, not the signature table: the same
    events as a scan of every signature, with voids, purged signatures and unused events among them."""
    from db import retention
    from db.signatures import void_signature

    rally = _event(engine, "Kundgebung", "Alexanderplatz, Berlin", RALLY_DAY)
    vigil = _event(engine, "Mahnwache", None, VIGIL_DAY)
    _event(engine, "Never used", "Nowhere", VIGIL_DAY)
    kept = _signer(engine, "Rana", rally)
    gone = _signer(engine, "Jan", vigil)
    _signer(engine, "Omar", None)
    void_signature(kept.id, engine=engine)  # a void counts -1: the rally's total is 0, still named
    acknowledge(engine, [gone.id])
    assert retention.purge(engine=engine, data_dir=data_dir, retention_days=0).purged == 1  # the vigil's one signer

    with Session(engine) as session:
        scanned = set(session.exec(select(Signature.event_id).where(col(Signature.event_id).is_not(None))).all())
        named = [e.id for e in device_events.named_by_signatures(session=session)]
    assert scanned == {rally, vigil}
    assert named == [rally, vigil]  # oldest first, each once, the unused event left out
