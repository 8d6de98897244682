"""End to end through the real window: type into the form, press Sign, find the row on disk."""

from __future__ import annotations

import sqlite3

import pytest
from nacl.public import PrivateKey
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from db.paths import database_path
from desktop.flow import Event, Page
from utils.input import type_text
from utils.sealing import give_key


def _row(ctx, **where):
    con = sqlite3.connect(database_path(ctx.data_dir))
    con.row_factory = sqlite3.Row
    try:
        clause = " AND ".join(f"{k} = ?" for k in where)
        return con.execute(f"SELECT * FROM signature WHERE {clause} ORDER BY seq", tuple(where.values())).fetchall()
    finally:
        con.close()


def _go_to_form(qtbot, window):
    qtbot.mouseClick(window.letter.sign_button, Qt.MouseButton.LeftButton)
    assert window.flow.page is Page.SIGN
    return window.sign


def test_typing_and_signing_saves_the_row_with_its_evidence(qtbot, window, ctx):
    form = _go_to_form(qtbot, window)
    qtbot.keyClicks(form.editors["given_name"], "Nour")
    qtbot.keyClicks(form.editors["family_name"], "Al-Halabi")
    qtbot.keyClicks(form.editors["email"], "nour@example.org")
    qtbot.keyClicks(form.editors["postal_code"], "10115")
    country = form.editors["country"]
    country.setCurrentIndex(country.findData("DE"))
    # Tapping the text ticks the box (the kinetic scroller delivers a tap after a short delay).
    form.scroll_area.ensureWidgetVisible(form.consent.text)
    qtbot.mouseClick(form.consent.text, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(form.consent.box.isChecked, timeout=2000)
    assert not form.updates.box.isChecked()  # never pre-ticked

    with qtbot.waitSignal(window.saved, timeout=5000) as saved:
        qtbot.mouseClick(form.sign_button, Qt.MouseButton.LeftButton)
    assert window.flow.page is Page.THANKS

    rows = _row(ctx, id=saved.args[0])
    assert len(rows) == 1
    row = rows[0]
    shown = ctx.campaign.localised("en")
    assert (row["given_name"], row["family_name"], row["email"]) == ("Nour", "Al-Halabi", "nour@example.org")
    assert (row["postal_code"], row["country"]) == ("10115", "DE")
    assert row["letter_sha256"] == shown.letter_sha256
    assert row["consent_text_sha256"] == shown.consent_sha256
    assert row["consent_processing"] == 1 and row["consent_updates"] == 0
    assert row["locale"] == "en" and row["consent_locale"] == "en" and row["mode"] == "kiosk"
    assert row["sync_state"] == "pending"

    # The form was wiped for the next person, undo history included.
    for editor in form.editors.values():
        if isinstance(editor, QLineEdit):
            assert editor.text() == ""
            assert not editor.isUndoAvailable()
    assert not form.consent.box.isChecked()


def test_bad_input_is_shown_next_to_its_field_and_nothing_is_saved(qtbot, window, ctx):
    form = _go_to_form(qtbot, window)
    qtbot.keyClicks(form.editors["given_name"], "Anna")
    qtbot.keyClicks(form.editors["email"], "anna@@example")
    qtbot.mouseClick(form.sign_button, Qt.MouseButton.LeftButton)

    assert window.flow.page is Page.SIGN
    assert form.errors["email"].isVisible()
    assert "email address" in form.errors["email"].text()
    assert form.errors["consent_processing"].isVisible()
    assert not form.banner.isVisible()
    assert form.editors["given_name"].text() == "Anna"  # nothing typed is lost
    assert _row(ctx, campaign_slug="act-on-syria") == []


def test_letter_count_follows_saves(qtbot, window, ctx):
    assert "0 signatures" in window.letter.count_label.text()
    form = _go_to_form(qtbot, window)
    type_text(qtbot, form.editors["given_name"], "محمد")
    form.consent.box.setChecked(True)
    with qtbot.waitSignal(window.saved, timeout=5000):
        qtbot.mouseClick(form.sign_button, Qt.MouseButton.LeftButton)
    assert "1 signature on this device" in window.thanks.count.text()
    qtbot.mouseClick(window.thanks.done_button, Qt.MouseButton.LeftButton)
    assert window.flow.page is Page.LETTER
    assert "1 signature on this device" in window.letter.count_label.text()


def test_thank_you_returns_to_the_letter_by_itself(qtbot, window, ctx):
    ctx.settings.thank_you_s = 2
    form = _go_to_form(qtbot, window)
    qtbot.keyClicks(form.editors["given_name"], "Lena")
    form.consent.box.setChecked(True)
    qtbot.mouseClick(form.sign_button, Qt.MouseButton.LeftButton)
    assert window.flow.page is Page.THANKS
    qtbot.waitUntil(lambda: window.flow.page is Page.LETTER, timeout=5000)


def test_walking_away_wipes_the_form(qtbot, window, ctx):
    form = _go_to_form(qtbot, window)
    qtbot.keyClicks(form.editors["given_name"], "Karim")
    window.idle_ms, window.countdown_s = 1000, 1  # attended mode: the letter is home
    window._arm_idle()
    qtbot.waitUntil(lambda: window.flow.page is Page.LETTER, timeout=5000)
    assert form.editors["given_name"].text() == ""
    assert not form.editors["given_name"].isUndoAvailable()


@pytest.mark.parametrize("sealed", [False, True], ids=["clear", "sealed"])
def test_a_full_disk_keeps_the_input_and_says_so(qtbot, window, ctx, sealed):
    """SQLite's max_page_count makes the database full (file permissions do not stop root in CI)."""
    from sqlalchemy import event

    if sealed:
        give_key(ctx.engine, PrivateKey.generate())

    con = sqlite3.connect(database_path(ctx.data_dir))
    pages = con.execute("PRAGMA page_count").fetchone()[0]
    con.close()

    def cap(dbapi_connection, _record):
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    event.listen(ctx.engine, "connect", cap)
    ctx.engine.dispose()
    form = _go_to_form(qtbot, window)
    qtbot.keyClicks(form.editors["given_name"], "Rania")
    qtbot.keyClicks(form.editors["family_name"], "X" * 90)  # a row that needs a new page
    form.consent.box.setChecked(True)
    before = _row(ctx, campaign_slug="act-on-syria")
    try:
        for _ in range(40):  # fill the last free pages until a save is refused
            qtbot.mouseClick(form.sign_button, Qt.MouseButton.LeftButton)
            if window.flow.page is Page.SIGN:
                break
            window.send(Event.THANKS_DONE)
            qtbot.mouseClick(window.letter.sign_button, Qt.MouseButton.LeftButton)
            qtbot.keyClicks(form.editors["given_name"], "Rania")
            qtbot.keyClicks(form.editors["family_name"], "X" * 90)
            form.consent.box.setChecked(True)
        assert window.flow.page is Page.SIGN
        assert form.banner.isVisible()
        assert "could not be saved" in form.banner.text()
        assert form.editors["given_name"].text() == "Rania"
        assert form.consent.box.isChecked()
    finally:
        event.remove(ctx.engine, "connect", cap)
        ctx.engine.dispose()
    saved_while_full = _row(ctx, campaign_slug="act-on-syria")
    assert len(saved_while_full) >= len(before)
    # Space again: the same input is saved, and what was saved before is intact.
    with qtbot.waitSignal(window.saved, timeout=5000):
        qtbot.mouseClick(form.sign_button, Qt.MouseButton.LeftButton)
    after = _row(ctx, campaign_slug="act-on-syria")
    assert len(after) == len(saved_while_full) + 1
    assert (after[-1]["given_name"] is None) is sealed and (after[-1]["sealed"] is not None) is sealed
    con = sqlite3.connect(database_path(ctx.data_dir))
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
