"""The kiosk's home: what a passer-by sees from two metres away.

Campaign title, one-line intro, the photo when the bundle has one, the live count (the server's last
total plus this device's unacknowledged signatures) against a goal that steps up, the language
buttons and one large Sign. In kiosk mode this is the first page painted, so it is built from the
cached letter entry and plain sqlite3 counts only: no pydantic, no SQLAlchemy here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QRect, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QSizePolicy, QSpacerItem, QVBoxLayout, QWidget

from desktop.letter_cache import CachedLetter
from desktop.widgets import LanguageBar, button, label

if TYPE_CHECKING:
    from db.crowd.invite import Invite
    from desktop.crowd.codes import CrowdCodes


class Photo(QWidget):
    """The campaign's photo, nine lines high when there is room and smaller when there is not (a
    short screen, Arabic's taller lines, a larger font): it gives way before any text is cut."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.source = QPixmap()
        self._scaled = QPixmap()

    def set_pixmap(self, pixmap: QPixmap) -> None:
        self.source = pixmap
        self._scaled = QPixmap()
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        height = self.fontMetrics().height() * 9
        if self.source.isNull():
            return QSize(0, 0)
        return QSize(round(self.source.width() * height / self.source.height()), height)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(0, self.fontMetrics().height() * 3)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        if self.source.isNull():
            return
        ratio = self.devicePixelRatioF()
        target = self.source.size().scaled(self.size() * ratio, Qt.AspectRatioMode.KeepAspectRatio)
        if self._scaled.size() != target:  # drawn from the original at the device's pixels: crisp
            self._scaled = self.source.scaled(target, Qt.AspectRatioMode.KeepAspectRatio,
                                               Qt.TransformationMode.SmoothTransformation)
            self._scaled.setDevicePixelRatio(ratio)
        logical = self._scaled.size() / ratio
        area = QRect((self.width() - logical.width()) // 2, (self.height() - logical.height()) // 2,
                     logical.width(), logical.height())
        QPainter(self).drawPixmap(area, self._scaled)


class AttractPage(QWidget):
    begin_clicked = Signal()

    def __init__(self, languages: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        m = self.fontMetrics().height()
        self.languages = LanguageBar(languages)
        self.photo = Photo()
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
        # While crowd mode is on, its two QR codes stand beside the column (set_invite); built then.
        self.crowd: CrowdCodes | None = None
        self.body = QHBoxLayout(self)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(0)
        column = QVBoxLayout()
        self.body.addLayout(column, 1)
        column.setContentsMargins(m * 2, m, m * 2, m * 3 // 2)
        # Gaps that give way on a short screen (Arabic's taller lines, a larger font) before any text
        # is cut or the page pushes the window off the screen: spacers that may shrink, instead of
        # the layout's fixed spacing.
        column.setSpacing(0)

        def gap(height: int) -> None:
            column.addSpacerItem(QSpacerItem(0, height, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred))

        column.addLayout(top)
        column.addStretch(1)
        column.addWidget(self.photo)
        gap(m // 2)
        column.addWidget(self.title)
        gap(m // 2)
        column.addWidget(self.tagline)
        gap(m * 3 // 2)
        column.addWidget(self.count)
        gap(m // 2)
        column.addWidget(self.progress, 0, Qt.AlignmentFlag.AlignHCenter)
        gap(m // 2)
        column.addWidget(self.goal)
        column.addStretch(1)
        column.addSpacing(m // 2)
        column.addWidget(self.sign_button, 0, Qt.AlignmentFlag.AlignHCenter)
        gap(m // 2)
        column.addWidget(self.hint)
        self._count = 0
        self._goal = 100
        self.retranslate()

    def set_invite(self, invite: Invite | None) -> None:
        """Crowd mode's two codes beside the column while it is on (``invite``), none when it is off."""
        if invite is None:
            if self.crowd is not None:
                self.crowd.set_invite(None)
                self.crowd.hide()
            return
        if self.crowd is None:
            # here, not at the top: the first paint goes without the qrcode package
            from desktop.crowd.codes import CrowdCodes

            m = self.fontMetrics().height()
            self.crowd = CrowdCodes()
            self.body.addWidget(self.crowd, 0, Qt.AlignmentFlag.AlignVCenter)
            self.body.addSpacing(m)
        self.crowd.set_invite(invite)
        self.crowd.show()

    def retranslate(self) -> None:
        if self.crowd is not None:
            self.crowd.retranslate()
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
            self.photo.set_pixmap(pixmap)
            self.photo.setVisible(not pixmap.isNull())

    def show_count(self, count: int, goal: int) -> None:
        self._count, self._goal = count, goal
        self._show_numbers()

    def _show_numbers(self) -> None:
        self.count.setText(self.tr("%Ln signature(s)", "", self._count))
        self.progress.setRange(0, self._goal)
        self.progress.setValue(min(self._count, self._goal))
        self.goal.setText(self.tr("Help us reach %1.").replace("%1", QLocale().toString(self._goal)))
