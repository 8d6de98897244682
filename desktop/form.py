"""The campaign's form fields, one component for every screen that takes a signer's details: the Sign
page (desktop/pages/sign.py), assisted entry and paper entry (desktop/pages/entry.py).

Each field is a caption, an editor and a message under it, two fields side by side where they belong
together. The limits are the core's (db/fields.py MAX_LENGTH), so what an editor takes is what a save
accepts; an editor takes a little more than the limit, so a too-long entry is said, never cut silently.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db import signer_text
from db.campaigns import Form, LocalisedCampaign
from db.countries import country_choices
from db.fields import MAX_LENGTH
from desktop import messages
from desktop.widgets import ClickableLabel, button, enable_finger_scrolling, label, restyle

Editor = QLineEdit | QPlainTextEdit | QComboBox

# Input hints per field, so on-screen keyboards show the right keys and never learn names. Names and
# places keep the capital at the start that a keyboard gives by itself. E-mail addresses and postal
# codes are typed in Latin letters whatever the interface's language (an Arabic keyboard switches to
# its Latin layout); postal codes open on the digits, upper case when letters follow (UK, NL, CA).
PRIVATE = Qt.InputMethodHint.ImhNoPredictiveText | Qt.InputMethodHint.ImhSensitiveData
HINTS = {
    "given_name": PRIVATE,
    "family_name": PRIVATE,
    "email": PRIVATE | Qt.InputMethodHint.ImhEmailCharactersOnly | Qt.InputMethodHint.ImhNoAutoUppercase
    | Qt.InputMethodHint.ImhLatinOnly,
    "phone": PRIVATE | Qt.InputMethodHint.ImhDialableCharactersOnly,
    "postal_code": PRIVATE | Qt.InputMethodHint.ImhPreferNumbers | Qt.InputMethodHint.ImhPreferUppercase
    | Qt.InputMethodHint.ImhLatinOnly,
    "city": PRIVATE,
    "comment": PRIVATE,
}
OVERTYPE = 20  # characters an editor takes beyond the limit: room to show "too long" instead of cutting

# Fields that sit side by side when the campaign asks for both.
PAIRS = (("given_name", "family_name"), ("email", "phone"), ("postal_code", "city"), ("postal_code", "country"),
         ("city", "country"))
NAME_FIELDS = ("given_name", "family_name")


def rows(names: list[str]) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    placed: set[str] = set()
    for name in names:
        if name in placed:
            continue
        pair = next((p for p in PAIRS if name in p and all(n in names for n in p)), None)
        row = pair if pair else (name,)
        out.append(row)
        placed.update(row)
    return out


def empty(layout: QLayout) -> None:
    """Remove every item of ``layout``, nested layouts included. Widgets leave the window at once
    (not only at the next event-loop turn) and their text is wiped first: the old form of a language
    switch or an idle reset must not linger anywhere with what someone typed."""
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            break
        widget, inner = item.widget(), item.layout()
        if widget is not None:
            if isinstance(widget, QLineEdit | QPlainTextEdit):
                widget.clear()
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()
        elif inner is not None:
            empty(inner)
            inner.deleteLater()


def set_invalid(widget: QWidget, invalid: bool) -> None:
    """Mark an editor as holding a refused value (the stylesheet's ``[invalid="true"]``), or not."""
    if bool(widget.property("invalid")) != invalid:
        widget.setProperty("invalid", invalid)
        restyle(widget)


class ConsentRow(QWidget):
    """A check box with a long, wrapped text; tapping the text ticks the box too. Never pre-ticked.

    ``original``: the English text, shown under a translation no native speaker has reviewed yet;
    the signature's consent hash then covers both texts (LocalisedCampaign.consent_record_sha256)."""

    def __init__(self, text: str, original: str | None = None, caption: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QCheckBox()
        self.text = ClickableLabel(text)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.clicked.connect(self.box.toggle)
        self.box.setAccessibleName(text)
        self.error = label(role="error")
        self.error.hide()
        self.box.toggled.connect(lambda checked: self.error.hide() if checked else None)  # consent given now
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.box, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.text, 0, 1)
        self.original: QLabel | None = None
        if original:
            # The caption ("In English:", in the page's language) on a line of its own: in one
            # paragraph an Arabic caption made the English text right-to-left, and its full stops
            # jumped to the starts of lines.
            if caption:
                heading = ClickableLabel(caption)
                heading.setTextFormat(Qt.TextFormat.PlainText)
                heading.setProperty("role", "muted")
                heading.clicked.connect(self.box.toggle)
                grid.addWidget(heading, 1, 1)
            self.original = ClickableLabel(original)
            self.original.setWordWrap(True)
            self.original.setTextFormat(Qt.TextFormat.PlainText)
            self.original.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
            self.original.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignAbsolute)
            self.original.setProperty("role", "muted")
            self.original.clicked.connect(self.box.toggle)
            grid.addWidget(self.original, 2, 1)
        grid.addWidget(self.error, 3, 1)
        grid.setColumnStretch(1, 1)


# More partners' opt-ins than this fold into one list behind a button, so the form stays short at 1024x600.
FOLD_PARTNERS_AFTER = 3


class PartnerOptIns(QWidget):
    """One opt-in per partner the campaign offers, each with its own text naming the partner (and the
    English one under an unreviewed translation, as the consent), never pre-ticked. More than
    FOLD_PARTNERS_AFTER fold into one list behind a button that says how many are chosen; the list opens
    on a tap, the keyboard's Space, or a screen reader's press."""

    def __init__(self, shown: LocalisedCampaign, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        partners = shown.campaign.manifest.partners
        original = shown.consent_original
        caption = messages.text(signer_text.IN_ENGLISH)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(label(messages.text(signer_text.PARTNERS_INTRO), role="muted"))
        holder = column
        self.toggle: QPushButton | None = None
        self.list: QWidget | None = None
        if len(partners) > FOLD_PARTNERS_AFTER:
            self.toggle = button(role="quiet")
            self.toggle.setCheckable(True)
            self.list = QWidget()
            self.list.setObjectName("Page")
            holder = QVBoxLayout(self.list)
            holder.setContentsMargins(self.fontMetrics().height(), 0, 0, 0)
            self.list.hide()
            self.toggle.toggled.connect(self.list.setVisible)
            self.toggle.toggled.connect(lambda _open: self._say_chosen())
            column.addWidget(self.toggle)
            column.addWidget(self.list)
        self.rows: dict[str, ConsentRow] = {}
        for partner in partners:
            assert partner.slug is not None  # an offered partner has one (db/campaigns.py)
            row = ConsentRow(shown.partner_consent(partner),
                             original.partner_consent(partner) if original else None, caption)
            row.box.toggled.connect(self._say_chosen)
            holder.addWidget(row)
            self.rows[partner.slug] = row
        self._say_chosen()

    def _say_chosen(self) -> None:
        if self.toggle is not None:
            text = messages.text(signer_text.PARTNERS_FOLDED, chosen=len(self.chosen()), total=len(self.rows))
            self.toggle.setText(("▾ " if self.toggle.isChecked() else "▸ ") + text)
            self.toggle.setAccessibleName(text)

    def chosen(self) -> frozenset[str]:
        return frozenset(slug for slug, row in self.rows.items() if row.box.isChecked())

    def boxes(self) -> list[QWidget]:
        return ([self.toggle] if self.toggle is not None else []) + [row.box for row in self.rows.values()]

    def clear(self) -> None:
        for row in self.rows.values():
            row.box.setChecked(False)
        if self.toggle is not None:
            self.toggle.setChecked(False)  # folded again for the next signer
        self._say_chosen()


def partner_opt_ins(shown: LocalisedCampaign) -> PartnerOptIns | None:
    """The partners' opt-ins for ``shown``; None when it offers none."""
    return PartnerOptIns(shown) if shown.campaign.manifest.partners else None


class FormFields(QObject):
    """The campaign's fields laid out in a column: ``editors`` and the message label under each
    (``errors``), what they hold, clearing them, marking them.

    ``multiline_comment``: the comment gets a box of several lines (the Sign page); the volunteers'
    screens keep every field one line, because Enter saves there."""

    def __init__(self, *, multiline_comment: bool, finger_scrolling: bool) -> None:
        super().__init__()
        self.multiline_comment = multiline_comment
        self.finger_scrolling = finger_scrolling  # the country list scrolled with a finger (the kiosk)
        self.editors: dict[str, Editor] = {}
        self.errors: dict[str, QLabel] = {}
        self._line = 0

    def build(self, column: QVBoxLayout, form: Form, locale: str, *, line: int, row_spacing: int,
              name_hint: bool) -> None:
        """The fields of ``form`` into ``column``, a grid per row (``line``: the page's line height);
        ``name_hint`` says under the names that one of them is enough, when the campaign asks for only one."""
        self.editors.clear()
        self.errors.clear()
        self._line = line
        for row in rows([f.name for f in form.fields]):
            grid = QGridLayout()
            grid.setHorizontalSpacing(line)
            grid.setVerticalSpacing(row_spacing)
            for index, name in enumerate(row):
                caption, editor, error = self._field(name, form, locale)
                grid.addWidget(caption, 0, index)
                grid.addWidget(editor, 1, index)
                grid.addWidget(error, 2, index)
                grid.setColumnStretch(index, 1)
            column.addLayout(grid)
            if name_hint and "family_name" in row and form.require_a_name:
                column.addWidget(label(messages.name_hint(), role="muted"))

    def _field(self, name: str, form: Form, locale: str) -> tuple[QLabel, Editor, QLabel]:
        text = messages.field_label(name)
        if not form.is_required(name) and not (form.require_a_name and name in NAME_FIELDS):
            text += " " + messages.optional_suffix()
        caption = label(text, role="field-label")
        editor = self._editor(name, locale)
        caption.setBuddy(editor)
        editor.setAccessibleName(messages.field_label(name))
        error = label(role="error")
        error.hide()
        self.editors[name] = editor
        self.errors[name] = error
        # A message about what was there goes as soon as the person changes it: left on screen until the
        # next Sign, it looked like a verdict on the corrected value.
        if isinstance(editor, QLineEdit):
            editor.textEdited.connect(lambda _text, n=name: self.forget_error(n))
        elif isinstance(editor, QPlainTextEdit):
            editor.textChanged.connect(lambda n=name: self.forget_error(n))
        else:
            editor.activated.connect(lambda _index, n=name: self.forget_error(n))
        return caption, editor, error

    def _editor(self, name: str, locale: str) -> Editor:
        if name == "comment" and self.multiline_comment:
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)
            edit.setInputMethodHints(HINTS[name])
            edit.setFixedHeight(self._line * 5)
            return edit
        if name == "country":
            combo = QComboBox()
            combo.addItem(messages.text(signer_text.CHOOSE_A_COUNTRY), None)
            for code, country in country_choices(locale.split("-")[0]):
                combo.addItem(country, code)
            if self.finger_scrolling:
                enable_finger_scrolling(combo.view().viewport())  # some 250 countries, picked with a finger
            return combo
        line = QLineEdit()
        line.setInputMethodHints(HINTS[name])
        line.setMaxLength(MAX_LENGTH[name] + OVERTYPE)
        return line

    # -- what they hold ------------------------------------------------------------------------------

    def values(self) -> dict[str, str | None]:
        """Each field's value; a country is its code (names, and their order, are translated)."""
        out: dict[str, str | None] = {}
        for name, editor in self.editors.items():
            if isinstance(editor, QLineEdit):
                out[name] = editor.text()
            elif isinstance(editor, QPlainTextEdit):
                out[name] = editor.toPlainText()
            else:
                out[name] = editor.currentData()
        return out

    def set_values(self, values: dict[str, str | None]) -> None:
        for name, value in values.items():
            editor = self.editors.get(name)
            if isinstance(editor, QLineEdit) and isinstance(value, str):
                editor.setText(value)
            elif isinstance(editor, QPlainTextEdit) and isinstance(value, str):
                editor.setPlainText(value)
            elif isinstance(editor, QComboBox) and value is not None:
                editor.setCurrentIndex(max(0, editor.findData(value)))

    def clear(self) -> None:
        """Forget what was typed: text, undo history, selection, choices, messages."""
        for editor in self.editors.values():
            if isinstance(editor, QLineEdit):
                editor.setText("")  # also clears the undo/redo history
                editor.deselect()
            elif isinstance(editor, QPlainTextEdit):
                editor.setPlainText("")  # also clears the undo/redo history
            else:
                editor.setCurrentIndex(0)
        self.clear_errors()

    # -- messages ------------------------------------------------------------------------------------

    def show_error(self, name: str, text: str) -> QLabel | None:
        """``text`` under field ``name`` (and the field marked); None when the form has no such place."""
        target = self.errors.get(name)
        if target is None:
            return None
        target.setText(text)
        target.show()
        editor = self.editors.get(name)
        if editor is not None:
            set_invalid(editor, True)
        return target

    def forget_error(self, name: str) -> None:
        """Field ``name``'s message and mark go (it was changed since)."""
        error = self.errors.get(name)
        if error is None or error.isHidden():
            return
        error.clear()
        error.hide()
        editor = self.editors.get(name)
        if editor is not None:
            set_invalid(editor, False)

    def clear_errors(self) -> None:
        for name, error in self.errors.items():
            error.clear()
            error.hide()
            editor = self.editors.get(name)
            if editor is not None:
                set_invalid(editor, False)
