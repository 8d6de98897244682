"""Campaign versions pulled from the server into the data directory.

Each published version not installed yet is downloaded (its SHA-256 must match the list), unpacked into
``campaigns/<slug>/v<version>/`` (names checked: nothing escapes the folder), loaded and validated with
``db.campaigns.load_bundle(source="server")`` and registered. Installed versions are never replaced, so
signatures keep pointing at the version (and the text hashes) they were signed on.

A version this device already holds under the same number with other texts (a bundle imported from a
file before the server published its own) is not replaced either: what was signed on it stays what
it was. The coordinator is told once, in the audit log (``campaign_differs``: slug, version and the
languages that differ, never any text), and the panel's campaign list marks the version.
"""

from __future__ import annotations

import io
import json
import logging
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from db import audit, campaigns
from db.engine import write_session
from db.models import CampaignVersion
from db.paths import PULLED_BUNDLES_DIR, ensure_private_dir
from db.sync.client import ApiClient
from db.wire import CampaignEntry

BUNDLES_DIR = PULLED_BUNDLES_DIR
MAX_UNPACKED_BYTES = 64 * 1024 * 1024

log = logging.getLogger(__name__)


def unpack(data: bytes, target: Path) -> None:
    """Unpack a zipped bundle into ``target``: names that would escape it, and more than
    MAX_UNPACKED_BYTES in all, are refused (ValueError)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        total = 0
        for info in zf.infolist():
            name = PurePosixPath(info.filename)
            # ":" names another drive (D:evil) or an alternate data stream on Windows.
            if name.is_absolute() or ".." in name.parts or "\\" in info.filename or ":" in info.filename:
                raise ValueError(f"unsafe name in bundle: {info.filename!r}")
            total += info.file_size
            if total > MAX_UNPACKED_BYTES:
                raise ValueError("bundle too large when unpacked")
            if info.is_dir():
                continue
            dest = target.joinpath(*name.parts)
            if not dest.resolve().is_relative_to(target.resolve()):
                raise ValueError(f"unsafe name in bundle: {info.filename!r}")
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(zf.read(info))


def pull_campaigns(engine: Engine, client: ApiClient, data_dir: Path) -> list[tuple[str, int]]:
    """Install every published version this device lacks; returns (slug, version) of the new ones."""
    listing = client.campaigns()
    with Session(engine) as session:
        have = {(slug, version): hashes for slug, version, hashes in session.exec(
            select(CampaignVersion.slug, CampaignVersion.version, CampaignVersion.locale_hashes)).all()}
    installed: list[tuple[str, int]] = []
    root = ensure_private_dir(Path(data_dir) / BUNDLES_DIR)
    for entry in listing.campaigns:
        if (entry.slug, entry.version) in have:
            _compare(engine, entry, have[(entry.slug, entry.version)])
            continue
        data = client.bundle(entry.slug, entry.version, entry.bundle_sha256)
        final = root / entry.slug / f"v{entry.version}"
        if not final.exists():
            final.parent.mkdir(parents=True, exist_ok=True)
            scratch = Path(tempfile.mkdtemp(prefix=".unpack-", dir=final.parent))
            try:
                unpack(data, scratch)
                campaigns.load_bundle(scratch, source="server")  # refuse a bad bundle before it lands
                scratch.rename(final)
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
        campaign = campaigns.load_bundle(final, source="server")
        if (campaign.slug, campaign.version) != (entry.slug, entry.version):
            raise ValueError(f"bundle {entry.slug} v{entry.version} names itself {campaign.slug} v{campaign.version}")
        with write_session(engine) as session:  # the GUI may be saving: wait for the write lock
            campaigns.register(campaign, session=session)
            session.commit()
        installed.append((entry.slug, entry.version))
    return installed


def differing_locales(installed: dict[str, Any], published: dict[str, Any]) -> list[str]:
    """The languages whose letter or consent text differ between two versions' hashes (a language
    only one of them has counts too). Whether a translation is reviewed is no difference of text."""
    def texts(hashes: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
        return {loc: (h.get("letter"), h.get("consent")) for loc, h in hashes.items() if isinstance(h, dict)}

    mine, theirs = texts(installed), texts(published)
    return sorted(loc for loc in mine.keys() | theirs.keys() if mine.get(loc) != theirs.get(loc))


def _compare(engine: Engine, entry: CampaignEntry, installed: Any) -> None:
    hashes = json.loads(installed) if isinstance(installed, str) else dict(installed or {})
    locales = differing_locales(hashes, entry.locale_hashes)
    if not locales:
        return
    with write_session(engine) as session:
        if (entry.slug, entry.version) in campaigns.differs_from_server(session=session):
            return  # said once
        log.warning("campaign %s version %d on this device differs from the server's (%s)",
                    entry.slug, entry.version, ", ".join(locales))
        audit.record(campaigns.DIFFERS, session=session, slug=entry.slug, version=entry.version,
                     locales=", ".join(locales))
        session.commit()
