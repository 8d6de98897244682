"""The shared base of the panel's sections (one module per section beside this one): each builds its
widgets once, fills them from ``db/`` when shown, sets its words on a language switch and names itself
in the panel's side list. The panel (desktop/panel/page.py) only navigates between them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from db import settings as settings_store
from desktop.widgets import label

if TYPE_CHECKING:
    from desktop.context import AppContext
    from desktop.sync_worker import SyncWorker


class Host(Protocol):
    """What a section may ask of the panel that holds it."""

    ctx: AppContext
    worker: SyncWorker | None

    def refresh(self) -> None:
        """The device line and the section showing, read again."""

    def refresh_section(self, name: str) -> None: ...

    def current_section(self) -> str: ...

    def crowd_service(self) -> Any:
        """The window's crowd service (desktop/crowd/service.py: CrowdService), None where there is none."""

    def start_worker(self) -> SyncWorker | None:
        """The background sync, started if it is not running (None: it cannot run here)."""


def number(n: int) -> str:
    return QLocale().toString(int(n))


def short_date(day: date) -> str:
    return QLocale().toString(QDate(day.year, day.month, day.day), QLocale.FormatType.ShortFormat)


def when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    shown: str = QLocale().toString(aware.astimezone().replace(tzinfo=None),  # type: ignore[call-overload]
                                    QLocale.FormatType.ShortFormat)  # PySide takes a datetime; its stubs do not say so
    return shown


def table(model: Any) -> QTableView:
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


class Section(QWidget):
    """One section of the panel. Subclasses set ``name`` and write ``build``, ``fill``, ``retranslate``
    and ``title``; ``settings_changed`` tells the window to read the settings again."""

    name = ""
    settings_changed = Signal()

    def __init__(self, host: Host, scroll: QScrollArea) -> None:
        super().__init__()
        self.setObjectName("Page")
        # Painted by the stylesheet like the plain QWidget it replaces (Qt does so only for QWidget itself).
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.host = host
        self.ctx = host.ctx
        # In its scroll area (already in the panel's stack) before it has widgets, so each widget is
        # placed and styled once: built bottom up, every placing restyled all the widgets below.
        scroll.setWidget(self)
        self.column = QVBoxLayout(self)
        m = self.fontMetrics().height()
        self.column.setContentsMargins(m, m * 2 // 3, m, m * 2 // 3)
        self.column.setSpacing(m // 2)
        self.build()

    def build(self) -> None:
        raise NotImplementedError

    def fill(self) -> None:
        """Read what the section shows (when it is shown, and after a change)."""
        raise NotImplementedError

    def retranslate(self) -> None:
        raise NotImplementedError

    def title(self) -> str:
        """The section's name in the panel's side list."""
        raise NotImplementedError

    def settings(self) -> settings_store.Settings:
        with Session(self.ctx.engine) as session:
            return settings_store.effective(session=session, overrides=self.ctx.overrides)

    def titles(self) -> dict[str, str]:
        """The installed campaigns' titles in the shown language, by slug."""
        return {slug: c.localised(self.ctx.locale).texts.title for slug, c in self.ctx.campaigns.items()}


def set_captions(form: QFormLayout, captions: tuple[str, ...]) -> None:
    """The captions of a form's rows: made on the first call (each the buddy of its field, which names
    the field for screen readers), their words set on every call."""
    for row, text in enumerate(captions):
        item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        caption = item.widget() if item is not None else None
        if isinstance(caption, QLabel):
            caption.setText(text)
            continue
        caption = label(text, wrap=False)
        field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        editor = field.widget() if field is not None else None
        if editor is not None:
            caption.setBuddy(editor)  # the field's name for screen readers
        form.setWidget(row, QFormLayout.ItemRole.LabelRole, caption)
