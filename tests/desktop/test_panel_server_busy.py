"""The coordinator's sync section when the server answers busy (503 with Retry-After): it says when the
app sends again, translated, and shows the summary of the run that follows by itself."""

from __future__ import annotations

import pytest

from db.sync import runner


@pytest.fixture
def english_afterwards(window):
    """The translators and the default locale belong to the one QApplication: leave it in English."""
    yield window
    window.set_language("en")


@pytest.mark.parametrize(("lang", "words", "three"), [
    ("en", "The server is busy", "3"), ("de", "ausgelastet", "3"), ("ar", "الخادم مشغول", "٣")])
def test_a_busy_server_says_when_the_app_sends_again(english_afterwards, lang: str, words: str, three: str) -> None:
    window = english_afterwards
    window.open_panel()
    window.set_language(lang)
    section = window.panel.sync
    window.panel.show_section("sync")
    section._day_end = True  # as after "Sync now"
    section.on_report(runner.SyncReport(outcome=runner.OFFLINE, message="server busy: 503 server_busy",
                                        retry_after=3, pending=4))
    assert words in section.progress_line.text() and three in section.progress_line.text()
    assert section.progress_line.toolTip() == "server busy: 503 server_busy"  # the runner's words
    assert section.summary.text() == ""  # no summary yet: the loop sends again by itself
    section.on_report(runner.SyncReport(outcome=runner.OK, sent=4, created=4))
    assert section.summary.text()  # the run after the wait ends the day's sync
    assert words not in section.progress_line.text()
