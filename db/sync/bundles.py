"""Campaign versions pulled from the server into the data directory.

Each listing entry is read on its own and carries the server's Ed25519 signature over its slug,
version, bundle SHA-256, sealing mode and key id; the device checks it with the key it pinned at
enrollment before downloading, and checks the downloaded bundle against it (``pull_campaigns``).
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
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from db import audit, campaigns
from db.engine import write_session
from db.files import write_atomically
from db.models import CampaignVersion, SealingKey
from db.paths import PULLED_BUNDLES_DIR, QUARANTINE_FILE, builtin_bundle_dirs, ensure_private_dir
from db.sync.client import ApiClient, BundleMismatch
from db.wire import CampaignEntry, campaign_entry_statement

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


# Why a listed version was refused or an installed one quarantined (audit detail ``reason``; the panel
# and ``petition-kiosk sync`` put them in words).
UNREADABLE = "unreadable"  # the entry does not parse (a newer server's, or damaged)
SIGNATURE_INVALID = "signature_invalid"  # signed, but not by the key this device pinned at enrollment
BUNDLE_MISMATCH = "bundle_mismatch"  # the bundle is not what its signed entry says (hash, sealing, name)
BUNDLE_INVALID = "bundle_invalid"  # the bundle does not load
SEALING_LOWERED = "sealing_lowered"  # unsigned, and it seals less than the campaign's previous version
KEY_UNKNOWN = "key_unknown"  # unsigned, and it carries a key the server's signed key list never gave
NOT_PUBLISHED = "not_published"  # installed, and the server's signed listing does not hold it
REFUSED = "campaign_refused"  # audit kinds
QUARANTINED = "campaign_quarantined"
VERIFIED_FILE = ".verified"  # in a pulled version's folder: the bundle SHA-256 a signed entry vouched for

_SEALING_RANK = {"off": 0, "when-key": 1, "required": 2}


@dataclass
class PullReport:
    installed: list[tuple[str, int]] = field(default_factory=list)
    refused: list[tuple[str, int | None, str]] = field(default_factory=list)  # (slug, version, reason)
    quarantined: list[tuple[str, int, str]] = field(default_factory=list)


class _Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def pinned_signing_key(data_dir: Path) -> Any | None:
    """The server's Ed25519 key this device pinned at enrollment (a PyNaCl VerifyKey), or None."""
    import base64
    import binascii

    import nacl.signing

    from db.sync import enrollment

    enrolled = enrollment.load(data_dir)
    pinned = next((k for k in (enrolled.server_keys if enrolled else []) if k.get("purpose") == "signing"), None)
    if pinned is None:
        return None
    try:
        return nacl.signing.VerifyKey(base64.b64decode(str(pinned.get("public_key", "")), validate=True))
    except (binascii.Error, ValueError, TypeError):
        return None


def signed_validly(entry: CampaignEntry, verifier: Any | None) -> bool:
    """Whether ``entry`` carries a signature over its facts by the pinned key ``verifier``."""
    import base64
    import binascii

    from nacl.exceptions import BadSignatureError

    if verifier is None or entry.signature is None or entry.sealing_mode is None:
        return False
    statement = campaign_entry_statement(entry.slug, entry.version, entry.bundle_sha256, entry.sealing_mode,
                                         entry.sealing_key_id)
    try:
        verifier.verify(statement, base64.b64decode(entry.signature, validate=True))
    except (BadSignatureError, binascii.Error, ValueError, TypeError):
        return False
    return True


def pull_campaigns(engine: Engine, client: ApiClient, data_dir: Path) -> PullReport:
    """Install every published version this device lacks and may trust; re-check the versions pulled
    before against the server's signed listing. Each entry stands alone: one refused (unreadable,
    badly signed, a bundle that is not what its entry says, sealing lowered without a valid signature)
    is written to the audit log and reported, and the others still install."""
    listing = client.campaigns()
    verifier = pinned_signing_key(data_dir)
    report = PullReport()
    with Session(engine) as session:
        have = {(slug, version): hashes for slug, version, hashes in session.exec(
            select(CampaignVersion.slug, CampaignVersion.version, CampaignVersion.locale_hashes)).all()}
        held_keys = set(session.exec(select(SealingKey.key_id)).all())
        modes = _installed_modes(session)
    root = ensure_private_dir(Path(data_dir) / BUNDLES_DIR)
    signed: dict[tuple[str, int], CampaignEntry] = {}
    for raw in listing.campaigns:
        try:
            entry = CampaignEntry.model_validate(raw)
        except ValidationError:
            raw = raw if isinstance(raw, dict) else {}
            slug = raw.get("slug") if isinstance(raw.get("slug"), str) else "?"
            version = raw.get("version") if isinstance(raw.get("version"), int) else None
            _refuse(engine, report, str(slug)[:64], version, UNREADABLE)
            continue
        is_signed = signed_validly(entry, verifier)
        if is_signed:
            signed[(entry.slug, entry.version)] = entry
        elif entry.signature is not None:
            _refuse(engine, report, entry.slug, entry.version, SIGNATURE_INVALID)
            continue
        if (entry.slug, entry.version) in have:
            _compare(engine, entry, have[(entry.slug, entry.version)])
            continue
        try:
            mode = _install(engine, client, root, entry, is_signed, held_keys=held_keys,
                            previous=_previous_mode(modes, entry.slug, entry.version))
        except _Refused as exc:
            _refuse(engine, report, entry.slug, entry.version, exc.reason)
            continue
        report.installed.append((entry.slug, entry.version))
        modes.setdefault(entry.slug, {})[entry.version] = mode
    if signed:  # a server that signs its listing: what it does not vouch for is not its
        _remember_listed(root, {slug for slug, _ in signed})
        _recheck(engine, client, root, signed, report)
    return report


LISTED_FILE = ".listed-slugs"  # in the pulled campaigns' folder: the slugs the server's signed list holds


def _remember_listed(root: Path, slugs: set[str]) -> None:
    write_atomically(root / LISTED_FILE, ("\n".join(sorted(slugs)) + "\n").encode("utf-8"))


def listed_slugs(data_dir: Path) -> set[str]:
    """The campaigns the enrolled server's signed list held at the last pull (an imported bundle may not
    take one of their slugs, even one this device did not install)."""
    try:
        text = (Path(data_dir) / BUNDLES_DIR / LISTED_FILE).read_text(encoding="utf-8")
    except OSError:
        return set()
    return {line for line in text.splitlines() if line}


def _installed_modes(session: Session) -> dict[str, dict[int, str]]:
    """slug -> {version: sealing mode} of the versions installed (their bundles, read from disk)."""
    out: dict[str, dict[int, str]] = {}
    for slug, version, path, source in session.exec(select(
            CampaignVersion.slug, CampaignVersion.version, CampaignVersion.bundle_path, CampaignVersion.source)).all():
        try:
            folder = Path(path) if path else next(p for p in builtin_bundle_dirs() if p.name == slug)
            out.setdefault(slug, {})[version] = campaigns.load_bundle(folder, source=source).sealing_mode
        except (StopIteration, campaigns.BundleError, OSError):
            continue
    return out


def _previous_mode(modes: dict[str, dict[int, str]], slug: str, version: int) -> str:
    """The sealing of the campaign's newest installed version below ``version``; ``required`` (what a
    server publishes) when the device holds none."""
    older = {v: m for v, m in modes.get(slug, {}).items() if v < version}
    return older[max(older)] if older else "required"


def _install(engine: Engine, client: ApiClient, root: Path, entry: CampaignEntry, is_signed: bool, *,
             held_keys: set[str], previous: str) -> str:
    """Download, check and install one entry's bundle; its sealing mode. Raises _Refused."""
    try:
        data = client.bundle(entry.slug, entry.version, entry.bundle_sha256)
    except BundleMismatch:
        raise _Refused(BUNDLE_MISMATCH) from None
    return _install_zip(engine, data, root, entry, is_signed, held_keys=held_keys, previous=previous)


def _install_zip(engine: Engine, data: bytes, root: Path, entry: CampaignEntry, is_signed: bool, *,
                 held_keys: set[str], previous: str) -> str:
    final = root / entry.slug / f"v{entry.version}"
    final.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".unpack-", dir=final.parent))
    try:
        try:
            unpack(data, scratch)
            campaign = campaigns.load_bundle(scratch, source="server")  # refuse a bad bundle before it lands
        except (campaigns.BundleError, ValueError, zipfile.BadZipFile):
            raise _Refused(BUNDLE_INVALID) from None
        if (campaign.slug, campaign.version) != (entry.slug, entry.version):
            raise _Refused(BUNDLE_MISMATCH)
        mode, key_id = campaign.sealing_facts
        if is_signed:
            if (mode, key_id) != (entry.sealing_mode, entry.sealing_key_id):
                raise _Refused(BUNDLE_MISMATCH)
        elif _SEALING_RANK[mode] < _SEALING_RANK.get(previous, 2):
            raise _Refused(SEALING_LOWERED)
        elif key_id is not None and key_id not in held_keys:
            raise _Refused(KEY_UNKNOWN)
        if is_signed:
            (scratch / VERIFIED_FILE).write_text(entry.bundle_sha256, encoding="ascii")
        if final.exists():  # a folder left by a run that stopped before it registered the version
            shutil.rmtree(final)
        scratch.rename(final)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    campaign = campaigns.load_bundle(final, source="server")
    with write_session(engine) as session:  # the GUI may be saving: wait for the write lock
        campaigns.register(campaign, session=session)
        session.commit()
    return mode


def install_signed_file(engine: Engine, data_dir: Path, data: bytes) -> tuple[campaigns.Campaign, bool]:
    """Install a signed bundle file (``petition-server export-bundle``) as if it had been pulled: its
    entry must carry a valid signature by the server key this device pinned at enrollment, and the zip
    must be the one it names (hash, name, sealing mode and key id). Returns the campaign and whether it
    is new. Raises BundleError saying why not."""
    import hashlib

    from db.wire import split_signed_bundle

    source = Path(data_dir) / "signed bundle"
    parts = split_signed_bundle(data)
    if parts is None:
        raise campaigns.BundleError(source, ["the signed bundle file is damaged or incomplete"])
    entry, bundle_zip = parts
    verifier = pinned_signing_key(Path(data_dir))
    if verifier is None:
        raise campaigns.BundleError(source, ["this device is not enrolled with a server, so it cannot check "
                                             "who signed this bundle: enroll it first"])
    if not signed_validly(entry, verifier):
        raise campaigns.BundleError(source, ["this bundle is not signed by the server this device is enrolled "
                                             "with; it was not installed"])
    if hashlib.sha256(bundle_zip).hexdigest() != entry.bundle_sha256:
        raise campaigns.BundleError(source, ["the bundle in this file is not the one its signature names "
                                             "(damaged or altered); it was not installed"])
    final = Path(data_dir) / BUNDLES_DIR / entry.slug / f"v{entry.version}"
    with Session(engine) as session:
        installed = session.exec(select(CampaignVersion.id).where(
            CampaignVersion.slug == entry.slug, CampaignVersion.version == entry.version)).first() is not None
    if installed and final.is_dir() and (final / VERIFIED_FILE).exists():
        return campaigns.load_bundle(final, source="server"), False
    if installed:
        raise campaigns.BundleError(source, [f"version {entry.version} of {entry.slug!r} is already installed "
                                             "on this device from elsewhere"])
    root = ensure_private_dir(Path(data_dir) / BUNDLES_DIR)
    try:
        _install_zip(engine, bundle_zip, root, entry, True, held_keys=set(), previous="required")
    except _Refused as exc:
        raise campaigns.BundleError(source, [f"the bundle does not match its signature ({exc.reason})"]) from None
    with write_session(engine) as session:
        audit.record("campaign_imported", session=session, campaign=entry.slug, version=entry.version,
                     signed=True)
        session.commit()
    return campaigns.load_bundle(final, source="server"), True


def _recheck(engine: Engine, client: ApiClient, root: Path, signed: dict[tuple[str, int], CampaignEntry],
             report: PullReport) -> None:
    """Versions pulled before listings were signed (no VERIFIED_FILE): each is compared, file by file,
    with the bundle the signed entry names; one that differs, or that the server does not list at all
    (added by someone in the middle), is quarantined: kept for the signatures made on it (they are
    still sent), never chosen for new ones."""
    for folder in sorted(root.glob("*/v*")):
        number = folder.name[1:]
        if not number.isdigit() or not (folder / campaigns.MANIFEST).is_file():
            continue
        if (folder / VERIFIED_FILE).exists() or (folder / QUARANTINE_FILE).exists():
            continue
        key = (folder.parent.name, int(number))
        entry = signed.get(key)
        if entry is None:
            _quarantine(engine, report, folder, key, NOT_PUBLISHED)
            continue
        try:
            data = client.bundle(entry.slug, entry.version, entry.bundle_sha256)
        except BundleMismatch:
            continue  # the download, not the installed version, is in doubt: try again next time
        scratch = Path(tempfile.mkdtemp(prefix=".check-", dir=folder.parent))
        try:
            try:
                unpack(data, scratch)
            except (ValueError, zipfile.BadZipFile):
                continue
            if _files_digest(scratch) == _files_digest(folder):
                (folder / VERIFIED_FILE).write_text(entry.bundle_sha256, encoding="ascii")
            else:
                _quarantine(engine, report, folder, key, BUNDLE_MISMATCH)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)


def _files_digest(folder: Path) -> str:
    """One hash of a bundle folder's files and names (our own marker files left out)."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        if relative in (VERIFIED_FILE, QUARANTINE_FILE):
            continue
        digest.update(relative.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _quarantine(engine: Engine, report: PullReport, folder: Path, key: tuple[str, int], reason: str) -> None:
    write_atomically(folder / QUARANTINE_FILE, reason.encode("ascii"))
    log.warning("campaign %s version %d quarantined: %s", key[0], key[1], reason)
    with write_session(engine) as session:
        audit.record(QUARANTINED, session=session, slug=key[0], version=key[1], reason=reason)
        session.commit()
    report.quarantined.append((key[0], key[1], reason))


def _refuse(engine: Engine, report: PullReport, slug: str, version: int | None, reason: str) -> None:
    """Report a refused entry; write it to the audit log once (each pull sees it again)."""
    report.refused.append((slug, version, reason))
    detail = {"slug": slug, "version": version, "reason": reason}
    with write_session(engine) as session:
        if any(e.detail == detail for e in audit.recent(session=session, limit=1000, kind=REFUSED)):
            return
        log.warning("campaign %s version %s refused: %s", slug, version, reason)
        audit.record(REFUSED, session=session, **detail)
        session.commit()


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
