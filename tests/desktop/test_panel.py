"""The coordinator's panel: its tables without a window, set-aside and retry, the CSV export read back,
and its figures against the database during and after a sync with a real server process, cancelling
included."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from sqlmodel import Session, select

from bench.sync_data import fill_pending
from db import audit
from db import panel as queries
from db.sync import runner, store
from desktop.flow import Page
from desktop.panel.models import ID_ROLE, AttentionModel, VersionsModel
from utils.factories import save
from utils.sync_env import SyncServer, device_states, enroll_device, server_set, sync_server

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncServer]:
    with sync_server(tmp_path_factory.mktemp("panel-server")) as running:
        yield running


@pytest.fixture
def english_afterwards(window):
    """The translators and the default locale belong to the one QApplication: leave it in English."""
    yield window
    window.set_language("en")


def _states(engine) -> dict[str, int]:
    found = {"pending": 0, "sending": 0, "acked": 0, "needs_attention": 0, "set_aside": 0}
    found.update(device_states(engine))
    return found


# -- without a window -------------------------------------------------------------------------------

def test_the_attention_table_model_without_a_window(qapp, engine):
    ids = [save(engine, given_name="Salma", family_name=f"Idlibi {i}").id for i in range(3)]
    store.set_aside(engine, ids[:2], "rejected: email_invalid (email)")
    store.set_aside(engine, ids[2:], "campaign_closed")
    with Session(engine) as session:
        rows = queries.attention_rows(session=session)
    model = AttentionModel()
    model.set_rows(rows)
    assert model.rowCount() == 3 and model.columnCount() == 5
    assert model.headerData(AttentionModel.REASON, Qt.Orientation.Horizontal) == "Why"
    first = model.index(0, AttentionModel.REASON)
    assert model.data(first) == "Email: This does not look like an email address."
    assert model.data(first, Qt.ItemDataRole.ToolTipRole) == "rejected: email_invalid (email)"
    assert "closed" in model.data(model.index(2, AttentionModel.REASON))
    assert model.data(model.index(0, AttentionModel.NAME)) == "Salma Idlibi 0"
    assert model.data(model.index(1, AttentionModel.SEQ), ID_ROLE) == ids[1]
    with Session(engine) as session:
        queries.set_aside(ids[:1], "duplicate", session=session)
        session.commit()
        model.set_rows(queries.attention_rows(session=session))
    # A row set aside says so where the reason is: the table has no state column to squeeze it.
    assert model.data(model.index(0, AttentionModel.REASON)) == "Set aside by a coordinator. (A duplicate of another signature)"
    assert model.data(model.index(1, AttentionModel.REASON)) == "Email: This does not look like an email address."
    assert model.ids([0, 2, 7]) == [ids[0], ids[2]]


def test_the_installed_versions_table_model_without_a_window(qapp, engine):
    from datetime import UTC, datetime, timedelta

    from db.engine import write_session
    from db.models import CampaignVersion

    with write_session(engine) as session:  # a newer version of Aleppo, pulled from the server later
        (old,) = [v for v in session.exec(select(CampaignVersion)) if v.slug == "aleppo"]
        session.add(CampaignVersion(slug="aleppo", version=2, title="Aleppo, second edition", source="server",
                                    locale_hashes={"en": old.locale_hashes["en"]},
                                    installed_at=datetime.now(UTC) + timedelta(hours=1)))
        session.commit()
    with Session(engine) as session:
        versions = queries.installed_versions(session=session)
    model = VersionsModel()
    model.set_versions(versions, {("act-on-syria", 1): "Handeln für Syrien"})
    assert model.rowCount() == 3 and model.columnCount() == 6
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)] == [
        "Campaign", "Title", "Version", "Source", "Installed", "Languages"]
    cell = lambda r, c, role=Qt.ItemDataRole.DisplayRole: model.data(model.index(r, c), role)  # noqa: E731
    assert [cell(r, VersionsModel.SLUG) for r in range(3)] == ["act-on-syria", "aleppo", "aleppo"]
    assert [cell(r, VersionsModel.VERSION) for r in range(3)] == ["1", "2", "1"]  # newest first per campaign
    assert cell(0, VersionsModel.TITLE) == "Handeln für Syrien"  # the running version, in the interface's language
    assert cell(1, VersionsModel.TITLE) == "Aleppo, second edition"  # as installed
    assert [cell(r, VersionsModel.SOURCE) for r in range(3)] == ["built in", "from the server", "built in"]
    assert cell(0, VersionsModel.INSTALLED) and cell(0, VersionsModel.VERSION, ID_ROLE) == "act-on-syria@1"
    assert cell(0, VersionsModel.LANGUAGES) == "en, ar, de"
    assert cell(1, VersionsModel.LANGUAGES) == "en"
    assert cell(0, VersionsModel.LANGUAGES, Qt.ItemDataRole.ToolTipRole).startswith(
        "English, العربية, Deutsch\nNot reviewed by a native speaker yet: العربية, Deutsch.")
    assert cell(1, VersionsModel.LANGUAGES, Qt.ItemDataRole.ToolTipRole) == "English"
    assert cell(1, VersionsModel.INSTALLED) in cell(1, VersionsModel.INSTALLED, Qt.ItemDataRole.ToolTipRole)


def test_set_aside_is_logged_and_kept_and_retry_sends_again(engine):
    ids = [save(engine).id for _ in range(4)]
    store.set_aside(engine, ids[:3], "conflict")
    with Session(engine) as session:
        assert queries.set_aside(ids[:2] + ids[3:], "test", "paper sheet 12 typed twice", session=session) == 2
        session.commit()
        with pytest.raises(ValueError):
            queries.set_aside(ids, "because", session=session)
    assert _states(engine)["set_aside"] == 2 and _states(engine)["needs_attention"] == 1
    with Session(engine) as session:
        (entry,) = audit.recent(session=session, kind="set_aside")
        assert entry.detail["count"] == 2 and entry.detail["reason"] == "test" and set(entry.detail["ids"]) == set(ids[:2])
        assert [r.state for r in queries.attention_rows(session=session)] == ["set_aside", "set_aside", "needs_attention"]
        assert queries.retry(ids, session=session) == 3  # ids[3] was never refused: it stays as it was
        session.commit()
        assert audit.recent(session=session, kind="retry")[0].detail["count"] == 3
    assert _states(engine) == {"pending": 4, "sending": 0, "acked": 0, "needs_attention": 0, "set_aside": 0}


# -- through the window -----------------------------------------------------------------------------

def test_the_campaigns_page_chooses_the_campaign_and_language_and_lists_versions(qtbot, window):
    from db import settings as settings_store

    window.open_panel()
    panel = window.panel
    panel.show_section("campaigns")
    assert panel.campaigns.versions_model.rowCount() == 2 and panel.campaigns.versions_view.model() is panel.campaigns.versions_model
    panel.campaigns.campaign_choice.setCurrentIndex(panel.campaigns.campaign_choice.findData("aleppo"))
    panel.campaigns.language_choice.setCurrentIndex(panel.campaigns.language_choice.findData("de"))
    qtbot.mouseClick(panel.campaigns.save_button, Qt.MouseButton.LeftButton)
    with Session(window.ctx.engine) as session:
        stored = settings_store.stored(session=session)
    assert (stored.active_campaign, stored.default_locale) == ("aleppo", "de")
    assert window.ctx.campaign_slug == "aleppo" and window.home_locale == "de"
    assert panel.campaigns.message.text() == "Saved."


def test_the_campaigns_page_says_which_version_the_server_publishes_with_other_texts(window):
    """What the campaign pull records (db/sync/bundles.py, tests/sync/test_campaign_pull.py) reaches
    the coordinator: a warning naming the campaign and its version, and only then."""
    from db.campaigns import DIFFERS
    from db.engine import write_session

    window.open_panel()
    panel = window.panel
    panel.show_section("campaigns")
    assert panel.campaigns.versions_warning.isHidden()
    with write_session(window.ctx.engine) as session:
        audit.record(DIFFERS, session=session, slug="aleppo", version=1, locales="de")
        session.commit()
    panel.refresh()
    assert panel.campaigns.versions_warning.isVisible()
    assert panel.campaigns.versions_warning.text().startswith("Outrage on Aleppo is No Longer Enough, version 1: the server")
    assert [v.slug for v in panel.campaigns.versions_model.rows if v.differs_from_server] == ["aleppo"]


def test_the_csv_export_reads_back_with_arabic_names(qtbot, window, tmp_path):
    ctx = window.ctx
    save(ctx.engine, given_name="نور الهدى", family_name="الحلبي", email="nour@example.org")
    save(ctx.engine, given_name="Jürgen", family_name="=HYPERLINK(\"x\")")
    window.open_panel()
    panel = window.panel
    panel.show_section("settings")
    assert "personal data" in panel.settings.export_warning.text()
    target = tmp_path / "export.csv"
    panel.settings.export_to(target)
    qtbot.waitUntil(lambda: getattr(panel.settings, "exported_report", None) is not None, timeout=10_000)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM spreadsheet programs need for Arabic
    with target.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 2
    assert rows[0]["given_name"] == "نور الهدى" and rows[0]["family_name"] == "الحلبي"
    for column in ("consent_processing", "consent_text_sha256", "consent_given_at", "content_hash", "mode",
                   "device_id", "event_name", "sync_state", "purged_at"):
        assert column in rows[0]
    assert rows[1]["family_name"].startswith("'=")  # never run as a formula
    with Session(ctx.engine) as session:
        assert audit.recent(session=session, kind="export")[0].detail["rows"] == 2
    assert oct(target.stat().st_mode & 0o777) == "0o600"


def test_the_panel_follows_a_sync_against_a_real_server(qtbot, window, server):
    from desktop.sync_worker import SyncWorker

    ctx = window.ctx
    enrolled = enroll_device(ctx.data_dir, server)
    worker = SyncWorker(ctx.data_dir, ctx.engine, window, probe_interval_s=3600, max_count=100)
    worker.housekeeping = False
    window.sync_worker = worker
    with qtbot.waitSignal(worker.report, timeout=30_000):  # the loop's first run: nothing to send yet
        worker.start()
    fill_pending(ctx.engine, 1500, slug="act-on-syria", made_at=datetime.now(UTC))  # today, even just after midnight
    save(ctx.engine, given_name="Today")
    panel = window.panel
    with qtbot.waitSignal(panel.overview_shown, timeout=10_000):  # read off the GUI thread
        window.open_panel()
    assert window.flow.page is Page.PANEL
    assert panel.overview.tiles["waiting"].number.text() == "1,501"
    assert panel.overview.tiles["today"].number.text() == "1,501"
    panel.show_section("sync")
    seen: list[tuple[int, int, int]] = []

    def check() -> None:  # during the sync: each set of figures shown is one consistent snapshot
        s = panel.overview.data.states
        seen.append((s["pending"] + s["sending"], s["acked"], s["needs_attention"]))
        assert sum(seen[-1]) == 1501
        assert panel.overview.tiles["sent"].number.text() == f"{s['acked']:,}"

    panel.overview_shown.connect(check)
    worker.progress.connect(lambda _report: panel.refresh_section("overview"))
    with qtbot.waitSignal(worker.report, timeout=60_000) as done:
        panel.sync.sync_now()
    report = done.args[0]
    assert report.outcome == runner.OK and report.sent == 1501
    assert len(seen) >= 3 and seen[0][1] < seen[-1][1]  # it moved while we watched
    with qtbot.waitSignal(panel.overview_shown, timeout=10_000):
        panel.show_section("overview")
    states = _states(ctx.engine)
    assert states["acked"] == 1501 and len(server_set(server.engine, enrolled.device_id)) == 1501
    assert panel.overview.tiles["sent"].number.text() == "1,501" and panel.overview.tiles["waiting"].number.text() == "0"
    assert "finished" in panel.overview.sync_line.text()
    assert any("the server counts 1,501" in line for line in panel.overview.legend.texts())
    assert "Created: 1,501" in panel.sync.summary.text() and "still waiting: 0" in panel.sync.summary.text()
    assert panel.sync.history_model.rowCount() == 2  # the loop's first (empty) run, then this one
    worker.stop()


def test_cancelling_a_sync_leaves_every_row_pending_or_acknowledged(qtbot, window, server):
    from desktop.sync_worker import SyncWorker

    ctx = window.ctx
    enrolled = enroll_device(ctx.data_dir, server)
    worker = SyncWorker(ctx.data_dir, ctx.engine, window, probe_interval_s=3600, max_count=50)
    worker.housekeeping = False
    window.sync_worker = worker
    with qtbot.waitSignal(worker.report, timeout=30_000):  # the loop's first run: nothing to send yet
        worker.start()
    fill_pending(ctx.engine, 3000, slug="act-on-syria")
    window.open_panel()
    panel = window.panel
    panel.show_section("sync")
    worker.progress.connect(panel.sync.cancel_sync)
    with qtbot.waitSignal(worker.report, timeout=60_000) as done:
        panel.sync.sync_now()
    report = done.args[0]
    assert report.outcome == runner.STOPPED
    states = _states(ctx.engine)
    assert states["sending"] == 0 and states["acked"] + states["pending"] == 3000
    assert 0 < states["acked"] < 3000
    assert states["acked"] == len(server_set(server.engine, enrolled.device_id))  # acked = on the server
    assert "Cancelled" in panel.sync.summary.text()
    assert f"still waiting: {states['pending']:,}" in panel.sync.summary.text()
    # The next sync sends the rest.
    worker.progress.disconnect(panel.sync.cancel_sync)
    with qtbot.waitSignal(worker.report, timeout=60_000):
        panel.sync.sync_now()
    assert _states(ctx.engine)["acked"] == 3000
    worker.stop()


def test_a_sync_that_cannot_reach_the_server_says_what_to_do_in_the_panels_language(qtbot, english_afterwards,
                                                                                    server):
    """The runner's message is English and technical: the panel says what to do, translated, and keeps
    the runner's words in a tooltip for whoever helps."""
    import socket

    from desktop.sync_worker import SyncWorker

    window = english_afterwards
    ctx = window.ctx
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    enroll_device(ctx.data_dir, server, via=dead)
    save(ctx.engine, given_name="Rima", family_name="Aziz")
    worker = SyncWorker(ctx.data_dir, ctx.engine, window, probe_interval_s=3600)
    worker.housekeeping = False
    window.sync_worker = worker
    with qtbot.waitSignal(worker.report, timeout=30_000):
        worker.start()
    window.open_panel()
    window.set_language("de")
    panel = window.panel
    panel.show_section("sync")
    with qtbot.waitSignal(worker.report, timeout=30_000) as done:
        panel.sync.sync_now()
    assert done.args[0].outcome == runner.OFFLINE
    advice = panel.sync.progress_line.text()
    assert advice and "Netz" in advice and "server did not answer" not in advice
    assert panel.sync.progress_line.toolTip()  # the runner's own words
    assert _states(ctx.engine)["pending"] == 1
    worker.stop()


def test_personal_data_is_purged_by_itself_after_a_sync(qtbot, window, server):
    """With retention 0 days, the sync worker's housekeeping blanks what the server acknowledged as
    soon as a run ends: no coordinator has to remember to press a button."""
    from db import settings as settings_store
    from db.engine import write_session
    from db.models import Signature
    from desktop.sync_worker import SyncWorker

    ctx = window.ctx
    with write_session(ctx.engine) as session:
        settings_store.update(session=session, retention_days=0)
        session.commit()
    enroll_device(ctx.data_dir, server)
    signed = save(ctx.engine, given_name="Sanaa", family_name="Qassem").id
    worker = SyncWorker(ctx.data_dir, ctx.engine, window, probe_interval_s=3600)
    with qtbot.waitSignal(worker.purged, timeout=60_000) as purge:  # start-up purge has nothing to do;
        worker.start()                                              # the one after the sync has
    assert purge.args[0].purged >= 1
    with Session(ctx.engine) as session:
        row = session.get(Signature, signed)
        assert row.sync_state == "acked" and row.purged_at is not None
        assert row.given_name is None and row.family_name is None
    worker.stop()


def test_enrollment_problems_are_told_in_the_interface_language(qtbot, english_afterwards, server):
    """The core names what went wrong (db/sync/enrollment.py's keys); the panel says it in German or
    Arabic, with the server's own words as a tooltip for whoever fixes it."""
    from PySide6.QtCore import QCoreApplication

    from db.sync import enrollment
    from desktop.panel.words import ENROLLMENT

    assert ENROLLMENT == enrollment.MESSAGES  # every key, and the same English on both sides
    window = english_afterwards

    def told(key: str) -> str:
        words = QCoreApplication.translate("Panel", enrollment.MESSAGES[key])
        assert words != enrollment.MESSAGES[key]  # translated, not the English fallback
        return words

    window.open_panel()  # opening wipes the signer's screen, language included: switch afterwards
    window.set_language("de")
    panel = window.panel
    panel.show_section("settings")
    panel.settings.server_url.setText(server.url)
    panel.settings.enroll_code.setText("K7QM-2XPA")
    panel.settings.enroll()
    assert panel.settings.enroll_message.text() == told(enrollment.CODE_SHAPE)
    panel.settings.enroll_code.setText("AAAA-BBBB-CCCC")  # well formed, but the server never made it
    panel.settings.enroll()
    qtbot.waitUntil(panel.settings.enroll_button.isEnabled, timeout=30_000)
    assert panel.settings.enroll_message.text() == told(enrollment.CODE_REFUSED)
    assert "invalid_code" in panel.settings.enroll_message.toolTip()
    assert enrollment.load(window.ctx.data_dir) is None

    window.set_language("ar")
    panel.settings.server_url.clear()
    panel.settings.enroll_code.setText("https://petitions.example.org")  # the address typed in the code's place
    panel.settings.enroll()
    assert panel.settings.enroll_message.text() == told(enrollment.CODE_MISSING)
    panel.settings.enroll_code.setText("petition-kiosk://enroll?v=1&server=http%3A%2F%2Fpetitions.example.org"
                              "&code=K7QM-2XPA-9RTF")
    panel.settings.enroll()
    qtbot.waitUntil(panel.settings.enroll_button.isEnabled, timeout=30_000)
    assert panel.settings.enroll_message.text() == told(enrollment.HTTP_OUTSIDE)


def test_the_device_name_is_changed_in_settings_and_a_bad_one_refused(qtbot, window):
    from db import settings as settings_store

    window.open_panel()
    panel = window.panel
    panel.show_section("settings")
    panel.settings.device_name.setText("Table\u202e 3")  # an invisible bidi override
    panel.settings.save_settings()
    assert "invisible" in panel.settings.settings_message.text()
    panel.settings.device_name.setText("  Courthouse table 3 ")
    panel.settings.save_settings()
    with Session(window.ctx.engine) as session:
        assert settings_store.stored(session=session).device_name == "Courthouse table 3"


def test_a_campaign_imported_in_the_panel_can_be_chosen(qtbot, window, tmp_path):
    from utils.bundles import make_bundle

    window.open_panel()
    panel = window.panel
    panel.show_section("campaigns")
    panel.campaigns.import_campaign(make_bundle(tmp_path))
    qtbot.waitUntil(lambda: panel.campaigns.import_button.isEnabled(), timeout=10_000)
    assert panel.campaigns.campaign_choice.currentData() == "vigil"
    assert "Vigil for the detained" in panel.campaigns.message.text()
    panel.campaigns.save_campaign()
    assert window.ctx.campaign_slug == "vigil" and window.ctx.campaign.source == "import"
    panel.campaigns.import_campaign(make_bundle(tmp_path / "same-slug-as-builtin", slug="aleppo", version=9))
    qtbot.waitUntil(lambda: panel.campaigns.import_button.isEnabled(), timeout=10_000)
    assert panel.campaigns.message.text().startswith("This is not a campaign bundle")


def test_a_pin_shorter_than_6_digits_opens_the_panel_which_asks_for_a_longer_one(qtbot, english_afterwards):
    """A 4-digit PIN chosen before the 6-digit rule still opens the panel; the overview then says, in
    the panel's language, to choose a longer one, and says nothing once it is changed."""
    import hashlib
    import json

    from db import pin

    window = english_afterwards
    salt = bytes(16)
    digest = hashlib.scrypt(b"2468", salt=salt, n=2**15, r=8, p=1, dklen=32, maxmem=64 * 1024 * 1024)
    pin.pin_path(window.ctx.data_dir).write_text(json.dumps({
        "algorithm": "scrypt", "n": 2**15, "r": 8, "p": 1, "dklen": 32, "salt": salt.hex(), "hash": digest.hex()}))
    window.ask_pin()
    for digit in "2468":
        window.pin_pad.press(digit)
    panel = window.panel
    with qtbot.waitSignal(panel.overview_shown, timeout=10_000):
        qtbot.mouseClick(window.pin_pad.ok, Qt.MouseButton.LeftButton)
    assert window.flow.page is Page.PANEL
    assert panel.overview.warnings_line.isVisible() and "shorter than 6 digits" in panel.overview.warnings_line.text()
    window.set_language("de")
    with qtbot.waitSignal(panel.overview_shown, timeout=10_000):
        panel.refresh_section("overview")
    assert "weniger als 6 Ziffern" in panel.overview.warnings_line.text()
    window.set_language("en")
    pin.set_pin(window.ctx.data_dir, "246813")
    panel.refresh_section("overview")  # a read started by the language switch may still be on its way
    qtbot.waitUntil(panel.overview.warnings_line.isHidden, timeout=10_000)


def test_the_settings_say_how_to_reach_the_panel_in_kiosk_mode(qtbot, english_afterwards):
    """The corner hold was written only in the README; the coordinator meets it where the PIN is changed."""
    from desktop.kiosk import HOLD_MS

    window = english_afterwards
    window.open_panel()
    panel = window.panel
    panel.show_section("settings")
    text = panel.settings.kiosk_way_in.text()
    assert "top-left corner" in text and str(HOLD_MS // 1000) in text
    window.set_language("de")
    assert "linke obere Ecke" in panel.settings.kiosk_way_in.text()
    window.set_language("en")


def test_the_sync_section_says_phone_signatures_wait_for_a_version_1_server_in_the_panels_language(
        qtbot, english_afterwards, tmp_path):
    """Against a real server forced to API version 1: the phones' signatures stay pending, the others go,
    and the Sync section says what waits and why, in English, Arabic and German."""
    from db.schemas import Mode
    from desktop.sync_worker import SyncWorker
    from utils.sync_env import VERSION_1_ENV, live_server, server_database

    window = english_afterwards
    ctx = window.ctx
    with server_database(tmp_path / "server") as (url, server_engine):
        with live_server(url, tmp_path / "server", extra_env=VERSION_1_ENV) as old:
            enroll_device(ctx.data_dir, SyncServer(old, server_engine))
            for i in range(2):
                save(ctx.engine, given_name="Nour", family_name=f"Phone {i}", mode=Mode.PHONE)
            save(ctx.engine, given_name="Rima", family_name="Kiosk")
            worker = SyncWorker(ctx.data_dir, ctx.engine, window, probe_interval_s=3600)
            worker.housekeeping = False
            window.sync_worker = worker
            with qtbot.waitSignal(worker.report, timeout=30_000):
                worker.start()
            window.open_panel()
            panel = window.panel
            panel.show_section("sync")
            started: list[int] = []
            worker.run_started.connect(started.append)
            with qtbot.waitSignal(worker.report, timeout=30_000) as done:
                panel.sync.sync_now()
            report = done.args[0]
            assert (report.outcome, report.held, report.pending) == (runner.OK, {"phone": 2}, 2)
            assert started == [0]  # the run's progress counts only what it can send
            worker.stop()
        assert _states(ctx.engine)["pending"] == 2 and _states(ctx.engine)["acked"] == 1
        line = panel.sync.held_line
        assert line.isVisible()
        assert line.text().startswith("2 signatures made on phones wait for the server to be updated (it speaks "
                                      "API version 1; they need version 2).")
        line.window().grab().save(str(tmp_path / "sync-en.png"))
        texts = {}
        for language in ("ar", "de"):
            window.set_language(language)
            panel.show_section("sync")
            texts[language] = line.text()
            line.window().grab().save(str(tmp_path / f"sync-{language}.png"))
        assert texts["ar"].startswith("توقيعان من الهواتف ينتظران تحديث الخادم") and "الإصدار ٢" in texts["ar"]
        assert texts["de"].startswith("2 auf Handys geleistete Unterschriften warten")


def test_a_hand_off_file_written_in_the_panel_says_which_phone_signatures_it_left_out(qtbot, window, server,
                                                                                       tmp_path):
    from db.schemas import Mode
    from db.sync import enrollment

    ctx = window.ctx
    enrolled = enroll_device(ctx.data_dir, server)
    enrolled.api_version = 1  # as the last sync found the server
    enrollment.save(ctx.data_dir, enrolled)
    save(ctx.engine, given_name="Rima", family_name="Kiosk")
    for i in range(2):
        save(ctx.engine, given_name="Nour", family_name=f"Phone {i}", mode=Mode.PHONE)
    window.open_panel()
    panel = window.panel
    panel.show_section("sync")
    panel.sync.handoff_to(tmp_path / "day.handoff")
    qtbot.waitUntil(lambda: panel.sync.handoff_button.isEnabled() and "written" in panel.sync.handoff_message.text(),
                    timeout=30_000)
    text = panel.sync.handoff_message.text()
    assert "1 signature written to" in text
    assert text.endswith("2 signatures made on phones are not in the file: they wait for the server to be updated.")
    assert _states(ctx.engine)["pending"] == 3
