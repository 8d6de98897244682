"""A cache of the letter page's document, so the app paints the letter without loading the
campaign layer first (start-up speed: pydantic and the bundle models cost as much as Qt itself).

One JSON file per campaign and language in ``cache/`` of the data directory, holding the document
and a fingerprint of everything it was built from: the bundle's files (name, size and modification
time, as Python's own bytecode cache does), the app's version and the markup format. Any change to
any of them makes the entry stale, and the letter is built afresh. Campaign texts only: never
anything a signer typed.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from db import __version__
from db.files import write_atomically

CACHE_DIR = "cache"
# Bump when the markup that desktop/letter_html.py writes changes, so cached documents are rebuilt.
MARKUP_FORMAT = 2  # 2: the attract screen's tagline, photo and goal floor travel with the letter


@dataclass(frozen=True)
class CachedLetter:
    html: str
    title: str
    rtl: bool
    tagline: str = ""
    photo: str = ""   # absolute path of the bundle's photo, "" when it has none
    goal: int = 100   # the manifest's goal: the lowest goal the attract screen shows


def fingerprint(bundle_dir: Path) -> str:
    parts = [__version__, str(MARKUP_FORMAT), str(bundle_dir.resolve())]
    for entry in sorted(os.scandir(bundle_dir), key=lambda e: e.name):
        if entry.is_file():
            info = entry.stat()
            parts.append(f"{entry.name}:{info.st_size}:{info.st_mtime_ns}")
    return "|".join(parts)


def _file(data_dir: Path, slug: str, locale: str) -> Path:
    return data_dir / CACHE_DIR / f"letter-{slug}-{locale}.json"


def load(data_dir: Path, slug: str, locale: str, bundle_dir: Path) -> CachedLetter | None:
    try:
        entry = json.loads(_file(data_dir, slug, locale).read_text(encoding="utf-8"))
        if entry["fingerprint"] != fingerprint(bundle_dir):
            return None
        return CachedLetter(html=entry["html"], title=entry["title"], rtl=bool(entry["rtl"]),
                            tagline=entry["tagline"], photo=entry["photo"], goal=int(entry["goal"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(data_dir: Path, slug: str, locale: str, bundle_dir: Path, letter: CachedLetter) -> None:
    target = _file(data_dir, slug, locale)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, json.dumps({
            "fingerprint": fingerprint(bundle_dir), "html": letter.html,
            "title": letter.title, "rtl": letter.rtl, "tagline": letter.tagline, "photo": letter.photo,
            "goal": letter.goal,
        }).encode("utf-8"))
    except OSError:
        pass  # a cache that cannot be written only costs start-up time
