"""What the coordinator's panel needs from sync besides the runs themselves (Qt-free): the server's view
of this device (its clock offset at the last upload, signatures stored), fetched after a sync and kept in
``server-view.json`` in the data directory (no token, no personal data), and the sync history."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from db.models import SyncRun
from db.sync import enrollment as enrollment_store
from db.sync import store

VIEW_FILE = "server-view.json"


@dataclass
class ServerView:
    clock_offset_s: float | None
    signatures: int
    last_seen_at: str | None
    checked_at: str


def fetch_server_view(data_dir: Path, *, connect_timeout: float = 5.0, read_timeout: float = 15.0) -> ServerView | None:
    """Ask the server what it knows of this device (``GET /devices/{id}``) and keep the answer.
    None when not enrolled; raises db.sync.client errors when the server cannot be asked."""
    from db.sync.client import ApiClient
    from db.wire import DeviceStatus

    enrolled = enrollment_store.load(data_dir)
    if enrolled is None or enrolled.needs_enrollment:
        return None
    client = ApiClient(enrolled.server_url, enrolled.token, ca_file=enrolled.ca_file,
                       connect_timeout=connect_timeout, read_timeout=read_timeout)
    try:
        status = client._call("GET", f"/devices/{enrolled.device_id}", DeviceStatus)  # noqa: SLF001
    finally:
        client.close()
    view = ServerView(
        clock_offset_s=status.clock_offset_s, signatures=status.signatures,
        last_seen_at=status.last_seen_at.isoformat() if status.last_seen_at else None,
        checked_at=datetime.now(UTC).isoformat(),
    )
    enrollment_store.write_private(Path(data_dir) / VIEW_FILE, json.dumps(asdict(view)).encode())
    return view


def load_server_view(data_dir: Path) -> ServerView | None:
    try:
        data = json.loads((Path(data_dir) / VIEW_FILE).read_text(encoding="utf-8"))
        return ServerView(**{k: data.get(k) for k in ServerView.__dataclass_fields__})
    except (FileNotFoundError, ValueError, TypeError):
        return None


def runs(engine: Engine, limit: int = 50) -> list[SyncRun]:
    """The latest sync runs, newest first (the panel's sync history)."""
    return store.last_runs(engine, limit)
