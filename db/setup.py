"""First-run set-up of a device: what the set-up screens ask, checked and stored. Qt-free.

A device is set up once it has a coordinator PIN (``db.pin``): the PIN guards the panel, exports,
purges and the way out of kiosk mode, so no device collects signatures for real without one. The
PIN is therefore stored last; a set-up interrupted before it simply starts again at the next launch,
with what was already stored filled in.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db import pin
from db.paths import pin_file_present

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

DEVICE_NAME_MAX = 64

# Message keys (translated by the set-up screens).
NAME_MISSING = "device_name_missing"
NAME_TOO_LONG = "device_name_too_long"
NAME_BAD_CHARACTERS = "device_name_bad_characters"


def needs_setup(data_dir: Path) -> bool:
    """Whether the set-up screens come first: no coordinator PIN yet. One file check, before any paint."""
    return not pin_file_present(Path(data_dir))


def device_name_problem(name: str) -> str | None:
    """Why ``name`` cannot name this device (a message key), or None. The name is shown in exports,
    on the server's dashboard and in hand-off files: a place or a table, never a person."""
    name = name.strip()
    if not name:
        return NAME_MISSING
    if len(name) > DEVICE_NAME_MAX:
        return NAME_TOO_LONG
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in name):
        return NAME_BAD_CHARACTERS  # control characters, invisible bidi overrides
    return None


@dataclass(frozen=True)
class SetupChoices:
    locale: str
    campaign: str
    device_name: str
    coordinator_pin: str = field(default="", repr=False)  # never in a log or a traceback
    # Today's event, when the coordinator named one (optional): created and made the active event,
    # so that the first signatures already record where they were gathered.
    event_name: str = ""
    event_place: str = ""
    event_date: date | None = None


def stored_choices(*, engine: Engine) -> dict[str, Any]:
    """What an earlier, interrupted set-up already stored: language, campaign and device name."""
    from sqlmodel import Session

    from db import settings as settings_store

    with Session(engine) as session:
        stored = settings_store.stored(session=session)
    return {"locale": stored.default_locale, "campaign": stored.active_campaign, "device_name": stored.device_name}


def complete(data_dir: Path, choices: SetupChoices, *, engine: Engine) -> None:
    """Store the answers: the settings, today's event when one was named, and an audit entry in one
    transaction, then the PIN. Without a PIN in ``choices`` on a device that has one (the questions
    asked again), the PIN stays as it is."""
    from db import audit, events
    from db import settings as settings_store
    from db.engine import write_session

    problem = device_name_problem(choices.device_name)
    if problem is not None:
        raise ValueError(problem)
    keep_pin = not choices.coordinator_pin and pin.has_pin(Path(data_dir))  # asked again: the PIN stays
    if not keep_pin and not pin.valid_pin(choices.coordinator_pin):
        raise pin.PinError(f"a coordinator PIN has {pin.MIN_DIGITS} to {pin.MAX_DIGITS} digits")
    with write_session(engine) as session:
        settings_store.update(session=session, default_locale=choices.locale, active_campaign=choices.campaign,
                              device_name=choices.device_name.strip())
        settings_store.ensure_installation_id(session=session)
        if choices.event_name.strip():  # checked here (ValueError), in the same transaction as the rest
            events.create_event(choices.event_name, choices.event_place, choices.event_date or date.today(),
                                session=session, activate=True)
        audit.record("setup_completed", session=session, locale=choices.locale, campaign=choices.campaign)
        session.commit()
    if not keep_pin:
        pin.set_pin(Path(data_dir), choices.coordinator_pin)


def enrollment_target(target: str, code: str) -> tuple[str, str]:
    """(server URL, code) from the two fields a coordinator fills: the server's address and the code,
    or the QR code's text pasted into either. Raises ``db.sync.enrollment.EnrollmentError``."""
    from db.sync import enrollment

    target, code = target.strip(), code.strip()
    if code.startswith(("petition-kiosk:", "http://", "https://")) or (code and not target):
        return enrollment.parse_target(code, None)
    return enrollment.parse_target(target, code or None)


def enroll(data_dir: Path, target: str, code: str, *, engine: Engine) -> Any:
    """Enroll with a server from what a coordinator typed: the server's address and the code, or the
    QR code's text alone. Records it in the audit log and the settings. Raises what
    ``db.sync.enrollment.enroll`` raises (``enrollment.failure_key`` names it)."""
    from db import audit
    from db import settings as settings_store
    from db.engine import write_session
    from db.sync import enrollment

    url, code = enrollment_target(target, code)
    enrolled = enrollment.enroll(Path(data_dir), url, code)  # keeps the server's sealing key too
    with write_session(engine) as session:
        audit.record("enrolled", session=session, server=enrolled.server_url, device_id=enrolled.device_id)
        settings_store.update(session=session, server_url=enrolled.server_url)
        session.commit()
    return enrolled
