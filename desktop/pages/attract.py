"""The kiosk's home: what a passer-by sees from two metres away.

Campaign title, one-line intro, the photo when the bundle has one, the live count (the server's last
total plus this device's unacknowledged signatures) against a goal that steps up, the language
buttons and one large Sign. In kiosk mode this is the first page painted, so it is built from the
cached letter entry and plain sqlite3 counts only: no pydantic, no SQLAlchemy here.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from desktop.letter_cache import CachedLetter
from desktop.widgets import LanguageBar, button, label


class AttractPage(QWidget):
    begin_clicked = Signal()

    def __init__(self, languages: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        m = self.fontMetrics().height()
        self.languages = LanguageBar(languages)
        self.photo = QLabel()
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.hide()
        self._photo_path = ""
        self.title = label(role="attract-title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.tagline = label(role="subtitle")
        self.tagline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.count = label(role="attract-count")
        self.count.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setFixedWidth(m * 20)
        self.goal = label(role="muted")
        self.goal.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.sign_button = button(role="attract")
        self.sign_button.clicked.connect(self.begin_clicked)
        self.hint = label(role="muted")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)

        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.languages)
        column = QVBoxLayout(self)
        column.setContentsMargins(m * 2, m, m * 2, m * 3 // 2)
        column.setSpacing(m // 2)
        column.addLayout(top)
        column.addStretch(1)
        column.addWidget(self.photo)
        column.addWidget(self.title)
        column.addWidget(self.tagline)
        column.addSpacing(m)
        column.addWidget(self.count)
        column.addWidget(self.progress, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.goal)
        column.addStretch(1)
        column.addWidget(self.sign_button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.hint)
        self._count = 0
        self._goal = 100
        self.retranslate()

    def retranslate(self) -> None:
        self.sign_button.setText(self.tr("Sign"))
        self.sign_button.setAccessibleName(self.tr("Read the letter and sign"))
        self.hint.setText(self.tr("Read the letter, then add your name. It takes about a minute."))
        self._show_numbers()

    def show_campaign(self, letter: CachedLetter, locale: str) -> None:
        self.title.setText(letter.title)
        self.tagline.setText(letter.tagline)
        self.languages.show_current(locale)
        if letter.photo != self._photo_path:
            self._photo_path = letter.photo
            pixmap = QPixmap(letter.photo) if letter.photo else QPixmap()
            if pixmap.isNull():
                self.photo.hide()
            else:
                height = self.fontMetrics().height() * 9
                ratio = self.devicePixelRatioF()
                scaled = pixmap.scaledToHeight(int(height * ratio), Qt.TransformationMode.SmoothTransformation)
                scaled.setDevicePixelRatio(ratio)
                self.photo.setPixmap(scaled)
                self.photo.show()

    def show_count(self, count: int, goal: int) -> None:
        self._count, self._goal = count, goal
        self._show_numbers()

    def _show_numbers(self) -> None:
        self.count.setText(self.tr("%Ln signature(s)", "", self._count))
        self.progress.setRange(0, self._goal)
        self.progress.setValue(min(self._count, self._goal))
        self.goal.setText(self.tr("Help us reach %1.").replace("%1", QLocale().toString(self._goal)))
