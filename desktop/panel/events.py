"""The panel's events: where and when signatures are gathered; every new signature records the active
one."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QSizePolicy,
    QVBoxLayout,
)
from sqlmodel import Session

from db import events as event_store
from db import panel as saves
from desktop.panel.section import Section, set_captions, short_date
from desktop.widgets import button, label


class EventsSection(Section):
    name = "events"

    def build(self) -> None:
        column = self.column
        self.intro = label(role="muted")
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
        self.form = QFormLayout()
        self.form.addRow("", self.event_name)
        self.form.addRow("", self.event_place)
        self.form.addRow("", self.event_date)
        self.event_new = button(role="panel-primary")
        self.event_new.clicked.connect(self.create_event)
        self.event_save = button()
        self.event_save.clicked.connect(self.save_event)
        self.event_use = button()
        self.event_use.clicked.connect(self.use_event)
        self.event_none = button()
        self.event_none.clicked.connect(lambda: self._set_active_event(None))
        self.message = label(role="muted")
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
        column.addWidget(self.intro)
        column.addLayout(listed)
        column.addLayout(self.form)
        column.addLayout(save_row)
        column.addWidget(self.message)
        column.addStretch(1)
        self._events: list[Any] = []

    def title(self) -> str:
        return self.tr("Events")

    def retranslate(self) -> None:
        self.event_list.setAccessibleName(self.tr("Events"))
        self.intro.setText(self.tr(
            "Every new signature records the active event: where and when it was gathered."))
        set_captions(self.form, (self.tr("Name"), self.tr("Place"), self.tr("Date")))
        self.event_new.setText(self.tr("Save as a new event"))
        self.event_save.setText(self.tr("Save changes"))
        self.event_use.setText(self.tr("Make active"))
        self.event_none.setText(self.tr("No event"))

    def fill(self) -> None:
        with Session(self.ctx.engine) as session:
            self._events = event_store.list_events(session=session)
            active = event_store.active_event(session=session)
        self.event_list.blockSignals(True)
        self.event_list.clear()
        for event in self._events:
            mark = "● " if active is not None and event.id == active.id else ""
            place = f", {event.place}" if event.place else ""
            self.event_list.addItem(
                f"{mark}{event.name}{place} · {short_date(event.date)}")
        self.event_list.blockSignals(False)

    def _event_picked(self, row: int) -> None:
        if 0 <= row < len(self._events):
            event = self._events[row]
            self.event_name.setText(event.name)
            self.event_place.setText(event.place or "")
            self.event_date.setDate(QDate(event.date.year, event.date.month, event.date.day))

    def _event_fields(self) -> tuple[str, str, date]:
        day = self.event_date.date().toPython()
        assert isinstance(day, date)
        return self.event_name.text(), self.event_place.text(), day

    def create_event(self) -> None:
        name, place, day = self._event_fields()
        try:
            saves.create_event(name, place, day, engine=self.ctx.engine)
        except ValueError:
            self.message.setText(self.tr("An event needs a name."))
            return
        self.message.setText(self.tr("Saved. New signatures now record this event."))
        self.settings_changed.emit()
        self.fill()

    def save_event(self) -> None:
        row = self.event_list.currentRow()
        if not 0 <= row < len(self._events):
            self.message.setText(self.tr("Choose an event in the list first."))
            return
        name, place, day = self._event_fields()
        try:
            saves.update_event(self._events[row].id, name, place, day, engine=self.ctx.engine)
        except ValueError:
            self.message.setText(self.tr("An event needs a name."))
            return
        self.message.setText(self.tr("Saved."))
        self.fill()

    def use_event(self) -> None:
        row = self.event_list.currentRow()
        if 0 <= row < len(self._events):
            self._set_active_event(self._events[row].id)

    def _set_active_event(self, event_id: str | None) -> None:
        saves.set_active_event(event_id, engine=self.ctx.engine)
        self.message.setText(self.tr("New signatures now record this event.") if event_id
                             else self.tr("New signatures record no event."))
        self.settings_changed.emit()
        self.fill()
