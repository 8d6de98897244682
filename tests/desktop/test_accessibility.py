"""Every control has a name a screen reader can say, and text grows with a larger font without being
cut off."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextBrowser,
    QWidget,
)

from desktop.flow import Page
from desktop.panel import SECTIONS
from desktop.warm_up import prepare

CONTROLS = (QAbstractButton, QLineEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox, QAbstractItemView,
            QTextBrowser)



@pytest.fixture(autouse=True)
def back_to_english(qapp):
    """A window opened in Arabic installs its catalogue for the whole application: the next test
    starts in English again."""
    yield
    import gc

    from desktop.i18n import Translators, apply_language

    gc.collect()  # a closed window's translators leave the application when they are collected
    for widget in qapp.topLevelWidgets():
        translators = getattr(widget, "translators", None)
        if translators is not None:
            translators.install(qapp, "en")
    apply_language(qapp, Translators(), "en")


def _every_screen(window):
    """Show each page, overlay and panel section in turn; yields its name."""
    for page in (Page.ATTRACT, Page.LETTER, Page.SIGN, Page.THANKS, Page.PICKER):
        window.go_to(page)
        yield page.name
    window.go_to(Page.SIGN)
    window.submit()  # the messages of an empty form
    yield "sign with errors"
    window.start_countdown()
    window.countdown.ticker.stop()
    yield "countdown"
    window.still_here()
    window.ask_pin()
    yield "PIN pad"
    window.pin_pad.cancel()
    window.open_panel()
    for section in SECTIONS:
        window.panel.show_section(section)
        yield "panel " + section
    window.panel.close_requested.emit()


def _window(qtbot, tmp_path: Path, locale: str, size: tuple[int, int] = (1024, 600)):
    from db import pin
    from desktop.context import open_context
    from utils.windows import show_window

    pin.set_pin(tmp_path / "data", "246810")
    ctx = open_context(tmp_path / "data", locale=locale, campaign="act-on-syria")
    window = show_window(qtbot, ctx, size)
    prepare(window)
    return ctx, window


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_every_control_has_a_name(qtbot, tmp_path: Path, locale: str):
    """What a screen reader says for each button, field, list and the letter: its accessible name,
    which Qt takes from accessibleName, the visible text or the caption (buddy) in front of it."""
    ctx, window = _window(qtbot, tmp_path, locale)
    try:
        unnamed: list[str] = []
        checked = 0
        for where in _every_screen(window):
            QApplication.processEvents()
            for widget in window.findChildren(QWidget):
                if not isinstance(widget, CONTROLS) or not widget.isVisible():
                    continue
                if isinstance(widget, QHeaderView) or isinstance(widget.parentWidget(), QAbstractSpinBox):
                    continue  # parts of a table or a spin box, named with it
                checked += 1
                interface = QAccessible.queryAccessibleInterface(widget)
                name = interface.text(QAccessible.Text.Name).strip() if interface is not None else ""
                if not name:
                    unnamed.append(f"{where}: {type(widget).__name__} {widget.objectName()!r}")
        assert checked > 100
        assert unnamed == []
    finally:
        ctx.engine.dispose()


def _clipped(window) -> list[str]:
    """Labels and buttons shown smaller than their text needs."""
    out = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel) and widget.text():
            if widget.wordWrap():
                needed_width = 0
                needed_height = widget.heightForWidth(widget.width())
            else:
                hint = widget.minimumSizeHint()
                needed_width, needed_height = hint.width(), hint.height()
        elif isinstance(widget, QAbstractButton) and widget.text():
            hint = widget.sizeHint()
            needed_width, needed_height = hint.width(), hint.height()
        else:
            continue
        if widget.width() < needed_width or widget.height() < needed_height:
            out.append(f"{type(widget).__name__} {widget.text()[:40]!r}: {widget.width()}x{widget.height()} "
                       f"< {needed_width}x{needed_height}")
    return out


@pytest.mark.parametrize("scale", [1.0, 1.5])
@pytest.mark.parametrize("locale", ["en", "ar"])
def test_text_follows_a_larger_font_without_being_cut_off(qtbot, tmp_path: Path, locale: str, scale: float):
    """At the usual size on a 1024x600 tablet, and half as large again on a screen as much larger
    (the same layout for the text): no label or button cut off, and no page taller or wider than
    the screen."""
    from desktop.app import BASE_POINT_SIZE, make_application, set_text_size

    app = make_application()
    set_text_size(app, scale)
    size = (round(1024 * scale), round(600 * scale))
    try:
        ctx, window = _window(qtbot, tmp_path, locale, size)
        try:
            assert window.sign.heading.font().pointSizeF() == pytest.approx(24 * scale)  # the stylesheet's too
            problems = []
            for where in _every_screen(window):
                QApplication.processEvents()
                problems += [f"{where}: {problem}" for problem in _clipped(window)]
                assert (window.width(), window.height()) == size, where  # nothing pushed it bigger
            assert problems == [], "\n".join(problems)
        finally:
            ctx.engine.dispose()
    finally:
        set_text_size(app, 1.0)
    assert app.font().pointSizeF() == BASE_POINT_SIZE
