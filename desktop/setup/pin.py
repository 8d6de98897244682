"""The set-up's coordinator PIN step: typed twice on a keypad beside the words (both fit 600 pixels)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from desktop.overlays import PinPad
from desktop.setup.step import Step
from desktop.widgets import button, fingertip, label, styled


class PinStep(Step):
    name = "pin"

    def build(self) -> None:
        """The words on one side, the keypad on the other: both fit a 600-pixel-high screen."""
        self.hint = label(role="subtitle")
        self.done = label(role="card-title")
        self.again = button(role="quiet")
        self.again.clicked.connect(self._choose_again)
        self.holder = QWidget()
        self.holder.setObjectName("Page")
        self.pad = PinPad(self.holder, fit_height=False)
        styled(self.pad, "embedded")  # a card on the page, not a layer over it
        # Keys a fingertip high, not the kiosk pad's larger ones: the pad shares the screen's height
        # with the heading and the buttons here.
        m = self.fontMetrics().height()
        key = max(fingertip(), m * 9 // 5)
        self.pad.setStyleSheet(
            'QPushButton[role="key"], QPushButton[role="key-ok"] '
            f"{{ font-size: 15pt; padding: 0px; min-height: {key}px; max-height: {key}px; min-width: {key * 3}px; }}"
            'QLabel[role="pin-dots"] { font-size: 16pt; min-height: 0px; }'
            'QLabel[role="card-title"] { font-size: 13pt; }')
        outer, card = self.pad.layout(), self.pad.card.layout()
        assert outer is not None and card is not None
        outer.setContentsMargins(0, 0, 0, 0)
        card.setContentsMargins(m, m // 2, m, m // 2)
        card.setSpacing(m // 3)
        self.pad.chosen.connect(self._chosen)
        words = QVBoxLayout()
        words.setSpacing(m * 3 // 4)
        for widget in (self.hint, self.done):
            words.addWidget(widget)
        words.addWidget(self.again, 0, Qt.AlignmentFlag.AlignLeading)
        words.addStretch(1)
        row = QHBoxLayout()
        row.setSpacing(m * 2)
        row.addLayout(words, 1)
        row.addWidget(self.holder, 0)
        self.column.addLayout(row, 1)
        self.done.hide()
        self.again.hide()

    def retranslate(self) -> None:
        self.hint.setText(self.tr(
            "This device already has a coordinator PIN, and it stays as it is. To change it, open the "
            "coordinator's panel (Settings), which asks for the current PIN first.") if self.host.keeps_pin else self.tr(
            "It opens the coordinator's panel, exports and deletes data, and is the only way out of kiosk "
            "mode. Signers never need it. Keep it somewhere safe: nobody can read it back from this device."))
        self.pad.retranslate()
        self.done.setText(self.tr("✓  The coordinator PIN is chosen."))
        self.again.setText(self.tr("Choose a different PIN"))

    def heading(self) -> str:
        return self.tr("Coordinator PIN")

    def ready(self) -> bool:
        return bool(self.host.chosen_pin) or self.host.keeps_pin

    def shown(self) -> None:
        if self.host.keeps_pin:
            self.pad.hide()
            self.done.hide()
            self.again.hide()
            return
        if self.host.chosen_pin:
            self.pad.hide()
        else:
            self.pad.ask("set")
            self.pad.cancel_button.hide()
            self.holder.setMinimumSize(self.pad.sizeHint())  # measured polished, with its keys
        self.done.setVisible(bool(self.host.chosen_pin))
        self.again.setVisible(bool(self.host.chosen_pin))

    def _chosen(self, new_pin: str) -> None:
        self.host.chosen_pin = new_pin
        self.pad.hide()
        self.done.show()
        self.again.show()
        self.host.update_next()
        self.host.focus_next()

    def _choose_again(self) -> None:
        self.host.chosen_pin = ""
        self.host.update_next()
        self.shown()
