"""One sync run (:class:`Syncer`), and the automatic loop around it (:class:`AutoSync`) with
exponential backoff and jitter (:class:`Backoff`). Qt-free; the desktop's worker runs ``AutoSync.run``
in a thread and turns its callbacks into signals.

A run: take the data directory's sender lock (another process holding it: ``busy``), put rows a dead
sender left in ``sending`` back to ``pending``, check the server's health marker, then batch after
batch, oldest first: claim (commit ``sending``), POST, check that the answer names exactly the ids sent,
apply (commit ``acked`` / ``needs_attention`` and the server's counts), with several requests out at once
and the device's own work done while they are (see :meth:`Syncer._send_all`). The first failed request
ends the run with every batch not applied back in ``pending``; 401/403 also marks the enrollment as
needing renewal, so no request is made again until the device is enrolled again.
"""

from __future__ import annotations

import logging
import math
import random
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from db.engine import read_session, write_session
from db.models import SyncRun
from db.schemas import FIELD_API_VERSION, MODE_API_VERSION, Mode, held_beyond
from db.sync import enrollment as enrollment_store
from db.sync import store
from db.sync.client import ApiClient, AuthRejected, Offline, Refused, ServerBusy, SyncError, TooLarge
from db.sync.lock import SenderLock
from db.sync.store import Claim
from db.wire import (
    API_HEADER,
    EVENTS_API_VERSION,
    MAX_BATCH_BYTES,
    MAX_BATCH_SIGNATURES,
    MAX_EVENTS_PER_REQUEST,
    BatchResult,
    DeviceEvent,
    DeviceEvents,
)

log = logging.getLogger(__name__)

# Outcomes of a run.
# Refusals that may go away (campaign published late, reopened) are offered again at the start of
# a run: every run of a new process (``petition-kiosk sync``), at most this often in the app.
REQUEUE_EVERY_S = 600.0
KEYS_EVERY_S = 3600.0  # a rotated sealing key reaches the device within the hour
# A version-2 server from before the events route (404) is asked again after this long.
EVENTS_RETRY_S = 3600.0
# Batch requests out at once. The server checks one batch while it writes another, and each answer's
# slot is filled only once the device has applied it and claimed the next batch; with four out, the
# server never waits for the device (bench/bench_sync.py: 2 -> 6,000-7,000/s, 3 -> 8,500, 4 -> 10,000,
# 6 no better, on a 2-core machine with a two-worker server).
IN_FLIGHT = 4

OK = "ok"  # nothing left pending (some may need attention)
OFFLINE = "offline"  # no answer from our server: retry with backoff
REFUSED = "refused"  # the server refused the request itself (e.g. app too old): retry with backoff
AUTH = "auth"  # 401/403: enroll again; never retried
NOT_ENROLLED = "not_enrolled"
BUSY = "busy"  # another process is sending
STOPPED = "stopped"


@dataclass
class SyncReport:
    outcome: str = OK
    message: str = ""
    sent: int = 0  # acknowledged in this run (created + duplicates)
    created: int = 0
    duplicates: int = 0
    attention: int = 0  # set aside in this run
    pending: int = 0  # still pending (or sending) after the run
    batches: int = 0
    server_url: str | None = None
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    # Seconds the sender spent per phase of the batches: claim (read + encode + commit 'sending', when
    # a batch is claimed on its own), apply (commit the outcomes, and claim the next batch in the same
    # transaction), post (waiting for an answer: the network and the server's work that the device's
    # own work meanwhile did not cover). Where the time goes.
    timings: dict[str, float] = field(default_factory=lambda: {"claim": 0.0, "post": 0.0, "apply": 0.0})
    # The campaign pull's news (db/sync/bundles.py): versions installed, listing entries refused
    # (slug, version, reason) and installed versions quarantined (slug, version, reason).
    campaigns_installed: list[tuple[str, int]] = field(default_factory=list)
    campaigns_refused: list[tuple[str, int | None, str]] = field(default_factory=list)
    campaigns_quarantined: list[tuple[str, int, str]] = field(default_factory=list)
    # The API version the server spoke in this run (None: not asked), and the signatures held back for
    # it, per mode: pending, never sent, because that version does not know their mode (held_words).
    server_api_version: int | None = None
    held: dict[str, int] = field(default_factory=dict)
    # The run ended on a busy server that said when to come back (429/503 with Retry-After, seconds):
    # the loop waits that long (within its backoff cap) rather than its own backoff delay.
    retry_after: float | None = None

    @property
    def done(self) -> bool:
        return self.outcome == OK and self.pending == 0


# What waits, in the coordinator's words, one and several (the panel has its own, translated).
_HELD_WHO = {Mode.PHONE.value: ("made on a phone", "made on phones"),
             "partner_optins": ("with partners' opt-ins", "with partners' opt-ins")}
_MODE_VERSIONS = {**{mode.value: version for mode, version in MODE_API_VERSION.items()}, **FIELD_API_VERSION}


def held_words(held: dict[str, int], server_api_version: int | None) -> list[str]:
    """One line per mode held back for an older server: what waits and why (English: the command line
    and the log)."""
    lines = []
    for mode, n in sorted(held.items()):
        one, several = _HELD_WHO.get(mode, (f"of mode {mode}", f"of mode {mode}"))
        why = f"(it speaks API version {server_api_version}; {'it needs' if n == 1 else 'they need'} version " \
              f"{_MODE_VERSIONS.get(mode, 'a newer')})"
        if n == 1:
            lines.append(f"1 signature {one} waits for the server to be updated {why}")
        elif n:
            lines.append(f"{n} signatures {several} wait for the server to be updated {why}")
    return lines


class Syncer:
    """Sends this data directory's pending signatures. ``client_factory`` makes the API client from
    the enrollment (tests pass shorter timeouts)."""

    def __init__(
        self, data_dir: Path, engine: Engine, *,
        max_count: int = MAX_BATCH_SIGNATURES, max_bytes: int = MAX_BATCH_BYTES, in_flight: int = IN_FLIGHT,
        connect_timeout: float = 5.0, read_timeout: float = 60.0,
        totals_every_s: float = 5.0, pull_every_s: float | None = None,
        progress: Callable[[SyncReport], None] | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.engine = engine
        self.max_count = max(1, min(max_count, MAX_BATCH_SIGNATURES))
        self.max_bytes = max(1024, min(max_bytes, MAX_BATCH_BYTES))
        self.in_flight = max(1, in_flight)
        self._spares: list[ApiClient] = []
        self._spares_of: ApiClient | None = None
        self.timeouts = (connect_timeout, read_timeout)
        self.totals_every_s = totals_every_s
        self.pull_every_s = pull_every_s  # None: never pull campaign versions
        self._pulled_at: float | None = None
        self._keys_at: float | None = None
        self.progress = progress
        self._client: ApiClient | None = None
        self._client_key: tuple[str, str, str | None] | None = None
        self._requeued_at: float | None = None
        # What the server last took of this device's events (server, device, the list), and when a
        # server last said it has no events route: an unchanged list is not sent again by this Syncer.
        self._events_sent: tuple[str, str, tuple[DeviceEvent, ...]] | None = None
        self._events_refused_at: float | None = None

    def _client_for(self, enrolled: enrollment_store.Enrollment) -> ApiClient:
        key = (enrolled.server_url, enrolled.token, enrolled.ca_file)
        if self._client is None or self._client_key != key:
            if self._client is not None:
                self._client.close()
            self._client = ApiClient(enrolled.server_url, enrolled.token, ca_file=enrolled.ca_file,
                                     connect_timeout=self.timeouts[0], read_timeout=self.timeouts[1])
            self._client_key = key
        return self._client

    def close(self) -> None:
        for spare in self._spares:
            spare.close()
        self._spares, self._spares_of = [], None
        if self._client is not None:
            self._client.close()
            self._client = None

    def run(self, stop: threading.Event | None = None) -> SyncReport:
        report = SyncReport()
        enrolled = enrollment_store.load(self.data_dir)
        if enrolled is None:
            report.outcome, report.message = NOT_ENROLLED, "this device is not enrolled with a server"
        elif enrolled.needs_enrollment:
            report.outcome = AUTH
            report.message = f"the server refused this device ({enrolled.reason}): enroll it again"
            report.server_url = enrolled.server_url
        else:
            report.server_url = enrolled.server_url
            lock = SenderLock(self.data_dir)
            if not lock.acquire():
                report.outcome, report.message = BUSY, "another Petition Kiosk process is sending"
            else:
                try:
                    self._run_locked(enrolled, report, stop)
                finally:
                    lock.release()
        counts = store.counts(self.engine)
        report.pending = counts["pending"] + counts["sending"]
        if report.server_api_version is not None:
            report.held = store.held_back(self.engine, report.server_api_version)
        if report.outcome not in (BUSY, NOT_ENROLLED):
            store.record_run(self.engine, SyncRun(
                started_at=report.started_at, finished_at=datetime.now(UTC), outcome=report.outcome,
                server_url=report.server_url, sent=report.sent, duplicates=report.duplicates,
                attention=report.attention, pending=report.pending, message=report.message[:500] or None,
            ))
        return report

    def _run_locked(self, enrolled: enrollment_store.Enrollment, report: SyncReport,
                    stop: threading.Event | None) -> None:
        store.reset_sending(self.engine)
        if self._requeued_at is None or time.monotonic() - self._requeued_at >= REQUEUE_EVERY_S:
            store.requeue_transient(self.engine)  # a campaign published or reopened since
            self._requeued_at = time.monotonic()
        client = self._client_for(enrolled)
        try:
            client.health()
            report.server_api_version = client.api_version
            if enrolled.api_version != client.api_version:  # for status and hand-off files, offline
                enrolled.api_version = client.api_version
                enrollment_store.save(self.data_dir, enrolled)
            self._maybe_refresh_keys(client, enrolled)
            self._maybe_pull(client, report)
            self._send_all(client, enrolled, report, stop)
            self._send_events(client, enrolled)
        except AuthRejected as exc:
            enrollment_store.mark_needs_enrollment(self.data_dir, exc.error)
            report.outcome, report.message = AUTH, f"the server refused this device ({exc.error}): enroll it again"
        except Offline as exc:  # a busy server (503) included: its batches stay pending, never set aside
            report.outcome, report.message = OFFLINE, str(exc)
            if isinstance(exc, ServerBusy):
                report.retry_after = exc.retry_after
        except (Refused, SyncError) as exc:
            report.outcome, report.message = REFUSED, str(exc)

    def _maybe_refresh_keys(self, client: ApiClient, enrolled: enrollment_store.Enrollment) -> None:
        """Pick up a rotated sealing key (db/sealing.py): once per Syncer and then every KEYS_EVERY_S.
        Only a sealing key signed by the signing key pinned at enrollment is taken; the signing key
        itself is never replaced, and no key the device holds is ever dropped."""
        if self._keys_at is not None and time.monotonic() - self._keys_at < KEYS_EVERY_S:
            return
        from db import sealing

        self._keys_at = time.monotonic()
        pinned = next((k for k in enrolled.server_keys if k.get("purpose") == "signing"), None)
        if pinned is None:
            return
        try:
            answer = [key.model_dump() for key in client.server_keys().keys]
        except (Refused, SyncError) as exc:  # an older server without the route: keep what we hold
            log.info("server keys not refreshed: %s", type(exc).__name__)
            return
        vouched = sealing.vouched_sealing_keys(answer, str(pinned.get("public_key", "")))
        if len(vouched) < sum(1 for k in answer if k.get("purpose") == "sealing"):
            log.warning("a sealing key not signed by this server's enrollment key was ignored")
        if not vouched:
            return
        current = vouched[-1]
        held = [k for k in enrolled.server_keys if not (k.get("purpose") == "sealing"
                                                          and k.get("key_id") == current["key_id"])]
        merged = [*held, current]  # the last sealing key is the active one (sealing.remember_keys)
        if merged != enrolled.server_keys:
            enrolled.server_keys = merged
            enrollment_store.save(self.data_dir, enrolled)
        with write_session(self.engine) as session:
            sealing.remember_keys(merged, server_url=enrolled.server_url, session=session)
            session.commit()

    def _send_events(self, client: ApiClient, enrolled: enrollment_store.Enrollment) -> None:
        """Tell the server the events this device's signatures name (API version 2), each time the list
        changed: idempotent on the server (an event is keyed by device and id; sent again, it replaces
        the name, place and day). Never to a version-1 server: the events stay on the device and go
        once it speaks version 2. A failure here is logged and does not fail the run: the signatures
        went, and the next run sends the events again."""
        from db import events as events_store

        if client.api_version < EVENTS_API_VERSION:
            return
        if self._events_refused_at is not None and time.monotonic() - self._events_refused_at < EVENTS_RETRY_S:
            return
        with read_session(self.engine) as session:
            found = tuple(DeviceEvent(id=e.id, name=e.name, place=e.place, day=e.date)
                          for e in events_store.named_by_signatures(session=session))
        if not found or self._events_sent == (enrolled.server_url, enrolled.device_id, found):
            return
        try:
            for start in range(0, len(found), MAX_EVENTS_PER_REQUEST):
                chunk = list(found[start:start + MAX_EVENTS_PER_REQUEST])
                client.put_events(enrolled.device_id, DeviceEvents(events=chunk))
        except Refused as exc:
            if exc.status in (404, 405):  # a version-2 server from before the events route
                self._events_refused_at = time.monotonic()
            log.info("events not sent: %s", exc.error)
            return
        except (Offline, SyncError) as exc:
            log.info("events not sent: %s", type(exc).__name__)
            return
        self._events_sent = (enrolled.server_url, enrolled.device_id, found)

    def _maybe_pull(self, client: ApiClient, report: SyncReport) -> None:
        if self.pull_every_s is None:
            return
        if self._pulled_at is not None and time.monotonic() - self._pulled_at < self.pull_every_s:
            return
        from db.campaigns import BundleError
        from db.sync.bundles import pull_campaigns

        try:
            pulled = pull_campaigns(self.engine, client, self.data_dir)
            report.campaigns_installed = pulled.installed
            report.campaigns_refused = pulled.refused
            report.campaigns_quarantined = pulled.quarantined
        except (BundleError, ValueError, OSError) as exc:  # a bad bundle must not stop signatures going out
            log.warning("campaign pull failed: %s", type(exc).__name__)
        self._pulled_at = time.monotonic()

    def _send_all(self, client: ApiClient, enrolled: enrollment_store.Enrollment, report: SyncReport,
                  stop: threading.Event | None) -> None:
        """Batches are claimed oldest first and applied in the same order, with up to ``in_flight``
        requests out at once (each on its own connection, on poster threads): the server stores one
        batch while it checks the next, and meanwhile the device applies the answer before and claims
        the batch after, in one transaction. Each batch's state changes are still committed per
        batch: ``sending`` before its request goes, its outcomes once its answer is in. A batch that
        asks for the server's totals goes alone, so the totals it brings back count no batch still
        unanswered.

        On a failure, no further batch is sent; the requests still out are waited for and their good
        answers applied, and every other batch goes back to ``pending``: after a 413 the claim cursor
        returns to the refused batch and the run goes on with smaller batches, anything else ends it."""
        pace = _Pace(max_count=self.max_count)
        held = held_beyond(client.api_version)  # signatures this server would refuse or cut stay pending
        apis = [client, *self._spare_clients(client)]
        out: deque[_Out] = deque()  # requests out, oldest first
        ready: _Prepared | None = None  # claimed, waiting for room
        applying: _Prepared | None = None
        claimed_to = 0  # the claim cursor: the next batch is claimed after this sequence number
        exhausted = False  # the last claim found nothing pending after the cursor

        def stopping() -> bool:
            return stop is not None and stop.is_set()

        with ThreadPoolExecutor(max_workers=self.in_flight, thread_name_prefix="sync-post") as poster:

            def send() -> None:  # the ready batch goes if there is room
                nonlocal ready
                if ready is None or len(out) >= self.in_flight or (
                        out and (ready.want_totals or out[-1].prepared.want_totals)):
                    return
                busy = {id(o.api) for o in out}
                api = next(a for a in apis if id(a) not in busy)
                out.append(_Out(ready, poster.submit(api.post_batch, enrolled.device_id, ready.body), api))
                ready = None

            try:
                while True:
                    if ready is not None and stopping():
                        self._release(ready)  # the requests out are still answered and applied
                        ready = None
                        report.outcome, report.message = STOPPED, "stopped"
                    send()
                    while ready is None and not exhausted and not stopping() and len(out) < self.in_flight:
                        # room for a request and no answer to apply with the claim: claim alone
                        ready = self._claim(Claim(claimed_to, pace.max_count, self.max_bytes, held), pace, report)
                        if ready is None:
                            exhausted = True
                        else:
                            claimed_to = ready.batch.last_seq
                            send()
                    if not out:
                        if stopping() and not exhausted:
                            report.outcome, report.message = STOPPED, "stopped"
                        return
                    try:
                        result = self._answer(out[0], report)
                    except TooLarge as exc:
                        refused = out.popleft().prepared
                        self._release(ready, refused)
                        ready = None
                        later = self._settle(out, pace, report)
                        if later is not None and not isinstance(later, TooLarge):
                            raise later from None
                        exhausted = False
                        if len(refused.batch) > 1:  # halve, and claim again from the refused batch's start
                            pace.max_count = max(1, len(refused.batch) // 2)
                            claimed_to = refused.after_seq
                            continue
                        if not exc.ours:  # one signature refused by something on the way: not its fault
                            raise Offline(str(exc)) from None
                        store.set_aside(self.engine, refused.batch.ids, "too_large")
                        report.attention += 1
                        claimed_to = refused.batch.last_seq
                        continue
                    applying = out.popleft().prepared
                    send()  # the freed place goes to the batch ready, before the device's own work
                    claim = None
                    if ready is None and not exhausted and not stopping():
                        claim = Claim(claimed_to, pace.max_count, self.max_bytes, held)
                    claimed = self._apply(applying, result, pace, report, claim)
                    applying = None
                    if claim is not None:
                        ready = claimed
                        if ready is None:
                            exhausted = True
                        else:
                            claimed_to = ready.batch.last_seq
            except BaseException:
                self._release(ready, applying)
                self._settle(out, pace, report)
                raise

    def _spare_clients(self, client: ApiClient) -> list[ApiClient]:
        """Clients for the second and further requests out at once, kept with the main client."""
        if self._spares_of is not client:
            for spare in self._spares:
                spare.close()
            self._spares, self._spares_of = [], client
        while len(self._spares) < self.in_flight - 1:
            self._spares.append(client.clone())
        for spare in self._spares:  # the API version this run's health check chose
            spare.api_version = client.api_version
            spare.session.headers.update({k: v for k, v in client.session.headers.items() if k == API_HEADER})
        return self._spares[: self.in_flight - 1]

    def _answer(self, sent: _Out, report: SyncReport) -> BatchResult:
        """Wait for a batch's answer; it counts only if it names exactly the ids sent."""
        t0 = time.perf_counter()
        try:
            result = sent.future.result()
        finally:
            report.timings["post"] += time.perf_counter() - t0
        check_answer(result, sent.prepared.batch.ids)
        return result

    def _settle(self, out: deque[_Out], pace: _Pace, report: SyncReport) -> BaseException | None:
        """After a failure: wait for every request still out, in order; apply each good answer and put
        every other batch back to ``pending``. Returns the first failure among them."""
        first: BaseException | None = None
        while out:
            sent = out.popleft()
            try:
                self._apply(sent.prepared, self._answer(sent, report), pace, report)
            except BaseException as exc:  # noqa: BLE001 - every batch must be settled; the caller raises
                self._release(sent.prepared)
                first = first or exc
        return first

    def _claim(self, claim: Claim, pace: _Pace, report: SyncReport) -> _Prepared | None:
        """Claim the next batch (committed ``sending``) and encode its request."""
        t0 = time.perf_counter()
        batch = store.claim_next(self.engine, claim)
        prepared = self._prepared(batch, claim.after_seq, pace)
        report.timings["claim"] += time.perf_counter() - t0
        return prepared

    def _prepared(self, batch: store.Batch | None, after_seq: int, pace: _Pace) -> _Prepared | None:
        if batch is None:
            return None
        want_totals = len(batch) < pace.max_count or time.monotonic() - pace.last_totals >= self.totals_every_s
        if want_totals:  # the batches claimed after it need not ask (its answer will bring them)
            pace.last_totals = time.monotonic()
        body = batch.body(datetime.now(UTC), uuid.uuid4().hex[:16], want_totals=want_totals)
        return _Prepared(batch, body, want_totals, after_seq)

    def _apply(self, sent: _Prepared, result: BatchResult, pace: _Pace, report: SyncReport,
               claim: Claim | None = None) -> _Prepared | None:
        """Commit a batch's outcomes; with ``claim``, claim the next batch in the same transaction."""
        t0 = time.perf_counter()
        applied, batch = store.apply_and_claim(self.engine, sent.batch, result.results, result.totals, claim=claim)
        prepared = self._prepared(batch, claim.after_seq, pace) if claim is not None else None
        report.timings["apply"] += time.perf_counter() - t0
        report.batches += 1
        report.created += applied.created
        report.duplicates += applied.duplicates
        report.sent += applied.created + applied.duplicates
        report.attention += applied.attention
        if self.progress is not None:
            self.progress(report)
        return prepared

    def _release(self, *batches: _Prepared | None) -> None:
        for prepared in batches:
            if prepared is not None:
                store.release_batch(self.engine, prepared.batch.ids)


@dataclass
class _Prepared:
    """A claimed batch and its request body, not yet applied."""

    batch: store.Batch
    body: bytes
    want_totals: bool
    after_seq: int  # the claim cursor it was claimed from: where to claim again if it is refused


@dataclass
class _Out:
    """A batch whose request is out."""

    prepared: _Prepared
    future: Future[BatchResult]
    api: ApiClient


@dataclass
class _Pace:
    max_count: int
    last_totals: float = -math.inf  # when a batch last asked for the server's totals (monotonic)


def check_answer(result: BatchResult, ids: list[str]) -> None:
    """The answer counts only if it has one result per id sent, in order, and nothing else."""
    results = result.results
    if len(results) != len(ids) or [r.id for r in results] != ids or [r.index for r in results] != list(range(len(ids))):
        raise Offline("the answer does not name exactly the signatures sent")


class Backoff:
    """Delays after failures: 1 s doubling up to 5 minutes, each drawn in [half, full] of its step so
    that devices that lost the network together do not come back together. ``reset`` on success and on
    "Sync now"."""

    def __init__(self, base_s: float = 1.0, cap_s: float = 300.0, rng: random.Random | None = None) -> None:
        self.base_s = base_s
        self.cap_s = cap_s
        self.rng = rng or random.Random()
        self.failures = 0

    def next_delay(self) -> float:
        step = min(self.cap_s, self.base_s * 2 ** min(self.failures, 30))
        self.failures += 1
        return float(step / 2 + self.rng.uniform(0, step / 2))

    def reset(self) -> None:
        self.failures = 0


class AutoSync:
    """Runs sync whenever there may be something to do: after each run it waits ``probe_interval_s``
    (all sent, or nothing to send), a backoff delay (offline, server trouble) or the ``Retry-After`` a
    busy server answered (at most the backoff cap), and is woken early by
    :meth:`sync_now` (which also resets the backoff) or :meth:`stop`. After a 401/403 the run itself
    makes no request until the device is enrolled again (see :class:`Syncer`).

    ``wait(seconds) -> bool`` is injectable (a fake clock in tests); by default it waits on an event
    that sync_now/stop set."""

    def __init__(
        self, run_once: Callable[[threading.Event], SyncReport], *,
        probe_interval_s: float = 30.0, backoff: Backoff | None = None,
        wait: Callable[[float], bool] | None = None,
        on_report: Callable[[SyncReport, float], None] | None = None,
    ) -> None:
        self.run_once = run_once
        self.probe_interval_s = probe_interval_s
        self.backoff = backoff or Backoff()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._now_requested = False
        self._wait = wait or self._wake.wait
        self.on_report = on_report
        self.delays: list[float] = []

    def sync_now(self) -> None:
        self._now_requested = True
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def delay_after(self, report: SyncReport) -> float:
        if report.outcome == OFFLINE and report.retry_after is not None:
            # The server said when it will have room (jittered by it, so the herd does not return in
            # step): that, within the backoff cap. The backoff's count of failures is left as it is.
            return float(min(max(0.0, report.retry_after), self.backoff.cap_s))
        if report.outcome in (OFFLINE, REFUSED):
            return self.backoff.next_delay()
        if report.outcome == OK:
            self.backoff.reset()
        return self.probe_interval_s

    def run(self) -> None:
        while not self._stop.is_set():
            if self._now_requested:
                self._now_requested = False
                self.backoff.reset()
            try:
                report = self.run_once(self._stop)
            except Exception as exc:  # a database error must not kill the loop; it is retried
                log.warning("sync run failed: %s", type(exc).__name__)
                report = SyncReport(outcome=REFUSED, message=f"internal error: {type(exc).__name__}")
            delay = self.delay_after(report)
            self.delays.append(delay)
            if self.on_report is not None:
                self.on_report(report, delay)
            if self._stop.is_set():
                return
            self._wake.clear()
            if self._now_requested:
                continue
            self._wait(delay)
