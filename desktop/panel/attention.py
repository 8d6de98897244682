"""The panel's "needs attention": signatures the server refused and why; send them again or set them
aside with a reason (never deleted)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLineEdit
from sqlmodel import Session

from db import panel as queries
from desktop.panel.models import AttentionModel
from desktop.panel.section import Section, table
from desktop.panel.words import SET_ASIDE, tr
from desktop.widgets import button, label


class AttentionSection(Section):
    name = "attention"

    def build(self) -> None:
        column = self.column
        self.intro = label(role="muted")
        self.model = AttentionModel()
        self.view = table(self.model)
        self.view.setWordWrap(True)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setSectionResizeMode(AttentionModel.REASON, QHeaderView.ResizeMode.Stretch)
        self.retry_button = button()
        self.retry_button.clicked.connect(self.retry_selected)
        self.aside_reason = QComboBox()
        self.aside_note = QLineEdit()
        self.aside_note.setMaxLength(200)
        self.aside_button = button()
        self.aside_button.clicked.connect(self.set_aside_selected)
        self.message = label(role="muted")
        row = QHBoxLayout()
        row.addWidget(self.retry_button)
        row.addStretch(1)
        aside = QHBoxLayout()
        aside.addWidget(self.aside_reason)
        aside.addWidget(self.aside_note, 1)
        aside.addWidget(self.aside_button)
        column.addWidget(self.intro)
        column.addWidget(self.view, 1)
        column.addLayout(row)
        column.addLayout(aside)
        column.addWidget(self.message)

    def title(self) -> str:
        return self.tr("Needs attention")

    def retranslate(self) -> None:
        self.intro.setText(self.tr(
            "Signatures the server refused, and why. Fix the cause (for example publish the campaign on the "
            "server), then send them again, or set them aside with a reason. Nothing is ever deleted."))
        self.retry_button.setText(self.tr("Send again"))
        self.aside_button.setText(self.tr("Set aside"))
        self.aside_note.setPlaceholderText(self.tr("Note (optional, no personal data)"))
        # Names for screen readers where no caption stands in front (tests/desktop/test_accessibility.py).
        self.view.setAccessibleName(self.tr("Needs attention"))
        self.aside_note.setAccessibleName(self.tr("Note (optional, no personal data)"))
        current = self.aside_reason.currentData()
        self.aside_reason.clear()
        for key, text in SET_ASIDE.items():
            self.aside_reason.addItem(tr(text), key)
        if current:
            self.aside_reason.setCurrentIndex(max(0, self.aside_reason.findData(current)))
        self.model.retranslate()

    def fill(self) -> None:
        with Session(self.ctx.engine) as session:
            self.model.set_rows(queries.attention_rows(session=session))

    def _selected_ids(self) -> list[str]:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return self.model.ids(rows)

    def retry_selected(self) -> None:
        ids = self._selected_ids()
        if not ids:
            self.message.setText(self.tr("Select one or more rows first."))
            return
        moved = queries.retry_signatures(ids, engine=self.ctx.engine)
        self.message.setText(self.tr("%Ln signature(s) will be sent again at the next sync.", "", moved))
        self.fill()

    def set_aside_selected(self) -> None:
        ids = self._selected_ids()
        if not ids:
            self.message.setText(self.tr("Select one or more rows first."))
            return
        moved = queries.set_aside_signatures(ids, self.aside_reason.currentData(), self.aside_note.text(),
                                             engine=self.ctx.engine)
        self.aside_note.clear()
        self.message.setText(self.tr("%Ln signature(s) set aside. The log keeps the reason.", "", moved))
        self.fill()
