"""Events: where and when signatures were gathered (a stall, a vigil). Qt-free.

The active event is ``settings.active_event_id``; the window stamps it on every new signature."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

from sqlmodel import Session, col, select

from db import audit
from db import settings as settings_store
from db.models import Event, SignatureEventCount


def list_events(*, session: Session) -> list[Event]:
    return list(session.exec(select(Event).order_by(col(Event.date).desc(), col(Event.name))))


def _clean(name: str, place: str | None) -> tuple[str, str | None]:
    name = " ".join(name.split())
    place = " ".join((place or "").split()) or None
    if not name:
        raise ValueError("an event needs a name")
    if len(name) > 120 or (place and len(place) > 120):
        raise ValueError("name and place have at most 120 characters")
    return name, place


def create_event(name: str, place: str | None, day: date, *, session: Session, activate: bool = True) -> Event:
    """Create an event (and make it the active one); the caller commits."""
    name, place = _clean(name, place)
    event = Event(id=str(uuid.uuid4()), name=name, place=place, date=day)
    session.add(event)
    session.flush()
    audit.record("event_created", session=session, event_id=event.id)
    if activate:
        set_active(event.id, session=session)
    return event


def update_event(event_id: str, name: str, place: str | None, day: date, *, session: Session) -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise KeyError(event_id)
    event.name, event.place = _clean(name, place)
    event.date = day
    session.add(event)
    audit.record("event_changed", session=session, event_id=event.id)
    return event


def set_active(event_id: str | None, *, session: Session) -> None:
    if event_id is not None and session.get(Event, event_id) is None:
        raise KeyError(event_id)
    settings_store.update(session=session, active_event_id=event_id)
    audit.record("event_chosen", session=session, event_id=event_id)


def active_event(*, session: Session) -> Event | None:
    event_id = settings_store.stored(session=session).active_event_id
    return session.get(Event, event_id) if event_id else None


def named_by_signatures(*, session: Session) -> list[Event]:
    """The events this device's signatures name, oldest first: what the sync tells the server (name,
    place and day are public facts about a stand; the delivery's cover names them)."""
    # Read from the per-event counts the insert trigger keeps (migration 0005, filled from the table
    # then): a row for every event a signature ever named, since signatures are never deleted and
    # their event never changes. The same set as a DISTINCT over the signatures, without reading the
    # whole table on every sync run: 0.7-1.0 ms against 20-23 ms on a device holding 100,000 (a scratch
    # timing). tests/sync/test_device_events.py compares the two.
    named = select(SignatureEventCount.event_id).distinct()
    return list(session.exec(select(Event).where(col(Event.id).in_(named)).order_by(col(Event.date), col(Event.id))))


def by_ids(event_ids: Iterable[str], *, session: Session) -> list[Event]:
    """The events of these ids this device holds, oldest first (a hand-off file carries the events its
    signatures name)."""
    wanted = sorted(set(event_ids))
    if not wanted:
        return []
    return list(session.exec(select(Event).where(col(Event.id).in_(wanted)).order_by(col(Event.date), col(Event.id))))
