"""The sync client's rules against a real server process: one sender per data directory (two processes),
backoff timing on a fake clock, 401/403 never retried, captive portals and foreign answers are "offline",
batches capped by bytes, the wire form read from disk, enrollment files, campaign pull, the CLI."""

from __future__ import annotations

import os
import random
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bench.sync_data import fill_pending
from db import campaigns
from db.models import CampaignVersion, Signature
from db.schemas import wire_payload
from db.signatures import live_count
from db.sync import enrollment, runner, store
from db.sync.client import ApiClient, Offline
from db.sync.lock import SenderLock
from db.wire import BatchResult, Outcome, SignatureResult, enrollment_uri
from server.database import write_session
from server.devices import find, revoke
from utils.fault_proxy import FaultProxy
from utils.sync_env import SyncServer, device_set, device_states, enroll_device, server_set, sync_server

pytestmark = pytest.mark.timeout(120)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncServer]:
    with sync_server(tmp_path_factory.mktemp("server"), workers=2) as running:
        yield running


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


# --- one sender ------------------------------------------------------------------------------------


def test_the_lock_admits_one_holder_until_released(data_dir: Path) -> None:
    first, second = SenderLock(data_dir), SenderLock(data_dir)
    assert first.acquire()
    assert not second.acquire()
    first.release()
    assert second.acquire()
    second.release()


def test_two_processes_on_one_data_directory_one_sender(server: SyncServer, data_dir: Path, engine: Engine) -> None:
    fill_pending(engine, 200)
    # Slow enough that both runs overlap: the fourth batch's answer takes 8 s, whatever else the
    # first process overlaps meanwhile.
    with FaultProxy(server.url, batch_delay_s=0.05, slow_s=8) as proxy:
        proxy.chooser = lambda n: "slow" if n == 3 else "pass"
        enrolled = enroll_device(data_dir, server, via=proxy.url)
        cmd = [sys.executable, "-m", "desktop", "sync", "--data-dir", str(data_dir), "--batch-size", "5", "--no-pull"]
        first = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert first.stdout is not None and "sent" in first.stdout.readline()  # first is sending now
        second = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60)
        rest = first.communicate(timeout=120)[0]
        assert second.returncode == 3, second.stdout  # busy: another process is sending
        assert "another Petition Kiosk process is sending" in second.stdout
        assert first.returncode == 0, rest
        # One sender: the second process sent nothing, and no more requests were ever out at once
        # than one sender keeps out (it overlaps its own batches: runner.IN_FLIGHT).
        assert "  sent " not in second.stdout and "busy: sent 0," in second.stdout
        assert proxy.max_active <= runner.IN_FLIGHT
    assert server_set(server.engine, enrolled.device_id) == device_set(engine)


# --- backoff and authentication ---------------------------------------------------------------------


def test_backoff_doubles_from_one_second_to_five_minutes_with_jitter_and_sync_now_resets() -> None:
    backoff = runner.Backoff(rng=random.Random(1))
    delays = [backoff.next_delay() for _ in range(14)]
    steps = [min(300, 2**i) for i in range(14)]
    for delay, step in zip(delays, steps, strict=True):
        assert step / 2 <= delay <= step
    assert max(delays) <= 300 and delays[-1] >= 150
    backoff.reset()
    assert 0.5 <= backoff.next_delay() <= 1


def test_auto_sync_waits_by_backoff_on_a_fake_clock(data_dir: Path, engine: Engine, server: SyncServer) -> None:
    """A server that answers 503 for ever: the loop waits 1, 2, 4, ... s (jittered) up to 5 minutes,
    measured on a fake clock; "Sync now" starts again at 1 s; success waits the probe interval."""
    fill_pending(engine, 3)
    with FaultProxy(server.url, ["e500"]) as proxy:
        enroll_device(data_dir, server, via=proxy.url)
        syncer = runner.Syncer(data_dir, engine)
        clock: list[float] = []
        auto: runner.AutoSync

        def fake_wait(seconds: float) -> bool:
            clock.append(seconds)  # time passes at once
            if len(clock) == 12:
                auto.sync_now()
            if len(clock) == 14:
                proxy.kinds = ["pass"]
            if len(clock) == 16:
                auto.stop()
            return False

        auto = runner.AutoSync(syncer.run, probe_interval_s=30, backoff=runner.Backoff(rng=random.Random(3)),
                               wait=fake_wait)
        auto.run()
        syncer.close()
    for i, waited in enumerate(clock[:11]):
        step = min(300, 2**i)
        assert step / 2 <= waited <= step, (i, clock)
    assert clock[8] >= 128 and clock[10] >= 150 and max(clock) <= 300
    assert clock[12] <= 1  # after Sync now: from 1 s again
    assert clock[-1] == 30  # all sent: the next probe after the interval
    assert device_states(engine) == {"acked": 3}


def test_401_and_403_are_never_retried(server: SyncServer, data_dir: Path, engine: Engine) -> None:
    fill_pending(engine, 20)
    with FaultProxy(server.url) as proxy:
        enrolled = enroll_device(data_dir, server, via=proxy.url)
        with write_session(server.engine) as session:
            revoke(find(enrolled.device_id, session=session)[0], session=session)
            session.commit()
        syncer = runner.Syncer(data_dir, engine, max_count=5)
        waits: list[float] = []
        auto = runner.AutoSync(syncer.run, wait=lambda s: waits.append(s) or len(waits) >= 5 and auto.stop() or False)
        auto.run()
        assert proxy.requests["batch"] == 1  # the one that was refused, never again
        assert enrollment.load(data_dir).needs_enrollment  # type: ignore[union-attr]
        out = _cli("status", "--data-dir", str(data_dir)).stdout
        assert "ENROLL AGAIN" in out
        assert _cli("sync", "--data-dir", str(data_dir)).returncode == 4
        assert proxy.requests["batch"] == 1
        # Enrolled again: sending resumes.
        enroll_device(data_dir, server, via=proxy.url)
        assert syncer.run().done
        syncer.close()
    assert device_states(engine) == {"acked": 20}


# --- what counts as an answer -------------------------------------------------------------------------


def test_a_captive_portal_is_offline_for_health_and_batches(server: SyncServer, data_dir: Path, engine: Engine) -> None:
    fill_pending(engine, 5)
    with FaultProxy(server.url, ["html200"], other_kind="html200") as proxy:
        enroll_device(data_dir, server, via=proxy.url)
        syncer = runner.Syncer(data_dir, engine)
        report = syncer.run()
        assert report.outcome == runner.OFFLINE and "captive" in report.message
        assert proxy.requests["batch"] == 0  # health failed first: nothing sent
        proxy.other_kind = "pass"
        report = syncer.run()
        assert report.outcome == runner.OFFLINE and proxy.requests["batch"] == 1
        syncer.close()
    assert device_states(engine) == {"pending": 5}


def test_an_answer_must_name_exactly_the_ids_sent() -> None:
    ids = ["a", "b"]

    def answer(*pairs: tuple[str, int]) -> BatchResult:
        return BatchResult(received_at="2026-01-01T00:00:00Z", clock_offset_s=0, counts={}, results=[  # type: ignore[arg-type]
            SignatureResult(id=i, index=n, outcome=Outcome.CREATED) for i, n in pairs])

    runner.check_answer(answer(("a", 0), ("b", 1)), ids)
    for bad in (answer(("a", 0)), answer(("a", 0), ("c", 1)), answer(("b", 0), ("a", 1)),
                answer(("a", 0), ("b", 1), ("b", 2))):
        with pytest.raises(Offline):
            runner.check_answer(bad, ids)


def test_a_dead_server_is_offline_quickly(data_dir: Path) -> None:
    client = ApiClient("http://127.0.0.1:9", connect_timeout=1, read_timeout=1)
    with pytest.raises(Offline):
        client.health()


# --- batches, states, counts ----------------------------------------------------------------------------


def test_payload_read_from_disk_is_the_canonical_wire_form(engine: Engine) -> None:
    fill_pending(engine, 3)
    fill_pending(engine, 2, comment_bytes=50)
    batch = store.claim_batch(engine, after_seq=0, max_count=10, max_bytes=10**6)
    assert batch is not None and len(batch) == 5
    import orjson

    with Session(engine) as session:
        for signature_id, part in zip(batch.ids, batch.parts, strict=True):
            assert part == orjson.dumps(wire_payload(session.get(Signature, signature_id)))
    assert device_states(engine) == {"sending": 5}
    store.release_batch(engine, batch.ids)
    assert device_states(engine) == {"pending": 5}


def test_the_wire_json_sqlite_writes_is_orjsons_of_the_canonical_form(engine: Engine) -> None:
    """store builds each row's wire JSON in SQL; every kind of value must come out as the bytes
    orjson writes for wire_payload of the ORM row: escapes, non-ASCII, omitted late fields, booleans,
    both stored time forms; a row with a value the SQL does not vouch for goes the Python way."""
    import orjson

    from bench.sync_data import rows
    from db.signatures import _COLUMNS, _INSERT_SQL, _bind

    made = rows(9)
    made[0].update(given_name='Zo\u00eb "Z" \\ O\u2019Neil', family_name="\u062d\u062f\u0627\u062f \U0001f600", city="K\u00f6ln")
    made[1].update(comment="line one\n\tline two \u2028 </script>", consent_updates=None, phone="+4930123456",
                   country="DE", postal_code="01234")
    made[2].update(sealed="A" * 64, sealed_key="0123456789abcdef", given_name=None, family_name=None, email=None,
                   city=None, receipt_sha256="a" * 64, signature_svg="M1 2L3 4")
    made[3].update(mode="paper", paper_sheet="0042", event_id=None)
    made[4].update(voids=made[0]["id"], given_name=None, family_name=None, email=None, city=None)
    bound = [list(_bind(r, engine.dialect)) for r in made]
    created, consent = _COLUMNS.index("created_at"), _COLUMNS.index("consent_processing")
    text = made[5]["created_at"].replace(tzinfo=None).isoformat(" ", "microseconds")
    bound[5][created] = text + "+00:00"  # the form the ORM's binder writes for an aware value
    bound[6][created] = text[:19]  # a form only _iso's datetime parse reads: the Python path
    bound[7][consent] = "yes"  # not a boolean SQLite stored: the Python path
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        cursor.executemany(_INSERT_SQL, bound)
        cursor.execute("COMMIT")
    finally:
        raw.close()
    raw = engine.raw_connection()
    try:
        written = [row[4] is not None for row in raw.cursor().execute(store._JSON_SQL, (0, 10))]
    finally:
        raw.close()
    assert written == [True, True, False, True, True, True, False, False, True]
    batch = store.claim_batch(engine, after_seq=0, max_count=10, max_bytes=10**6)
    assert batch is not None and batch.ids == [r["id"] for r in made]
    with Session(engine) as session:
        for signature_id, part in zip(batch.ids, batch.parts, strict=True):
            stored = session.get(Signature, signature_id)
            assert stored is not None
            if signature_id == made[7]["id"]:  # not a boolean: written as payload_from_row writes it
                assert orjson.loads(part)["consent_processing"] is True
                continue
            assert part == orjson.dumps(wire_payload(stored)), signature_id
    assert batch.slugs[made[4]["id"]] == ("aleppo", -1)


def test_applying_a_batch_records_the_servers_counts_as_record_server_count_does(engine: Engine) -> None:
    """apply_and_claim writes server_count in its raw transaction: the same rows as the ORM's
    record_server_count, a report replacing the total, a batch without one moving it."""
    from datetime import datetime, timedelta, timezone

    from db.signatures import record_server_count

    def stored() -> list[tuple[object, ...]]:
        raw = engine.raw_connection()
        try:
            return list(raw.cursor().execute("SELECT * FROM server_count ORDER BY campaign_slug"))
        finally:
            raw.close()

    at = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=timezone(timedelta(hours=5)))
    with write_session(engine) as session:
        record_server_count("orm", 40, session=session, at=at)
        session.commit()
    fill_pending(engine, 3)
    batch = store.claim_batch(engine, after_seq=0, max_count=10, max_bytes=10**6)
    assert batch is not None
    created = [SignatureResult(id=i, index=n, outcome=Outcome.CREATED) for n, i in enumerate(batch.ids)]
    store.apply_results(engine, batch, created, {"aleppo": 40}, now=at)
    orm_row, raw_row = sorted(stored(), key=lambda row: str(row[0]) != "orm")
    assert raw_row[1:] == orm_row[1:]  # the same total and the same stored time
    fill_pending(engine, 2)
    batch = store.claim_batch(engine, after_seq=batch.last_seq, max_count=10, max_bytes=10**6)
    assert batch is not None
    later = at + timedelta(minutes=1)
    store.apply_results(engine, batch, [SignatureResult(id=i, index=n, outcome=Outcome.DUPLICATE)
                                        for n, i in enumerate(batch.ids)], None, now=later)
    with write_session(engine) as session:
        record_server_count("orm", 42, session=session, at=later)
        session.commit()
    orm_row, raw_row = sorted(stored(), key=lambda row: str(row[0]) != "orm")
    assert raw_row[1:] == orm_row[1:] and raw_row[1] == 42


def test_batches_are_capped_by_bytes(engine: Engine) -> None:
    fill_pending(engine, 40, comment_bytes=1000)
    batch = store.claim_batch(engine, after_seq=0, max_count=500, max_bytes=20_000)
    assert batch is not None and 10 <= len(batch) < 20
    assert len(batch.body(__import__("datetime").datetime.now(), "x", want_totals=False)) <= 20_000


def test_a_batch_takes_the_rows_that_fit_and_always_the_first(engine: Engine) -> None:
    """The byte budget cuts a batch where the next row would not fit (a comma each, the envelope's
    room kept), a row larger than any batch still goes alone, and what is not taken stays pending."""
    fill_pending(engine, 1, comment_bytes=1000)
    small = fill_pending(engine, 4)
    batch = store.claim_batch(engine, after_seq=0, max_count=10, max_bytes=1024)
    assert batch is not None and len(batch) == 1 and batch.last_seq == 1
    assert device_states(engine) == {"sending": 1, "pending": 4}
    store.release_batch(engine, batch.ids)
    store.set_aside(engine, batch.ids, "too_large")
    whole = store.claim_batch(engine, after_seq=1, max_count=10, max_bytes=10**6)
    assert whole is not None and whole.ids == small and set(whole.slugs) == set(small)
    store.release_batch(engine, whole.ids)
    two = store.ENVELOPE_BYTES + sum(len(part) + 1 for part in whole.parts[:2])
    four = store.ENVELOPE_BYTES + sum(len(part) + 1 for part in whole.parts)
    for max_bytes, taken in ((two, 2), (two - 1, 1), (two + len(whole.parts[2]), 2), (two + len(whole.parts[2]) + 1, 3),
                             (four, 4), (four - 1, 3)):
        batch = store.claim_batch(engine, after_seq=1, max_count=10, max_bytes=max_bytes)
        assert batch is not None and batch.ids == small[:taken] and batch.parts == whole.parts[:taken]
        assert batch.last_seq == 1 + taken and list(batch.slugs) == small[:taken]
        states = {"needs_attention": 1, "sending": taken, "pending": 4 - taken}
        assert device_states(engine) == {state: n for state, n in states.items() if n}
        store.release_batch(engine, batch.ids)


def test_refused_signatures_need_attention_and_the_rest_go(server: SyncServer, data_dir: Path, engine: Engine) -> None:
    good = fill_pending(engine, 10)
    unknown = fill_pending(engine, 2, campaign_version=99)  # a version the server never published
    good += fill_pending(engine, 10)
    enrolled = enroll_device(data_dir, server)
    syncer = runner.Syncer(data_dir, engine, max_count=7)
    report = syncer.run()
    syncer.close()
    assert report.outcome == runner.OK and report.sent == 20 and report.attention == 2 and report.pending == 0
    assert device_states(engine) == {"acked": 20, "needs_attention": 2}
    assert store.attention_reasons(engine) == {"rejected: campaign_version_unknown (campaign_version)": 2}
    assert set(server_set(server.engine, enrolled.device_id)) == set(good)
    assert not set(unknown) & set(server_set(server.engine, enrolled.device_id))
    client = ApiClient(server.url, enrolled.token)
    with Session(engine) as session:  # recorded with the batch: the live count is the server's total
        assert live_count("aleppo", session=session) == client.count("aleppo").count + 2
    client.close()


def test_enrollment_keeps_secrets_owner_only_and_never_prints_the_token(server: SyncServer, data_dir: Path) -> None:
    from utils.sync_env import new_code

    text = enrollment_uri(server.url, new_code(server.engine, "tablet"))
    result = _cli("enroll", "--data-dir", str(data_dir), text)
    assert result.returncode == 0, result.stderr
    enrolled = enrollment.load(data_dir)
    assert enrolled is not None and enrolled.device_name == "tablet"
    for name in (enrollment.ENROLLMENT_FILE, enrollment.KEY_FILE):
        assert stat.S_IMODE(os.stat(data_dir / name).st_mode) == 0o600
    assert enrolled.token not in result.stdout + result.stderr
    assert enrolled.token not in repr(enrolled)
    status = _cli("status", "--data-dir", str(data_dir))
    assert enrolled.token not in status.stdout and server.url in status.stdout
    again = _cli("enroll", "--data-dir", str(data_dir), "--server", server.url, "AAAA-BBBB-CCCC")
    assert again.returncode == 4 and "refused" in again.stderr
    assert _cli("enroll", "--data-dir", str(data_dir), "not a code").returncode == 2


def test_campaign_versions_are_pulled_installed_and_registered(server: SyncServer, tmp_path: Path) -> None:
    from db.migrate import open_database

    data_dir = tmp_path / "fresh"
    engine = open_database(data_dir)  # no built-in campaigns registered: everything comes from the server
    try:
        enroll_device(data_dir, server)
        syncer = runner.Syncer(data_dir, engine, pull_every_s=0)
        assert syncer.run().done
        syncer.close()
        with Session(engine) as session:
            rows = session.exec(select(CampaignVersion)).all()
        assert {(r.slug, r.source) for r in rows} == {("aleppo", "server"), ("act-on-syria", "server")}
        for row in rows:
            loaded = campaigns.load_bundle(Path(row.bundle_path or ""), source="server")
            assert loaded.locale_hashes() == row.locale_hashes
            assert Path(row.bundle_path or "").is_relative_to(data_dir)
    finally:
        engine.dispose()


def test_sync_and_status_commands(server: SyncServer, data_dir: Path, engine: Engine) -> None:
    fill_pending(engine, 30)
    assert _cli("sync", "--data-dir", str(data_dir)).returncode == 4  # not enrolled
    enroll_device(data_dir, server)
    result = _cli("sync", "--data-dir", str(data_dir), "--batch-size", "10")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok: sent 30, duplicates 0, needing attention 0 (all: 0), still pending 0" in result.stdout
    assert result.stdout.count("  sent ") == 3
    status = _cli("status", "--data-dir", str(data_dir)).stdout
    assert "acked: 30" in status and "pending: 0" in status and "last sync:" in status and ", ok," in status


def test_the_worker_thread_and_stop(server: SyncServer, data_dir: Path, engine: Engine) -> None:
    fill_pending(engine, 50)
    enroll_device(data_dir, server)
    done = threading.Event()
    syncer = runner.Syncer(data_dir, engine, max_count=10)
    auto = runner.AutoSync(syncer.run, probe_interval_s=0.05,
                           on_report=lambda report, _delay: report.done and done.set())
    thread = threading.Thread(target=auto.run)
    thread.start()
    assert done.wait(30)
    auto.stop()
    thread.join(10)
    assert not thread.is_alive()
    syncer.close()
    assert device_states(engine) == {"acked": 50}


def test_a_reopened_campaign_gets_its_refused_signatures(server: SyncServer, data_dir: Path, engine: Engine) -> None:
    """Signed while the campaign was closed on the server: refused, then sent once it reopens —
    not left in needs_attention for ever while the run reports 'ok'."""
    from server import campaigns as server_campaigns
    from server.database import write_session

    with write_session(server.engine) as session:
        assert server_campaigns.set_closed("aleppo", True, session=session)
        session.commit()
    signed = fill_pending(engine, 6)
    enrolled = enroll_device(data_dir, server)
    syncer = runner.Syncer(data_dir, engine)
    report = syncer.run()
    syncer.close()
    assert report.attention == 6 and device_states(engine) == {"needs_attention": 6}

    with write_session(server.engine) as session:
        server_campaigns.set_closed("aleppo", False, session=session)
        session.commit()
    syncer = runner.Syncer(data_dir, engine)  # the next `petition-kiosk sync`
    report = syncer.run()
    syncer.close()
    assert report.outcome == runner.OK and report.sent == 6 and report.attention == 0
    assert device_states(engine) == {"acked": 6}
    assert set(server_set(server.engine, enrolled.device_id)) == set(signed)


def test_conflicts_and_invalid_signatures_stay_with_the_coordinator(engine: Engine) -> None:
    from sqlalchemy import text

    fill_pending(engine, 3)
    with engine.begin() as conn:
        conn.execute(text("UPDATE signature SET sync_state = 'needs_attention', sync_reason = 'conflict' "
                          "WHERE seq = 1"))
        conn.execute(text("UPDATE signature SET sync_state = 'needs_attention', "
                          "sync_reason = 'rejected: email_invalid (email)' WHERE seq = 2"))
        conn.execute(text("UPDATE signature SET sync_state = 'needs_attention', "
                          "sync_reason = 'rejected: campaign_unknown (campaign_slug)' WHERE seq = 3"))
    assert store.requeue_transient(engine) == 1
    assert device_states(engine) == {"needs_attention": 2, "pending": 1}


def test_a_proxy_body_limit_halves_batches_instead_of_blocking_sync(
        server: SyncServer, data_dir: Path, engine: Engine) -> None:
    """Behind a reverse proxy with a body limit (nginx: 1 MB by default; 300 KB here), big batches
    (long comments) get the proxy's HTML 413. Before: 'offline' and the same batch for ever. Now:
    halved until they pass."""
    signed = fill_pending(engine, 400, comment_bytes=1000)  # ~700 KB in one batch
    with FaultProxy(server.url, ["pass"], max_body=300 * 1024) as proxy:
        enrolled = enroll_device(data_dir, server, via=proxy.url)
        syncer = runner.Syncer(data_dir, engine)
        report = syncer.run()
        syncer.close()
        assert proxy.counts["e413"] >= 1
    assert report.outcome == runner.OK and report.sent == 400 and report.attention == 0
    assert set(server_set(server.engine, enrolled.device_id)) == set(signed)


def test_one_signature_refused_by_a_proxy_is_not_set_aside(
        server: SyncServer, data_dir: Path, engine: Engine) -> None:
    """A proxy that refuses even a single signature is not the signature's fault: it stays pending
    (offline), never set aside as too large."""
    fill_pending(engine, 2, comment_bytes=900)
    with FaultProxy(server.url, ["pass"], max_body=200) as proxy:
        enroll_device(data_dir, server, via=proxy.url)
        syncer = runner.Syncer(data_dir, engine)
        report = syncer.run()
        syncer.close()
    assert report.outcome == runner.OFFLINE
    assert device_states(engine) == {"pending": 2}


@pytest.mark.parametrize(("url", "allowed"), [
    ("https://petitions.example.org", True),
    ("http://127.0.0.1:8000", True),
    ("http://192.168.1.20:8000", True),
    ("http://10.0.0.5", True),
    ("http://[fe80::1]:8000", True),
    ("http://kiosk-server.local:8000", True),
    ("http://petitions.example.org", False),
    ("http://93.184.216.34:8000", False),  # parsed only: nothing is contacted
    ("ftp://192.168.1.20", False),
])
def test_plain_http_only_inside_a_local_network(url: str, allowed: bool) -> None:
    from db.sync.enrollment import check_server_url

    if allowed:
        assert check_server_url(url) == url
    else:
        with pytest.raises(ValueError):
            check_server_url(url)
