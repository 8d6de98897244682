"""Signers' receipts and withdrawals (the receipt page's queries).

A receipt tells the holder of a signature id whether it arrived, for which campaign and when, and
whether it was withdrawn; never a field the signer typed. A withdrawal is a row in ``withdrawal`` keyed
by the signature id.

Ids are not secrets (a device keeps them, in its exports and hand-off receipts), so a withdrawal needs
the signature's receipt secret: the device showed it only in the thank-you page's QR code and sent
only its SHA-256 (``receipt_sha256``). Signatures without one (older ones, paper, assisted) and ones
not arrived yet cannot be withdrawn on the page. A wrong secret looks exactly like an unknown id.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from db.schemas import as_utc
from server import voids
from server.models import CampaignVersion, StoredSignature, Withdrawal, utcnow

_table = Withdrawal.__table__  # type: ignore[attr-defined]


def canonical_id(text: str) -> str | None:
    """The id in its stored form (lower-case, hyphenated), or None if it is not a UUID at all."""
    if len(text) > 64:
        return None
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return None


@dataclass(frozen=True)
class Receipt:
    signature_id: str
    arrived: bool
    campaign_slug: str | None = None
    campaign_title: str | None = None
    received_at: datetime | None = None
    withdrawn_at: datetime | None = None  # on the receipt page
    voided_on_device: bool = False  # withdrawn at the stand (a device's void record)
    can_withdraw: bool = False  # the right receipt secret was given, and the signature is not withdrawn

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None or self.voided_on_device


SECRET_MAX = 64


def secret_matches(secret: str | None, stored_sha256: str | None) -> bool:
    """Whether ``secret`` is the receipt secret whose SHA-256 is ``stored_sha256`` (constant time)."""
    if not secret or not stored_sha256 or len(secret) > SECRET_MAX:
        return False
    digest = hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()
    return hmac.compare_digest(digest, stored_sha256)


_SAME_ID_LIMIT = 20  # rows sent under one id by different devices that a receipt page looks at


def receipt(signature_id: str, *, session: Session, secret: str | None = None) -> Receipt:
    """What the receipt page shows. Without ``secret``: whether the signature arrived (and was
    withdrawn). With the right one: the same, and whether it may be withdrawn. With a wrong one:
    exactly what an id that never arrived shows."""
    withdrawn = session.exec(select(Withdrawal.withdrawn_at).where(Withdrawal.signature_id == signature_id)).first()
    withdrawn_at = as_utc(withdrawn) if withdrawn is not None else None
    # Ids are scoped to their device: another device may have sent content under this id too. The
    # secret finds the signer's own signature; without it, the first to arrive answers "arrived".
    rows = session.exec(
        select(StoredSignature.campaign_slug, StoredSignature.campaign_version,  # type: ignore[call-overload]
               StoredSignature.received_at, StoredSignature.receipt_sha256, StoredSignature.device_id)
        .where(StoredSignature.id == signature_id, col(StoredSignature.voids).is_(None))
        .order_by(col(StoredSignature.received_at)).limit(_SAME_ID_LIMIT)
    ).all()
    if not rows:  # not arrived, or never made: the same answer
        return Receipt(signature_id, arrived=False, withdrawn_at=None if secret else withdrawn_at)
    row = rows[0] if not secret else next((r for r in rows if secret_matches(secret, r[3])), None)
    if row is None:
        return Receipt(signature_id, arrived=False)  # a wrong secret: as if it never arrived
    slug, version, received_at, _stored_sha256, device_id = row
    title = session.exec(
        select(CampaignVersion.title).where(CampaignVersion.slug == slug, CampaignVersion.version == version)
    ).first()
    voided = session.exec(voids.owned_void_of(signature_id, device_id)).first()  # only its own device's void counts
    return Receipt(signature_id, arrived=True, campaign_slug=slug, campaign_title=title or slug,
                   received_at=as_utc(received_at), withdrawn_at=withdrawn_at, voided_on_device=voided is not None,
                   can_withdraw=bool(secret) and withdrawn_at is None and voided is None)


def withdraw(signature_id: str, secret: str | None, *, session: Session, now: datetime | None = None) -> datetime | None:
    """Record the withdrawal of ``signature_id`` (idempotent: a second one keeps the first time) when
    ``secret`` is its receipt secret; None (and nothing changed) otherwise."""
    stored = session.exec(
        select(StoredSignature.receipt_sha256)
        .where(StoredSignature.id == signature_id, col(StoredSignature.voids).is_(None)).limit(_SAME_ID_LIMIT)
    ).all()
    if not any(secret_matches(secret, stored_sha256) for stored_sha256 in stored):
        return None
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(
        dialect.insert(_table).values(signature_id=signature_id, withdrawn_at=now or utcnow()).on_conflict_do_nothing()
    )
    when = session.exec(select(Withdrawal.withdrawn_at).where(Withdrawal.signature_id == signature_id)).one()
    return as_utc(when)


def all_withdrawals(*, session: Session) -> dict[str, datetime]:
    return {sid: as_utc(at) for sid, at in session.exec(select(Withdrawal.signature_id, Withdrawal.withdrawn_at))}
