"""Signatures per hour of today, one stacked bar per hour, one colour per campaign, painted with
QPainter (QtCharts is not part of PySide6 Essentials), and its legend: one row per campaign with its
colour and its figures. Sizes follow the font."""

from __future__ import annotations

from PySide6.QtCore import QLocale, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QWidget

from desktop.widgets import label

COLOURS = ("#0a5c44", "#c07a1a", "#3b5b9a", "#8a3b62", "#5c574e")


def colour(slug: str, slugs: list[str]) -> QColor:
    """The campaign's colour: the same in the chart and its legend, whatever the order shown."""
    order = sorted(slugs)
    return QColor(COLOURS[order.index(slug) % len(COLOURS)] if slug in order else COLOURS[-1])


class HourChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hours: dict[str, list[int]] = {}
        self.slugs: list[str] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(self.fontMetrics().height() * 4)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        # Only its minimum height: a scroll area sizes a page of wrapping labels to its preferred
        # height, and the chart takes whatever room is left anyway (a stretch factor).
        m = self.fontMetrics().height()
        return QSize(m * 30, m * 4)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        m = self.fontMetrics().height()
        return QSize(m * 12, m * 4)

    def show_hours(self, hours: dict[str, list[int]], slugs: list[str]) -> None:
        self.hours = {slug: counts for slug, counts in hours.items() if any(counts)}
        self.slugs = sorted(set(slugs) | set(self.hours))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = self.fontMetrics()
        m = fm.height()
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        totals = [sum(counts[h] for counts in self.hours.values()) for h in range(24)]
        peak = max(totals) if totals else 0
        axis = fm.horizontalAdvance(QLocale().toString(max(peak, 10000))) + m // 2  # room for the peak's label
        left, right = (m // 2, axis) if rtl else (axis, m // 2)
        top, bottom = m // 2, m + m // 4
        plot = QRectF(left, top, max(1, self.width() - left - right), max(1, self.height() - top - bottom))
        painter.setPen(QColor("#d8d3c8"))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.setPen(QColor("#4a4a4a"))
        if peak == 0:
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, self.tr("No signatures yet today"))
        else:  # the peak's value beside the top of the plot, on the side the hours start from
            where = QRectF(plot.right() + m / 4, plot.top() - m / 2, axis - m / 4, m) if rtl else \
                QRectF(0, plot.top() - m / 2, axis - m / 4, m)
            painter.drawText(where, (Qt.AlignmentFlag.AlignLeft if rtl else Qt.AlignmentFlag.AlignRight)
                             | Qt.AlignmentFlag.AlignVCenter, QLocale().toString(peak))
        slot = plot.width() / 24
        bar = max(2.0, slot * 0.7)
        for hour in range(24):
            position = 23 - hour if rtl else hour
            x = plot.left() + position * slot + (slot - bar) / 2
            y = plot.bottom()
            for slug in sorted(self.hours):
                n = self.hours[slug][hour]
                if n <= 0 or peak == 0:
                    continue
                height = plot.height() * n / peak
                painter.fillRect(QRectF(x, y - height, bar, height), colour(slug, self.slugs))
                y -= height
            if hour % 3 == 0:
                painter.setPen(QColor("#4a4a4a"))
                painter.drawText(QRectF(plot.left() + position * slot - slot, plot.bottom() + 2, slot * 3, m),
                                 Qt.AlignmentFlag.AlignCenter, QLocale().toString(hour))
        painter.end()


class Swatch(QWidget):
    """A campaign's colour, a square as tall as a line of text."""

    def __init__(self) -> None:
        super().__init__()
        self.colour = QColor(COLOURS[-1])
        side = self.fontMetrics().height() * 2 // 3
        self.setFixedSize(side, side)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.colour)
        painter.end()


class ChartLegend(QWidget):
    """Under the chart: per campaign its colour and a line of figures (which may wrap)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        m = self.fontMetrics().height()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(m // 2)
        self.grid.setVerticalSpacing(m // 6)
        self.grid.setColumnStretch(1, 1)
        self.rows: list[tuple[Swatch, QLabel]] = []

    def show_lines(self, lines: list[tuple[str, str]], slugs: list[str]) -> None:
        """``lines``: (campaign slug, text) in the order to show."""
        while len(self.rows) < len(lines):
            swatch, text = Swatch(), label()
            self.grid.addWidget(swatch, len(self.rows), 0, Qt.AlignmentFlag.AlignVCenter)
            self.grid.addWidget(text, len(self.rows), 1)
            self.rows.append((swatch, text))
        for i, (swatch, text) in enumerate(self.rows):
            shown = i < len(lines)
            swatch.setVisible(shown)
            text.setVisible(shown)
            if shown:
                swatch.colour = colour(lines[i][0], slugs)
                swatch.update()
                text.setText(lines[i][1])
        self.setVisible(bool(lines))

    def texts(self) -> list[str]:
        return [text.text() for swatch, text in self.rows if not text.isHidden()]
