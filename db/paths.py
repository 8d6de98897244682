"""Where things live: bundled resources (source tree or PyInstaller folder) and the data directory."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

APP_NAME = "petition-kiosk"
DB_FILENAME = "petition-kiosk.sqlite3"


def resource_path(*parts: str) -> Path:
    """Path of a file under ``resources/``, in a source checkout and in a PyInstaller build alike."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    root = Path(frozen_root) if frozen_root else Path(__file__).resolve().parent.parent
    return root.joinpath("resources", *parts)


def builtin_bundle_dirs() -> list[Path]:
    """The built-in campaign bundles: folders under resources/campaigns named by their slug."""
    root = resource_path("campaigns")
    return sorted(p for p in root.iterdir() if (p / "campaign.toml").is_file())


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
