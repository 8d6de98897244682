"""The coordinator's panel: one page of the main window, behind the coordinator PIN.

A bar on top (the device, leave kiosk mode, back to signing), the sections' names on the side, and the
sections themselves (desktop/panel/overview.py, sync.py, attention.py, events.py, campaigns.py,
phones.py, settings.py, log.py, on the base in section.py), in the order of ``SECTIONS``. The panel only
navigates: each section builds, fills and words itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QListWidget,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db.sync import enrollment as enrollment_store
from desktop.panel import SECTIONS
from desktop.panel.attention import AttentionSection
from desktop.panel.campaigns import CampaignsSection
from desktop.panel.events import EventsSection
from desktop.panel.layout import ElidedLabel
from desktop.panel.log import LogSection
from desktop.panel.overview import OverviewSection
from desktop.panel.phones import PhonesSection
from desktop.panel.section import Section
from desktop.panel.settings import SettingsSection
from desktop.panel.sync import SyncSection
from desktop.widgets import button, fingertip, label, styled

if TYPE_CHECKING:
    from db.sync.runner import SyncReport
    from desktop.context import AppContext
    from desktop.sync_worker import SyncWorker

S = TypeVar("S", bound=Section)
KINDS: dict[str, type[Section]] = {kind.name: kind for kind in (
    OverviewSection, SyncSection, AttentionSection, EventsSection, CampaignsSection, PhonesSection, SettingsSection,
    LogSection)}
assert tuple(KINDS) == SECTIONS, "desktop/panel/__init__.py lists the sections in the panel's order"


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
        self.crowd_source: Any = None  # the window's: its crowd service (desktop/crowd/service.py), or None
        self.kiosk = False
        m = self.fontMetrics().height()

        self.title = label(role="card-title", wrap=False)
        self.device = ElidedLabel(role="muted")  # one line: the panel's top bar stays two text lines high
        self.leave_button = button()
        self.leave_button.clicked.connect(self.leave_kiosk_requested)
        self.close_button = button(role="panel-primary")
        self.close_button.clicked.connect(self.close_requested)
        top = QFrame()
        styled(top, "bar")
        top_row = QHBoxLayout(top)
        top_row.setContentsMargins(m, m // 3, m, m // 3)
        # The device's state beside the title when it fits, under it when not: in kiosk mode (one more
        # button) and in German it was cut to "Dieses Gerät ist bei kei…". Under it, it has the bar's
        # width; beside it, the bar stays one line high (the overview fits 1024x600 in Arabic too).
        self.heading = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.heading.setSpacing(m // 2)
        self.heading.addWidget(self.title)
        self.heading.addWidget(self.device, 1)
        top_row.addLayout(self.heading, 1)
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
        # Top down: each section's scroll area is in the stack before the section is built in it
        # (desktop/panel/section.py), so every widget is placed and styled once.
        self.sections: dict[str, Section] = {}
        for name, kind in KINDS.items():
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            self.stack.addWidget(scroll)
            section = kind(self, scroll)
            section.settings_changed.connect(self.settings_changed)
            self.sections[name] = section
        self.overview = self._kind("overview", OverviewSection)
        self.sync = self._kind("sync", SyncSection)
        self.attention = self._kind("attention", AttentionSection)
        self.events = self._kind("events", EventsSection)
        self.campaigns = self._kind("campaigns", CampaignsSection)
        self.phones = self._kind("phones", PhonesSection)
        self.settings = self._kind("settings", SettingsSection)
        self.log = self._kind("log", LogSection)
        self.overview.shown.connect(self.overview_shown)
        self.overview.assisted_requested.connect(self.assisted_requested)
        self.overview.paper_requested.connect(self.paper_requested)
        self.settings.change_pin_requested.connect(self.change_pin_requested)
        self.nav.currentRowChanged.connect(self._show_section)
        self.retranslate()
        self.nav.setCurrentRow(0)

    def _kind(self, name: str, kind: type[S]) -> S:
        section = self.sections[name]
        assert isinstance(section, kind)
        return section

    # -- words ----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(self.tr("Coordinator panel"))
        self.leave_button.setText(self.tr("Leave kiosk mode"))
        self.close_button.setText(self.tr("Back to signing"))
        names = [section.title() for section in self.sections.values()]
        for i, name in enumerate(names):
            self.nav.item(i).setText(name)
        m = self.fontMetrics()
        self.nav.setFixedWidth(max(m.horizontalAdvance(n) for n in names) + m.height() * 5 // 2)  # the items' padding and a margin
        self.nav.setAccessibleName(self.tr("Sections"))  # for screen readers: no caption stands in front
        for section in self.sections.values():
            section.retranslate()
        if self.isVisible():
            self.refresh()

    # -- showing --------------------------------------------------------------------------------

    def open(self, *, kiosk: bool) -> None:
        self.kiosk = kiosk
        self.leave_button.setVisible(kiosk)
        self._arrange_heading()
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
        self.sections[name].fill()

    def _arrange_heading(self) -> None:
        """Title and device state on one line when the state fits there whole, else one under the other."""
        bar = self.heading.parentWidget()
        row = bar.layout() if bar is not None else None
        if bar is None or row is None:
            return
        buttons = [b for b in (self.leave_button, self.close_button) if not b.isHidden()]
        margins = row.contentsMargins()
        room = (bar.width() - margins.left() - margins.right()
                - sum(b.sizeHint().width() for b in buttons) - row.spacing() * len(buttons))
        needed = (self.title.sizeHint().width() + self.heading.spacing()
                  + self.device.fontMetrics().horizontalAdvance(self.device.full_text()) + 4)
        direction = QBoxLayout.Direction.LeftToRight if needed <= room else QBoxLayout.Direction.TopToBottom
        if self.heading.direction() != direction:
            self.heading.setDirection(direction)
            self.heading.setSpacing(self.fontMetrics().height() // 2 if needed <= room else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._arrange_heading()

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
        self._arrange_heading()

    # -- the background sync ---------------------------------------------------------------------

    def attach_worker(self, worker: SyncWorker) -> None:
        if self.worker is worker:
            return
        self.worker = worker
        worker.run_started.connect(self.sync.on_run_started)
        worker.progress.connect(self.sync.on_progress)
        worker.report.connect(self.on_report)

    def crowd_service(self) -> Any:
        return self.crowd_source() if self.crowd_source is not None else None

    def start_worker(self) -> SyncWorker | None:
        if self.worker is None and self.worker_factory is not None:
            self.worker_factory()
        return self.worker

    def on_report(self, report: SyncReport) -> None:
        self.sync.on_report(report)
        if self.isVisible():
            self.refresh()
