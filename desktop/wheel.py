"""Scrolling a page past a number box or a list must not change it.

Qt gives the mouse wheel to whatever value widget is under the pointer, focused or not: scrolling the
panel's Settings page changed "Idle reset after" from 90 to 73 on the way down, and the next "Save
settings" would have stored a value nobody chose. Here a value widget takes the wheel only once it has
the focus (a click or a tap gives it); otherwise the wheel scrolls the page around it, as in a browser.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QApplication, QComboBox, QWidget

VALUE_WIDGETS = (QAbstractSpinBox, QComboBox)


class _WheelOnlyWhenFocused(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QWidget) or watched.hasFocus():
            return False
        area = watched.parentWidget()
        while area is not None and not isinstance(area, QAbstractScrollArea):
            area = area.parentWidget()
        if area is not None:
            QApplication.sendEvent(area.viewport(), event)  # the page around it scrolls instead
        return True


_filter: _WheelOnlyWhenFocused | None = None


def guard_wheel(root: QWidget) -> None:
    """Make every spin box, date box and drop-down list under ``root`` (and ``root`` itself) take the
    wheel only when focused. Safe to call again on the same widgets after more were added."""
    global _filter
    if _filter is None:
        _filter = _WheelOnlyWhenFocused()
    widgets: list[QWidget] = [root] if isinstance(root, VALUE_WIDGETS) else []
    for kind in VALUE_WIDGETS:
        widgets.extend(root.findChildren(kind))
    for widget in widgets:
        if widget.property("wheel_guarded"):
            continue
        widget.setProperty("wheel_guarded", True)
        # A wheel turn alone must not focus it either (Qt's WheelFocus would, then change it).
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        widget.installEventFilter(_filter)
