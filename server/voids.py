"""Voids are owned: a void withdraws a signature only when the device that sent the void is the device
that sent its target. Ingest refuses a void of another device's signature (``void_target_foreign``),
and every count and page that applies voids asks this module which ones count, so a foreign void
stored before this rule (or written straight into the database) changes nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, union_all
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from server.models import OperatorVoid, StoredSignature


def owned_void_targets(slug: str | None = None) -> Any:
    """A SELECT of the ids voided by their own device (each void row joined to its target sent by the
    same device) or by the operator; of campaign ``slug`` only when given."""
    void, target = _aliases()
    query = select(void.voids).join(
        target, and_(col(target.id) == col(void.voids), col(target.device_id) == col(void.device_id))
    ).where(col(void.voids).is_not(None))
    by_operator = select(OperatorVoid.signature_id)
    if slug is not None:
        query = query.where(col(target.campaign_slug) == slug)
        by_operator = by_operator.where(OperatorVoid.campaign_slug == slug)
    return union_all(query, by_operator)


def owned_void_of(signature_id: str) -> Any:
    """A SELECT naming ``signature_id`` when its own device or the operator voided it (empty when not)."""
    targets = owned_void_targets().subquery()
    return select(targets.c[0]).where(targets.c[0] == signature_id).limit(1)


def void_by_operator(signature_id: str, reason: str, *, session: Session) -> tuple[OperatorVoid, bool] | None:
    """Void a stored signature as the operator (idempotent: a second void keeps the first's reason and
    time). (the void, whether made now); None when no such signature is stored. The caller commits."""
    row = session.exec(select(StoredSignature.device_id, StoredSignature.campaign_slug).where(
        StoredSignature.id == signature_id, col(StoredSignature.voids).is_(None))).first()
    if row is None:
        return None
    existing = session.get(OperatorVoid, signature_id)
    if existing is not None:
        return existing, False
    void = OperatorVoid(signature_id=signature_id, device_id=row[0], campaign_slug=row[1], reason=reason)
    session.add(void)
    return void, True


def _aliases() -> tuple[Any, Any]:
    return aliased(StoredSignature, name="void_row"), aliased(StoredSignature, name="void_target")
