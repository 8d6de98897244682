"""The one way this project writes a file that matters: whole or not at all, readable by its owner only.
Qt-free; both ends use it (the device's PIN, enrollment, exports and hand-off files; the server's
receipts, exports and enrollment codes).

A temporary file in the same folder (a rename is atomic only within one file system), written,
flushed and fsynced, set to mode 0600, renamed over the target, then the folder fsynced so the rename
itself survives a power cut. A USB stick pulled out, or a crash, at any moment leaves the old file or
the whole new one, never half of it. On any failure the temporary file is removed and the target is
left as it was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, BinaryIO, TextIO, cast

PRIVATE_MODE = 0o600


@contextlib.contextmanager
def _replacing(path: Path, mode: str, encoding: str | None, newline: str | None) -> Iterator[IO[str] | IO[bytes]]:
    # mkstemp creates the file with mode 0600 and a name no other writer (thread or process) can take.
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        # Exactly 0600 whatever the umask; a FAT-formatted stick has no permissions to set.
        with contextlib.suppress(OSError):
            os.chmod(temporary, PRIVATE_MODE)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    fsync_folder(path.parent)


@contextlib.contextmanager
def open_atomic_text(path: Path | str, *, encoding: str = "utf-8", newline: str | None = None) -> Iterator[TextIO]:
    """A text file object whose contents replace ``path`` when the block ends without an error."""
    with _replacing(Path(path), "w", encoding, newline) as out:
        yield cast(TextIO, out)


@contextlib.contextmanager
def open_atomic_binary(path: Path | str) -> Iterator[BinaryIO]:
    """A binary file object whose contents replace ``path`` when the block ends without an error."""
    with _replacing(Path(path), "wb", None, None) as out:
        yield cast(BinaryIO, out)


def write_atomically(path: Path | str, data: bytes | Iterable[bytes]) -> None:
    """Replace ``path`` with ``data`` (bytes, or parts written one after the other), owner-only."""
    with open_atomic_binary(path) as out:
        if isinstance(data, bytes | bytearray | memoryview):
            out.write(data)
        else:
            for part in data:
                out.write(part)


def fsync_folder(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` durable (POSIX); a no-op where folders cannot be opened."""
    with contextlib.suppress(OSError):  # Windows cannot open a folder; some file systems refuse fsync
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
