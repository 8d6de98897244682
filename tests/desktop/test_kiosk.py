"""Kiosk mode through the real window: attract screen, idle countdown and the privacy wipe,
lockdown, the coordinator PIN, languages and right-to-left, the live count after a sync."""

from __future__ import annotations

import os
import sqlite3
import stat
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QCompleter, QLineEdit, QPlainTextEdit
from sqlmodel import Session

from db import audit, pin
from db.paths import database_path, resource_path
from desktop.context import next_goal
from desktop.flow import TRANSITIONS, Effect, Event, Flow, Page
from desktop.warm_up import prepare


def _fill(qtbot, window) -> None:
    qtbot.mouseClick(window.attract.sign_button, Qt.MouseButton.LeftButton)
    assert window.flow.page is Page.LETTER
    qtbot.mouseClick(window.letter.sign_button, Qt.MouseButton.LeftButton)
    assert window.flow.page is Page.SIGN
    form = window.sign
    qtbot.keyClicks(form.editors["given_name"], "Yara")
    qtbot.keyClicks(form.editors["family_name"], "Darwish")
    qtbot.keyClicks(form.editors["email"], "yara@example.org")
    qtbot.keyClicks(form.editors["postal_code"], "10115")
    form.editors["country"].setCurrentIndex(form.editors["country"].findData("SY"))
    form.consent.box.setChecked(True)
    form.updates.box.setChecked(True)


# -- the flow, without a window ---------------------------------------------------------------------

def test_kiosk_flow_goes_round_through_the_attract_screen():
    flow = Flow(campaign_count=2, kiosk=True)
    assert flow.start().page is Page.ATTRACT
    assert flow.send(Event.IDLE) is None  # nothing to reset on the attract screen
    assert flow.send(Event.BEGIN).page is Page.LETTER
    assert flow.send(Event.SIGN_PRESSED).page is Page.SIGN
    assert flow.send(Event.SAVED).page is Page.THANKS
    move = flow.send(Event.THANKS_DONE)
    assert move.page is Page.ATTRACT and Effect.WIPE_TRACES in move.effects


def test_idle_on_every_kiosk_page_but_attract_resets_everything():
    for page in (Page.LETTER, Page.SIGN, Page.THANKS, Page.PICKER):
        flow = Flow(campaign_count=2, kiosk=True, page=page)
        move = flow.send(Event.IDLE)
        assert move is not None and move.page is Page.ATTRACT, page
        assert {Effect.CLEAR_FORM, Effect.WIPE_TRACES, Effect.SCROLL_TO_TOP} <= set(move.effects)


def test_attended_mode_keeps_the_letter_as_home():
    flow = Flow(campaign_count=1, page=Page.SIGN)
    assert flow.send(Event.IDLE).page is Page.LETTER
    assert Flow(campaign_count=1, page=Page.LETTER).send(Event.IDLE) is None
    assert all(move.page is not Page.ATTRACT or key[1] in (Event.IDLE, Event.THANKS_DONE, Event.CLOSE_PANEL)
               for key, move in TRANSITIONS.items())


def test_the_goal_steps_up():
    assert [next_goal(n) for n in (0, 99, 100, 150, 499, 500, 999, 1000, 4200, 12000)] == [
        100, 100, 200, 200, 500, 1000, 1000, 2000, 5000, 20000]
    assert next_goal(10, floor=1000) == 1000


# -- idle countdown and the privacy wipe ---------------------------------------------------------

def test_kiosk_starts_on_the_attract_screen_with_count_and_goal(kiosk):
    assert kiosk.flow.page is Page.ATTRACT
    assert kiosk.stack.currentWidget() is kiosk.attract
    assert kiosk.attract.title.text() == "Act on Syria"
    assert kiosk.attract.count.text() == "0 signatures"
    assert "100" in kiosk.attract.goal.text()


def test_idle_countdown_then_reset_leaves_nothing_of_the_last_signer(qtbot, kiosk):
    _fill(qtbot, kiosk)
    kiosk.set_language("de")  # the signer chose German; the next person starts in English again
    form = kiosk.sign
    line = form.editors["given_name"]
    assert line.text() == "Yara"  # a language switch keeps what was typed (in the rebuilt form)
    # A completer on a field, open, as an on-screen keyboard or a future field might have.
    completer = QCompleter(["Yara", "Yasmin"], line)
    line.setCompleter(completer)
    completer.setCompletionPrefix("Ya")
    completer.complete()
    form.editors["country"].showPopup()
    QGuiApplication.clipboard().setText("yara@example.org")
    form.scroll_area.verticalScrollBar().setValue(form.scroll_area.verticalScrollBar().maximum())
    kiosk.letter.browser.verticalScrollBar().setValue(200)

    kiosk.idle_ms, kiosk.countdown_s = 1000, 1
    kiosk._arm_idle()
    qtbot.waitUntil(lambda: kiosk.countdown.isVisible(), timeout=3000)
    assert "Sekunde" in kiosk.countdown.body.text()  # the countdown speaks the signer's language
    with qtbot.waitSignal(kiosk.reset_done, timeout=5000):
        pass

    assert kiosk.flow.page is Page.ATTRACT and kiosk.stack.currentWidget() is kiosk.attract
    assert kiosk.ctx.locale == "en" and kiosk.attract.sign_button.text() == "Sign"
    assert not kiosk.countdown.isVisible()
    form = kiosk.sign
    for name, editor in form.editors.items():
        if isinstance(editor, QLineEdit):
            assert editor.text() == "", name
            assert not editor.isUndoAvailable() and not editor.isRedoAvailable(), name
            if editor.completer() is not None:
                assert not editor.completer().popup().isVisible()
                assert editor.completer().completionPrefix() == ""
        elif isinstance(editor, QPlainTextEdit):
            assert editor.toPlainText() == "" and not editor.document().isUndoAvailable()
        else:
            assert editor.currentIndex() == 0 and editor.currentData() is None
    assert not form.consent.box.isChecked() and not form.updates.box.isChecked()
    assert QApplication.activePopupWidget() is None
    assert QGuiApplication.clipboard().text() == ""
    assert form.scroll_area.verticalScrollBar().value() == 0
    assert kiosk.letter.browser.verticalScrollBar().value() == 0
    # No widget anywhere in the window still shows what was typed.
    texts = [w.text() for w in kiosk.findChildren(QLineEdit)] + [w.text() for w in kiosk.findChildren(
        type(kiosk.attract.title))]
    assert not any(("Yara" in t or "Darwish" in t or "yara@" in t) for t in texts)


def test_still_here_keeps_the_form(qtbot, kiosk):
    _fill(qtbot, kiosk)
    kiosk.start_countdown()
    assert kiosk.countdown.isVisible()
    qtbot.mouseClick(kiosk.countdown.continue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not kiosk.countdown.isVisible(), timeout=2000)
    assert kiosk.flow.page is Page.SIGN
    assert kiosk.sign.editors["given_name"].text() == "Yara"
    assert kiosk.idle_timer.isActive()


def test_the_thank_you_page_returns_to_the_attract_screen(qtbot, kiosk):
    _fill(qtbot, kiosk)
    kiosk.ctx.settings.thank_you_s = 2
    with qtbot.waitSignal(kiosk.saved, timeout=5000):
        qtbot.mouseClick(kiosk.sign.sign_button, Qt.MouseButton.LeftButton)
    assert kiosk.flow.page is Page.THANKS
    qtbot.waitUntil(lambda: kiosk.flow.page is Page.ATTRACT, timeout=6000)
    assert kiosk.attract.count.text() == "1 signature"


def test_a_second_signature_with_the_same_email_is_thanked_like_any_other(qtbot, kiosk):
    """Duplicates are resolved on the server; the screen never says "already signed"."""
    for _ in range(2):
        _fill(qtbot, kiosk)
        with qtbot.waitSignal(kiosk.saved, timeout=5000):
            qtbot.mouseClick(kiosk.sign.sign_button, Qt.MouseButton.LeftButton)
        assert kiosk.flow.page is Page.THANKS
        shown = " ".join(w.text() for w in kiosk.thanks.findChildren(type(kiosk.thanks.title)))
        assert "already" not in shown.lower()
        kiosk.send(Event.THANKS_DONE)


# -- lockdown ------------------------------------------------------------------------------------

def test_escape_and_close_do_nothing_in_kiosk_mode(qtbot, kiosk):
    assert kiosk.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert kiosk.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    qtbot.keyClick(kiosk, Qt.Key.Key_Escape)
    qtbot.keyClick(kiosk, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    assert kiosk.close() is False
    assert kiosk.isVisible() and kiosk.locked_down


def test_holding_the_corner_then_the_right_pin_leaves_kiosk_mode(qtbot, kiosk):
    corner = kiosk.lockdown.corner
    corner.timer.setInterval(50)
    qtbot.mousePress(corner, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kiosk.pin_pad.isVisible(), timeout=2000)
    for digit in "111111":
        kiosk.pin_pad.press(digit)
    qtbot.mouseClick(kiosk.pin_pad.ok, Qt.MouseButton.LeftButton)
    assert not kiosk.pin_pad.keys["1"].isEnabled()  # hashed off the GUI thread: no second try meanwhile
    qtbot.waitUntil(lambda: "not right" in kiosk.pin_pad.message.text(), timeout=10_000)
    assert kiosk.locked_down and kiosk.pin_pad.keys["1"].isEnabled()
    assert "111111" not in kiosk.pin_pad.dots.text()
    for digit in "246810":
        kiosk.pin_pad.press(digit)
    assert kiosk.pin_pad.dots.text() == "●●●●●●"  # never the digits
    qtbot.mouseClick(kiosk.pin_pad.ok, Qt.MouseButton.LeftButton)
    # The right PIN opens the coordinator's panel, still locked down; the panel has the way out.
    qtbot.waitUntil(lambda: kiosk.flow.page is Page.PANEL, timeout=10_000)
    assert kiosk.locked_down and not kiosk.pin_pad.isVisible()
    assert kiosk.flow.page is Page.PANEL and kiosk.panel.leave_button.isVisible()
    with Session(kiosk.ctx.engine) as session:
        assert [e.kind for e in audit.recent(session=session)][:2] == ["panel_opened", "pin_failed"]
    qtbot.mouseClick(kiosk.panel.leave_button, Qt.MouseButton.LeftButton)
    assert not kiosk.locked_down
    assert kiosk.flow.page is Page.LETTER
    assert kiosk.close() is True


def test_outside_kiosk_mode_the_coordinator_button_sets_a_pin_then_opens_the_panel(qtbot, window):
    letter = window.letter
    assert letter.coordinator_button.isVisible()
    qtbot.mouseClick(letter.coordinator_button, Qt.MouseButton.LeftButton)
    pad = window.pin_pad
    assert pad.isVisible() and pad.mode == "set" and pad.cancel_button.isVisible()
    for _ in range(2):
        for d in "975312":
            pad.press(d)
        pad._submit()
    assert window.flow.page is Page.PANEL and not window.panel.leave_button.isVisible()
    qtbot.mouseClick(window.panel.close_button, Qt.MouseButton.LeftButton)
    assert window.flow.page is Page.LETTER


def test_a_tap_on_the_corner_does_nothing(qtbot, kiosk):
    qtbot.mouseClick(kiosk.lockdown.corner, Qt.MouseButton.LeftButton)
    qtbot.wait(50)
    assert kiosk._pin_pad is None or not kiosk.pin_pad.isVisible()


def test_first_kiosk_start_asks_for_a_pin_twice(qtbot, tmp_path):
    from desktop.app import build_window, make_application
    from desktop.context import open_context

    ctx = open_context(tmp_path, campaign="act-on-syria", overrides={"kiosk": True})
    win = build_window(make_application(), ctx)
    qtbot.addWidget(win)
    win.show()
    prepare(win)
    pad = win.pin_pad
    assert pad.isVisible() and pad.mode == "set" and not pad.cancel_button.isVisible()
    for attempt in ("135790", "135791"):
        for d in attempt:
            pad.press(d)
        pad._submit()
    assert "not the same" in pad.message.text() and not pin.has_pin(tmp_path)
    for attempt in ("135790", "135790"):
        for d in attempt:
            pad.press(d)
        pad._submit()
    assert pin.has_pin(tmp_path) and not pad.isVisible()
    win.leave_kiosk()
    ctx.engine.dispose()


# -- the PIN store --------------------------------------------------------------------------------

def test_the_pin_is_stored_as_a_salted_scrypt_hash_in_an_owner_only_file(tmp_path):
    pin.set_pin(tmp_path, "482915")
    path = pin.pin_path(tmp_path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    text = path.read_text()
    assert "482915" not in text and '"algorithm": "scrypt"' in text
    first_salt = text
    pin.set_pin(tmp_path, "482915")
    assert path.read_text() != first_salt  # a new random salt every time
    assert pin.PinGuard(tmp_path).check("482915").ok
    with pytest.raises(pin.PinError):
        pin.set_pin(tmp_path, "12a4")


def test_five_wrong_pins_lock_the_prompt_with_a_growing_delay(tmp_path):
    now = [1_000_000.0]
    guard = pin.PinGuard(tmp_path, clock=lambda: now[0])
    pin.set_pin(tmp_path, "246810")
    for _ in range(4):
        attempt = guard.check("000000")
        assert not attempt.ok and attempt.locked_for == 0
    assert guard.check("000000").locked_for == 30  # the 5th
    now[0] += 10
    locked = guard.check("246810")  # even the right PIN is not checked while locked
    assert not locked.ok and locked.locked_for == pytest.approx(20)
    now[0] += 20
    assert guard.check("000000").locked_for == 60  # the 6th: twice as long
    now[0] += 60
    assert guard.check("000000").locked_for == 120
    now[0] += 120
    # The lock-out survives a restart: a new guard reads the same file.
    assert pin.PinGuard(tmp_path, clock=lambda: now[0]).check("000000").locked_for == 240
    assert pin.lock_seconds(50) == pin.MAX_LOCK_S
    now[0] += 240
    assert guard.check("246810").ok
    assert guard.check("000000").locked_for == 0  # a right PIN starts the count again


def test_a_clock_set_back_never_stretches_the_lock_out_past_its_cap(tmp_path):
    """Locked while the clock ran a day fast; NTP then sets it back: still at most 15 minutes."""
    now = [2_000_000.0 + 86_400]
    guard = pin.PinGuard(tmp_path, clock=lambda: now[0])
    pin.set_pin(tmp_path, "246810")
    for _ in range(5):
        guard.check("000000")
    now[0] -= 86_400
    assert guard.locked_for() <= pin.MAX_LOCK_S


# -- languages ------------------------------------------------------------------------------------

def test_arabic_lays_the_whole_window_out_right_to_left(qtbot, kiosk):
    qtbot.mouseClick(kiosk.attract.languages.buttons["ar"], Qt.MouseButton.LeftButton)
    assert kiosk.ctx.locale == "ar"
    assert QGuiApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert kiosk.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert kiosk.attract.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert kiosk.attract.sign_button.text() == "وقّع"
    assert kiosk.attract.title.text() == "تحرّكوا من أجل سوريا"
    kiosk.send(Event.BEGIN)
    assert kiosk.letter.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert 'dir="rtl"' in kiosk.letter._html
    kiosk.set_language("de")
    assert kiosk.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert kiosk.letter.sign_button.text() == "Brief unterschreiben"


def test_arabic_glyphs_have_a_font():
    from PySide6.QtGui import QFontDatabase

    families = QFontDatabase.families(QFontDatabase.WritingSystem.Arabic)
    assert "Noto Sans Arabic" in families


@pytest.mark.parametrize("language", ["ar", "de"])
def test_every_interface_message_is_translated(language):
    root = ET.parse(resource_path("translations", f"petition_kiosk_{language}.ts")).getroot()
    messages = list(root.iter("message"))
    assert len(messages) > 40
    expected_forms = {"ar": 6, "de": 2}[language]
    for message in messages:
        source = message.findtext("source")
        translation = message.find("translation")
        assert translation is not None, source
        assert translation.get("type") not in ("unfinished", "obsolete", "vanished"), source
        if message.get("numerus") == "yes":
            forms = [f.text or "" for f in translation.findall("numerusform")]
            assert len(forms) == expected_forms and all(f.strip() for f in forms), source
        else:
            forms = [translation.text or ""]
            assert forms[0].strip(), source
        for marker in ("%1", "%2"):
            if marker in (source or ""):
                assert all(marker in form for form in forms), source


def test_every_message_in_the_sources_is_in_the_catalogues(tmp_path):
    """lupdate over the sources, into a copy of the Arabic catalogue: nothing it finds may be new, or a
    string added without running ``python -m desktop.i18n --update`` would show in English."""
    import shutil
    import subprocess

    from desktop import i18n

    committed = resource_path("translations", "petition_kiosk_ar.ts")
    fresh = tmp_path / committed.name
    shutil.copy(committed, fresh)
    subprocess.run([i18n._tool("pyside6-lupdate"), *map(str, i18n.source_files()), "-locations", "none",
                    "-no-obsolete", "-source-language", "en", "-target-language", "ar", "-ts", str(fresh)],
                   check=True, capture_output=True, timeout=120)

    def messages(path):  # noqa: ANN001, ANN202
        return {(context.findtext("name"), message.findtext("source"))
                for context in ET.parse(path).getroot().iter("context") for message in context.iter("message")}

    assert messages(fresh) - messages(committed) == set()


def test_an_unreviewed_translation_shows_and_records_the_english_consent_too(qtbot, kiosk):
    kiosk.set_language("de")
    kiosk.send(Event.BEGIN)
    kiosk.send(Event.SIGN_PRESSED)
    form = kiosk.sign
    english = kiosk.ctx.campaign.localised("en")
    assert form.consent.original is not None and english.consent_processing in form.consent.original.text()
    assert "Ich bin damit einverstanden" in form.consent.text.text()
    qtbot.keyClicks(form.editors["given_name"], "Jonas")
    form.consent.box.setChecked(True)
    with qtbot.waitSignal(kiosk.saved, timeout=5000) as saved:
        kiosk.submit()
    shown = kiosk.ctx.campaign.localised("de")
    con = sqlite3.connect(database_path(kiosk.ctx.data_dir))
    row = con.execute("SELECT locale, consent_locale, consent_text_sha256 FROM signature WHERE id = ?",
                      (saved.args[0],)).fetchone()
    con.close()
    assert row[0] == "de" and row[1] == "de"
    assert row[2] == shown.consent_record_sha256 != shown.consent_sha256
    import hashlib

    both = shown._consent_block() + "\n\n" + english._consent_block()
    assert row[2] == hashlib.sha256(both.encode()).hexdigest()


def test_switching_language_on_the_form_keeps_fields_but_not_consent(qtbot, kiosk):
    _fill(qtbot, kiosk)
    kiosk.set_language("ar")
    form = kiosk.sign
    assert form.editors["family_name"].text() == "Darwish"
    assert form.editors["country"].currentData() == "SY"
    assert not form.consent.box.isChecked()  # consent is given to the words shown, which changed


# -- the live count --------------------------------------------------------------------------------

def test_the_attract_count_does_not_double_count_after_a_sync(qtbot, kiosk):
    from sqlalchemy import text
    from sqlmodel import Session

    from db import quick, signatures
    from db.signatures import SignatureDraft, save_signature

    ctx = kiosk.ctx
    for name in ("A", "B", "C"):
        save_signature(SignatureDraft(fields={"given_name": name}, consent_processing=True),
                       engine=ctx.engine, shown=ctx.shown)
    kiosk.go_to(Page.ATTRACT)
    assert kiosk.attract.count.text() == "3 signatures"
    # What a sync does, in one transaction: the server now counts these 3 among its 120.
    with Session(ctx.engine) as session:
        session.exec(text("UPDATE signature SET sync_state = 'acked' WHERE campaign_slug = 'act-on-syria'"))
        signatures.record_server_count("act-on-syria", 120, session=session)
        session.commit()
    save_signature(SignatureDraft(fields={"given_name": "D"}, consent_processing=True),
                   engine=ctx.engine, shown=ctx.shown)
    kiosk.go_to(Page.ATTRACT)
    assert kiosk.attract.count.text() == "121 signatures"  # not 124
    assert "200" in kiosk.attract.goal.text()
    assert quick.live_count(database_path(ctx.data_dir), "act-on-syria") == 121


def test_a_finished_sync_refreshes_the_attract_count_in_place(qtbot, kiosk):
    """The sync worker's report (emitted from its thread) reaches refresh_counts in the GUI thread."""
    from PySide6.QtCore import QObject, Signal
    from sqlalchemy import text
    from sqlmodel import Session

    from db import signatures
    from db.signatures import SignatureDraft, save_signature

    class Reporter(QObject):
        report = Signal(object)

    ctx = kiosk.ctx
    save_signature(SignatureDraft(fields={"given_name": "A"}, consent_processing=True),
                   engine=ctx.engine, shown=ctx.shown)
    kiosk.go_to(Page.ATTRACT)
    assert kiosk.attract.count.text() == "1 signature"
    reporter = Reporter()
    reporter.report.connect(kiosk.refresh_counts)
    with Session(ctx.engine) as session:  # the sync: acknowledged, and the server now counts 57
        session.exec(text("UPDATE signature SET sync_state = 'acked'"))
        signatures.record_server_count("act-on-syria", 57, session=session)
        session.commit()
    import threading

    threading.Thread(target=lambda: reporter.report.emit(None)).start()
    qtbot.waitUntil(lambda: kiosk.attract.count.text() == "57 signatures", timeout=3000)


KIOSK_PROBE = r"""
import sys
from pathlib import Path
from desktop.context import open_context
ctx = open_context(Path(sys.argv[1]), campaign="act-on-syria", overrides={"kiosk": True})
from desktop.app import build_window, make_application
window = build_window(make_application(), ctx)
assert window.flow.page.name == "ATTRACT", window.flow.page
heavy = sorted(m for m in ("sqlalchemy", "sqlmodel", "pydantic", "alembic") if m in sys.modules)
print(window.attract.count.text(), ",".join(heavy) or "-", sep="|")
"""


def test_the_kiosk_paints_its_attract_screen_before_the_database_layer_loads(tmp_path):
    import subprocess
    import sys

    from desktop.context import open_context

    ctx = open_context(tmp_path, campaign="act-on-syria", overrides={"kiosk": True})
    ctx.letter()  # the first start builds and caches the letter entry
    ctx.close()
    result = subprocess.run([sys.executable, "-c", KIOSK_PROBE, str(tmp_path)], capture_output=True, text=True,
                            timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    count, heavy = result.stdout.strip().splitlines()[-1].split("|")
    assert count == "0 signatures"
    assert heavy == "-", f"loaded before the first paint: {heavy}"


def test_a_coordinator_who_walks_away_leaves_no_panel_open(qtbot, kiosk):
    """The panel shows every device figure and the export button: left alone, it must close like any
    other page — through the visible countdown, back to the attract screen, still locked down."""
    kiosk.open_panel()
    assert kiosk.flow.page is Page.PANEL
    kiosk.idle_ms, kiosk.countdown_s = 1000, 1
    kiosk._arm_idle()
    qtbot.waitUntil(lambda: kiosk.countdown.isVisible(), timeout=3000)
    with qtbot.waitSignal(kiosk.reset_done, timeout=5000):
        pass
    assert kiosk.flow.page is Page.ATTRACT and kiosk.stack.currentWidget() is kiosk.attract
    assert kiosk.locked_down


def test_the_english_consent_under_an_arabic_page_reads_left_to_right(qtbot, kiosk):
    from PySide6.QtGui import QTextDocument

    kiosk.set_language("ar")
    kiosk.send(Event.BEGIN)
    kiosk.send(Event.SIGN_PRESSED)
    original = kiosk.sign.consent.original
    assert original is not None
    # The paragraph's direction, as Qt resolves it from the text: with the Arabic caption in front
    # it was right-to-left, and the English full stops jumped to the starts of lines.
    document = QTextDocument(original.text())  # kept: the block lives in it
    assert document.firstBlock().textDirection() == Qt.LayoutDirection.LeftToRight
    assert original.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_the_idle_countdown_hides_what_was_typed(qtbot, kiosk):
    _fill(qtbot, kiosk)
    form = kiosk.sign
    field = form.editors["given_name"]
    kiosk.start_countdown()
    kiosk.countdown.ticker.stop()
    qtbot.waitUntil(kiosk.countdown.isVisible)
    picture = kiosk.grab().toImage()
    # Beside the card, over the typed name: nothing of the field shows through, only the layer's colour.
    origin = field.mapTo(kiosk, field.rect().topLeft())
    card = kiosk.countdown.card.geometry().adjusted(-4, -4, 4, 4)
    spots = [origin + QPoint(dx, dy) for dx in range(2, field.width() - 2, 3) for dy in (2, field.height() // 2)]
    spots = [p for p in spots if not card.contains(p)]
    assert len(spots) > 20
    colours = {picture.pixelColor(p).name() for p in spots}
    assert len(colours) == 1, colours  # one flat colour: no edge, no letter of the field
    kiosk.still_here()


@pytest.mark.parametrize("language", ["en", "de", "ar"])
def test_the_coordinator_button_says_its_name_on_tablets(qtbot, window, language):
    """A bare gear left volunteers guessing at 1024 pixels."""
    window.set_language(language)
    letter = window.letter
    for width in (1024, 800):
        window.resize(width, 600)
        qtbot.waitUntil(lambda w=width: letter.width() == w)
        assert letter.coordinator_button.text() == letter.coordinator_button.accessibleName() != ""
        assert letter.bar.minimumWidth() <= width
        button = letter.coordinator_button
        assert button.mapTo(letter, button.rect().topRight()).x() <= width
    window.set_language("en")


def test_the_pin_pads_hint_goes_once_the_next_pin_is_typed(qtbot, window):
    pad = window.pin_pad
    pad.ask("set")
    for digit in "12":
        pad.press(digit)
    pad.ok.click()
    assert "digits" in pad.message.text()  # too short: the rule is said
    pad.press("4")
    assert pad.message.text() == ""  # typing again: the old verdict is gone
    pad.press("5")
    pad._erase()
    assert pad.message.text() == ""
    pad.cancel()
