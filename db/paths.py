"""Where things live: bundled resources (source tree or PyInstaller folder) and the data directory."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

APP_NAME = "petition-kiosk"
DB_FILENAME = "petition-kiosk.sqlite3"
PIN_FILE = "coordinator-pin.json"  # db/pin.py: the coordinator PIN's salted hash


def pin_file_present(data_dir: Path) -> bool:
    """Whether a coordinator PIN was set (db/pin.has_pin), by one file check: the start-up asks it
    before the first paint, without loading db/pin.py's hashing."""
    path = Path(data_dir) / PIN_FILE
    return path.exists() or path.is_symlink()


def resource_path(*parts: str) -> Path:
    """Path of a file under ``resources/``, in a source checkout and in a PyInstaller build alike."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    root = Path(frozen_root) if frozen_root else Path(__file__).resolve().parent.parent
    return root.joinpath("resources", *parts)


def builtin_bundle_dirs() -> list[Path]:
    """The built-in campaign bundles: folders under resources/campaigns named by their slug."""
    root = resource_path("campaigns")
    return sorted(p for p in root.iterdir() if (p / "campaign.toml").is_file())


PULLED_BUNDLES_DIR = "campaigns"  # in the data directory: campaigns/<slug>/v<version>/ (db/sync/bundles.py)
# Bundles a coordinator imported from a folder or a zip file (db/bundle_import.py), laid out the same way.
IMPORTED_BUNDLES_DIR = "imported-campaigns"
# A marker file in a pulled version's folder that its server's signed listing contradicts
# (db/sync/bundles.py): the version is kept for the signatures made on it, but never chosen again.
QUARANTINE_FILE = ".quarantined"


def _newest_versions(root: Path) -> dict[str, Path]:
    """The newest ``<slug>/v<N>/`` folder of each slug under ``root``. Folder names only: this runs
    before the first paint."""
    newest: dict[str, tuple[int, Path]] = {}
    if not root.is_dir():
        return {}
    for version_dir in root.glob("*/v*"):
        number = version_dir.name[1:]
        if not number.isdigit() or not (version_dir / "campaign.toml").is_file():
            continue
        if (version_dir / QUARANTINE_FILE).exists():
            continue
        slug = version_dir.parent.name
        if slug not in newest or int(number) > newest[slug][0]:
            newest[slug] = (int(number), version_dir)
    return {slug: path for slug, (_, path) in sorted(newest.items())}


def pulled_bundle_dirs(data_dir: Path) -> dict[str, Path]:
    """The newest version of each campaign pulled from the server, by slug."""
    return _newest_versions(Path(data_dir) / PULLED_BUNDLES_DIR)


def imported_bundle_dirs(data_dir: Path) -> dict[str, Path]:
    """The newest version of each campaign imported on this device, by slug."""
    return _newest_versions(Path(data_dir) / IMPORTED_BUNDLES_DIR)


def installed_bundle_dirs(data_dir: Path) -> dict[str, Path]:
    """Every campaign the app can show, by slug: built-in, then imported, then pulled from the server.
    A later source replaces an earlier one of the same slug (an imported or published campaign is a
    newer version of a built-in one; the server has the last word)."""
    dirs = {path.name: path for path in builtin_bundle_dirs()}
    dirs.update(imported_bundle_dirs(data_dir))
    dirs.update(pulled_bundle_dirs(data_dir))
    return dirs


def bundle_source(path: Path, data_dir: Path) -> str:
    """Where an installed bundle came from: "server", "import" or "builtin"."""
    path = Path(path)
    if path.is_relative_to(Path(data_dir) / PULLED_BUNDLES_DIR):
        return "server"
    if path.is_relative_to(Path(data_dir) / IMPORTED_BUNDLES_DIR):
        return "import"
    return "builtin"


def default_data_dir() -> Path:
    """The user's data directory (platformdirs), unless PETITION_KIOSK_DATA_DIR overrides it."""
    override = os.environ.get("PETITION_KIOSK_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def database_path(data_dir: Path) -> Path:
    return data_dir / DB_FILENAME


def ensure_private_dir(path: Path) -> Path:
    """Create a directory readable by its owner only: it holds signers' personal data."""
    path.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):  # e.g. a FAT-formatted USB stick has no permissions
        path.chmod(0o700)
    return path
