"""The coalition's partners: per-partner exports, each partner's key, and the operator's erase.

A partner is an organisation of a published bundle with a ``slug`` (db/campaigns.py); a signer shares
their details with it only by ticking its opt-in, which the signature records in ``partner_optins``
(sealed with the signer's other fields in a sealed campaign). SECURITY.md says what a partner receives.

Partner file (``petition-server export --partner SLUG``), when the partner has a public key::

    b"petition-kiosk partner file\\n"          PARTNER_FILE_MAGIC
    <PartnerFileHeader as JSON, sorted keys>\\n one line, in clear: the partner, its key id, no count
    <payload_bytes bytes>                      libsodium sealed box (crypto_box_seal) to the partner's X25519
                                               public key of the CSV file (UTF-8, PARTNER_COLUMNS)

Only the private half of that key opens it (``petition-server open-partner-file``). A partner without a
key in the bundle gets the CSV itself (the command says so). Partner key file (``partner-key new``): JSON
with the public key and the private key under the partner's passphrase, by the same construction as the
server's sealing keys (Argon2id, then XSalsa20-Poly1305; server/sealing.py).

Nothing here logs a signer's field, an e-mail address asked for, or a key.
"""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import orjson
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import func, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from db.campaigns import Organisation
from db.fields import SIGNER_FIELDS
from db.files import write_atomically
from db.schemas import as_utc, parse_partner_optins
from db.sealing import key_id
from server import sealing, voids
from server.database import write_session
from server.models import PartnerErasure, PartnerShare, SealingKeyRow, StoredSignature, Withdrawal, utcnow

PARTNER_FILE_MAGIC = b"petition-kiosk partner file\n"
PARTNER_FILE_FORMAT: Literal["petition-kiosk-partner-file"] = "petition-kiosk-partner-file"
PARTNER_FILE_VERSION = 1
PARTNER_FILE_SUFFIX = ".partner"
PARTNER_KEY_FORMAT: Literal["petition-kiosk-partner-key"] = "petition-kiosk-partner-key"
PARTNER_KEY_VERSION = 1
PARTNER_KEY_SUFFIX = ".partner-key"
ALL_PARTNERS = "*"  # partner_erasure.partner_slug of an erase for every partner
MAX_HEADER_BYTES = 4096

# What a partner receives: who the signer is and how to reach them, where they signed, and the proof of
# their opt-in. Never the comment, the handwriting, the device, the other partners chosen or the
# main consent's details.
PARTNER_COLUMNS = ("signature_id", "campaign", "signed_at", "locale", "given_name", "family_name", "email",
                   "phone", "postal_code", "city", "country", "optin_text_sha256")


SealingKeyError = sealing.SealingKeyError  # a weak new passphrase (partner-key new)


class PartnerError(Exception):
    """A partner operation that cannot be done as asked; the message says why, without signer data."""


class _Doc(BaseModel):
    model_config = ConfigDict(extra="ignore")


class PartnerFileHeader(_Doc):
    format: Literal["petition-kiosk-partner-file"]
    version: int
    partner: str = Field(max_length=63)
    key_id: str = Field(max_length=16, description="the partner's X25519 public key's id")
    created_at: datetime
    encryption: Literal["crypto_box_seal"]
    content: Literal["text/csv"]
    payload_bytes: int = Field(ge=0)


class PartnerKeyFile(_Doc):
    format: Literal["petition-kiosk-partner-key"]
    version: int
    partner: str
    algorithm: Literal["X25519"]
    key_id: str
    public_key: str
    kdf: str
    kdf_salt: str
    kdf_opslimit: int
    kdf_memlimit: int
    private_key_box: str


# --- keys -----------------------------------------------------------------------------------------

def new_key_file(slug: str, passphrase: str, *, cost: str = sealing.DEFAULT_COST) -> tuple[bytes, str]:
    """(the key file's bytes, the public key in base64) of a new X25519 key pair for partner ``slug``."""
    sealing.check_new_passphrase(passphrase)
    private = PrivateKey.generate()
    public = bytes(private.public_key)
    doc = PartnerKeyFile(format=PARTNER_KEY_FORMAT, version=PARTNER_KEY_VERSION, partner=slug, algorithm="X25519",
                         key_id=key_id(public), public_key=sealing.b64(public),
                         **sealing.wrap(private, passphrase, cost))
    return json.dumps(doc.model_dump(), indent=2).encode() + b"\n", doc.public_key


def open_key_file(data: bytes, passphrase: str) -> tuple[PartnerKeyFile, PrivateKey]:
    try:
        doc = PartnerKeyFile.model_validate_json(data)
    except ValidationError:
        raise PartnerError("this is not a partner key file (made by petition-server partner-key new)") from None
    if doc.version > PARTNER_KEY_VERSION:
        raise PartnerError("the key file was made by a newer version: update petition-server")
    row = SealingKeyRow(key_id=doc.key_id, algorithm=doc.algorithm, public_key=doc.public_key,
                        private_key_box=doc.private_key_box, kdf=doc.kdf, kdf_salt=doc.kdf_salt,
                        kdf_opslimit=doc.kdf_opslimit, kdf_memlimit=doc.kdf_memlimit)
    try:
        private = sealing.unwrap(row, passphrase)
    except sealing.SealingKeyError as exc:
        raise PartnerError(f"the key file is damaged: {exc}") from None
    if private is None:
        raise PartnerError("the passphrase does not open this key file")
    return doc, private


# --- the partner file -----------------------------------------------------------------------------

def pack_partner_file(slug: str, public_key_b64: str, content: bytes, *, now: datetime | None = None) -> bytes:
    raw = base64.b64decode(public_key_b64)
    box = SealedBox(PublicKey(raw)).encrypt(content)
    header = PartnerFileHeader(format=PARTNER_FILE_FORMAT, version=PARTNER_FILE_VERSION, partner=slug,
                               key_id=key_id(raw), created_at=(now or utcnow()).astimezone(UTC),
                               encryption="crypto_box_seal", content="text/csv", payload_bytes=len(box))
    line = orjson.dumps(header.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)
    return PARTNER_FILE_MAGIC + line + b"\n" + bytes(box)


def open_partner_file(data: bytes, key: PartnerKeyFile, private: PrivateKey) -> tuple[PartnerFileHeader, bytes]:
    """The header and the CSV of a partner file. Raises PartnerError: not one, newer, damaged, another key."""
    if not data.startswith(PARTNER_FILE_MAGIC):
        raise PartnerError("this is not a partner file (made by petition-server export --partner)")
    start = len(PARTNER_FILE_MAGIC)
    end = data.find(b"\n", start, start + MAX_HEADER_BYTES)
    try:
        raw = orjson.loads(data[start:end]) if end > 0 else None
    except orjson.JSONDecodeError:
        raw = None
    if not isinstance(raw, dict):
        raise PartnerError("the partner file is damaged (no readable header)")
    if isinstance(raw.get("version"), int) and raw["version"] > PARTNER_FILE_VERSION:
        raise PartnerError(f"the partner file has format version {raw['version']}; this program reads version "
                           f"{PARTNER_FILE_VERSION}: update petition-server")
    try:
        header = PartnerFileHeader.model_validate(raw)
    except ValidationError:
        raise PartnerError("the partner file is damaged (its header is incomplete)") from None
    box = data[end + 1:]
    if len(box) != header.payload_bytes:
        raise PartnerError("the partner file is damaged: it is cut short or has bytes added")
    if header.key_id != key.key_id:
        raise PartnerError(f"the file is for {header.partner}'s key {header.key_id}; this key file holds "
                           f"{key.partner}'s key {key.key_id}")
    try:
        return header, SealedBox(private).decrypt(box)
    except CryptoError:
        raise PartnerError("the partner file does not open with this key (damaged)") from None


# --- who the partners are ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Partner:
    slug: str
    organisation: Organisation  # as the newest published bundle naming it describes it
    campaigns: tuple[str, ...]  # the campaigns whose published bundles name it


def published_partners(*, session: Session) -> dict[str, Partner]:
    """Every partner (an organisation with a slug) of every published version; the newest version that
    names a partner describes it (its name and key)."""
    from server import campaigns
    from server.models import CampaignVersion

    found: dict[str, tuple[datetime, Organisation, set[str]]] = {}
    rows = session.exec(select(CampaignVersion.slug, CampaignVersion.version, CampaignVersion.published_at)
                        .order_by(col(CampaignVersion.published_at), col(CampaignVersion.id))).all()
    for slug, version, published_at in rows:
        manifest = campaigns.published_manifest(slug, version, session=session)
        for org in manifest.partner_organisations:
            assert org.slug is not None
            seen = found.get(org.slug)
            names = (seen[2] if seen else set()) | {slug}
            found[org.slug] = (published_at, org, names)
    return {s: Partner(s, org, tuple(sorted(names))) for s, (_, org, names) in found.items()}


# --- exports ----------------------------------------------------------------------------------------

@dataclass
class PartnerExport:
    partner: str
    count: int = 0
    encrypted: bool = False
    not_opened: int = 0  # sealed signatures that did not open: their opt-ins could not be read


def _withdrawn_or_voided(session: Session) -> tuple[set[str], set[tuple[str, str]]]:
    withdrawn = set(session.exec(select(Withdrawal.signature_id)).all())
    voided = {(str(d), str(s)) for d, s in session.execute(voids.owned_void_targets()).all()}
    return withdrawn, voided


def _erased(session: Session, slug: str) -> set[tuple[str, str]]:
    return {(d, s) for s, d in session.exec(select(PartnerErasure.signature_id, PartnerErasure.device_id).where(
        col(PartnerErasure.partner_slug).in_([slug, ALL_PARTNERS]))).all()}


def _candidates(session: Session) -> Any:
    """Signatures that may hold opt-ins: clear ones that do, and every sealed one (opt-ins are inside)."""
    return session.exec(
        select(StoredSignature).where(col(StoredSignature.voids).is_(None),
                                      col(StoredSignature.partner_optins).is_not(None)
                                      | col(StoredSignature.sealed).is_not(None))
        .order_by(col(StoredSignature.received_at), col(StoredSignature.id)).execution_options(yield_per=1000))


def _values(sig: StoredSignature, keys: Mapping[str, PrivateKey]) -> dict[str, Any] | None:
    """The signer's fields in clear (sealed ones opened), None when a sealed one does not open."""
    values = {name: getattr(sig, name) for name in SIGNER_FIELDS}
    if sig.sealed is None:
        return values
    opened = sealing.open_fields(sig.sealed, sig.id, sig.sealed_key, keys)
    if isinstance(opened, str):
        return None
    values.update(opened)
    return values


@dataclass(frozen=True)
class PartnerSigner:
    signature: StoredSignature
    values: dict[str, Any]  # the signer's fields in clear (SIGNER_FIELDS)
    optin_sha256: str  # the SHA-256 of the opt-in text the signer ticked


def partner_signers(session: Session, partner: Partner, keys: Mapping[str, PrivateKey]) -> Iterator[PartnerSigner | None]:
    """The signers who ticked ``partner``'s opt-in, less the withdrawn, the voided and those erased for it
    (or for all), oldest received first; None for each sealed signature that did not open (its opt-ins
    could not be read). What every way of giving a partner its signers (a file, a push) starts from."""
    withdrawn, voided = _withdrawn_or_voided(session)
    erased = _erased(session, partner.slug)
    for sig in _candidates(session):
        if sig.campaign_slug not in partner.campaigns or sig.id in withdrawn \
                or (sig.device_id, sig.id) in voided or (sig.device_id, sig.id) in erased:
            continue
        values = _values(sig, keys)
        if values is None:
            yield None
            continue
        digest = parse_partner_optins(values.get("partner_optins")).get(partner.slug)
        if digest is not None:
            yield PartnerSigner(sig, values, digest)


def export_partner(engine: Any, slug: str, target: Path, keys: Mapping[str, PrivateKey] | None = None,
                   *, now: datetime | None = None) -> PartnerExport:
    """Write partner ``slug``'s file: the signers who ticked its opt-in, less the withdrawn, the voided and
    those erased for it (or for all), encrypted to its key when it has one. Records which signatures
    went to it (partner_share). Raises PartnerError for a partner no published bundle names."""
    keys = keys or {}
    now = now or utcnow()
    with Session(engine) as session:
        partner = published_partners(session=session).get(slug)
        if partner is None:
            raise PartnerError(f"no published campaign names a partner {slug!r}")
        done = PartnerExport(slug, encrypted=partner.organisation.public_key is not None)
        out = io.StringIO(newline="")
        writer = csv.writer(out)
        writer.writerow(PARTNER_COLUMNS)
        shared: list[tuple[str, str]] = []
        for found in partner_signers(session, partner, keys):
            if found is None:
                done.not_opened += 1
                continue
            sig, values, digest = found.signature, found.values, found.optin_sha256
            writer.writerow([_cell(v) for v in (
                sig.id, sig.campaign_slug, as_utc(sig.created_at).strftime("%Y-%m-%dT%H:%M:%SZ"), sig.locale,
                values["given_name"], values["family_name"], values["email"], values["phone"],
                values["postal_code"], values["city"], values["country"], digest)])
            shared.append((sig.id, sig.device_id))
            done.count += 1
    content = out.getvalue().encode("utf-8")
    key = partner.organisation.public_key
    write_atomically(target, pack_partner_file(slug, key, content, now=now) if key is not None else content)
    del content, out
    _record_shares(engine, slug, shared, now)
    return done


def _cell(value: Any) -> str:
    from db.spreadsheet import formula_safe

    return "" if value is None else str(formula_safe(value))  # a name must not run as a spreadsheet formula


def _record_shares(engine: Any, slug: str, shared: list[tuple[str, str]], now: datetime) -> None:
    with write_session(engine) as session:
        record_shares(session, slug, shared, now)
        session.commit()


def record_shares(session: Session, slug: str, shared: list[tuple[str, str]], now: datetime) -> None:
    """That the signatures ``shared`` ((id, device id) pairs) went to partner ``slug`` (kept: the first time)."""
    table = PartnerShare.__table__  # type: ignore[attr-defined]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    for start in range(0, len(shared), 500):
        rows = [{"signature_id": s, "device_id": d, "partner_slug": slug, "first_sent_at": now}
                for s, d in shared[start:start + 500]]
        session.execute(dialect.insert(table).values(rows).on_conflict_do_nothing())


def partner_counts(*, session: Session) -> dict[str, int]:
    """Per partner, the clear opt-ins stored (withdrawn, voided and erased ones left out): the dashboard's
    numbers. Sealed signatures are not counted: their opt-ins open only with the passphrase."""
    partners = published_partners(session=session)
    if not partners:
        return {}
    withdrawn, voided = _withdrawn_or_voided(session)
    erased = {(d, s, p) for s, d, p in session.exec(
        select(PartnerErasure.signature_id, PartnerErasure.device_id, PartnerErasure.partner_slug)).all()}
    counts = dict.fromkeys(sorted(partners), 0)
    for sid, device, campaign, optins in session.exec(
            select(StoredSignature.id, StoredSignature.device_id, StoredSignature.campaign_slug,
                   StoredSignature.partner_optins).where(col(StoredSignature.voids).is_(None),
                                                         col(StoredSignature.partner_optins).is_not(None))):
        if sid in withdrawn or (device, sid) in voided or (device, sid, ALL_PARTNERS) in erased:
            continue
        for slug in parse_partner_optins(optins):
            if slug in counts and campaign in partners[slug].campaigns and (device, sid, slug) not in erased:
                counts[slug] += 1
    return counts


# --- erase ------------------------------------------------------------------------------------------

@dataclass
class EraseReport:
    signatures: int = 0  # stored signatures found for the person
    already_sent: dict[str, int] = field(default_factory=dict)  # partner -> how many of them it was sent
    not_opened: int = 0  # sealed signatures that did not open (an e-mail search could not read them)


def erase(engine: Any, *, signature_id: str | None = None, email: str | None = None, partner: str | None = None,
          keys: Mapping[str, PrivateKey] | None = None, now: datetime | None = None) -> EraseReport:
    """Leave one person out of every later export to ``partner`` (None: to every partner): the signature
    with id ``signature_id`` (the id on their receipt), or every signature with the e-mail address
    ``email`` (sealed ones opened with ``keys``). Says which partners were already sent them."""
    from db import validation as v

    keys = keys or {}
    report = EraseReport()
    found: list[tuple[str, str]] = []
    with Session(engine) as session:
        if signature_id is not None:
            found = [(s, d) for s, d in session.exec(select(StoredSignature.id, StoredSignature.device_id).where(
                StoredSignature.id == signature_id, col(StoredSignature.voids).is_(None))).all()]
        elif email is not None:
            try:  # compared without case: an erase finds the person however they wrote their address
                wanted = v.normalise_email(email.strip()).casefold()
            except ValueError:  # the validator's refusal (a pydantic error, a ValueError)
                raise PartnerError("that is not an e-mail address") from None
            for sig in session.exec(select(StoredSignature).where(
                    col(StoredSignature.voids).is_(None),
                    (func.lower(col(StoredSignature.email)) == wanted) | col(StoredSignature.sealed).is_not(None))
                    .execution_options(yield_per=1000)):
                values = _values(sig, keys)
                if values is None:
                    report.not_opened += 1
                elif (values.get("email") or "").casefold() == wanted:
                    found.append((sig.id, sig.device_id))
        else:
            raise PartnerError("name the person: a receipt's signature id or an e-mail address")
        if found:
            query = select(PartnerShare.partner_slug, func.count()).where(
                tuple_(col(PartnerShare.signature_id), col(PartnerShare.device_id)).in_(found))
            if partner is not None:
                query = query.where(PartnerShare.partner_slug == partner)
            report.already_sent = {str(p): int(n) for p, n in session.exec(query.group_by(PartnerShare.partner_slug))}
    report.signatures = len(found)
    if found:
        table = PartnerErasure.__table__  # type: ignore[attr-defined]
        with write_session(engine) as session:
            dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
            session.execute(dialect.insert(table).values([
                {"signature_id": s, "device_id": d, "partner_slug": partner or ALL_PARTNERS,
                 "erased_at": now or utcnow()} for s, d in found]).on_conflict_do_nothing())
            session.commit()
    return report
