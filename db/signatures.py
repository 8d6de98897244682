"""Saving and counting signatures on the device.

:func:`save_signature` is the only way a signature gets into the database (the GUI's Sign button,
assisted mode and paper import all call it): it validates, inserts and commits, and returns only after
the commit, so whatever the caller shows next ("thank you") is shown for a signature that is on disk.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from uuid6 import uuid7

from db import sealing
from db import validation as v
from db.campaigns import Campaign, Form, LocalisedCampaign
from db.engine import immediate_cursor
from db.fields import PERSONAL_FIELDS, SIGNER_FIELDS
from db.models import ServerCount, Signature, SignatureCount, SyncState
from db.schemas import Mode, SignatureCreate, partner_optins_text, wire_hash, wire_payload


@dataclass
class SignatureDraft:
    """What the signer (or the volunteer typing for them) entered, before it becomes a record."""

    fields: dict[str, str | None] = field(default_factory=dict)
    consent_processing: bool = False
    consent_updates: bool | None = None
    mode: Mode = Mode.KIOSK
    paper_sheet: str | None = None
    event_id: str | None = None
    id: str | None = None  # set only for deterministic ids (paper import)
    given_at: datetime | None = None
    # The receipt secret (new_receipt_secret) shown in the thank-you page's QR code: only its SHA-256
    # is saved (receipt_sha256), never the secret itself.
    receipt_secret: str | None = field(default=None, repr=False)
    # The slugs of the partners whose opt-in the signer ticked (each offered one is unticked by default).
    partners: frozenset[str] = frozenset()


def new_receipt_secret() -> str:
    """A random secret for a signature's receipt link (the server allows a withdrawal only with it)."""
    return secrets.token_urlsafe(16)


def receipt_sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def receipt_url(template: str, signature_id: str, secret: str | None) -> str:
    """The campaign's receipt link (``[links] receipt``, with ``{id}``) for this signature, carrying
    its secret as ``k=`` when there is one."""
    url = template.replace("{id}", signature_id)
    if not secret:
        return url
    base, hash_mark, fragment = url.partition("#")
    joined = f"{base}{'&' if '?' in base else '?'}k={secret}"
    return f"{joined}#{fragment}" if hash_mark else joined


@dataclass(frozen=True)
class SavedSignature:
    id: str
    seq: int
    content_hash: str
    duplicate: bool = False  # an identical id was already on disk (paper import twice)


def check_form(data: dict[str, Any], form: Form) -> list[v.FieldError]:
    """The campaign's own rules: which fields it asks for and which of them are required."""
    errors = []
    asked = form.asked  # field name -> required
    named = False
    for name in PERSONAL_FIELDS:
        present = _filled(data.get(name))
        if present:
            named = named or name in _NAME_FIELDS
            if name not in asked:
                errors.append(v.FieldError(name, v.NOT_ASKED))
        elif asked.get(name):
            errors.append(v.FieldError(name, v.REQUIRED))
    drawn = _filled(data.get("signature_svg"))
    if drawn and form.handwriting == "off":
        errors.append(v.FieldError("signature_svg", v.NOT_ASKED))
    elif not drawn and form.handwriting == "required" and not data.get("voids") and data.get("mode") != Mode.PAPER:
        # (a paper sheet carries its signer's own signature, on the paper)
        errors.append(v.FieldError("signature_svg", v.REQUIRED))
    if not data.get("voids") and not data.get("consent_processing"):
        errors.append(v.FieldError("consent_processing", v.CONSENT_REQUIRED))
    if form.require_a_name and not named:
        target = "given_name" if "given_name" in asked else "family_name"
        if not any(e.field == target for e in errors):
            errors.append(v.FieldError(target, v.REQUIRED))
    return errors


_NAME_FIELDS = frozenset({"given_name", "family_name"})


def _filled(value: Any) -> bool:
    """Present as the schema will see it: white space alone is blank (the schema makes it None)."""
    return bool(value.strip()) if isinstance(value, str) else bool(value)


def local_offset_minutes(moment: datetime) -> int:
    offset = moment.astimezone().utcoffset()
    return int(offset.total_seconds() // 60) if offset else 0


def build_record(draft: SignatureDraft, shown: LocalisedCampaign, *, now: datetime | None = None) -> SignatureCreate:
    """Validate ``draft`` for the campaign as shown; raise SignatureInvalid with every field's problem."""
    now = now or datetime.now(UTC)
    given_at = draft.given_at or now
    form = shown.campaign.manifest.form
    consent_updates = draft.consent_updates if form.ask_updates else None
    if form.ask_updates and consent_updates is None:
        consent_updates = False  # asked and left unticked: a clear "no"
    data: dict[str, Any] = {
        "id": draft.id or str(uuid7()),
        "seq": 1,  # the real number is taken inside the write transaction
        "campaign_slug": shown.campaign.slug,
        "campaign_version": shown.campaign.version,
        "letter_sha256": shown.letter_sha256,
        "locale": shown.locale,
        "event_id": draft.event_id,
        "mode": draft.mode,
        "paper_sheet": draft.paper_sheet,
        **{name: draft.fields.get(name) for name in SIGNER_FIELDS},
        "consent_processing": draft.consent_processing,
        "consent_updates": consent_updates,
        # An unreviewed translation is shown with the English consent beside it: the hash covers
        # both texts, the locale names the translation (LocalisedCampaign.consent_record_sha256).
        "consent_text_sha256": shown.consent_record_sha256,
        "consent_locale": shown.locale,
        "consent_given_at": given_at,
        "utc_offset_minutes": local_offset_minutes(given_at),
        "created_at": now,
        "receipt_sha256": receipt_sha256(draft.receipt_secret) if draft.receipt_secret else None,
    }
    errors = check_form(data, form)
    data["partner_optins"], partner_errors = partner_optins(draft.partners, shown)
    errors += partner_errors
    try:
        record = SignatureCreate.model_validate(data, context={"default_region": form.default_country})
    except ValidationError as exc:
        errors = _merge(errors, v.SignatureInvalid.from_pydantic(exc).errors)
        raise v.SignatureInvalid(errors) from None
    if errors:
        raise v.SignatureInvalid(errors)
    return record


def partner_optins(chosen: frozenset[str] | set[str], shown: LocalisedCampaign) -> tuple[str | None, list[v.FieldError]]:
    """The canonical ``partner_optins`` of the partners ``chosen`` on the form as ``shown``: each with the
    SHA-256 of its opt-in text as shown. A slug the campaign does not offer is a "not asked" error."""
    offered = {partner.slug: partner for partner in shown.campaign.manifest.partners}
    if any(slug not in offered for slug in chosen):
        return None, [v.FieldError("partner_optins", v.NOT_ASKED)]
    return partner_optins_text({slug: shown.partner_consent_record_sha256(offered[slug])
                                for slug in chosen}), []


def _merge(first: list[v.FieldError], second: list[v.FieldError]) -> list[v.FieldError]:
    """One message per field: the schema's specific complaint wins over a generic one."""
    by_field = {e.field: e for e in first}
    by_field.update({e.field: e for e in second})
    return list(by_field.values())


def save_signature(draft: SignatureDraft, *, engine: Engine, shown: LocalisedCampaign) -> SavedSignature:
    """Validate, seal when the campaign says so (db/sealing.py), insert, commit. Returns only after
    the commit is durable (synchronous=FULL). Raises SignatureInvalid, or SealingUnavailable when the
    campaign must seal and this device holds no key."""
    record = build_record(draft, shown)
    return save_record(record, engine=engine, campaign=shown.campaign)


def save_record(record: SignatureCreate, *, engine: Engine, campaign: Campaign | None = None) -> SavedSignature:
    """Insert an already validated record and commit; return after the commit. With ``campaign``,
    the record is sealed first when the campaign's policy and the device's keys say so
    (db/sealing.py; raises SealingUnavailable when it must be and cannot); callers that seal
    themselves (paper import) or save no signer's data (voids) pass none.

    This is the hot path of every signature, so it speaks to the engine's write connection (DBAPI) directly
    (``db.engine.immediate_cursor``). The write lock is taken up front (BEGIN IMMEDIATE), so the
    sequence number read just before the insert cannot be taken by another process. An id already on disk (a paper row imported again) inserts
    nothing and reports the stored record as a duplicate.
    """
    with immediate_cursor(engine) as cursor:
        seq, active_key, ever_held = cursor.execute(_SAVE_STATE_SQL).fetchone()
        if campaign is not None:
            record = sealing.prepare(record, campaign, held=sealing.held_from(active_key, ever_held))
        if record.voids is not None:
            _check_void_target(cursor, record.voids)
        # The fields' values, all scalars: what model_dump() gives, read straight from where pydantic
        # keeps them (a hot path: model_dump walks the schema, dict(record) a generator).
        values = record.__dict__.copy()
        values["seq"] = seq
        digest = wire_hash(wire_payload(values))
        values["content_hash"] = digest
        values["sync_state"] = SyncState.PENDING.value
        cursor.execute(_INSERT_SQL, _bind(values, engine.dialect))
        if cursor.rowcount == 1:
            return SavedSignature(record.id, seq, digest)
        stored_seq, stored_hash = cursor.execute(_STORED_SQL, (record.id,)).fetchone()
        return SavedSignature(record.id, stored_seq, stored_hash, duplicate=True)


class VoidRefused(ValueError):
    """A signature can be withdrawn once, and a withdrawal cannot itself be withdrawn."""


def _check_void_target(cursor: Any, target_id: str) -> None:
    """Inside the write transaction, so two undos racing cannot both pass."""
    target = cursor.execute("SELECT voids FROM signature WHERE id = ?", (target_id,)).fetchone()
    if target is None:
        raise VoidRefused(f"no signature {target_id} on this device")
    if target[0] is not None:
        raise VoidRefused("a withdrawal cannot be withdrawn")
    if cursor.execute("SELECT 1 FROM signature WHERE voids = ? LIMIT 1", (target_id,)).fetchone():
        raise VoidRefused("this signature is already withdrawn")


_TABLE = Signature.__table__  # type: ignore[attr-defined]
# One statement at the start of every save: the next sequence number and the sealing keys held.
_SAVE_STATE_SQL = f"SELECT (SELECT coalesce(max(seq), 0) + 1 FROM signature), {sealing.HELD_COLUMNS}"
_STORED_SQL = "SELECT seq, content_hash FROM signature WHERE id = ?"
# Written out once, and values go through each column's own bind processor, so what is stored is
# exactly what the ORM would store and read back.
_COLUMNS = tuple(column.name for column in _TABLE.columns)
_INSERT_SQL = (
    f"INSERT INTO signature ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' for _ in _COLUMNS)}) "
    "ON CONFLICT (id) DO NOTHING"
)
# Per dialect: (position, bind processor) of the columns that have one (booleans, times).
_BINDERS: dict[str, tuple[tuple[int, Any], ...]] = {}


def _bind(values: dict[str, Any], dialect: Any) -> list[Any]:
    binders = _BINDERS.get(dialect.name)
    if binders is None:
        processors = ((i, column.type.bind_processor(dialect)) for i, column in enumerate(_TABLE.columns))
        binders = _BINDERS[dialect.name] = tuple((i, process) for i, process in processors if process is not None)
    row = [values.get(name) for name in _COLUMNS]
    for i, process in binders:
        if row[i] is not None:
            row[i] = process(row[i])
    return row


def void_signature(target_id: str, *, engine: Engine, now: datetime | None = None) -> SavedSignature:
    """Save a void: a new record that withdraws ``target_id`` (an undo or a correction)."""
    now = now or datetime.now(UTC)
    with Session(engine) as session:
        target = session.get(Signature, target_id)
        if target is None:
            raise KeyError(target_id)
        data = {
            name: getattr(target, name)
            for name in ("campaign_slug", "campaign_version", "letter_sha256", "locale", "event_id",
                         "consent_text_sha256", "consent_locale")
        }
    record = SignatureCreate.model_validate({
        **data, "id": str(uuid7()), "seq": 1, "mode": Mode.ASSISTED, "voids": target_id,
        "consent_processing": False, "consent_updates": None, "consent_given_at": now,
        "utc_offset_minutes": local_offset_minutes(now), "created_at": now,
    })
    return save_record(record, engine=engine)


def count_for_campaign(slug: str, *, session: Session) -> int:
    """Signatures for ``slug`` on this device (voids subtracted). O(1): a trigger keeps the total."""
    row = session.get(SignatureCount, slug)
    return row.total if row else 0


def live_count(slug: str, *, session: Session) -> int:
    """The count a signer sees: the server's last reported total plus this device's signatures the
    server has not acknowledged yet, less what it refused. An acknowledged signature is in the
    server's total, so it is never counted twice; before any report, it is just this device's
    count. Cheap at any size: triggers keep the local totals, and refused rows are few."""
    from db.quick import REFUSED_NET_SQL, combine_live_count

    local = session.get(SignatureCount, slug)
    server = session.get(ServerCount, slug)
    refused = int(session.connection().exec_driver_sql(REFUSED_NET_SQL, (slug,)).scalar_one())
    return combine_live_count(local.total if local else 0, local.acked if local else 0, refused,
                              server.total if server else None)


def record_server_count(slug: str, total: int, *, session: Session, at: datetime | None = None) -> None:
    """Remember the server's total for ``slug``; the caller commits. Call it in the same
    transaction that marks the signatures it includes as acknowledged, so the live count never
    counts one twice or drops one."""
    row = session.get(ServerCount, slug)
    if row is None:
        row = ServerCount(campaign_slug=slug, total=total, reported_at=at or datetime.now(UTC))
    else:
        row.total = total
        row.reported_at = at or datetime.now(UTC)
    session.add(row)


def count_by_state(*, session: Session) -> dict[str, int]:
    rows = session.exec(select(Signature.sync_state, func.count()).group_by(col(Signature.sync_state))).all()
    return {str(state): n for state, n in rows}


def get(signature_id: str, *, session: Session) -> Signature | None:
    return session.get(Signature, signature_id)


def deterministic_id(*parts: str) -> str:
    """A stable id for a record that may be entered twice (a paper row imported again)."""
    return str(uuid.uuid5(_PAPER_NAMESPACE, "\x1f".join(parts)))


_PAPER_NAMESPACE = uuid.UUID("6f1d8a52-3c0e-4b8e-9a57-2f4c1f0b7d11")
