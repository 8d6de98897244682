"""What the two QR codes on the attract page and the poster say: join the Wi-Fi, open the petition."""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from sqlmodel import Session

Security = Literal["wpa3", "wpa2", "open"]
TOKEN_BYTES = 16  # 22 URL-safe characters: guessing one is hopeless, typing one is never needed


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def access_token(*, session: Session, reset: bool = False) -> str:
    """The access token for the phones' QR code: the stored one, or a new one (stored; the caller
    commits) when there is none, when the active event changed since it was made, or on ``reset``.
    A new token closes the old QR code: phones that scanned it see "not found"."""
    from db import settings as settings_store

    stored = settings_store.stored(session=session)
    if stored.crowd_token and not reset and stored.crowd_token_event == stored.active_event_id:
        return stored.crowd_token
    token = new_token()
    settings_store.update(session=session, crowd_token=token, crowd_token_event=stored.active_event_id)
    return token


def petition_url(host: str, port: int, token: str) -> str:
    """``http://<address>:<port>/s/<token>`` (an IPv6 address in brackets)."""
    try:
        literal = f"[{host}]" if ipaddress.ip_address(host).version == 6 else host
    except ValueError:
        literal = host
    return f"http://{literal}:{port}/s/{token}"


def _escape(value: str) -> str:
    """The WIFI: scheme's escaping (ZXing's "Wi-Fi network config"): backslash before \\ ; , : and "."""
    return "".join("\\" + ch if ch in '\\;,:"' else ch for ch in value)


def wifi_qr(name: str, password: str | None, security: Security) -> str:
    """``WIFI:T:…;S:…;P:…;;``, which a phone's camera offers to join. WPA3-SAE networks are written
    ``T:SAE`` as the WPA3 specification's QR format says; WPA2 ``T:WPA``; an open network ``T:nopass``."""
    kind = {"wpa3": "SAE", "wpa2": "WPA", "open": "nopass"}[security]
    parts = [f"T:{kind}", f"S:{_escape(name)}"]
    if security != "open" and password:
        parts.append(f"P:{_escape(password)}")
    return "WIFI:" + ";".join(parts) + ";;"


@dataclass(frozen=True)
class Invite:
    """Everything the codes and the poster show; ``wifi`` is None when the phones are on a network
    the coordinator did not name (the venue's, joined by hand)."""

    url: str
    wifi_name: str | None = None
    wifi_password: str | None = None
    security: Security = "wpa2"

    @property
    def wifi(self) -> str | None:
        return wifi_qr(self.wifi_name, self.wifi_password, self.security) if self.wifi_name else None
