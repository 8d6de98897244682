"""The mouse wheel scrolls pages past number boxes and lists without changing them (desktop/wheel.py).

A coordinator scrolling the panel's Settings with a mouse changed "Idle reset after" from 90 to 73 on
the way down; the next "Save settings" would have stored it."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QApplication, QComboBox, QWidget

from desktop.flow import Event


def _turn(widget: QWidget, notches: int = -1) -> None:
    """A wheel turn over the middle of ``widget`` (negative: towards the user, scrolling down)."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                        QPoint(0, 120 * notches), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def _value(widget: QWidget) -> object:
    return widget.currentIndex() if isinstance(widget, QComboBox) else widget.text()


def _value_widgets(root: QWidget) -> list[QWidget]:
    found: list[QWidget] = [*root.findChildren(QAbstractSpinBox), *root.findChildren(QComboBox)]
    return [w for w in found if w.isEnabled() and (not isinstance(w, QComboBox) or w.count() > 1)]


def test_the_wheel_over_the_panels_settings_changes_nothing_unless_focused(qtbot, window):
    panel = window.panel
    window.stack.setCurrentWidget(panel)
    panel.show_section("settings")
    widgets = _value_widgets(panel)
    assert len(widgets) >= 4  # idle reset, retention days, theme, keyboard (and more)
    for widget in widgets:
        widget.clearFocus()
        before = _value(widget)
        _turn(widget, -1)
        _turn(widget, +1)
        _turn(widget, +1)
        assert _value(widget) == before, widget
    spin = next(w for w in widgets if isinstance(w, QAbstractSpinBox) and w.isVisible())
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    before = _value(spin)
    _turn(spin, -1)
    assert _value(spin) != before  # a focused box still takes the wheel, on purpose


def test_the_wheel_over_the_country_list_scrolls_the_form(qtbot, window):
    window.send(Event.BEGIN)
    window.send(Event.SIGN_PRESSED)
    combo = window.sign.editors["country"]
    assert isinstance(combo, QComboBox)
    combo.clearFocus()
    area = next(a for a in window.sign.findChildren(QAbstractScrollArea) if a.isAncestorOf(combo))
    bar = area.verticalScrollBar()
    assert bar.maximum() > 0  # the form is taller than a 1024x600 window
    bar.setValue(0)
    before = combo.currentIndex()
    _turn(combo, -1)
    assert combo.currentIndex() == before
    assert bar.value() > 0
