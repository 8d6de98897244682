"""The panel's overview: today's figures, the active event, signatures per hour, the last sync and the
device clock, and the way to the volunteers' entry screens.

Its figures are the one read that grows with the number of signatures (~25 ms with 200,000: counting
by state walks an index), so they are read in the task pool and the panel opens, and follows a sync,
without the GUI thread waiting on them (bench/bench_panel_open.py). At most one read is in flight;
asking again meanwhile reads once more when it returns, so the figures shown are never older than the
last request.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QVBoxLayout

from db import panel as queries
from desktop.panel.chart import ChartLegend, HourChart
from desktop.panel.layout import AdaptiveRow, ElidedLabel
from desktop.panel.section import Section, number, short_date, when
from desktop.panel.words import outcome_words, warning_words
from desktop.tasks import run_in_background
from desktop.widgets import button, label, restyle, styled

log = logging.getLogger(__name__)


class Tile(QFrame):
    """A big number with its caption beside it (one line where it fits: the overview must fit a
    1024x600 screen without scrolling, in Arabic too)."""

    def __init__(self) -> None:
        super().__init__()
        styled(self, "tile")
        row = QHBoxLayout(self)
        m = self.fontMetrics().height()
        row.setContentsMargins(m * 2 // 3, m // 6, m * 2 // 3, m // 6)
        row.setSpacing(m // 2)
        self.number = label(role="tile-number", wrap=False)
        self.caption = label(role="muted")
        row.addWidget(self.number, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.caption, 1, Qt.AlignmentFlag.AlignVCenter)

    def show_value(self, value: int, caption: str, *, alert: bool = False) -> None:
        self.number.setText(number(value))
        self.caption.setText(caption)
        if self.property("alert") != alert:
            self.setProperty("alert", alert)
            restyle(self)


class OverviewSection(Section):
    name = "overview"
    shown = Signal()  # figures read after the last request are on screen (tests wait on it)
    assisted_requested = Signal()  # a volunteer types for people in a queue (desktop/pages/assisted.py)
    paper_requested = Signal()  # signed paper sheets typed in (desktop/pages/paper.py)

    def build(self) -> None:
        self._reading = False  # a read of the figures is in the task pool
        self._again = False  # and another was asked for meanwhile
        column = self.column
        m = self.fontMetrics().height()
        # Tight enough that a 1024x600 tablet shows it all in Arabic, whose lines are the tallest, with
        # the sync and clock lines one under the other (tests/desktop/test_panel_layout.py).
        column.setContentsMargins(m, m // 3, m, m // 3)
        column.setSpacing(m // 4)
        self.tiles = {name: Tile() for name in ("today", "event", "waiting", "sent", "attention", "set_aside")}
        grid = QGridLayout()
        grid.setSpacing(m // 3)
        for i, tile in enumerate(self.tiles.values()):
            grid.addWidget(tile, i // 3, i % 3)
            grid.setColumnStretch(i % 3, 1)
        self.event_line = ElidedLabel(role="field-label")  # an event's name and place may be long
        self.chart_title = label(role="field-label")
        self.chart = HourChart()
        self.legend = ChartLegend()  # per campaign: today, at this event, the server's count
        self.sync_line = label()
        self.clock_line = label()
        self.warnings_line = label(role="warning")  # e.g. a PIN shorter than a new one may be
        self.warnings_line.hide()
        # The volunteers' entry screens, behind the same PIN (they show the last signers' names).
        self.assisted_button = button(role="panel-primary")
        self.assisted_button.clicked.connect(self.assisted_requested)
        self.paper_button = button()
        self.paper_button.clicked.connect(self.paper_requested)
        entry = QHBoxLayout()
        entry.setSpacing(m // 2)
        entry.addWidget(self.assisted_button)
        entry.addWidget(self.paper_button)
        entry.addStretch(1)
        chart = QVBoxLayout()
        chart.setSpacing(0)
        chart.addWidget(self.chart_title)
        chart.addWidget(self.chart, 1)
        self.status = AdaptiveRow(self.sync_line, self.clock_line, spacing=m)
        column.addLayout(entry)
        column.addWidget(self.warnings_line)
        column.addWidget(self.event_line)
        column.addLayout(grid)
        column.addLayout(chart, 1)
        column.addWidget(self.legend)
        column.addWidget(self.status)

    def title(self) -> str:
        return self.tr("Overview")

    def retranslate(self) -> None:
        self.chart_title.setText(self.tr("Signatures per hour, today"))
        self.assisted_button.setText(self.tr("Type for people in a queue"))
        self.paper_button.setText(self.tr("Type in paper sheets"))

    def fill(self) -> None:
        engine, data_dir = self.ctx.engine, self.ctx.data_dir

        def read() -> queries.OverviewSnapshot:
            return queries.load_overview(engine=engine, data_dir=data_dir)

        if not self.window().isVisible():  # nobody is waiting (a screenshot being made): read now
            self.show_snapshot(read())
            return
        if self._reading:
            self._again = True
            return
        self._reading = True
        run_in_background(read, self._read, self._failed, owner=self)

    def _read(self, snapshot: queries.OverviewSnapshot) -> None:
        self._reading = False
        if self._again:
            self._again = False
            self.fill()
        self.show_snapshot(snapshot)

    def _failed(self, exc: Exception) -> None:
        self._reading = False
        log.warning("could not read the overview's figures: %s", type(exc).__name__)
        if self._again:
            self._again = False
            self.fill()

    def show_snapshot(self, snapshot: queries.OverviewSnapshot) -> None:
        data, event = snapshot.overview, snapshot.event
        states = data.states
        titles = self.titles()
        self.data = data
        self.tiles["today"].show_value(sum(data.today.values()), self.tr("signed today"))
        self.tiles["event"].show_value(sum(data.event.values()), self.tr("at this event"))
        self.tiles["waiting"].show_value(states["pending"] + states["sending"], self.tr("waiting to be sent"))
        self.tiles["sent"].show_value(states["acked"], self.tr("sent to the server"))
        self.tiles["attention"].show_value(states["needs_attention"], self.tr("need attention"),
                                           alert=states["needs_attention"] > 0)
        self.tiles["set_aside"].show_value(states["set_aside"], self.tr("set aside"))
        if event is None:
            self.event_line.set_full_text(self.tr("No active event. Choose one under Events."))
        else:
            place = f", {event.place}" if event.place else ""
            self.event_line.set_full_text(self.tr("Active event: %1").replace(
                "%1", f"{event.name}{place}, {short_date(event.date)}"))
        lines = []
        for slug in sorted(set(data.today) | set(data.event) | set(data.server_totals)):
            line = self.tr("%1: %2 today, %3 at this event").replace("%1", titles.get(slug, slug)).replace(
                "%2", number(data.today.get(slug, 0))).replace("%3", number(data.event.get(slug, 0)))
            if slug in data.server_totals:
                line += " · " + self.tr("the server counts %1").replace("%1", number(data.server_totals[slug][0]))
            lines.append((slug, line))
        self.chart.show_hours(data.hours, list(titles))
        self.legend.show_lines(lines, list(titles))
        run = data.last_run
        if run is None:
            self.sync_line.setText(self.tr("Last sync: never"))
        else:
            self.sync_line.setText(self.tr("Last sync: %1, %2, %3 sent").replace("%1", when(run["finished_at"]))
                                   .replace("%2", outcome_words(run["outcome"])).replace("%3", number(run["sent"])))
        self._show_clock(snapshot.clock_offset_s)
        self.warnings_line.setText("\n".join(warning_words(key) for key in snapshot.warnings))
        self.warnings_line.setVisible(bool(snapshot.warnings))
        self.status.arrange()
        self.shown.emit()

    def _show_clock(self, offset_s: float | None) -> None:
        warn = False
        if offset_s is None:
            self.clock_line.setText(self.tr("Device clock: not checked by the server yet"))
        else:
            seconds = round(offset_s)
            if abs(seconds) < 2:
                text = self.tr("Device clock: right (as the server saw it at the last sync)")
            elif seconds > 0:
                text = self.tr("Device clock: %Ln second(s) behind the server", "", seconds)
            else:
                text = self.tr("Device clock: %Ln second(s) ahead of the server", "", -seconds)
            self.clock_line.setText(text)
            warn = abs(seconds) > 120
        if self.clock_line.property("role") != ("error" if warn else ""):
            styled(self.clock_line, "error" if warn else "")
            restyle(self.clock_line)
