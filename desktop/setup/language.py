"""The set-up's first step: the language the device starts in, one card per language."""

from __future__ import annotations

from collections.abc import Callable

from desktop.i18n import LANGUAGES, is_rtl
from desktop.setup.step import ChoiceCard, Host, Step
from desktop.widgets import label


class LanguageStep(Step):
    name = "language"

    def __init__(self, host: Host, choose: Callable[[str], None]) -> None:
        self.choose = choose  # the wizard's: the whole set-up changes language
        super().__init__(host)

    def build(self) -> None:
        self.intro = label(role="subtitle")
        self.column.addWidget(self.intro)
        self.cards: dict[str, ChoiceCard] = {}
        for code, name in LANGUAGES.items():
            card = ChoiceCard(name, rtl=is_rtl(code))
            card.clicked.connect(lambda c=code: self.choose(c))
            self.column.addWidget(card)
            self.cards[code] = card
        self.note = label(role="muted")
        self.column.addWidget(self.note)
        self.column.addStretch(1)

    def retranslate(self) -> None:
        self.intro.setText(self.tr(
            "Welcome. A few questions and this device is ready to collect signatures. Which language should "
            "it start in?"))
        self.note.setText(self.tr("Signers can switch between English, Arabic and German at any moment."))

    def heading(self) -> str:
        return self.tr("Set up this device")

    def shown(self) -> None:
        for code, card in self.cards.items():
            card.set_chosen(code == self.host.language.split("-")[0])
