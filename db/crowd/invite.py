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
    """``WIFI:T:…;S:…;P:…;;``, which a phone's camera offers to join.

    ``security`` says what the network lets in: "wpa3" a WPA3-only (SAE) network, such as the hotspot
    desktop/crowd/hotspot.py makes; "wpa2" a WPA2 network or a WPA2/WPA3 transition network; "open" none.

    Why a WPA3-only network is ``T:SAE``: the WPA3 specification (v3, section 7.1) writes every
    password network ``T:WPA`` and marks WPA3-only with ``R:1`` (transition disable), but Android's
    parser reads ``R:`` only from Android 15 on (WifiUriParser); Android 10 to 14 (Settings'
    WifiQrCode) turn ``T:WPA`` into a WPA2-PSK profile, which cannot join a WPA3-only network, and
    ``T:SAE`` into an SAE one; Android's own "share Wi-Fi" writes ``T:SAE`` for such a network. A
    transition network is best written ``T:WPA``: every phone joins it, with WPA3 where it can. (iOS's
    camera joins ``T:WPA`` codes; it documents no ``SAE``: the name and password are also printed beside
    the code, for a phone whose camera does not offer to join.)"""
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
