"""The wire format of a signature, shared by the device and the server (house style rule 2).

``SignatureBase`` lists the fields; ``SignatureCreate`` is what a device saves and sends, with every
check and normalisation in its validators (so the device and the server accept exactly the same
things); ``SignaturePublic`` is what a server answers. The device's table ``db.models.Signature`` and the
server's own table both build on ``SignatureBase``.
"""

from __future__ import annotations

import functools
import hashlib
import operator
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, get_args

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
    PARTNER_OPTINS_MAX,
    PARTNERS_MAX,
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
    PHONE = "phone"  # the signer signed on their own phone, through the device's local page (crowd mode)
    WEB = "web"  # signed on the central server's own page (server/pages/sign.py); made by the server, never by a device


# The sync API version (db/wire.py) each mode arrived with. A server that speaks an older one refuses the
# mode for good, so a device sends a signature only to a server that speaks its mode's version and keeps
# it pending otherwise (db/sync/store.py); a new mode must be listed here (a test checks every one is).
# ``web`` has the version in which the server began to make it (2): no device sends it, and the ingest
# refuses it from every device whatever the version (SERVER_MODES), so it holds back nothing on a device.
MODE_API_VERSION: dict[Mode, int] = {Mode.KIOSK: 1, Mode.ASSISTED: 1, Mode.PAPER: 1, Mode.PHONE: 2, Mode.WEB: 2}
# Modes only the server makes: a device's upload or hand-off naming one is refused ("invalid", mode).
SERVER_MODES: tuple[str, ...] = (Mode.WEB.value,)


def modes_beyond(api_version: int) -> tuple[str, ...]:
    """The modes a server speaking ``api_version`` does not know (their values, in the enum's order)."""
    return tuple(mode.value for mode in Mode if MODE_API_VERSION[mode] > api_version)


# Fields added after API version 1, with the version that brought them. A version-1 server drops a field it
# does not know and answers "created" (the device would take the loss for success), so a device keeps a
# signature whose field is filled pending while its server speaks an older version (db/sync/store.py), as
# it does for modes. A sealed signature carries them inside its box, which an older server stores whole.
FIELD_API_VERSION: dict[str, int] = {"partner_optins": 2}


def fields_beyond(api_version: int) -> tuple[str, ...]:
    return tuple(name for name, version in FIELD_API_VERSION.items() if version > api_version)


def held_beyond(api_version: int) -> tuple[str, ...]:
    """What a device holds back from a server speaking ``api_version``: mode values, then field names."""
    return modes_beyond(api_version) + fields_beyond(api_version)


_PARTNER_OPTIN = re.compile(r"[a-z0-9][a-z0-9-]{0,62}:[0-9a-f]{64}")


def partner_optins_text(optins: dict[str, str]) -> str | None:
    """The canonical text of opt-ins {partner slug: SHA-256 of the opt-in text shown}; None when empty."""
    return " ".join(f"{slug}:{digest}" for slug, digest in sorted(optins.items())) or None


def parse_partner_optins(text: str | None) -> dict[str, str]:
    """{partner slug: SHA-256 of its opt-in text} of a stored ``partner_optins`` (validated at save)."""
    if not text:
        return {}
    return dict(item.split(":", 1) for item in text.split(" "))


def _pattern(pattern: str) -> dict[str, Any]:
    """A field's regular expression as pydantic v2 enforces it. SQLModel's own ``Field(regex=...)`` is
    handed to pydantic under its version-1 name and silently not checked."""
    return {"pattern": pattern}


class SignatureBase(SQLModel):
    id: str = Field(primary_key=True, max_length=36, description="UUIDv7 made on the device")
    seq: int = Field(ge=1, description="per-device sequence number")
    campaign_slug: str = Field(index=True, schema_extra=_pattern(SLUG_PATTERN))
    campaign_version: int = Field(ge=1)
    letter_sha256: str = Field(schema_extra=_pattern(SHA256_PATTERN), description="SHA-256 of the exact letter text shown")
    # The locales are not held to LOCALE_PATTERN: a campaign's manifest may list any language code
    # (db/campaigns.py checks only its default), and a signature in one of them must never be refused.
    locale: str = Field(description="locale the letter was shown in")
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
    # API version 2 (FIELD_API_VERSION). Personal data: sealed with the signer's other fields.
    partner_optins: str | None = Field(
        default=None, max_length=PARTNER_OPTINS_MAX,
        description="partners the signer opted in to: 'slug:sha256' (SHA-256 of the opt-in text shown), "
                    "sorted by slug, space-separated; null when none",
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
    consent_text_sha256: str = Field(schema_extra=_pattern(SHA256_PATTERN))
    consent_locale: str = Field()  # as ``locale``: any language code the campaign lists
    consent_given_at: datetime
    utc_offset_minutes: int = Field(ge=-840, le=840, description="device's UTC offset when signing")
    created_at: datetime
    voids: str | None = Field(default=None, max_length=36, description="id of the signature this one voids")
    # The signer's receipt (server/web.py): SHA-256 of the random secret shown only in the thank-you
    # page's QR code. The secret itself is never stored; it is what allows a withdrawal on the page.
    receipt_sha256: str | None = Field(
        default=None, schema_extra=_pattern(SHA256_PATTERN), max_length=64,
        description="SHA-256 (hex) of the receipt secret shown only to the signer",
    )


_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _uuid_text(value: str) -> str:
    if type(value) is str and _CANONICAL_UUID.fullmatch(value):
        return value  # what str(uuid.UUID(value)) gives back: the form made on the device
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

    @field_validator("partner_optins")
    @classmethod
    def _partner_optins(cls, value: str | None) -> str | None:
        if value is None:
            return None
        items = value.split(" ")
        if not all(_PARTNER_OPTIN.fullmatch(item) for item in items):
            raise v.fail(v.INVALID, "partner opt-ins are slug:sha256 pairs")
        slugs = [item.split(":", 1)[0] for item in items]
        if slugs != sorted(set(slugs)) or len(items) > PARTNERS_MAX:
            raise v.fail(v.INVALID, "partner opt-ins are sorted by slug, each once")
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
        if value is None or v.is_normalised_email(value):  # the common case, decided without the full parse
            return value
        return v.normalise_email(value)

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
    if value.tzinfo is UTC:
        return value
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _iso(value: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (isoformat is C-fast and pads the year, unlike strftime)."""
    return as_utc(value).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


WIRE_FIELDS = tuple(SignatureBase.model_fields)
# Fields added after the first release leave the canonical form when empty, so the content hash of a
# signature saved before they existed stays what it was (a retry after an upgrade is still a duplicate).
OMITTED_WHEN_EMPTY = frozenset({"signature_svg", "sealed", "sealed_key", "receipt_sha256", "partner_optins"})


_wire_values = operator.itemgetter(*WIRE_FIELDS)


def _written_as_text(annotation: Any) -> bool:
    """A time or an enum (or an optional one): wire_payload writes its value out as text."""
    kinds = get_args(annotation) or (annotation,)
    return any(isinstance(kind, type) and issubclass(kind, datetime | StrEnum) for kind in kinds)


_TEXT_FORM_FIELDS = tuple(name for name, info in SignatureBase.model_fields.items() if _written_as_text(info.annotation))


def wire_payload(record: SignatureBase | dict[str, Any] | Any) -> dict[str, Any]:
    """The canonical wire form of a signature (device row, schema object or its field values as a
    dict): the same bytes every time, so a retry is byte-identical and both ends compute the same
    content hash."""
    if type(record) is dict:
        out = dict(zip(WIRE_FIELDS, _wire_values(record), strict=True))
    else:
        out = {name: getattr(record, name) for name in WIRE_FIELDS}
    for name in _TEXT_FORM_FIELDS:
        value = out[name]
        if isinstance(value, datetime):
            out[name] = _iso(value)
        elif isinstance(value, StrEnum):
            out[name] = value.value
    for name in OMITTED_WHEN_EMPTY:
        if out[name] is None:
            del out[name]
    return out


def content_hash(record: SignatureBase | Any) -> str:
    """SHA-256 over the canonical JSON of the wire payload (sorted keys, UTF-8)."""
    data = orjson.dumps(wire_payload(record), option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(data).hexdigest()


def wire_hash(wire: dict[str, Any]) -> str:
    """content_hash of the record whose wire payload is ``wire``."""
    return hashlib.sha256(orjson.dumps(wire, option=orjson.OPT_SORT_KEYS)).hexdigest()


# --- records that are already canonical: the server's fast path -------------------------------------
#
# What a device sends is a record SignatureCreate has validated and wire_payload has written; the
# validators are idempotent, so validating it again gives it back unchanged. canonical_record proves
# that at a fraction of the cost of model_validate: the exact types pydantic takes as they are, the
# fields' bounds, the model's own field validators (called directly, and asked whether they return their
# input), exact shortcuts for the costly ones (UUIDs, times, e-mail) and the model's own whole-record
# rules. Any doubt returns None and the caller runs model_validate, so what is accepted or refused, and
# why, never depends on the path. The checks are read from the model itself (_fast_path_plan); a model
# with anything this code does not know turns the fast path off. tests/sync/test_ingest_fast_path.py
# compares the two paths.

_CANONICAL_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")
_MODE_VALUES = {mode.value: mode for mode in Mode}
_WIRE_SET = frozenset(WIRE_FIELDS)
_REQUIRED_ON_WIRE = frozenset(name for name in WIRE_FIELDS if name not in OMITTED_WHEN_EMPTY)
_OMITTED_AS_NONE = {name: None for name in OMITTED_WHEN_EMPTY}
# Validators replaced by exact shortcuts (canonical UUID text is what str(uuid.UUID(...)) gives back;
# a canonical time is parsed as it is; is_normalised_email), or called apart (the phone's reads the country).
_SHORTCUTS = {"_id": ("id",), "_optional_uuid": ("event_id", "voids"), "_utc": ("consent_given_at", "created_at"),
              "_email": ("email",), "_phone": ("phone",)}
# The JSON types a field's annotation takes exactly as they are (pydantic's lax mode converts others,
# e.g. "1" to 1: those records go the full way). type(True) is bool, never int here.
_JSON_TYPES: dict[Any, tuple[type, ...]] = {str: (str,), int: (int,), bool: (bool,), datetime: (str,), Mode: (str,)}


@dataclass(frozen=True)
class _Plan:
    allowed_types: tuple[frozenset[type], ...]  # per wire field, in order
    uuid_fields: tuple[str, ...]
    time_fields: tuple[str, ...]
    int_bounds: tuple[tuple[str, int | None, int | None], ...]
    max_lengths: tuple[tuple[str, int], ...]
    patterns: tuple[tuple[str, Callable[[str], bool]], ...]  # (field, whether a value matches its pattern)
    validators: tuple[tuple[str, Any], ...]  # (field, the model's validator), in the model's order


def _fast_path_plan() -> _Plan | None:
    """The checks canonical_record makes, read from SignatureCreate; None when the model has something
    they do not cover (another kind of constraint, validator mode or type)."""
    import types as pytypes
    import typing

    import annotated_types
    from sqlmodel.main import FieldInfoMetadata

    if SignatureCreate.model_config.get("extra") not in (None, "ignore") or SignatureCreate.model_config.get("strict"):
        return None
    allowed: list[frozenset[type]] = []
    times: list[str] = []
    bounds: list[tuple[str, int | None, int | None]] = []
    lengths: list[tuple[str, int]] = []
    patterns: list[tuple[str, Callable[[str], bool]]] = []
    for name in WIRE_FIELDS:
        field = SignatureCreate.model_fields[name]
        annotation, optional = field.annotation, False
        if typing.get_origin(annotation) in (typing.Union, pytypes.UnionType):
            args = typing.get_args(annotation)
            if len(args) != 2 or type(None) not in args:
                return None
            annotation, optional = next(a for a in args if a is not type(None)), True
        if annotation not in _JSON_TYPES or (name in OMITTED_WHEN_EMPTY and not optional):
            return None
        allowed.append(frozenset(_JSON_TYPES[annotation] + ((type(None),) if optional else ())))
        if annotation is datetime:
            times.append(name)
        for constraint in field.metadata:
            if isinstance(constraint, FieldInfoMetadata):
                continue  # SQLAlchemy's column options
            if isinstance(constraint, annotated_types.MaxLen) and annotation is str:
                lengths.append((name, constraint.max_length))
            elif annotation is str and set(getattr(constraint, "__dict__", ())) == {"pattern"}:
                patterns.append((name, _pattern_matcher(constraint.pattern)))
            elif isinstance(constraint, annotated_types.Ge) and annotation is int:
                bounds.append((name, int(constraint.ge), None))  # type: ignore[call-overload]
            elif isinstance(constraint, annotated_types.Le) and annotation is int:
                bounds.append((name, None, int(constraint.le)))  # type: ignore[call-overload]
            else:
                return None
    if set(times) != set(_SHORTCUTS["_utc"]):
        return None
    decorators = SignatureCreate.__pydantic_decorators__
    if set(decorators.model_validators) != {"_record_rules"} or decorators.model_validators["_record_rules"].info.mode != "after":
        return None
    validators = []
    for name, decorator in decorators.field_validators.items():
        if decorator.info.mode != "after":
            return None
        if name in _SHORTCUTS:
            if tuple(decorator.info.fields) != _SHORTCUTS[name]:
                return None
            continue
        for field_name in decorator.info.fields:
            validators.append((field_name, getattr(SignatureCreate, name)))
    validators.sort(key=lambda pair: WIRE_FIELDS.index(pair[0]))  # pydantic's order: the fields'
    return _Plan(tuple(allowed), ("id", *_SHORTCUTS["_optional_uuid"]), tuple(times), tuple(bounds),
                 tuple(lengths), tuple(patterns), tuple(validators))


def _pattern_matcher(pattern: str) -> Callable[[str], bool]:
    """Whether a string matches ``pattern`` as the model checks it: pydantic-core's own check (its
    regular expressions differ from Python's: ``$`` does not match before a final newline)."""
    from pydantic_core import SchemaValidator, core_schema
    from pydantic_core import ValidationError as CoreValidationError

    check = SchemaValidator(core_schema.str_schema(pattern=pattern))

    def matches(value: str) -> bool:
        try:
            check.validate_python(value)
        except CoreValidationError:
            return False
        return True

    return matches


_PLAN = _fast_path_plan()
_SHAPES: dict[tuple[type, ...], bool] = {}  # the types of a record's fields -> all allowed
_email_validator = SignatureCreate._email
_phone_validator = SignatureCreate._phone
_record_rules: Any = SignatureCreate._record_rules


class _PhoneInfo:
    """The part of pydantic's ValidationInfo that SignatureCreate._phone reads."""

    __slots__ = ("data", "context")

    def __init__(self, country: str | None) -> None:
        self.data = {"country": country} if country is not None else {}
        self.context = None


class _Fields:
    """A record's values as attributes, as the model's whole-record rules read them."""


def _fields(values: dict[str, Any]) -> _Fields:
    """``values`` as attributes, the dict itself rather than a copy of it (as SimpleNamespace makes)."""
    fields = _Fields()
    fields.__dict__ = values
    return fields


def _unchanged(validator: Any, value: Any, *args: Any) -> bool:
    try:
        return bool(validator(value, *args) == value)
    except Exception:  # a refusal: the full validation says which
        return False


def _shape_allowed(shape: tuple[type, ...], plan: _Plan) -> bool:
    allowed = all(t in types for t, types in zip(shape, plan.allowed_types, strict=True))
    if len(_SHAPES) < 4096:
        _SHAPES[shape] = allowed
    return allowed


class CanonicalRecord:
    """A record canonical_record vouched for: ``values`` as SignatureCreate would hold them (every wire
    field; times as aware UTC datetimes, the mode as Mode), ``wire`` its wire payload."""

    __slots__ = ("values", "wire")

    def __init__(self, values: dict[str, Any], wire: dict[str, Any]) -> None:
        self.values = values
        self.wire = wire

    @property
    def content_hash(self) -> str:
        return wire_hash(self.wire)


def canonical_record(item: Any) -> CanonicalRecord | None:
    """``item`` (a decoded JSON object) when SignatureCreate.model_validate would accept it and give back
    exactly it; None when that is not certain (then validate it in full)."""
    plan = _PLAN
    if plan is None or type(item) is not dict:
        return None
    keys = item.keys()
    if not keys >= _REQUIRED_ON_WIRE:
        return None
    if keys <= _WIRE_SET:
        values = {**_OMITTED_AS_NONE, **item}
        # the item is its own wire payload unless it spells out an empty late field
        late = keys & OMITTED_WHEN_EMPTY
        wire = item if not late or all(item[name] is not None for name in late) else None
    else:  # unknown keys are ignored, as the model ignores them
        values = {**_OMITTED_AS_NONE, **{name: item[name] for name in WIRE_FIELDS if name in item}}
        wire = None
    shape = tuple(map(type, _wire_values(values)))
    allowed = _SHAPES.get(shape)
    if not (allowed if allowed is not None else _shape_allowed(shape, plan)):
        return None
    if wire is None:
        wire = {name: value for name, value in values.items() if value is not None or name not in OMITTED_WHEN_EMPTY}
    if values["mode"] not in _MODE_VALUES:
        return None
    for name in plan.uuid_fields:
        if values[name] is not None and _CANONICAL_UUID.fullmatch(values[name]) is None:
            return None
    for name, low, high in plan.int_bounds:
        if (low is not None and values[name] < low) or (high is not None and values[name] > high):
            return None
    for name, limit in plan.max_lengths:
        if values[name] is not None and len(values[name]) > limit:
            return None
    for name, matches in plan.patterns:
        if values[name] is not None and not matches(values[name]):
            return None
    for name, validator in plan.validators:
        if values[name] is not None and not _unchanged(validator, values[name]):
            return None
    email = values["email"]
    if email is not None and not (v.is_normalised_email(email) or _unchanged(_email_validator, email)):
        return None
    phone = values["phone"]
    if phone is not None and not _unchanged(_phone_validator, phone, _PhoneInfo(values["country"])):
        return None
    for name in plan.time_fields:
        text = values[name]
        if _CANONICAL_TIME.fullmatch(text) is None:
            return None
        try:
            values[name] = datetime.fromisoformat(text)  # aware UTC (the Z), as as_utc makes it
        except ValueError:
            return None
    values["mode"] = _MODE_VALUES[values["mode"]]
    try:
        _record_rules(_fields(values))
    except Exception:
        return None
    return CanonicalRecord(values, wire)


# --- a whole batch at once ---------------------------------------------------------------------------
#
# canonical_record's checks, one column of the batch at a time: the per-field loops of every record
# become one pass over each column in C (types, bounds, lengths, patterns), and each validator is asked
# once per distinct value (a batch from one stand repeats its city, country, e-mail domain...). A
# column that fails a check is looked at value by value, so only its records lose the shortcut: the
# answer for each record is exactly canonical_record's (tests/sync/test_ingest_fast_path.py compares
# them on mixed batches).

_key_kinds: dict[tuple[Any, ...], tuple[str, ...] | None] = {}  # a record's keys in order -> _plain_wire_keys


def _plain_wire_keys(item: dict[str, Any]) -> tuple[str, ...] | None:
    """When the record's keys are wire fields only and name every one that is required on the wire: the
    fields of OMITTED_WHEN_EMPTY among them. Else None."""
    names = tuple(item)
    if names in _key_kinds:
        return _key_kinds[names]
    keys = item.keys()
    kind = tuple(sorted(keys & OMITTED_WHEN_EMPTY)) if keys <= _WIRE_SET and keys >= _REQUIRED_ON_WIRE else None
    if len(_key_kinds) < 1024:
        _key_kinds[names] = kind
    return kind


def _refused_values(column: Sequence[Any], accepts: Callable[[Any], bool]) -> set[Any]:
    """The distinct values of ``column`` (None left out) that ``accepts`` refuses, each asked once."""
    return {value for value in set(column) if value is not None and not accepts(value)}


def _canonical_email(email: str) -> bool:
    return v.is_normalised_email(email) or _unchanged(_email_validator, email)


# Below this many records the column-by-column checks cost more than they save (their set-up is per
# call): at 1 record 56 us against 12 one by one, even at about 12 (a scratch timing of both).
COLUMNS_FROM = 12


def canonical_records(items: Sequence[Any]) -> list[CanonicalRecord | None]:
    """``[canonical_record(item) for item in items]``, with the checks made column by column in a batch
    of at least COLUMNS_FROM (a web signature is a batch of one)."""
    if len(items) < COLUMNS_FROM:
        return [canonical_record(item) for item in items]
    plan = _PLAN
    found: list[CanonicalRecord | None] = [None] * len(items)
    if plan is None:
        return found
    at: list[int] = []  # positions in items of the records checked column by column
    records: list[dict[str, Any]] = []
    lates: list[tuple[str, ...]] = []  # each record's fields of OMITTED_WHEN_EMPTY
    for position, item in enumerate(items):
        if type(item) is not dict:
            continue
        late = _plain_wire_keys(item)
        if late is None:
            found[position] = canonical_record(item)  # unknown keys or a required one missing: one by one
            continue
        at.append(position)
        records.append(item)
        lates.append(late)
    if not records:
        return found
    merged = [{**_OMITTED_AS_NONE, **item} for item in records]  # the values, once their types are known
    rows = list(map(_wire_values, merged))
    columns = list(zip(*rows, strict=True))
    bad: set[int] = set()  # row numbers refused by a check
    for column, allowed in zip(columns, plan.allowed_types, strict=True):
        if not set(map(type, column)) <= allowed:
            bad.update(row for row, value in enumerate(column) if type(value) not in allowed)
    if bad:  # the checks below assume the types: take the rows of a wrong type out first
        keep = [row for row in range(len(rows)) if row not in bad]
        at = [at[row] for row in keep]
        records = [records[row] for row in keep]
        lates = [lates[row] for row in keep]
        merged = [merged[row] for row in keep]
        rows = [rows[row] for row in keep]
        if not rows:
            return found
        columns = list(zip(*rows, strict=True))
        bad = set()
    column_of = dict(zip(WIRE_FIELDS, columns, strict=True))

    def refuse(name: str, refused: set[Any]) -> None:
        if refused:
            bad.update(row for row, value in enumerate(column_of[name]) if value in refused)

    if not set(column_of["mode"]) <= _MODE_VALUES.keys():
        refuse("mode", set(column_of["mode"]) - _MODE_VALUES.keys())
    for name in plan.uuid_fields:
        present = [value for value in column_of[name] if value is not None]
        if not all(map(_CANONICAL_UUID.fullmatch, present)):
            refuse(name, {value for value in present if _CANONICAL_UUID.fullmatch(value) is None})
    for name, low, high in plan.int_bounds:
        numbers = [value for value in column_of[name] if value is not None]
        if (low is not None and min(numbers, default=low) < low) or (high is not None and max(numbers, default=high) > high):
            refuse(name, {value for value in numbers if (low is not None and value < low) or (high is not None and value > high)})
    for name, limit in plan.max_lengths:
        present = [value for value in column_of[name] if value is not None]
        if max(map(len, present), default=0) > limit:
            refuse(name, {value for value in present if len(value) > limit})
    for name, matches in plan.patterns:
        refuse(name, _refused_values(column_of[name], matches))
    for name, validator in plan.validators:
        refuse(name, _refused_values(column_of[name], functools.partial(_unchanged, validator)))
    refuse("email", _refused_values(column_of["email"], _canonical_email))
    phones = {(phone, country) for phone, country in zip(column_of["phone"], column_of["country"], strict=True)
              if phone is not None}
    refused_phones = {pair for pair in phones if not _unchanged(_phone_validator, pair[0], _PhoneInfo(pair[1]))}
    if refused_phones:
        bad.update(row for row, pair in enumerate(zip(column_of["phone"], column_of["country"], strict=True))
                   if pair in refused_phones)
    times: dict[str, list[datetime | None]] = {}
    for name in plan.time_fields:
        column = column_of[name]
        if all(map(_CANONICAL_TIME.fullmatch, column)):
            try:
                times[name] = list(map(datetime.fromisoformat, column))  # aware UTC (the Z), as as_utc makes it
                continue
            except ValueError:
                pass
        parsed: list[datetime | None] = []
        for row, text in enumerate(column):
            try:
                parsed.append(datetime.fromisoformat(text) if _CANONICAL_TIME.fullmatch(text) else None)
            except ValueError:
                parsed.append(None)
            if parsed[-1] is None:
                bad.add(row)
        times[name] = parsed
    for name, parsed in times.items():  # a refused row's values are dropped below, whatever they hold
        for values, when in zip(merged, parsed, strict=True):
            values[name] = when
    for values in merged:
        values["mode"] = _MODE_VALUES.get(values["mode"])
    for row, (position, item, values, late) in enumerate(zip(at, records, merged, lates, strict=True)):
        if row in bad:
            continue
        try:
            _record_rules(_fields(values))
        except Exception:
            continue
        wire = item if not late or all(item[name] is not None for name in late) else {
            name: value for name, value in item.items() if value is not None or name not in OMITTED_WHEN_EMPTY}
        found[position] = CanonicalRecord(values, wire)
    return found
