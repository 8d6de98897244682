"""CSV export: one row per signature with its consent record and provenance."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from db.schemas import WIRE_FIELDS, as_utc
from server.models import Device, StoredSignature

PROVENANCE = ("content_hash", "device_id", "device_name", "received_at", "device_clock_offset_s",
              "created_at_corrected")
COLUMNS = WIRE_FIELDS + PROVENANCE
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return as_utc(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value  # a name like "=HYPERLINK(...)" must not run as a spreadsheet formula
    return value


def export_csv(engine: Engine, target: Path) -> int:
    """Write every signature to ``target`` (oldest received first); return how many. ``created_at_corrected``
    is the signing time shifted by the device's clock offset at upload, for devices with a wrong clock."""
    count = 0
    with Session(engine) as session, open(target, "w", newline="", encoding="utf-8") as fh:
        target.chmod(0o600)
        names = dict(session.exec(select(Device.id, Device.name)).all())
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        rows = session.exec(
            select(StoredSignature).order_by(col(StoredSignature.received_at), col(StoredSignature.id))
            .execution_options(yield_per=1000)
        )
        for sig in rows:
            offset = timedelta(milliseconds=sig.clock_offset_ms)
            values = [getattr(sig, name) for name in WIRE_FIELDS] + [
                sig.content_hash, sig.device_id, names.get(sig.device_id, ""), sig.received_at,
                f"{sig.clock_offset_ms / 1000:.3f}", as_utc(sig.created_at) + offset,
            ]
            writer.writerow([_cell(v) for v in values])
            count += 1
    return count
