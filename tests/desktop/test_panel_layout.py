"""The panel on a 1024x600 tablet: the overview fits without scrolling in English, Arabic and German
with a busy device's figures (six-digit counts, a long event name, two campaigns the server counts, a
clock the server found off), and still at 1920x1080; spin boxes keep their digits off the border in
either writing direction."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QBoxLayout

from bench.sync_data import fill_pending
from db import events
from db.engine import write_session
from db.models import SyncRun
from db.signatures import record_server_count
from db.sync import enrollment, history, store
from utils.windows import show_window

pytestmark = pytest.mark.timeout(120)


def _busy_device(ctx) -> None:  # type: ignore[no-untyped-def]
    made = datetime.now(UTC)  # today's chart, even just after midnight
    fill_pending(ctx.engine, 20_000, slug="act-on-syria", made_at=made)
    fill_pending(ctx.engine, 3_000, slug="aleppo", made_at=made)
    with write_session(ctx.engine) as session:
        events.create_event("Vigil outside the Higher Regional Court, third day", "Koblenz, Karmeliterstraße",
                            date.today(), session=session)
        for slug in ("act-on-syria", "aleppo"):
            record_server_count(slug, 1_234_567, session=session)
        session.commit()
    # The last sync at a fixed time whose text is among the widest (a two-digit day and hour): its line
    # then goes under the clock's line in every language, the overview's tallest case (a time of day
    # with narrower digits fitted them side by side, and this test passed or failed with the clock).
    finished = datetime(2025, 12, 27, 23, 58).astimezone()
    store.record_run(ctx.engine, SyncRun(started_at=finished - timedelta(minutes=3), finished_at=finished,
                                         outcome="offline", server_url="https://petitions.example.org",
                                         sent=1_234_567, duplicates=0, attention=0, pending=3_000))
    enrollment.save(ctx.data_dir, enrollment.Enrollment(
        server_url="https://petitions.example.org", device_id="0b6f3b7e-0000-4000-8000-000000000003",
        device_name="Laptop 3 (courthouse)", token="not-a-real-token"))
    (ctx.data_dir / history.VIEW_FILE).write_text(json.dumps({
        "clock_offset_s": -754.0, "signatures": 123_456, "last_seen_at": None,
        "checked_at": datetime.now(UTC).isoformat()}))


def _open_overview(qtbot, window, lang: str):  # type: ignore[no-untyped-def]
    window.open_panel()
    panel = window.panel
    with qtbot.waitSignal(panel.overview_shown, timeout=10_000):
        window.set_language(lang)  # after opening: opening the panel puts the default language back
    return panel


@pytest.mark.parametrize("lang", ["en", "ar", "de"])
def test_the_overview_fits_a_1024x600_screen_without_scrolling(qtbot, ctx, lang):
    _busy_device(ctx)
    window = show_window(qtbot, ctx, (1024, 600))
    try:
        panel = _open_overview(qtbot, window, lang)
        qtbot.wait(50)  # let the layout settle around the figures just shown
        scroll = panel.stack.currentWidget()
        assert panel.overview.tiles["waiting"].number.text() == QLocale().toString(23_000)
        assert len(panel.overview.legend.texts()) == 2 and panel.overview.clock_line.property("role") == "error"
        assert panel.overview.status.box.direction() == QBoxLayout.Direction.TopToBottom  # the tallest case
        assert scroll.verticalScrollBar().maximum() == 0, f"{lang}: scrolls by {scroll.verticalScrollBar().maximum()} px"
        assert scroll.horizontalScrollBar().maximum() == 0
        viewport = scroll.viewport().rect()
        for widget in (panel.overview.assisted_button, panel.overview.event_line, *panel.overview.tiles.values(), panel.overview.chart, panel.overview.legend,
                       panel.overview.sync_line, panel.overview.clock_line):
            box = widget.rect().translated(widget.mapTo(scroll.viewport(), widget.rect().topLeft()))
            assert viewport.contains(box), f"{lang}: {widget} at {box} outside {viewport}"
        assert panel.overview.chart.height() >= panel.fontMetrics().height() * 4  # still a chart, not a line
    finally:
        window.set_language("en")


def test_the_overview_uses_a_large_screen(qtbot, ctx):
    _busy_device(ctx)
    window = show_window(qtbot, ctx, (1920, 1080))
    panel = _open_overview(qtbot, window, "en")
    qtbot.wait(50)
    scroll = panel.stack.currentWidget()
    assert scroll.verticalScrollBar().maximum() == 0
    assert panel.overview.chart.height() > scroll.viewport().height() // 2  # the room goes to the chart


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_spin_boxes_keep_their_digits_off_the_border(qtbot, window, lang):
    window.open_panel()
    window.set_language(lang)
    try:
        panel = window.panel
        panel.show_section("settings")
        qtbot.wait(20)
        inset = panel.fontMetrics().height() // 3
        for spin in (panel.settings.idle, panel.settings.retention):
            field = spin.lineEdit().geometry()
            assert field.left() >= inset and spin.width() - 1 - field.right() >= inset, (lang, field, spin.size())
            assert field.width() > spin.width() // 2
    finally:
        window.set_language("en")


@pytest.mark.parametrize("lang", ["en", "ar", "de"])
def test_the_events_buttons_stay_in_view_at_1024x600(qtbot, window, lang):
    """The event list gives way to the form and its buttons; a long list scrolls inside itself."""
    window.resize(1024, 600)
    with write_session(window.ctx.engine) as session:
        for day in range(12):
            events.create_event(f"Vigil, day {day + 1}", "Koblenz", date.today() - timedelta(days=day), session=session)
        session.commit()
    window.open_panel()
    panel = window.panel
    try:
        window.set_language(lang)
        panel.show_section("events")
        qtbot.wait(50)
        scroll = panel.stack.currentWidget()
        assert scroll.verticalScrollBar().maximum() == 0, f"{lang}: scrolls by {scroll.verticalScrollBar().maximum()} px"
        viewport = scroll.viewport().rect()
        for widget in (panel.events.event_new, panel.events.event_save, panel.events.event_use, panel.events.event_none, panel.events.event_date):
            box = widget.rect().translated(widget.mapTo(scroll.viewport(), widget.rect().topLeft()))
            assert viewport.contains(box), f"{lang}: {widget.text() if hasattr(widget, 'text') else widget} at {box}"
        assert panel.events.event_list.height() >= panel.fontMetrics().height() * 4  # still a list
    finally:
        window.set_language("en")


@pytest.mark.parametrize("lang", ["en", "ar", "de"])
def test_the_panels_top_bar_says_the_devices_state_whole_in_kiosk_mode(qtbot, ctx, lang):
    """In kiosk mode the bar holds one more button; beside the title the state was cut ("Dieses Gerät
    ist bei kei…")."""
    window = show_window(qtbot, ctx, (1024, 600))
    try:
        panel = _open_overview(qtbot, window, lang)
        with qtbot.waitSignal(panel.overview_shown, timeout=10_000):
            panel.open(kiosk=True)  # as the kiosk's corner hold opens it: with "Leave kiosk mode"
        qtbot.wait(50)
        assert panel.leave_button.isVisible()
        assert panel.device.full_text()
        assert panel.device.text() == panel.device.full_text(), panel.device.text()
    finally:
        window.set_language("en")
