"""A plain-text report on this device for whoever helps a coordinator: what runs where, its settings,
its campaigns, its signatures per sync state, the sync history and the log's last lines. Qt-free: the
panel's "Copy diagnostics" and ``petition-kiosk diagnostics`` print the same text.

Never in it: a signer's data (no name, contact, comment or signature row is read at all), the device
token, the coordinator PIN or its hash, enrollment codes, keys other than their ids, the coordinators'
set-aside notes, event names and places. The server appears as its host name. The log lines are
scrubbed when written and again here (db/logs.py).

Fast on a full device: counting by state walks the ``sync_state`` index (~25 ms with 200,000
signatures, db/panel.py); everything else reads a few small rows or files.
"""

from __future__ import annotations

import platform
import shutil
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.engine import Engine

from db import __version__
from db.logs import BACKUPS, log_path, scrub, tail

LOG_LINES = 200
SYNC_RUNS = 20
AUDIT_ENTRIES = 30
# Audit details shown as they are besides numbers and yes/no; the rest (notes, ids, file names) is left out.
AUDIT_TEXT = frozenset({"reason", "outcome", "default_locale", "active_campaign", "theme", "on_screen_keyboard",
                        "key_id", "mode", "campaign", "slug"})
AUDIT_HOSTS = frozenset({"server", "server_url"})


def host(url: str | None) -> str:
    """``https://petitions.example.org:8443/x`` -> ``petitions.example.org:8443``."""
    if not url:
        return "-"
    parts = urlsplit(url)
    if not parts.hostname:
        return "?"
    name = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname  # an IPv6 address
    return f"{name}:{parts.port}" if parts.port else name  # never a user:password@


def _when(moment: Any) -> str:
    if moment is None:
        return "-"
    if isinstance(moment, datetime):
        parsed = moment
    else:
        try:
            parsed = datetime.fromisoformat(str(moment))
        except ValueError:
            return "?"
    aware = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _size(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def collect(data_dir: Path, engine: Engine, *, qt_version: str | None = None) -> str:
    """The report, one ``key: value`` per line in titled sections. A section that cannot be read says
    so and the rest goes on: a damaged device is when this report is wanted most."""
    data_dir = Path(data_dir)
    out: list[str] = [
        "Petition Kiosk diagnostics (no personal data: no signer's details, no token, no PIN)",
        f"made: {_when(datetime.now(UTC))}",
    ]
    sections: list[tuple[str, Callable[[], list[str]]]] = [
        ("App", lambda: _app(data_dir, qt_version)),
        ("Settings", lambda: _settings(data_dir, engine)),
        ("Server and enrollment", lambda: _enrollment(data_dir, engine)),
        ("Campaigns", lambda: _campaigns(engine)),
        ("Signatures", lambda: _signatures(engine)),
        ("Sync", lambda: _sync(data_dir, engine)),
        ("Audit log (newest first)", lambda: _audit(engine)),
        (f"Log file (last {LOG_LINES} lines)", lambda: _log(data_dir)),
    ]
    for title, section in sections:
        out += ["", f"== {title} =="]
        try:
            out += section()
        except Exception as exc:  # the report goes on without this part
            out.append(f"(could not be read: {type(exc).__name__})")
    return "\n".join(out) + "\n"


def _home_as_tilde(path: Path) -> str:
    """A path under the user's home as ``~/...``: a home folder is often named after a person."""
    try:
        return "~/" + Path(path).resolve().relative_to(Path.home().resolve()).as_posix()
    except (ValueError, RuntimeError, OSError):
        return str(path)


def _app(data_dir: Path, qt_version: str | None) -> list[str]:
    from db.paths import database_path

    lines = [
        f"version: {__version__}",
        f"python: {platform.python_version()} ({platform.python_implementation()})",
        f"qt: {qt_version or '-'}",
        f"system: {platform.platform()} ({platform.machine() or '?'})",
        f"frozen (installed build): {_yes(bool(getattr(sys, 'frozen', False)))}",
        f"data directory: {_home_as_tilde(data_dir)}",
    ]
    try:
        usage = shutil.disk_usage(data_dir)
        lines.append(f"free disk space: {_size(usage.free)} of {_size(usage.total)}")
    except OSError as exc:
        lines.append(f"free disk space: ? ({type(exc).__name__})")
    db_file = database_path(data_dir)
    sizes = []
    for suffix in ("", "-wal"):
        path = db_file.with_name(db_file.name + suffix)
        if path.exists():
            sizes.append(f"{path.name} {_size(path.stat().st_size)}")
    lines.append(f"database: {', '.join(sizes) or 'none'}")
    return lines


def _settings(data_dir: Path, engine: Engine) -> list[str]:
    from sqlmodel import Session

    from db import pin
    from db import settings as settings_store

    with Session(engine) as session:
        settings = settings_store.effective(session=session)
    lines = []
    for name, value in settings.model_dump().items():
        if name == "server_url":
            lines.append(f"server (host): {host(value)}")
        elif name in settings_store.SECRET_SETTINGS:
            lines.append(f"{name}: {'set' if value else '-'}")
        else:
            lines.append(f"{name}: {'-' if value is None or value == '' else value}")
    lines.append(f"coordinator PIN set: {_yes(pin.has_pin(data_dir))}")
    return lines


def _enrollment(data_dir: Path, engine: Engine) -> list[str]:
    from db import sealing
    from db.sync import enrollment

    enrolled = enrollment.load(data_dir)
    lines = [f"enrolled: {_yes(enrolled is not None)}"]
    if enrolled is not None:
        lines += [
            f"server (host): {host(enrolled.server_url)}",
            f"device: {enrolled.device_name} ({enrolled.device_id})",
            f"enrolled at: {_when(enrolled.enrolled_at or None)}",
            f"own certificate authority file: {_yes(bool(enrolled.ca_file))}",
            f"server's API version at the last contact: {enrolled.api_version or 'not known'}",
            f"must enroll again: {_yes(enrolled.needs_enrollment)}"
            + (f" ({scrub(str(enrolled.reason))})" if enrolled.needs_enrollment and enrolled.reason else ""),
        ]
        for key in enrolled.server_keys:
            lines.append(f"server key: {key.get('purpose', '?')} {key.get('key_id', '?')}")
    held, ever = sealing.device_key(engine)
    lines.append(f"sealing key held: {held.key_id if held is not None else 'none'}"
                 + (" (held one before)" if held is None and ever else ""))
    return lines


def _campaigns(engine: Engine) -> list[str]:
    from sqlmodel import Session

    from db import panel

    with Session(engine) as session:
        versions = panel.installed_versions(session=session)
    lines = []
    for v in versions:
        unreviewed = f", unreviewed: {', '.join(v.unreviewed)}" if v.unreviewed else ""
        lines.append(f"{v.slug} v{v.version} ({v.source}, installed {_when(v.installed_at)}; "
                     f"languages: {', '.join(v.locales) or '-'}{unreviewed})")
    return lines or ["none installed"]


def _signatures(engine: Engine) -> list[str]:
    from sqlalchemy import text
    from sqlmodel import Session

    from db import panel
    from db.sync import store

    with Session(engine) as session:
        states = panel.counts_by_state(session=session)
        per_campaign = list(session.execute(text(
            "SELECT campaign_slug, total, acked FROM signature_count ORDER BY campaign_slug")))
        server = list(session.execute(text(
            "SELECT campaign_slug, total, reported_at FROM server_count ORDER BY campaign_slug")))
    lines = [f"{state}: {n}" for state, n in states.items()]
    for reason, n in sorted(store.attention_reasons(engine).items()):
        lines.append(f"  needing attention, {scrub(reason)}: {n}")
    for slug, total, acked in per_campaign:
        lines.append(f"campaign {slug}: {total} on this device, {acked} acknowledged")
    for slug, total, at in server:
        lines.append(f"campaign {slug}: the server counted {total} at {_when(at)}")
    return lines


def _sync(data_dir: Path, engine: Engine) -> list[str]:
    from db.sync import history, store

    runs = store.last_runs(engine, SYNC_RUNS)
    ok = store.last_success(engine)
    lines = [f"last sync: {_when(runs[0].finished_at) if runs else 'never'}",
             f"last successful sync: {_when(ok.finished_at) if ok is not None else 'never'}"]
    view = history.load_server_view(data_dir)
    if view is not None:
        offset = "-" if view.clock_offset_s is None else f"{view.clock_offset_s:+.1f} s"
        lines.append(f"as the server saw this device at {_when(view.checked_at)}: {view.signatures} signatures, "
                     f"clock offset {offset}")
    for run in runs:
        message = f" - {scrub(run.message)}" if run.message else ""
        lines.append(f"{_when(run.finished_at)} {run.outcome} ({host(run.server_url)}): sent {run.sent}, "
                     f"duplicates {run.duplicates}, attention {run.attention}, pending {run.pending}{message}")
    return lines


def _audit(engine: Engine) -> list[str]:
    from sqlmodel import Session

    from db import audit

    with Session(engine) as session:
        entries = [(e.at, e.kind, dict(e.detail)) for e in audit.recent(session=session, limit=AUDIT_ENTRIES)]
    lines = []
    for at, kind, detail in entries:
        shown = []
        for key, value in detail.items():
            if isinstance(value, bool | int | float):
                shown.append(f"{key}={value}")
            elif key in AUDIT_HOSTS and isinstance(value, str):
                shown.append(f"{key}={host(value)}")
            elif key in AUDIT_TEXT and isinstance(value, str):
                shown.append(f"{key}={scrub(value)[:60]}")
        lines.append(f"{_when(at)} {kind}" + (f" ({', '.join(shown)})" if shown else ""))
    return lines or ["empty"]


def _log(data_dir: Path) -> list[str]:
    path = log_path(data_dir)
    if not path.exists():
        return [f"no log file at {path}"]
    rotated = sum(1 for n in range(1, BACKUPS + 1) if path.with_name(f"{path.name}.{n}").exists())
    lines = [f"file: {path} ({_size(path.stat().st_size)}, {rotated} older file(s))"]
    return lines + tail(path, LOG_LINES)
