"""Signatures per hour of today, one stacked bar per hour, one colour per campaign, painted with
QPainter (QtCharts is not part of PySide6 Essentials). Sizes follow the font."""

from __future__ import annotations

from PySide6.QtCore import QLocale, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

COLOURS = ("#0a5c44", "#c07a1a", "#3b5b9a", "#8a3b62", "#5c574e")


class HourChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hours: dict[str, list[int]] = {}
        self.titles: dict[str, str] = {}
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(self.fontMetrics().height() * 6)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        m = self.fontMetrics().height()
        return QSize(m * 30, m * 8)

    def show_hours(self, hours: dict[str, list[int]], titles: dict[str, str]) -> None:
        self.hours = {slug: counts for slug, counts in hours.items() if any(counts)}
        self.titles = titles
        self.update()

    def colour(self, slug: str) -> QColor:
        order = sorted(self.titles) or sorted(self.hours)
        return QColor(COLOURS[order.index(slug) % len(COLOURS)] if slug in order else COLOURS[-1])

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = self.fontMetrics()
        m = fm.height()
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        totals = [sum(counts[h] for counts in self.hours.values()) for h in range(24)]
        peak = max(totals) if totals else 0
        left, right = fm.horizontalAdvance("00000") + m // 2, m // 2
        top, bottom = m // 2, m * 3 // 2 + m
        plot = QRectF(left, top, max(1, self.width() - left - right), max(1, self.height() - top - bottom))
        painter.setPen(QColor("#d8d3c8"))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.setPen(QColor("#4a4a4a"))
        if peak == 0:
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, self.tr("No signatures yet today"))
        else:
            painter.drawText(QRectF(0, plot.top() - m / 2, left - m / 4, m), Qt.AlignmentFlag.AlignRight
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
                painter.fillRect(QRectF(x, y - height, bar, height), self.colour(slug))
                y -= height
            if hour % 3 == 0:
                painter.setPen(QColor("#4a4a4a"))
                painter.drawText(QRectF(plot.left() + position * slot - slot, plot.bottom() + 2, slot * 3, m),
                                 Qt.AlignmentFlag.AlignCenter, QLocale().toString(hour))
        # Legend along the bottom.
        x = plot.left()
        y = plot.bottom() + m * 1.3
        for slug in sorted(self.hours):
            name = self.titles.get(slug, slug)
            painter.fillRect(QRectF(x, y + m * 0.2, m * 0.6, m * 0.6), self.colour(slug))
            painter.setPen(QColor("#1a1a1a"))
            width = fm.horizontalAdvance(name)
            painter.drawText(QRectF(x + m * 0.8, y, width + 2, m), Qt.AlignmentFlag.AlignVCenter, name)
            x += m * 1.6 + width
        painter.end()
