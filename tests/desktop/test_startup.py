"""The start-up path: the letter is painted from plain sqlite3 reads and a cached document, and the
heavy layers (SQLAlchemy, SQLModel, pydantic) load only after the first paint."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from db.quick import early_setting
from desktop import letter_cache
from desktop.context import open_context

PROBE = r"""
import sys
from pathlib import Path
from desktop.context import open_context
ctx = open_context(Path(sys.argv[1]), campaign="act-on-syria")
letter = ctx.letter()
count = ctx.count()
heavy = sorted(m for m in ("sqlalchemy", "sqlmodel", "pydantic", "alembic") if m in sys.modules)
print(count, letter.title, ",".join(heavy) or "-", sep="|")
"""


def _probe(data_dir: Path) -> list[str]:
    result = subprocess.run([sys.executable, "-c", PROBE, str(data_dir)], capture_output=True, text=True,
                            timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().split("|")


def test_a_warm_start_reads_the_letter_without_the_database_layer(tmp_path: Path):
    from db.signatures import SignatureDraft, save_signature

    ctx = open_context(tmp_path, campaign="act-on-syria")  # first start: creates the database
    save_signature(SignatureDraft(fields={"given_name": "Nour"}, consent_processing=True),
                   engine=ctx.engine, shown=ctx.shown)
    assert ctx.letter().title == "Act on Syria"  # builds and caches the document
    ctx.close()

    count, title, heavy = _probe(tmp_path)
    assert count == "1"
    assert title == "Act on Syria"
    assert heavy == "-", f"loaded before the first paint: {heavy}"


def test_a_cold_start_builds_the_letter_and_caches_it(tmp_path: Path):
    ctx = open_context(tmp_path, campaign="aleppo")
    cache = tmp_path / letter_cache.CACHE_DIR / "letter-aleppo-en.json"
    assert not cache.exists()
    letter = ctx.letter()
    assert "Outrage on Aleppo" in letter.html
    stored = json.loads(cache.read_text(encoding="utf-8"))
    assert stored["html"] == letter.html


def test_a_changed_bundle_makes_the_cached_letter_stale(tmp_path: Path):
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "en.toml").write_text("title = 'One'\n", encoding="utf-8")
    data = tmp_path / "data"
    letter_cache.store(data, "x", "en", bundle, letter_cache.CachedLetter(html="<p>one</p>", title="One", rtl=False))
    assert letter_cache.load(data, "x", "en", bundle).html == "<p>one</p>"

    time.sleep(0.01)
    (bundle / "en.toml").write_text("title = 'Two'\n", encoding="utf-8")
    assert letter_cache.load(data, "x", "en", bundle) is None
    assert letter_cache.load(data, "x", "de", bundle) is None  # another language: its own entry


def test_a_damaged_cache_entry_is_ignored(tmp_path: Path):
    ctx = open_context(tmp_path, campaign="act-on-syria")
    ctx.letter()
    ctx.close()
    (tmp_path / letter_cache.CACHE_DIR / "letter-act-on-syria-en.json").write_text("{not json", encoding="utf-8")
    again = open_context(tmp_path, campaign="act-on-syria")
    assert again.letter().title == "Act on Syria"


def test_early_settings_follow_the_validated_rules():
    stored = {"active_campaign": "aleppo", "default_locale": "ar"}
    assert early_setting("active_campaign", stored, {}) == "aleppo"
    assert early_setting("default_locale", stored, {}) == "ar"
    assert early_setting("default_locale", {"default_locale": "Arabic!"}, {}) is None
    assert early_setting("default_locale", {"default_locale": 7}, {}) is None
    assert early_setting("default_locale", stored, {"PETITION_KIOSK_DEFAULT_LOCALE": "de"}) == "de"
    assert early_setting("active_campaign", None, {}) is None


def test_the_chosen_campaign_is_remembered_for_the_next_start(tmp_path: Path):
    from sqlmodel import Session

    from db import settings as settings_store

    ctx = open_context(tmp_path)
    assert not ctx.chosen  # two campaigns, none chosen: the picker comes first
    with Session(ctx.engine) as session:
        settings_store.update(session=session, active_campaign="aleppo")
        session.commit()
    ctx.close()
    again = open_context(tmp_path)
    assert again.chosen and again.campaign_slug == "aleppo"


def test_warm_up_loads_the_database_layer_and_builds_the_form(qtbot, tmp_path: Path):
    from desktop.app import build_window, make_application
    from desktop.flow import Page

    open_context(tmp_path, campaign="act-on-syria").close()  # the database exists: a warm start
    ctx = open_context(tmp_path, campaign="act-on-syria")
    assert not ctx.loaded
    window = build_window(make_application(), ctx)
    qtbot.addWidget(window)
    assert Page.SIGN not in window.pages
    from desktop.warm_up import prepare

    prepare(window)
    assert ctx.loaded
    assert Page.SIGN in window.pages


# Runs the app to its first paint and reports what PySide had to load for it.
FIRST_PAINT_PROBE = r"""
import sys
from pathlib import Path

import PySide6.QtCore
import PySide6.QtWidgets

lazy = "Qt" not in vars(PySide6.QtCore)  # PySide creates its classes on first use (6.7 and later)
import desktop.app as app
from desktop.context import open_context


def report():
    loaded = [name for name, module in (("Qt", PySide6.QtCore), ("QCalendarWidget", PySide6.QtWidgets))
              if name in vars(module)]
    window = app.QApplication.activeWindow() or app.QApplication.topLevelWidgets()[0]
    print(lazy, ",".join(loaded) or "-", window.letter.count_label.text(), sep="|", flush=True)
    app.QApplication.instance().quit()


app._report_painted = report
ctx = open_context(Path(sys.argv[1]), campaign="act-on-syria")
sys.exit(app.run_gui(ctx, exit_when_painted=True))
"""


def test_the_first_paint_needs_neither_qts_namespace_nor_every_widget_class(tmp_path: Path):
    """Qt's namespace (90-odd enums) and the classes PySide loads to wrap a widget Qt made (the
    letter's viewport) cost a fifth of the start-up: the first paint does without them."""
    open_context(tmp_path, campaign="act-on-syria").close()
    result = subprocess.run([sys.executable, "-c", FIRST_PAINT_PROBE, str(tmp_path)], capture_output=True,
                            text=True, timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    lazy, loaded, count = result.stdout.strip().splitlines()[-1].split("|")
    assert count == "0 signatures on this device"
    if lazy == "True":
        assert loaded == "-"


def test_what_waits_for_the_first_paint_is_done_after_it(qtbot, tmp_path: Path):
    import gc

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from desktop import widgets
    from desktop.app import build_window, make_application

    assert gc.isenabled()  # paused only while desktop.app imports PySide and the window
    open_context(tmp_path, campaign="act-on-syria").close()
    ctx = open_context(tmp_path, campaign="act-on-syria")
    QApplication.setWindowIcon(QIcon())
    widgets.hold_until_painted()
    try:
        window = build_window(make_application(), ctx)
        qtbot.addWidget(window)
        letter = window.letter
        assert letter.count_label.textFormat() == Qt.TextFormat.AutoText  # not yet
        assert QApplication.windowIcon().isNull()
    finally:
        widgets.first_paint_done()
    assert letter.count_label.textFormat() == Qt.TextFormat.PlainText
    assert letter.sign_button.cursor().shape() == Qt.CursorShape.PointingHandCursor
    assert not QApplication.windowIcon().isNull()
    done: list[int] = []
    widgets.after_first_paint(lambda: done.append(1))  # no start-up holding them: at once
    assert done == [1]
    ctx.close()


def test_the_letter_says_when_it_has_been_painted(qtbot, tmp_path: Path):
    from utils.windows import show_window

    open_context(tmp_path, campaign="act-on-syria").close()
    ctx = open_context(tmp_path, campaign="act-on-syria")
    window = show_window(qtbot, ctx)
    painted: list[bool] = []
    window.letter.browser.call_after_first_paint(lambda: painted.append(True))
    window.letter.browser.viewport().update()
    qtbot.waitUntil(lambda: painted == [True])
    window.letter.browser.viewport().repaint()
    qtbot.wait(10)
    assert painted == [True]  # once
    ctx.close()


def test_choosing_the_campaign_shown_first_is_remembered_too(qtbot, tmp_path: Path):
    """The picker's first card is the campaign the context starts on: choosing it must still be stored,
    or every start (and a crash's restart, with crowd mode serving) opens the picker again."""
    from utils.windows import show_window

    ctx = open_context(tmp_path)
    assert not ctx.chosen
    first = ctx.campaign_slug
    window = show_window(qtbot, ctx)
    window.choose_campaign(first)
    window.close()
    ctx.close()
    again = open_context(tmp_path)
    assert again.chosen and again.campaign_slug == first
    again.close()
