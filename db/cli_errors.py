"""One line for a file-system error, for both command-line programs (petition-kiosk, petition-server).
Qt-free. Each program's entry point catches ``OSError`` once and prints this, with exit status 2, so a
missing folder or a read-only disk never ends a command in a traceback."""

from __future__ import annotations

import os
import sqlite3

from sqlalchemy.exc import OperationalError

EXIT_FILE_SYSTEM = 2


def file_system_problem(exc: BaseException) -> str | None:
    """What went wrong, in one line, when ``exc`` is a file-system error; None otherwise."""
    if isinstance(exc, OperationalError) and isinstance(exc.orig, sqlite3.OperationalError):
        # SQLite says only this when its file or folder is missing or not writable.
        words = str(exc.orig)
        return f"the database: {words}" if "unable to open" in words or "readonly" in words else None
    if not isinstance(exc, OSError):
        return None
    why = exc.strerror or str(exc) or type(exc).__name__
    if isinstance(exc, FileExistsError) and exc.filename is not None and not os.path.isdir(exc.filename):
        why = "exists and is not a folder"  # mkdir of a folder (data folder, output folder) over a file
    names = [str(name) for name in (exc.filename, exc.filename2) if name is not None]
    return f"{' -> '.join(names)}: {why}" if names else why
