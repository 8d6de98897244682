"""Small widgets shared by the pages."""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget
from shiboken6 import isValid

if TYPE_CHECKING:
    from PySide6.QtWidgets import QScroller

MM_PER_INCH = 25.4
FINGERTIP_MM = 9  # the least height of anything a finger taps

# Start-up paints its first page before anything that page does not show (desktop/app.py): between
# hold_until_painted() and first_paint_done(), after_first_paint() keeps such steps for later.
# Labels' plain-text format and buttons' pointing-hand cursor wait there because both need Qt's
# namespace (Qt.TextFormat, Qt.CursorShape, ...), which PySide builds on first use with its 90-odd
# enums, a tenth of the app's start-up; neither changes what that first paint shows.
_until_painted: list[Callable[[], None]] | None = None


def hold_until_painted() -> None:
    global _until_painted
    if _until_painted is None:
        _until_painted = []


def first_paint_done() -> None:
    global _until_painted
    steps, _until_painted = _until_painted or [], None
    for step in steps:
        step()


def after_first_paint(step: Callable[[], None]) -> None:
    """Run ``step`` now, or, while start-up holds them, right after the first paint."""
    if _until_painted is None:
        step()
    else:
        _until_painted.append(step)


def _plain_text(lbl: QLabel) -> None:
    # here, not at the top: the first paint goes without it
    from PySide6.QtCore import Qt

    if isValid(lbl):
        lbl.setTextFormat(Qt.TextFormat.PlainText)


def _pointing_hand(btn: QPushButton) -> None:
    # here, not at the top: the first paint goes without it
    from PySide6.QtCore import Qt

    if isValid(btn):
        btn.setCursor(Qt.CursorShape.PointingHandCursor)


def screen_dots_per_mm() -> float:
    """Logical pixels per real millimetre on the primary screen (QScreen.physicalDotsPerInch is
    already divided by the device pixel ratio). Screens that report no size, or an absurd one
    (projectors, some TVs), fall back to the logical DPI."""
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return 96 / MM_PER_INCH
    dpi = screen.physicalDotsPerInch()
    if not 30 <= dpi <= 1200:
        dpi = screen.logicalDotsPerInch()
    return dpi / MM_PER_INCH


def fingertip() -> int:
    """FINGERTIP_MM in logical pixels on this screen."""
    return math.ceil(FINGERTIP_MM * screen_dots_per_mm())


def styled(widget: QWidget, role: str) -> QWidget:
    """Give a widget a stylesheet role (resources/styles/kiosk.qss)."""
    widget.setProperty("role", role)
    return widget


def restyle(widget: QWidget) -> None:
    """Apply the stylesheet again after a dynamic property it selects on changed (``role``, ``invalid``,
    ``alert``): Qt does not notice such a change by itself."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def label(text: str = "", role: str | None = None, *, wrap: bool = True) -> QLabel:
    lbl = QLabel(text)
    lbl.setWordWrap(wrap)
    after_first_paint(lambda: _plain_text(lbl))
    if role:
        styled(lbl, role)
    return lbl


def button(text: str = "", role: str | None = None) -> QPushButton:
    btn = QPushButton(text)
    if role:
        styled(btn, role)
    after_first_paint(lambda: _pointing_hand(btn))
    return btn


def bottom_bar(*widgets: QWidget | None, stretch_at: int = 0, grow: QWidget | None = None) -> QFrame:
    """A bar of buttons along the bottom. Free space goes to ``grow`` if given (a label that may then
    wrap only when the window is narrow), otherwise to an empty stretch at ``stretch_at``."""
    bar = QFrame()
    styled(bar, "bar")
    row = QHBoxLayout(bar)
    m = bar.fontMetrics().height()
    row.setContentsMargins(m, m // 2, m, m // 2)
    row.setSpacing(m // 2)
    for i, w in enumerate(widgets):
        if i == stretch_at and grow is None:
            row.addStretch(1)
        if w is not None:
            row.addWidget(w, 1 if w is grow else 0)
    if stretch_at >= len(widgets) and grow is None:
        row.addStretch(1)
    return bar


class AdaptiveBar(QFrame):
    """A bottom bar that keeps to the screen's width: one row when everything fits, otherwise the
    ``secondary`` controls move to a row of their own above ``grow`` and ``main``.

    Its minimum width is that of the two-row arrangement, set explicitly so the one-row layout's
    larger minimum never forces the window wider than an 800-pixel tablet (in German above all)."""

    def __init__(self, grow: QWidget, secondary: list[QWidget], main: QWidget) -> None:
        super().__init__()
        styled(self, "bar")
        self.grow, self.secondary, self.main = grow, secondary, main
        m = self.fontMetrics().height()
        self._spacing = m // 2
        column = QVBoxLayout(self)
        column.setContentsMargins(m, m // 2, m, m // 2)
        column.setSpacing(self._spacing)
        self.upper_row = QHBoxLayout()
        self.lower_row = QHBoxLayout()
        for row in (self.upper_row, self.lower_row):
            row.setSpacing(self._spacing)
            column.addLayout(row)
        self.two_rows: bool | None = None
        self._arrange(two_rows=False)

    def _widths(self, widgets: list[QWidget]) -> int:
        shown = [w for w in widgets if not w.isHidden()]
        return sum(w.sizeHint().width() for w in shown) + self._spacing * max(0, len(shown) - 1)

    def rearrange(self) -> None:
        """Choose one or two rows for the present width (after a resize, new texts, shown/hidden)."""
        column = self.layout()
        assert column is not None  # made in __init__
        margins = column.contentsMargins()
        inner = self.width() - margins.left() - margins.right()
        needed = self._widths([self.grow, *self.secondary, self.main]) + self.grow.fontMetrics().height() * 4
        self._arrange(two_rows=needed > inner)
        narrow = max(self._widths(self.secondary), self._widths([self.main])) + margins.left() + margins.right()
        self.setMinimumWidth(narrow)

    def _arrange(self, *, two_rows: bool) -> None:
        if two_rows == self.two_rows:
            return
        self.two_rows = two_rows
        for row in (self.upper_row, self.lower_row):
            while row.count():
                row.takeAt(0)
        if two_rows:
            self.upper_row.addStretch(1)
            for w in self.secondary:
                self.upper_row.addWidget(w)
            self.lower_row.addWidget(self.grow, 1)
            self.lower_row.addWidget(self.main)
        else:
            self.lower_row.addWidget(self.grow, 1)
            for w in self.secondary:
                self.lower_row.addWidget(w)
            self.lower_row.addWidget(self.main)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self.rearrange()


_scrolled: weakref.WeakSet[QWidget] = weakref.WeakSet()
_dragged_by_mouse: weakref.WeakSet[QWidget] = weakref.WeakSet()  # read-only text: a drag always scrolls
_mouse_drag = False


def _scroll_gesture(viewport: QWidget) -> QScroller.ScrollerGestureType:
    # here, not at the top: the first paint goes without it
    from PySide6.QtWidgets import QScroller

    kind = QScroller.ScrollerGestureType
    return kind.LeftMouseButtonGesture if _mouse_drag or viewport in _dragged_by_mouse else kind.TouchGesture


def enable_finger_scrolling(viewport: QWidget, *, mouse_drags: bool = False) -> None:
    """Kinetic scrolling with one finger; in kiosk mode a mouse drag scrolls too (set_mouse_drag_scrolling).
    ``mouse_drags``: a mouse drag scrolls here always, for text that is read, not copied (the letter):
    a volunteer dragging it with a mouse selected text instead of scrolling."""
    # here, not at the top: the first paint goes without it
    from PySide6.QtWidgets import QScroller

    _scrolled.add(viewport)
    if mouse_drags:
        _dragged_by_mouse.add(viewport)
    QScroller.grabGesture(viewport, _scroll_gesture(viewport))


def set_mouse_drag_scrolling(on: bool) -> None:
    """Kiosk mode: a drag with the mouse button scrolls like a finger, for touch panels that send
    mouse events only and because nobody selects text there (Qt turns unhandled touches into mouse
    events, so a finger still scrolls). Outside kiosk mode a finger scrolls and a mouse selects."""
    global _mouse_drag
    if on == _mouse_drag:
        return
    _mouse_drag = on
    # here, not at the top: the first paint goes without it
    from PySide6.QtWidgets import QScroller

    for viewport in list(_scrolled):
        QScroller.grabGesture(viewport, _scroll_gesture(viewport))  # replaces the previous gesture


class TappableCard(QFrame):
    """A large card a finger taps (or Return, Enter or Space chooses): ``clicked`` on release inside."""

    clicked = Signal()

    def __init__(self) -> None:
        from PySide6.QtCore import Qt  # not at import: see the note at the top

        super().__init__()
        styled(self, "campaign-card")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        # here, not at the top: the first paint goes without it
        from PySide6.QtCore import Qt

        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        # here, not at the top: the first paint goes without it
        from PySide6.QtCore import Qt

        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
        else:
            super().keyPressEvent(event)


class ClickableLabel(QLabel):
    """A wrapped label that toggles its buddy check box when tapped (check boxes cannot wrap text)."""

    clicked = Signal()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        # here, not at the top: the first paint goes without it
        from PySide6.QtCore import Qt

        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class LanguageBar(QWidget):
    """English / العربية / Deutsch, each written in its own language; the current one is marked.
    Shown on every page a signer sees, so anyone can switch at any moment. ``compact`` (the bottom
    bars of the letter and the form, where width is scarce): only the languages not showing."""

    chosen = Signal(str)

    def __init__(self, languages: dict[str, str], parent: QWidget | None = None, *, compact: bool = False) -> None:
        super().__init__(parent)
        self.compact = compact
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(self.fontMetrics().height() // 3)
        self.buttons: dict[str, QPushButton] = {}
        for code, name in languages.items():
            btn = button(name, "language")
            btn.setCheckable(True)
            btn.setAutoExclusive(False)
            btn.setAccessibleName(name)
            btn.clicked.connect(lambda _=False, c=code: self._choose(c))
            row.addWidget(btn)
            self.buttons[code] = btn

    def _choose(self, code: str) -> None:
        self.chosen.emit(code)

    def show_current(self, locale: str) -> None:
        current = locale.split("-")[0]
        for code, btn in self.buttons.items():
            btn.setChecked(code == current)
            if self.compact:
                btn.setVisible(code != current)
