"""The partners' opt-ins on the kiosk's form, assisted entry and paper back-entry (desktop/form.py
PartnerOptIns): one per offered partner, each with its own text naming it, never pre-ticked; more than
three fold into one list behind a button that says how many are chosen; what is ticked is saved."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt

from db.campaigns import load_bundle
from db.paths import database_path
from db.schemas import parse_partner_optins
from db.signer_text import PARTNERS_FOLDED, translate
from desktop.flow import Page
from desktop.form import FOLD_PARTNERS_AFTER, PartnerOptIns
from utils.factories import copy_bundle

PARTNERS = ("families-for-freedom", "syrian-british-council", "white-helmets")


def _optins(ctx) -> list[tuple[str, list[str]]]:
    con = sqlite3.connect(database_path(ctx.data_dir))
    try:
        return [(mode, sorted(parse_partner_optins(text))) for mode, text in con.execute(
            "SELECT mode, partner_optins FROM signature WHERE voids IS NULL ORDER BY seq")]
    finally:
        con.close()


def _fill(form) -> None:
    form.editors["given_name"].setText("Nour")
    form.editors["email"].setText("nour@example.org")
    form.consent.box.setChecked(True)


def test_the_kiosk_form_offers_each_partner_unticked_and_saves_the_two_ticked(qtbot, window, ctx):
    qtbot.mouseClick(window.letter.sign_button, Qt.MouseButton.LeftButton)
    form = window.sign
    assert form.partners is not None and form.partners.toggle is None  # three: one under the other
    shown = ctx.campaign.localised("en")
    rows = form.partners.rows
    assert list(rows) == list(PARTNERS)
    for slug, row in rows.items():
        partner = shown.campaign.manifest.partner(slug)
        assert not row.box.isChecked() and row.text.text() == shown.partner_consent(partner)
        assert partner.name in row.box.accessibleName()
    _fill(form)
    form.scroll_area.ensureWidgetVisible(rows[PARTNERS[2]].text)
    qtbot.mouseClick(rows[PARTNERS[2]].text, Qt.MouseButton.LeftButton)  # tapping the text ticks it
    qtbot.waitUntil(rows[PARTNERS[2]].box.isChecked, timeout=2000)
    rows[PARTNERS[1]].box.setChecked(True)
    with qtbot.waitSignal(window.saved, timeout=5000):
        qtbot.mouseClick(form.sign_button, Qt.MouseButton.LeftButton)
    assert _optins(ctx) == [("kiosk", [PARTNERS[1], PARTNERS[2]])]
    # the next signer finds every box unticked
    assert not any(row.box.isChecked() for row in window.sign.partners.rows.values())


def test_more_than_three_partners_fold_into_one_list_that_says_how_many_are_chosen(qtbot, tmp_path):
    folder = copy_bundle("act-on-syria", tmp_path)
    manifest = (folder / "campaign.toml").read_text()
    for name, slug in (("Baytna", "baytna"), ("Damma", "damma")):
        manifest = manifest.replace(f'name = "{name}"\n', f'name = "{name}"\nslug = "{slug}"\noffers_opt_in = true\n', 1)
    (folder / "campaign.toml").write_text(manifest)
    shown = load_bundle(folder).localised("de")
    widget = PartnerOptIns(shown)
    qtbot.addWidget(widget)
    widget.show()
    assert len(widget.rows) == 5 > FOLD_PARTNERS_AFTER
    assert widget.toggle is not None and widget.list is not None and not widget.list.isVisible()
    assert widget.toggle.accessibleName() == "Partner organisations that may contact you: 0 of 5 chosen"
    assert translate("de", PARTNERS_FOLDED, chosen=0, total=5) == (
        "Partnerorganisationen, die Sie kontaktieren dürfen: 0 von 5 gewählt")
    qtbot.mouseClick(widget.toggle, Qt.MouseButton.LeftButton)
    assert widget.list.isVisible() and widget.toggle.text().startswith("▾")
    widget.rows["damma"].box.setChecked(True)
    assert widget.chosen() == {"damma"} and "1 of 5" in widget.toggle.text()
    assert widget.toggle in widget.boxes()
    widget.clear()
    assert widget.chosen() == frozenset() and not widget.list.isVisible()


def _open(qtbot, window, page: Page):
    window.open_panel()
    button = window.panel.overview.assisted_button if page is Page.ASSISTED else window.panel.overview.paper_button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    return window.pages[page]


def test_assisted_entry_and_paper_back_entry_save_the_partners_ticked(qtbot, window, ctx):
    assisted = _open(qtbot, window, Page.ASSISTED)
    assert [b.isChecked() for b in assisted.form.partners.boxes()] == [False] * 3
    assert assisted.form.partners.boxes()[0] in assisted.form.focusables()
    _fill(assisted.form)
    assisted.form.partners.rows[PARTNERS[0]].box.setChecked(True)
    with qtbot.waitSignal(assisted.saved, timeout=5000):
        assisted.save()
    assert not assisted.form.partners.chosen()  # cleared for the next person

    paper = _open(qtbot, window, Page.PAPER)
    paper.sheet.setText("7")
    paper.form.editors["given_name"].setText("Amal")
    paper.form.partners.rows[PARTNERS[2]].box.setChecked(True)
    with qtbot.waitSignal(paper.saved, timeout=5000):
        paper.save()
    assert _optins(ctx) == [("assisted", [PARTNERS[0]]), ("paper", [PARTNERS[2]])]


def test_the_panel_says_which_signatures_wait_for_a_newer_server(qtbot, window):
    window.open_panel()
    sync = window.panel.sync
    sync._held = (2, 3, 1, 2)  # as _show_held finds them: 2 phones', 3 with partners' opt-ins, API 1 of 2
    sync._say_held()
    assert sync.held_line.text().splitlines() == [
        "2 signatures made on phones wait for the server to be updated (it speaks API version 1; they need version "
        "2). Nothing is lost: they are sent once the server is updated.",
        "3 signatures with partners' opt-ins wait for the server to be updated (it speaks API version 1; they need "
        "version 2). Nothing is lost: they are sent once the server is updated."]
    window.set_language("ar")
    sync._say_held()
    assert "باختيارات المنظمات الشريكة" in sync.held_line.text()
    window.set_language("en")


def test_the_sync_reports_partners_opt_ins_held_in_the_coordinators_words() -> None:
    from db.sync.runner import held_words

    assert held_words({"partner_optins": 1}, 1) == [
        "1 signature with partners' opt-ins waits for the server to be updated (it speaks API version 1; it needs "
        "version 2)"]
