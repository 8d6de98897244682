"""Importing a campaign bundle a coordinator was given: a folder, its ``campaign.toml``, or a zip file.

The bundle is checked completely (``db.campaigns.load_bundle``) before anything lands, then copied to
``imported-campaigns/<slug>/v<version>/`` in the data directory and registered, where the app finds
it next to the built-in campaigns (``db.paths.installed_bundle_dirs``). An installed version is never
replaced: importing the same bundle again changes nothing, and a bundle that reuses an installed
version number with other texts is refused (signatures point at a version and its text hashes).
Qt-free.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path

from sqlalchemy.engine import Engine

from db import campaigns
from db.campaigns import MANIFEST, BundleError, Campaign
from db.engine import write_session
from db.paths import IMPORTED_BUNDLES_DIR, ensure_private_dir

MAX_BUNDLE_BYTES = 64 * 1024 * 1024


def _copy_folder(source: Path, target: Path) -> None:
    """Copy a bundle folder: regular files only (a link could pull in anything on the disk)."""
    total = 0
    for path in sorted(source.rglob("*")):
        if path.is_symlink():
            raise BundleError(source, [f"{path.relative_to(source)}: links are not allowed in a bundle"])
        if not path.is_file():
            continue
        total += path.stat().st_size
        if total > MAX_BUNDLE_BYTES:
            raise BundleError(source, ["the bundle is larger than 64 MB"])
        dest = target / path.relative_to(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)


def _bundle_root(folder: Path) -> Path:
    """The folder holding ``campaign.toml``: the unpacked folder itself, or its one sub-folder (a zip
    made of the bundle's folder rather than of its contents)."""
    if (folder / MANIFEST).is_file():
        return folder
    children = [p for p in folder.iterdir() if not p.name.startswith((".", "__MACOSX"))]
    if len(children) == 1 and children[0].is_dir() and (children[0] / MANIFEST).is_file():
        return children[0]
    raise BundleError(folder, [f"no {MANIFEST} in the bundle"])


def _stage(source: Path, scratch: Path) -> Path:
    if source.is_file() and source.name == MANIFEST:
        source = source.parent
    if source.is_dir():
        _copy_folder(source, scratch)
    elif source.is_file() and zipfile.is_zipfile(source):
        from db.sync.bundles import unpack

        try:
            unpack(source.read_bytes(), scratch)
        except (ValueError, zipfile.BadZipFile) as exc:
            raise BundleError(source, [str(exc)]) from None
    else:
        raise BundleError(source, [f"not a campaign bundle: choose its folder, its {MANIFEST} or a .zip file"])
    return _bundle_root(scratch)


def import_bundle(data_dir: Path, source: Path, *, engine: Engine) -> tuple[Campaign, bool]:
    """Install the bundle at ``source``. Returns the campaign as installed and whether it is new
    (False: this very version was already imported). Raises BundleError naming every problem."""
    source = Path(source)
    root = ensure_private_dir(Path(data_dir) / IMPORTED_BUNDLES_DIR)
    scratch = Path(tempfile.mkdtemp(prefix=".import-", dir=root))
    try:
        staged = _stage(source, scratch)
        campaign = campaigns.load_bundle(staged, source="import")
        final = root / campaign.slug / f"v{campaign.version}"
        if final.exists():
            installed = campaigns.load_bundle(final, source="import")
            if installed.locale_hashes() != campaign.locale_hashes():
                raise BundleError(source, [
                    f"version {campaign.version} of {campaign.slug!r} was imported before with other texts; "
                    "give the changed bundle a new version number"])
            return installed, False
        with write_session(engine) as session:  # refuses a version installed elsewhere with other texts
            campaigns.register(campaign, session=session)
            session.rollback()
        final.parent.mkdir(parents=True, exist_ok=True)
        staged.rename(final)
        campaign = campaigns.load_bundle(final, source="import")
        with write_session(engine) as session:
            from db import audit

            campaigns.register(campaign, session=session)
            audit.record("campaign_imported", session=session, campaign=campaign.slug, version=campaign.version)
            session.commit()
        return campaign, True
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
