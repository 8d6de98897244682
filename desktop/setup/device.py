"""The set-up's device step: the name this device shows in exports, hand-off files and on the server."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from db import setup
from desktop.setup.step import Step
from desktop.widgets import label, restyle


class DeviceStep(Step):
    name = "device"

    def build(self) -> None:
        self.intro = label(role="subtitle")
        self.caption = label(role="field-label")
        self.name_field = QLineEdit(setup.stored_choices(engine=self.ctx.engine)["device_name"])
        self.name_field.setMaxLength(setup.DEVICE_NAME_MAX)
        self.name_field.returnPressed.connect(self.host.advance)
        self.name_field.textEdited.connect(lambda _text: self.say(None))
        self.error = label(role="error")
        self.error.hide()
        self.hint = label(role="muted")
        for widget in (self.intro, self.caption, self.name_field, self.error, self.hint):
            self.column.addWidget(widget)
        self.column.addStretch(1)

    def retranslate(self) -> None:
        self.caption.setText(self.tr("Device name"))
        self.intro.setText(self.tr("What should this device be called?"))
        self.name_field.setPlaceholderText(self.tr("e.g. Courthouse table 1"))
        self.hint.setText(self.tr(
            "The name appears in exports, hand-off files and on the server, so that you know which device "
            "collected what. Name a place or a table, never a person."))

    def heading(self) -> str:
        return self.tr("This device")

    def shown(self) -> None:
        self.name_field.setFocus()

    def leave(self) -> bool:
        problem = setup.device_name_problem(self.name_field.text())
        self.say(problem)
        if problem is not None:
            self.name_field.setFocus()
        return problem is None

    def say(self, key: str | None) -> None:
        # on first use, not at the top: the screen opens without it
        from desktop.panel.words import device_name_words

        self.error.setText(device_name_words(key))
        self.error.setVisible(key is not None)
        self.name_field.setProperty("invalid", key is not None)
        restyle(self.name_field)
