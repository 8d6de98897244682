"""Published campaigns: bundle packing, publishing (immutable versions), closing, listing, counting."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, col, select

from db.campaigns import BundleError, load_bundle
from db.schemas import as_utc
from db.wire import CampaignCount, CampaignEntry
from server.models import Campaign, CampaignVersion, StoredSignature, utcnow

MAX_BUNDLE_BYTES = 20 * 1024 * 1024
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def pack_bundle(folder: Path) -> bytes:
    """A deterministic zip of a bundle folder (sorted names, fixed times and modes), so the same files
    always give the same bytes and hash. Hidden files and caches are left out."""
    folder = Path(folder)
    files = sorted(
        p for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in p.relative_to(folder).parts)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in files:
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), date_time=_ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())
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


def publish(folder: Path, *, session: Session) -> Published:
    """Validate and store a bundle version. Publishing the same bytes again is a no-op; other bytes
    under a published version number are refused: devices and signatures point at version + hash."""
    campaign = load_bundle(Path(folder), source="server")
    data = pack_bundle(folder)
    digest = hashlib.sha256(data).hexdigest()
    existing = session.exec(
        select(CampaignVersion).where(CampaignVersion.slug == campaign.slug, CampaignVersion.version == campaign.version)
    ).first()
    if existing is not None:
        if existing.bundle_sha256 != digest:
            raise BundleError(
                Path(folder),
                [f"{campaign.slug} version {campaign.version} is already published with other content; "
                 "published versions are immutable: give the changed bundle a new version number"],
            )
        return Published(campaign.slug, campaign.version, digest, created=False)
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


def entries(*, session: Session) -> list[CampaignEntry]:
    rows = session.exec(
        select(*_LIST_COLUMNS)  # type: ignore[call-overload]
        .join(Campaign, col(Campaign.slug) == col(CampaignVersion.slug))
        .order_by(col(CampaignVersion.slug), col(CampaignVersion.version))
    ).all()
    return [
        CampaignEntry(
            slug=r[0], version=r[1], title=r[2], goal=r[3], bundle_sha256=r[4], bundle_size=int(r[5]),
            locale_hashes=r[6], published_at=as_utc(r[7]), closed=r[8] is not None,
        )
        for r in rows
    ]


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
    """Signatures for ``slug`` that no void withdrew (a void subtracts its target once, however often
    the target was voided; a void of an unknown id subtracts nothing)."""
    goal = session.exec(
        select(func.max(CampaignVersion.goal)).where(CampaignVersion.slug == slug)
    ).one()
    if goal is None:
        return None
    voided = select(StoredSignature.voids).where(
        StoredSignature.campaign_slug == slug, col(StoredSignature.voids).is_not(None)
    )
    count = session.exec(
        select(func.count()).where(
            StoredSignature.campaign_slug == slug,
            col(StoredSignature.voids).is_(None),
            col(StoredSignature.id).not_in(voided),
        )
    ).one()
    return CampaignCount(slug=slug, count=int(count), goal=int(goal))


def summary(*, session: Session) -> list[tuple[str, int, int, int]]:
    """(slug, signatures, voids, public count) per campaign, for the operators' stats."""
    out = []
    slugs = sorted(
        set(session.exec(select(Campaign.slug)).all())
        | set(session.exec(select(StoredSignature.campaign_slug).distinct()).all())
    )
    for slug in slugs:
        total = session.exec(select(func.count()).where(StoredSignature.campaign_slug == slug, col(StoredSignature.voids).is_(None))).one()
        voids = session.exec(select(func.count()).where(StoredSignature.campaign_slug == slug, col(StoredSignature.voids).is_not(None))).one()
        counted = public_count(slug, session=session)
        out.append((slug, int(total), int(voids), counted.count if counted else int(total)))
    return out
