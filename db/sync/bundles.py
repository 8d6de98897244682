"""Campaign versions pulled from the server into the data directory.

Each published version not installed yet is downloaded (its SHA-256 must match the list), unpacked into
``campaigns/<slug>/v<version>/`` (names checked: nothing escapes the folder), loaded and validated with
``db.campaigns.load_bundle(source="server")`` and registered. Installed versions are never replaced, so
signatures keep pointing at the version (and the text hashes) they were signed on.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from db import campaigns
from db.engine import write_session
from db.models import CampaignVersion
from db.paths import PULLED_BUNDLES_DIR, ensure_private_dir
from db.sync.client import ApiClient

BUNDLES_DIR = PULLED_BUNDLES_DIR
MAX_UNPACKED_BYTES = 64 * 1024 * 1024


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
        have = set(session.exec(select(CampaignVersion.slug, CampaignVersion.version)).all())
    installed: list[tuple[str, int]] = []
    root = ensure_private_dir(Path(data_dir) / BUNDLES_DIR)
    for entry in listing.campaigns:
        if (entry.slug, entry.version) in have:
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
