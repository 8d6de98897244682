"""Published campaigns: bundle packing, publishing (immutable versions), closing, listing, counting."""

from __future__ import annotations

import base64
import hashlib
import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import nacl.signing
from sqlalchemy import func
from sqlmodel import Session, col, select

from db.campaigns import SEALING_FILE, BundleError, Manifest, load_bundle
from db.campaigns import Campaign as Bundle
from db.schemas import as_utc
from db.sealing import PublicKey
from db.wire import CampaignCount, CampaignEntry, campaign_entry_statement
from server import sealing, voids
from server.models import Campaign, CampaignVersion, StoredSignature, Withdrawal, utcnow

MAX_BUNDLE_BYTES = 20 * 1024 * 1024
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def pack_bundle(folder: Path, extra: dict[str, bytes] | None = None) -> bytes:
    """A deterministic zip of a bundle folder (sorted names, fixed times and modes), so the same files
    always give the same bytes and hash. Hidden files and caches are left out. ``extra`` files (name:
    content) are added, replacing a file of the same name in the folder."""
    folder = Path(folder)
    extra = extra or {}
    contents = {
        p.relative_to(folder).as_posix(): p for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in p.relative_to(folder).parts)
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(contents.keys() | extra.keys()):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, extra[name] if name in extra else contents[name].read_bytes())
    data = buffer.getvalue()
    if len(data) > MAX_BUNDLE_BYTES:
        raise BundleError(folder, [f"bundle is larger than {MAX_BUNDLE_BYTES // (1024 * 1024)} MB"])
    return data


@dataclass(frozen=True)
class Published:
    slug: str
    version: int
    bundle_sha256: str
    created: bool  # False: this exact version was already published


class NoSealingKey(BundleError):
    """A campaign that seals cannot be published before the server has a sealing key."""


def sealing_file(key: PublicKey, *, clear_postal_code: bool) -> bytes:
    """The ``sealing.toml`` this server writes into a bundle it publishes: the same bytes for the same
    key and setting, so publishing the same folder twice stays a no-op."""
    return (
        "# Written by the server that published this campaign: signers' fields are sealed to its key.\n"
        'mode = "required"\n'
        f'public_key = "{key.b64}"\n'
        f'key_id = "{key.key_id}"\n'
        f"clear_postal_code = {'true' if clear_postal_code else 'false'}\n"
    ).encode()


def _packed(folder: Path, campaign: Bundle, key: PublicKey | None) -> bytes:
    if campaign.manifest.sealing.mode == "off":
        return pack_bundle(folder)
    if key is None:
        raise NoSealingKey(folder, [
            f"{campaign.slug} seals its signatures ([sealing] mode is not \"off\") and this server has no "
            "sealing key yet: run `petition-server keys init` first"
        ])
    extra = {SEALING_FILE: sealing_file(key, clear_postal_code=campaign.manifest.sealing.clear_postal_code)}
    return pack_bundle(folder, extra)


def publish(folder: Path, *, session: Session) -> Published:
    """Validate and store a bundle version. Publishing the same bytes again is a no-op; other bytes
    under a published version number are refused: devices and signatures point at version + hash.

    A campaign whose manifest does not say ``[sealing] mode = "off"`` is published ``required`` with
    this server's active sealing key (a ``sealing.toml`` added to the zip, which ``load_bundle`` on the
    device reads). After a key rotation, the same folder under a version published with an older key
    is still "already published": that version keeps its key, a new version gets the new one."""
    if (Path(folder) / SEALING_FILE).exists():
        # The server writes that file itself, with its own key: one left in the organiser's folder
        # (copied from a downloaded bundle, say) must not decide how signers are protected.
        raise BundleError(Path(folder), [f"{SEALING_FILE}: remove this file; the server writes it when it "
                                         "publishes (say [sealing] mode = \"off\" in campaign.toml to publish "
                                         "without sealing)"])
    campaign = load_bundle(Path(folder), source="server")
    data = _packed(folder, campaign, sealing.active_public_key(session=session))
    digest = hashlib.sha256(data).hexdigest()
    existing = session.exec(
        select(CampaignVersion).where(CampaignVersion.slug == campaign.slug, CampaignVersion.version == campaign.version)
    ).first()
    if existing is not None:
        if existing.bundle_sha256 != digest and not _published_with_older_key(folder, campaign, existing, session):
            raise BundleError(
                Path(folder),
                [f"{campaign.slug} version {campaign.version} is already published with other content; "
                 "published versions are immutable: give the changed bundle a new version number"],
            )
        return Published(campaign.slug, campaign.version, existing.bundle_sha256, created=False)
    if session.get(Campaign, campaign.slug) is None:
        session.add(Campaign(slug=campaign.slug))
        session.flush()
    session.add(
        CampaignVersion(
            slug=campaign.slug,
            version=campaign.version,
            title=campaign.localised(campaign.manifest.default_locale).texts.title,
            goal=campaign.manifest.goal,
            locale_hashes=campaign.locale_hashes(),
            bundle_sha256=digest,
            bundle_zip=data,
        )
    )
    return Published(campaign.slug, campaign.version, digest, created=True)


def _published_with_older_key(folder: Path, campaign: Bundle, existing: CampaignVersion, session: Session) -> bool:
    return any(
        hashlib.sha256(_packed(folder, campaign, PublicKey.from_b64(row.public_key))).hexdigest() == existing.bundle_sha256
        for row in sealing.all_keys(session=session) if not row.active
    )


def set_closed(slug: str, closed: bool, *, session: Session) -> bool:
    row = session.get(Campaign, slug)
    if row is None:
        return False
    row.closed_at = (row.closed_at or utcnow()) if closed else None
    session.add(row)
    return True


_LIST_COLUMNS = (
    CampaignVersion.slug, CampaignVersion.version, CampaignVersion.title, CampaignVersion.goal,
    CampaignVersion.bundle_sha256, func.length(CampaignVersion.bundle_zip), CampaignVersion.locale_hashes,
    CampaignVersion.published_at, Campaign.closed_at,
)


# (slug, version, bundle SHA-256) -> (sealing mode, key id). Published versions are immutable, so what
# a process read from a bundle once stays true.
_SEALING_FACTS: dict[tuple[str, int, str], tuple[str, str | None]] = {}


def sealing_facts(slug: str, version: int, digest: str, *, session: Session) -> tuple[str, str | None]:
    """The sealing mode and key id of a published version, read from its own zip (what devices get)."""
    key = (slug, version, digest)
    if key not in _SEALING_FACTS:
        found = bundle(slug, version, session=session)
        if found is None:  # pragma: no cover - listed, so stored
            raise LookupError(f"{slug} v{version}")
        with tempfile.TemporaryDirectory(prefix="petition-bundle-") as scratch:
            with zipfile.ZipFile(io.BytesIO(found[0])) as zf:
                zf.extractall(scratch)  # the server's own zip, made by pack_bundle
            _SEALING_FACTS[key] = load_bundle(Path(scratch), source="server").sealing_facts
    return _SEALING_FACTS[key]


_MANIFESTS: dict[tuple[str, int, str], Manifest] = {}


def published_manifest(slug: str, version: int, *, session: Session) -> Manifest:
    """The manifest of a published version, read from its own zip (partners, their keys)."""
    found = bundle(slug, version, session=session)
    if found is None:
        raise LookupError(f"{slug} v{version}")
    key = (slug, version, found[1])
    if key not in _MANIFESTS:
        with tempfile.TemporaryDirectory(prefix="petition-bundle-") as scratch:
            with zipfile.ZipFile(io.BytesIO(found[0])) as zf:
                zf.extractall(scratch)  # the server's own zip, made by pack_bundle
            _MANIFESTS[key] = load_bundle(Path(scratch), source="server").manifest
    return _MANIFESTS[key]


def is_sealed_campaign(slug: str, *, session: Session) -> bool:
    """Whether duplicates of ``slug`` can only be known with the passphrase: a published version seals
    (its public count is then "before duplicates", whatever is stored yet), or a stored signature is
    sealed."""
    for version, digest in session.exec(
        select(CampaignVersion.version, CampaignVersion.bundle_sha256).where(CampaignVersion.slug == slug)
    ):
        mode, _ = sealing_facts(slug, version, digest, session=session)
        if mode != "off":
            return True
    return session.exec(
        select(StoredSignature.id).where(StoredSignature.campaign_slug == slug,
                                         col(StoredSignature.sealed).is_not(None)).limit(1)
    ).first() is not None


def sign_entry(entry: CampaignEntry, signing_key: nacl.signing.SigningKey, *, session: Session) -> CampaignEntry:
    """``entry`` with its sealing facts and the server's signature over them (CampaignEntry.signature)."""
    mode, key_id = sealing_facts(entry.slug, entry.version, entry.bundle_sha256, session=session)
    statement = campaign_entry_statement(entry.slug, entry.version, entry.bundle_sha256, mode, key_id)
    signature = base64.b64encode(signing_key.sign(statement).signature).decode("ascii")
    return entry.model_copy(update={"sealing_mode": mode, "sealing_key_id": key_id, "signature": signature})


def entries(*, session: Session, signing_key: nacl.signing.SigningKey | None = None) -> list[CampaignEntry]:
    """Every published version; signed (sign_entry) when ``signing_key`` is given."""
    rows = session.exec(
        select(*_LIST_COLUMNS)  # type: ignore[call-overload]
        .join(Campaign, col(Campaign.slug) == col(CampaignVersion.slug))
        .order_by(col(CampaignVersion.slug), col(CampaignVersion.version))
    ).all()
    listed = [
        CampaignEntry(
            slug=r[0], version=r[1], title=r[2], goal=r[3], bundle_sha256=r[4], bundle_size=int(r[5]),
            locale_hashes=r[6], published_at=as_utc(r[7]), closed=r[8] is not None,
        )
        for r in rows
    ]
    if signing_key is None:
        return listed
    return [sign_entry(entry, signing_key, session=session) for entry in listed]


def bundle(slug: str, version: int, *, session: Session) -> tuple[bytes, str] | None:
    row = session.exec(
        select(CampaignVersion.bundle_zip, CampaignVersion.bundle_sha256).where(
            CampaignVersion.slug == slug, CampaignVersion.version == version
        )
    ).first()
    return None if row is None else (bytes(row[0]), row[1])


@dataclass(frozen=True)
class CampaignState:
    closed: bool
    versions: frozenset[int]


def states(*, session: Session) -> dict[str, CampaignState]:
    """What the ingest needs to know of every campaign: closed or not, and its published versions."""
    closed = {slug: closed_at is not None for slug, closed_at in session.exec(select(Campaign.slug, Campaign.closed_at))}
    versions: dict[str, set[int]] = {}
    for slug, version in session.exec(select(CampaignVersion.slug, CampaignVersion.version)):
        versions.setdefault(slug, set()).add(version)
    return {slug: CampaignState(closed[slug], frozenset(versions.get(slug, ()))) for slug in closed}


def public_count(slug: str, *, session: Session) -> CampaignCount | None:
    """Signatures for ``slug`` that no void of their own device withdrew and no signer withdrew on the receipt page (each
    subtracts its target once, however often and both ways it was withdrawn; a void or withdrawal of
    an unknown id subtracts nothing). A clear campaign counts each person once (``server.dedupe``); a
    sealed one counts signatures ``before_duplicates``."""
    goal = session.exec(
        select(func.max(CampaignVersion.goal)).where(CampaignVersion.slug == slug)
    ).one()
    if goal is None:
        return None
    from server import dedupe

    if not is_sealed_campaign(slug, session=session):
        # In clear, duplicates are known without the passphrase: each person counts once (server/dedupe.py).
        return CampaignCount(slug=slug, count=dedupe.clear_count(slug, session=session), goal=int(goal))
    # Sealed: who is who is known only with the passphrase, and nothing about it is stored.
    count = session.exec(
        select(func.count()).where(
            StoredSignature.campaign_slug == slug,
            col(StoredSignature.voids).is_(None),
            ~voids.is_voided(),  # a void counts only from the device that sent its target
            col(StoredSignature.id).not_in(select(Withdrawal.signature_id)),
        )
    ).one()
    return CampaignCount(slug=slug, count=int(count), goal=int(goal), before_duplicates=True)


def summary(*, session: Session) -> list[tuple[str, int, int, int]]:
    """(slug, signatures, voids applied (by the device that sent their target), public count) per
    campaign, for the operators' stats."""
    out = []
    slugs = sorted(
        set(session.exec(select(Campaign.slug)).all())
        | set(session.exec(select(StoredSignature.campaign_slug).distinct()).all())
    )
    for slug in slugs:
        total = session.exec(select(func.count()).where(StoredSignature.campaign_slug == slug, col(StoredSignature.voids).is_(None))).one()
        owned = session.exec(select(func.count()).select_from(voids.owned_void_targets(slug).subquery())).one()
        counted = public_count(slug, session=session)
        out.append((slug, int(total), int(owned), counted.count if counted else int(total)))
    return out
