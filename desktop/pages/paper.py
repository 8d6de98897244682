"""Paper back-entry: typing in signed paper sheets after the event, one line of a sheet at a time.

The rules are those of ``petition-kiosk import-paper`` (db/paper.py), applied by the same code to
each typed line as if it were a row of the CSV file: the sheet number is required, the signing day
is the sheet's (not in the future; the signature is stamped at noon that day), consent to processing
was given on the sheet, the "keep me informed" box is what the sheet shows, ``mode = paper``.

A line's id is derived from the campaign, the sheet and its content, exactly as the import derives
it, so a line typed twice, or typed here and also imported from a spreadsheet, is saved once. When
a line is already on the device, the volunteer is told so; pressing Enter again saves it as another
person with the same details (the import's "repeat" ids). A campaign that seals its signers' details
gets random ids instead: an id derived from a name would let anyone holding the device test whether
someone signed (as the import does for sealed campaigns).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import QDateEdit, QGridLayout, QLineEdit, QWidget

from db import paper
from db.campaigns import LocalisedCampaign
from db.fields import SHEET_MAX
from db.schemas import Mode
from db.signatures import SignatureDraft, deterministic_id
from desktop import messages
from desktop.pages.entry import EntryPage, RecentModel
from desktop.widgets import label

SHEET = "sheet"  # the "column" the import's checks name for the sheet number
MAX_REPEATS = 200  # identical lines confirmed as different people: more on one device is not plausible


class SheetDate(QDateEdit):
    """A date field that Tab leaves (Qt's moves from day to month to year first); the arrow keys still
    move between its parts. The date stays from line to line, so Tab mostly passes it by."""

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 (Qt API)
        return QWidget.focusNextPrevChild(self, next)


class PaperPage(EntryPage):
    with_consent = False  # consent was given on the sheet, which carries the consent text

    def __init__(self, ctx: Any, languages: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(ctx, languages, parent)
        self._repeat_of: str | None = None  # a line found on the device: Enter again saves another person
        m = self.fontMetrics().height()
        self.sheet = QLineEdit()
        self.sheet.setMaxLength(SHEET_MAX + 8)
        self.sheet.setInputMethodHints(Qt.InputMethodHint.ImhPreferNumbers)
        self.sheet.setMaximumWidth(m * 10)
        self.signed_on = SheetDate()
        self.signed_on.setCalendarPopup(True)
        self.signed_on.setMaximumDate(QDate.currentDate())
        self.signed_on.setDate(QDate.currentDate())
        self.sheet_caption = label(role="field-label")
        self.sheet_caption.setBuddy(self.sheet)
        self.date_caption = label(role="field-label")
        self.date_caption.setBuddy(self.signed_on)
        self.sheet_error = label(role="error")
        self.sheet_error.hide()
        self.date_error = label(role="error")
        self.date_error.hide()
        grid = QGridLayout(self.leading)
        grid.setContentsMargins(0, 0, 0, m // 2)
        grid.setHorizontalSpacing(m)
        grid.setVerticalSpacing(m // 6)
        grid.addWidget(self.sheet_caption, 0, 0)
        grid.addWidget(self.sheet, 1, 0)
        grid.addWidget(self.sheet_error, 2, 0)
        grid.addWidget(self.date_caption, 0, 1)
        grid.addWidget(self.signed_on, 1, 1, Qt.AlignmentFlag.AlignLeading)
        grid.addWidget(self.date_error, 2, 1)
        grid.setColumnStretch(1, 1)
        self.recent_view.setColumnHidden(RecentModel.TIME, True)
        self.recent_view.setColumnHidden(RecentModel.SHEET, False)
        self.retranslate()

    def retranslate(self) -> None:
        self.intro.setText(self.tr(
            "Type each signed line of a sheet. The sheet number and its date stay for the next line; "
            "Enter saves. Consent was given on the sheet, which carries the consent text."))
        self.sheet_caption.setText(self.tr("Sheet number"))
        self.sheet.setAccessibleName(self.tr("Sheet number"))
        self.date_caption.setText(self.tr("Signed on (the date on the sheet)"))
        self.signed_on.setAccessibleName(self.tr("Signed on"))
        self.signed_on.setDisplayFormat(QLocale().dateFormat(QLocale.FormatType.ShortFormat))
        super().retranslate()

    def heading(self, shown: LocalisedCampaign) -> str:
        return self.tr("Paper sheets: %1").replace("%1", shown.texts.title)

    def updates_caption(self) -> str:
        return self.tr("“Keep me informed” is ticked on the sheet")

    def leading_focusables(self) -> list[QWidget]:
        return [self.sheet, self.signed_on]

    def first_field(self) -> QWidget | None:
        """The sheet number until there is one; then the line's first field (the sheet stays)."""
        if not self.sheet.text().strip():
            return self.sheet
        return super().first_field()

    def open(self) -> None:
        self.signed_on.setMaximumDate(QDate.currentDate())  # a screen left open past midnight
        super().open()

    # -- saving ---------------------------------------------------------------------------------

    def save(self) -> None:
        # on first use, not at the top: the screen opens without it
        from db import sealing
        from db.sealing import SealingUnavailable

        self.clear_messages()
        shown = self._shown
        assert shown is not None
        values = self.form.values()
        day: date = self.signed_on.date().toPython()  # type: ignore[assignment]
        cells = {name: value or "" for name, value in values.items()}
        cells[SHEET] = self.sheet.text()
        cells[paper.SIGNED_ON_COLUMN] = day.isoformat()
        ticked = self.form.updates_ticked()
        if ticked is not None:
            cells[paper.CONSENT_UPDATES_COLUMN] = "yes" if ticked else "no"
        chosen = self.form.partners_ticked()
        for column, slug in paper.partner_columns(shown).items():
            cells[column] = "yes" if slug in chosen else "no"
        # The import's own checks and id, on this line as a row of a file.
        record, errors = paper.validate_row(paper.Row(0, cells, False), shown, SHEET, datetime.now(UTC))
        if errors or record is None:
            self.show_row_errors(errors)
            return
        try:
            held, ever = sealing.device_key(self.ctx.engine)
            sealed = sealing.key_for(shown.campaign, held, ever_held=ever) is not None
        except SealingUnavailable:
            sealed = True  # save_draft says why nothing can be saved
        draft = SignatureDraft(
            fields=values, consent_processing=True, consent_updates=record.consent_updates, mode=Mode.PAPER,
            paper_sheet=self.sheet.text(), given_at=record.consent_given_at, partners=chosen,
        )
        candidates: list[str | None]
        if sealed:
            candidates = [None]
        elif self._repeat_of == record.id:  # confirmed: another person with the same details
            candidates = [deterministic_id(record.id, f"repeat {n}") for n in range(1, MAX_REPEATS + 1)]
        else:
            candidates = [record.id]
        for candidate in candidates:
            draft.id = candidate
            saved = self.save_draft(draft)
            if saved is None:
                return
            if not saved.duplicate:
                break
        else:
            self._repeat_of = record.id
            self._set_status(self.tr("Already on this device (typed or imported before): nothing new was saved. "
                                "If it is another person with the same details, press Enter again."), error=True)
            return
        self._repeat_of = None
        self.entered(saved, values, sheet=record.paper_sheet)

    def show_row_errors(self, errors: list[paper.RowError]) -> None:
        # on first use, not at the top: the screen opens without it
        from db.validation import FieldError

        self.show_errors([FieldError(e.field, e.key) for e in errors])

    def show_field_error(self, name: str, key: str) -> QWidget | None:
        if name == SHEET:
            self.sheet_error.setText(messages.validation_message(key))
            self.sheet_error.show()
            return self.sheet
        if name == paper.SIGNED_ON_COLUMN:
            self.date_error.setText(self.tr("The date on the sheet cannot be in the future."))
            self.date_error.show()
            return self.signed_on
        if name == "signature_svg":
            self.show_banner(self.tr("This petition asks for a signature drawn on the screen, so its paper "
                                "sheets cannot be typed in here."))
            return self.banner
        return super().show_field_error(name, key)

    def clear_messages(self) -> None:
        super().clear_messages()
        for error in (self.sheet_error, self.date_error):
            error.clear()
            error.hide()

    def clear(self) -> None:
        """Idle, or the panel opened again: the sheet and its date go too."""
        super().clear()
        self.sheet.setText("")
        self.signed_on.setDate(QDate.currentDate())
        self._repeat_of = None
