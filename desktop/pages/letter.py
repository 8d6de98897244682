"""The letter page: title, intro, the letter, its demands, the co-signers, and the Sign button."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTextBrowser, QVBoxLayout, QWidget

from desktop.letter_cache import CachedLetter
from desktop.widgets import AdaptiveBar, LanguageBar, button, enable_finger_scrolling, label

if TYPE_CHECKING:
    from db.crowd.invite import Invite
    from desktop.crowd.codes import CrowdCodes

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
# Arabic fonts are tall already (Noto Sans Arabic's ascent and descent): extra leading on top of
# them spreads the lines too far apart to read as paragraphs.
RTL_CSS = DOCUMENT_CSS.replace("line-height: 140%", "line-height: 105%")


class LetterBrowser(QTextBrowser):
    """The letter's text, able to say when it has first been painted (start-up's end, desktop/app.py).

    Told by its own paint handler rather than an event filter on its viewport: asking for the
    viewport (a widget made by Qt, not by Python) before the first paint would make PySide load every
    widget class it has to find the viewport's, and a filter sees every event. Both cost start-up time."""

    def __init__(self) -> None:
        super().__init__()
        self._after_paint: Callable[[], None] | None = None

    def call_after_first_paint(self, then: Callable[[], None]) -> None:
        self._after_paint = then

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        super().paintEvent(event)
        if self._after_paint is not None:
            then, self._after_paint = self._after_paint, None
            QTimer.singleShot(0, then)



class LetterPage(QWidget):
    sign_clicked = Signal()
    change_campaign_clicked = Signal()
    coordinator_clicked = Signal()

    def __init__(self, languages: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self._html = ""
        self.languages = LanguageBar(languages, compact=True)
        self.browser = LetterBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.document().setDefaultStyleSheet(DOCUMENT_CSS)
        m = self.fontMetrics().height()
        self.browser.document().setDocumentMargin(m * 1.5)
        self.browser.setAccessibleName(self.tr("Petition letter"))

        self.count_label = label(role="count")
        self.change_button = button(role=None)
        self.change_button.clicked.connect(self.change_campaign_clicked)
        self.sign_button = button(role="primary")
        self.sign_button.clicked.connect(self.sign_clicked)
        # Outside kiosk mode the coordinator's panel has a visible way in (the PIN still guards it).
        self.coordinator_button = button(role="quiet")
        self.coordinator_button.clicked.connect(self.coordinator_clicked)

        # Beside the letter, when the campaign has a link: a QR code to read or sign on one's phone.
        # Built only then (desktop/qr.py loads the qrcode package), after start-up.
        self.phone: QWidget | None = None
        self.phone_caption: QLabel | None = None
        self._phone_kind = ""
        # While crowd mode is on: its two codes beside the letter, in the campaign link's place (set_invite).
        self.crowd: CrowdCodes | None = None
        self.body = QHBoxLayout()
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(0)
        self.body.addWidget(self.browser, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(self.body, 1)
        self.bar = AdaptiveBar(self.count_label, [self.coordinator_button, self.change_button, self.languages],
                               self.sign_button)
        layout.addWidget(self.bar)
        self.retranslate()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        """Keep lines short enough to read on wide screens: a centred column of about 45 em."""
        self._fit_codes()
        self._fit_column(event.size().width())
        super().resizeEvent(event)

    def _fit_codes(self) -> None:
        """Crowd mode's codes as large as the page's height allows, between 6.5 and 9 lines."""
        if self.crowd is not None and not self.crowd.isHidden():
            m = self.fontMetrics().height()
            room = self.height() - self.bar.sizeHint().height()
            self.crowd.set_code_side(int(min(m * 9, max(m * 6.5, room * 0.3))))

    def _fit_column(self, width: int) -> None:
        if self.phone is not None and not self.phone.isHidden():
            width -= self.phone.width()
        if self.crowd is not None and not self.crowd.isHidden():
            width -= self.crowd.sizeHint().width()
        column = self.fontMetrics().averageCharWidth() * READING_COLUMN_CHARS
        side = max(0, (width - column) // 2)
        self.browser.setViewportMargins(side, 0, side, 0)

    def retranslate(self) -> None:
        self.change_button.setText(self.tr("Other petitions"))
        # Named, not a bare gear: volunteers at 1024 pixels had to guess what the gear was. The bar
        # puts the secondary buttons on a row of their own where one row is too narrow, and that row
        # holds the name on an 800-pixel tablet in every language.
        self.coordinator_button.setText(self.tr("Coordinator"))
        self.coordinator_button.setAccessibleName(self.tr("Coordinator"))
        self.sign_button.setText(self.tr("Sign the letter"))
        self.sign_button.setAccessibleName(self.tr("Sign the letter"))
        self._caption_phone()
        if self.crowd is not None:
            self.crowd.retranslate()
        self.bar.rearrange()  # other words, other widths

    def show_letter(self, letter: CachedLetter, *, can_change: bool, kiosk: bool = False) -> None:
        self.coordinator_button.setVisible(not kiosk)
        self.change_button.setVisible(can_change)
        self.bar.rearrange()
        if letter.html != self._html:  # laying out the long document again costs a visible moment
            self._html = letter.html
            self.browser.document().setDefaultStyleSheet(RTL_CSS if letter.rtl else DOCUMENT_CSS)
            self.browser.setHtml(letter.html)

    def set_invite(self, invite: Invite | None) -> None:
        """Crowd mode's two codes beside the letter while it is on (``invite``); the campaign link's code
        gives them its place meanwhile (three codes side by side would be too many to choose from)."""
        if invite is None:
            if self.crowd is not None and not self.crowd.isHidden():
                self.crowd.set_invite(None)
                self.crowd.hide()
                if self.phone is not None and self._phone_kind:
                    self.phone.show()
                self._fit_column(self.width())
            return
        if self.crowd is None:
            # here, not at the top: the first paint goes without Qt's namespace and the qrcode package
            from PySide6.QtCore import Qt

            from desktop.crowd.codes import CrowdCodes

            m = self.fontMetrics().height()
            self.crowd = CrowdCodes(side_lines=6.5)
            self.body.addSpacing(m // 2)
            self.body.addWidget(self.crowd, 0, Qt.AlignmentFlag.AlignTop)
            self.body.addSpacing(m // 2)
        self.crowd.set_invite(invite)
        self.crowd.show()
        if self.phone is not None:
            self.phone.hide()
        self._fit_codes()
        self._fit_column(self.width())

    def show_links(self, full_letter: str | None, online_petition: str | None) -> None:
        """The QR code beside the letter: the online petition when there is one (sign on your phone),
        otherwise the full letter (read it on your phone); none without either link."""
        from PySide6.QtCore import Qt  # not at the top: the first paint does without Qt's namespace

        url = online_petition or full_letter
        if not url:
            self._phone_kind = ""
            if self.phone is not None and not self.phone.isHidden():
                self.phone.hide()
                self._fit_column(self.width())
            return
        if self.phone is None:
            self._build_phone()
        assert self.phone is not None
        self._phone_kind = "sign" if online_petition else "read"
        self.phone_code.set_text(url)
        self.phone_code.setAccessibleName(url)
        address = url.split("://", 1)[-1]
        self.phone_url.setText(self.phone_url.fontMetrics().elidedText(
            address, Qt.TextElideMode.ElideMiddle, self.phone.width() - self.fontMetrics().height()))
        self._caption_phone()
        self.phone.setVisible(self.crowd is None or self.crowd.isHidden())
        self._fit_column(self.width())

    def _caption_phone(self) -> None:
        if self.phone_caption is not None:
            self.phone_caption.setText(self.tr("Sign on your phone") if self._phone_kind == "sign"
                                       else self.tr("Read the full letter on your phone"))

    def _build_phone(self) -> None:
        # here, not at the top: the first paint goes without it
        from PySide6.QtCore import Qt

        from desktop.qr import QrCode

        m = self.fontMetrics().height()
        self.phone = QWidget()
        self.phone.setObjectName("Page")
        self.phone.setFixedWidth(m * 10)
        column = QVBoxLayout(self.phone)
        column.setContentsMargins(m // 2, m, m // 2, m)
        column.setSpacing(m // 3)
        self.phone_caption = label(role="field-label")
        self.phone_caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.phone_code = QrCode()
        self.phone_code.set_side(m * 8)
        self.phone_url = label(role="muted", wrap=False)
        self.phone_url.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.phone_url.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.phone_url.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # an address reads left to right
        column.addWidget(self.phone_caption)
        column.addWidget(self.phone_code, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.phone_url)
        column.addStretch(1)
        self.body.addWidget(self.phone)

    def show_count(self, count: int) -> None:
        self.count_label.setText(self.tr("%Ln signature(s) on this device", "", count))

    def enable_touch(self) -> None:
        """Kinetic one-finger scrolling. Set up just after the first paint: the gesture machinery
        costs a visible moment on its first use."""
        enable_finger_scrolling(self.browser.viewport(), mouse_drags=True)

    def scroll_to_top(self) -> None:
        self.browser.verticalScrollBar().setValue(0)
