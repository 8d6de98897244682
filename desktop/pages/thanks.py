"""Shown only after the signature's commit returned: it is on disk. Returns home by itself (the
attract screen in kiosk mode, the letter otherwise)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

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

        layout = QVBoxLayout(self)
        m = self.fontMetrics().height()
        layout.setContentsMargins(m * 2, m, m * 2, m)
        layout.setSpacing(m // 2)
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.languages)
        layout.addLayout(top)
        layout.addStretch(2)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addWidget(self.count)
        layout.addStretch(1)
        layout.addWidget(self.done_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.countdown)
        layout.addStretch(2)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Thank you for signing!"))
        self.body.setText(self.tr("Your signature has been saved on this device."))
        self.done_button.setText(self.tr("Done"))
        self._show_left()

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
