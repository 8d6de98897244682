"""Voids are owned: a void withdraws a signature only when the device that sent the void is the device
that sent its target. Ingest refuses a void of another device's signature (``void_target_foreign``),
and every count and page that applies voids asks this module which ones count, so a foreign void
stored before this rule (or written straight into the database) changes nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, tuple_, union_all
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from server.models import OperatorVoid, StoredSignature


def owned_void_targets(slug: str | None = None) -> Any:
    """A SELECT of (device id, signature id) of the signatures voided by their own device (each void row
    joined to its target sent by the same device: ids are scoped to their device) or by the operator;
    of campaign ``slug`` only when given."""
    void, target = _aliases()
    query = select(void.device_id, void.voids).join(
        target, and_(col(target.id) == col(void.voids), col(target.device_id) == col(void.device_id))
    ).where(col(void.voids).is_not(None))
    by_operator = select(OperatorVoid.device_id, OperatorVoid.signature_id)
    if slug is not None:
        query = query.where(col(target.campaign_slug) == slug)
        by_operator = by_operator.where(OperatorVoid.campaign_slug == slug)
    return union_all(query, by_operator)


def is_voided() -> Any:
    """A condition on StoredSignature: this signature was voided by its own device or the operator."""
    return tuple_(col(StoredSignature.device_id), col(StoredSignature.id)).in_(owned_void_targets())


def owned_void_of(signature_id: str, device_id: str) -> Any:
    """A SELECT naming the signature ``signature_id`` of ``device_id`` when its own device or the
    operator voided it (empty when not)."""
    targets = owned_void_targets().subquery()
    return select(targets.c[1]).where(targets.c[0] == device_id, targets.c[1] == signature_id).limit(1)


def void_by_operator(signature_id: str, reason: str, *, session: Session,
                     device_id: str | None = None) -> tuple[OperatorVoid, bool] | str:
    """Void a stored signature as the operator (idempotent: a second void keeps the first's reason and
    time): (the void, whether made now). Otherwise why not: "unknown" (no such signature stored), or
    "ambiguous" (two devices sent this id: name the device). The caller commits."""
    query = select(StoredSignature.device_id, StoredSignature.campaign_slug).where(
        StoredSignature.id == signature_id, col(StoredSignature.voids).is_(None))
    if device_id is not None:
        query = query.where(StoredSignature.device_id == device_id)
    rows = session.exec(query).all()
    if len(rows) != 1:
        return "unknown" if not rows else "ambiguous"
    device, slug = rows[0]
    existing = session.get(OperatorVoid, (signature_id, device))
    if existing is not None:
        return existing, False
    void = OperatorVoid(signature_id=signature_id, device_id=device, campaign_slug=slug, reason=reason)
    session.add(void)
    return void, True


def _aliases() -> tuple[Any, Any]:
    return aliased(StoredSignature, name="void_row"), aliased(StoredSignature, name="void_target")
