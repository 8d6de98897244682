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
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
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


def _count(session: Session, limit: Limit, now: float) -> int:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(_table).values(key=limit.key, window_start=limit.window(now), hits=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=["key", "window_start"], set_={"hits": _table.c.hits + 1}
    ).returning(_table.c.hits)
    return int(session.execute(stmt).scalar_one())


def count_failure(engine: Engine, limits: Limits, *, now: float | None = None) -> None:
    """Count one failed attempt by this client (and overall, while the client is within its limit)."""
    now = time.time() if now is None else now
    with Session(engine) as session:  # write-first: the upsert comes first, so the busy timeout applies
        if _count(session, limits.client, now) <= limits.client.per_window:
            _count(session, limits.overall, now)
        # Old windows are useless; dropping them here keeps the table at a handful of rows.
        session.execute(delete(RateLimitWindow).where(col(RateLimitWindow.window_start) < int(now) - 3600))
        session.commit()
