"""Batch requests out at once (db/sync/runner.py), here two (in_flight=2) so that each case is exact: a
failure of either, a 413 on the second, Cancel, and a batch asking for the server's totals going alone. After each failing run nothing is left
``sending``, everything acknowledged is on the server with its content, and the next run makes the
server's set exactly the device's."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bench.sync_data import fill_pending
from db.signatures import live_count
from db.sync import runner
from db.sync.client import ApiClient
from utils.fault_proxy import FaultProxy
from utils.sync_env import SyncServer, device_set, device_states, enroll_device, server_set, sync_server

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncServer]:
    with sync_server(tmp_path_factory.mktemp("server")) as running:
        yield running


def _acked(engine: Engine) -> dict[str, str]:
    raw = engine.raw_connection()
    try:
        return dict(raw.cursor().execute("SELECT id, content_hash FROM signature WHERE sync_state = 'acked'").fetchall())
    finally:
        raw.close()


def _after_a_failed_run(engine: Engine, server: SyncServer, device_id: str, report: runner.SyncReport) -> None:
    states = device_states(engine)
    assert "sending" not in states, states
    acked = _acked(engine)
    assert report.sent == len(acked)
    on_server = server_set(server.engine, device_id)
    assert all(on_server.get(i) == h for i, h in acked.items())  # acknowledged means stored, same content


def _finish(data_dir: Path, engine: Engine, server: SyncServer, device_id: str, total: int) -> None:
    syncer = runner.Syncer(data_dir, engine)
    report = syncer.run()
    syncer.close()
    assert report.done, report
    assert device_states(engine) == {"acked": total}
    assert server_set(server.engine, device_id) == device_set(engine)


@pytest.mark.parametrize("failing", [1, 2])
@pytest.mark.parametrize("kind", ["e500", "reset", "lost", "truncated"])
def test_a_failure_of_either_request_out(server: SyncServer, data_dir: Path, engine: Engine, kind: str, failing: int) -> None:
    """The first batch asks for the server's totals and goes alone; then two requests are out at once
    and the first or the second of them fails (for 'lost' and 'truncated' the server stored it). The
    run ends offline, the good answers are applied, the rest goes back to pending."""
    fill_pending(engine, 60)
    with FaultProxy(server.url, batch_delay_s=0.2) as proxy:  # the two requests are out together
        proxy.chooser = lambda n: kind if n == failing else "pass"
        enrolled = enroll_device(data_dir, server, via=proxy.url)
        syncer = runner.Syncer(data_dir, engine, max_count=10, in_flight=2, read_timeout=5, totals_every_s=3600)
        report = syncer.run()
        syncer.close()
        assert proxy.max_active == 2
        assert report.outcome == runner.OFFLINE, report
        # Answered and applied: the first batch, the other request of the pair, and, when the client's
        # older request of the pair was the one that went through, the one sent in its place (the
        # client applies answers in the order it sent them and sends anew when the oldest is done).
        # The proxy numbers requests as they arrive; the pair leaves on two connections at once, so
        # the proxy's first may be the client's second. Both orders are right. What must hold
        # exactly: every request that went through is counted as sent, no other, and nothing more
        # is sent once the failure is known.
        passed = proxy.counts["pass"]
        assert passed >= 2, proxy.counts
        assert proxy.requests["batch"] == passed + 1, proxy.requests
        assert report.sent == 10 * passed, report
        _after_a_failed_run(engine, server, enrolled.device_id, report)
        proxy.chooser = None
        _finish(data_dir, engine, server, enrolled.device_id, 60)


def test_a_413_on_the_second_request_out_halves_and_goes_on(server: SyncServer, data_dir: Path, engine: Engine) -> None:
    """Small signatures, then long ones: batches too large for a proxy's body limit while another is
    out. The good answers are applied, the cursor returns to the refused batch, and the run goes on
    with smaller batches to the end."""
    signed = fill_pending(engine, 20) + fill_pending(engine, 30, comment_bytes=900)
    with FaultProxy(server.url, batch_delay_s=0.2, max_body=5_000) as proxy:
        enrolled = enroll_device(data_dir, server, via=proxy.url)
        syncer = runner.Syncer(data_dir, engine, max_count=10, in_flight=2, totals_every_s=3600)
        report = syncer.run()
        syncer.close()
        assert proxy.counts["e413"] >= 1 and proxy.max_active == 2
    assert report.outcome == runner.OK and report.sent == 50 and report.attention == 0, report
    assert device_states(engine) == {"acked": 50}
    assert set(server_set(server.engine, enrolled.device_id)) == set(signed)
    assert server_set(server.engine, enrolled.device_id) == device_set(engine)


def test_cancel_applies_the_answers_out_and_sends_no_more(server: SyncServer, data_dir: Path, engine: Engine) -> None:
    fill_pending(engine, 100)
    stop = threading.Event()
    with FaultProxy(server.url, batch_delay_s=0.1) as proxy:
        enrolled = enroll_device(data_dir, server, via=proxy.url)
        syncer = runner.Syncer(data_dir, engine, max_count=10, in_flight=2, totals_every_s=3600,
                               progress=lambda _report: stop.set())
        report = syncer.run(stop)
        syncer.close()
        assert report.outcome == runner.STOPPED
        # Cancel came with the first answer (its batch asked for totals and went alone); the one sent in
        # its place is still answered and applied, the one claimed meanwhile goes back to pending.
        assert proxy.requests["batch"] == 2 and report.sent == 20
        _after_a_failed_run(engine, server, enrolled.device_id, report)
        _finish(data_dir, engine, server, enrolled.device_id, 100)


@pytest.mark.parametrize(("totals_every_s", "most_out"), [(0, 1), (3600, 2)])
def test_a_batch_asking_for_totals_goes_alone(server: SyncServer, data_dir: Path, engine: Engine,
                                              totals_every_s: float, most_out: int) -> None:
    """The totals an answer brings count no batch of this device still unanswered, so the live count
    (server total + not yet acknowledged) never counts one twice."""
    fill_pending(engine, 40)
    with FaultProxy(server.url, batch_delay_s=0.1) as proxy:
        enrolled = enroll_device(data_dir, server, via=proxy.url)
        syncer = runner.Syncer(data_dir, engine, max_count=10, in_flight=2, totals_every_s=totals_every_s)
        assert syncer.run().done
        syncer.close()
        assert proxy.max_active == most_out
    client = ApiClient(server.url, enrolled.token)
    with Session(engine) as session:
        assert live_count("aleppo", session=session) == client.count("aleppo").count
    client.close()


def test_with_four_out_a_batch_waiting_for_its_turn_is_sent(server: SyncServer, data_dir: Path, engine: Engine) -> None:
    """Four requests out (the default): the last, short batch asks for totals and waits until the
    others are answered; it is sent then, not left claimed (it was, once: the run ended 'ok' with it
    still 'sending')."""
    fill_pending(engine, 73)
    with FaultProxy(server.url, batch_delay_s=0.1) as proxy:
        enrolled = enroll_device(data_dir, server, via=proxy.url)
        syncer = runner.Syncer(data_dir, engine, max_count=10, totals_every_s=3600)
        report = syncer.run()
        syncer.close()
        assert proxy.max_active == runner.IN_FLIGHT == 4
    assert report.done and report.sent == 73 and report.batches == 8, report
    assert device_states(engine) == {"acked": 73}
    assert server_set(server.engine, enrolled.device_id) == device_set(engine)
