"""CSV export of this device's signatures, for the coordinator (behind the PIN). Qt-free.

UTF-8 with a byte-order mark, so that spreadsheet programs (Excel above all) open Arabic names
correctly; one column per stored field, the consent record and the provenance (device, event) included.
Purged signatures appear as their receipts (personal fields empty, ``purged_at`` set), so the file's
rows add up to the device's count; so do sealed ones (db/sealing.py), whose fields only the server can
open: the report counts them so the panel can say why their names are missing. The export is written to a temporary file next to the target and
renamed, and it is recorded in the audit log (how many rows, never what they hold).
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

from db import audit, settings
from db.engine import write_session
from db.files import open_atomic_text
from db.models import Signature
from db.spreadsheet import formula_safe

log = logging.getLogger(__name__)

# A sealed signature's box stays out of the file: nobody can open it on the device, and copies of it
# on USB sticks would only widen what a lost stick reveals. The row is there (counts add up) with its
# ``sealed_key`` naming the key that can open it, on the server.
SIGNATURE_COLUMNS = tuple(
    column.name for column in Signature.__table__.columns if column.name != "sealed"  # type: ignore[attr-defined]
)
# device_id: the server's id for this device (empty until it is enrolled); installation_id: the
# device's own, from its set-up on, so an export is traceable to its device either way.
PROVENANCE_COLUMNS = ("device_id", "installation_id", "device_name", "event_name", "event_place", "event_date")
COLUMNS = SIGNATURE_COLUMNS + PROVENANCE_COLUMNS

@dataclass(frozen=True)
class ExportReport:
    path: Path
    rows: int
    sealed: int = 0  # rows whose signer's fields are sealed: not readable on this device


def export_csv(path: Path, *, engine: Engine, device_id: str = "", device_name: str = "") -> ExportReport:
    path = Path(path)
    sql = (
        f"SELECT {', '.join('s.' + c for c in SIGNATURE_COLUMNS)}, e.name, e.place, e.date "
        "FROM signature s LEFT JOIN event e ON e.id = s.event_id ORDER BY s.seq"
    )
    rows = sealed = 0
    sealed_at = SIGNATURE_COLUMNS.index("sealed_key")
    with write_session(engine) as session:
        installation_id = settings.ensure_installation_id(session=session)
        session.commit()
    raw = engine.raw_connection()
    try:
        with open_atomic_text(path, encoding="utf-8-sig", newline="") as out:  # personal data: owner only
            writer = csv.writer(out)
            writer.writerow(COLUMNS)
            cursor = raw.cursor().execute(sql)
            while chunk := cursor.fetchmany(2000):
                for row in chunk:
                    signature, event = row[:len(SIGNATURE_COLUMNS)], row[len(SIGNATURE_COLUMNS):]
                    writer.writerow([formula_safe(cell) for cell in (*signature, device_id, installation_id, device_name, *event)])
                    rows += 1
                    sealed += signature[sealed_at] is not None
    finally:
        raw.close()
    with write_session(engine) as session:
        audit.record("export", session=session, rows=rows, sealed=sealed, file=path.name)
        session.commit()
    log.info("exported %d signatures to a CSV file (%d sealed)", rows, sealed)
    return ExportReport(path, rows, sealed)
