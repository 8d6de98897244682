"""The sync API's documents, shared by the desktop sync client and the server (house style rule 2).

Everything a device and the server exchange besides the signature itself (``db.schemas``) is defined
here, so neither end can drift: the health document, enrollment, campaign listings, batch upload and
its per-id outcomes, and the JSON error body. The server imports these for its routes and OpenAPI
document; the sync client imports them to build requests and to parse answers (an answer that does
not parse as the expected document is treated as "offline": a captive portal, a proxy page...).

Conventions
-----------
* Every route is under ``/api/v1``. A client sends its API version in the ``X-Petition-Api`` header;
  a version older than the server accepts is answered ``426`` (error ``client_too_old``), a newer one
  ``400`` (``api_version_unsupported``). ``GET /api/v1/health`` answers whatever the header says, so a
  client can always learn which versions the server speaks.
* Authenticated routes take ``Authorization: Bearer <token>`` (the token from enrollment). A missing
  or unknown token is ``401`` (``unauthorized``), a revoked device ``403`` (``device_revoked``), a
  route about another device ``403`` (``forbidden``). A client never retries a 401/403: it asks the
  coordinator to enroll again.
* Every error is a JSON :class:`ErrorBody`; ``error`` is a stable machine-readable code.
* Times are ISO 8601 in UTC.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal
from urllib.parse import parse_qs, quote, urlsplit

from pydantic import BaseModel, ConfigDict, Field

API_PREFIX = "/api/v1"
API_VERSION = 1
API_VERSIONS: tuple[int, ...] = (1,)
API_HEADER = "X-Petition-Api"
SERVICE = "petition-kiosk-server"
# A fixed string no captive portal or proxy will ever answer with: a health document is genuine only
# if it carries exactly this marker. Never change it.
HEALTH_MARKER = "petition-kiosk:7c4e2a9f-sync-api"

MAX_BATCH_SIGNATURES = 500
MAX_BATCH_BYTES = 2 * 1024 * 1024
MAX_SMALL_BODY_BYTES = 64 * 1024  # any other request body (enrollment)

# Enrollment codes: 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L, U/V pairs), shown
# in groups of four. 30**12 is about 2**59 possibilities against a rate-limited, 24-hour, one-time code.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
CODE_GROUP = 4
ENROLL_URI_SCHEME = "petition-kiosk"


class Outcome(StrEnum):
    """What the server did with one signature of a batch."""

    CREATED = "created"  # stored now
    DUPLICATE = "duplicate"  # already stored with the same content hash: success, mark it sent
    CONFLICT = "conflict"  # already stored with other content: the first content is kept
    REJECTED = "rejected"  # failed validation or names an unknown campaign; ``reason`` says why
    CAMPAIGN_CLOSED = "campaign_closed"  # the campaign no longer accepts signatures

    @property
    def is_success(self) -> bool:
        return self in (Outcome.CREATED, Outcome.DUPLICATE)


# Reasons of a ``rejected`` outcome besides the validation keys of ``db.validation``.
REASON_CAMPAIGN_UNKNOWN = "campaign_unknown"
REASON_CAMPAIGN_VERSION_UNKNOWN = "campaign_version_unknown"
REASON_DUPLICATE_IN_BATCH = "duplicate_in_batch"
# A sealed signature whose ``sealed_key`` is none of the server's sealing keys: nobody could open it.
REASON_SEALING_KEY_UNKNOWN = "sealing_key_unknown"


class _Doc(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ErrorBody(_Doc):
    error: str = Field(description="stable machine-readable code, e.g. unauthorized, payload_too_large")
    message: str = Field(description="for people: what went wrong and what to do")
    detail: list[dict[str, Any]] | None = Field(default=None, description="per-field problems, no input values")


class Health(_Doc):
    service: Literal["petition-kiosk-server"]
    marker: str = Field(description=f"always {HEALTH_MARKER!r}")
    api_versions: list[int]
    server_version: str
    server_time: datetime

    def is_genuine(self) -> bool:
        return self.marker == HEALTH_MARKER


class ServerKey(_Doc):
    purpose: Literal["signing", "sealing"]
    algorithm: str = Field(description="'Ed25519' for signing, 'X25519' for sealing")
    key_id: str = Field(description="first 16 hex digits of the SHA-256 of the raw public key")
    public_key: str = Field(description="raw public key, base64 (standard alphabet, padded)")


class ServerKeys(_Doc):
    """``GET /api/v1/keys``: the server's public keys now, as in the enrollment answer (signing key,
    then the active sealing key). A device asks again to pick up a rotated sealing key."""

    keys: list[ServerKey]


class EnrollRequest(_Doc):
    code: str = Field(min_length=1, max_length=64, description="the enrollment code; dashes, spaces and case are ignored")
    device_public_key: str = Field(
        min_length=1, max_length=128, description="the device's Ed25519 public key, 32 bytes, base64"
    )
    app_version: str | None = Field(default=None, max_length=64)


class EnrollResponse(_Doc):
    device_id: str
    device_name: str
    token: str = Field(description="bearer token for every later request; shown once, store it safely")
    server_keys: list[ServerKey]


class DeviceStatus(_Doc):
    device_id: str
    name: str
    enrolled_at: datetime | None
    last_seen_at: datetime | None
    clock_offset_s: float | None = Field(description="server time minus the device's time at its last upload")
    signatures: int = Field(description="signatures stored from this device")


class CampaignEntry(_Doc):
    slug: str
    version: int
    title: str
    goal: int
    bundle_sha256: str = Field(description="SHA-256 of the bundle zip served by the download route")
    bundle_size: int
    locale_hashes: dict[str, dict[str, Any]] = Field(description="per locale: letter and consent hashes")
    published_at: datetime
    closed: bool


class CampaignList(_Doc):
    campaigns: list[CampaignEntry]


class CampaignCount(_Doc):
    slug: str
    count: int = Field(description="signatures minus voided ones, all devices, all versions")
    goal: int | None


class BatchUpload(_Doc):
    """``POST /api/v1/devices/{device_id}/batches``. Each signature is the canonical wire form
    (``db.schemas.wire_payload``); each is validated on its own so one bad record never blocks the rest."""

    device_time: datetime = Field(description="the device clock when it sent the batch (UTC)")
    batch_id: str | None = Field(default=None, max_length=64, description="client's label for logs")
    signatures: list[Any] = Field(
        max_length=MAX_BATCH_SIGNATURES,
        description="wire payloads (db.schemas.SignatureBase fields); a malformed item is rejected on its own",
        json_schema_extra={"items": {"type": "object"}},
    )
    want_totals: bool = Field(
        default=False,
        description="answer with the public total of every campaign in the batch, counted after it was stored",
    )


class SignatureResult(_Doc):
    id: str | None = Field(description="the id as sent (null if the record had no usable id)")
    index: int = Field(description="position in the batch")
    outcome: Outcome
    reason: str | None = Field(default=None, description="validation key for rejected")
    field: str | None = Field(default=None, description="the field at fault, for rejected")


class BatchResult(_Doc):
    received_at: datetime
    clock_offset_s: float = Field(description="server time minus device_time; large means a wrong device clock")
    counts: dict[str, int]
    results: list[SignatureResult]
    totals: dict[str, int] | None = Field(
        default=None,
        description="when asked (want_totals): each campaign's public count after this batch was stored; the "
        "device records it in the transaction that marks the batch acknowledged, so its live count stays exact",
    )


# --- enrollment codes and the QR text ----------------------------------------------------------------

_CODE_STRIP = re.compile(r"[\s\-_.]")


def normalise_code(text: str) -> str:
    """The code as stored: upper case, separators removed (what a person types may have either)."""
    return _CODE_STRIP.sub("", text).upper()


def format_code(code: str) -> str:
    """``K7QM2XPA9RTF`` → ``K7QM-2XPA-9RTF``."""
    code = normalise_code(code)
    return "-".join(code[i : i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


def is_code_shaped(code: str) -> bool:
    code = normalise_code(code)
    return len(code) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in code)


def enrollment_uri(server_url: str, code: str) -> str:
    """The text of the enrollment QR code::

        petition-kiosk://enroll?v=1&server=<server base URL, percent-encoded>&code=<XXXX-XXXX-XXXX>

    for example ``petition-kiosk://enroll?v=1&server=http%3A%2F%2F192.168.1.10%3A8000&code=K7QM-2XPA-9RTF``.
    The server URL is the base the API lives under (``<server>/api/v1/...``). It carries no secret
    other than the one-time, 24-hour code. The desktop's enroll command accepts this text (scanned or
    pasted) or the server URL and the code typed separately; parse it with :func:`parse_enrollment_uri`.
    """
    return (
        f"{ENROLL_URI_SCHEME}://enroll?v=1&server={quote(server_url.rstrip('/'), safe='')}"
        f"&code={format_code(code)}"
    )


def parse_enrollment_uri(text: str) -> tuple[str, str]:
    """(server URL, normalised code) from a QR text; ValueError when it is not one of ours."""
    parts = urlsplit(text.strip())
    if parts.scheme != ENROLL_URI_SCHEME or parts.netloc != "enroll":
        raise ValueError("not a Petition Kiosk enrollment code")
    query = parse_qs(parts.query)
    if query.get("v") != ["1"]:
        raise ValueError("enrollment code made by a newer server: update the app")
    server = (query.get("server") or [""])[0]
    code = normalise_code((query.get("code") or [""])[0])
    if urlsplit(server).scheme not in ("http", "https") or not is_code_shaped(code):
        raise ValueError("damaged enrollment code")
    return server, code
