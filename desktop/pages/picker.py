"""Choose a petition, when more than one is installed."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from db.campaigns import LocalisedCampaign
from desktop.widgets import TappableCard, enable_finger_scrolling, label


class CampaignCard(TappableCard):
    """A large tappable card: title, one-line intro, this device's count. Text wraps at any width."""

    def __init__(self, title: str, tagline: str, count: str, *, rtl: bool) -> None:
        super().__init__()
        self.setAccessibleName(title)
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
        column = QVBoxLayout(self)
        m = self.fontMetrics().height()
        column.setContentsMargins(m, m * 3 // 4, m, m * 3 // 4)
        column.setSpacing(m // 4)
        for text, role in ((title, "card-title"), (tagline, None), (count, "count")):
            part = label(text, role)
            part.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            column.addWidget(part)


class PickerPage(QWidget):
    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.title = label(role="title")
        self.cards: list[CampaignCard] = []
        self.cards_box = QVBoxLayout()
        inner = QWidget()
        inner.setObjectName("Page")
        column = QVBoxLayout(inner)
        m = self.fontMetrics().height()
        column.setContentsMargins(m * 2, m * 2, m * 2, m * 2)
        column.setSpacing(m)
        column.addWidget(self.title)
        column.addLayout(self.cards_box)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)
        enable_finger_scrolling(scroll.viewport())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Choose a petition to sign"))

    def show_campaigns(self, campaigns: list[LocalisedCampaign], counts: dict[str, int]) -> None:
        for card in self.cards:
            card.hide()
            card.setParent(None)  # gone at once, not only at the next event-loop turn
            card.deleteLater()
        self.cards.clear()
        for shown in campaigns:
            slug = shown.campaign.slug
            count = self.tr("%Ln signature(s) on this device", "", counts.get(slug, 0))
            card = CampaignCard(shown.texts.title, shown.texts.tagline, count, rtl=shown.rtl)
            card.clicked.connect(lambda s=slug: self.chosen.emit(s))
            self.cards_box.addWidget(card)
            self.cards.append(card)
