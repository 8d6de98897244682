"""Shown only after the signature's commit returned: it is on disk. Returns home by itself (the
attract screen in kiosk mode, the letter otherwise).

When the campaign has a receipt link (``[links] receipt``, a URL with ``{id}``), a QR code of this
signature's receipt is shown: the signer scans it to confirm or withdraw the signature later. It
names this signature only, so it goes as soon as the page does: the next person never sees it."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from db import signer_text
from desktop import messages
from desktop.qr import QrCode
from desktop.widgets import LanguageBar, button, label


class ThanksPage(QWidget):
    done = Signal()

    def __init__(self, languages: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.languages = LanguageBar(languages)
        self.seconds_total = 8
        self._left = 0
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)

        self.title = label(role="thanks")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = label(role="subtitle")
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.count = label(role="count")
        self.count.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown = label(role="muted")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.done_button = button(role="primary")
        self.done_button.clicked.connect(self.finish)
        m = self.fontMetrics().height()
        # The receipt sits beside the message, not under it: the page must fit a 600-pixel-high
        # screen in every language. An empty column of the same width on the other side keeps the
        # message centred.
        self.receipt = QWidget()
        self.receipt.setObjectName("Page")
        self.receipt.setFixedWidth(m * 13)
        self.receipt_code = QrCode()
        self.receipt_code.set_side(m * 8)
        self.receipt_caption = label(role="muted")
        self.receipt_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        receipt_column = QVBoxLayout(self.receipt)
        receipt_column.setContentsMargins(0, 0, 0, 0)
        receipt_column.setSpacing(m // 2)
        receipt_column.addWidget(self.receipt_code, 0, Qt.AlignmentFlag.AlignHCenter)
        receipt_column.addWidget(self.receipt_caption)
        self.receipt_balance = QWidget()
        self.receipt_balance.setFixedWidth(m * 13)
        self.receipt.hide()
        self.receipt_balance.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(m * 2, m, m * 2, m)
        layout.setSpacing(m // 2)
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.languages)
        layout.addLayout(top)
        column = QVBoxLayout()
        column.setSpacing(m // 2)
        column.addStretch(2)
        column.addWidget(self.title)
        column.addWidget(self.body)
        column.addWidget(self.count)
        column.addStretch(1)
        column.addWidget(self.done_button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.countdown)
        column.addStretch(2)
        middle = QHBoxLayout()
        middle.setSpacing(m)
        middle.addWidget(self.receipt_balance)
        middle.addLayout(column, 1)
        middle.addWidget(self.receipt, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(middle, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(messages.text(signer_text.THANK_YOU))
        self.body.setText(self.tr("Your signature has been saved on this device."))
        self.done_button.setText(self.tr("Done"))
        self.receipt_caption.setText(self.tr(
            "Your receipt: scan it to confirm or withdraw your signature later."))
        self.receipt_code.setAccessibleName(self.receipt_caption.text())
        self._show_left()

    def show_receipt(self, url: str | None) -> None:
        """This signature's receipt as a QR code, or none."""
        self.receipt_code.set_text(url)
        self.receipt.setVisible(bool(url))
        self.receipt_balance.setVisible(bool(url))

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt API)
        if not event.spontaneous():  # the page was left (not the window minimised): the receipt goes
            self.show_receipt(None)
        super().hideEvent(event)

    def show_count(self, count: int) -> None:
        self.count.setText(self.tr("%Ln signature(s) on this device", "", count))

    def start(self, seconds: int) -> None:
        self.seconds_total = seconds
        self._left = seconds
        self._show_left()
        self.timer.start()

    def finish(self) -> None:
        if self.timer.isActive() or self._left:
            self.timer.stop()
            self._left = 0
            self.done.emit()

    def _tick(self) -> None:
        self._left -= 1
        self._show_left()
        if self._left <= 0:
            self.finish()

    def _show_left(self) -> None:
        self.countdown.setText(self.tr("This screen closes in %Ln second(s).", "", max(self._left, 0)))
