"""Campaign bundles made for tests from a built-in one: another slug, version and title."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from db.paths import resource_path


def set_version(text: str, version: int) -> str:
    """A campaign.toml's text with another version number."""
    return "\n".join(f"version = {version}" if line.startswith("version =") else line
                     for line in text.splitlines()) + "\n"


def make_bundle(tmp_path: Path, *, slug: str = "vigil", version: int = 1, title: str = "Vigil for the detained") -> Path:
    """A bundle folder made from the built-in Aleppo one, with ``slug``, ``version`` and English ``title``."""
    folder = tmp_path / f"{slug}-v{version}-{sum(map(ord, title))}"
    shutil.copytree(resource_path("campaigns", "aleppo"), folder)
    manifest = folder / "campaign.toml"
    text = manifest.read_text(encoding="utf-8").replace('slug = "aleppo"', f'slug = "{slug}"', 1)
    manifest.write_text(set_version(text, version), encoding="utf-8")
    english = folder / "en.toml"
    lines = english.read_text(encoding="utf-8").splitlines()
    english.write_text("\n".join(f'title = "{title}"' if line.startswith("title =") else line for line in lines) + "\n",
                       encoding="utf-8")
    return folder


def zip_bundle(folder: Path, target: Path, *, top: bool) -> Path:
    """``folder`` zipped, inside a top folder of its name (``top``) or as its bare contents."""
    with zipfile.ZipFile(target, "w") as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(folder.parent if top else folder).as_posix())
    return target
