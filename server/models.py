"""The server's tables. They live on their own SQLAlchemy registry (and so their own MetaData), apart
from the device's tables in ``db.models``, although the signature table builds on the same
``db.schemas.SignatureBase`` as the device's."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, DateTime, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from db.schemas import Mode, SignatureBase

server_registry = registry()
metadata = server_registry.metadata


def utcnow() -> datetime:
    return datetime.now(UTC)


def _ts(**kw: Any) -> Any:
    return Field(sa_type=DateTime(timezone=True), **kw)


class ServerModel(SQLModel, registry=server_registry):
    """Base of every server table (keeps them off ``SQLModel.metadata``, which the device uses)."""


class Device(ServerModel, table=True):
    __tablename__ = "device"

    id: str = Field(primary_key=True, max_length=36)
    name: str = Field(max_length=64, index=True)
    created_at: datetime = _ts(default_factory=utcnow)
    enrolled_at: datetime | None = _ts(default=None)
    revoked_at: datetime | None = _ts(default=None)
    token_hash: str | None = Field(default=None, max_length=64, unique=True)
    public_key: str | None = Field(default=None, max_length=64, description="Ed25519, base64")
    app_version: str | None = Field(default=None, max_length=64)
    last_seen_at: datetime | None = _ts(default=None)
    last_clock_offset_ms: int | None = Field(default=None, sa_type=BigInteger)


class EnrollmentCode(ServerModel, table=True):
    __tablename__ = "enrollment_code"

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(max_length=64, unique=True)
    device_id: str = Field(foreign_key="device.id", max_length=36, index=True)
    created_at: datetime = _ts(default_factory=utcnow)
    expires_at: datetime = _ts()
    used_at: datetime | None = _ts(default=None)


class Campaign(ServerModel, table=True):
    __tablename__ = "campaign"

    slug: str = Field(primary_key=True, max_length=63)
    created_at: datetime = _ts(default_factory=utcnow)
    closed_at: datetime | None = _ts(default=None)
    web_paused_at: datetime | None = _ts(default=None)  # the operator paused its web page (server/pages/sign.py)


class CampaignVersion(ServerModel, table=True):
    """A published bundle version. Immutable: the zip and its hash never change once stored."""

    __tablename__ = "campaign_version"
    __table_args__ = (UniqueConstraint("slug", "version", name="uq_campaign_version_slug_version"),)

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(foreign_key="campaign.slug", max_length=63, index=True)
    version: int
    title: str
    goal: int
    locale_hashes: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    bundle_sha256: str = Field(max_length=64)
    bundle_zip: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    published_at: datetime = _ts(default_factory=utcnow)


class StoredSignature(SignatureBase, ServerModel, table=True):
    """One signature as received. The primary key on (``id``, ``device_id``) is what makes ingest
    idempotent: racing identical uploads insert it once (INSERT ... ON CONFLICT DO NOTHING). Ids are
    scoped to the device that sent them: one device cannot take, and so block, another's id."""

    __tablename__ = "signature"
    __table_args__ = (
        Index("ix_signature_device_seq", "device_id", "seq"),
        Index("ix_signature_voids", "voids"),
    )

    mode: Mode = Field(default=Mode.KIOSK, sa_type=String(8))
    consent_given_at: datetime = _ts()
    created_at: datetime = _ts()
    content_hash: str = Field(max_length=64)
    device_id: str = Field(foreign_key="device.id", max_length=36, primary_key=True)
    received_at: datetime = _ts(default_factory=utcnow)
    clock_offset_ms: int = Field(default=0, sa_type=BigInteger, description="server time minus device time when received")


class ServerKeyRow(ServerModel, table=True):
    """The server's own key pairs. Kept in the database so every worker and host signs with the same
    key; the embedded SQLite file is owner-only."""

    __tablename__ = "server_key"

    purpose: str = Field(primary_key=True, max_length=16)
    algorithm: str = Field(max_length=16)
    public_key: str = Field(max_length=128)
    private_key: str = Field(max_length=256)
    created_at: datetime = _ts(default_factory=utcnow)


class SealingKeyRow(ServerModel, table=True):
    """A sealing key pair (X25519): devices seal signers' fields to its public half. The private half
    is stored only encrypted under the operator's passphrase (``server.sealing`` says how); the KDF's
    salt and cost are kept with it. Never deleted: old signatures stay sealed to old keys."""

    __tablename__ = "sealing_key"

    key_id: str = Field(primary_key=True, max_length=16, description="first 16 hex of SHA-256(public key)")
    algorithm: str = Field(max_length=16)
    public_key: str = Field(max_length=64, description="raw 32 bytes, base64")
    private_key_box: str = Field(max_length=256, description="secretbox(nonce + ciphertext) of the raw private key, base64")
    kdf: str = Field(max_length=16)
    kdf_salt: str = Field(max_length=64, description="base64")
    kdf_opslimit: int
    kdf_memlimit: int = Field(sa_type=BigInteger, description="bytes")
    active: bool = Field(default=False, description="the key handed to devices; exactly one once created")
    created_at: datetime = _ts(default_factory=utcnow)


class RateLimitWindow(ServerModel, table=True):
    """Fixed-window counters (e.g. enrollment attempts per client address and overall), in the database
    so that the limits hold across workers and hosts."""

    __tablename__ = "rate_limit"

    key: str = Field(primary_key=True, max_length=80)
    window_start: int = Field(primary_key=True, description="epoch seconds")
    hits: int = 0


class Admin(ServerModel, table=True):
    """A coordinator who may read the web dashboard. The token is shown once by ``petition-server
    add-admin`` and stored only as a hash, like device tokens."""

    __tablename__ = "admin"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = _ts(default_factory=utcnow)
    revoked_at: datetime | None = _ts(default=None)
    last_login_at: datetime | None = _ts(default=None)


class AdminSession(ServerModel, table=True):
    """A dashboard login: the cookie holds a random token, the table only its hash."""

    __tablename__ = "admin_session"

    id_hash: str = Field(primary_key=True, max_length=64)
    admin_id: int = Field(foreign_key="admin.id", index=True)
    created_at: datetime = _ts(default_factory=utcnow)
    expires_at: datetime = _ts()


class Withdrawal(ServerModel, table=True):
    """A signer's withdrawal from the receipt page. Keyed by the signature id and deliberately not a
    foreign key: a signer may withdraw before the device has sent the signature (devices can stay
    offline for days), and the withdrawal applies when it arrives. Public counts leave withdrawn
    signatures out and the export marks them."""

    __tablename__ = "withdrawal"

    signature_id: str = Field(primary_key=True, max_length=36)
    withdrawn_at: datetime = _ts(default_factory=utcnow)


class OperatorVoid(ServerModel, table=True):
    """A signature the operator voided (``petition-server void ID --reason TEXT``): it no longer counts.
    The row is the audit record: who is not recorded (whoever runs the command holds the database),
    what, when and why are."""

    __tablename__ = "operator_void"

    signature_id: str = Field(primary_key=True, max_length=36)
    device_id: str = Field(primary_key=True, max_length=36, description="the device that sent the signature")
    campaign_slug: str = Field(max_length=63, index=True)
    reason: str = Field(max_length=500)
    voided_at: datetime = _ts(default_factory=utcnow)


class DeviceEventRow(ServerModel, table=True):
    """An event (a stand, a rally) as the device that gathered signatures there described it (API
    version 2, ``PUT .../devices/{id}/events``). Keyed by the device and its event id, as signatures
    are: only that device can change its events. Public facts about a stand, never personal data."""

    __tablename__ = "device_event"

    device_id: str = Field(foreign_key="device.id", max_length=36, primary_key=True)
    event_id: str = Field(primary_key=True, max_length=36)
    name: str = Field(max_length=120)
    place: str | None = Field(default=None, max_length=120)
    day: date
    received_at: datetime = _ts(default_factory=utcnow)


class ConfirmationAsked(ServerModel, table=True):
    """A campaign whose signers are asked to confirm their signature by email (``petition-server
    ask-confirmation SLUG``). A server-side setting, not the bundle's: sending mail is the server's act
    and needs its SMTP set-up, it can start after a version is published, and devices (which refuse a
    manifest key they do not know) never see it."""

    __tablename__ = "confirmation_asked"

    campaign_slug: str = Field(foreign_key="campaign.slug", max_length=63, primary_key=True)
    offer_updates: bool = Field(description="the page offers 'confirm and keep me informed' as well")
    asked_at: datetime = _ts(default_factory=utcnow)


class EmailConfirmation(ServerModel, table=True):
    """One confirmation message to one person of a campaign, keyed by the signature it was sent for
    (their counted one; ids are scoped to their device, as signatures are). Never the address nor a
    hash of it: who is who is worked out again at each run (``server.dedupe``). ``state`` is
    ``sending`` from just before the message goes to the mail server until it accepted it, then
    ``sent`` (``server.confirm_send`` says why in that order). ``ref`` names the row in the link; the
    link's secret is an HMAC of ``ref`` under a server key, never stored."""

    __tablename__ = "email_confirmation"

    device_id: str = Field(max_length=36, primary_key=True)
    signature_id: str = Field(max_length=36, primary_key=True)
    campaign_slug: str = Field(max_length=63, index=True)
    ref: str = Field(max_length=32, unique=True)
    lang: str = Field(max_length=8)
    state: str = Field(max_length=8)
    attempts: int = 0
    started_at: datetime = _ts(default_factory=utcnow)
    sent_at: datetime | None = _ts(default=None)
    confirmed_at: datetime | None = _ts(default=None)
    keep_informed: bool | None = Field(default=None, description="the 'keep me informed' choice, once confirmed")


class PartnerErasure(ServerModel, table=True):
    """An operator's erase of one signer for one partner, or for every partner (``partner_slug`` ``*``):
    ``petition-server erase``. Every later partner export leaves the signature out. Keyed by the
    signature as stored (id and device), never by anything the signer typed."""

    __tablename__ = "partner_erasure"

    signature_id: str = Field(primary_key=True, max_length=36)
    device_id: str = Field(primary_key=True, max_length=36)
    partner_slug: str = Field(primary_key=True, max_length=63, description="a partner's slug, or * for all")
    erased_at: datetime = _ts(default_factory=utcnow)


class PartnerShare(ServerModel, table=True):
    """That a signature went to a partner in an export file (``petition-server export --partner``), so
    that an erase can say which partners already hold that person's details."""

    __tablename__ = "partner_share"

    signature_id: str = Field(primary_key=True, max_length=36)
    device_id: str = Field(primary_key=True, max_length=36)
    partner_slug: str = Field(primary_key=True, max_length=63)
    first_sent_at: datetime = _ts(default_factory=utcnow)


class PartnerPush(ServerModel, table=True):
    """A signature pushed to a partner's own tool (``petition-server push actionnetwork``), per petition
    there: ``sending`` is written before the request, ``sent`` after the answer, so that a later run
    skips what was recorded and resends what a crash left unanswered (server/actionnetwork.py says why a
    resend is safe). Ids only: nothing of the signer, not even a hash of an address."""

    __tablename__ = "partner_push"

    signature_id: str = Field(primary_key=True, max_length=36)
    device_id: str = Field(primary_key=True, max_length=36)
    partner_slug: str = Field(primary_key=True, max_length=63)
    petition_id: str = Field(primary_key=True, max_length=100, description="the petition's id in the partner's tool")
    state: str = Field(max_length=8, description="sending or sent")
    remote_id: str | None = Field(default=None, max_length=200, description="the signature's id there, if answered")
    attempts: int = Field(default=0, description="requests made for it, over every run")
    updated_at: datetime = _ts(default_factory=utcnow)
