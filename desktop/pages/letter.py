"""The letter page: title, intro, the letter, its demands, the co-signers, and the Sign button."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from db.campaigns import LocalisedCampaign, Organisation, paragraphs
from desktop.widgets import bottom_bar, button, enable_finger_scrolling, label

READING_COLUMN_CHARS = 95

DOCUMENT_CSS = """
h1 { font-size: 200%; font-weight: 700; color: #10231c; margin-bottom: 0.2em; }
h2 { font-size: 140%; font-weight: 700; color: #10231c; margin-top: 1.2em; }
p { margin-top: 0.5em; margin-bottom: 0.5em; line-height: 140%; }
p.caption { color: #4a4a4a; font-style: italic; }
p.addressee { font-weight: 600; margin-top: 1em; }
ol li, ul li { margin-bottom: 0.45em; line-height: 140%; }
p.contact { color: #4a4a4a; margin-top: 1.5em; }
"""


def _paras(text: str, css_class: str | None = None) -> str:
    attr = f' class="{css_class}"' if css_class else ""
    return "".join(f"<p{attr}>{escape(p)}</p>" for p in paragraphs(text))


def _orgs(orgs: tuple[Organisation, ...]) -> str:
    items = []
    for org in orgs:
        inner = _orgs(org.members) if org.members else ""
        items.append(f"<li>{escape(org.name)}{inner}</li>")
    return "<ul>" + "".join(items) + "</ul>"


def letter_html(shown: LocalisedCampaign) -> str:
    """The letter page's document. Built from the same fields as ``letter_text`` (which is hashed)."""
    t = shown.texts
    manifest = shown.campaign.manifest
    direction = "rtl" if shown.rtl else "ltr"
    parts = [f'<div dir="{direction}">', f"<h1>{escape(t.title)}</h1>"]
    photo = shown.campaign.photo_path
    if photo is not None:
        parts.append(f'<p><img src="{QUrl.fromLocalFile(str(photo)).toString()}" width="640"></p>')
        if t.photo_caption:
            parts.append(f'<p class="caption">{escape(t.photo_caption)}</p>')
    if t.intro:
        parts.append(_paras(t.intro))
    if t.addressee:
        parts.append(f'<p class="addressee">{escape(t.addressee)}</p>')
    parts.append(_paras(t.letter))
    if t.full_letter:
        fl = t.full_letter
        parts.append(f"<h2>{escape(fl.heading)}</h2>")
        if fl.addressee:
            parts.append(f'<p class="addressee">{escape(fl.addressee)}</p>')
        parts.append(_paras(fl.body))
        if fl.demands_intro:
            parts.append(f"<p>{escape(fl.demands_intro)}</p>")
    if t.demands:
        if t.demands_heading:
            parts.append(f"<h2>{escape(t.demands_heading)}</h2>")
        parts.append("<ol>" + "".join(f"<li>{escape(d)}</li>" for d in t.demands) + "</ol>")
    if manifest.organisations:
        if t.organisations_heading:
            parts.append(f"<h2>{escape(t.organisations_heading)}</h2>")
        parts.append(_orgs(manifest.organisations))
    if t.contact:
        parts.append(f'<p class="contact">{escape(t.contact)}</p>')
    parts.append("</div>")
    return "".join(parts)


class LetterPage(QWidget):
    sign_clicked = Signal()
    change_campaign_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.document().setDefaultStyleSheet(DOCUMENT_CSS)
        m = self.fontMetrics().height()
        self.browser.document().setDocumentMargin(m * 1.5)
        self.browser.setAccessibleName(self.tr("Petition letter"))
        enable_finger_scrolling(self.browser.viewport())

        self.count_label = label(role="count")
        self.change_button = button(role=None)
        self.change_button.clicked.connect(self.change_campaign_clicked)
        self.sign_button = button(role="primary")
        self.sign_button.clicked.connect(self.sign_clicked)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.browser, 1)
        layout.addWidget(bottom_bar(self.count_label, self.change_button, self.sign_button, grow=self.count_label))
        self.retranslate()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        """Keep lines short enough to read on wide screens: a centred column of about 45 em."""
        column = self.fontMetrics().averageCharWidth() * READING_COLUMN_CHARS
        side = max(0, (event.size().width() - column) // 2)
        self.browser.setViewportMargins(side, 0, side, 0)
        super().resizeEvent(event)

    def retranslate(self) -> None:
        self.change_button.setText(self.tr("Other petitions"))
        self.sign_button.setText(self.tr("Sign the letter"))
        self.sign_button.setAccessibleName(self.tr("Sign the letter"))

    def show_campaign(self, shown: LocalisedCampaign, *, can_change: bool) -> None:
        self.browser.setHtml(letter_html(shown))
        self.change_button.setVisible(can_change)

    def show_count(self, count: int) -> None:
        self.count_label.setText(self.tr("%Ln signature(s) on this device", "", count))

    def scroll_to_top(self) -> None:
        self.browser.verticalScrollBar().setValue(0)
