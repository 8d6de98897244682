"""The append-only audit log. Callers pass facts (counts, ids, outcomes), never personal data."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from db.models import AuditEntry


def record(kind: str, *, session: Session, **detail: Any) -> AuditEntry:
    entry = AuditEntry(kind=kind, detail=detail)
    session.add(entry)
    return entry


def recent(*, session: Session, limit: int = 200, kind: str | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(col(AuditEntry.id).desc()).limit(limit)
    if kind is not None:
        query = query.where(AuditEntry.kind == kind)
    return list(session.exec(query))
