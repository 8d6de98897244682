"""What the coordinator's panel shows and does, as plain queries (Qt-free).

Every figure here must stay cheap with 200,000 signatures on the device (bench/bench_panel_open.py):
per-hour and per-event figures come from tables kept by triggers (``signature_hour`` by campaign and UTC
hour, ``signature_event_count``; migration 0005), shifted to local time in Python, and states are
counted from the ``sync_state`` index. (Grouping 200,000 rows by hour in SQL took 250 ms.)
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from db import audit
from db import events as events_store
from db import settings as settings_store
from db.engine import write_session
from db.fields import PERSONAL_FIELDS
from db.models import SyncState

# Why a signature needs attention, as the sync stored it ("rejected: invalid_email (email)"), reduced to
# the key the panel translates into plain words (desktop/panel/words.py).
SET_ASIDE_REASONS = ("duplicate", "test", "withdrawn", "unfixable", "other")


@dataclass
class Overview:
    states: dict[str, int]
    today: dict[str, int]  # campaign slug -> signatures created today (local day), voids subtracted
    event: dict[str, int]  # campaign slug -> signatures recorded for the active event
    hours: dict[str, list[int]]  # campaign slug -> 24 counts, local hours of today
    server_totals: dict[str, tuple[int, datetime]] = field(default_factory=dict)
    last_run: dict[str, Any] | None = None


@dataclass(frozen=True)
class EventInfo:
    """The active event, as plain values (an ORM object never leaves the thread that read it)."""
    id: str
    name: str
    place: str | None
    date: date


@dataclass
class OverviewSnapshot:
    """Everything the panel's overview shows, read in one go off the GUI thread (load_overview)."""
    overview: Overview
    event: EventInfo | None
    clock_offset_s: float | None  # as the server saw it at the last upload; None before the first
    warnings: tuple[str, ...] = ()  # what the coordinator should change, as keys (db/pin.pin_warnings)


def load_overview(*, engine: Any, data_dir: Path, day: date | None = None, tz: Any = None) -> OverviewSnapshot:
    """The overview's figures in one read transaction (one consistent snapshot, even while a sync
    writes), plus the server's last view of this device's clock. Opens its own short session, so it
    can run on any thread; it returns plain values only."""
    from db import events as event_store
    from db import pin
    from db.sync import history

    with Session(engine) as session:
        active = event_store.active_event(session=session)
        event = EventInfo(active.id, active.name, active.place, active.date) if active is not None else None
        data = overview(session=session, event_id=event.id if event else None, day=day, tz=tz)
    view = history.load_server_view(data_dir)
    return OverviewSnapshot(data, event, view.clock_offset_s if view is not None else None, pin.pin_warnings(data_dir))


def local_day_bounds(day: date, *, tz: Any = None) -> tuple[datetime, datetime]:
    """The local day ``day`` as a UTC interval [start, end)."""
    tz = tz or datetime.now().astimezone().tzinfo
    start = datetime.combine(day, time(0), tzinfo=tz)
    return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)


def _stamp(moment: datetime) -> str:
    """The text SQLAlchemy stores for a UTC datetime in SQLite: comparable as text with stored values."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def counts_by_state(*, session: Session) -> dict[str, int]:
    out = {state.value: 0 for state in SyncState}
    for state, n in session.execute(text("SELECT sync_state, count(*) FROM signature GROUP BY sync_state")):
        out[str(state)] = int(n)
    return out


def overview(*, session: Session, event_id: str | None, day: date | None = None, tz: Any = None) -> Overview:
    tz = tz or datetime.now().astimezone().tzinfo
    day = day or datetime.now(tz).date()
    start, end = local_day_bounds(day, tz=tz)
    today: dict[str, int] = defaultdict(int)
    hours: dict[str, list[int]] = defaultdict(lambda: [0] * 24)
    # Hours come from signature_hour (kept by a trigger): UTC hour buckets overlapping the local day.
    rows = session.execute(text(
        "SELECT campaign_slug, hour, total FROM signature_hour WHERE hour >= :start AND hour < :end"
    ), {"start": _stamp(start)[:13], "end": _stamp(end)[:13]})
    for slug, hour, n in rows:
        utc_hour = datetime.strptime(hour, "%Y-%m-%d %H").replace(tzinfo=UTC)
        local = utc_hour.astimezone(tz)
        if local.date() == day:
            hours[slug][local.hour] += int(n)
            today[slug] += int(n)
    event: dict[str, int] = {}
    if event_id:
        event = {str(slug): int(n) for slug, n in session.execute(text(
            "SELECT campaign_slug, total FROM signature_event_count WHERE event_id = :event"), {"event": event_id})}
    server = {
        str(slug): (int(total), _parse(at))
        for slug, total, at in session.execute(text("SELECT campaign_slug, total, reported_at FROM server_count"))
    }
    last = session.execute(text(
        "SELECT finished_at, outcome, sent, duplicates, attention, pending, message FROM sync_run "
        "ORDER BY id DESC LIMIT 1")).first()
    last_run = None
    if last is not None:
        last_run = {"finished_at": _parse(last[0]), "outcome": last[1], "sent": last[2], "duplicates": last[3],
                    "attention": last[4], "pending": last[5], "message": last[6]}
    return Overview(states=counts_by_state(session=session), today=dict(today), event=event,
                    hours=dict(hours), server_totals=server, last_run=last_run)


def _parse(stored: Any) -> datetime:
    value = stored if isinstance(stored, datetime) else datetime.fromisoformat(str(stored))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# -- needs attention ------------------------------------------------------------------------------

@dataclass(frozen=True)
class AttentionRow:
    id: str
    seq: int
    campaign_slug: str
    created_at: datetime
    state: str  # needs_attention or set_aside
    reason: str  # the sync's reason text, e.g. "rejected: invalid_email (email)"
    name: str  # given and family name, for finding the paper sheet or the person; "" when none


def attention_rows(*, session: Session, include_set_aside: bool = True, limit: int = 5000) -> list[AttentionRow]:
    states = ("needs_attention", "set_aside") if include_set_aside else ("needs_attention",)
    rows = session.execute(text(
        "SELECT id, seq, campaign_slug, created_at, sync_state, coalesce(sync_reason, ''), "
        "trim(coalesce(given_name, '') || ' ' || coalesce(family_name, '')) FROM signature "
        f"WHERE sync_state IN ({', '.join(repr(s) for s in states)}) ORDER BY seq LIMIT :limit"
    ), {"limit": limit})
    return [AttentionRow(str(r[0]), int(r[1]), str(r[2]), _parse(r[3]), str(r[4]), str(r[5]), str(r[6]))
            for r in rows]


def reason_key(reason: str) -> str:
    """"rejected: invalid_email (email)" -> "invalid_email"; "conflict" -> "conflict"; "too_large"."""
    head, _, rest = reason.partition(":")
    key = rest.strip().split(" ")[0] if rest.strip() else head.strip()
    return key or "unknown"


def reason_field(reason: str) -> str | None:
    if reason.endswith(")") and "(" in reason:
        return reason[reason.rindex("(") + 1:-1]
    return None


def retry(ids: list[str], *, session: Session) -> int:
    """Back to pending: the next sync sends them again. Only rows needing attention or set aside move.
    The caller commits."""
    if not ids:
        return 0
    moving = _in_states(ids, ("needs_attention", "set_aside"), session=session)
    if moving:
        marks = ", ".join(f":i{n}" for n in range(len(moving)))
        session.execute(text(
            f"UPDATE signature SET sync_state = 'pending', sync_reason = NULL "
            f"WHERE sync_state IN ('needs_attention', 'set_aside') AND id IN ({marks})"
        ), {f"i{n}": v for n, v in enumerate(moving)})
        audit.record("retry", session=session, count=len(moving), ids=moving[:200])
    return len(moving)


def _in_states(ids: list[str], states: tuple[str, ...], *, session: Session) -> list[str]:
    found: list[str] = []
    for at in range(0, len(ids), 500):
        part = ids[at:at + 500]
        marks = ", ".join(f":i{n}" for n in range(len(part)))
        found += [str(r[0]) for r in session.execute(text(
            f"SELECT id FROM signature WHERE sync_state IN ({', '.join(repr(s) for s in states)}) "
            f"AND id IN ({marks}) ORDER BY seq"), {f"i{n}": v for n, v in enumerate(part)})]
    return found


def set_aside(ids: list[str], reason: str, note: str = "", *, session: Session) -> int:
    """Put signatures needing attention aside: never sent, never deleted, kept with the reason in the audit
    log. ``reason`` is one of SET_ASIDE_REASONS; the coordinator's note is kept short. The caller commits."""
    if reason not in SET_ASIDE_REASONS:
        raise ValueError(f"unknown reason {reason!r}")
    if not ids:
        return 0
    moving = _in_states(ids, ("needs_attention",), session=session)
    if moving:
        marks = ", ".join(f":i{n}" for n in range(len(moving)))
        session.execute(text(
            f"UPDATE signature SET sync_state = 'set_aside', sync_reason = 'set_aside: ' || :reason "
            f"WHERE sync_state = 'needs_attention' AND id IN ({marks})"
        ), {"reason": reason, **{f"i{n}": v for n, v in enumerate(moving)}})
        audit.record("set_aside", session=session, count=len(moving), reason=reason, note=note.strip()[:200],
                     ids=moving[:200])
    return len(moving)


def has_personal_data(row: dict[str, Any]) -> bool:
    return any(row.get(name) for name in PERSONAL_FIELDS)


# -- installed campaign versions ------------------------------------------------------------------

@dataclass(frozen=True)
class InstalledVersion:
    slug: str
    version: int
    title: str  # as installed (the bundle's default language)
    source: str  # builtin, server or import
    installed_at: datetime
    locales: tuple[str, ...]  # the bundle's languages, in its own order
    unreviewed: tuple[str, ...]  # translations no native speaker has checked yet
    differs_from_server: bool = False  # the server publishes other texts under this number (db/sync/bundles.py)


def installed_versions(*, session: Session) -> list[InstalledVersion]:
    """Every installed campaign version, by campaign, newest version first."""
    from db.campaigns import differs_from_server

    differing = differs_from_server(session=session)
    rows = session.execute(text(
        "SELECT slug, version, title, source, installed_at, locale_hashes FROM campaign_version "
        "ORDER BY slug, version DESC"))
    out = []
    for slug, version, title, source, at, hashes in rows:
        locales = json.loads(hashes) if isinstance(hashes, str) else dict(hashes or {})
        out.append(InstalledVersion(
            str(slug), int(version), str(title), str(source), _parse(at), tuple(locales),
            tuple(loc for loc, h in locales.items() if isinstance(h, dict) and h.get("reviewed") is False),
            (str(slug), int(version)) in differing))
    return out


# -- the audit log viewer -------------------------------------------------------------------------

@dataclass(frozen=True)
class LogEntry:
    id: str
    at: datetime
    kind: str
    detail: dict[str, Any]


def log_entries(*, session: Session, limit: int = 300) -> list[LogEntry]:
    """The audit log and the sync history in one list, newest first: a sync run is an entry of its own
    (the automatic sync runs every few minutes, so its runs live in sync_run, not in the audit log)."""
    out = [LogEntry(f"a{e.id}", _parse(e.at), e.kind, dict(e.detail)) for e in audit.recent(session=session, limit=limit)]
    for run_id, finished, outcome, sent, duplicates, attention, pending in session.execute(text(
            "SELECT id, finished_at, outcome, sent, duplicates, attention, pending FROM sync_run "
            "ORDER BY id DESC LIMIT :limit"), {"limit": limit}):
        out.append(LogEntry(f"s{run_id}", _parse(finished), "sync", {
            "outcome": outcome, "sent": sent, "duplicates": duplicates, "attention": attention, "pending": pending}))
    out.sort(key=lambda e: e.at, reverse=True)
    return out[:limit]


@dataclass(frozen=True)
class CampaignNotice:
    """A campaign version the pull refused or quarantined (db/sync/bundles.py), for the panel's words."""
    slug: str
    version: int | None
    quarantined: bool  # False: a listed version refused, never installed
    reason: str  # db.sync.bundles' reason key


def campaign_notices(*, session: Session) -> list[CampaignNotice]:
    """Refused versions not installed since, then quarantined versions; each once."""
    from db.sync.bundles import QUARANTINED, REFUSED

    have = {(str(s), int(v)) for s, v in session.execute(text("SELECT slug, version FROM campaign_version"))}
    out: list[CampaignNotice] = []
    seen: set[tuple[str, int | None, bool]] = set()
    for kind, quarantined in ((REFUSED, False), (QUARANTINED, True)):
        for entry in reversed(audit.recent(session=session, limit=200, kind=kind)):
            slug, version = str(entry.detail.get("slug")), entry.detail.get("version")
            version = version if isinstance(version, int) else None
            if (slug, version, quarantined) in seen or (not quarantined and (slug, version) in have):
                continue
            seen.add((slug, version, quarantined))
            out.append(CampaignNotice(slug, version, quarantined, str(entry.detail.get("reason"))))
    return out


# -- what the coordinator's panel saves: each one transaction, its audit entry inside it ---------------


def retry_signatures(ids: list[str], *, engine: Any) -> int:
    """``retry`` in a transaction of its own: how many move back to pending."""
    with write_session(engine) as session:
        moved = retry(ids, session=session)
        session.commit()
    return moved


def set_aside_signatures(ids: list[str], reason: str, note: str = "", *, engine: Any) -> int:
    """``set_aside`` in a transaction of its own: how many were set aside."""
    with write_session(engine) as session:
        moved = set_aside(ids, reason, note, session=session)
        session.commit()
    return moved


def create_event(name: str, place: str | None, day: date, *, engine: Any) -> None:
    """A new event, made the active one. ValueError when it has no name."""
    with write_session(engine) as session:
        events_store.create_event(name, place, day, session=session)
        session.commit()


def update_event(event_id: str, name: str, place: str | None, day: date, *, engine: Any) -> None:
    """ValueError when the event would have no name."""
    with write_session(engine) as session:
        events_store.update_event(event_id, name, place, day, session=session)
        session.commit()


def set_active_event(event_id: str | None, *, engine: Any) -> None:
    """The event new signatures record (None: no event)."""
    with write_session(engine) as session:
        events_store.set_active(event_id, session=session)
        session.commit()


def save_settings(*, engine: Any, **changes: Any) -> None:
    """Stored settings changed by the coordinator, and an audit entry naming the changes (settings hold
    no personal data). A secret (the Wi-Fi password, the access token) is named in the entry, never shown."""
    with write_session(engine) as session:
        settings_store.update(session=session, **changes)
        shown = {name: ("(set)" if value else "(cleared)") if name in settings_store.SECRET_SETTINGS else value
                 for name, value in changes.items()}
        audit.record("settings_changed", session=session, **shown)
        session.commit()


def record(kind: str, *, engine: Any, **detail: Any) -> None:
    """An audit entry in a transaction of its own (the panel opened, a wrong PIN, diagnostics copied);
    ``detail`` never holds personal data."""
    with write_session(engine) as session:
        audit.record(kind, session=session, **detail)
        session.commit()
