"""The volunteers' entry screens through the real window and a real database file: assisted entry
(keyboard only, Enter saves, focus back on the first field, the last entries, undo as a void) and
paper back-entry (the sheet number, the import's rules and ids, mode = paper)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta

from nacl.public import PrivateKey
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from db import campaigns, events
from db.engine import write_session
from db.paper import import_paper
from db.paths import database_path
from db.signatures import deterministic_id
from desktop.flow import Effect, Event, Flow, Page
from desktop.pages.entry import RecentEntry, RecentModel
from utils.factories import copy_bundle, edit, write_csv
from utils.sealing import give_key
from utils.traces import find_traces


def _rows(ctx, where: str = "1", params: tuple = ()) -> list[sqlite3.Row]:
    con = sqlite3.connect(database_path(ctx.data_dir))
    con.row_factory = sqlite3.Row
    try:
        return con.execute(f"SELECT * FROM signature WHERE {where} ORDER BY seq", params).fetchall()
    finally:
        con.close()


def _focused():
    return QApplication.focusWidget()


def _type(qtbot, text: str) -> None:
    qtbot.keyClicks(_focused(), text)


def _key(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(_focused(), key, modifier)


def _open(qtbot, window, page: Page):
    window.open_panel()
    button = window.panel.overview.assisted_button if page is Page.ASSISTED else window.panel.overview.paper_button
    assert button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.flow.page is page
    entry = window.pages[page]
    assert window.stack.currentWidget() is entry
    return entry


def _active_event(window, ctx) -> str:
    with write_session(ctx.engine) as session:
        event = events.create_event("Vigil at the courthouse", "Koblenz", date.today(), session=session)
        session.commit()
        event_id = event.id
    window.reload_settings()
    return event_id


# -- the flow and the last entries, without a window --------------------------------------------

def test_the_entry_screens_open_from_the_panel_and_walking_away_wipes_them():
    for kiosk in (False, True):
        flow = Flow(campaign_count=1, kiosk=kiosk)
        flow.start()
        assert flow.send(Event.OPEN_ASSISTED) is None  # only from the panel, behind the PIN
        flow.send(Event.OPEN_PANEL)
        for event, page in ((Event.OPEN_ASSISTED, Page.ASSISTED), (Event.OPEN_PAPER, Page.PAPER)):
            move = flow.send(event)
            assert move.page is page and Effect.FOCUS_FIRST_FIELD in move.effects
            assert flow.watches_idle()
            move = flow.send(Event.BACK)
            assert move.page is Page.PANEL and Effect.CLEAR_FORM not in move.effects  # mid-queue: kept
            flow.send(event)
            move = flow.send(Event.IDLE)
            assert move.page is flow.home and Effect.CLEAR_FORM in move.effects and Effect.WIPE_TRACES in move.effects
            flow.send(Event.OPEN_PANEL)



def test_the_recent_entries_model_keeps_the_newest_few(qapp):
    model = RecentModel(kept=3)
    now = datetime.now().astimezone()
    for i in range(5):
        model.add(RecentEntry(f"id-{i}", now + timedelta(minutes=i), f"Person {i}", f"p{i}@example.org", sheet="7"))
    assert model.rowCount() == 3 and model.columnCount() == 4
    assert [model.data(model.index(r, RecentModel.NAME)) for r in range(3)] == ["Person 4", "Person 3", "Person 2"]
    assert model.headerData(RecentModel.SHEET, Qt.Orientation.Horizontal) == "Sheet"
    assert model.data(model.index(0, RecentModel.SHEET)) == "7"
    assert model.last().id == "id-4"
    model.mark_withdrawn("id-4")
    assert model.last() is None  # only the very last one can be undone, once
    assert model.data(model.index(0, RecentModel.DETAIL)) == "withdrawn"
    assert model.data(model.index(0, RecentModel.NAME), Qt.ItemDataRole.FontRole).strikeOut()
    model.clear()
    assert model.rowCount() == 0 and model.scope is None


# -- assisted entry ------------------------------------------------------------------------------

def test_assisted_entry_by_keyboard_alone_with_the_last_entries_and_undo(qtbot, window, ctx):
    event_id = _active_event(window, ctx)
    page = _open(qtbot, window, Page.ASSISTED)
    first = page.form.editors["given_name"]
    assert _focused() is first

    # First person: Tab from field to field, Space ticks the consent box, Enter saves.
    _type(qtbot, "Nour")
    _key(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "Haddad")
    _key(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "nour@example.org")
    _key(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "10115")
    _key(qtbot, Qt.Key.Key_Tab)  # the country list: left as it is
    _key(qtbot, Qt.Key.Key_Tab)
    assert _focused() is page.form.consent.box
    _key(qtbot, Qt.Key.Key_Space)
    with qtbot.waitSignal(page.saved, timeout=5000) as saved:
        _key(qtbot, Qt.Key.Key_Return)
    (row,) = _rows(ctx)
    assert row["id"] == saved.args[0] and row["mode"] == "assisted" and row["event_id"] == event_id
    assert (row["given_name"], row["family_name"], row["email"]) == ("Nour", "Haddad", "nour@example.org")
    assert row["consent_processing"] == 1 and row["consent_updates"] == 0
    assert _focused() is first and first.text() == "" and not first.isUndoAvailable()
    assert not page.form.consent.box.isChecked()
    assert "Nour Haddad" in page.status.text()

    # Second person, Enter from a text field; a mistake is shown first, nothing saved.
    _type(qtbot, "Salma")
    _key(qtbot, Qt.Key.Key_Return)
    assert len(_rows(ctx)) == 1 and page.form.errors["consent_processing"].isVisible()
    assert first.text() == "Salma"
    page.form.consent.box.setFocus()
    _key(qtbot, Qt.Key.Key_Space)
    with qtbot.waitSignal(page.saved, timeout=5000) as second:
        _key(qtbot, Qt.Key.Key_Enter)
    assert _focused() is first
    names = [page.recent.data(page.recent.index(r, RecentModel.NAME)) for r in range(page.recent.rowCount())]
    assert names == ["Salma", "Nour Haddad"]  # newest first
    assert page.recent_view.isVisible() and page.undo_button.isEnabled()

    # Undo the very last one: Shift+Tab from the first field reaches it; Enter presses it.
    _key(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert _focused() is page.undo_button
    with qtbot.waitSignal(page.withdrawn, timeout=5000):
        _key(qtbot, Qt.Key.Key_Return)
    voids = _rows(ctx, "voids IS NOT NULL")
    assert [(v["voids"], v["mode"]) for v in voids] == [(second.args[0], "assisted")]
    assert page.recent.entries[0].withdrawn and not page.undo_button.isEnabled()
    assert _focused() is first
    assert len(_rows(ctx)) == 3  # two signatures and the void: nothing changed or deleted


def test_walking_away_wipes_the_form_and_the_last_entries(qtbot, window, ctx):
    page = _open(qtbot, window, Page.ASSISTED)
    page.form.editors["given_name"].setText("Yara")
    page.form.consent.box.setChecked(True)
    with qtbot.waitSignal(page.saved, timeout=5000):
        page.save()
    page.form.editors["given_name"].setText("Omar")  # the next one, half typed
    assert page.recent.rowCount() == 1
    window.idle_ms, window.countdown_s = 1000, 1
    window._arm_idle()
    with qtbot.waitSignal(window.reset_done, timeout=5000):
        pass
    assert window.flow.page is Page.LETTER
    assert page.recent.rowCount() == 0 and not page.undo_button.isEnabled()
    texts = [w.text() for w in window.findChildren(QLineEdit)] + [page.status.text()]
    assert not any("Yara" in t or "Omar" in t for t in texts)
    # Back through the PIN: the screen starts empty.
    page = _open(qtbot, window, Page.ASSISTED)
    assert page.recent.rowCount() == 0


def test_back_to_the_panel_keeps_the_queue_and_another_event_starts_a_new_list(qtbot, window, ctx):
    page = _open(qtbot, window, Page.ASSISTED)
    page.form.editors["given_name"].setText("Yara")
    page.form.consent.box.setChecked(True)
    page.save()
    qtbot.mouseClick(page.back_button, Qt.MouseButton.LeftButton)
    assert window.flow.page is Page.PANEL
    qtbot.mouseClick(window.panel.overview.assisted_button, Qt.MouseButton.LeftButton)
    assert page.recent.rowCount() == 1
    qtbot.mouseClick(page.back_button, Qt.MouseButton.LeftButton)
    _active_event(window, ctx)  # the coordinator starts the next event
    qtbot.mouseClick(window.panel.overview.assisted_button, Qt.MouseButton.LeftButton)
    assert page.recent.rowCount() == 0


def test_sealed_entries_leave_no_name_on_disk_and_a_missing_key_keeps_the_input(qtbot, window, ctx, tmp_path):
    give_key(ctx.engine, PrivateKey.generate())
    page = _open(qtbot, window, Page.ASSISTED)
    for given, family in (("سلمى", "Khouri"), ("Omar", "Alshogre")):
        page.form.editors["given_name"].setText(given)
        page.form.editors["family_name"].setText(family)
        page.form.consent.box.setChecked(True)
        with qtbot.waitSignal(page.saved, timeout=5000):
            page.save()
    assert page.recent.entries[0].name == "Omar Alshogre"  # on screen, from memory
    assert all(r["given_name"] is None and r["sealed"] for r in _rows(ctx))
    assert find_traces([ctx.data_dir], ["سلمى", "Khouri", "Alshogre"]) == []

    folder = copy_bundle("act-on-syria", tmp_path)
    with (folder / "campaign.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[sealing]\nmode = "required"\n')
    ctx.campaigns["act-on-syria"] = campaigns.load_bundle(folder, source="import")
    con = sqlite3.connect(database_path(ctx.data_dir))
    con.execute("DELETE FROM sealing_key")
    con.commit()
    con.close()
    page.show_campaign(ctx.shown)
    page.form.editors["given_name"].setText("Hala")
    page.form.consent.box.setChecked(True)
    page.save()
    assert page.banner.isVisible() and "key" in page.banner.text()
    assert page.form.editors["given_name"].text() == "Hala" and len(_rows(ctx)) == 2


def test_a_campaign_that_asks_for_handwriting_gets_the_pad_in_assisted_entry_only(qtbot, window, ctx, tmp_path):
    folder = copy_bundle("act-on-syria", tmp_path)
    edit(folder / "campaign.toml", "[form]\n", '[form]\nhandwriting = "optional"\n')
    ctx.campaigns["act-on-syria"] = campaigns.load_bundle(folder)
    assert _open(qtbot, window, Page.ASSISTED).form.pad is not None
    qtbot.mouseClick(window.pages[Page.ASSISTED].back_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.panel.overview.paper_button, Qt.MouseButton.LeftButton)
    assert window.pages[Page.PAPER].form.pad is None  # the signature is on the paper


# -- paper back-entry ----------------------------------------------------------------------------

def test_paper_sheets_are_typed_in_with_the_imports_rules_and_ids(qtbot, window, ctx, tmp_path):
    page = _open(qtbot, window, Page.PAPER)
    assert _focused() is page.sheet
    signed_on = date.today() - timedelta(days=2)
    page.signed_on.setDate(QDate(signed_on.year, signed_on.month, signed_on.day))

    # No sheet number: nothing saved, said next to the sheet field.
    page.form.editors["given_name"].setText("Amal")
    page.save()
    assert page.sheet_error.isVisible() and not _rows(ctx)
    assert _focused() is page.sheet

    _type(qtbot, "12")
    _key(qtbot, Qt.Key.Key_Tab)  # the date
    _key(qtbot, Qt.Key.Key_Tab)
    assert _focused() is page.form.editors["given_name"]
    _key(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "Khoury")
    for _ in range(4):  # email, postal code, country: left empty; then the "keep me informed" box
        _key(qtbot, Qt.Key.Key_Tab)
    assert _focused() is page.form.updates
    _key(qtbot, Qt.Key.Key_Space)
    with qtbot.waitSignal(page.saved, timeout=5000) as saved:
        _key(qtbot, Qt.Key.Key_Return)
    (row,) = _rows(ctx)
    assert row["id"] == saved.args[0]
    assert (row["mode"], row["paper_sheet"], row["given_name"], row["family_name"]) == ("paper", "12", "Amal", "Khoury")
    assert row["consent_processing"] == 1 and row["consent_updates"] == 1 and row["event_id"] is None
    given_at = datetime.fromisoformat(row["consent_given_at"]).replace(tzinfo=UTC).astimezone()
    assert given_at.date() == signed_on and given_at.hour == 12  # noon that day, as the import stamps it
    # The sheet and its date stay; the line's fields are empty; the focus is on the line's first field.
    assert page.sheet.text() == "12" and page.signed_on.date().toPython() == signed_on
    assert _focused() is page.form.editors["given_name"] and page.form.editors["family_name"].text() == ""
    assert [(e.sheet, e.name) for e in page.recent.entries] == [("12", "Amal Khoury")]

    # The same line again: found, not saved; Enter again: another person with the same details.
    page.form.editors["given_name"].setText("Amal")
    page.form.editors["family_name"].setText("Khoury")
    page.form.updates.setChecked(True)
    page.save()
    assert len(_rows(ctx)) == 1 and "Already on this device" in page.status.text()
    assert page.form.editors["given_name"].text() == "Amal"
    with qtbot.waitSignal(page.saved, timeout=5000) as repeat:
        _key(qtbot, Qt.Key.Key_Return)
    assert repeat.args[0] == deterministic_id(saved.args[0], "repeat 1")
    assert len(_rows(ctx)) == 2

    # The same sheet typed into a spreadsheet and imported: the same ids, nothing new.
    csv_file = write_csv(tmp_path / "sheets.csv", [
        ["sheet", "given_name", "family_name", "consent_updates", "signed_on"],
        ["12", "Amal", "Khoury", "yes", signed_on.isoformat()],
        ["12", "Amal", "Khoury", "yes", signed_on.isoformat()],
    ])
    report = import_paper(csv_file, engine=ctx.engine, campaign=ctx.campaign)
    assert (report.saved, report.duplicates) == (0, 2)


def test_paper_lines_are_checked_like_the_screen(qtbot, window, ctx):
    page = _open(qtbot, window, Page.PAPER)
    page.sheet.setText("3")
    page.form.editors["given_name"].setText("Jonas")
    page.form.editors["email"].setText("jonas@@example")
    page.save()
    assert page.form.errors["email"].isVisible() and "email" in page.form.errors["email"].text()
    assert not _rows(ctx) and page.form.editors["given_name"].text() == "Jonas"
    assert page.signed_on.maximumDate() == QDate.currentDate()  # a sheet is never signed tomorrow
