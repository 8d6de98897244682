"""Importing transcribed paper sheets (db/paper.py) into a real database."""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from db import audit
from db import validation as v
from db.paper import PaperImportError, RowError, import_paper
from db.paths import database_path
from db.schemas import SignatureCreate, content_hash, wire_payload
from db.signatures import count_for_campaign, get
from utils.factories import builtin_campaign, bundle_with_form, write_csv

HEADER = ["sheet", "given_name", "family_name", "email", "postal_code", "country", "consent_updates", "signed_on"]
GOOD = [
    ["1", "Ada", "Lovelace", "ada@example.org", "10115", "DE", "yes", "2026-01-05"],
    ["1", "Grace", "", "", "", "", "", ""],
    ["2", "", "Hopper", "grace@example.org", "", "us", "no", ""],
]


def _rows(data_dir: Path) -> list[sqlite3.Row]:
    con = sqlite3.connect(database_path(data_dir))
    con.row_factory = sqlite3.Row
    try:
        return con.execute("SELECT * FROM signature ORDER BY seq").fetchall()
    finally:
        con.close()


def _audits(engine) -> list[dict[str, object]]:
    with Session(engine) as session:
        return [e.detail for e in audit.recent(session=session, kind="paper_import")]


def test_a_good_file_is_saved_in_paper_mode(engine, data_dir, campaign, tmp_path) -> None:
    path = write_csv(tmp_path / "sheets.csv", [HEADER, *GOOD])
    report = import_paper(path, engine=engine, campaign=campaign)

    assert (report.rows, report.saved, report.duplicates, report.skipped_bad, report.refused) == (3, 3, 0, 0, False)
    assert report.errors == []
    assert report.format().splitlines() == ["3 rows: 3 saved, 0 already imported, 0 bad rows skipped"]
    shown = campaign.localised("en")
    rows = _rows(data_dir)
    assert [(r["paper_sheet"], r["given_name"], r["family_name"]) for r in rows] == [
        ("1", "Ada", "Lovelace"), ("1", "Grace", None), ("2", None, "Hopper")]
    assert [r["consent_updates"] for r in rows] == [1, 0, 0]
    assert [r["country"] for r in rows] == ["DE", None, "US"]
    for row in rows:
        assert row["mode"] == "paper" and row["consent_processing"] == 1
        assert row["letter_sha256"] == shown.letter_sha256 and row["consent_text_sha256"] == shown.consent_sha256
        assert uuid.UUID(row["id"]).version == 5  # derived from the row, not random
    # The signing day is kept (noon local time); rows without one carry the import time.
    signed = datetime.fromisoformat(rows[0]["consent_given_at"]).replace(tzinfo=UTC)
    assert signed == datetime.combine(date(2026, 1, 5), time(12)).astimezone().astimezone(UTC)
    assert rows[0]["utc_offset_minutes"] == int(signed.astimezone().utcoffset().total_seconds() // 60)
    imported = datetime.fromisoformat(rows[1]["consent_given_at"]).replace(tzinfo=UTC)
    assert abs(imported - datetime.now(UTC)) < timedelta(minutes=1)

    with Session(engine) as session:
        assert count_for_campaign("act-on-syria", session=session) == 3
        row = get(rows[0]["id"], session=session)
        assert row is not None and content_hash(row) == row.content_hash
        assert content_hash(SignatureCreate.model_validate(wire_payload(row))) == row.content_hash
    (detail,) = _audits(engine)
    assert detail == {"campaign": "act-on-syria", "version": 1, "locale": "en", "rows": 3, "saved": 3,
                      "duplicates": 0, "skipped_bad": 0}


BAD_FILE = [
    HEADER,  # line 1
    ["1", "Ada", "Lovelace", "ada@example.org", "10115", "DE", "yes", ""],  # line 2
    ["1", "Bob", "", "bob@", "", "", "", ""],  # line 3: bad email
    [],  # line 4: blank, skipped silently
    ["2", "", "", "carol@example.org", "", "XX", "", ""],  # line 5: no name, bad country
    ["", "Dan", "", "", "", "", "", ""],  # line 6: no sheet
    ["3", "Eve", "", "", "", "", "maybe", "2026-13-01"],  # line 7: unreadable opt-in and date
    ["3", "Fay", "", "", "", "", "", ""],  # line 8
    ["3", "", "", "", "", "", "", ""],  # line 9: an unused line of the sheet
]
BAD_ERRORS = [
    RowError(3, "email", v.EMAIL_INVALID),
    RowError(5, "country", v.COUNTRY_INVALID),
    RowError(5, "given_name", v.REQUIRED),
    RowError(6, "sheet", v.REQUIRED),
    RowError(7, "consent_updates", v.INVALID),
    RowError(7, "signed_on", v.INVALID),
]


def test_bad_rows_are_reported_by_line_and_nothing_is_saved(engine, data_dir, campaign, tmp_path) -> None:
    path = write_csv(tmp_path / "sheets.csv", BAD_FILE)
    report = import_paper(path, engine=engine, campaign=campaign)

    assert sorted(report.errors) == BAD_ERRORS
    assert report.refused and report.bad_rows == 4 and report.rows == 6
    assert (report.saved, report.duplicates, report.skipped_bad) == (0, 0, 0)
    lines = report.format().splitlines()
    assert lines[0].startswith("nothing saved: 4 of 6 rows have errors")
    assert "line 3: email: email_invalid" in lines and "line 7: signed_on: invalid" in lines
    assert _rows(data_dir) == []
    assert _audits(engine) == []


def test_skip_bad_saves_the_good_rows(engine, data_dir, campaign, tmp_path) -> None:
    path = write_csv(tmp_path / "sheets.csv", BAD_FILE)
    report = import_paper(path, engine=engine, campaign=campaign, skip_bad=True)

    assert sorted(report.errors) == BAD_ERRORS
    assert (report.rows, report.saved, report.duplicates, report.skipped_bad, report.refused) == (6, 2, 0, 4, False)
    assert report.format().splitlines()[0] == "6 rows: 2 saved, 0 already imported, 4 bad rows skipped"
    assert [r["given_name"] for r in _rows(data_dir)] == ["Ada", "Fay"]
    (detail,) = _audits(engine)
    assert (detail["saved"], detail["skipped_bad"]) == (2, 4)
    assert not {"Ada", "Fay", "Lovelace", "ada@example.org"} & set(json.dumps(detail, ensure_ascii=False).split('"'))


def test_importing_twice_creates_no_duplicates(engine, data_dir, campaign, tmp_path) -> None:
    path = write_csv(tmp_path / "sheets.csv", [HEADER, *GOOD])
    first = import_paper(path, engine=engine, campaign=campaign)
    again = import_paper(path, engine=engine, campaign=campaign)
    assert (first.saved, first.duplicates) == (3, 0)
    assert (again.saved, again.duplicates) == (0, 3)
    assert again.format().splitlines()[0] == "3 rows: 0 saved, 3 already imported, 0 bad rows skipped"

    # The same sheets typed again by someone else: other spacing, case and digits, same content.
    retyped = write_csv(tmp_path / "retyped.csv", [
        HEADER,
        ["١", " Ada ", "Lovelace", "ada@EXAMPLE.ORG", "١٠١١٥", "de", "Y", "2026-01-05"],
        ["1", "Grace", "", "", "", "", "", ""],
        ["2", "", "Hopper", "grace@example.org", "", "US", "", ""],
    ])
    third = import_paper(retyped, engine=engine, campaign=campaign)
    assert (third.saved, third.duplicates) == (0, 3)
    assert len(_rows(data_dir)) == 3
    with Session(engine) as session:
        assert count_for_campaign("act-on-syria", session=session) == 3
    assert [d["duplicates"] for d in _audits(engine)] == [3, 3, 0]  # newest first


def test_the_same_person_on_two_sheets_is_two_signatures(engine, data_dir, campaign, tmp_path) -> None:
    path = write_csv(tmp_path / "sheets.csv", [HEADER, GOOD[1], ["7", *GOOD[1][1:]]])
    report = import_paper(path, engine=engine, campaign=campaign)
    assert (report.saved, report.duplicates) == (2, 0)


def test_two_people_with_the_same_details_on_one_sheet_are_two_signatures(engine, data_dir, campaign, tmp_path) -> None:
    """A common name and no e-mail: identical rows on one sheet are different people. Importing the
    file again still adds nothing."""
    path = write_csv(tmp_path / "sheets.csv", [HEADER, GOOD[1], GOOD[1], GOOD[0], GOOD[1]])
    first = import_paper(path, engine=engine, campaign=campaign)
    assert (first.saved, first.duplicates) == (4, 0)
    again = import_paper(path, engine=engine, campaign=campaign)
    assert (again.saved, again.duplicates) == (0, 4)
    assert len(_rows(data_dir)) == 4


def test_arabic_names_and_digits_in_a_utf8_bom_file(engine, data_dir, campaign, tmp_path) -> None:
    path = write_csv(tmp_path / "sheets.csv", [
        HEADER,
        ["٧", "محمد", "الحلبي", "", "١٠١١٥", "", "نعم", ""],
        ["۸", "مهرداد\u200cپور", "", "", "۱۲۳۴۵", "DE", "", "٢٠٢٦-٠١-٠٥"],
    ], bom=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    report = import_paper(path, engine=engine, campaign=campaign)
    assert report.errors == [RowError(2, "consent_updates", v.INVALID)]  # yes/no are English words

    edit_rows = [HEADER, ["٧", "محمد", "الحلبي", "", "١٠١١٥", "", "", ""],
                 ["۸", "مهرداد\u200cپور", "", "", "۱۲۳۴۵", "DE", "", "٢٠٢٦-٠١-٠٥"]]
    report = import_paper(write_csv(path, edit_rows, bom=True), engine=engine, campaign=campaign)
    assert report.saved == 2, report.format()
    rows = _rows(data_dir)
    assert [(r["paper_sheet"], r["given_name"], r["family_name"], r["postal_code"]) for r in rows] == [
        ("7", "محمد", "الحلبي", "10115"), ("8", "مهرداد\u200cپور", None, "12345")]
    assert datetime.fromisoformat(rows[1]["consent_given_at"]).date() == date(2026, 1, 5)


def test_semicolons_and_header_spelling(engine, data_dir, campaign, tmp_path) -> None:
    path = write_csv(tmp_path / "sheets.csv", [[" Sheet ", "Given_Name", "EMAIL"], ["4", "Ada", "ada@example.org"]],
                     delimiter=";")
    assert import_paper(path, engine=engine, campaign=campaign).saved == 1
    assert _rows(data_dir)[0]["email"] == "ada@example.org"


def test_another_sheet_column_and_multiline_cells(engine, data_dir, tmp_path) -> None:
    aleppo = builtin_campaign("aleppo")
    path = write_csv(tmp_path / "sheets.csv", [
        ["Blatt", "given_name", "city", "comment"],  # line 1
        ["A-1", "Ada", "Aleppo", "Stay strong.\nWe are with you."],  # lines 2-3
        ["A-1", "Bob", "", "\u202eevil"],  # line 4: a bidi override
        ["A-2", "Cy", "", ""],  # line 5
        ["A-2", "Di", "", "", "surplus"],  # line 6: more cells than columns
    ])
    report = import_paper(path, engine=engine, campaign=aleppo, sheet_column="blatt")
    assert sorted(report.errors) == [RowError(4, "comment", v.INVALID_CHARACTERS), RowError(6, "row", v.EXTRA_CELLS)]
    report = import_paper(path, engine=engine, campaign=aleppo, sheet_column="Blatt", skip_bad=True)
    assert report.saved == 2
    assert [(r["paper_sheet"], r["comment"]) for r in _rows(data_dir)] == [
        ("A-1", "Stay strong.\nWe are with you."), ("A-2", None)]


def test_a_sheet_label_too_long(engine, campaign, tmp_path) -> None:
    path = write_csv(tmp_path / "sheets.csv", [["sheet", "given_name"], ["x" * 40, "Ada"]])
    assert import_paper(path, engine=engine, campaign=campaign).errors == [RowError(2, "sheet", v.TOO_LONG)]


def test_a_future_signing_day_is_refused(engine, campaign, tmp_path) -> None:
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    path = write_csv(tmp_path / "sheets.csv", [["sheet", "given_name", "signed_on"], ["1", "Ada", tomorrow]])
    assert import_paper(path, engine=engine, campaign=campaign).errors == [RowError(2, "signed_on", v.INVALID)]


@pytest.mark.parametrize("header, message", [
    (["sheet", "given_name", "shoe_size"], "unknown column 'shoe_size'"),
    (["sheet", "given_name", "phone"], "column 'phone': the act-on-syria form does not ask for it"),
    (["given_name", "email"], "no 'sheet' column"),
    (["sheet", "given_name", "Given_Name"], "column 'given_name' appears twice"),
    (["sheet", "given_name", ""], "column 3 has no name"),
    (["sheet", "email"], "no given_name or family_name column"),
])
def test_a_file_with_wrong_columns_is_refused(engine, data_dir, campaign, tmp_path, header, message) -> None:
    path = write_csv(tmp_path / "sheets.csv", [header, ["1"] * len(header)])
    with pytest.raises(PaperImportError) as info:
        import_paper(path, engine=engine, campaign=campaign)
    assert message in str(info.value) and str(path) in str(info.value)
    assert "columns this file may have: sheet, given_name, family_name, email" in str(info.value)
    assert _rows(data_dir) == []


def test_columns_the_form_does_not_have(engine, tmp_path) -> None:
    quiet = bundle_with_form(tmp_path, '{ name = "given_name" }, { name = "email", required = true }',
                             extra="ask_updates = false")
    path = write_csv(tmp_path / "sheets.csv", [["sheet", "given_name", "consent_updates"], ["1", "Ada", "yes"]])
    with pytest.raises(PaperImportError) as info:
        import_paper(path, engine=engine, campaign=quiet)
    assert "the form-test form does not ask for updates" in str(info.value)
    assert "no 'email' column, which the form-test form requires" in str(info.value)


@pytest.mark.parametrize("content, message", [
    ("sheet,given_name\n1,Zoë\n".encode("latin-1"), "not UTF-8"),
    (b"", "the first line must name the columns"),
    (b"\n\nsheet,given_name\n", "the first line must name the columns"),
])
def test_an_unreadable_file_is_refused(engine, campaign, tmp_path, content, message) -> None:
    path = tmp_path / "sheets.csv"
    path.write_bytes(content)
    with pytest.raises(PaperImportError, match=message):
        import_paper(path, engine=engine, campaign=campaign)
    with pytest.raises(PaperImportError, match="cannot be read"):
        import_paper(tmp_path / "missing.csv", engine=engine, campaign=campaign)
