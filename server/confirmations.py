"""Email confirmation of signatures: which campaigns ask for it, the links' secrets, the signer's answer
on the confirmation page, and the confirmed counts the dashboard and the delivery show.

The sending is ``server.confirm_send`` (``petition-server confirm-emails SLUG``, CLI only). What is
stored: per message, the signature it was sent for (device id and id), a random ``ref`` that names the
row in the link, the language, the state and the answer; never an address nor a hash of one.

**The link** is ``<public url>/confirm/<ref>?k=<secret>&lang=<lang>``. The secret is an HMAC of ``ref``
under a key kept in ``server_key`` (encrypted under the data folder's key file, as the forms' CSRF key
is), so it is never stored: a copy of the database alone confirms nothing, and a message sent again
after a crash carries the same link as the first.

**Counts.** A campaign's *confirmed* signatures are its standing signatures (neither voided nor
withdrawn) whose signer confirmed; *unconfirmed* the standing ones whose signer was sent a message and
has not confirmed (yet); the rest were never asked (no address). Messages go only to a person's
counted signature (``server.dedupe``), so the dashboard (which cannot open sealed signatures) and the
delivery (which can, and counts among the counted signers it delivers) agree.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from db.campaigns import Campaign as Bundle
from db.schemas import as_utc
from db.signer_text import LANGUAGES
from server import dedupe, security
from server.models import (
    Campaign,
    CampaignVersion,
    ConfirmationAsked,
    EmailConfirmation,
    StoredSignature,
    utcnow,
)

KEY_PURPOSE = "email-confirm"
SENDING, SENT = "sending", "sent"
REF_BYTES = 16  # 22 characters of base64url: unguessable, and says nothing of the signature


# --- the campaign's setting --------------------------------------------------------------------------

def asked(slug: str, *, session: Session) -> ConfirmationAsked | None:
    return session.get(ConfirmationAsked, slug)


def asking_slugs(*, session: Session) -> dict[str, bool]:
    """Every campaign that asks for confirmation, and whether it offers 'keep me informed'."""
    return {slug: bool(updates) for slug, updates in session.exec(
        select(ConfirmationAsked.campaign_slug, ConfirmationAsked.offer_updates))}


def set_asked(slug: str, ask: bool, *, offer_updates: bool | None, session: Session) -> ConfirmationAsked | None | bool:
    """Turn asking on (``offer_updates`` None: as the newest version's form asks for updates) or off.
    False when no campaign ``slug`` is published."""
    if session.get(Campaign, slug) is None:
        return False
    row = session.get(ConfirmationAsked, slug)
    if not ask:
        if row is not None:
            session.delete(row)
        return None
    if offer_updates is None:
        offer_updates = _form_asks_updates(slug, session=session)
    if row is None:
        row = ConfirmationAsked(campaign_slug=slug, offer_updates=offer_updates)
    else:
        row.offer_updates = offer_updates
    session.add(row)
    return row


def _form_asks_updates(slug: str, *, session: Session) -> bool:
    version = session.exec(select(func.max(CampaignVersion.version)).where(CampaignVersion.slug == slug)).one()
    bundle = None if version is None else _bundle(slug, int(version), session=session)
    return bool(bundle is not None and bundle.manifest.form.ask_updates)


def _bundle(slug: str, version: int, *, session: Session) -> Bundle | None:
    import io
    import tempfile
    import zipfile

    from db.campaigns import load_bundle

    raw = session.exec(select(CampaignVersion.bundle_zip).where(
        CampaignVersion.slug == slug, CampaignVersion.version == version)).first()
    if raw is None:
        return None
    with tempfile.TemporaryDirectory(prefix="petition-confirm-") as scratch:
        with zipfile.ZipFile(io.BytesIO(bytes(raw))) as zf:
            zf.extractall(scratch)  # the server's own zip, made by campaigns.pack_bundle
        return load_bundle(Path(scratch), source="server")


# --- the links' secret -------------------------------------------------------------------------------

def link_key(engine: Engine, data_dir: Path) -> bytes:
    """The HMAC key of the links (``server_key``, encrypted as the forms' CSRF key is)."""
    return security.stored_secret(engine, data_dir, KEY_PURPOSE)


def new_ref() -> str:
    return secrets.token_urlsafe(REF_BYTES)


def link_secret(key: bytes, ref: str) -> str:
    mac = hmac.new(key, f"confirm|{ref}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode("ascii").rstrip("=")


def secret_ok(key: bytes, ref: str, secret: str | None) -> bool:
    if not secret or len(secret) > 64:
        return False
    return hmac.compare_digest(link_secret(key, ref), secret)


def link(public_url: str, key: bytes, ref: str, lang: str) -> str:
    return f"{public_url.rstrip('/')}/confirm/{ref}?k={link_secret(key, ref)}&lang={lang}"


# --- the campaign's title in each language ----------------------------------------------------------

_TITLES: dict[tuple[str, str, int], dict[str, str]] = {}  # a published version never changes


def titles(slug: str, version: int | None = None, *, session: Session) -> dict[str, str]:
    """The title of ``slug`` version ``version`` (None: the newest) in each signer language (read from
    its bundle once per process)."""
    if version is None:
        newest = session.exec(select(func.max(CampaignVersion.version)).where(CampaignVersion.slug == slug)).one()
        if newest is None:
            return {}
        version = int(newest)
    where = (str(session.get_bind().engine.url), slug, version)
    if where not in _TITLES:
        bundle = _bundle(slug, version, session=session)
        if bundle is None:
            return {}
        _TITLES[where] = {lang: bundle.localised(lang).texts.title for lang in LANGUAGES}
    return _TITLES[where]


# --- the page ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Pending:
    """What the confirmation page shows: the campaign and the signing day, nothing a signer typed."""

    ref: str
    campaign_slug: str
    campaign_title: str
    signed_at: datetime
    offer_updates: bool
    confirmed_at: datetime | None
    keep_informed: bool | None


def find(ref: str, key: bytes, secret: str | None, *, session: Session, lang: str = "en") -> Pending | None:
    """The message ``ref`` names, with the campaign's title in ``lang``, when ``secret`` is its link's;
    None otherwise (an unknown ref and a wrong secret look the same)."""
    if len(ref) > 32 or not secret_ok(key, ref, secret):
        return None
    row = session.exec(select(EmailConfirmation).where(EmailConfirmation.ref == ref)).first()
    if row is None:
        return None
    found = session.exec(
        select(StoredSignature.campaign_version, StoredSignature.created_at)
        .where(StoredSignature.id == row.signature_id, StoredSignature.device_id == row.device_id)
    ).first()
    if found is None:
        return None
    version, created_at = found
    title = titles(row.campaign_slug, int(version), session=session).get(lang) or row.campaign_slug
    setting = session.get(ConfirmationAsked, row.campaign_slug)
    return Pending(ref, row.campaign_slug, title, as_utc(created_at),
                   bool(setting and setting.offer_updates),
                   as_utc(row.confirmed_at) if row.confirmed_at else None, row.keep_informed)


def confirm(ref: str, keep_informed: bool, *, session: Session, now: datetime | None = None) -> tuple[datetime, bool]:
    """Record the answer once: (when it was confirmed, whether this call did it). A second answer changes
    nothing (the first stands), whichever button it came from. The caller has checked the link."""
    table = EmailConfirmation.__table__  # type: ignore[attr-defined]
    moment = now or utcnow()
    done = session.execute(
        table.update().where(table.c.ref == ref, table.c.confirmed_at.is_(None))
        .values(confirmed_at=moment, keep_informed=keep_informed).returning(table.c.ref)
    ).first()
    when = session.exec(select(EmailConfirmation.confirmed_at).where(EmailConfirmation.ref == ref)).one()
    assert when is not None
    return as_utc(when), done is not None


# --- the counts ------------------------------------------------------------------------------------------

def message_keys(slug: str, *, session: Session) -> dict[dedupe.Key, bool]:
    """(device id, signature id) of each of the campaign's messages, and whether it was confirmed."""
    return {(str(d), str(i)): at is not None for d, i, at in session.exec(
        select(EmailConfirmation.device_id, EmailConfirmation.signature_id, EmailConfirmation.confirmed_at)
        .where(EmailConfirmation.campaign_slug == slug))}


@dataclass(frozen=True)
class Counts:
    confirmed: int  # standing signatures whose signer confirmed
    unconfirmed: int  # standing signatures whose signer was sent a message and has not confirmed (yet)


def counts(slug: str, *, session: Session) -> Counts:
    """The dashboard's figures for one campaign. Messages go to counted signatures only, one per
    person, so these need no passphrase and match the delivery's (which opens sealed signatures)."""
    voided, withdrawn = dedupe.not_counted(session, slug)
    standing = [done for key, done in message_keys(slug, session=session).items()
                if key not in voided and key[1] not in withdrawn]
    return Counts(sum(standing), len(standing) - sum(standing))
