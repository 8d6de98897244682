"""Searching files for a signer's details, byte for byte, in the encodings SQLite and logs use."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")


def find_traces(paths: Iterable[Path], words: Iterable[str]) -> list[tuple[str, str]]:
    """(file name, word and encoding) for every word found in any of ``paths`` (folders are walked)."""
    words = [w for w in words if w]
    hits = []
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if not file.exists():
                continue
            blob = file.read_bytes()
            for word in words:
                for encoding in ENCODINGS:
                    if word.encode(encoding) in blob:
                        hits.append((file.name, f"{word} ({encoding})"))
    return hits
