"""What the first paint needs from the database, read with the plain ``sqlite3`` module.

Importing SQLAlchemy and SQLModel costs more than starting Qt and painting a window, so the letter
page is painted from these few reads and the database layer is loaded right after (see
``desktop.context``). Only a database already at the newest schema is read here; anything else goes
through ``db.migrate.open_database`` first. Read-only: nothing here ever writes.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.migrate import HEAD_REVISION


@dataclass(frozen=True)
class QuickState:
    settings: dict[str, Any] | None
    counts: dict[str, int]


def _connect(db_file: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{db_file.as_uri()}?mode=ro", uri=True, timeout=10)


def read_state(db_file: Path) -> QuickState | None:
    """Settings and counts, or None when the file is missing or its schema is not the newest."""
    if not db_file.exists():
        return None
    con = _connect(db_file)
    try:
        try:
            revision = con.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.OperationalError:  # no such table: not a database of ours yet
            return None
        if revision is None or revision[0] != HEAD_REVISION:
            return None
        row = con.execute("SELECT data FROM settings WHERE id = 1").fetchone()
        counts = dict(con.execute("SELECT campaign_slug, total FROM signature_count"))
        return QuickState(settings=json.loads(row[0]) if row else None, counts=counts)
    finally:
        con.close()


_LOCALE = re.compile(r"^[a-z]{2,3}$")  # the same rule as db.settings.Settings.default_locale


def early_setting(name: str, stored: dict[str, Any] | None, environ: Mapping[str, str] | None = None) -> str | None:
    """``active_campaign`` or ``default_locale`` as the first paint needs it, without pydantic:
    the environment override (PETITION_KIOSK_<NAME>), else the stored value, when it is a valid
    one. The full, validated settings object is built right after the paint (db.settings)."""
    environ = os.environ if environ is None else environ
    value = environ.get("PETITION_KIOSK_" + name.upper(), (stored or {}).get(name))
    if not isinstance(value, str):
        return None
    if name == "default_locale" and not _LOCALE.match(value):
        return None
    return value


def count_for_campaign(db_file: Path, slug: str) -> int:
    """Same answer as ``db.signatures.count_for_campaign``, without SQLAlchemy."""
    con = _connect(db_file)
    try:
        row = con.execute("SELECT total FROM signature_count WHERE campaign_slug = ?", (slug,)).fetchone()
        return int(row[0]) if row else 0
    finally:
        con.close()


# Refusals that can go away while the signature stays as it is (the campaign or version published
# late, a closed campaign reopened): such signatures are offered to the server again (db/sync) and,
# until then, count as this device's unacknowledged ones. As LIKE patterns on sync_reason.
TRANSIENT_REASONS = ("rejected: campaign_unknown%", "rejected: campaign_version_unknown%", "campaign_closed%")

# Signatures the server refused for good (a conflict: another content under that id, already in its
# total; or invalid) count nowhere. Few rows, found through the sync_state index.
REFUSED_NET_SQL = (
    "SELECT coalesce(sum(CASE WHEN voids IS NULL THEN 1 ELSE -1 END), 0) FROM signature "
    "WHERE sync_state = 'needs_attention' AND campaign_slug = ? AND NOT ("
    + " OR ".join(f"coalesce(sync_reason, '') LIKE '{pattern}'" for pattern in TRANSIENT_REASONS) + ")"
)


def combine_live_count(total: int, acked: int, refused: int, server_total: int | None) -> int:
    """The live count from its parts: the server's last total plus what it has not acknowledged
    yet, less what it refused; before any report, this device's own count."""
    if server_total is None:
        return total - refused
    return server_total + total - acked - refused


def live_count(db_file: Path, slug: str) -> int:
    """Same answer as ``db.signatures.live_count`` (the attract screen's count), without SQLAlchemy."""
    con = _connect(db_file)
    try:
        local = con.execute("SELECT total, acked FROM signature_count WHERE campaign_slug = ?", (slug,)).fetchone()
        server = con.execute("SELECT total FROM server_count WHERE campaign_slug = ?", (slug,)).fetchone()
        refused = int(con.execute(REFUSED_NET_SQL, (slug,)).fetchone()[0])
    finally:
        con.close()
    total, acked = (int(local[0]), int(local[1])) if local else (0, 0)
    return combine_live_count(total, acked, refused, int(server[0]) if server else None)


_TRUE = {"1", "true", "yes", "on"}


def early_flag(name: str, stored: dict[str, Any] | None, environ: Mapping[str, str] | None = None) -> bool:
    """A boolean setting (``kiosk``) as the first paint needs it, without pydantic: the environment
    override (PETITION_KIOSK_<NAME>), else the stored value."""
    environ = os.environ if environ is None else environ
    raw = environ.get("PETITION_KIOSK_" + name.upper())
    if raw is not None:
        return raw.strip().lower() in _TRUE
    return (stored or {}).get(name) is True
