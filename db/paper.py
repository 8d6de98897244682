"""Importing paper sheets that volunteers transcribed into a spreadsheet, saved as CSV.

The file: UTF-8 (with or without the BOM spreadsheets write), comma-, semicolon- or tab-separated
(whichever the header line uses most). The first line names the columns:

* the sheet column (``sheet`` unless told otherwise): the number or label written on the paper sheet;
* any of the campaign form's fields (``given_name``, ``family_name``, ``email``, ``phone``,
  ``postal_code``, ``city``, ``country``, ``comment``), as far as the form asks for them;
* optionally ``consent_updates``, when the form asks for the "keep me informed" opt-in: a ticked box
  is ``yes``/``y``/``true``/``1``/``x``/``✓``, an unticked one ``no``/``n``/``false``/``0`` or empty
  (as on screen, a box left empty is a clear "no"; nothing is ever pre-ticked);
* optionally ``partner_<slug>`` for each partner the campaign offers an opt-in for (format-2 bundles,
  e.g. ``partner_white-helmets``): the signer's tick in that partner's box, read as ``consent_updates``
  is (empty is "no");
* optionally ``signed_on``: the day the sheet was signed, ISO ``YYYY-MM-DD`` (not in the future).
  Only the day is known, so the signature is stamped at noon local time that day. Without it, the
  import time is used.

Header names are matched without regard to case or surrounding spaces. A column the form does not
ask for, an unknown or repeated column, or a missing sheet column makes the whole file unusable
(:class:`PaperImportError`), before any row is read: that is a template problem, not a row problem.

Every row goes through the GUI's own validation and save path (:func:`db.signatures.build_record`,
:func:`db.signatures.save_record`), in paper mode with consent to processing given (the sheet shows
the consent text). All rows are validated before anything is saved; with a bad row, nothing is saved
unless ``skip_bad`` is set. A row without any of the form's fields filled in is an unused line of the
sheet and is skipped silently, even if its sheet cell is filled in.

Each row's id is derived from the campaign, the sheet and the row's validated content (in a sealed
campaign: from the file's hash and the row's line, see import_paper), so importing the
same file again (or a re-typed file with the same content, however it is spelled) saves nothing new.
Identical rows in one file are different people (a common name, no e-mail): each repeat is numbered
into its id, so they stay separate signatures and a second import still adds none.
Line numbers are the file's physical lines, the header being line 1; a cell with line breaks in it
spans several lines and its row is reported at the line where it starts.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import NamedTuple

import orjson
from sqlalchemy.engine import Engine

from db import audit, sealing
from db import validation as v
from db.campaigns import Campaign, LocalisedCampaign
from db.engine import write_session
from db.fields import PERSONAL_FIELDS
from db.schemas import Mode, SignatureCreate
from db.signatures import SignatureDraft, build_record, deterministic_id, save_record

CONSENT_UPDATES_COLUMN = "consent_updates"
PARTNER_COLUMN_PREFIX = "partner_"
SIGNED_ON_COLUMN = "signed_on"
ROW = "row"  # the field named in a row error that concerns no single column
_YES = frozenset({"yes", "y", "true", "1", "x", "✓", "✔"})
_NO = frozenset({"no", "n", "false", "0", ""})
_DELIMITERS = (",", ";", "\t")


class PaperImportError(ValueError):
    """The file as a whole cannot be imported (encoding, columns); no row was looked at."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


class RowError(NamedTuple):
    line: int
    field: str  # a column name, or ROW
    key: str  # one of db.validation.MESSAGE_KEYS


@dataclass
class PaperImportReport:
    rows: int = 0  # rows with a signature on them (blank lines not counted)
    saved: int = 0
    duplicates: int = 0  # already on this device (the file, or these rows, imported before)
    skipped_bad: int = 0
    refused: bool = False  # bad rows and skip_bad off: nothing was saved
    errors: list[RowError] = field(default_factory=list)

    @property
    def bad_rows(self) -> int:
        return len({e.line for e in self.errors})

    def format(self) -> str:
        """A summary line, then one line per problem: ``line 7: email: email_invalid``."""
        if self.refused:
            summary = (f"nothing saved: {self.bad_rows} of {self.rows} rows have errors; "
                       "correct them and import again, or skip the bad rows")
        else:
            summary = (f"{self.rows} rows: {self.saved} saved, {self.duplicates} already imported, "
                       f"{self.skipped_bad} bad rows skipped")
        return "\n".join([summary] + [f"line {e.line}: {e.field}: {e.key}" for e in self.errors])


class Row(NamedTuple):
    """One line of a paper sheet's transcript: its cells by column name."""

    line: int
    cells: dict[str, str]
    extra: bool  # more filled-in cells than the header has columns


def import_paper(
    csv_path: Path,
    *,
    engine: Engine,
    campaign: Campaign,
    locale: str | None = None,
    sheet_column: str = "sheet",
    skip_bad: bool = False,
) -> PaperImportReport:
    """Validate every row of ``csv_path``, then save the good ones (all of them, or none without
    ``skip_bad``). ``locale`` is the language the sheets were printed in. Raises PaperImportError
    when the file itself is unusable."""
    shown = campaign.localised(locale)  # as on screen: the default locale when it has no such texts
    sheet_column = sheet_column.strip().casefold()
    held, ever_held = sealing.device_key(engine)
    seal_to = sealing.key_for(campaign, held, ever_held=ever_held)  # SealingUnavailable: nothing read yet
    rows = _read(Path(csv_path), shown, sheet_column)
    now = datetime.now(UTC)
    # A sealed campaign keeps no trace of a signer's details on the device, not even a hash: an id
    # derived from them would let anyone holding the device test whether a given person signed. Its
    # rows' ids come from the file's own hash and line instead, so importing the same file twice still
    # saves nothing new (a re-typed file is new rows; the server finds such duplicates when the
    # operator opens the sealed data).
    file_digest = hashlib.sha256(Path(csv_path).read_bytes()).hexdigest() if seal_to else ""

    report = PaperImportReport()
    good: list[SignatureCreate] = []
    # Two people with the same details on one sheet (a common name, no e-mail) are two signatures:
    # the n-th repeat of a row in this file gets an id derived from the first one's and n, so the
    # file imported again still maps every row to the same id.
    repeats: dict[str, int] = {}
    for row in rows:
        if not any(row.cells.get(name, "").strip() for name in PERSONAL_FIELDS):
            continue
        report.rows += 1
        record, errors = validate_row(row, shown, sheet_column, now)
        if errors:
            report.errors += errors
        else:
            assert record is not None
            if seal_to is not None:
                assert record.paper_sheet is not None
                record = record.model_copy(update={"id": deterministic_id(
                    campaign.slug, record.paper_sheet, file_digest, f"line {row.line}")})
                record = sealing.seal(record, seal_to, clear_postal_code=campaign.manifest.sealing.clear_postal_code)
                good.append(record)
                continue
            seen = repeats.get(record.id, 0)
            repeats[record.id] = seen + 1
            if seen:
                record = record.model_copy(update={"id": deterministic_id(record.id, f"repeat {seen}")})
            good.append(record)

    if report.errors and not skip_bad:
        report.refused = True
        return report
    for record in good:
        saved = save_record(record, engine=engine)
        if saved.duplicate:
            report.duplicates += 1
        else:
            report.saved += 1
    report.skipped_bad = report.bad_rows
    with write_session(engine) as session:
        audit.record(
            "paper_import", session=session, campaign=campaign.slug, version=campaign.version,
            locale=shown.locale, rows=report.rows, saved=report.saved, duplicates=report.duplicates,
            skipped_bad=report.skipped_bad,
        )
        session.commit()
    return report


def _read(path: Path, shown: LocalisedCampaign, sheet_column: str) -> list[Row]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise PaperImportError(path, ["not UTF-8 text: save the spreadsheet as “CSV UTF-8”"]) from None
    except OSError as exc:
        raise PaperImportError(path, [f"cannot be read ({exc.strerror})"]) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().casefold() for name in next(reader, [])]
        _check_header(path, header, shown, sheet_column)
        rows = []
        start = reader.line_num + 1
        for cells in reader:
            extra = any(cell.strip() for cell in cells[len(header):])
            rows.append(Row(start, dict(zip(header, cells, strict=False)), extra))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise PaperImportError(path, [f"line {reader.line_num}: not readable as CSV ({exc})"]) from None
    return rows


def _check_header(path: Path, header: list[str], shown: LocalisedCampaign, sheet_column: str) -> None:
    form = shown.campaign.manifest.form
    slug = shown.campaign.slug
    if not any(header):
        raise PaperImportError(path, ["the first line must name the columns"])
    problems = []
    seen: set[str] = set()
    for position, name in enumerate(header, 1):
        if not name:
            problems.append(f"column {position} has no name")
            continue
        if name in seen:
            problems.append(f"column {name!r} appears twice")
        seen.add(name)
        if name in (sheet_column, SIGNED_ON_COLUMN) or form.has(name):
            continue
        elif name == CONSENT_UPDATES_COLUMN:
            if not form.ask_updates:
                problems.append(f"column {name!r}: the {slug} form does not ask for updates")
        elif name.startswith(PARTNER_COLUMN_PREFIX):
            if name not in partner_columns(shown):
                problems.append(f"column {name!r}: the {slug} form offers no opt-in for such a partner")
        elif name in PERSONAL_FIELDS:
            problems.append(f"column {name!r}: the {slug} form does not ask for it")
        else:
            problems.append(f"unknown column {name!r}")
    if sheet_column not in seen:
        problems.append(f"no {sheet_column!r} column: every row must name its paper sheet")
    for f in form.fields:
        if f.required and f.name not in seen:
            problems.append(f"no {f.name!r} column, which the {slug} form requires")
    if form.require_a_name and not {"given_name", "family_name"} & seen:
        problems.append(f"no given_name or family_name column: the {slug} form requires a name")
    if problems:
        allowed = [sheet_column, *(f.name for f in form.fields)]
        allowed += [CONSENT_UPDATES_COLUMN] if form.ask_updates else []
        allowed += list(partner_columns(shown))
        problems.append(f"columns this file may have: {', '.join(allowed + [SIGNED_ON_COLUMN])}")
        raise PaperImportError(path, problems)


def partner_columns(shown: LocalisedCampaign) -> dict[str, str]:
    """{column name: partner slug} of the partners the campaign offers an opt-in for."""
    return {f"{PARTNER_COLUMN_PREFIX}{p.slug}": str(p.slug) for p in shown.campaign.manifest.partners}


def _ticked(answer: str) -> bool | None:
    """A box's cell: True ticked, False not (empty too), None unreadable."""
    answer = answer.strip().casefold()
    return True if answer in _YES else False if answer in _NO else None


def validate_row(
    row: Row, shown: LocalisedCampaign, sheet_column: str, now: datetime
) -> tuple[SignatureCreate | None, list[RowError]]:
    """The row as a record ready to save (with its deterministic id), or every problem in it. The
    volunteer's paper screen checks each typed-in sheet line with it too (``line`` 0)."""
    cells = row.cells
    errors: list[RowError] = []
    if row.extra:
        errors.append(RowError(row.line, ROW, v.EXTRA_CELLS))
    if not cells.get(sheet_column, "").strip():
        errors.append(RowError(row.line, sheet_column, v.REQUIRED))

    consent_updates: bool | None = None
    if CONSENT_UPDATES_COLUMN in cells:
        consent_updates = _ticked(cells[CONSENT_UPDATES_COLUMN])
        if consent_updates is None:
            errors.append(RowError(row.line, CONSENT_UPDATES_COLUMN, v.INVALID))
    partners: set[str] = set()
    for column, partner in partner_columns(shown).items():
        if column in cells:
            ticked = _ticked(cells[column])
            if ticked is None:
                errors.append(RowError(row.line, column, v.INVALID))
            elif ticked:
                partners.add(partner)

    try:
        signed_on = _signed_on(cells.get(SIGNED_ON_COLUMN, ""))
    except ValueError:
        signed_on = None
        errors.append(RowError(row.line, SIGNED_ON_COLUMN, v.INVALID))
    # Only the day is known: noon local time keeps that calendar day in UTC for offsets up to ±12 h.
    given_at = datetime.combine(signed_on, time(12)).astimezone().astimezone(UTC) if signed_on else None

    draft = SignatureDraft(
        fields={name: cells.get(name) or None for name in PERSONAL_FIELDS},
        consent_processing=True,
        consent_updates=consent_updates,
        mode=Mode.PAPER,
        paper_sheet=cells.get(sheet_column) or None,
        given_at=given_at,
        partners=frozenset(partners),
    )
    try:
        record = build_record(draft, shown, now=now)
    except v.SignatureInvalid as exc:
        # The schema calls the sheet "paper_sheet"; a missing sheet may be reported twice, by the
        # schema and above (the schema's record-level rules do not run when a field failed).
        errors += [RowError(row.line, sheet_column if e.field == "paper_sheet" else e.field, e.key)
                   for e in exc.errors]
        return None, list(dict.fromkeys(errors))
    if errors:
        return None, errors
    content = {name: getattr(record, name) for name in PERSONAL_FIELDS}
    content["consent_updates"] = record.consent_updates
    content[SIGNED_ON_COLUMN] = signed_on.isoformat() if signed_on else None
    if partners:  # only then: the ids of rows without opt-ins stay what they were before partners
        content["partners"] = sorted(partners)
    key = orjson.dumps(content, option=orjson.OPT_SORT_KEYS).decode()
    assert record.paper_sheet is not None
    paper_id = deterministic_id(shown.campaign.slug, record.paper_sheet, key)
    return record.model_copy(update={"id": paper_id}), []


def _signed_on(cell: str) -> date | None:
    """The ISO date in ``cell``, None when it is empty; ValueError when it is not a date or lies in
    the future."""
    text = v.ascii_digits(cell).strip()
    if not text:
        return None
    day = date.fromisoformat(text)
    if day > date.today():
        raise ValueError("signed in the future")
    return day
