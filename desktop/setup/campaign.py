"""The set-up's campaign step: a card per installed campaign, or one imported from a folder or zip file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout

from desktop import campaign_import
from desktop.setup.step import ChoiceCard, Host, Step
from desktop.widgets import button, label


class CampaignStep(Step):
    name = "campaign"

    def __init__(self, host: Host, choose: Callable[[str], None]) -> None:
        self.choose = choose  # the wizard's: the answer, then on to the next step
        super().__init__(host)

    def build(self) -> None:
        self.intro = label(role="subtitle")
        self.box = QVBoxLayout()
        self.box.setSpacing(self.fontMetrics().height() * 3 // 4)
        self.cards: dict[str, ChoiceCard] = {}
        self.import_button = button(role="quiet")
        self.import_button.clicked.connect(self.choose_import)
        self.import_message = label(role="muted")
        self.column.addWidget(self.intro)
        self.column.addLayout(self.box)
        self.column.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignLeading)
        self.column.addWidget(self.import_message)
        self.column.addStretch(1)

    def retranslate(self) -> None:
        self.intro.setText(self.tr("Which petition will this device collect signatures for?"))
        self.import_button.setText(self.tr("Import a campaign from a folder or a zip file…"))
        self.show_cards()

    def heading(self) -> str:
        return self.tr("Campaign")

    def ready(self) -> bool:
        return bool(self.host.campaign) and self.host.campaign in self.ctx.bundle_dirs

    def show_cards(self) -> None:
        """A card per installed campaign, in the set-up's language (again after a switch or an import)."""
        for card in self.cards.values():
            card.hide()
            card.setParent(None)
            card.deleteLater()
        self.cards.clear()
        for slug, campaign in self.ctx.campaigns.items():
            shown = campaign.localised(self.host.language)
            card = ChoiceCard(shown.texts.title, shown.texts.tagline or "", rtl=shown.rtl)
            card.set_chosen(slug == self.host.campaign)
            card.clicked.connect(lambda s=slug: self.choose(s))
            self.box.addWidget(card)
            self.cards[slug] = card

    def mark_chosen(self) -> None:
        for slug, card in self.cards.items():
            card.set_chosen(slug == self.host.campaign)

    def choose_import(self) -> None:
        path = campaign_import.choose_bundle(self)
        if path is not None:
            self.import_campaign(path)

    def import_campaign(self, path: Path) -> None:
        """Check and install the bundle at ``path`` (off the GUI thread), then offer it as the choice."""
        self.host.set_busy(True)
        self.import_message.setText(campaign_import.checking_words())
        campaign_import.start_import(self.ctx, path, self._imported, self._import_failed, owner=self)

    def _imported(self, campaign: Any, new: bool) -> None:
        self.host.set_busy(False)
        self.host.campaign = campaign.slug
        self.show_cards()
        title = campaign.localised(self.host.language).texts.title
        self.import_message.setText(
            (self.tr("Imported: %1.") if new else self.tr("Already imported: %1.")).replace("%1", title))
        self.host.update_next()

    def _import_failed(self, words: str) -> None:
        self.host.set_busy(False)
        self.import_message.setText(words)

    def set_busy(self, busy: bool) -> None:
        self.import_button.setEnabled(not busy)
        for card in self.cards.values():
            card.setEnabled(not busy)
