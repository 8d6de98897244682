"""Devices' events (API version 2): where and when signatures were gathered, as the device that
gathered them named them. Each device owns its events (keyed by device and event id, as signatures
are), so a device can neither change nor hide another's. Events are public facts about a stand, not
personal data; the delivery's cover names them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from db.wire import DeviceEvent, DeviceEventsResult
from server.models import DeviceEventRow, utcnow

_table = DeviceEventRow.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class NamedEvent:
    name: str
    place: str | None
    day: date


def store_events(device_id: str, events: Iterable[DeviceEvent], *, session: Session) -> DeviceEventsResult:
    """Insert or update ``device_id``'s events; the same list again changes nothing. The caller commits."""
    wanted = {e.id: e for e in events}  # the last of an id sent twice in one list wins
    held = {row.event_id: row for row in session.exec(
        select(DeviceEventRow).where(col(DeviceEventRow.device_id) == device_id,
                                     col(DeviceEventRow.event_id).in_(list(wanted))))}
    result = DeviceEventsResult(created=0, updated=0, unchanged=0)
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    for event_id, e in sorted(wanted.items()):
        name, place = " ".join(e.name.split()), " ".join((e.place or "").split()) or None
        row = held.get(event_id)
        if row is not None and (row.name, row.place, row.day) == (name, place, e.day):
            result.unchanged += 1
            continue
        if row is None:
            result.created += 1
        else:
            result.updated += 1
        values = {"name": name, "place": place, "day": e.day, "received_at": utcnow()}
        # An upsert: two requests of one device racing store the event once, the later content kept.
        session.execute(dialect.insert(_table).values(device_id=device_id, event_id=event_id, **values)
                        .on_conflict_do_update(index_elements=["device_id", "event_id"], set_=values))
    return result


def named_events(keys: Iterable[tuple[str, str]], *, session: Session) -> dict[tuple[str, str], NamedEvent]:
    """(device id, event id) -> the event as its device named it, for the keys the server knows."""
    wanted = set(keys)
    devices = sorted({device for device, _ in wanted})
    out: dict[tuple[str, str], NamedEvent] = {}
    if not devices:
        return out
    for row in session.exec(select(DeviceEventRow).where(col(DeviceEventRow.device_id).in_(devices))):
        if (row.device_id, row.event_id) in wanted:
            out[row.device_id, row.event_id] = NamedEvent(row.name, row.place, row.day)
    return out
