"""The wire format of a signature, shared by the device and the server (house style rule 2).

``SignatureBase`` lists the fields; ``SignatureCreate`` is what a device saves and sends, with every
check and normalisation in its validators (so the device and the server accept exactly the same
things); ``SignaturePublic`` is what a server answers. The device's table ``db.models.Signature`` and the
server's own table both build on ``SignatureBase``.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import orjson
from pydantic import ValidationInfo, field_validator, model_validator
from sqlmodel import Field, SQLModel

from db import validation as v
from db.fields import (  # noqa: F401  (re-exported: the wire format's limits)
    CITY_MAX,
    COMMENT_MAX,
    HANDWRITING_MAX,
    KEY_ID_PATTERN,
    LOCALE_PATTERN,
    NAME_MAX,
    PERSONAL_FIELDS,
    SEALED_MAX,
    SHA256_PATTERN,
    SHEET_MAX,
    SIGNER_FIELDS,
    SLUG_PATTERN,
)


class Mode(StrEnum):
    KIOSK = "kiosk"
    ASSISTED = "assisted"
    PAPER = "paper"


class SignatureBase(SQLModel):
    id: str = Field(primary_key=True, max_length=36, description="UUIDv7 made on the device")
    seq: int = Field(ge=1, description="per-device sequence number")
    campaign_slug: str = Field(index=True, regex=SLUG_PATTERN)
    campaign_version: int = Field(ge=1)
    letter_sha256: str = Field(regex=SHA256_PATTERN, description="SHA-256 of the exact letter text shown")
    locale: str = Field(regex=LOCALE_PATTERN, description="locale the letter was shown in")
    event_id: str | None = Field(default=None, max_length=36)
    mode: Mode = Field(default=Mode.KIOSK)
    paper_sheet: str | None = Field(default=None, max_length=SHEET_MAX)

    given_name: str | None = None
    family_name: str | None = None
    email: str | None = None
    # country before phone: validators run in this order, and the phone validator reads the signer's
    # (already validated) country to parse a number written without +country code.
    country: str | None = None
    phone: str | None = None
    postal_code: str | None = None
    city: str | None = None
    comment: str | None = None
    signature_svg: str | None = Field(
        default=None, description="handwritten signature: SVG path data (M/L/Q/C commands), 0..1000 box"
    )
    # Sealed mode (db/sealing.py): every field of SIGNER_FIELDS (but the postal code when the campaign
    # keeps it readable) is encrypted to the server's key at save time; the fields above are then null.
    sealed: str | None = Field(
        default=None, description="the signer's fields, sealed to the server's key (libsodium sealed box), base64"
    )
    sealed_key: str | None = Field(default=None, description="key id of the sealing public key used")

    consent_processing: bool = Field(description="consent to the processing of personal data (required)")
    consent_updates: bool | None = Field(
        default=None, description="'keep me informed' opt-in: true, false, or null when not asked"
    )
    consent_text_sha256: str = Field(regex=SHA256_PATTERN)
    consent_locale: str = Field(regex=LOCALE_PATTERN)
    consent_given_at: datetime
    utc_offset_minutes: int = Field(ge=-840, le=840, description="device's UTC offset when signing")
    created_at: datetime
    voids: str | None = Field(default=None, max_length=36, description="id of the signature this one voids")
    # The signer's receipt (server/web.py): SHA-256 of the random secret shown only in the thank-you
    # page's QR code. The secret itself is never stored; it is what allows a withdrawal on the page.
    receipt_sha256: str | None = Field(
        default=None, regex=SHA256_PATTERN, max_length=64,
        description="SHA-256 (hex) of the receipt secret shown only to the signer",
    )


def _uuid_text(value: str) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError as exc:
        raise v.fail(v.INVALID, "not a UUID") from exc


class SignatureCreate(SignatureBase):
    """A signature as the device saves it and sends it. Validation context may carry
    ``default_region`` (ISO country used to read phone numbers written without +country code)."""

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        return _uuid_text(value)

    @field_validator("event_id", "voids")
    @classmethod
    def _optional_uuid(cls, value: str | None) -> str | None:
        return None if value is None else _uuid_text(value)

    @field_validator("given_name", "family_name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        return _blank_to_none(value and v.clean_text(value, max_len=NAME_MAX))

    @field_validator("city")
    @classmethod
    def _city(cls, value: str | None) -> str | None:
        return _blank_to_none(value and v.clean_text(value, max_len=CITY_MAX))

    @field_validator("comment")
    @classmethod
    def _comment(cls, value: str | None) -> str | None:
        return _blank_to_none(value and v.clean_text(value, max_len=COMMENT_MAX, multiline=True))

    @field_validator("paper_sheet")
    @classmethod
    def _sheet(cls, value: str | None) -> str | None:
        return _blank_to_none(value and v.clean_text(v.ascii_digits(value), max_len=SHEET_MAX))

    @field_validator("signature_svg")
    @classmethod
    def _handwriting(cls, value: str | None) -> str | None:
        value = _blank_to_none(value)
        if value is None:
            return None
        if len(value) > HANDWRITING_MAX:
            raise v.fail(v.TOO_LONG, "handwriting too long", max=HANDWRITING_MAX)
        if not _SVG_PATH.fullmatch(value):
            raise v.fail(v.INVALID, "handwriting is SVG path data")
        return value

    @field_validator("sealed")
    @classmethod
    def _sealed(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not 64 <= len(value) <= SEALED_MAX or len(value) % 4 or not _BASE64.fullmatch(value):
            raise v.fail(v.INVALID, "sealed data is padded base64")
        return value

    @field_validator("sealed_key")
    @classmethod
    def _sealed_key(cls, value: str | None) -> str | None:
        if value is not None and not _KEY_ID.fullmatch(value):
            raise v.fail(v.INVALID, "a key id is 16 hex digits")
        return value

    @field_validator("receipt_sha256")
    @classmethod
    def _receipt(cls, value: str | None) -> str | None:
        if value is not None and not _SHA256.fullmatch(value):
            raise v.fail(v.INVALID, "a receipt hash is 64 lower-case hex digits")
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        value = _blank_to_none(value and v.clean_text(value, max_len=254))
        return None if value is None else v.normalise_email(value)

    @field_validator("postal_code")
    @classmethod
    def _postal(cls, value: str | None) -> str | None:
        value = _blank_to_none(value and v.clean_text(value, max_len=32))
        return None if value is None else v.normalise_postal_code(value)

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        value = _blank_to_none(value)
        return None if value is None else v.normalise_country(value)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None, info: ValidationInfo) -> str | None:
        value = _blank_to_none(value and v.clean_text(value, max_len=40))
        if value is None:
            return None
        region = info.data.get("country") or (info.context or {}).get("default_region")
        return v.normalise_phone(value, region)

    @field_validator("consent_given_at", "created_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return as_utc(value)

    @model_validator(mode="after")
    def _record_rules(self) -> SignatureCreate:
        if (self.sealed is None) != (self.sealed_key is None):
            raise v.fail(v.INVALID, "sealed data names its key, and only sealed data does")
        if self.voids is not None:
            if self.sealed is not None or any(getattr(self, name) for name in SIGNER_FIELDS):
                raise v.fail(v.INVALID, "a void carries no personal data")
            return self
        if self.sealed is not None and any(
            getattr(self, name) is not None for name in SIGNER_FIELDS if name != "postal_code"
        ):
            raise v.fail(v.INVALID, "a sealed signature carries no clear personal data")
        if not self.consent_processing:
            raise v.fail(v.CONSENT_REQUIRED, "consent to processing is required")
        if self.mode is Mode.PAPER and not self.paper_sheet:
            raise v.fail(v.REQUIRED, "a paper signature names its sheet")
        return self


class SignaturePublic(SQLModel):
    """What a server answers about one stored signature."""

    id: str
    campaign_slug: str
    campaign_version: int
    created_at: datetime
    received_at: datetime
    content_hash: str


_SVG_PATH = re.compile(r"M[MLQCZmlqcz0-9 .,-]*")
_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")
_KEY_ID = re.compile(KEY_ID_PATTERN)
_SHA256 = re.compile(SHA256_PATTERN)


def _blank_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def as_utc(value: datetime) -> datetime:
    """Aware UTC datetime; a naive value (SQLite gives those back) is taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _iso(value: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (isoformat is C-fast and pads the year, unlike strftime)."""
    return as_utc(value).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


WIRE_FIELDS = tuple(SignatureBase.model_fields)
# Fields added after the first release leave the canonical form when empty, so the content hash of a
# signature saved before they existed stays what it was (a retry after an upgrade is still a duplicate).
OMITTED_WHEN_EMPTY = frozenset({"signature_svg", "sealed", "sealed_key", "receipt_sha256"})


def wire_payload(record: SignatureBase | Any) -> dict[str, Any]:
    """The canonical wire form of a signature (device row or schema object): the same bytes every
    time, so a retry is byte-identical and both ends compute the same content hash."""
    out: dict[str, Any] = {}
    for name in WIRE_FIELDS:
        value = getattr(record, name)
        if value is None and name in OMITTED_WHEN_EMPTY:
            continue
        if isinstance(value, datetime):
            value = _iso(value)
        elif isinstance(value, StrEnum):
            value = value.value
        out[name] = value
    return out


def content_hash(record: SignatureBase | Any) -> str:
    """SHA-256 over the canonical JSON of the wire payload (sorted keys, UTF-8)."""
    data = orjson.dumps(wire_payload(record), option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(data).hexdigest()
