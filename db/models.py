"""The device's tables. The server has its own in ``server/``; only the wire schemas are shared."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from db.schemas import Mode, SignatureBase


def utcnow() -> datetime:
    return datetime.now(UTC)


class SyncState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    ACKED = "acked"
    NEEDS_ATTENTION = "needs_attention"
    SET_ASIDE = "set_aside"  # the coordinator put it aside with a reason (audit log); never deleted, never sent


class Signature(SignatureBase, table=True):
    """One saved signature. Immutable once saved (a trigger refuses changes to the signed content);
    only the sync columns move. A correction or an undo is a new row whose ``voids`` names this one.
    The one exception is the retention purge (``db.retention``): an acknowledged row's personal fields
    are blanked and ``purged_at`` stamped; the rest stays as a receipt (migration 0005's trigger)."""

    __tablename__ = "signature"
    __table_args__ = (
        UniqueConstraint("seq", name="uq_signature_seq"),
    )

    event_id: str | None = Field(default=None, foreign_key="event.id", max_length=36)
    mode: Mode = Field(default=Mode.KIOSK, sa_type=String(8))
    voids: str | None = Field(default=None, foreign_key="signature.id", max_length=36)
    content_hash: str = Field(max_length=64)
    sync_state: SyncState = Field(default=SyncState.PENDING, index=True, sa_type=String(16))
    sync_reason: str | None = None
    acked_at: datetime | None = None
    purged_at: datetime | None = None
    sealed_key: str | None = Field(default=None, max_length=16)


class SealingKey(SQLModel, table=True):
    """A server's sealing public key this device was given (enrollment, sync). Never deleted: once a
    device has held a key, a ``when-key`` campaign never goes back to saving in clear."""

    __tablename__ = "sealing_key"

    key_id: str = Field(primary_key=True, max_length=16)
    public_key: str = Field(max_length=64, description="X25519, base64")
    server_url: str | None = None
    active: bool = False
    added_at: datetime = Field(default_factory=utcnow)


class CampaignVersion(SQLModel, table=True):
    """A campaign bundle installed on this device, at one version. The bundle's texts stay in their
    files; the hashes here are what signatures point at."""

    __tablename__ = "campaign_version"
    __table_args__ = (UniqueConstraint("slug", "version", name="uq_campaign_slug_version"),)

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(index=True)
    version: int
    title: str
    source: str = Field(description="builtin, server or import")
    bundle_path: str | None = Field(default=None, description="folder of a non-built-in bundle")
    locale_hashes: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    installed_at: datetime = Field(default_factory=utcnow)


class Event(SQLModel, table=True):
    __tablename__ = "event"

    id: str = Field(primary_key=True, max_length=36)
    name: str
    place: str | None = None
    date: date
    created_at: datetime = Field(default_factory=utcnow)


class AuditEntry(SQLModel, table=True):
    """Append-only (triggers refuse UPDATE and DELETE). Never holds personal data or secrets."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    kind: str = Field(index=True)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class SettingsRow(SQLModel, table=True):
    """The one row holding the validated ``db.settings.Settings`` object as JSON."""

    __tablename__ = "settings"

    id: int = Field(default=1, primary_key=True)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)


class SignatureCount(SQLModel, table=True):
    """Signatures per campaign on this device, kept by triggers so the letter page's count costs the
    same with a million rows as with none. A void counts -1."""

    __tablename__ = "signature_count"

    campaign_slug: str = Field(primary_key=True)
    total: int = 0
    acked: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class SignatureHour(SQLModel, table=True):
    """Signatures per campaign and UTC hour (``YYYY-MM-DD HH``), kept by a trigger (migration 0005) for
    the coordinator's per-hour chart. A void counts -1."""

    __tablename__ = "signature_hour"

    campaign_slug: str = Field(primary_key=True)
    hour: str = Field(primary_key=True, max_length=13)
    total: int


class SignatureEventCount(SQLModel, table=True):
    """Signatures per event and campaign, kept by a trigger (migration 0005). A void counts -1."""

    __tablename__ = "signature_event_count"

    event_id: str = Field(primary_key=True, max_length=36)
    campaign_slug: str = Field(primary_key=True)
    total: int


class ServerCount(SQLModel, table=True):
    """The server's public count per campaign, as it last reported it (sync, or the count route)."""

    __tablename__ = "server_count"

    campaign_slug: str = Field(primary_key=True)
    total: int
    reported_at: datetime = Field(default_factory=utcnow)


class SyncRun(SQLModel, table=True):
    """One sync run (headless or automatic): outcome and counts, for status and the coordinator.
    Never holds personal data or the device token."""

    __tablename__ = "sync_run"

    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime
    finished_at: datetime = Field(index=True)
    outcome: str = Field(max_length=16)
    server_url: str | None = None
    sent: int = 0
    duplicates: int = 0
    attention: int = 0
    pending: int = 0
    message: str | None = None
