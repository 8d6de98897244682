"""The coordinators' dashboard: counts only, never a field a signer typed.

Counts per campaign, device, day and event, the devices' last contact and clock offset, and bursts:
more than ``BURST_MORE_THAN`` signatures from one device within ``BURST_WINDOW_S`` seconds (by the
device's ``created_at``), faster than a person reads the letter and fills the form. At an unattended
kiosk that is a sign of fake entries. Paper back-entry (mode ``paper``) is left out: a volunteer typing
sheets or an imported file is fast by nature; so are signatures made on phones (mode ``phone``): a crowd
signs on many phones at once through one device, which limits each phone itself.

"Gathered" signatures are the stored ones that are not themselves void records; "counted" is the public
count (without the ones voided at a device or withdrawn on the receipt page, each person once in a
clear campaign: ``server.dedupe``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, cast, func
from sqlmodel import Session, col, select

from db.schemas import Mode, as_utc
from server import campaigns, confirmations, events, texts, voids, web_sign
from server.models import Campaign, CampaignVersion, Device, StoredSignature, Withdrawal, utcnow

BURST_MORE_THAN = 5
BURST_WINDOW_S = 60
# Modes fast by nature (see above): never part of a burst.
NOT_TIMED_MODES = (Mode.PAPER.value, Mode.PHONE.value, Mode.WEB.value)
CLOCK_WARNING_MS = 120_000  # as the coordinator's panel on the device: red beyond two minutes
MAX_DAYS = 60
MAX_EVENTS = 50
MAX_BURSTS = 50


@dataclass(frozen=True)
class CampaignRow:
    slug: str
    title: str
    goal: int
    closed: bool
    gathered: int
    voided: int
    withdrawn: int
    counted: int
    unknown_texts: int = 0  # gathered signatures naming a letter or consent text not published (server/texts.py)
    before_duplicates: bool = False  # a sealed campaign: a person who signed twice counts twice here
    on_web: int = 0  # of ``gathered``, signed on the server's own page (mode web); the rest at stands
    confirmation: confirmations.Counts | None = None  # when the campaign asks signers to confirm by email


@dataclass(frozen=True)
class DeviceRow:
    id: str
    name: str
    state: str  # waiting / enrolled / revoked / web (a campaign's web page, server/web_sign.py)
    app_version: str | None
    signatures: int
    last_signed_at: datetime | None
    last_seen_at: datetime | None
    clock_offset_s: float | None

    @property
    def clock_warning(self) -> bool:
        return self.clock_offset_s is not None and abs(self.clock_offset_s) * 1000 > CLOCK_WARNING_MS


@dataclass(frozen=True)
class DayRow:
    day: date
    per_campaign: dict[str, int]
    total: int


@dataclass(frozen=True)
class EventRow:
    event_id: str | None
    campaigns: list[str]
    devices: int
    signatures: int
    first: datetime
    last: datetime
    # The event as its devices named it (name, place, day; server.events): one, or one per naming when two
    # devices name one id differently; none while no device has sent it (it goes with a sync or a file).
    named: tuple[events.NamedEvent, ...] = ()


@dataclass(frozen=True)
class Burst:
    device_id: str
    device_name: str
    start: datetime
    end: datetime
    signatures: int

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


@dataclass
class Overview:
    generated_at: datetime
    campaigns: list[CampaignRow] = field(default_factory=list)
    devices: list[DeviceRow] = field(default_factory=list)
    days: list[DayRow] = field(default_factory=list)
    day_campaigns: list[str] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)
    bursts: list[Burst] = field(default_factory=list)
    bursts_more: bool = False
    partners: dict[str, int] = field(default_factory=dict)  # per partner slug: opt-ins (counts only, no names)

    @property
    def gathered(self) -> int:
        return sum(c.gathered for c in self.campaigns)

    @property
    def counted(self) -> int:
        return sum(c.counted for c in self.campaigns)

    @property
    def withdrawn(self) -> int:
        return sum(c.withdrawn for c in self.campaigns)

    @property
    def unknown_texts(self) -> int:
        return sum(c.unknown_texts for c in self.campaigns)

    def devices_in(self, state: str) -> int:
        return sum(1 for d in self.devices if d.state == state)


_not_void = col(StoredSignature.voids).is_(None)


def campaign_rows(*, session: Session) -> list[CampaignRow]:
    latest = {
        slug: (title, goal) for slug, title, goal in session.exec(
            select(CampaignVersion.slug, CampaignVersion.title, CampaignVersion.goal).order_by(col(CampaignVersion.version))
        )
    }
    closed = {slug: closed_at is not None for slug, closed_at in session.exec(select(Campaign.slug, Campaign.closed_at))}
    gathered = _per_campaign(session, _not_void)
    voided = _per_campaign(session, _not_void, voids.is_voided())
    withdrawn = _per_campaign(session, _not_void, col(StoredSignature.id).in_(select(Withdrawal.signature_id)))
    unknown_texts = texts.unknown_text_counts(session=session, where=_not_void)
    on_web = _per_campaign(session, _not_void, col(StoredSignature.mode) == Mode.WEB.value)
    asking = confirmations.asking_slugs(session=session)
    rows = []
    for slug in sorted(set(latest) | set(gathered)):
        title, goal = latest.get(slug, (slug, 0))
        counted = campaigns.public_count(slug, session=session)
        rows.append(CampaignRow(slug, title, goal, closed.get(slug, False), gathered.get(slug, 0), voided.get(slug, 0),
                                withdrawn.get(slug, 0), counted.count if counted else 0, unknown_texts.get(slug, 0),
                                counted.before_duplicates if counted else False, on_web.get(slug, 0),
                                confirmations.counts(slug, session=session) if slug in asking else None))
    return rows


def _per_campaign(session: Session, *where: Any) -> dict[str, int]:
    return {slug: int(n) for slug, n in session.exec(
        select(StoredSignature.campaign_slug, func.count()).where(*where).group_by(col(StoredSignature.campaign_slug))
    )}


def device_rows(*, session: Session) -> list[DeviceRow]:
    stats = {
        device_id: (int(n), last) for device_id, n, last in session.exec(
            select(StoredSignature.device_id, func.count(), func.max(StoredSignature.created_at))
            .where(_not_void).group_by(col(StoredSignature.device_id))
        )
    }
    rows = []
    for d in session.exec(select(Device).order_by(col(Device.name), col(Device.created_at))):
        state = "revoked" if d.revoked_at else ("enrolled" if d.enrolled_at else "waiting")
        if web_sign.is_web_device(d.id, d.name):
            state = "web"
        n, last = stats.get(d.id, (0, None))
        rows.append(DeviceRow(
            d.id, d.name, state, d.app_version, n, as_utc(last) if last else None,
            as_utc(d.last_seen_at) if d.last_seen_at else None,
            None if d.last_clock_offset_ms is None else d.last_clock_offset_ms / 1000,
        ))
    return rows


def _utc_day(session: Session) -> Any:
    """The UTC calendar day of a signature's ``created_at``, in the database's own dialect."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.timezone("UTC", StoredSignature.created_at), Date)
    return func.date(StoredSignature.created_at)  # SQLite keeps UTC wall-clock text


def day_rows(*, session: Session, limit: int = MAX_DAYS) -> tuple[list[DayRow], list[str]]:
    """Signatures gathered per UTC day (newest first, at most ``limit`` days) and campaign."""
    day = _utc_day(session).label("day")
    found = session.exec(
        select(day, StoredSignature.campaign_slug, func.count()).where(_not_void)
        .group_by(day, col(StoredSignature.campaign_slug))
    ).all()
    per_day: dict[date, dict[str, int]] = defaultdict(dict)
    for raw_day, slug, n in found:
        per_day[raw_day if isinstance(raw_day, date) else date.fromisoformat(str(raw_day))][slug] = int(n)
    slugs = sorted({slug for counts in per_day.values() for slug in counts})
    days = sorted(per_day, reverse=True)[:limit]
    return [DayRow(d, per_day[d], sum(per_day[d].values())) for d in days], slugs


def event_rows(*, session: Session, limit: int = MAX_EVENTS) -> list[EventRow]:
    """Signatures gathered per event, named as the devices that gathered them told the server."""
    found = session.exec(
        select(StoredSignature.event_id, StoredSignature.campaign_slug, StoredSignature.device_id,  # type: ignore[call-overload]
               func.count(), func.min(StoredSignature.created_at), func.max(StoredSignature.created_at))
        .where(_not_void)
        .group_by(col(StoredSignature.event_id), col(StoredSignature.campaign_slug), col(StoredSignature.device_id))
    ).all()
    merged: dict[str | None, dict[str, Any]] = {}
    for event_id, slug, device_id, n, first, last in found:
        e = merged.setdefault(event_id, {"campaigns": set(), "devices": set(), "n": 0, "first": None, "last": None})
        e["campaigns"].add(slug)
        e["devices"].add(device_id)
        e["n"] += int(n)
        e["first"] = min(filter(None, (e["first"], as_utc(first))))
        e["last"] = max(filter(None, (e["last"], as_utc(last))))
    newest = sorted(merged.items(), key=lambda item: item[1]["last"], reverse=True)[:limit]
    named = events.named_events({(device, event_id) for event_id, e in newest if event_id for device in e["devices"]},
                                session=session)

    def namings(event_id: str | None, devices: set[str]) -> tuple[events.NamedEvent, ...]:
        found = {named[device, event_id] for device in devices if event_id and (device, event_id) in named}
        return tuple(sorted(found, key=lambda n: (n.day, n.name.casefold(), (n.place or "").casefold())))

    return [EventRow(event_id, sorted(e["campaigns"]), len(e["devices"]), e["n"], e["first"], e["last"],
                     namings(event_id, e["devices"]))
            for event_id, e in newest]


def _seconds_between(session: Session, later: Any, earlier: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * 86400.0


def bursts(*, session: Session, more_than: int = BURST_MORE_THAN, window_s: int = BURST_WINDOW_S,
           limit: int = MAX_BURSTS) -> tuple[list[Burst], bool]:
    """Stretches where one device saved more than ``more_than`` signatures within ``window_s`` seconds,
    newest first (at most ``limit``; the flag says whether there were more).

    A signature whose ``more_than``-th predecessor on the same device is less than ``window_s`` seconds
    older closes a window of ``more_than + 1`` signatures: one window function finds them all, and
    overlapping windows are merged into one burst."""
    prev = func.lag(StoredSignature.created_at, more_than, type_=DateTime(timezone=True)).over(
        partition_by=col(StoredSignature.device_id), order_by=(col(StoredSignature.created_at), col(StoredSignature.id))
    )
    ordered = (
        select(StoredSignature.device_id, StoredSignature.created_at, prev.label("prev"))
        .where(_not_void, col(StoredSignature.mode).not_in(NOT_TIMED_MODES))
        .subquery()
    )
    gap = _seconds_between(session, ordered.c.created_at, ordered.c.prev)
    flagged = session.execute(
        select(ordered.c.device_id, ordered.c.prev, ordered.c.created_at)
        .where(ordered.c.prev.is_not(None), gap < window_s)
        .order_by(ordered.c.device_id, ordered.c.created_at)
    ).all()
    spans: list[list[Any]] = []  # [device_id, start, end]
    for device_id, start, end in flagged:
        start, end = as_utc(start), as_utc(end)
        if spans and spans[-1][0] == device_id and start <= spans[-1][2]:
            spans[-1][2] = max(spans[-1][2], end)
        else:
            spans.append([device_id, start, end])
    spans.sort(key=lambda s: s[2], reverse=True)
    more = len(spans) > limit
    names = dict(session.exec(select(Device.id, Device.name)).all())
    out = []
    for device_id, start, end in spans[:limit]:
        n = session.exec(
            select(func.count()).where(
                StoredSignature.device_id == device_id, _not_void, col(StoredSignature.mode).not_in(NOT_TIMED_MODES),
                col(StoredSignature.created_at) >= start, col(StoredSignature.created_at) <= end,
            )
        ).one()
        out.append(Burst(device_id, names.get(device_id, device_id[:8]), start, end, int(n)))
    return out, more


def overview(*, session: Session, now: datetime | None = None) -> Overview:
    result = Overview(generated_at=now or utcnow())
    result.campaigns = campaign_rows(session=session)
    result.devices = device_rows(session=session)
    result.days, result.day_campaigns = day_rows(session=session)
    result.events = event_rows(session=session)
    result.bursts, result.bursts_more = bursts(session=session)
    from server.partners import partner_counts  # the partners' module reads bundles: only for this page

    result.partners = partner_counts(session=session)
    return result


def ago(moment: datetime | None, now: datetime) -> str:
    """'3 min ago', '5 h ago', '2 days ago' (or 'in …' for a time ahead of the server's clock)."""
    if moment is None:
        return ""
    seconds = (now - as_utc(moment)).total_seconds()
    suffix = "ago" if seconds >= 0 else "ahead"
    seconds = abs(seconds)
    if seconds < 90:
        text = f"{int(seconds)} s"
    elif seconds < 90 * 60:
        text = f"{round(seconds / 60)} min"
    elif seconds < 36 * 3600:
        text = f"{round(seconds / 3600)} h"
    else:
        text = f"{round(seconds / 86400)} days"
    return f"{text} {suffix}"

