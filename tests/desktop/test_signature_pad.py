"""The handwritten signature pad: strokes from synthetic mouse and touch events, compact path data the
wire schema accepts, rendered back pixel for pixel, undo and clear; and the pad on the sign form of a
campaign that asks for it (optional, required), through the real window and a real database file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from db import campaigns
from db.fields import HANDWRITING_MAX
from db.paths import database_path
from db.schemas import SignatureCreate
from desktop.flow import Page
from desktop.signature_pad import (
    BOX,
    SignaturePad,
    painter_path,
    render_path_data,
    strokes_from_path_data,
    to_path_data,
)
from desktop.widgets import enable_finger_scrolling
from utils.factories import copy_bundle, edit, record_input

ZIGZAG = [QPoint(30 + i * 13, 40 + (i % 6) * 12) for i in range(36)]


@pytest.fixture
def pad(qtbot) -> SignaturePad:
    widget = SignaturePad()
    widget.resize(640, 260)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _draw_with_mouse(canvas: QWidget, points: list[QPoint]) -> None:
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[0])
    for point in points[1:]:
        QTest.mouseMove(canvas, point)
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[-1])


def _touch(canvas: QWidget, device, action: str, point: QPoint) -> None:  # type: ignore[no-untyped-def]
    sequence = QTest.touchEvent(canvas, device)
    getattr(sequence, action)(0, point, canvas)
    # The sequence sends its event when it is destroyed. (PySide 6's commit() drops a reference to
    # None on every call: a few thousand calls crash the interpreter when it exits.)
    del sequence


def _draw_with_finger(canvas: QWidget, points: list[QPoint]) -> None:
    device = QTest.createTouchDevice()
    _touch(canvas, device, "press", points[0])
    for point in points[1:]:
        _touch(canvas, device, "move", point)
    _touch(canvas, device, "release", points[-1])


def _ink(image: QImage, frame: int = 4) -> set[tuple[int, int]]:
    """Pixels clearly darker than the paper (the pen is the text colour, the paper white), inside the
    pad's frame."""
    image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    return {(x, y) for y in range(frame, image.height() - frame) for x in range(frame, image.width() - frame)
            if image.pixelColor(x, y).value() < 128}


def _same_drawing(first: set[tuple[int, int]], second: set[tuple[int, int]]) -> bool:
    """The same lines, up to anti-aliasing (where the pad's segments overlap, their edges add up): no
    ink more than a pixel away from the other's ink, and 95 % of it in common."""
    def near(pixels: set[tuple[int, int]], other: set[tuple[int, int]]) -> bool:
        return all(any((x + dx, y + dy) in other for dx in (-1, 0, 1) for dy in (-1, 0, 1)) for x, y in pixels)

    common = len(first & second)
    return (bool(first) and common >= 0.95 * len(first) and common >= 0.95 * len(second)
            and near(first, second) and near(second, first))


def _valid_signature_svg(data: str) -> bool:
    record = SignatureCreate.model_validate(record_input(signature_svg=data))
    return record.signature_svg == data


def test_a_mouse_stroke_is_recorded_and_rendered_back(qtbot, pad):
    canvas = pad.canvas
    assert pad.is_empty() and not pad.undo_button.isEnabled()
    with qtbot.waitSignal(pad.changed):
        _draw_with_mouse(canvas, ZIGZAG)
    (stroke,) = canvas.strokes
    assert len(stroke) == len(ZIGZAG)  # every reported point kept (each lands on its own unit)
    assert stroke[0] == canvas.to_box(ZIGZAG[0].toPointF())
    assert all(0 <= x <= BOX and 0 <= y <= BOX for x, y in stroke)

    data = pad.path_data()
    assert data is not None and data.startswith("M") and "q" in data
    assert len(data) < 12 * len(stroke)  # compact: whole units, relative moves, one "q" per stroke
    assert _valid_signature_svg(data)
    assert strokes_from_path_data(data) == canvas.strokes  # exactly the points, back from the text

    # Rendered back from the text alone: the same pixels as the pad drew point by point.
    again = SignaturePad()
    qtbot.addWidget(again)
    again.resize(pad.size())
    again.show()
    qtbot.waitExposed(again)
    again.set_path_data(data)
    assert again.canvas.size() == canvas.size()
    drawn, redrawn = _ink(canvas.grab().toImage()), _ink(again.canvas.grab().toImage())
    assert _same_drawing(drawn, redrawn)
    assert _same_drawing(drawn, _ink(render_path_data(data, canvas.size())))
    assert again.path_data() == data


def test_finger_strokes_and_a_tap_are_recorded_and_rendered_back(qtbot, pad):
    canvas = pad.canvas
    _draw_with_finger(canvas, ZIGZAG)
    _draw_with_finger(canvas, [QPoint(300, 90)])  # a dot, as on an i
    assert [len(s) for s in canvas.strokes] == [len(ZIGZAG), 1]
    data = pad.path_data()
    assert data is not None and data.count("M") == 2 and data.endswith("l0 0")
    assert _valid_signature_svg(data)
    image = render_path_data(data, canvas.size())
    dot = canvas.strokes[1][0]
    unit = canvas.unit()
    assert image.pixelColor(round(dot[0] * unit), round(dot[1] * unit)).value() < 128  # the dot is drawn
    assert _same_drawing(_ink(canvas.grab().toImage()), _ink(image))


def test_undo_takes_the_last_stroke_and_clear_takes_everything(qtbot, pad):
    canvas = pad.canvas
    untouched = canvas.grab().toImage()
    _draw_with_mouse(canvas, ZIGZAG[:12])
    first = pad.path_data()
    _draw_with_mouse(canvas, ZIGZAG[14:])
    assert len(canvas.strokes) == 2
    qtbot.mouseClick(pad.undo_button, Qt.MouseButton.LeftButton)
    assert pad.path_data() == first
    assert _same_drawing(_ink(canvas.grab().toImage()), _ink(render_path_data(first or "", canvas.size())))
    qtbot.mouseClick(pad.clear_button, Qt.MouseButton.LeftButton)
    assert pad.is_empty() and pad.path_data() is None
    assert canvas.grab().toImage() == untouched
    assert not pad.undo_button.isEnabled() and not pad.clear_button.isEnabled()


def test_the_pad_draws_inside_a_page_that_scrolls_with_a_finger(qtbot):
    """The sign form scrolls with a finger (QScroller): on the pad, the finger or mouse draws."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    inner = QWidget()
    column = QVBoxLayout(inner)
    column.addSpacing(400)
    pad = SignaturePad()
    column.addWidget(pad)
    column.addSpacing(400)
    area.setWidget(inner)
    enable_finger_scrolling(area.viewport())
    qtbot.addWidget(area)
    area.resize(700, 400)
    area.show()
    qtbot.waitExposed(area)
    area.ensureWidgetVisible(pad)
    before = area.verticalScrollBar().value()
    _draw_with_mouse(pad.canvas, [QPoint(40 + i * 9, 60 + (i % 4) * 15) for i in range(30)])
    assert [len(s) for s in pad.canvas.strokes] == [30]
    assert area.verticalScrollBar().value() == before


def test_foreign_path_data_renders_too():
    path = painter_path("M10 10L100 10Q150 50 100 100C80 120 40 120 10 100Z m5 5l1 1")
    assert path.boundingRect() == QRectF(10, 10, 115, 105)  # the curves' extremes: x 125 (Q), y 115 (C)
    assert path.currentPosition() == QPointF(16, 16)  # Z went back to 10,10; then relative moves
    assert to_path_data([[(1, 2)], [(3, 4), (5, 6)], [(0, 0), (10, 0), (10, 10), (0, 10)]]) == \
        "M1 2l0 0M3 4l2 2M0 0q10 0 10 5 0 5-5 5l-5 0"


def test_a_long_signature_stays_within_the_wire_limit(qtbot, pad):
    canvas = pad.canvas
    points = [QPoint(20 + (i * 7) % 600, 30 + (i * 5) % 120) for i in range(2000)]
    _draw_with_finger(canvas, points)
    data = pad.path_data()
    assert data is not None and len(data) < HANDWRITING_MAX
    assert _valid_signature_svg(data)


# -- on the sign form --------------------------------------------------------------------------------

def _campaign_with_handwriting(ctx, tmp_path: Path, setting: str) -> campaigns.Campaign:
    folder = copy_bundle("act-on-syria", tmp_path)
    edit(folder / "campaign.toml", "[form]\n", f'[form]\nhandwriting = "{setting}"\n')
    campaign = campaigns.load_bundle(folder)
    ctx.campaigns[campaign.slug] = campaign
    return campaign


def _fill_form(qtbot, window):
    qtbot.mouseClick(window.letter.sign_button, Qt.MouseButton.LeftButton)
    assert window.flow.page is Page.SIGN
    form = window.sign
    qtbot.keyClicks(form.editors["given_name"], "Hala")
    qtbot.keyClicks(form.editors["family_name"], "Darwish")
    form.consent.box.setChecked(True)
    return form


def _stored_svg(ctx, signature_id: str) -> str | None:
    con = sqlite3.connect(database_path(ctx.data_dir))
    try:
        return con.execute("SELECT signature_svg FROM signature WHERE id = ?", (signature_id,)).fetchone()[0]
    finally:
        con.close()


def test_a_required_signature_is_asked_for_then_saved_with_the_signature(qtbot, window, ctx, tmp_path):
    _campaign_with_handwriting(ctx, tmp_path, "required")
    window.sign.show_campaign(ctx.shown)
    form = _fill_form(qtbot, window)
    assert form.pad is not None and form.pad.isVisible()
    captions = [lbl.text() for lbl in form.form.findChildren(type(form.heading)) if lbl.text().startswith("Your signature")]
    assert captions == ["Your signature"]  # required: no "(optional)"

    qtbot.mouseClick(form.sign_button, Qt.MouseButton.LeftButton)
    assert window.flow.page is Page.SIGN
    error = form.errors["signature_svg"]
    assert error.isVisible() and "sign in the box" in error.text()
    assert form.editors["given_name"].text() == "Hala"

    form.scroll_area.ensureWidgetVisible(form.pad)
    _draw_with_finger(form.pad.canvas, ZIGZAG)
    drawn = form.pad.path_data()
    with qtbot.waitSignal(window.saved, timeout=5000) as saved:
        qtbot.mouseClick(form.sign_button, Qt.MouseButton.LeftButton)
    assert window.flow.page is Page.THANKS
    assert _stored_svg(ctx, saved.args[0]) == drawn
    assert form.pad.is_empty()  # wiped for the next person


def test_an_optional_signature_may_be_left_out_and_survives_a_language_switch(qtbot, window, ctx, tmp_path):
    _campaign_with_handwriting(ctx, tmp_path, "optional")
    window.sign.show_campaign(ctx.shown)
    form = _fill_form(qtbot, window)
    form.scroll_area.ensureWidgetVisible(form.pad)
    _draw_with_mouse(form.pad.canvas, ZIGZAG)
    drawn = form.pad.path_data()
    window.set_language("ar")  # the same signer switches language: what they drew stays
    form = window.sign
    assert form.pad is not None and form.pad.path_data() == drawn
    window.set_language("en")
    form.pad.clear()
    form.consent.box.setChecked(True)  # consent is given again to the words now shown
    with qtbot.waitSignal(window.saved, timeout=5000) as saved:
        qtbot.mouseClick(form.sign_button, Qt.MouseButton.LeftButton)
    assert _stored_svg(ctx, saved.args[0]) is None


def test_campaigns_without_handwriting_show_no_pad(qtbot, window):
    qtbot.mouseClick(window.letter.sign_button, Qt.MouseButton.LeftButton)
    assert window.sign.pad is None
    assert "signature_svg" not in window.sign.draft().fields


def test_the_built_in_aleppo_campaign_offers_the_pad_without_changing_its_hashes():
    from utils.factories import builtin_campaign

    aleppo = builtin_campaign("aleppo")
    assert aleppo.manifest.form.handwriting == "optional"
    without = aleppo.manifest.model_copy(update={"form": aleppo.manifest.form.model_copy(update={"handwriting": "off"})})
    assert campaigns.Campaign(aleppo.path, without, aleppo.texts).locale_hashes() == aleppo.locale_hashes()


def test_the_pad_is_wiped_by_the_idle_reset(qtbot, window, ctx, tmp_path):
    _campaign_with_handwriting(ctx, tmp_path, "optional")
    window.sign.show_campaign(ctx.shown)
    form = _fill_form(qtbot, window)
    form.scroll_area.ensureWidgetVisible(form.pad)
    _draw_with_mouse(form.pad.canvas, ZIGZAG)
    window.idle_ms, window.countdown_s = 1000, 1
    window._arm_idle()
    with qtbot.waitSignal(window.reset_done, timeout=5000):
        pass
    assert window.sign.pad.is_empty() and window.sign.pad.path_data() is None
