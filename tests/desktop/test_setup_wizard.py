"""The first-run set-up screens, driven like a coordinator with a finger: on a fresh data directory,
against a real server process for enrollment, and through ``petition-kiosk`` itself up to the letter."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from sqlmodel import Session

from db import audit, events, pin, setup
from db import settings as settings_store
from db.sync import enrollment
from desktop.context import open_context
from desktop.i18n import Translators, apply_language
from desktop.setup_wizard import STEPS, SetupWizard
from utils.bundles import make_bundle
from utils.sync_env import SyncServer, sync_server

pytestmark = pytest.mark.timeout(180)


@pytest.fixture
def fresh(tmp_path: Path):
    ctx = open_context(tmp_path / "device")
    yield ctx
    ctx.close()


@pytest.fixture
def wizard(qtbot, fresh) -> Iterator[SetupWizard]:
    app = QApplication.instance()
    translators = Translators()
    apply_language(app, translators, "en")
    shown = SetupWizard(fresh, translators)
    qtbot.addWidget(shown)
    shown.resize(1024, 600)
    shown.show()
    yield shown
    apply_language(app, translators, "en")  # the one QApplication: leave it in English
    translators.uninstall(app)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncServer]:
    with sync_server(tmp_path_factory.mktemp("setup-server")) as running:
        yield running


def _tap(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _type_pin(qtbot, wizard: SetupWizard, digits: str) -> None:
    for digit in digits:
        _tap(qtbot, wizard.pin_pad.keys[digit])
    _tap(qtbot, wizard.pin_pad.ok)


def test_a_coordinator_sets_up_a_device_in_arabic_with_a_finger(qtbot, wizard, fresh):
    assert wizard.step() == "language" and not wizard.back_button.isVisible()
    _tap(qtbot, wizard.language_cards["ar"])  # one tap: the language changes and the next step shows
    assert wizard.step() == "campaign"
    assert QGuiApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert wizard.heading.text() != "Campaign"  # in Arabic now
    arabic_title = fresh.campaigns["aleppo"].localised("ar").texts.title
    assert wizard.campaign_cards["aleppo"].title.text() == arabic_title
    _tap(qtbot, wizard.campaign_cards["aleppo"])
    assert wizard.step() == "device"

    _tap(qtbot, wizard.next_button)  # no name yet: told so, and kept on this step
    assert wizard.step() == "device" and wizard.device_error.isVisible()
    assert wizard.device_error.text() and wizard.device_name.property("invalid") is True
    qtbot.keyClicks(wizard.device_name, "T")  # typing clears the message (QTest types Latin keys only)
    assert not wizard.device_error.isVisible()
    wizard.device_name.setText("طاولة المحكمة ١")
    _tap(qtbot, wizard.next_button)
    assert wizard.step() == "pin" and not wizard.next_button.isEnabled()

    _type_pin(qtbot, wizard, "246810")
    _type_pin(qtbot, wizard, "246811")  # not the same: start again
    assert not wizard.chosen_pin and wizard.pin_pad.message.text()
    _type_pin(qtbot, wizard, "246810")
    _type_pin(qtbot, wizard, "246810")
    assert wizard.pin_done.isVisible() and wizard.next_button.isEnabled()
    assert not pin.has_pin(fresh.data_dir)  # nothing is stored before the last step
    _tap(qtbot, wizard.next_button)
    assert wizard.step() == "server" and wizard.skip_button.isVisible()
    _tap(qtbot, wizard.skip_button)  # no server, no network: on without enrolling
    assert wizard.step() == "event" and enrollment.load(fresh.data_dir) is None

    with qtbot.waitSignal(wizard.finished, timeout=10_000) as finished:
        _tap(qtbot, wizard.next_button)  # "Start collecting signatures", without an event
    choices = finished.args[0]
    assert (choices.locale, choices.campaign, choices.device_name) == ("ar", "aleppo", "طاولة المحكمة ١")
    assert choices.coordinator_pin == "" and wizard.chosen_pin == ""  # not kept in memory once stored
    assert pin.PinGuard(fresh.data_dir).check("246810").ok
    with Session(fresh.engine) as session:
        stored = settings_store.stored(session=session)
        assert audit.recent(session=session, kind="setup_completed")
    assert (stored.default_locale, stored.active_campaign, stored.device_name) == ("ar", "aleppo", "طاولة المحكمة ١")
    assert stored.active_event_id is None  # no event named: none stored


def test_back_keeps_every_answer_and_a_new_pin_can_be_chosen(qtbot, wizard):
    _tap(qtbot, wizard.language_cards["de"])
    _tap(qtbot, wizard.campaign_cards["act-on-syria"])
    qtbot.keyClicks(wizard.device_name, "Infostand Koblenz")
    _tap(qtbot, wizard.next_button)
    _type_pin(qtbot, wizard, "135792")
    _type_pin(qtbot, wizard, "135792")
    for _ in range(2):
        _tap(qtbot, wizard.back_button)
    assert wizard.step() == "campaign" and wizard.campaign == "act-on-syria"
    assert wizard.campaign_cards["act-on-syria"].title.text().startswith("✓")
    _tap(qtbot, wizard.back_button)
    assert wizard.step() == "language" and wizard.language_cards["de"].title.text().startswith("✓")
    _tap(qtbot, wizard.next_button)
    _tap(qtbot, wizard.next_button)
    assert wizard.device_name.text() == "Infostand Koblenz"
    _tap(qtbot, wizard.next_button)
    assert wizard.step() == "pin" and wizard.pin_done.isVisible()  # the chosen PIN stays chosen
    _tap(qtbot, wizard.pin_again)
    assert not wizard.next_button.isEnabled() and wizard.pin_pad.isVisible()


def test_a_campaign_imported_in_the_setup_is_offered_and_chosen(qtbot, wizard, fresh, tmp_path):
    _tap(qtbot, wizard.language_cards["en"])
    wizard.import_campaign(make_bundle(tmp_path))
    qtbot.waitUntil(lambda: "vigil" in wizard.campaign_cards, timeout=10_000)
    assert wizard.campaign == "vigil" and wizard.next_button.isEnabled()
    assert wizard.campaign_cards["vigil"].title.text() == "✓  Vigil for the detained"
    assert "Vigil for the detained" in wizard.import_message.text()

    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    wizard.import_campaign(broken)
    qtbot.waitUntil(lambda: not wizard._busy, timeout=10_000)
    assert wizard.import_message.text().startswith("This is not a campaign bundle")
    assert wizard.campaign == "vigil"  # the earlier choice stands


def test_enrolling_from_the_setup_with_a_real_server(qtbot, wizard, fresh, server):
    from server_helpers import new_code

    _tap(qtbot, wizard.language_cards["en"])
    wizard.show_step(STEPS.index("server"))
    wizard.server_url.setText(server.url)
    wizard.enroll_code.setText("AAAA-BBBB-CCCC")  # well formed, never issued
    wizard.enroll()
    qtbot.waitUntil(lambda: not wizard._busy, timeout=20_000)
    assert wizard.enroll_message.text() and enrollment.load(fresh.data_dir) is None
    assert wizard.next_button.isEnabled()  # a failed enrollment never blocks the set-up

    wizard.enroll_code.setText(new_code(server.engine, "Courthouse table 2"))
    wizard.enroll()
    qtbot.waitUntil(lambda: not wizard._busy, timeout=20_000)
    enrolled = enrollment.load(fresh.data_dir)
    assert enrolled is not None and enrolled.server_url == server.url.rstrip("/")
    assert "Courthouse table 2" in wizard.enroll_message.text()
    assert enrolled.token not in wizard.enroll_message.text()
    with Session(fresh.engine) as session:
        assert settings_store.stored(session=session).server_url == enrolled.server_url
        assert audit.recent(session=session, kind="enrolled")


def test_petition_kiosk_asks_the_setup_questions_first_then_shows_the_letter(qtbot, tmp_path, capfd):
    """``petition-kiosk --setup --exit-when-painted``: the real entry point, set-up included, until
    the letter page is painted in the chosen language and campaign."""
    from desktop.app import apply_language as app_language
    from desktop.cli import main

    data_dir = tmp_path / "device"
    seen: dict[str, object] = {}

    def answer() -> None:
        wizards = [w for w in QApplication.topLevelWidgets() if isinstance(w, SetupWizard) and w.isVisible()]
        if not wizards:
            QTimer.singleShot(50, answer)
            return
        wizard = wizards[0]
        try:
            wizard.choose_language("de", advance=True)
            wizard.choose_campaign("aleppo", advance=True)
            wizard.device_name.setText("Infostand 3")
            wizard.next()
            for _ in range(2):
                for digit in "864213":
                    wizard.pin_pad.press(digit)
                wizard.pin_pad._submit()
            wizard.next()
            seen["step"] = wizard.step()
            wizard.skip()  # no server
            wizard.event_step.name_field.setText("Infostand Marktplatz")
            wizard.next()  # stores, closes, and the letter follows
        except Exception as exc:  # never leave the set-up open: the test would wait for ever
            seen["error"] = exc
            wizard.close()

    QTimer.singleShot(0, answer)
    try:
        assert main(["--data-dir", str(data_dir), "--setup", "--exit-when-painted"]) == 0
    finally:  # the main window's catalogue (German) must not outlive the test: the QApplication does
        app = QApplication.instance()
        for widget in QApplication.topLevelWidgets():
            if isinstance(getattr(widget, "translators", None), Translators):
                widget.translators.uninstall(app)
            widget.close()
        app_language(app, Translators(), "en")
    assert "error" not in seen, seen.get("error")
    assert seen["step"] == "server"
    assert "painted" in capfd.readouterr().out
    assert not setup.needs_setup(data_dir)
    ctx = open_context(data_dir)
    try:
        assert (ctx.locale, ctx.campaign_slug) == ("de", "aleppo")
        assert ctx.settings.device_name == "Infostand 3"
        with Session(ctx.engine) as session:
            active = events.active_event(session=session)
        assert active is not None and active.name == "Infostand Marktplatz"
    finally:
        ctx.close()


def test_the_setup_is_skipped_once_done_and_with_demo(tmp_path, monkeypatch):
    """No wizard for a set-up device, nor for ``--demo``; ``--setup`` asks again."""
    import desktop.app
    import desktop.setup_wizard
    from desktop.cli import main

    shown: list[str] = []
    monkeypatch.setattr(desktop.setup_wizard, "run_setup", lambda ctx: shown.append("setup") or None)
    monkeypatch.setattr(desktop.app, "run_gui", lambda ctx, exit_when_painted=False: shown.append("letter") or 0)
    data_dir = tmp_path / "device"
    assert main(["--data-dir", str(data_dir), "--demo"]) == 0
    assert shown == ["letter"]
    assert main(["--data-dir", str(data_dir)]) == 1  # a fresh device: set-up first (here: closed unfinished)
    assert shown == ["letter", "setup"]
    pin.set_pin(data_dir, "123456")
    assert main(["--data-dir", str(data_dir)]) == 0
    assert shown == ["letter", "setup", "letter"]
    assert main(["--data-dir", str(data_dir), "--setup"]) == 1
    assert shown[-1] == "setup"


@pytest.mark.parametrize("locale", ["en", "ar", "de"])
@pytest.mark.parametrize("step", STEPS)
def test_every_step_fits_a_small_tablet(qtbot, fresh, step, locale):
    """At 1024x600 every step's content fits without scrolling, in every language, with the app's
    font and stylesheet and the wizard made in that language (as ``screenshot --page setup-*``
    makes it); the campaign list (which grows with every imported campaign) may scroll, but its
    first card shows whole."""
    from desktop.application import set_text_size

    app = QApplication.instance()
    font, qss = app.font(), app.styleSheet()
    set_text_size(app, 1.0)  # the app's own sizes: under Qt's defaults an overflowing step fitted
    translators = Translators()
    apply_language(app, translators, locale)
    try:
        wizard = SetupWizard(fresh, translators)
        qtbot.addWidget(wizard)
        wizard.resize(1024, 600)
        wizard.device_name.setText("Courthouse table 1")
        wizard.show_step(STEPS.index(step))
        wizard.show()
        for _ in range(3):  # wrapped labels settle their heights over a few turns
            QApplication.processEvents()
        page = wizard.steps.currentWidget()
        needed = page.widget().minimumSizeHint().height()
        if step == "campaign":
            first = next(iter(wizard.campaign_cards.values()))
            needed = first.mapTo(page.widget(), first.rect().bottomLeft()).y()
        if step == "event":  # the last words, the way out of kiosk mode, in view as laid out (wrapped)
            way_out = wizard.event_step.way_out
            needed = max(needed, way_out.mapTo(page.widget(), way_out.rect().bottomLeft()).y())
        assert needed <= page.viewport().height(), f"{step} in {locale}: {needed} px in {page.viewport().height()} px"
        assert not page.verticalScrollBar().isVisible() or step == "campaign", f"{step} in {locale} scrolls"
        assert wizard.next_button.isVisible() and wizard.next_button.geometry().bottom() <= wizard.height()
    finally:
        apply_language(app, translators, "en")
        translators.uninstall(app)
        app.setStyleSheet(qss)
        app.setFont(font)


def test_asked_again_the_setup_keeps_the_pin(qtbot, fresh):
    """``--setup`` on a set-up device changes language, campaign, name and server, never the PIN: the
    panel asks for the current PIN before it takes a new one."""
    pin.set_pin(fresh.data_dir, "975312")
    translators = Translators()
    wizard = SetupWizard(fresh, translators)
    qtbot.addWidget(wizard)
    wizard.resize(1024, 600)
    wizard.show()
    wizard.choose_language("en", advance=True)
    wizard.choose_campaign("aleppo", advance=True)
    wizard.device_name.setText("Table 2")
    wizard.next()
    assert wizard.step() == "pin" and wizard.keeps_pin
    assert not wizard.pin_pad.isVisible() and wizard.next_button.isEnabled()
    assert "already has a coordinator PIN" in wizard.pin_hint.text()
    wizard.next()
    wizard.next()
    with qtbot.waitSignal(wizard.finished, timeout=10_000):
        wizard.next()
    assert pin.PinGuard(fresh.data_dir).check("975312").ok
    with Session(fresh.engine) as session:
        assert settings_store.stored(session=session).device_name == "Table 2"


def _answer_up_to(qtbot, wizard: SetupWizard, step: str) -> None:
    """Language, campaign, name and PIN answered with taps, then on to ``step``."""
    _tap(qtbot, wizard.language_cards["en"])
    _tap(qtbot, wizard.campaign_cards["aleppo"])
    wizard.device_name.setText("Courthouse table 1")
    _tap(qtbot, wizard.next_button)
    _type_pin(qtbot, wizard, "246810")
    _type_pin(qtbot, wizard, "246810")
    while wizard.step() != step:
        _tap(qtbot, wizard.next_button)


def test_a_language_card_and_a_campaign_card_both_answer_and_move_on_with_one_tap(qtbot, wizard):
    """One behaviour for every choice: a tap on a card, the chosen one too, is the whole answer."""
    for _ in range(2):  # the second time each card tapped is the one already chosen
        wizard.show_step(STEPS.index("language"))
        _tap(qtbot, wizard.language_cards["de"])
        assert wizard.step() == "campaign" and wizard.language == "de"
        _tap(qtbot, wizard.campaign_cards["act-on-syria"])
        assert wizard.step() == "device" and wizard.campaign == "act-on-syria"
    for step, card in (("language", wizard.language_cards["en"]), ("campaign", wizard.campaign_cards["aleppo"])):
        wizard.show_step(STEPS.index(step))  # and from the keyboard, alike
        card.setFocus()
        qtbot.keyClick(card, Qt.Key.Key_Return)
        assert wizard.step() == STEPS[STEPS.index(step) + 1]


def test_skip_goes_on_without_enrolling_and_without_a_network(qtbot, wizard, fresh):
    """The server step's Skip needs no network: nothing is tried, nothing waits, nothing is stored."""
    _answer_up_to(qtbot, wizard, "server")
    assert wizard.skip_button.isVisible() and wizard.skip_button.text() == "Skip"
    wizard.server_url.setText("https://127.0.0.1:9")  # nothing listens there
    wizard.enroll_code.setText("AAAA-BBBB-CCCC")
    _tap(qtbot, wizard.skip_button)
    assert wizard.step() == "event" and not wizard._busy
    assert enrollment.load(fresh.data_dir) is None and not wizard.enroll_message.text()
    assert "enroll it later in the coordinator's panel" in wizard.server_step.later.text()
    for step in STEPS:  # Skip is offered on the optional steps only
        wizard.show_step(STEPS.index(step))
        assert wizard.skip_button.isVisible() == (step in ("server", "event")), step


def test_the_event_named_in_the_setup_is_stored_and_active(qtbot, wizard, fresh):
    from datetime import date

    from PySide6.QtCore import QDate

    _answer_up_to(qtbot, wizard, "event")
    assert wizard.next_button.text() == "Start collecting signatures"
    assert "top-left corner of the screen for 3 seconds" in wizard.event_step.way_out.text()
    step = wizard.event_step
    step.place_field.setText("Courthouse square")  # a place without a name: asked for the name
    _tap(qtbot, wizard.next_button)
    assert wizard.step() == "event" and step.error.isVisible() and not wizard._busy
    qtbot.keyClicks(step.name_field, "Vigil")
    assert not step.error.isVisible()
    step.date_field.setDate(QDate(2026, 5, 2))
    with qtbot.waitSignal(wizard.finished, timeout=10_000) as finished:
        _tap(qtbot, wizard.next_button)
    assert finished.args[0].event_name == "Vigil"
    with Session(fresh.engine) as session:
        active = events.active_event(session=session)
        assert active is not None
        assert (active.name, active.place, active.date) == ("Vigil", "Courthouse square", date(2026, 5, 2))


def test_an_event_skipped_or_a_setup_closed_early_stores_no_event(qtbot, wizard, fresh):
    _answer_up_to(qtbot, wizard, "event")
    wizard.event_step.name_field.setText("Vigil")
    wizard.event_step.place_field.setText("Courthouse square")
    with qtbot.waitSignal(wizard.finished, timeout=10_000):
        _tap(qtbot, wizard.skip_button)  # the last step's Skip: on to the letter, without the event
    assert not setup.needs_setup(fresh.data_dir)
    with Session(fresh.engine) as session:
        assert events.list_events(session=session) == [] and events.active_event(session=session) is None


def test_a_setup_closed_on_the_event_step_stores_nothing(qtbot, wizard, fresh):
    _answer_up_to(qtbot, wizard, "event")
    wizard.event_step.name_field.setText("Vigil")
    with qtbot.waitSignal(wizard.closed, timeout=5_000):
        wizard.close()
    assert wizard.completed is None and setup.needs_setup(fresh.data_dir)
    with Session(fresh.engine) as session:
        assert events.list_events(session=session) == []
        assert settings_store.stored(session=session).device_name == ""
