"""The sign form: the campaign's fields, its consent texts, inline translated validation messages."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from db.campaigns import Form, LocalisedCampaign
from db.fields import CITY_MAX, NAME_MAX
from db.signatures import SignatureDraft
from db.validation import FieldError
from desktop import messages
from desktop.countries import country_choices
from desktop.signature_pad import SignaturePad
from desktop.wheel import guard_wheel
from desktop.widgets import ClickableLabel, LanguageBar, bottom_bar, button, enable_finger_scrolling, label

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
MAX_LENGTH = {"given_name": NAME_MAX, "family_name": NAME_MAX, "email": 254, "phone": 40,
              "postal_code": 12, "city": CITY_MAX}


# Fields that sit side by side when the campaign asks for both.
PAIRS = (("given_name", "family_name"), ("email", "phone"), ("postal_code", "city"), ("postal_code", "country"),
         ("city", "country"))


def _rows(names: list[str]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    placed: set[str] = set()
    for name in names:
        if name in placed:
            continue
        pair = next((p for p in PAIRS if name in p and all(n in names for n in p)), None)
        row = pair if pair else (name,)
        rows.append(row)
        placed.update(row)
    return rows


def _empty(layout: QLayout) -> None:
    """Remove every item of ``layout``, nested layouts included. Widgets leave the window at once
    (not only at the next event-loop turn) and their text is wiped first: the old form of a language
    switch or an idle reset must not linger anywhere with what someone typed."""
    while layout.count():
        item = layout.takeAt(0)
        widget, inner = item.widget(), item.layout()
        if widget is not None:
            if isinstance(widget, QLineEdit | QPlainTextEdit):
                widget.clear()
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()
        elif inner is not None:
            _empty(inner)
            inner.deleteLater()


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


class SignPage(QWidget):
    sign_requested = Signal()
    back_clicked = Signal()

    def __init__(self, languages: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.languages = LanguageBar(languages, compact=True)
        self.editors: dict[str, QLineEdit | QPlainTextEdit | QComboBox] = {}
        self.errors: dict[str, QLabel] = {}
        self.consent: ConsentRow | None = None
        self.updates: ConsentRow | None = None
        self.pad: SignaturePad | None = None  # when the campaign asks for a handwritten signature
        self._shown: LocalisedCampaign | None = None

        self.heading = label(role="title")
        self.subheading = label(role="subtitle")
        self.banner = label(role="banner-error")
        self.banner.hide()
        self.form = QWidget()
        self.form.setObjectName("Page")
        self.form_layout = QVBoxLayout(self.form)

        inner = QWidget()
        inner.setObjectName("Page")
        column = QVBoxLayout(inner)
        m = self.fontMetrics().height()
        column.setContentsMargins(m * 2, m, m * 2, m)
        column.setSpacing(m // 2)
        column.addWidget(self.heading)
        column.addWidget(self.subheading)
        column.addWidget(self.banner)
        column.addWidget(self.form)
        column.addStretch(1)
        centred = QWidget()
        centred.setObjectName("Page")
        row = QHBoxLayout(centred)
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(1)
        row.addWidget(inner, 0)
        row.addStretch(1)
        inner.setMaximumWidth(m * 42)
        inner.setMinimumWidth(min(m * 30, 700))

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(centred)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        enable_finger_scrolling(self.scroll.viewport())

        self.back_button = button()
        self.back_button.clicked.connect(self.back_clicked)
        self.sign_button = button(role="primary")
        self.sign_button.clicked.connect(self.sign_requested)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(bottom_bar(self.back_button, self.languages, self.sign_button, stretch_at=1))
        self.retranslate()

    def retranslate(self) -> None:
        self.back_button.setText(self.tr("Back to the letter"))
        self.sign_button.setText(self.tr("Sign"))
        self.sign_button.setAccessibleName(self.tr("Sign the petition"))
        self.subheading.setText(self.tr("It takes less than a minute."))
        # The form's own texts (labels, consent) come with show_campaign(), which the window calls
        # with keep_typed=True after a language switch.

    # -- building -------------------------------------------------------------------------------

    def show_campaign(self, shown: LocalisedCampaign, *, keep_typed: bool = False) -> None:
        """(Re)build the form for ``shown``; everything typed so far is discarded, unless
        ``keep_typed`` (a language switch by the same signer, same campaign): then the fields keep
        their values, but the consent boxes are cleared, because consent is given to the words
        shown and those just changed."""
        same = self._shown is not None and self._shown.campaign.slug == shown.campaign.slug
        typed = self._values() if keep_typed and same else {}
        if self.pad is not None:
            self.pad.clear()  # the old form's pad goes with the old form; its strokes are in ``typed``
        self._shown = shown
        self.heading.setText(self.tr("Add your name: %1").replace("%1", shown.texts.title))
        _empty(self.form_layout)
        self.editors.clear()
        self.errors.clear()
        form = shown.campaign.manifest.form
        m = self.fontMetrics().height()
        self.form_layout.setContentsMargins(0, m // 2, 0, 0)
        self.form_layout.setSpacing(m // 3)
        names = [f.name for f in form.fields]
        for row in _rows(names):
            grid = QGridLayout()
            grid.setHorizontalSpacing(m)
            grid.setVerticalSpacing(m // 4)
            for column, name in enumerate(row):
                caption, editor, error = self._field(name, form, shown.locale)
                grid.addWidget(caption, 0, column)
                grid.addWidget(editor, 1, column)
                grid.addWidget(error, 2, column)
                grid.setColumnStretch(column, 1)
            self.form_layout.addLayout(grid)
            if "family_name" in row and form.require_a_name:
                self.form_layout.addWidget(label(messages.name_hint(), role="muted"))
        self.pad = None
        if form.handwriting != "off":
            self._handwriting(form)
        self.form_layout.addSpacing(m // 2)
        original = shown.consent_original
        caption = self.tr("In English:")
        self.consent = ConsentRow(shown.consent_processing,
                                  original.consent_processing if original else None, caption)
        self.errors["consent_processing"] = self.consent.error
        self.form_layout.addWidget(self.consent)
        self.updates = None
        if form.ask_updates and shown.consent_updates:
            self.updates = ConsentRow(shown.consent_updates,
                                      original.consent_updates if original else None, caption)
            self.form_layout.addWidget(self.updates)
        self.form_layout.addWidget(label(
            self.tr("Your details stay on this device until they are sent to %1.")
            .replace("%1", shown.campaign.manifest.data_controller), role="muted"))
        self._chain_return_keys()
        guard_wheel(self)  # the country list is new with each campaign
        self.clear()
        self._restore(typed)

    def _handwriting(self, form: Form) -> None:
        text = self.tr("Your signature")
        if form.handwriting == "optional":
            text += " " + messages.optional_suffix()
        self.form_layout.addWidget(label(text, role="field-label"))
        self.pad = SignaturePad()
        self.form_layout.addWidget(self.pad)
        error = label(role="error")
        error.hide()
        self.errors["signature_svg"] = error
        self.form_layout.addWidget(error)

    def _values(self) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        if self.pad is not None:
            out["signature_svg"] = self.pad.path_data()
        for name, editor in self.editors.items():
            if isinstance(editor, QLineEdit):
                out[name] = editor.text()
            elif isinstance(editor, QPlainTextEdit):
                out[name] = editor.toPlainText()
            else:
                out[name] = editor.currentData()  # the code: names (and their order) are translated
        return out

    def _restore(self, values: dict[str, str | None]) -> None:
        for name, value in values.items():
            editor = self.editors.get(name)
            if isinstance(editor, QLineEdit) and isinstance(value, str):
                editor.setText(value)
            elif isinstance(editor, QPlainTextEdit) and isinstance(value, str):
                editor.setPlainText(value)
            elif isinstance(editor, QComboBox) and value is not None:
                editor.setCurrentIndex(max(0, editor.findData(value)))
        if self.pad is not None and values.get("signature_svg"):
            self.pad.set_path_data(values["signature_svg"])

    def _field(self, name: str, form: Form, locale: str) -> tuple[QLabel, QWidget, QLabel]:
        text = messages.field_label(name)
        if not form.is_required(name) and not (form.require_a_name and name in ("given_name", "family_name")):
            text += " " + messages.optional_suffix()
        caption = label(text, role="field-label")
        editor = self._editor(name, locale)
        caption.setBuddy(editor)
        editor.setAccessibleName(messages.field_label(name))
        error = label(role="error")
        error.hide()
        self.editors[name] = editor
        self.errors[name] = error
        return caption, editor, error

    def _editor(self, name: str, locale: str) -> QLineEdit | QPlainTextEdit | QComboBox:
        if name == "comment":
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)
            edit.setInputMethodHints(HINTS[name])
            edit.setFixedHeight(self.fontMetrics().height() * 5)
            return edit
        if name == "country":
            combo = QComboBox()
            combo.addItem(self.tr("Choose a country"), None)
            for code, country in country_choices(locale.split("-")[0]):
                combo.addItem(country, code)
            enable_finger_scrolling(combo.view().viewport())  # some 250 countries, picked with a finger
            return combo
        line = QLineEdit()
        line.setInputMethodHints(HINTS[name])
        line.setMaxLength(MAX_LENGTH[name] + 20)  # room to show a too-long message instead of silently cutting
        return line

    def _chain_return_keys(self) -> None:
        lines = [e for e in self.editors.values() if isinstance(e, QLineEdit)]
        for current, following in zip(lines, lines[1:] + [None], strict=True):
            if following is None:
                current.returnPressed.connect(self.sign_requested)
            else:
                current.returnPressed.connect(following.setFocus)

    # -- state ----------------------------------------------------------------------------------

    def draft(self) -> SignatureDraft:
        fields: dict[str, str | None] = {}
        for name, editor in self.editors.items():
            if isinstance(editor, QLineEdit):
                fields[name] = editor.text()
            elif isinstance(editor, QPlainTextEdit):
                fields[name] = editor.toPlainText()
            else:
                fields[name] = editor.currentData()
        if self.pad is not None:
            fields["signature_svg"] = self.pad.path_data()
        return SignatureDraft(
            fields=fields,
            consent_processing=bool(self.consent and self.consent.box.isChecked()),
            consent_updates=self.updates.box.isChecked() if self.updates else None,
        )

    def show_errors(self, errors: list[FieldError]) -> None:
        self.clear_errors()
        first: QWidget | None = None
        for err in errors:
            target = self.errors.get(err.field)
            if target is None:  # a problem with a field the form does not show: say it at the top
                self.show_banner(messages.validation_message(err.key))
                continue
            if err.field == "signature_svg" and err.key == "required":
                target.setText(self.tr("Please sign in the box above: this petition asks for your signature."))
            else:
                target.setText(messages.validation_message(err.key))
            target.show()
            editor = self.editors.get(err.field)
            widget: QWidget = editor if editor is not None else (
                self.consent.box if self.consent and err.field == "consent_processing" else target)
            if editor is not None:
                editor.setProperty("invalid", True)
                editor.style().unpolish(editor)
                editor.style().polish(editor)
            first = first or widget
        if first is not None:
            first.setFocus()
            self.scroll.ensureWidgetVisible(first)

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()
        self.scroll.ensureWidgetVisible(self.banner)

    def clear_errors(self) -> None:
        self.banner.hide()
        for name, error in self.errors.items():
            error.clear()
            error.hide()
            editor = self.editors.get(name)
            if editor is not None and editor.property("invalid"):
                editor.setProperty("invalid", False)
                editor.style().unpolish(editor)
                editor.style().polish(editor)

    def clear(self) -> None:
        """Forget everything the last signer entered: text, undo history, choices, messages."""
        for editor in self.editors.values():
            if isinstance(editor, QLineEdit):
                editor.setText("")  # also clears the undo/redo history
                editor.deselect()
            elif isinstance(editor, QPlainTextEdit):
                editor.setPlainText("")  # also clears the undo/redo history
            else:
                editor.setCurrentIndex(0)
        for row in (self.consent, self.updates):
            if row is not None:
                row.box.setChecked(False)
        if self.pad is not None:
            self.pad.clear()  # strokes kept nowhere else, nothing to undo
        self.clear_errors()
        self.scroll.verticalScrollBar().setValue(0)

    def focus_first_field(self) -> None:
        if self.editors:
            next(iter(self.editors.values())).setFocus()
