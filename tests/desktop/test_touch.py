"""Touch: every control a fingertip high (9 mm) at the screen's real DPI, the letter and the form
scrolling with one finger, the right keys for each field, nothing that only a mouse pointer finds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from x_display import needs_xvfb, run_child, xvfb

from desktop.warm_up import prepare

MM_PER_INCH = 25.4

# Builds the real window on the X server it is given and measures every control on every page the
# signer and the coordinator see, the overlays included. Prints the screen's pixels per mm and
# every control less than 9 mm high.
TOUCH_SIZES = r"""
import json, math, sys
from pathlib import Path
from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QCheckBox, QComboBox, QLineEdit,
                               QListWidget, QPlainTextEdit, QStyle, QStyleOptionButton, QWidget)
from db import pin
from desktop.app import build_window, make_application
from desktop.widgets import screen_dots_per_mm
from desktop.context import open_context
from desktop.flow import Page
from desktop.panel import SECTIONS
from desktop.warm_up import prepare

data = Path(sys.argv[1])
pin.set_pin(data, "246810")
ctx = open_context(data, locale=sys.argv[2], campaign="act-on-syria")
app = make_application()
window = build_window(app, ctx)
window.resize(app.primaryScreen().geometry().size())
window.show()
app.processEvents()
prepare(window)
per_mm = screen_dots_per_mm()
fingertip = 9 * per_mm - 0.5  # a pixel is the rounding of a fraction
problems = []
seen = 0

def height_of(widget):
    if isinstance(widget, QCheckBox):  # what a tap hits: the box and its text, not the whole row
        option = QStyleOptionButton()
        widget.initStyleOption(option)
        return widget.style().subElementRect(QStyle.SubElement.SE_CheckBoxClickRect, option, widget).height()
    return widget.height()

def check(where):
    global seen
    app.processEvents()
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or not widget.isEnabled():
            continue
        if isinstance(widget, (QAbstractButton, QLineEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox)):
            seen += 1
            if height_of(widget) < fingertip:
                name = widget.accessibleName() or getattr(widget, "text", lambda: "")() or type(widget).__name__
                problems.append(f"{where}: {type(widget).__name__} {name!r} {height_of(widget)} px")
        elif isinstance(widget, QListWidget) and widget.property("role") == "panel-nav":
            for row in range(widget.count()):
                seen += 1
                height = widget.visualItemRect(widget.item(row)).height()
                if height < fingertip:
                    problems.append(f"{where}: panel section {row}: {height} px")

for page in (Page.ATTRACT, Page.LETTER, Page.SIGN, Page.THANKS, Page.PICKER):
    window.go_to(page)
    check(page.name)
window.go_to(Page.LETTER)
window.start_countdown()
window.countdown.ticker.stop()
check("countdown")
window.still_here()
window.ask_pin()
check("PIN pad")
window.pin_pad.hide()
window.open_panel()
for section in SECTIONS:
    window.panel.show_section(section)
    check("panel " + section)
print(json.dumps({"per_mm": per_mm, "ratio": window.devicePixelRatioF(), "seen": seen, "problems": problems}))
window.panel.close_requested.emit()
"""


@needs_xvfb
@pytest.mark.parametrize(("dpi", "ratio"), [
    (96, 1),  # an ordinary screen: 9 mm are 34 pixels
    (192, 1),  # a dense screen left unscaled: 9 mm are 68 pixels
    (192, 2),  # a dense screen scaled by 2 (QT_SCALE_FACTOR): 34 logical pixels of 2 device pixels each
], ids=["96dpi", "192dpi", "192dpi-scaled"])
def test_every_control_is_a_fingertip_high_at_the_screens_real_dpi(tmp_path: Path, dpi: int, ratio: int):
    with xvfb(f"{1024 * dpi // 96}x{600 * dpi // 96}", dpi=dpi) as env:
        env["QT_SCALE_FACTOR"] = str(ratio)
        report = json.loads(run_child(TOUCH_SIZES, str(tmp_path / "data"), "en", env=env).splitlines()[-1])
    assert report["ratio"] == ratio
    # The screen's real size reached the app: its millimetre, in device pixels, is the X server's.
    assert report["per_mm"] * ratio == pytest.approx(dpi / MM_PER_INCH, rel=0.03)
    assert report["seen"] > 60
    assert report["problems"] == []


def test_stylesheet_sizes_come_from_the_font_and_the_screen(qapp):
    from desktop.app import load_stylesheet

    def button_height(dpi: float) -> int:
        qss = load_stylesheet(dots_per_mm=dpi / MM_PER_INCH)
        rule = re.search(r"(?m)^QPushButton \{([^}]*)\}", qss)
        assert rule is not None
        return int(re.search(r"min-height: (\d+)px", rule.group(1)).group(1))  # type: ignore[union-attr]

    low, high = button_height(96), button_height(300)
    assert high == pytest.approx(9 * 300 / MM_PER_INCH, abs=1)  # 9 mm wins on a dense screen
    assert low > 9 * 96 / MM_PER_INCH  # the text's own 2.6 lines win on an ordinary one
    assert "mm" not in re.sub(r"/\*.*?\*/", "", load_stylesheet(), flags=re.S).replace("@", "")


def _drag(qtbot, viewport, device, start: QPoint, distance: int) -> None:
    steps = 15
    QTest.touchEvent(viewport, device).press(0, start, viewport).commit()
    for i in range(1, steps + 1):
        qtbot.wait(16)
        QTest.touchEvent(viewport, device).move(0, start - QPoint(0, distance * i // steps), viewport).commit()
    qtbot.wait(16)
    QTest.touchEvent(viewport, device).release(0, start - QPoint(0, distance), viewport).commit()


def test_the_letter_scrolls_with_one_finger_and_keeps_going(qtbot, window):
    prepare(window)
    viewport = window.letter.browser.viewport()
    bar = window.letter.browser.verticalScrollBar()
    assert bar.value() == 0
    device = QTest.createTouchDevice()
    _drag(qtbot, viewport, device, QPoint(viewport.width() // 2, viewport.height() * 3 // 4), 300)
    after_drag = bar.value()
    assert after_drag > 150
    qtbot.waitUntil(lambda: bar.value() > after_drag + 50, timeout=3000)  # kinetic: it goes on by itself
    from PySide6.QtWidgets import QScroller

    QScroller.scroller(viewport).stop()  # left running past its window, it swallowed the next test's drag


def test_a_mouse_drag_scrolls_the_letter_in_and_outside_kiosk_mode(qtbot, window):
    """The letter is read, not copied: a volunteer dragging it with a mouse selected text instead of
    scrolling. A drag scrolls it everywhere now (the form's fields still select with a mouse)."""
    from desktop.widgets import set_mouse_drag_scrolling

    prepare(window)
    viewport = window.letter.browser.viewport()
    bar = window.letter.browser.verticalScrollBar()
    start = QPoint(viewport.width() // 2, viewport.height() * 3 // 4)

    def mouse_drag() -> None:
        QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
        for i in range(1, 16):
            qtbot.wait(16)
            QTest.mouseMove(viewport, start - QPoint(0, 10 * i))
        QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                           start - QPoint(0, 150))
        qtbot.wait(300)

    set_mouse_drag_scrolling(False)  # as outside kiosk mode (a kiosk test before may have left it on)
    try:
        mouse_drag()
        assert bar.value() > 100
        assert not window.letter.browser.textCursor().hasSelection()
        bar.setValue(0)
        set_mouse_drag_scrolling(True)
        mouse_drag()
        assert bar.value() > 100
    finally:
        set_mouse_drag_scrolling(False)


def test_the_form_and_the_country_list_scroll_with_a_finger(window):
    from PySide6.QtWidgets import QScroller

    prepare(window)
    window.go_to(window.flow.page.SIGN)
    sign = window.sign
    assert QScroller.hasScroller(sign.scroll_area.viewport())
    assert QScroller.hasScroller(sign.editors["country"].view().viewport())


def test_each_field_asks_for_the_keys_it_needs():
    from desktop.form import HINTS

    hint = Qt.InputMethodHint
    for name in ("given_name", "family_name", "city"):
        # Names: a capital at the start, nothing remembered or suggested from the last signer.
        assert HINTS[name] & hint.ImhNoPredictiveText and HINTS[name] & hint.ImhSensitiveData
        assert not HINTS[name] & hint.ImhNoAutoUppercase
    assert HINTS["email"] & hint.ImhEmailCharactersOnly and HINTS["email"] & hint.ImhNoAutoUppercase
    assert HINTS["email"] & hint.ImhLatinOnly
    assert HINTS["phone"] & hint.ImhDialableCharactersOnly
    assert HINTS["postal_code"] & hint.ImhPreferNumbers and HINTS["postal_code"] & hint.ImhLatinOnly
    for name, value in HINTS.items():
        assert value & hint.ImhSensitiveData, name


def test_the_form_gives_its_fields_their_hints(window):
    from desktop.form import HINTS

    prepare(window)
    editors = window.sign.editors
    assert {"given_name", "email", "postal_code"} <= set(editors)
    for name in ("given_name", "email", "postal_code"):
        assert editors[name].inputMethodHints() == HINTS[name], name


def test_nothing_is_found_by_hovering_only():
    """No look or text that appears only under a mouse pointer: no :hover rules, and no tooltip
    that says more than the control's name (a finger never hovers)."""
    qss = (Path(__file__).parents[2] / "resources" / "styles" / "kiosk.qss").read_text(encoding="utf-8")
    assert ":hover" not in qss


def test_tooltips_repeat_what_is_shown_or_named(window):
    from PySide6.QtWidgets import QWidget

    from desktop.flow import Page

    prepare(window)
    for page in (Page.ATTRACT, Page.LETTER, Page.SIGN, Page.THANKS):
        window.go_to(page)
        for widget in window.pages[page].findChildren(QWidget):
            tip = widget.toolTip()
            if tip:
                shown = getattr(widget, "text", lambda: "")()
                assert tip in (widget.accessibleName(), shown), (page, tip)
