"""The coordinator's panel: one page of the main window, behind the coordinator PIN.

Sections on the side (overview, day-end sync, needs attention, events, campaigns, settings, log), each a
plain widget filled from ``db.panel`` / ``db.events`` queries. The overview's figures, the one read
that grows with the number of signatures, are read through ``desktop.tasks`` (bench/bench_panel_open.py);
the other sections' reads are short queries on the GUI thread. Enrollment, export and purge run
through ``desktop.tasks`` too, so the screen never waits on the network or on a large file. During a
sync the worker's signals (queued from its thread) update the figures live.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QLocale, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid
from sqlmodel import Session

from db import events as event_store
from db import panel as queries
from db import settings as settings_store
from db.engine import write_session
from db.sync import enrollment as enrollment_store
from db.sync import history
from desktop.i18n import LANGUAGES
from desktop.panel.chart import ChartLegend, HourChart
from desktop.panel.layout import AdaptiveRow, ElidedLabel
from desktop.panel.models import AttentionModel, AuditModel, HistoryModel, VersionsModel
from desktop.panel.words import SET_ASIDE, enrollment_words, outcome_advice, outcome_words, tr, warning_words
from desktop.tasks import run_in_background
from desktop.widgets import button, fingertip, label, styled

if TYPE_CHECKING:
    from db.sync.runner import SyncReport
    from desktop.context import AppContext
    from desktop.sync_worker import SyncWorker

log = logging.getLogger(__name__)
SECTIONS = ("overview", "sync", "attention", "events", "campaigns", "settings", "log")
LIVE_REFRESH_MS = 300  # at most this often during a sync: counting costs a few ms per refresh


def _num(n: int) -> str:
    return QLocale().toString(int(n))


def _when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return QLocale().toString(aware.astimezone().replace(tzinfo=None), QLocale.FormatType.ShortFormat)


def _table(model: Any) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return view


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
        self.number.setText(_num(value))
        self.caption.setText(caption)
        if self.property("alert") != alert:
            self.setProperty("alert", alert)
            self.style().unpolish(self)
            self.style().polish(self)


class PanelPage(QWidget):
    close_requested = Signal()
    leave_kiosk_requested = Signal()
    change_pin_requested = Signal()
    settings_changed = Signal()  # the window reloads what it keeps of the settings
    overview_shown = Signal()  # the overview shows figures read after the last request (tests wait on it)
    assisted_requested = Signal()  # a volunteer types for people in a queue (desktop/pages/assisted.py)
    paper_requested = Signal()  # signed paper sheets typed in (desktop/pages/paper.py)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        styled(self, "panel")
        self.ctx = ctx
        self.worker: SyncWorker | None = None
        self.worker_factory: Any = None  # the window's: starts the background sync if it is not running
        self.kiosk = False
        self._sync_total: int | None = None
        self._last_outcome = ""  # the last sync's (runner outcome): what to do about what still waits
        self._sync_started_at = 0.0
        self._day_end = False  # a run started with "Sync now" here: show its summary
        self._overview_reading = False  # a read of the overview's figures is in the task pool
        self._overview_again = False  # and another was asked for meanwhile
        self._live_timer = QTimer(self)
        self._live_timer.setSingleShot(True)
        self._live_timer.setInterval(LIVE_REFRESH_MS)
        self._live_timer.timeout.connect(self.refresh_live)
        m = self.fontMetrics().height()

        self.title = label(role="card-title", wrap=False)
        self.device = ElidedLabel(role="muted")  # one line: the panel's top bar stays one row high
        self.leave_button = button()
        self.leave_button.clicked.connect(self.leave_kiosk_requested)
        self.close_button = button(role="panel-primary")
        self.close_button.clicked.connect(self.close_requested)
        top = QFrame()
        styled(top, "bar")
        top_row = QHBoxLayout(top)
        top_row.setContentsMargins(m, m // 3, m, m // 3)
        top_row.addWidget(self.title)
        top_row.addWidget(self.device, 1)
        top_row.addWidget(self.leave_button)
        top_row.addWidget(self.close_button)

        self.nav = QListWidget()
        styled(self.nav, "panel-nav")
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setUniformItemSizes(True)
        for _ in SECTIONS:
            self.nav.addItem("")
            self.nav.item(self.nav.count() - 1).setSizeHint(QSize(0, max(m * 5 // 2, fingertip())))
        self.stack = QStackedWidget()
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(top)
        outer.addLayout(body, 1)
        # Top down: each section's page is in its scroll area, in the stack, before it is filled, so
        # every widget is placed once. Built bottom up, every placing restyled all the widgets below.
        self.sections: dict[str, QWidget] = {}
        for name in SECTIONS:
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            self.stack.addWidget(scroll)
            self._scroll = scroll
            self.sections[name] = getattr(self, f"_build_{name}")()
        self.nav.currentRowChanged.connect(self._show_section)
        self.retranslate()
        self.nav.setCurrentRow(0)

    # -- building -------------------------------------------------------------------------------

    def _section(self) -> tuple[QWidget, QVBoxLayout]:
        widget = QWidget()
        widget.setObjectName("Page")
        self._scroll.setWidget(widget)
        column = QVBoxLayout(widget)
        m = self.fontMetrics().height()
        column.setContentsMargins(m, m * 2 // 3, m, m * 2 // 3)
        column.setSpacing(m // 2)
        return widget, column

    def _build_overview(self) -> QWidget:
        widget, column = self._section()
        m = self.fontMetrics().height()
        column.setContentsMargins(m, m // 2, m, m // 2)
        column.setSpacing(m // 3)
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
        return widget

    def _build_sync(self) -> QWidget:
        widget, column = self._section()
        self.sync_intro = label(role="muted")
        self.sync_button = button(role="panel-primary")
        self.sync_button.clicked.connect(self.sync_now)
        self.cancel_button = button()
        self.cancel_button.clicked.connect(self.cancel_sync)
        self.cancel_button.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.sync_button)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        # Hand-off files: the signatures to the server on a USB stick when there is no network.
        self.handoff_intro = label(role="muted")
        self.handoff_button = button()
        self.handoff_button.clicked.connect(self.choose_handoff)
        self.receipt_button = button()
        self.receipt_button.clicked.connect(self.choose_receipt)
        self.handoff_message = label()
        self.handoff_message.hide()  # until there is something to say
        handoff_row = QHBoxLayout()
        handoff_row.addWidget(self.handoff_button)
        handoff_row.addWidget(self.receipt_button)
        handoff_row.addStretch(1)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress_line = label()
        self.summary = label(role="field-label")
        self.history_title = label(role="field-label")
        self.history_model = HistoryModel()
        self.history_view = _table(self.history_model)
        self.history_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        column.addWidget(self.sync_intro)
        column.addLayout(row)
        column.addWidget(self.progress)
        column.addWidget(self.progress_line)
        column.addWidget(self.summary)
        column.addWidget(self.handoff_intro)
        column.addLayout(handoff_row)
        column.addWidget(self.handoff_message)
        column.addWidget(self.history_title)
        column.addWidget(self.history_view, 1)
        return widget

    def _build_attention(self) -> QWidget:
        widget, column = self._section()
        self.attention_intro = label(role="muted")
        self.attention_model = AttentionModel()
        self.attention_view = _table(self.attention_model)
        self.attention_view.setWordWrap(True)
        self.attention_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.attention_view.horizontalHeader().setSectionResizeMode(AttentionModel.REASON, QHeaderView.ResizeMode.Stretch)
        self.retry_button = button()
        self.retry_button.clicked.connect(self.retry_selected)
        self.aside_reason = QComboBox()
        self.aside_note = QLineEdit()
        self.aside_note.setMaxLength(200)
        self.aside_button = button()
        self.aside_button.clicked.connect(self.set_aside_selected)
        self.attention_message = label(role="muted")
        row = QHBoxLayout()
        row.addWidget(self.retry_button)
        row.addStretch(1)
        aside = QHBoxLayout()
        aside.addWidget(self.aside_reason)
        aside.addWidget(self.aside_note, 1)
        aside.addWidget(self.aside_button)
        column.addWidget(self.attention_intro)
        column.addWidget(self.attention_view, 1)
        column.addLayout(row)
        column.addLayout(aside)
        column.addWidget(self.attention_message)
        return widget

    def _build_events(self) -> QWidget:
        widget, column = self._section()
        self.events_intro = label(role="muted")
        self.event_list = QListWidget()
        self.event_list.currentRowChanged.connect(self._event_picked)
        # Four rows high, whatever the screen: at 1024x600 the form and its buttons stay in view (a
        # list that grew into the free space pushed them out once the intro wrapped); a longer list
        # scrolls by itself.
        self.event_list.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.event_list.setFixedHeight(self.fontMetrics().height() * 9 // 2)
        self.event_name = QLineEdit()
        self.event_name.setMaxLength(120)
        self.event_place = QLineEdit()
        self.event_place.setMaxLength(120)
        self.event_date = QDateEdit()
        self.event_date.setCalendarPopup(True)
        self.event_date.setDate(QDate.currentDate())
        self.event_form = QFormLayout()
        self.event_form.addRow("", self.event_name)
        self.event_form.addRow("", self.event_place)
        self.event_form.addRow("", self.event_date)
        self.event_new = button(role="panel-primary")
        self.event_new.clicked.connect(self.create_event)
        self.event_save = button()
        self.event_save.clicked.connect(self.save_event)
        self.event_use = button()
        self.event_use.clicked.connect(self.use_event)
        self.event_none = button()
        self.event_none.clicked.connect(lambda: self._set_active_event(None))
        self.events_message = label(role="muted")
        # Choosing the active event sits beside the list; saving what the form holds, under the form
        # (one row of four buttons does not fit a 1024-pixel screen in German).
        choose = QVBoxLayout()
        choose.addWidget(self.event_use)
        choose.addWidget(self.event_none)
        choose.addStretch(1)
        listed = QHBoxLayout()
        listed.addWidget(self.event_list, 1)
        listed.addLayout(choose)
        save_row = QHBoxLayout()
        save_row.addWidget(self.event_new)
        save_row.addWidget(self.event_save)
        save_row.addStretch(1)
        column.addWidget(self.events_intro)
        column.addLayout(listed)
        column.addLayout(self.event_form)
        column.addLayout(save_row)
        column.addWidget(self.events_message)
        column.addStretch(1)
        self._events: list[Any] = []
        return widget

    def _build_campaigns(self) -> QWidget:
        widget, column = self._section()
        self.campaign_choice = QComboBox()
        self.language_choice = QComboBox()
        for code, name in LANGUAGES.items():
            self.language_choice.addItem(name, code)
        self.campaign_form = QFormLayout()
        self.campaign_form.addRow("", self.campaign_choice)
        self.campaign_form.addRow("", self.language_choice)
        self.campaign_save = button(role="panel-primary")
        self.campaign_save.clicked.connect(self.save_campaign)
        self.campaign_message = label(role="muted")
        self.sheets_button = button()  # the active campaign on paper, for when the battery dies (desktop/sheets.py)
        self.sheets_button.clicked.connect(self.print_sheets)
        self.import_button = button()  # a bundle from a folder or a zip file (db/bundle_import.py)
        self.import_button.clicked.connect(self.choose_import)
        self.sealing_state = label()  # how the active campaign protects its signers on this device
        self.versions_title = label(role="field-label")
        self.versions_model = VersionsModel()
        self.versions_view = _table(self.versions_model)
        self.versions_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.versions_view.horizontalHeader().setStretchLastSection(False)
        self.versions_view.horizontalHeader().setSectionResizeMode(VersionsModel.TITLE, QHeaderView.ResizeMode.Stretch)
        self.versions_view.setWordWrap(True)
        self.versions_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.versions_warning = label(role="warning")  # a version the server publishes with other texts
        self.versions_warning.hide()
        column.addLayout(self.campaign_form)
        column.addWidget(self.campaign_save, 0, Qt.AlignmentFlag.AlignLeading)
        column.addWidget(self.campaign_message)
        more = QHBoxLayout()
        more.addWidget(self.sheets_button)
        more.addWidget(self.import_button)
        more.addStretch(1)
        column.addLayout(more)
        column.addWidget(self.sealing_state)
        column.addWidget(self.versions_title)
        column.addWidget(self.versions_warning)
        column.addWidget(self.versions_view, 1)
        return widget

    def _build_settings(self) -> QWidget:
        widget, column = self._section()
        self.server_title = label(role="field-label")
        self.enrollment_state = label()
        self.server_url = QLineEdit()
        self.server_url.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # addresses read left to right
        self.enroll_code = QLineEdit()
        self.enroll_code.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.enroll_button = button(role="panel-primary")
        self.enroll_button.clicked.connect(self.enroll)
        self.enroll_message = label(role="muted")
        self.server_form = QFormLayout()
        self.server_form.addRow("", self.server_url)
        self.server_form.addRow("", self.enroll_code)

        self.device_title = label(role="field-label")
        self.device_name = QLineEdit()  # shown in exports, hand-off files and on the server
        self.device_name.setMaxLength(64)
        self.idle = QSpinBox()
        self.idle.setRange(30, 3600)
        self.retention = QSpinBox()
        self.retention.setRange(0, 3650)
        self.theme = QComboBox()
        self.theme.addItem("", "default")
        self.theme.addItem("", "outdoor")
        self.keyboard_choice = QComboBox()  # the on_screen_keyboard setting (desktop/keyboard.py)
        for mode in ("auto", "on", "off"):
            self.keyboard_choice.addItem("", mode)
        self.device_form = QFormLayout()
        self.device_form.addRow("", self.device_name)
        self.device_form.addRow("", self.idle)
        self.device_form.addRow("", self.retention)
        self.device_form.addRow("", self.theme)
        self.device_form.addRow("", self.keyboard_choice)
        self.settings_save = button(role="panel-primary")
        self.settings_save.clicked.connect(self.save_settings)
        self.pin_button = button()
        self.pin_button.clicked.connect(self.change_pin_requested)
        self.settings_message = label(role="muted")

        self.data_title = label(role="field-label")
        self.export_warning = label(role="warning")
        self.export_button = button()
        self.export_button.clicked.connect(self.choose_export)
        self.purge_button = button()
        self.purge_button.clicked.connect(self.purge_now)
        self.data_message = label(role="muted")

        row = QHBoxLayout()
        row.addWidget(self.settings_save)
        row.addWidget(self.pin_button)
        row.addStretch(1)
        data_row = QHBoxLayout()
        data_row.addWidget(self.export_button)
        data_row.addWidget(self.purge_button)
        data_row.addStretch(1)
        column.addWidget(self.server_title)
        column.addWidget(self.enrollment_state)
        column.addLayout(self.server_form)
        column.addWidget(self.enroll_button, 0, Qt.AlignmentFlag.AlignLeading)
        column.addWidget(self.enroll_message)
        column.addWidget(self.device_title)
        column.addLayout(self.device_form)
        column.addLayout(row)
        column.addWidget(self.settings_message)
        column.addWidget(self.data_title)
        column.addWidget(self.export_warning)
        column.addLayout(data_row)
        column.addWidget(self.data_message)
        column.addStretch(1)
        return widget

    def _build_log(self) -> QWidget:
        widget, column = self._section()
        self.log_intro = label(role="muted")
        self.log_model = AuditModel()
        self.log_view = _table(self.log_model)
        self.log_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        # A report for whoever helps the coordinator (db/diagnostics.py): no personal data in it.
        self.diagnostics_copy = button()
        self.diagnostics_copy.clicked.connect(self.copy_diagnostics)
        self.diagnostics_save = button()
        self.diagnostics_save.clicked.connect(self.choose_diagnostics_file)
        self.diagnostics_message = label(role="muted")
        self.diagnostics_message.hide()  # until there is something to say
        row = QHBoxLayout()
        row.addWidget(self.diagnostics_copy)
        row.addWidget(self.diagnostics_save)
        row.addStretch(1)
        column.addWidget(self.log_intro)
        column.addWidget(self.log_view, 1)
        column.addLayout(row)
        column.addWidget(self.diagnostics_message)
        return widget

    # -- words ----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(self.tr("Coordinator panel"))
        self.leave_button.setText(self.tr("Leave kiosk mode"))
        self.close_button.setText(self.tr("Back to signing"))
        names = (self.tr("Overview"), self.tr("Day-end sync"), self.tr("Needs attention"), self.tr("Events"),
                 self.tr("Campaigns"), self.tr("Settings"), self.tr("Log"))
        for i, name in enumerate(names):
            self.nav.item(i).setText(name)
        m = self.fontMetrics()
        self.nav.setFixedWidth(max(m.horizontalAdvance(n) for n in names) + m.height() * 5 // 2)  # the items' padding and a margin
        self.chart_title.setText(self.tr("Signatures per hour, today"))
        self.assisted_button.setText(self.tr("Type for people in a queue"))
        self.paper_button.setText(self.tr("Type in paper sheets"))
        self.sheets_button.setText(self.tr("Print paper sheets…"))
        self.import_button.setText(self.tr("Import a campaign…"))
        self.sync_intro.setText(self.tr(
            "Send every signature on this device to the server. Keep the device connected until it is done; "
            "you can cancel at any time and nothing is lost."))
        self.sync_button.setText(self.tr("Sync now"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.history_title.setText(self.tr("Sync history"))
        self.handoff_intro.setText(self.tr(
            "No network? Take the waiting signatures to the server in a hand-off file that only the server can "
            "open, then read its receipt here."))
        self.handoff_button.setText(self.tr("Write a hand-off file…"))
        self.receipt_button.setText(self.tr("Read a receipt…"))
        self.attention_intro.setText(self.tr(
            "Signatures the server refused, and why. Fix the cause (for example publish the campaign on the "
            "server), then send them again, or set them aside with a reason. Nothing is ever deleted."))
        self.retry_button.setText(self.tr("Send again"))
        self.aside_button.setText(self.tr("Set aside"))
        self.aside_note.setPlaceholderText(self.tr("Note (optional, no personal data)"))
        # Names for screen readers where no caption stands in front (tests/desktop/test_accessibility.py).
        for widget, name in ((self.nav, self.tr("Sections")), (self.history_view, self.tr("Sync history")),
                             (self.attention_view, self.tr("Needs attention")),
                             (self.aside_note, self.tr("Note (optional, no personal data)")),
                             (self.event_list, self.tr("Events")),
                             (self.versions_view, self.tr("Installed campaign versions")),
                             (self.log_view, self.tr("Log"))):
            widget.setAccessibleName(name)
        current = self.aside_reason.currentData()
        self.aside_reason.clear()
        for key, text in SET_ASIDE.items():
            self.aside_reason.addItem(tr(text), key)
        if current:
            self.aside_reason.setCurrentIndex(max(0, self.aside_reason.findData(current)))
        self.events_intro.setText(self.tr(
            "Every new signature records the active event: where and when it was gathered."))
        for form, labels in (
            (self.event_form, (self.tr("Name"), self.tr("Place"), self.tr("Date"))),
            (self.campaign_form, (self.tr("Active campaign"), self.tr("Default language"))),
            (self.server_form, (self.tr("Server address"), self.tr("Enrollment code or QR text"))),
            (self.device_form, (self.tr("Device name"), self.tr("Idle reset after (seconds)"),
                                self.tr("Keep personal data after sending (days)"), self.tr("Theme"),
                                self.tr("On-screen keyboard"))),
        ):
            for row, text in enumerate(labels):
                item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
                if item is None or item.widget() is None:
                    caption = label(text, wrap=False)
                    field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
                    if field is not None and field.widget() is not None:
                        caption.setBuddy(field.widget())  # the field's name for screen readers
                    form.setWidget(row, QFormLayout.ItemRole.LabelRole, caption)
                else:
                    item.widget().setText(text)  # type: ignore[attr-defined]
        self.event_new.setText(self.tr("Save as a new event"))
        self.event_save.setText(self.tr("Save changes"))
        self.event_use.setText(self.tr("Make active"))
        self.event_none.setText(self.tr("No event"))
        self.campaign_save.setText(self.tr("Save"))
        self.versions_title.setText(self.tr("Installed campaign versions"))
        self.server_title.setText(self.tr("Server and enrollment"))
        self.enroll_code.setPlaceholderText(self.tr("K7QM-2XPA-9RTF, or paste the text of the QR code"))
        self.server_url.setPlaceholderText("https://")
        self.enroll_button.setText(self.tr("Enroll this device"))
        self.device_title.setText(self.tr("This device"))
        self.theme.setItemText(0, self.tr("Standard"))
        self.theme.setItemText(1, self.tr("Outdoor (high contrast)"))
        self.keyboard_choice.setItemText(0, self.tr("When there is a touch screen and no keyboard"))
        self.keyboard_choice.setItemText(1, self.tr("Always"))
        self.keyboard_choice.setItemText(2, self.tr("Never"))
        self.retention.setSpecialValueText(self.tr("0 (purge right after sending)"))
        self.settings_save.setText(self.tr("Save settings"))
        self.pin_button.setText(self.tr("Change the coordinator PIN"))
        self.data_title.setText(self.tr("Data on this device"))
        self.export_warning.setText(self.tr(
            "The export file holds the personal data of every signer on this device. Save it only to an "
            "encrypted drive, never to a shared folder, and delete it when it has been handed over."))
        self.export_button.setText(self.tr("Export signatures (CSV)"))
        self.purge_button.setText(self.tr("Purge sent personal data now"))
        self.log_intro.setText(self.tr(
            "Enrollment, syncs, exports, purges, wrong PINs and set-asides. The log holds no personal data."))
        self.diagnostics_copy.setText(self.tr("Copy diagnostics"))
        self.diagnostics_save.setText(self.tr("Save diagnostics…"))
        for model in (self.attention_model, self.history_model, self.log_model, self.versions_model):
            model.retranslate()
        if self.isVisible():
            self.refresh()

    # -- showing --------------------------------------------------------------------------------

    def open(self, *, kiosk: bool) -> None:
        self.kiosk = kiosk
        self.leave_button.setVisible(kiosk)
        self.nav.setCurrentRow(0)
        self.refresh()

    def _show_section(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        self.refresh_section(SECTIONS[row])

    def current_section(self) -> str:
        return SECTIONS[max(0, self.stack.currentIndex())]

    def show_section(self, name: str) -> None:
        self.nav.setCurrentRow(SECTIONS.index(name))

    def refresh(self) -> None:
        self._show_device()
        self.refresh_section(self.current_section())

    def refresh_section(self, name: str) -> None:
        getattr(self, f"_fill_{name}")()

    def refresh_live(self) -> None:
        """During a sync: the figures of what is showing."""
        if self.current_section() in ("overview", "sync", "attention"):
            self.refresh_section(self.current_section())

    def _settings(self) -> settings_store.Settings:
        with Session(self.ctx.engine) as session:
            return settings_store.effective(session=session, overrides=self.ctx.overrides)

    def _show_device(self) -> None:
        enrolled = enrollment_store.load(self.ctx.data_dir)
        name = self.ctx.settings.device_name or (enrolled.device_name if enrolled else "")
        if enrolled is None:
            self.device.set_full_text(self.tr("%1 is not enrolled with a server.").replace("%1", name) if name
                                      else self.tr("This device is not enrolled with a server."))
        elif enrolled.needs_enrollment:
            self.device.set_full_text(self.tr("%1: the server refused this device. Enroll it again.")
                                      .replace("%1", name))
        else:
            self.device.set_full_text(self.tr("%1, enrolled with %2").replace("%1", name)
                                      .replace("%2", enrolled.server_url))

    def _titles(self) -> dict[str, str]:
        return {slug: c.localised(self.ctx.locale).texts.title for slug, c in self.ctx.campaigns.items()}

    # The overview's reads (~25 ms with 200,000 signatures: counting by state walks an index) run in
    # the task pool, so the panel opens, and follows a sync, without the GUI thread waiting on them
    # (bench/bench_panel_open.py). At most one read is in flight; asking again meanwhile reads once
    # more when it returns, so the figures shown are never older than the last request.

    def _fill_overview(self) -> None:
        engine, data_dir = self.ctx.engine, self.ctx.data_dir

        def read() -> queries.OverviewSnapshot:
            return queries.load_overview(engine=engine, data_dir=data_dir)

        if not self.window().isVisible():  # nobody is waiting (a screenshot being made): read now
            self._show_overview(read())
            return
        if self._overview_reading:
            self._overview_again = True
            return
        self._overview_reading = True
        run_in_background(read, self._overview_read, self._overview_failed)

    def _overview_read(self, snapshot: queries.OverviewSnapshot) -> None:
        if not isValid(self):  # the window closed while the pool thread read
            return
        self._overview_reading = False
        if self._overview_again:
            self._overview_again = False
            self._fill_overview()
        self._show_overview(snapshot)

    def _overview_failed(self, exc: Exception) -> None:
        if not isValid(self):
            return
        self._overview_reading = False
        log.warning("could not read the overview's figures: %s", type(exc).__name__)
        if self._overview_again:
            self._overview_again = False
            self._fill_overview()

    def _show_overview(self, snapshot: queries.OverviewSnapshot) -> None:
        data, event = snapshot.overview, snapshot.event
        states = data.states
        titles = self._titles()
        self.overview_data = data
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
                "%1", f"{event.name}{place}, {QLocale().toString(QDate(event.date), QLocale.FormatType.ShortFormat)}"))
        lines = []
        for slug in sorted(set(data.today) | set(data.event) | set(data.server_totals)):
            line = self.tr("%1: %2 today, %3 at this event").replace("%1", titles.get(slug, slug)).replace(
                "%2", _num(data.today.get(slug, 0))).replace("%3", _num(data.event.get(slug, 0)))
            if slug in data.server_totals:
                line += " · " + self.tr("the server counts %1").replace("%1", _num(data.server_totals[slug][0]))
            lines.append((slug, line))
        self.chart.show_hours(data.hours, list(titles))
        self.legend.show_lines(lines, list(titles))
        run = data.last_run
        if run is None:
            self.sync_line.setText(self.tr("Last sync: never"))
        else:
            self.sync_line.setText(self.tr("Last sync: %1, %2, %3 sent").replace("%1", _when(run["finished_at"]))
                                   .replace("%2", outcome_words(run["outcome"])).replace("%3", _num(run["sent"])))
        warn = False
        if snapshot.clock_offset_s is None:
            self.clock_line.setText(self.tr("Device clock: not checked by the server yet"))
        else:
            seconds = round(snapshot.clock_offset_s)
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
            self.clock_line.style().unpolish(self.clock_line)
            self.clock_line.style().polish(self.clock_line)
        self.warnings_line.setText("\n".join(warning_words(key) for key in snapshot.warnings))
        self.warnings_line.setVisible(bool(snapshot.warnings))
        self.status.arrange()
        self.overview_shown.emit()

    def _fill_sync(self) -> None:
        self.history_model.set_rows(history.runs(self.ctx.engine, 50))
        sending = self.worker is not None and self.worker.sending
        self.cancel_button.setEnabled(sending)
        if not sending and self._sync_total is None:
            with Session(self.ctx.engine) as session:
                states = queries.counts_by_state(session=session)
            waiting = states["pending"] + states["sending"]
            self.progress.setRange(0, max(1, waiting + states["acked"]))
            self.progress.setValue(states["acked"])
            waiting_line = self.tr("%1 waiting to be sent.").replace("%1", _num(waiting))
            advice = outcome_advice(self._last_outcome) if waiting else ""  # what to do about them
            self.progress_line.setText(f"{waiting_line} {advice}" if advice else waiting_line)

    def _fill_attention(self) -> None:
        with Session(self.ctx.engine) as session:
            self.attention_model.set_rows(queries.attention_rows(session=session))

    def _fill_events(self) -> None:
        with Session(self.ctx.engine) as session:
            self._events = event_store.list_events(session=session)
            active = event_store.active_event(session=session)
        self.event_list.blockSignals(True)
        self.event_list.clear()
        for event in self._events:
            mark = "● " if active is not None and event.id == active.id else ""
            place = f", {event.place}" if event.place else ""
            self.event_list.addItem(
                f"{mark}{event.name}{place} · {QLocale().toString(QDate(event.date), QLocale.FormatType.ShortFormat)}")
        self.event_list.blockSignals(False)

    def _fill_campaigns(self) -> None:
        settings = self._settings()
        self.campaign_choice.clear()
        for slug, title in self._titles().items():
            self.campaign_choice.addItem(title, slug)
        self.campaign_choice.setCurrentIndex(max(0, self.campaign_choice.findData(self.ctx.campaign_slug)))
        self.language_choice.setCurrentIndex(max(0, self.language_choice.findData(settings.default_locale)))
        with Session(self.ctx.engine) as session:
            versions = queries.installed_versions(session=session)
            notices = queries.campaign_notices(session=session)
        running = {(slug, c.version): c.localised(self.ctx.locale).texts.title for slug, c in self.ctx.campaigns.items()}
        self.versions_model.set_versions(versions, running)
        title_of = {slug: t for (slug, _), t in running.items()}
        lines = [
            self.tr("%1, version %2: the server publishes other texts under this version number. This device "
                    "keeps its own, so every signature still records the text its signer saw. Ask the "
                    "campaign's organisers to publish their texts as a new version.")
            .replace("%1", running.get((v.slug, v.version), v.title)).replace("%2", QLocale().toString(v.version))
            for v in versions if v.differs_from_server]
        lines += [  # what the campaign pull refused or quarantined (db/sync/bundles.py)
            (self.tr("%1, version %2: set aside. The server this device is enrolled with does not vouch for it, "
                     "so no new signatures are taken on it (those made on it are kept and sent). Tell the "
                     "server's operator.") if n.quarantined else
             self.tr("%1, version %2: not installed. The server this device is enrolled with did not vouch for "
                     "it (someone on the network may have added it). Tell the server's operator."))
            .replace("%1", title_of.get(n.slug, n.slug)).replace("%2", QLocale().toString(n.version or 0))
            for n in notices]
        lines += [
            self.tr("%1, version %2: imported from a file and not verified by a server. Check its texts "
                    "before signers use it.")
            .replace("%1", running.get((v.slug, v.version), v.title)).replace("%2", QLocale().toString(v.version))
            for v in versions if v.source == "import"]
        self.versions_warning.setText("\n".join(lines))
        self.versions_warning.setVisible(bool(self.versions_warning.text()))
        self._show_sealing()

    def _show_sealing(self) -> None:
        """Sealed mode (db/sealing.py, SECURITY.md) for the active campaign, in the coordinator's words."""
        from db import sealing

        campaign = self.ctx.campaign
        held, ever = sealing.device_key(self.ctx.engine)
        try:
            key = sealing.key_for(campaign, held, ever_held=ever)
        except sealing.SealingUnavailable:
            text, role = self.tr(
                "This campaign seals its signers' details and this device has no key for it: nobody can sign "
                "here. Enroll the device with the campaign's server (Settings): the key comes with the "
                "enrollment."), "warning"
        else:
            if key is not None:
                text, role = self.tr(
                    "Sealed: signers' details are encrypted for the server (key %1) as they are saved; this device "
                    "cannot read them back.").replace("%1", key.key_id), "muted"
            elif campaign.sealing_mode == "off":
                text, role = self.tr(
                    "Not sealed: this campaign keeps signers' details readable on this device until they are sent "
                    "and purged."), "warning"
            else:
                text, role = self.tr(
                    "Not sealed yet: signers' details stay readable on this device until it is enrolled with a "
                    "server. Enroll it before the event (Settings)."), "warning"
        if self.sealing_state.property("role") != role:
            styled(self.sealing_state, role)
            self.sealing_state.setStyleSheet(f"/* {role} */")  # restyled whole: padding and border too
        self.sealing_state.setText(text)

    def _fill_settings(self) -> None:
        settings = self._settings()
        enrolled = enrollment_store.load(self.ctx.data_dir)
        if enrolled is None:
            self.enrollment_state.setText(self.tr("Not enrolled. Type the server address and the enrollment code "
                                                  "from the server's operator, or paste the QR code's text."))
        else:
            self.enrollment_state.setText(self.tr("Enrolled with %1 as %2 since %3.").replace(
                "%1", enrolled.server_url).replace("%2", enrolled.device_name).replace(
                "%3", _when(datetime.fromisoformat(enrolled.enrolled_at)) if enrolled.enrolled_at else "?"))
            if not self.server_url.text():
                self.server_url.setText(enrolled.server_url)
        if not self.server_url.text() and settings.server_url:
            self.server_url.setText(settings.server_url)
        self.device_name.setText(settings.device_name)
        self.idle.setValue(settings.idle_timeout_s)
        self.retention.setValue(settings.retention_days)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))
        self.keyboard_choice.setCurrentIndex(max(0, self.keyboard_choice.findData(settings.on_screen_keyboard)))

    def _fill_log(self) -> None:
        with Session(self.ctx.engine) as session:
            self.log_model.set_rows(queries.log_entries(session=session))

    # -- sync -----------------------------------------------------------------------------------

    def attach_worker(self, worker: SyncWorker) -> None:
        if self.worker is worker:
            return
        self.worker = worker
        worker.run_started.connect(self.on_run_started)
        worker.progress.connect(self.on_progress)
        worker.report.connect(self.on_report)

    def sync_now(self) -> None:
        if self.worker is None and self.worker_factory is not None:
            self.worker_factory()
        if self.worker is None:
            return
        self._day_end = True
        self.summary.setText("")
        self.progress_line.setText(self.tr("Starting…"))
        self.progress_line.setToolTip("")
        self.sync_button.setEnabled(False)
        self.worker.sync_now()

    def cancel_sync(self, *_: object) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.progress_line.setText(self.tr("Cancelling after the batch being sent…"))
            self.cancel_button.setEnabled(False)

    def on_run_started(self, total: int) -> None:
        self._sync_total = total
        self._sync_started_at = time.monotonic()
        if total:
            self.cancel_button.setEnabled(True)
            self.progress.setRange(0, max(1, total))
            self.progress.setValue(0)

    def on_progress(self, report: SyncReport) -> None:
        total = self._sync_total or 0
        done = report.sent + report.attention
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(min(done, total))
        elapsed = max(0.001, time.monotonic() - self._sync_started_at)
        rate = done / elapsed
        left = (total - done) / rate if rate > 0 else 0
        self.progress_line.setText(self.tr("%1 of %2 sent · %3 per second · about %4 left").replace(
            "%1", _num(done)).replace("%2", _num(total)).replace("%3", _num(round(rate))).replace(
            "%4", self._duration(left)))
        if not self._live_timer.isActive():
            self._live_timer.start()

    def on_report(self, report: SyncReport) -> None:
        self._sync_total = None
        self.cancel_button.setEnabled(False)
        self.sync_button.setEnabled(True)
        if self._day_end:
            self._day_end = False
            self.summary.setText(self.tr(
                "%1. Created: %2 · already on the server: %3 · need attention: %4 · still waiting: %5").replace(
                "%1", outcome_words(report.outcome).capitalize()).replace("%2", _num(report.created)).replace(
                "%3", _num(report.duplicates)).replace("%4", _num(report.attention)).replace("%5", _num(report.pending)))
            self.progress_line.setText(outcome_advice(report.outcome))
            self.progress_line.setToolTip(report.message if report.outcome not in ("ok", "stopped") else "")
        self._last_outcome = report.outcome
        if self.isVisible():
            self.refresh()

    def _duration(self, seconds: float) -> str:
        if seconds < 90:
            return self.tr("%Ln second(s)", "", max(0, round(seconds)))
        return self.tr("%Ln minute(s)", "", round(seconds / 60))

    def print_sheets(self) -> None:
        from desktop.sheets import PrintSheetsDialog

        self.sheets_dialog = PrintSheetsDialog(self.ctx.campaign, self.ctx.locale, self)
        self.sheets_dialog.open()

    # -- hand-off files (db/sync/handoff.py) ----------------------------------------------------

    def choose_handoff(self) -> None:
        from db.sync.handoff import default_name

        path, _ = QFileDialog.getSaveFileName(self, self.tr("Write a hand-off file"), str(Path.home() / default_name()),
                                              self.tr("Hand-off files (*.handoff)"),
                                              options=QFileDialog.Option.DontUseNativeDialog)
        if path:
            self.handoff_to(Path(path))

    def handoff_to(self, path: Path) -> None:
        from db.sync import handoff

        engine, data_dir = self.ctx.engine, self.ctx.data_dir
        self._handoff_running(self.tr("Writing the hand-off file…"))
        run_in_background(lambda: handoff.export_handoff(path, data_dir=data_dir, engine=engine),
                          self._handed_off, self._handoff_failed)

    def choose_receipt(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Read a receipt"), str(Path.home()),
                                              self.tr("Receipts (*.receipt)"),
                                              options=QFileDialog.Option.DontUseNativeDialog)
        if path:
            self.receipt_from(Path(path))

    def receipt_from(self, path: Path) -> None:
        from db.sync import handoff

        engine, data_dir = self.ctx.engine, self.ctx.data_dir
        self._handoff_running(self.tr("Reading the receipt…"))
        run_in_background(lambda: handoff.import_receipt(path, data_dir=data_dir, engine=engine),
                          self._receipt_read, self._handoff_failed)

    def _handoff_running(self, text: str) -> None:
        self.handoff_button.setEnabled(False)
        self.receipt_button.setEnabled(False)
        self.handoff_message.setText(text)
        self.handoff_message.show()

    def _handoff_done(self, result: Any, text: str) -> None:
        self.handoff_button.setEnabled(True)
        self.receipt_button.setEnabled(True)
        self.handoff_message.setText(text)
        self.handoff_result = result
        if self.isVisible():
            self.refresh()

    def _handed_off(self, done: Any) -> None:
        if done.path is None:
            self._handoff_done(done, self.tr("Nothing is waiting to be sent: no file was written."))
            return
        self._handoff_done(done, self.tr("%Ln signature(s) written to %1.", "", done.signatures).replace(
            "%1", str(done.path)) + " " + self.tr("Nothing is marked as sent until you read the server's receipt."))

    def _receipt_read(self, done: Any) -> None:
        text = self.tr("Receipt read: %Ln signature(s) acknowledged by the server.", "", done.acked)
        if done.attention:
            text += " " + self.tr("Needing attention: %1.").replace("%1", _num(done.attention))
        self._handoff_done(done, text)

    def _handoff_failed(self, exc: Exception) -> None:
        from db.sync import handoff as h

        words = {
            h.NOT_ENROLLED: self.tr("This device is not enrolled with a server. A hand-off file is made for one "
                                    "server: enroll the device first."),
            h.ENROLL_AGAIN: self.tr("The server refused this device. Enroll it again before handing signatures over."),
            h.SERVER_KEYS_MISSING: self.tr("This device does not hold its server's encryption key, so it cannot "
                                           "write a hand-off file. Sync once while online, or enroll the device again."),
            h.BUSY: self.tr("A sync is running. Try again when it has finished."),
            h.RECEIPT_UNREADABLE: self.tr("This file is not a receipt, or it is damaged. Nothing was changed."),
            h.RECEIPT_NEWER: self.tr("This receipt was made by a newer server. Update the app, then read it again."),
            h.RECEIPT_FORGED: self.tr("The receipt's signature does not verify with the server's key: it was "
                                      "altered or not made by the server. Nothing was changed."),
            h.RECEIPT_OTHER_SERVER: self.tr("This receipt was signed by another server than the one this device is "
                                            "enrolled with. Nothing was changed."),
            h.RECEIPT_OTHER_DEVICE: self.tr("This receipt is for another device. Nothing was changed."),
        }
        text = words.get(getattr(exc, "key", ""))
        self._handoff_done(exc, text or self.tr("That did not work: %1").replace("%1", str(exc) or type(exc).__name__))

    # -- needs attention ------------------------------------------------------------------------

    def _selected_ids(self) -> list[str]:
        rows = sorted({index.row() for index in self.attention_view.selectionModel().selectedRows()})
        return self.attention_model.ids(rows)

    def retry_selected(self) -> None:
        ids = self._selected_ids()
        if not ids:
            self.attention_message.setText(self.tr("Select one or more rows first."))
            return
        with write_session(self.ctx.engine) as session:
            moved = queries.retry(ids, session=session)
            session.commit()
        self.attention_message.setText(self.tr("%Ln signature(s) will be sent again at the next sync.", "", moved))
        self.refresh_section("attention")

    def set_aside_selected(self) -> None:
        ids = self._selected_ids()
        if not ids:
            self.attention_message.setText(self.tr("Select one or more rows first."))
            return
        with write_session(self.ctx.engine) as session:
            moved = queries.set_aside(ids, self.aside_reason.currentData(), self.aside_note.text(), session=session)
            session.commit()
        self.aside_note.clear()
        self.attention_message.setText(self.tr("%Ln signature(s) set aside. The log keeps the reason.", "", moved))
        self.refresh_section("attention")

    # -- events ---------------------------------------------------------------------------------

    def _event_picked(self, row: int) -> None:
        if 0 <= row < len(self._events):
            event = self._events[row]
            self.event_name.setText(event.name)
            self.event_place.setText(event.place or "")
            self.event_date.setDate(QDate(event.date))

    def _event_fields(self) -> tuple[str, str, date]:
        return self.event_name.text(), self.event_place.text(), self.event_date.date().toPython()  # type: ignore[return-value]

    def create_event(self) -> None:
        name, place, day = self._event_fields()
        try:
            with write_session(self.ctx.engine) as session:
                event_store.create_event(name, place, day, session=session)
                session.commit()
        except ValueError:
            self.events_message.setText(self.tr("An event needs a name."))
            return
        self.events_message.setText(self.tr("Saved. New signatures now record this event."))
        self.settings_changed.emit()
        self.refresh_section("events")

    def save_event(self) -> None:
        row = self.event_list.currentRow()
        if not 0 <= row < len(self._events):
            self.events_message.setText(self.tr("Choose an event in the list first."))
            return
        name, place, day = self._event_fields()
        try:
            with write_session(self.ctx.engine) as session:
                event_store.update_event(self._events[row].id, name, place, day, session=session)
                session.commit()
        except ValueError:
            self.events_message.setText(self.tr("An event needs a name."))
            return
        self.events_message.setText(self.tr("Saved."))
        self.refresh_section("events")

    def use_event(self) -> None:
        row = self.event_list.currentRow()
        if 0 <= row < len(self._events):
            self._set_active_event(self._events[row].id)

    def _set_active_event(self, event_id: str | None) -> None:
        with write_session(self.ctx.engine) as session:
            event_store.set_active(event_id, session=session)
            session.commit()
        self.events_message.setText(self.tr("New signatures now record this event.") if event_id
                                    else self.tr("New signatures record no event."))
        self.settings_changed.emit()
        self.refresh_section("events")

    # -- campaigns ------------------------------------------------------------------------------

    def choose_import(self) -> None:
        from desktop import campaign_import

        path = campaign_import.choose_bundle(self)
        if path is not None:
            self.import_campaign(path)

    def import_campaign(self, path: Path) -> None:
        """Check and install a campaign bundle (off the GUI thread); it can then be chosen above."""
        from desktop import campaign_import

        self.import_button.setEnabled(False)
        self.campaign_message.setText(campaign_import.checking_words())
        campaign_import.start_import(self.ctx, path, self._imported, self._import_failed)

    def _imported(self, campaign: Any, new: bool) -> None:
        self.import_button.setEnabled(True)
        self.refresh()
        self.campaign_choice.setCurrentIndex(max(0, self.campaign_choice.findData(campaign.slug)))
        title = campaign.localised(self.ctx.locale).texts.title
        self.campaign_message.setText(
            (self.tr("Imported: %1. Choose it above and save to collect for it.") if new
             else self.tr("Already imported: %1.")).replace("%1", title))

    def _import_failed(self, words: str) -> None:
        self.import_button.setEnabled(True)
        self.campaign_message.setText(words)

    def save_campaign(self) -> None:
        slug = self.campaign_choice.currentData()
        locale = self.language_choice.currentData()
        with write_session(self.ctx.engine) as session:
            settings_store.update(session=session, active_campaign=slug, default_locale=locale)
            from db import audit

            audit.record("settings_changed", session=session, active_campaign=slug, default_locale=locale)
            session.commit()
        self.campaign_message.setText(self.tr("Saved."))
        self.settings_changed.emit()

    # -- settings -------------------------------------------------------------------------------

    def save_settings(self) -> None:
        from db.setup import device_name_problem
        from desktop.panel.words import device_name_words

        # Empty is allowed here (a device tried out with --demo has no name yet); the set-up asks for one.
        problem = device_name_problem(self.device_name.text()) if self.device_name.text().strip() else None
        if problem is not None:
            self.settings_message.setText(device_name_words(problem))
            self.device_name.setFocus()
            return
        changes = {"device_name": self.device_name.text().strip(), "idle_timeout_s": self.idle.value(),
                   "retention_days": self.retention.value(), "theme": self.theme.currentData(),
                   "on_screen_keyboard": self.keyboard_choice.currentData()}
        with write_session(self.ctx.engine) as session:
            settings_store.update(session=session, **changes)
            from db import audit

            audit.record("settings_changed", session=session, **changes)
            session.commit()
        from desktop import keyboard

        if keyboard.wanted(changes["on_screen_keyboard"]) and not keyboard.in_use():
            # The input method is chosen when the app starts (desktop/keyboard.py).
            self.settings_message.setText(self.tr("Saved. The on-screen keyboard appears from the next start."))
        else:
            self.settings_message.setText(self.tr("Saved."))
        self.settings_changed.emit()

    def enroll(self) -> None:
        from db import setup

        text, code = self.server_url.text(), self.enroll_code.text()
        try:  # the address and code checked here, at once; only the network waits in the background
            setup.enrollment_target(text, code)
        except enrollment_store.EnrollmentError as exc:
            self._enroll_failed(exc)
            return
        self.enroll_button.setEnabled(False)
        self.enroll_message.setToolTip("")
        self.enroll_message.setText(self.tr("Enrolling…"))
        data_dir, engine = self.ctx.data_dir, self.ctx.engine
        run_in_background(lambda: setup.enroll(data_dir, text, code, engine=engine), self._enrolled,
                          self._enroll_failed)

    def _enrolled(self, enrolled: Any) -> None:
        from db.diagnostics import host

        log.info("enrolled as device %s with %s", enrolled.device_id, host(enrolled.server_url))
        self.enroll_button.setEnabled(True)
        self.enroll_code.clear()
        self.enroll_message.setText(self.tr("Enrolled as %1.").replace("%1", enrolled.device_name))
        self.settings_changed.emit()
        if self.worker is not None:
            self.worker.sync_now()
        self.refresh()

    def _enroll_failed(self, exc: Exception) -> None:
        log.info("enrollment failed: %s (%s)", enrollment_store.failure_key(exc), type(exc).__name__)
        self.enroll_button.setEnabled(True)
        self.enroll_message.setText(enrollment_words(exc))
        self.enroll_message.setToolTip(enrollment_store.failure_detail(exc))  # the server's own words

    def choose_export(self) -> None:
        stamp = datetime.now().strftime("%Y-%m-%d-%H%M")
        suggested = str(Path.home() / f"signatures-{stamp}.csv")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export signatures"), suggested, "CSV (*.csv)",
                                              options=QFileDialog.Option.DontUseNativeDialog)
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        from db.export import export_csv

        enrolled = enrollment_store.load(self.ctx.data_dir)
        device_id = enrolled.device_id if enrolled else ""
        name = self._settings().device_name or (enrolled.device_name if enrolled else "")
        engine = self.ctx.engine
        self.export_button.setEnabled(False)
        self.data_message.setText(self.tr("Exporting…"))
        run_in_background(lambda: export_csv(path, engine=engine, device_id=device_id, device_name=name),
                          self._exported, self._data_failed)

    def _exported(self, report: Any) -> None:
        self.export_button.setEnabled(True)
        text = self.tr("%Ln signature(s) exported.", "", report.rows)
        if report.sealed:
            text += " " + self.tr(
                "%Ln of them are sealed: their signers' details are encrypted for the campaign's server and "
                "cannot be read on this device, so the file holds them without names. The server's operator "
                "reads them with the server's passphrase.", "", report.sealed)
        self.data_message.setText(text + "\n" + self.tr("File: %1").replace("%1", str(report.path)))
        self.exported_report = report

    def purge_now(self) -> None:
        from db import retention

        days = self._settings().retention_days
        engine, data_dir = self.ctx.engine, self.ctx.data_dir
        self.purge_button.setEnabled(False)
        run_in_background(lambda: retention.purge(engine=engine, data_dir=data_dir, retention_days=days,
                                                  reason="coordinator"), self._purged, self._data_failed)

    def _purged(self, report: Any) -> None:
        self.purge_button.setEnabled(True)
        self.data_message.setText(self.tr("Personal data of %Ln sent signature(s) purged.", "", report.purged))
        self.purged_report = report

    # -- diagnostics (db/diagnostics.py) -------------------------------------------------------

    def copy_diagnostics(self) -> None:
        self._make_diagnostics(None)

    def choose_diagnostics_file(self) -> None:
        stamp = datetime.now().strftime("%Y-%m-%d-%H%M")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save diagnostics"),
                                              str(Path.home() / f"petition-kiosk-diagnostics-{stamp}.txt"),
                                              self.tr("Text files (*.txt)"),
                                              options=QFileDialog.Option.DontUseNativeDialog)
        if path:
            self.save_diagnostics_to(Path(path))

    def save_diagnostics_to(self, path: Path) -> None:
        self._make_diagnostics(path)

    def _make_diagnostics(self, path: Path | None) -> None:
        """Collect the report off the GUI thread (it counts signatures and reads the log's tail), then
        copy it or write it to ``path``; the audit log keeps that it was made."""
        import PySide6
        from PySide6.QtCore import qVersion

        from db import audit, diagnostics

        data_dir, engine = self.ctx.data_dir, self.ctx.engine
        qt = f"{qVersion()} (PySide6 {PySide6.__version__})"

        def work() -> str:
            text = diagnostics.collect(data_dir, engine, qt_version=qt)
            if path is not None:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                fchmod = getattr(os, "fchmod", None)  # an existing file keeps its mode otherwise (not on Windows)
                if fchmod is not None:
                    with contextlib.suppress(OSError):
                        fchmod(fd, 0o600)
                with open(fd, "w", encoding="utf-8") as f:
                    f.write(text)
            with write_session(engine) as session:
                if path is not None:
                    audit.record("diagnostics_saved", session=session)
                else:
                    audit.record("diagnostics_copied", session=session)
                session.commit()
            return text

        self.diagnostics_copy.setEnabled(False)
        self.diagnostics_save.setEnabled(False)
        run_in_background(work, lambda text: self._diagnostics_made(text, path), self._diagnostics_failed)

    def _diagnostics_made(self, text: str, path: Path | None) -> None:
        if not isValid(self):
            return
        if path is None:
            QGuiApplication.clipboard().setText(text)
            message = self.tr("Diagnostics copied. Paste them into a message to whoever helps you with this "
                              "device: they hold no personal data.")
        else:
            message = self.tr("Diagnostics saved to %1. They hold no personal data.").replace("%1", str(path))
        log.info("diagnostics %s", "copied" if path is None else "saved to a file")
        self._diagnostics_done(message)
        self.diagnostics_text = text
        if self.current_section() == "log":
            self.refresh_section("log")

    def _diagnostics_failed(self, exc: Exception) -> None:
        if not isValid(self):
            return
        log.warning("diagnostics failed: %s", type(exc).__name__)
        self._diagnostics_done(self.tr("That did not work: %1").replace(
            "%1", getattr(exc, "strerror", None) or type(exc).__name__))

    def _diagnostics_done(self, message: str) -> None:
        self.diagnostics_copy.setEnabled(True)
        self.diagnostics_save.setEnabled(True)
        self.diagnostics_message.setText(message)
        self.diagnostics_message.show()

    def _data_failed(self, exc: Exception) -> None:
        self.export_button.setEnabled(True)
        self.purge_button.setEnabled(True)
        self.data_message.setText(self.tr("That did not work: %1").replace("%1", str(exc) or type(exc).__name__))


