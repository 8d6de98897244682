"""Small layout helpers that let the overview fit a 1024x600 screen in every language: a one-line
label that elides what does not fit (the whole text in its tooltip), and a row of labels that stands
them side by side when they fit and stacks them when they do not."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QLabel, QSizePolicy, QWidget

from desktop.widgets import styled


class ElidedLabel(QLabel):
    """One line, never wider than it is given: text that is too long ends in "…", and the tooltip
    holds all of it. ``full_text()`` is what was set."""

    def __init__(self, role: str | None = None) -> None:
        super().__init__()
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        if role:
            styled(self, role)
        self._full = ""

    def set_full_text(self, text: str) -> None:
        self._full = text
        self._elide()

    def full_text(self) -> str:
        return self._full

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(self.fontMetrics().horizontalAdvance(self._full) + 2, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(self.fontMetrics().height() * 3, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, max(0, self.width()))
        if shown != self.text():
            self.setText(shown)
        self.setToolTip(self._full if shown != self._full else "")


class AdaptiveRow(QWidget):
    """Labels side by side, each as wide as its text, when they all fit on one line; otherwise one
    under the other, each wrapping if it must."""

    def __init__(self, *labels: QLabel, spacing: int = 0) -> None:
        super().__init__()
        self.labels = labels
        self.spacing = spacing
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(spacing)
        for lbl in labels:
            lbl.setWordWrap(True)
            self.box.addWidget(lbl, 1)

    def arrange(self) -> None:
        """Call after changing a label's text."""
        shown = [lbl for lbl in self.labels if not lbl.isHidden()]
        widths = [lbl.fontMetrics().horizontalAdvance(lbl.text()) + 4 for lbl in shown]
        fits = sum(widths) + self.spacing * (len(shown) - 1) <= self.width()
        for lbl in self.labels:  # side by side, each gets room in proportion to its text
            self.box.setStretch(self.box.indexOf(lbl),
                                max(1, lbl.fontMetrics().horizontalAdvance(lbl.text())) if fits else 1)
        direction = QBoxLayout.Direction.LeftToRight if fits else QBoxLayout.Direction.TopToBottom
        if self.box.direction() != direction:
            self.box.setDirection(direction)
            self.box.setSpacing(self.spacing if fits else self.spacing // 6)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self.arrange()
