"""Importing a campaign bundle a coordinator was given: a folder, its ``campaign.toml``, or a zip file.

The bundle is checked completely (``db.campaigns.load_bundle``) before anything lands, then copied to
``imported-campaigns/<slug>/v<version>/`` in the data directory and registered, where the app finds
it next to the built-in campaigns (``db.paths.installed_bundle_dirs``). Only the bundle's own files
are copied (manifest, texts, photo). An installed version is never replaced: importing the same
bundle again changes nothing, and a different bundle under an installed version number is refused
(signatures point at a version and its text hashes). An imported bundle adds a campaign: it cannot
take the slug of a built-in or server-published one, switch sealing off or bring a key other than
its server's (its ``sealing.toml`` travels with it when it carries the server's key). The panel marks
such a version as unverified: no server vouched for its texts.
A signed bundle file (``petition-server export-bundle``: the server's signed campaign-list entry and
its zip) is checked with the server key this device pinned at enrollment and installed as if pulled
from that server (db/sync/bundles.py ``install_signed_file``), its sealing key included.
Qt-free.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import zipfile
from pathlib import Path

from sqlalchemy.engine import Engine

from db import campaigns
from db.campaigns import MANIFEST, BundleError, Campaign
from db.engine import write_session
from db.paths import IMPORTED_BUNDLES_DIR, builtin_bundle_dirs, ensure_private_dir, pulled_bundle_dirs

MAX_BUNDLE_BYTES = 64 * 1024 * 1024


def _bundle_root(folder: Path) -> Path:
    """The folder holding ``campaign.toml``: the unpacked folder itself, or its one sub-folder (a zip
    made of the bundle's folder rather than of its contents)."""
    if (folder / MANIFEST).is_file():
        return folder
    children = [p for p in folder.iterdir() if not p.name.startswith((".", "__MACOSX"))]
    if len(children) == 1 and children[0].is_dir() and (children[0] / MANIFEST).is_file():
        return children[0]
    raise BundleError(folder, [f"no {MANIFEST} in the bundle"])


def _bundle_files(root: Path) -> list[Path]:
    """The files a bundle consists of, relative to its folder: the manifest, the per-language texts
    and the photo it names. Nothing else is copied: a folder chosen in Downloads may hold anything
    (a spreadsheet of signers, say), and it must not end up in the data directory."""
    import tomllib

    files = [Path(MANIFEST), *(Path(p.name) for p in sorted(root.glob("*.toml")) if p.name != MANIFEST)]
    try:
        photo = tomllib.loads((root / MANIFEST).read_text(encoding="utf-8")).get("photo")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        photo = None  # load_bundle reports the broken manifest
    if isinstance(photo, str) and (root / photo).is_file():
        files.append(Path(photo))
    return files


def _copy_bundle(root: Path, target: Path) -> None:
    total = 0
    for relative in _bundle_files(root):
        path = root / relative
        if path.is_symlink() or not path.resolve().is_relative_to(root.resolve()):
            raise BundleError(root, [f"{relative}: links, and files outside the bundle's folder, are not allowed"])
        total += path.stat().st_size
        if total > MAX_BUNDLE_BYTES:
            raise BundleError(root, ["the bundle is larger than 64 MB"])
        dest = target / relative
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)


def _stage(source: Path, scratch: Path) -> Path:
    """The bundle's files, checked for size and names, copied into ``scratch/bundle``."""
    if source.is_file() and source.name == MANIFEST:
        source = source.parent
    if source.is_dir():
        root = _bundle_root(source)
    elif source.is_file() and zipfile.is_zipfile(source):
        from db.sync.bundles import unpack

        if source.stat().st_size > MAX_BUNDLE_BYTES:
            raise BundleError(source, ["the bundle is larger than 64 MB"])
        try:
            unpack(source.read_bytes(), scratch / "unpacked")
        except (ValueError, zipfile.BadZipFile) as exc:
            raise BundleError(source, [str(exc)]) from None
        root = _bundle_root(scratch / "unpacked")
    else:
        raise BundleError(source, [f"not a campaign bundle: choose its folder, its {MANIFEST} or a .zip file"])
    staged = scratch / "bundle"
    staged.mkdir()
    _copy_bundle(root, staged)
    return staged


def _digest(folder: Path) -> str:
    """One hash of every file of a bundle, names included: two bundles are the same bundle or not."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _policy_problems(campaign: Campaign, data_dir: Path, held_keys: set[str]) -> list[str]:
    """What an unsigned imported bundle may not do. It adds a campaign; it never replaces one the app
    ships or the enrolled server publishes (their texts, form and links are what their organisers
    signed off), and it never weakens sealing: it may carry a ``sealing.toml`` (a bundle downloaded
    from the server does) only with a key this device received from its server; keys come from the
    server, not from a file on a USB stick."""
    from db.sync.bundles import listed_slugs

    problems = []
    server_slugs = set(pulled_bundle_dirs(data_dir)) | listed_slugs(data_dir)
    if campaign.slug in {p.name for p in builtin_bundle_dirs()} or campaign.slug in server_slugs:
        problems.append(f"{MANIFEST}: slug: {campaign.slug!r} is a campaign this device already has from the app "
                        "or the server; an imported campaign needs a slug of its own")
    sealing = campaign.manifest.sealing
    if sealing.mode == "off":
        problems.append(f"{MANIFEST}: [sealing] mode: an imported campaign cannot switch sealing off")
    if sealing.public_key is not None and campaign.sealing_facts[1] not in held_keys:
        problems.append(f"{MANIFEST}: [sealing]: an imported campaign cannot bring its own key; the device "
                        "seals to its server's key, received at enrollment")
    return problems


def _held_keys(engine: Engine) -> set[str]:
    """Ids of the sealing keys this device received from its server (enrollment, signed key list)."""
    from sqlmodel import Session, select

    from db.models import SealingKey

    with Session(engine) as session:
        return set(session.exec(select(SealingKey.key_id)).all())


def _is_signed_bundle(source: Path) -> bool:
    from db.wire import SIGNED_BUNDLE_MAGIC

    if not source.is_file():
        return False
    with source.open("rb") as fh:
        return fh.read(len(SIGNED_BUNDLE_MAGIC)) == SIGNED_BUNDLE_MAGIC


def import_bundle(data_dir: Path, source: Path, *, engine: Engine) -> tuple[Campaign, bool]:
    """Install the bundle at ``source``. Returns the campaign as installed and whether it is new
    (False: this very bundle was already imported). Raises BundleError naming every problem."""
    source = Path(source)
    if _is_signed_bundle(source):  # signed by the server this device is enrolled with: as if pulled
        from db.sync.bundles import install_signed_file

        if source.stat().st_size > MAX_BUNDLE_BYTES:
            raise BundleError(source, ["the bundle is larger than 64 MB"])
        return install_signed_file(engine, Path(data_dir), source.read_bytes())
    root = ensure_private_dir(Path(data_dir) / IMPORTED_BUNDLES_DIR)
    scratch = Path(tempfile.mkdtemp(prefix=".import-", dir=root))
    try:
        staged = _stage(source, scratch)
        campaign = campaigns.load_bundle(staged, source="import")
        problems = _policy_problems(campaign, Path(data_dir), _held_keys(engine))
        if problems:
            raise BundleError(source, problems)
        final = root / campaign.slug / f"v{campaign.version}"
        if final.exists():
            if _digest(final) != _digest(staged):
                raise BundleError(source, [
                    f"version {campaign.version} of {campaign.slug!r} was imported before and differs from this "
                    "bundle; give the changed bundle a new version number"])
            return campaigns.load_bundle(final, source="import"), False
        with write_session(engine) as session:  # refuses a version installed elsewhere with other texts
            campaigns.register(campaign, session=session)
            session.rollback()
        ensure_private_dir(final.parent)
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
