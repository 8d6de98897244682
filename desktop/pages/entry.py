"""What the volunteers' entry screens share: assisted entry (desktop/pages/assisted.py) and paper
back-entry (desktop/pages/paper.py).

Both are reached from the coordinator's panel, behind the PIN, and are made for the keyboard: Tab
moves on, Enter saves from any field, the focus goes back to the first field for the next person.
Every save goes through ``db.signatures.save_signature`` (which seals when the campaign says so).

The last few entries stay visible to the volunteer, with an undo of the very last one (a void, which
syncs as a withdrawal). That list lives in memory only (:class:`RecentModel`): it is made from what
the volunteer typed on this screen, never read back from the database, and it is emptied with the
form when the screen is left idle, when the panel is opened again, or when the active event or the
campaign changes.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTime,
    Signal,
)
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db import signer_text
from db.campaigns import LocalisedCampaign
from db.signatures import SavedSignature, SignatureDraft
from db.validation import FieldError
from desktop import messages
from desktop.form import NAME_FIELDS, ConsentRow, FormFields, PartnerOptIns, empty, partner_opt_ins
from desktop.signature_pad import SignaturePad
from desktop.wheel import guard_wheel
from desktop.widgets import LanguageBar, bottom_bar, button, label, restyle, styled

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
RECENT_KEPT = 6  # entries the volunteer sees: enough to check the last few, few enough to fit
DETAIL_FIELDS = ("email", "phone", "postal_code", "city", "country")

# Shown when a campaign must seal its signers' details and this device holds no key (db/sealing.py).
SEALING_UNAVAILABLE = QT_TRANSLATE_NOOP(
    "Entry", "Nothing was saved: this petition encrypts the signers' details for the campaign's server, and "
    "this device has not received that key yet. Nothing typed is lost. Connect the device to the server "
    "(panel, Settings) and save again.")
SAVE_FAILED = QT_TRANSLATE_NOOP(
    "Entry", "Nothing was saved: the database on this device cannot be written (is the disk full?). "
    "Nothing typed is lost.")


def tr(text: object) -> str:
    """``text`` (a QT_TRANSLATE_NOOP of context "Entry") in the interface's language."""
    return QCoreApplication.translate("Entry", str(text))


# -- the last entries, in memory only ----------------------------------------------------------------

@dataclass
class RecentEntry:
    id: str
    at: datetime
    name: str
    detail: str
    sheet: str | None = None
    withdrawn: bool = False


class RecentModel(QAbstractTableModel):
    """The volunteer's last entries on this screen, newest first (house style rule 8)."""

    TIME, SHEET, NAME, DETAIL = range(4)
    HEADERS = (QT_TRANSLATE_NOOP("Entry", "Time"), QT_TRANSLATE_NOOP("Entry", "Sheet"),
               QT_TRANSLATE_NOOP("Entry", "Name"), QT_TRANSLATE_NOOP("Entry", "Details"))

    def __init__(self, kept: int = RECENT_KEPT) -> None:
        super().__init__()
        self.kept = kept
        self.entries: list[RecentEntry] = []
        self.scope: tuple[Any, ...] | None = None  # (campaign, event) the entries belong to

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 (Qt API)
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 (Qt API)
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 (Qt API)
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        entry = self.entries[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.TIME:
                return QLocale().toString(QTime(entry.at.hour, entry.at.minute), QLocale.FormatType.ShortFormat)
            if column == self.SHEET:
                return entry.sheet or ""
            if column == self.NAME:
                return entry.name
            return self.tr("withdrawn") if entry.withdrawn else entry.detail
        if role == Qt.ItemDataRole.FontRole and entry.withdrawn and column == self.NAME:
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and entry.withdrawn:
            return self.tr("Withdrawn with Undo: it is sent to the server as a withdrawal.")
        if role == ID_ROLE:
            return entry.id
        return None

    def add(self, entry: RecentEntry) -> None:
        self.beginResetModel()
        self.entries.insert(0, entry)
        del self.entries[self.kept:]
        self.endResetModel()

    def last(self) -> RecentEntry | None:
        """The very last entry, if it can still be undone."""
        return self.entries[0] if self.entries and not self.entries[0].withdrawn else None

    def mark_withdrawn(self, entry_id: str) -> None:
        for row, entry in enumerate(self.entries):
            if entry.id == entry_id:
                entry.withdrawn = True
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))

    def clear(self) -> None:
        self.beginResetModel()
        self.entries.clear()
        self.endResetModel()
        self.scope = None

    def retranslate(self) -> None:
        if self.entries:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.entries) - 1, len(self.HEADERS) - 1))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.HEADERS) - 1)


def entry_name(values: dict[str, str | None]) -> str:
    return " ".join(v.strip() for name in NAME_FIELDS if (v := values.get(name)) and v.strip()) or "—"


def entry_detail(values: dict[str, str | None]) -> str:
    return " · ".join(v.strip() for name in DETAIL_FIELDS if (v := values.get(name)) and v.strip())


# -- the campaign's fields ------------------------------------------------------------------------

class EntryForm(QWidget):
    """The campaign form's fields for a volunteer (desktop/form.py): one line each (Enter saves, so no
    multi-line comment), the consent box when the signer is there, the "keep me informed" box."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.fields = FormFields(multiline_comment=False, finger_scrolling=False)
        self.editors = self.fields.editors
        self.errors = self.fields.errors  # the fields', the consent's and the pad's
        self.consent: ConsentRow | None = None
        self.updates: ConsentRow | QCheckBox | None = None
        self.partners: PartnerOptIns | None = None
        self.pad: SignaturePad | None = None
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)

    def build(self, shown: LocalisedCampaign, *, with_consent: bool, updates_caption: str = "") -> None:
        """Fields for ``shown``. ``with_consent``: the signer is there and agrees to the campaign's
        consent text (assisted); otherwise the paper sheet carried it, and ``updates_caption`` names the
        sheet's "keep me informed" box."""
        empty(self.column)
        form = shown.campaign.manifest.form
        m = self.fontMetrics().height()
        self.column.setSpacing(m // 3)
        self.fields.build(self.column, form, shown.locale, line=m, row_spacing=m // 6, name_hint=False)
        self.consent = None
        self.updates = None
        original = shown.consent_original
        if with_consent:
            self.consent = ConsentRow(shown.consent_processing, original.consent_processing if original else None,
                                      messages.text(signer_text.IN_ENGLISH))
            self.errors["consent_processing"] = self.consent.error
            self.column.addWidget(self.consent)
            if form.ask_updates and shown.consent_updates:
                self.updates = ConsentRow(shown.consent_updates, original.consent_updates if original else None,
                                          messages.text(signer_text.IN_ENGLISH))
                self.column.addWidget(self.updates)
        elif form.ask_updates:
            self.updates = QCheckBox(updates_caption)
            self.column.addWidget(self.updates)
        # The partners' opt-ins, each as the signer ticked it (on the sheet's boxes, for paper).
        self.partners = partner_opt_ins(shown)
        if self.partners is not None:
            self.column.addWidget(self.partners)
        self.pad = None
        if with_consent and form.handwriting != "off":  # the signer is there to sign with a finger
            self.pad = SignaturePad()
            pad_caption = self.tr("Handwritten signature")
            if form.handwriting == "optional":
                pad_caption += " " + messages.optional_suffix()
            self.column.addWidget(label(pad_caption, role="field-label"))
            self.column.addWidget(self.pad)
            self.errors["signature_svg"] = label(role="error")
            self.errors["signature_svg"].hide()
            self.column.addWidget(self.errors["signature_svg"])

    def focusables(self) -> list[QWidget]:
        out: list[QWidget] = list(self.editors.values())
        for row in (self.consent, self.updates):
            if isinstance(row, ConsentRow):
                out.append(row.box)
            elif row is not None:
                out.append(row)
        if self.partners is not None:
            out += self.partners.boxes()
        return out

    def values(self) -> dict[str, str | None]:
        out = self.fields.values()
        if self.pad is not None:
            out["signature_svg"] = self.pad.path_data()
        return out

    def set_values(self, values: dict[str, str | None]) -> None:
        self.fields.set_values(values)
        if self.pad is not None and values.get("signature_svg"):
            self.pad.set_path_data(values["signature_svg"])

    def consent_given(self) -> bool:
        return bool(self.consent and self.consent.box.isChecked())

    def updates_ticked(self) -> bool | None:
        if isinstance(self.updates, ConsentRow):
            return self.updates.box.isChecked()
        if isinstance(self.updates, QCheckBox):
            return self.updates.isChecked()
        return None

    def partners_ticked(self) -> frozenset[str]:
        return self.partners.chosen() if self.partners is not None else frozenset()

    def clear(self) -> None:
        self.fields.clear()
        for row in (self.consent, self.updates):
            box = row.box if isinstance(row, ConsentRow) else row
            if box is not None:
                box.setChecked(False)
        if self.partners is not None:
            self.partners.clear()
        if self.pad is not None:
            self.pad.clear()
        self.clear_errors()

    def show_error(self, name: str, key: str) -> QWidget | None:
        """Show ``key``'s message under field ``name``; the widget to focus, None when not shown."""
        target = self.fields.show_error(name, messages.validation_message(key))
        if target is None:
            return None
        editor = self.editors.get(name)
        if editor is not None:
            return editor
        if name == "consent_processing" and self.consent is not None:
            return self.consent.box
        return self.pad.canvas if name == "signature_svg" and self.pad is not None else target

    def clear_errors(self) -> None:
        self.fields.clear_errors()


# -- the screen ------------------------------------------------------------------------------------

class EntryPage(QWidget):
    """A volunteer's entry screen: title, the form on the left, the last entries on the right, and a
    bar with Back, the languages, what just happened, and Save. Subclasses say what a save is."""

    back_clicked = Signal()
    saved = Signal(str)  # the id of an entry that is on disk
    withdrawn = Signal(str)  # the id of the entry that Undo withdrew

    with_consent = True

    def __init__(self, ctx: Any, languages: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.ctx = ctx
        self._shown: LocalisedCampaign | None = None
        m = self.fontMetrics().height()
        self.languages = LanguageBar(languages, compact=True)
        self.title = label(role="card-title")
        self.intro = label(role="muted")
        self.banner = label(role="banner-error")
        self.banner.hide()
        self.leading = QWidget()  # what a subclass puts above the person's fields (the sheet)
        self.leading.setObjectName("Page")
        self.form = EntryForm()

        inner = QWidget()
        inner.setObjectName("Page")
        column = QVBoxLayout(inner)
        column.setContentsMargins(m, m // 2, m, m // 2)
        column.setSpacing(m // 2)
        column.addWidget(self.banner)
        column.addWidget(self.leading)
        column.addWidget(self.form)
        column.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(inner)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.recent = RecentModel()
        self.recent_title = label(role="field-label")
        self.recent_view = QTableView()
        self.recent_view.setModel(self.recent)
        self.recent_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from field to field, not here
        self.recent_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.recent_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.recent_view.verticalHeader().hide()
        self.recent_view.setWordWrap(False)
        self.recent_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.recent_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(RecentModel.DETAIL, QHeaderView.ResizeMode.Stretch)
        self.recent_view.setColumnHidden(RecentModel.SHEET, True)
        self.recent_empty = label(role="muted")
        self.undo_button = button()
        self.undo_button.clicked.connect(self.undo_last)
        side = QWidget()
        side.setObjectName("Page")
        side.setFixedWidth(m * 17)
        side_column = QVBoxLayout(side)
        side_column.setContentsMargins(m // 2, m // 2, m, m // 2)
        side_column.setSpacing(m // 3)
        side_column.addWidget(self.recent_title)
        side_column.addWidget(self.recent_view, 1)
        side_column.addWidget(self.recent_empty)
        side_column.addWidget(self.undo_button)

        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addWidget(self.scroll_area, 1)
        body.addWidget(side)

        heading = QWidget()
        heading.setObjectName("Page")
        heading_column = QVBoxLayout(heading)
        heading_column.setContentsMargins(m, m // 2, m, 0)
        heading_column.setSpacing(m // 6)
        heading_column.addWidget(self.title)
        heading_column.addWidget(self.intro)

        self.back_button = button()
        self.back_button.clicked.connect(self.back_clicked)
        self.status = label()
        self.save_button = button(role="primary")
        self.save_button.clicked.connect(self.save)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(heading)
        layout.addLayout(body, 1)
        layout.addWidget(bottom_bar(self.back_button, self.languages, self.status, self.save_button,
                                    grow=self.status))

    # -- words ----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.back_button.setText(self.tr("Back to the panel"))
        self.save_button.setText(self.tr("Save (Enter)"))
        self.save_button.setAccessibleName(self.tr("Save this entry"))
        self.undo_button.setText(self.tr("Undo the last entry"))
        self.recent_title.setText(self.tr("Last entries on this screen"))
        self.recent_empty.setText(self.tr("Kept on this screen only, and wiped when it is left idle."))
        self.recent.retranslate()
        self._set_status("")
        if self._shown is not None:  # the language changed: the campaign's texts come in it too
            self.show_campaign(self.ctx.shown, keep_typed=True)

    def heading(self, shown: LocalisedCampaign) -> str:
        raise NotImplementedError

    # -- showing --------------------------------------------------------------------------------

    def open(self) -> None:
        """Called each time the screen is shown: the campaign and event as they are now."""
        shown = self.ctx.shown
        scope = self.scope()
        if self.recent.scope is not None and self.recent.scope != scope:
            self.recent.clear()  # another event or campaign: its entries are not this one's to undo
        self.recent.scope = scope
        if self._shown is None or (shown.campaign.slug, shown.campaign.version, shown.locale) != (
                self._shown.campaign.slug, self._shown.campaign.version, self._shown.locale):
            self.show_campaign(shown, keep_typed=self._shown is not None
                               and self._shown.campaign.slug == shown.campaign.slug)
        self.languages.show_current(self.ctx.locale)
        self._show_undo()

    def scope(self) -> tuple[Any, ...]:
        return (self.ctx.campaign_slug, self.ctx.settings.active_event_id)

    def show_campaign(self, shown: LocalisedCampaign, *, keep_typed: bool = False) -> None:
        typed = self.form.values() if keep_typed else {}
        self._shown = shown
        self.title.setText(self.heading(shown))
        self.form.build(shown, with_consent=self.with_consent, updates_caption=self.updates_caption())
        self.form.set_values(typed)
        guard_wheel(self)  # the country list is new with each campaign
        self._chain_focus()

    def updates_caption(self) -> str:
        return ""

    def leading_focusables(self) -> list[QWidget]:
        return []

    def _chain_focus(self) -> None:
        """Tab order: the fields, Save, Back, then Undo, and round to the first field again, so
        Shift+Tab from the first field (where the focus is after each save) lands on Undo."""
        chain = [self.undo_button, *self.leading_focusables(), *self.form.focusables(), self.save_button,
                 self.back_button]
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)

    def first_field(self) -> QWidget | None:
        fields = self.form.focusables()
        return fields[0] if fields else None

    def focus_first_field(self) -> None:
        first = self.first_field()
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- saving ---------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        """Enter saves from any field (line edits, lists and boxes pass it up to here); on a button,
        Enter presses that button."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # on first use, not at the top: the screen opens without it
            from PySide6.QtWidgets import QApplication

            focused = QApplication.focusWidget()
            if isinstance(focused, QPushButton) and focused is not self.save_button and self.isAncestorOf(focused):
                focused.click()
            else:
                self.save()
            event.accept()
            return
        super().keyPressEvent(event)

    def save(self) -> None:
        raise NotImplementedError

    def save_draft(self, draft: SignatureDraft) -> SavedSignature | None:
        """``save_signature`` with every failure shown where the volunteer looks; None when nothing
        was saved (everything typed stays)."""
        # on first use, not at the top: the screen opens without it
        from sqlalchemy.exc import DBAPIError

        from db import signatures
        from db.sealing import SealingUnavailable
        from db.validation import SignatureInvalid

        assert self._shown is not None
        try:
            return signatures.save_signature(draft, engine=self.ctx.engine, shown=self._shown)
        except SignatureInvalid as invalid:
            self.show_errors(invalid.errors)
        except SealingUnavailable:
            self.show_banner(tr(SEALING_UNAVAILABLE))
        except (DBAPIError, sqlite3.Error, OSError) as exc:
            log.error("could not save an entry: %s", type(exc).__name__)
            self.show_banner(tr(SAVE_FAILED))
        return None

    def entered(self, saved: SavedSignature, values: dict[str, str | None], sheet: str | None = None) -> None:
        """After a save: into the last entries, the form emptied for the next person."""
        name = entry_name(values)
        self.recent.add(RecentEntry(saved.id, datetime.now().astimezone(), name, entry_detail(values), sheet))
        self.recent.scope = self.scope()
        self.form.clear()
        self._set_status(self.tr("Saved: %1").replace("%1", name))
        self._show_undo()
        self.scroll_area.verticalScrollBar().setValue(0)
        self.focus_first_field()
        self.saved.emit(saved.id)

    def undo_last(self) -> None:
        """Withdraw the very last entry: a void, sent to the server as a withdrawal."""
        # on first use, not at the top: the screen opens without it
        from sqlalchemy.exc import DBAPIError

        from db import signatures

        entry = self.recent.last()
        if entry is None:
            return
        try:
            signatures.void_signature(entry.id, engine=self.ctx.engine)
        except (signatures.VoidRefused, KeyError):
            self._set_status(self.tr("That entry cannot be withdrawn any more."), error=True)
            return
        except (DBAPIError, sqlite3.Error, OSError) as exc:
            log.error("could not withdraw an entry: %s", type(exc).__name__)
            self.show_banner(tr(SAVE_FAILED))
            return
        self.recent.mark_withdrawn(entry.id)
        self._set_status(self.tr("Withdrawn: %1").replace("%1", entry.name))
        self._show_undo()
        self.focus_first_field()
        self.withdrawn.emit(entry.id)

    def _show_undo(self) -> None:
        self.undo_button.setEnabled(self.recent.last() is not None)
        self.recent_view.setVisible(bool(self.recent.entries))

    # -- messages -------------------------------------------------------------------------------

    def show_errors(self, errors: list[FieldError]) -> None:
        self.clear_messages()
        first: QWidget | None = None
        for err in errors:
            shown = self.show_field_error(err.field, err.key)
            if shown is None:
                self.show_banner(messages.validation_message(err.key))
            first = first or shown
        self._set_status(self.tr("Not saved: please check what is marked."), error=True)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
            self.scroll_area.ensureWidgetVisible(first)

    def show_field_error(self, name: str, key: str) -> QWidget | None:
        return self.form.show_error(name, key)

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()
        self.scroll_area.ensureWidgetVisible(self.banner)
        self._set_status(self.tr("Not saved."), error=True)

    def clear_messages(self) -> None:
        self.banner.hide()
        self.banner.clear()
        self.form.clear_errors()
        self._set_status("")

    def _set_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        role = "error" if error else "count"
        if self.status.property("role") != role:
            styled(self.status, role)
            restyle(self.status)

    def clear(self) -> None:
        """Forget every signer: the form, the last entries, the messages (idle, or the panel reopened)."""
        self.form.clear()
        self.clear_messages()
        self.recent.clear()
        self._show_undo()
        self.scroll_area.verticalScrollBar().setValue(0)
