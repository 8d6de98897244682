"""Deployment settings: one validated object, stored in one row of the database.

Precedence, lowest first: defaults, the stored row, environment variables
(``PETITION_KIOSK_<FIELD>``, e.g. ``PETITION_KIOSK_IDLE_TIMEOUT_S=120``), command-line overrides.
Only the stored layer is ever written back, so an override never sticks by accident.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

if TYPE_CHECKING:  # the database layer is imported where it is used: the first paint reads settings
    from sqlmodel import Session  # with plain sqlite3 (db/quick.py), before SQLAlchemy is loaded

ENV_PREFIX = "PETITION_KIOSK_"


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore", validate_assignment=True)

    device_name: str = Field(default="", max_length=64)
    active_campaign: str | None = None
    active_event_id: str | None = None
    default_locale: str = Field(default="en", pattern=r"^[a-z]{2,3}$")
    kiosk: bool = False
    idle_timeout_s: int = Field(default=90, ge=30, le=3600)
    thank_you_s: int = Field(default=8, ge=2, le=60)
    server_url: str | None = None
    retention_days: int = Field(default=7, ge=0, le=3650)
    theme: Literal["default", "outdoor"] = "default"
    # auto: shown when the device has a touch screen and no keyboard (desktop/keyboard.py decides)
    on_screen_keyboard: Literal["auto", "on", "off"] = "auto"
    # This installation's own id, made at set-up (or at the first export of a device set up before
    # there was one) and kept after enrollment beside the server's device id: exports of a device
    # that was never enrolled still say which device they came from. Never changed by a setting.
    installation_id: str | None = Field(default=None, pattern=r"^[0-9a-f-]{36}$")

    # Crowd mode (db/crowd/): phones sign through this device's local page. Off by default; on after a
    # restart only if the coordinator left it on. ``crowd_host`` is the one address to serve on (never
    # every interface by default); ``crowd_token`` the access token in the petition's QR code, made
    # anew when the event changes (``crowd_token_event``) or the coordinator resets it.
    crowd_on: bool = False
    crowd_host: str | None = Field(default=None, max_length=64)
    crowd_port: int = Field(default=8470, ge=1024, le=65535)
    crowd_token: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{22,64}$")
    crowd_token_event: str | None = None
    # Signatures one phone may send in ten minutes (db/crowd/limits.py): a family passing a phone round.
    crowd_signatures_per_phone: int = Field(default=10, ge=1, le=1000)
    # The Wi-Fi the phones join: made by the app through NetworkManager (``wifi_hotspot``: the app
    # stops it too) or typed by the coordinator. The password is printed on the poster, never logged.
    wifi_name: str | None = Field(default=None, max_length=32)
    wifi_password: str | None = Field(default=None, max_length=63)
    wifi_security: Literal["wpa3", "wpa2", "open"] = "wpa2"
    wifi_hotspot: bool = False


# Settings no report, log or export may show: only whether they are set.
SECRET_SETTINGS = frozenset({"crowd_token", "wifi_password"})


def _env_overrides(environ: dict[str, str] | os._Environ[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in Settings.model_fields:
        key = ENV_PREFIX + name.upper()
        if key in environ:
            out[name] = environ[key]
    return out


def from_stored(data: dict[str, Any] | None) -> Settings:
    """The stored layer from the settings row's JSON (None: no row yet)."""
    if not data:
        return Settings()
    try:
        return Settings.model_validate(data)
    except ValidationError:
        # A stored value a newer/older version no longer accepts: keep every valid field.
        return Settings.model_validate({k: v for k, v in data.items() if _valid_field(k, v)})


def stored(*, session: Session) -> Settings:
    from db.models import SettingsRow

    row = session.get(SettingsRow, 1)
    return from_stored(row.data if row is not None else None)


def _valid_field(name: str, value: Any) -> bool:
    try:
        Settings.model_validate({name: value})
    except ValidationError:
        return False
    return True


def resolve(
    base: Settings, *, overrides: dict[str, Any] | None = None, environ: dict[str, str] | None = None
) -> Settings:
    """Apply environment variables, then command-line overrides, on top of the stored settings."""
    data = base.model_dump()
    data.update(_env_overrides(os.environ if environ is None else environ))
    data.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return Settings.model_validate(data)


def effective(
    *, session: Session, overrides: dict[str, Any] | None = None, environ: dict[str, str] | None = None
) -> Settings:
    return resolve(stored(session=session), overrides=overrides, environ=environ)


def save(settings: Settings, *, session: Session) -> None:
    """Persist ``settings`` (validated again) in the one settings row; the caller commits."""
    from db.models import SettingsRow

    data = Settings.model_validate(settings.model_dump()).model_dump(mode="json")
    row = session.get(SettingsRow, 1)
    if row is None:
        session.add(SettingsRow(id=1, data=data))
    else:
        row.data = data
        row.updated_at = datetime.now(UTC)
        session.add(row)


def ensure_installation_id(*, session: Session) -> str:
    """This installation's id, made and stored (the caller commits) on first need."""
    import uuid  # here: settings are read before the first paint, which goes without it

    current = stored(session=session).installation_id
    if current:
        return current
    made = str(uuid.uuid4())
    update(session=session, installation_id=made)
    return made


def update(*, session: Session, **changes: Any) -> Settings:
    new = stored(session=session).model_copy(update=changes)
    new = Settings.model_validate(new.model_dump())
    save(new, session=session)
    return new
