"""The sign form: the campaign's fields, its consent texts, inline translated validation messages."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QScrollArea, QVBoxLayout, QWidget

from db import signer_text
from db.campaigns import Form, LocalisedCampaign
from db.signatures import SignatureDraft
from db.validation import FieldError
from desktop import messages
from desktop.form import ConsentRow, Editor, FormFields, PartnerOptIns, empty, partner_opt_ins
from desktop.signature_pad import SignaturePad
from desktop.wheel import guard_wheel
from desktop.widgets import LanguageBar, bottom_bar, button, enable_finger_scrolling, label


class SignPage(QWidget):
    sign_requested = Signal()
    back_clicked = Signal()

    def __init__(self, languages: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.languages = LanguageBar(languages, compact=True)
        self.fields = FormFields(multiline_comment=True, finger_scrolling=True)
        self.editors: dict[str, Editor] = self.fields.editors
        self.errors: dict[str, QLabel] = self.fields.errors  # the fields', the consent's and the pad's
        self.consent: ConsentRow | None = None
        self.updates: ConsentRow | None = None
        self.partners: PartnerOptIns | None = None  # when the campaign offers partners' opt-ins
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

        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(centred)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        enable_finger_scrolling(self.scroll_area.viewport())

        self.back_button = button()
        self.back_button.clicked.connect(self.back_clicked)
        self.sign_button = button(role="primary")
        self.sign_button.clicked.connect(self.sign_requested)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(bottom_bar(self.back_button, self.languages, self.sign_button, stretch_at=1))
        self.retranslate()

    def retranslate(self) -> None:
        self.back_button.setText(messages.text(signer_text.BACK_TO_LETTER))
        self.sign_button.setText(messages.text(signer_text.SIGN))
        self.sign_button.setAccessibleName(messages.text(signer_text.SIGN_ACCESSIBLE))
        self.subheading.setText(messages.text(signer_text.FORM_SUBHEADING))
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
        self.heading.setText(messages.text(signer_text.FORM_HEADING, title=shown.texts.title))
        empty(self.form_layout)
        form = shown.campaign.manifest.form
        m = self.fontMetrics().height()
        self.form_layout.setContentsMargins(0, m // 2, 0, 0)
        self.form_layout.setSpacing(m // 3)
        self.fields.build(self.form_layout, form, shown.locale, line=m, row_spacing=m // 4, name_hint=True)
        self.pad = None
        if form.handwriting != "off":
            self._handwriting(form)
        self.form_layout.addSpacing(m // 2)
        original = shown.consent_original
        caption = messages.text(signer_text.IN_ENGLISH)
        self.consent = ConsentRow(shown.consent_processing,
                                  original.consent_processing if original else None, caption)
        self.errors["consent_processing"] = self.consent.error
        self.form_layout.addWidget(self.consent)
        self.updates = None
        if form.ask_updates and shown.consent_updates:
            self.updates = ConsentRow(shown.consent_updates,
                                      original.consent_updates if original else None, caption)
            self.form_layout.addWidget(self.updates)
        self.partners = partner_opt_ins(shown)
        if self.partners is not None:
            self.form_layout.addWidget(self.partners)
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
        out = self.fields.values()
        if self.pad is not None:
            out["signature_svg"] = self.pad.path_data()
        return out

    def _restore(self, values: dict[str, str | None]) -> None:
        self.fields.set_values(values)
        if self.pad is not None and values.get("signature_svg"):
            self.pad.set_path_data(values["signature_svg"])

    def _chain_return_keys(self) -> None:
        lines = [e for e in self.editors.values() if isinstance(e, QLineEdit)]
        for current, following in zip(lines, lines[1:] + [None], strict=True):
            if following is None:
                current.returnPressed.connect(self.sign_requested)
            else:
                current.returnPressed.connect(following.setFocus)

    # -- state ----------------------------------------------------------------------------------

    def draft(self) -> SignatureDraft:
        return SignatureDraft(
            fields=self._values(),
            consent_processing=bool(self.consent and self.consent.box.isChecked()),
            consent_updates=self.updates.box.isChecked() if self.updates else None,
            partners=self.partners.chosen() if self.partners else frozenset(),
        )

    def show_errors(self, errors: list[FieldError]) -> None:
        self.clear_errors()
        first: QWidget | None = None
        for err in errors:
            if err.field == "signature_svg" and err.key == "required":
                text = self.tr("Please sign in the box above: this petition asks for your signature.")
            else:
                text = messages.validation_message(err.key)
            target = self.fields.show_error(err.field, text)
            if target is None:  # a problem with a field the form does not show: say it at the top
                self.show_banner(messages.validation_message(err.key))
                continue
            editor = self.editors.get(err.field)
            widget: QWidget = editor if editor is not None else (
                self.consent.box if self.consent and err.field == "consent_processing" else target)
            first = first or widget
        if first is not None:
            first.setFocus()
            self.scroll_area.ensureWidgetVisible(first)

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()
        self.scroll_area.ensureWidgetVisible(self.banner)

    def clear_errors(self) -> None:
        self.banner.hide()
        self.fields.clear_errors()

    def clear(self) -> None:
        """Forget everything the last signer entered: text, undo history, choices, messages."""
        self.fields.clear()
        for row in (self.consent, self.updates):
            if row is not None:
                row.box.setChecked(False)
        if self.partners is not None:
            self.partners.clear()
        if self.pad is not None:
            self.pad.clear()  # strokes kept nowhere else, nothing to undo
        self.clear_errors()
        self.scroll_area.verticalScrollBar().setValue(0)

    def focus_first_field(self) -> None:
        if self.editors:
            next(iter(self.editors.values())).setFocus()
