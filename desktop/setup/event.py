"""The set-up's last step (optional): today's event, name, place and date, stored with the other answers
and made the active event, so that the first signatures record where they were gathered. It also says
how to reach the coordinator's panel once the device is in kiosk mode."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QGridLayout, QLineEdit

from desktop.kiosk import HOLD_MS
from desktop.setup.step import Step
from desktop.widgets import label, restyle

NAME_MAX = 120  # as db/events.py allows


class EventStep(Step):
    name = "event"
    optional = True

    def build(self) -> None:
        self.intro = label(role="subtitle")
        self.name_caption = label(role="field-label")
        self.place_caption = label(role="field-label")
        self.date_caption = label(role="field-label")
        self.name_field = QLineEdit()
        self.name_field.setMaxLength(NAME_MAX)
        self.name_field.textEdited.connect(lambda _text: self.say(False))
        self.place_field = QLineEdit()
        self.place_field.setMaxLength(NAME_MAX)
        self.date_field = QDateEdit()
        self.date_field.setCalendarPopup(True)
        self.date_field.setDate(QDate.currentDate())
        self.error = label(role="error")
        self.error.hide()
        self.way_out = label()
        # Captions beside the fields, place and date on one row: the step, the way out of kiosk mode
        # included, fits a 600-pixel-high screen in Arabic too.
        grid = QGridLayout()
        m = self.fontMetrics().height()
        grid.setHorizontalSpacing(m)
        grid.setVerticalSpacing(m // 2)
        for caption, field in ((self.name_caption, self.name_field), (self.place_caption, self.place_field),
                               (self.date_caption, self.date_field)):
            caption.setBuddy(field)  # the field's name for screen readers
        grid.addWidget(self.name_caption, 0, 0)
        grid.addWidget(self.name_field, 0, 1, 1, 3)
        grid.addWidget(self.place_caption, 1, 0)
        grid.addWidget(self.place_field, 1, 1)
        grid.addWidget(self.date_caption, 1, 2)
        grid.addWidget(self.date_field, 1, 3)
        grid.setColumnStretch(1, 1)
        self.column.addWidget(self.intro)
        self.column.addLayout(grid)
        self.column.addWidget(self.error)
        self.column.addStretch(1)
        self.column.addWidget(self.way_out)

    def retranslate(self) -> None:
        self.intro.setText(self.tr(
            "Where are you collecting signatures today? Every signature records its event. Events can also be "
            "added and chosen later in the coordinator's panel (Events)."))
        self.name_caption.setText(self.tr("Event name"))
        self.place_caption.setText(self.tr("Place"))
        self.date_caption.setText(self.tr("Date"))
        self.name_field.setPlaceholderText(self.tr("e.g. Vigil at the courthouse"))
        self.place_field.setPlaceholderText(self.tr("optional"))
        self.way_out.setText(self.tr(
            "In kiosk mode the coordinator's panel is hidden from signers: hold the top-left corner of the "
            "screen for %1 seconds, then type the coordinator PIN.").replace("%1", str(HOLD_MS // 1000)))
        self.say(self.error.isVisible())

    def heading(self) -> str:
        return self.tr("Today's event (optional)")

    def leave(self) -> bool:
        """A place without a name is a half-given answer: ask for the name (or Skip)."""
        missing = not self.name_field.text().strip() and bool(self.place_field.text().strip())
        self.say(missing)
        if missing:
            self.name_field.setFocus()
        return not missing

    def skip(self) -> None:
        """No event: what was typed is let go, so that nothing of it is stored."""
        self.name_field.clear()
        self.place_field.clear()
        self.date_field.setDate(QDate.currentDate())
        self.say(False)

    def say(self, missing: bool) -> None:
        self.error.setText(self.tr("Give the event a name, or Skip to go without one.") if missing else "")
        self.error.setVisible(missing)
        self.name_field.setProperty("invalid", missing)
        restyle(self.name_field)

    def answer(self) -> tuple[str, str, date | None]:
        """(name, place, date) for ``db.setup.SetupChoices``; an empty name: no event."""
        name = self.name_field.text().strip()
        if not name:
            return "", "", None
        day = self.date_field.date()
        return name, self.place_field.text().strip(), date(day.year(), day.month(), day.day())
