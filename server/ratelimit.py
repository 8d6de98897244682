"""Failure limits kept in the database, so every worker and host sees the same counts: fixed windows
(one clock minute by default) of failed attempts (a wrong enrollment code, admin token or receipt
secret), per client address and overall.

Only failures count, and a client is refused only for failures of its own: a valid code, token or
secret is never refused because someone else guessed wrong.

* ``wait_before`` is asked before an attempt is checked: a client that reached its own limit waits
  for the next window.
* ``count_failure`` is called after an attempt failed: one more against the client, and one more
  against the overall count only while the client is within its own limit, so one noisy address
  cannot fill the overall count for everyone.
* The overall limit is for guesses spread over many addresses: while it is exceeded, a client that
  has itself failed in this window waits (one wrong guess per address and window instead of the
  per-client allowance); a client that has not failed is still let through.

Requests running at the same moment may each be checked before the others' failures are counted;
the limits bound guessing to about the per-client allowance plus the requests one client has in
flight, which is all they are for (codes, tokens and secrets are long random strings).

Counts are kept with one upsert per key (``INSERT ... ON CONFLICT DO UPDATE SET hits = hits + 1``),
atomic on SQLite and PostgreSQL alike; a check is a read only.

``take`` is the two in one, for attempts that count whether they succeed or not (a signature sent
from the web page): the attempt is counted and the wait read back in the same transaction, one trip
to the database instead of three. Old windows are dropped at most once a minute per process (the
delete reads the whole table, which holds a row per address and window).

``TokenBuckets`` is the in-memory kind, per process, for requests too cheap to count in the database
(the web page's GETs).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, select, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col

from server.models import RateLimitWindow

_table = RateLimitWindow.__table__  # type: ignore[attr-defined]
KEY_LENGTH = 80


@dataclass(frozen=True)
class Limit:
    key: str
    per_window: int
    window_s: int = 60

    def window(self, now: float) -> int:
        return int(now // self.window_s * self.window_s)


@dataclass(frozen=True)
class Limits:
    """The failure limits of one kind of attempt (``name``) for one client address."""

    client: Limit
    overall: Limit

    @classmethod
    def of(cls, name: str, client_address: str, per_client: int, overall: int) -> Limits:
        return cls(Limit(f"{name}:ip:{client_address}"[:KEY_LENGTH], per_client), Limit(f"{name}:all", overall))


def _failures(session: Session, limit: Limit, now: float) -> int:
    found = session.execute(
        select(_table.c.hits).where(_table.c.key == limit.key, _table.c.window_start == limit.window(now))
    ).scalar_one_or_none()
    return int(found or 0)


def _wait(limit: Limit, now: float) -> int:
    return max(1, int(limit.window(now) + limit.window_s - now))


def wait_before(engine: Engine, limits: Limits, *, now: float | None = None) -> int | None:
    """Seconds this client must wait before its attempt is checked, or None: it may try."""
    now = time.time() if now is None else now
    with Session(engine) as session:
        own = _failures(session, limits.client, now)
        if own >= limits.client.per_window:
            return _wait(limits.client, now)
        if own and _failures(session, limits.overall, now) >= limits.overall.per_window:
            return _wait(limits.overall, now)
    return None


# The same text on SQLite (3.35 and later) and PostgreSQL. Built from SQLAlchemy's dialect insert with
# ON CONFLICT DO UPDATE, the statement was compiled anew on every count (SQLAlchemy does not cache it),
# most of ``take``'s CPU time in a profile of the web page's POST; a text statement is compiled once.
_UPSERT = text(
    f"INSERT INTO {_table.name} (key, window_start, hits) VALUES (:key, :window_start, 1) "
    f"ON CONFLICT (key, window_start) DO UPDATE SET hits = {_table.name}.hits + 1 RETURNING hits"
)


def _count(session: Session | Connection, limit: Limit, now: float) -> int:
    return int(session.execute(_UPSERT, {"key": limit.key, "window_start": limit.window(now)}).scalar_one())


KEEP_S = 3600
_last_purge = [0.0]


def _purge(session: Session | Connection, now: float) -> None:
    """Old windows are useless; dropping them keeps the table small. Once a minute per process."""
    before = purge_due(now)
    if before is not None:
        session.execute(delete(RateLimitWindow).where(col(RateLimitWindow.window_start) < before))


def count_failure(engine: Engine, limits: Limits, *, now: float | None = None) -> None:
    """Count one failed attempt by this client (and overall, while the client is within its limit)."""
    now = time.time() if now is None else now
    with Session(engine) as session:  # write-first: the upsert comes first, so the busy timeout applies
        if _count(session, limits.client, now) <= limits.client.per_window:
            _count(session, limits.overall, now)
        _purge(session, now)
        session.commit()


def take(engine: Engine, limits: Limits, *, now: float | None = None) -> int | None:
    """Count one attempt by this client and say whether it may go ahead: None, or the seconds to wait.

    The same rules as ``wait_before`` then ``count_failure``: the client waits once its own attempts in
    this window exceed its limit, or, while the overall count is past its limit, once it has made an
    attempt before in this window (a client new in this window always goes ahead). An attempt past the
    client's own limit counts against the client only, so one address cannot fill the overall count."""
    with Session(engine) as session:  # write-first: the upsert comes first (SQLite), so the busy timeout applies
        wait = take_in(session, limits, now=now)
        session.commit()
    return wait


def take_in(session: Session | Connection, limits: Limits, *, now: float | None = None) -> int | None:
    """``take`` in the caller's transaction (which commits it): the web page's POST reads the campaign's
    state and counts the attempt in one transaction (``server.web_sign.admit``, on a Core connection).
    On PostgreSQL that transaction's commit then does not wait for the disk; it must write nothing else
    that must."""
    now = time.time() if now is None else now
    dialect = session.dialect if isinstance(session, Connection) else session.get_bind().dialect
    if dialect.name == "postgresql":
        # Counters need not outlive a crash: the commit does not wait for the disk, so the overall
        # row (which every attempt updates) is locked for the statement, not for a disk write.
        session.execute(_ASYNC_COMMIT)
    own = _count(session, limits.client, now)
    overall = _count(session, limits.overall, now) if own <= limits.client.per_window else None
    _purge(session, now)
    return verdict(limits, own, overall, now)


def verdict(limits: Limits, own: int, overall: int | None, now: float) -> int | None:
    """``take``'s answer for an attempt counted as its client's ``own``-th in this window and the
    ``overall``-th overall (None: not counted overall, the client being past its own limit)."""
    if own > limits.client.per_window:
        return _wait(limits.client, now)
    if overall is not None and overall > limits.overall.per_window and own > 1:
        return _wait(limits.overall, now)
    return None


# ``take_in``'s two counts as common table expressions of one PostgreSQL statement (psycopg's
# parameters), for a caller that does more in that statement (server/web_sign.py): ``own`` counts the
# attempt against the client when the caller's CTE ``go`` has a row, ``overall`` counts it overall
# while the client is within its limit. Each returns ``hits``; pass ``verdict`` what they return.
TAKE_CTES_POSTGRESQL = f"""
own AS (
    INSERT INTO {_table.name} (key, window_start, hits) SELECT %(own_key)s, %(own_window)s, 1 FROM go
    ON CONFLICT (key, window_start) DO UPDATE SET hits = {_table.name}.hits + 1 RETURNING hits
), overall AS (
    INSERT INTO {_table.name} (key, window_start, hits)
    SELECT %(overall_key)s, %(overall_window)s, 1 FROM own WHERE own.hits <= %(own_limit)s
    ON CONFLICT (key, window_start) DO UPDATE SET hits = {_table.name}.hits + 1 RETURNING hits
)"""


def take_parameters(limits: Limits, now: float) -> dict[str, object]:
    """The parameters of TAKE_CTES_POSTGRESQL."""
    return {"own_key": limits.client.key, "own_window": limits.client.window(now), "own_limit": limits.client.per_window,
            "overall_key": limits.overall.key, "overall_window": limits.overall.window(now)}


def purge_due(now: float) -> int | None:
    """For a caller that counts on the driver itself: the window start below which windows are to be
    dropped now (once a minute per process, as ``take`` does), or None."""
    if now - _last_purge[0] < 60:
        return None
    _last_purge[0] = now
    return int(now) - KEEP_S


PURGE_POSTGRESQL = f"DELETE FROM {_table.name} WHERE window_start < %(before)s"


_ASYNC_COMMIT = text("SET LOCAL synchronous_commit = off")


class TokenBuckets:
    """Token buckets per client address, kept in this process's memory: for requests too cheap and too
    many to count in the database (a page opened). Each address may make ``burst`` requests at once and
    ``per_minute`` a minute after that; one address's bucket never touches another's, so nobody is
    locked out by someone else. Per process: with N workers an address gets up to N times the allowance.

    Bounded: past ``max_clients`` addresses, the buckets that have refilled are dropped, and if that is
    not enough all of them are (which lets everyone through for a moment rather than refusing anyone).
    """

    def __init__(self, per_minute: int, burst: int, *, max_clients: int = 50_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_clients = max_clients
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}  # address -> (tokens, at)

    def take(self, client: str) -> int | None:
        """None: ``client`` may go ahead (a token taken); else the whole seconds until it may."""
        now = self._clock()
        with self._lock:
            tokens, at = self._buckets.get(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - at) * self.rate)
            if tokens < 1.0:
                self._buckets[client] = (tokens, now)
                return max(1, math.ceil((1.0 - tokens) / self.rate))
            if client not in self._buckets and len(self._buckets) >= self.max_clients:
                self._drop_full(now)
            self._buckets[client] = (tokens - 1.0, now)
            return None

    def _drop_full(self, now: float) -> None:
        refill_s = self.burst / self.rate
        self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < refill_s}
        if len(self._buckets) >= self.max_clients:
            self._buckets.clear()
