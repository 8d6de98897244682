"""The sync API's documents, shared by the desktop sync client and the server (house style rule 2).

Everything a device and the server exchange besides the signature itself (``db.schemas``) is defined
here, so neither end can drift: the health document, enrollment, campaign listings, batch upload and
its per-id outcomes, and the JSON error body. The server imports these for its routes and OpenAPI
document; the sync client imports them to build requests and to parse answers (an answer that does
not parse as the expected document is treated as "offline": a captive portal, a proxy page...).

Conventions
-----------
* Every route is under ``/api/v1``. A client sends its API version (API_VERSION, or the newest the
  server's health document lists that the client knows) in the ``X-Petition-Api`` header;
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
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal
from urllib.parse import parse_qs, quote, urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

from db.fields import SLUG_PATTERN

API_PREFIX = "/api/v1"
# The API version this build speaks, and the versions its server accepts. What version 2 changed (the
# routes stay under /api/v1):
#   * a signature with a field the server does not know is ``rejected`` (``unknown_field``, naming the
#     field) instead of stored without it: a device never takes a field's loss for success;
#   * campaign list entries are signed (CampaignEntry.signature);
#   * signature ids are scoped to their device, and voids apply only to the device's own signatures;
#   * signature mode ``phone`` (signed on the signer's own phone through a device's local page) is a
#     version-2 value (db.schemas.MODE_API_VERSION): a version-1 server refuses it for good, so a device
#     keeps such signatures pending while its server speaks version 1 (db/sync/store.py);
#   * a signature may carry ``partner_optins`` (the partners the signer opted in to, db.schemas
#     FIELD_API_VERSION): a version-1 server would store the signature without it, so a device keeps
#     such signatures pending while its server speaks version 1, and out of hand-off files for it;
#   * a device tells the server the events its signatures name (``PUT .../devices/{id}/events``,
#     DeviceEvents): name, place and day, for the delivery's cover. A device never sends them to a
#     version-1 server, and keeps them: they go once the server speaks version 2 (nothing else changes).
# A device reads the server's versions from the health document and speaks the newest both know
# (ApiClient.health); a version-1 device keeps working with a version-2 server, which gives it the
# first three as well (a version-1 device never saves mode ``phone``).
API_VERSION = 2
API_VERSIONS: tuple[int, ...] = (1, 2)
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
# A signature with a field this server does not know (API version 2): not stored without it.
REASON_UNKNOWN_FIELD = "unknown_field"
# A void whose target another device sent: only the device that collected a signature may void it.
REASON_VOID_TARGET_FOREIGN = "void_target_foreign"


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
    signature: str | None = Field(
        default=None,
        description="for a sealing key: Ed25519 signature by the server's signing key over "
                    "sealing_key_statement(key_id, public_key), base64; a device accepts a new sealing key "
                    "only with a signature that verifies with the signing key it pinned at enrollment",
    )


class ServerKeys(_Doc):
    """``GET /api/v1/keys``: the server's public keys now, as in the enrollment answer (signing key,
    then the active sealing key). A device asks again to pick up a rotated sealing key."""

    keys: list[ServerKey]


def sealing_key_statement(key_id: str, public_key: str) -> bytes:
    """What a server signs to vouch for one of its sealing keys (see ServerKey.signature)."""
    return f"petition-kiosk sealing key v1\n{key_id}\n{public_key}\n".encode("ascii")


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
    # Checked, because a device makes folders from them: a slug like "../x" must never parse.
    slug: str = Field(pattern=SLUG_PATTERN)
    version: int = Field(ge=1)
    title: str
    goal: int
    bundle_sha256: str = Field(description="SHA-256 of the bundle zip served by the download route")
    bundle_size: int
    locale_hashes: dict[str, dict[str, Any]] = Field(description="per locale: letter and consent hashes")
    published_at: datetime
    closed: bool
    # Signed facts (a server that signs its listing). Not in the bundle: hashes of versions published
    # before stay what they were.
    sealing_mode: str | None = Field(default=None, description="required or off: how the bundle seals")
    sealing_key_id: str | None = Field(default=None, description="key id of the X25519 key in the bundle, if any")
    signature: str | None = Field(
        default=None,
        description="Ed25519 signature by the server's signing key (pinned by devices at enrollment) over "
                    "campaign_entry_statement(slug, version, bundle_sha256, sealing_mode, sealing_key_id), base64",
    )


def campaign_entry_statement(slug: str, version: int, bundle_sha256: str, sealing_mode: str,
                             sealing_key_id: str | None) -> bytes:
    """What a server signs to vouch for one published campaign version (CampaignEntry.signature)."""
    return (f"petition-kiosk campaign entry v1\n{slug}\n{version}\n{bundle_sha256}\n{sealing_mode}\n"
            f"{sealing_key_id or '-'}\n").encode()


class CampaignList(_Doc):
    campaigns: list[CampaignEntry]


# A signed bundle file (``petition-server export-bundle``), carried on a USB stick like a hand-off file:
#
#     b"petition-kiosk signed bundle\n"     SIGNED_BUNDLE_MAGIC
#     <CampaignEntry as JSON>\n             one line: the campaign list's entry, with its signature
#     <the bundle zip>                      exactly the bytes the download route serves
#
# A device enrolled with the server that signed it installs it as if it had pulled it.
SIGNED_BUNDLE_MAGIC = b"petition-kiosk signed bundle\n"
SIGNED_BUNDLE_SUFFIX = ".bundle"


def pack_signed_bundle(entry: CampaignEntry, bundle_zip: bytes) -> bytes:
    return SIGNED_BUNDLE_MAGIC + entry.model_dump_json().encode() + b"\n" + bundle_zip


def split_signed_bundle(data: bytes) -> tuple[CampaignEntry, bytes] | None:
    """(entry, zip) of a signed bundle file, unverified; None when ``data`` is not one (or is damaged)."""
    from pydantic import ValidationError

    if not data.startswith(SIGNED_BUNDLE_MAGIC):
        return None
    end = data.find(b"\n", len(SIGNED_BUNDLE_MAGIC), len(SIGNED_BUNDLE_MAGIC) + 1024 * 1024)
    if end < 0:
        return None
    try:
        entry = CampaignEntry.model_validate_json(data[len(SIGNED_BUNDLE_MAGIC):end])
    except ValidationError:
        return None
    return entry, data[end + 1:]


class RawCampaignList(_Doc):
    """What a device parses first: each entry is then read on its own, so one it cannot read (a newer
    server's, or damaged) never stops the entries after it."""

    campaigns: list[Any]


class CampaignCount(_Doc):
    slug: str
    count: int = Field(description="people counted once each (signatures when before_duplicates), voided and withdrawn ones left out, all devices, all versions")
    goal: int | None
    before_duplicates: bool = Field(
        default=False, description="true: a sealed campaign, where a person who signed twice counts twice "
        "(duplicates are known only with the operator's passphrase); false: each person counts once")


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


# The events a device's signatures name (API version 2). Events are public facts about a stand (a rally's
# name, place and day), never personal data. Ids are scoped to the device that sent them, like signature
# ids: one device can never change another's event. Sending the same list again changes nothing.
EVENTS_API_VERSION = 2
MAX_EVENTS_PER_REQUEST = 100  # 100 events of 120-character Arabic name and place stay under 64 KB


class DeviceEvent(_Doc):
    id: str = Field(min_length=1, max_length=36, description="the event's id on the device (signatures' event_id)")
    name: str = Field(min_length=1, max_length=120)
    place: str | None = Field(default=None, max_length=120)
    day: date

    @field_validator("name", "place")
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        # A control character (NUL above all: PostgreSQL refuses it in text) is never part of a name.
        if value is not None and any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
            raise ValueError("control characters are not allowed")
        return value


class DeviceEvents(_Doc):
    """``PUT /api/v1/devices/{device_id}/events``: events the device's signatures name, as they are now
    on the device (a renamed event is sent again and replaces what the server held)."""

    events: list[DeviceEvent] = Field(max_length=MAX_EVENTS_PER_REQUEST)


class DeviceEventsResult(_Doc):
    created: int
    updated: int
    unchanged: int


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


# --- hand-off files and their receipts (a USB stick instead of a network) -----------------------------
#
# A hand-off file carries a device's unacknowledged signatures to its server without a network
# (``petition-kiosk export --handoff``, ``petition-server import-handoff``); the server answers with a
# receipt the device reads back (``petition-kiosk import-receipt``). Both ends build and take apart the
# two containers with the functions below; the cryptography is done by their callers
# (db/sync/handoff.py on the device, server/handoff.py on the server).
#
# Hand-off file, binary::
#
#     b"petition-kiosk handoff\n"                 HANDOFF_MAGIC
#     <HandoffHeader as JSON, sorted keys>\n      one line, in clear: what the server needs to check it
#     <payload_bytes bytes>                       libsodium sealed box (crypto_box_seal) to the server's
#                                                 sealing key ``sealing_key_id``, of the zlib-compressed
#                                                 JSON {"file_id", "device_id", "created_at", "signatures":
#                                                 [canonical wire payloads, db.schemas.wire_payload],
#                                                 from format version 3 "events": [DeviceEvent, the
#                                                 events those signatures name]}
#     <64 bytes>                                  Ed25519 signature by the device's enrollment key over
#                                                 every byte before it
#
# Receipt, text::
#
#     petition-kiosk receipt\n                    RECEIPT_MAGIC
#     <HandoffReceipt as JSON, sorted keys>\n     one line
#     ed25519 <base64 signature>\n                the server's Ed25519 signing key over the two lines above

HANDOFF_MAGIC = b"petition-kiosk handoff\n"
RECEIPT_MAGIC = b"petition-kiosk receipt\n"
HANDOFF_FORMAT: Literal["petition-kiosk-handoff"] = "petition-kiosk-handoff"
RECEIPT_FORMAT: Literal["petition-kiosk-receipt"] = "petition-kiosk-receipt"
# A hand-off file's format version is the oldest that holds everything in it: 1 when all its signatures'
# values are version 1's (a server from before version 2 reads it), 2 when one has a version-2 value such
# as mode ``phone``, 3 when it carries the events its signatures name (HANDOFF_EVENTS_VERSION: a server
# from before version 3 would open the file and drop them unread, and the cover would say "other places").
# A server that reads an older version only refuses a newer file whole, saying it was made by a newer
# version (split_handoff), before it stores anything: nothing is refused for good, nothing is dropped, and
# the device keeps every signature until a receipt says otherwise. Every server reads every older version.
HANDOFF_VERSION = 3
HANDOFF_EVENTS_VERSION = 3
RECEIPT_VERSION = 1
HANDOFF_SUFFIX = ".handoff"
RECEIPT_SUFFIX = ".receipt"
ED25519_SIGNATURE_BYTES = 64
MAX_HANDOFF_HEADER_BYTES = 4096
_RECEIPT_SIGNATURE_PREFIX = b"ed25519 "

# Why a container was refused before any key was tried (stable keys, like the enrollment messages').
NOT_HANDOFF = "not_handoff"  # not a hand-off file (or not a receipt)
HANDOFF_NEWER = "handoff_newer"  # made by a newer version of the app or server
HANDOFF_DAMAGED = "handoff_damaged"  # cut short, extended or its clear part altered beyond reading


class HandoffHeader(_Doc):
    """The hand-off file's clear part. Holds no personal data and no count of signatures."""

    format: Literal["petition-kiosk-handoff"]
    version: int
    file_id: str = Field(max_length=64, description="random, names the file in its receipt and in both logs")
    device_id: str = Field(max_length=64, description="the device that made and signed the file")
    device_key_id: str = Field(max_length=64, description="key id of the device's Ed25519 public key")
    server_url: str = Field(max_length=2048, description="the server the device is enrolled with (for messages)")
    server_key_id: str = Field(max_length=64, description="key id of that server's Ed25519 signing key")
    sealing_key_id: str = Field(max_length=64, description="key id of the server's X25519 key the payload is sealed to")
    created_at: datetime
    compression: Literal["zlib"]
    encryption: Literal["crypto_box_seal"]
    payload_bytes: int = Field(ge=0, description="length of the sealed box that follows the header line")


class ReceiptEntry(_Doc):
    id: str | None
    content_hash: str | None = Field(
        default=None, description="created/duplicate: SHA-256 of the content the server stores under this id; else null")
    outcome: Outcome
    reason: str | None = None
    field: str | None = None


class HandoffReceipt(_Doc):
    """What the server did with each signature of one hand-off file, signed by the server."""

    format: Literal["petition-kiosk-receipt"]
    version: int
    file_id: str
    device_id: str
    server_key_id: str
    imported_at: datetime
    counts: dict[str, int]
    results: list[ReceiptEntry]


def handoff_version_read(api_version: int) -> int:
    """The newest hand-off format a server speaking ``api_version`` reads: 1 at version 1 (a server forced
    to it reads what a version-1 server did), every format at version 2."""
    return 1 if api_version < 2 else HANDOFF_VERSION


class HandoffFormatError(ValueError):
    """A container that cannot be read as one of ours; ``key`` is NOT_HANDOFF, HANDOFF_NEWER or HANDOFF_DAMAGED."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def _canonical(doc: BaseModel) -> bytes:
    import orjson

    return orjson.dumps(doc.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)


def handoff_signed_part(header: HandoffHeader, box: bytes) -> bytes:
    """Everything the device signs: magic, header line, sealed box (the file is this plus the signature)."""
    if header.payload_bytes != len(box):
        raise ValueError("payload_bytes must be the sealed box's length")
    return HANDOFF_MAGIC + _canonical(header) + b"\n" + box


@dataclass(frozen=True)
class HandoffParts:
    header: HandoffHeader
    box: bytes
    signed: bytes  # the bytes the signature covers
    signature: bytes


def split_handoff(data: bytes, max_version: int = HANDOFF_VERSION) -> HandoffParts:
    """The parts of a hand-off file, unverified, of a format version up to ``max_version`` (a server
    speaking an older API version reads only files of that version). Raises HandoffFormatError."""
    import orjson

    if not data.startswith(HANDOFF_MAGIC):
        raise HandoffFormatError(NOT_HANDOFF, "this is not a Petition Kiosk hand-off file")
    start = len(HANDOFF_MAGIC)
    end = data.find(b"\n", start, start + MAX_HANDOFF_HEADER_BYTES)
    if end < 0:
        raise HandoffFormatError(HANDOFF_DAMAGED, "the hand-off file is damaged (no readable header)")
    try:
        raw = orjson.loads(data[start:end])
    except orjson.JSONDecodeError:
        raise HandoffFormatError(HANDOFF_DAMAGED, "the hand-off file is damaged (its header is not JSON)") from None
    if not isinstance(raw, dict) or raw.get("format") != HANDOFF_FORMAT:
        raise HandoffFormatError(NOT_HANDOFF, "this is not a Petition Kiosk hand-off file")
    if isinstance(raw.get("version"), int) and raw["version"] > max_version:
        raise HandoffFormatError(HANDOFF_NEWER, f"the hand-off file has format version {raw['version']}; this "
                                 f"program reads version {max_version}: update it")
    try:
        header = HandoffHeader.model_validate(raw)
    except ValueError:
        raise HandoffFormatError(HANDOFF_DAMAGED, "the hand-off file is damaged (its header is incomplete)") from None
    if not 1 <= header.version <= max_version:
        raise HandoffFormatError(HANDOFF_DAMAGED, f"the hand-off file has an unknown format version {header.version}")
    box_start = end + 1
    box_end = box_start + header.payload_bytes
    if len(data) != box_end + ED25519_SIGNATURE_BYTES:
        raise HandoffFormatError(HANDOFF_DAMAGED, "the hand-off file is damaged: it is cut short or has bytes "
                                 "added (copy it again from the device)")
    return HandoffParts(header, data[box_start:box_end], data[:box_end], data[box_end:])


def receipt_signed_part(receipt: HandoffReceipt) -> bytes:
    return RECEIPT_MAGIC + _canonical(receipt) + b"\n"


def pack_receipt(receipt: HandoffReceipt, signature: bytes) -> bytes:
    import base64

    return receipt_signed_part(receipt) + _RECEIPT_SIGNATURE_PREFIX + base64.b64encode(signature) + b"\n"


@dataclass(frozen=True)
class ReceiptParts:
    document: bytes  # the receipt's JSON line, unverified
    signed: bytes
    signature: bytes


def split_receipt(data: bytes) -> ReceiptParts:
    """The parts of a receipt file, unverified: parse ``document`` only after the signature checked
    out. Raises HandoffFormatError."""
    import base64
    import binascii

    if not data.startswith(RECEIPT_MAGIC):
        raise HandoffFormatError(NOT_HANDOFF, "this is not a Petition Kiosk receipt")
    end = data.find(b"\n", len(RECEIPT_MAGIC))
    if end < 0:
        raise HandoffFormatError(HANDOFF_DAMAGED, "the receipt is damaged (cut short)")
    line = data[end + 1:]
    if not line.startswith(_RECEIPT_SIGNATURE_PREFIX) or not line.endswith(b"\n"):
        raise HandoffFormatError(HANDOFF_DAMAGED, "the receipt is damaged (no signature line)")
    try:
        signature = base64.b64decode(line[len(_RECEIPT_SIGNATURE_PREFIX):-1], validate=True)
    except (binascii.Error, ValueError):
        raise HandoffFormatError(HANDOFF_DAMAGED, "the receipt is damaged (its signature is not base64)") from None
    if len(signature) != ED25519_SIGNATURE_BYTES:
        raise HandoffFormatError(HANDOFF_DAMAGED, "the receipt is damaged (its signature has the wrong length)")
    return ReceiptParts(data[len(RECEIPT_MAGIC):end], data[:end + 1], signature)
