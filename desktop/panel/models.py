"""The panel's tables as Model/View models (house style rule 8): column constants, an id role, and
nothing that needs a window, so tests drive them directly."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from db.panel import AttentionRow, InstalledVersion
from desktop.i18n import LANGUAGES
from desktop.panel.words import audit_words, outcome_words, reason_words, source_words

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the signature's id (or the row's key)
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


def _when(moment: Any) -> str:
    if moment is None:
        return ""
    return QLocale().toString(moment.astimezone().replace(tzinfo=None), QLocale.FormatType.ShortFormat)


class _Table(QAbstractTableModel):
    HEADERS: tuple[object, ...] = ()  # QT_TRANSLATE_NOOP texts

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Any] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 (Qt API)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 (Qt API)
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("Panel", str(self.HEADERS[section]))
        return None

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def retranslate(self) -> None:
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.HEADERS) - 1))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.HEADERS) - 1)


class AttentionModel(_Table):
    """Signatures the server refused (and those a coordinator set aside), the reason in plain words."""

    # No column of its own for the state: a row set aside says so in its reason ("Set aside by a
    # coordinator (a duplicate)"), and the reason gets the room (German at 1024 pixels left it a
    # word per line beside "braucht Aufmerksamkeit").
    SEQ, CAMPAIGN, SIGNED, NAME, REASON = range(5)
    HEADERS = (QT_TRANSLATE_NOOP("Panel", "No."), QT_TRANSLATE_NOOP("Panel", "Campaign"),
               QT_TRANSLATE_NOOP("Panel", "Signed"), QT_TRANSLATE_NOOP("Panel", "Name"),
               QT_TRANSLATE_NOOP("Panel", "Why"))  # translated in headerData
    rows: list[AttentionRow]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == ID_ROLE:
            return row.id
        if role == SORT_ROLE:
            return (row.seq, row.campaign_slug, row.created_at, row.name, row.reason)[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == self.REASON:
            return row.reason  # the server's own words, for whoever fixes the cause
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == self.SEQ:
            return str(row.seq)
        if column == self.CAMPAIGN:
            return row.campaign_slug
        if column == self.SIGNED:
            return _when(row.created_at)
        if column == self.NAME:
            return row.name
        return reason_words(row.reason)

    def ids(self, rows: list[int]) -> list[str]:
        return [self.rows[r].id for r in rows if 0 <= r < len(self.rows)]


class AuditModel(_Table):
    AT, WHAT, DETAIL = range(3)
    HEADERS = (QT_TRANSLATE_NOOP("Panel", "When"), QT_TRANSLATE_NOOP("Panel", "What"), QT_TRANSLATE_NOOP("Panel", "Details"))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self.rows[index.row()]
        if role == ID_ROLE:
            return entry.id
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if index.column() == self.AT:
            return _when(entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=UTC))
        if index.column() == self.WHAT:
            return audit_words(entry.kind)
        detail = {k: v for k, v in entry.detail.items() if k != "ids"}
        return ", ".join(f"{k}: {v}" for k, v in detail.items())


class HistoryModel(_Table):
    """Sync runs, newest first (the sync_run table)."""

    FINISHED, OUTCOME, SENT, DUPLICATES, ATTENTION, PENDING = range(6)
    HEADERS = (QT_TRANSLATE_NOOP("Panel", "Finished"), QT_TRANSLATE_NOOP("Panel", "Result"), QT_TRANSLATE_NOOP("Panel", "Sent"), QT_TRANSLATE_NOOP("Panel", "Duplicates"), QT_TRANSLATE_NOOP("Panel", "Need attention"), QT_TRANSLATE_NOOP("Panel", "Still pending"))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        run = self.rows[index.row()]
        column = index.column()
        if column == self.FINISHED:
            at = run.finished_at
            return _when(at if at.tzinfo else at.replace(tzinfo=UTC))
        if column == self.OUTCOME:
            return outcome_words(run.outcome)
        locale = QLocale()
        counts = {self.SENT: run.sent, self.DUPLICATES: run.duplicates, self.ATTENTION: run.attention,
                  self.PENDING: run.pending}
        return locale.toString(int(counts[column]))


class VersionsModel(_Table):
    """The campaign versions installed on this device (the campaign_version table), newest first per
    campaign. ``titles`` may give a campaign's title in the interface's language (for the version
    the device runs); other versions keep the title they were installed with."""

    SLUG, TITLE, VERSION, SOURCE, INSTALLED, LANGUAGES = range(6)
    HEADERS = (QT_TRANSLATE_NOOP("Panel", "Campaign"), QT_TRANSLATE_NOOP("Panel", "Title"),
               QT_TRANSLATE_NOOP("Panel", "Version"), QT_TRANSLATE_NOOP("Panel", "Source"),
               QT_TRANSLATE_NOOP("Panel", "Installed"), QT_TRANSLATE_NOOP("Panel", "Languages"))
    rows: list[InstalledVersion]

    def __init__(self) -> None:
        super().__init__()
        self.titles: dict[tuple[str, int], str] = {}

    def set_versions(self, rows: list[InstalledVersion], titles: dict[tuple[str, int], str] | None = None) -> None:
        self.titles = dict(titles or {})
        self.set_rows(rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == ID_ROLE:
            return f"{row.slug}@{row.version}"
        if role == SORT_ROLE:
            return (row.slug, self._title(row), row.version, row.source, row.installed_at, len(row.locales))[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.VERSION:
            return int(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.LANGUAGES:
            tip = self._names(row.locales)
            if row.unreviewed:
                tip += "\n" + QCoreApplication.translate(
                    "Panel", "Not reviewed by a native speaker yet: %1. Until then the form shows the English "
                             "consent text under the translation.").replace("%1", self._names(row.unreviewed))
            return tip
        if role == Qt.ItemDataRole.ToolTipRole and column == self.INSTALLED:
            return _when(row.installed_at)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == self.SLUG:
            return row.slug
        if column == self.TITLE:
            return self._title(row)
        if column == self.VERSION:
            return QLocale().toString(row.version)
        if column == self.SOURCE:
            return source_words(row.source)
        if column == self.INSTALLED:  # the day; the time is in the tooltip
            day = row.installed_at.astimezone().date()
            return QLocale().toString(QDate(day.year, day.month, day.day), QLocale.FormatType.ShortFormat)
        # The codes, as the bundle's files are named (ar.toml): short enough that the title keeps its
        # room in German at 1024 pixels. The names, and which translations are unreviewed, are in the
        # tooltip (a mark on an Arabic name lands wherever the bidi rules put it).
        return ", ".join(row.locales)

    def _title(self, row: InstalledVersion) -> str:
        return self.titles.get((row.slug, row.version), row.title)

    @staticmethod
    def _names(locales: tuple[str, ...]) -> str:
        return QCoreApplication.translate("Panel", ", ").join(LANGUAGES.get(loc, loc) for loc in locales)
