"""Fixed-window rate limits kept in the database, so every worker and host sees the same counts.

One upsert per key and attempt (``INSERT ... ON CONFLICT DO UPDATE SET hits = hits + 1 RETURNING hits``),
atomic on SQLite and PostgreSQL alike. Used only on enrollment, where attempts are rare, so the cost
of a write per attempt does not matter.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from server.models import RateLimitWindow

_table = RateLimitWindow.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Limit:
    key: str
    per_window: int
    window_s: int = 60


def hit(engine: Engine, limits: list[Limit], *, now: float | None = None) -> int | None:
    """Count one attempt against every limit; the seconds to wait if any is exceeded, else None."""
    now = time.time() if now is None else now
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    retry_after: int | None = None
    with Session(engine) as session:  # write-first: the upsert comes first, so the busy timeout applies
        for limit in limits:
            start = int(now // limit.window_s * limit.window_s)
            stmt = dialect.insert(_table).values(key=limit.key, window_start=start, hits=1)
            stmt = stmt.on_conflict_do_update(
                index_elements=["key", "window_start"], set_={"hits": _table.c.hits + 1}
            ).returning(_table.c.hits)
            hits = int(session.execute(stmt).scalar_one())
            if hits > limit.per_window:
                wait = max(1, int(start + limit.window_s - now))
                retry_after = max(retry_after or 0, wait)
        # Old windows are useless; dropping them here keeps the table at a handful of rows.
        session.execute(delete(RateLimitWindow).where(col(RateLimitWindow.window_start) < int(now) - 3600))
        session.commit()
    return retry_after
