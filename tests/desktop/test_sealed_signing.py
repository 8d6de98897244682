"""Sealed mode through the real window: what a signer types is sealed before it reaches the disk, and a
campaign that must seal cannot collect on a device without the key (the signer is told why)."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from nacl.public import PrivateKey
from PySide6.QtCore import Qt

from db import campaigns, sealing
from db.paths import database_path
from desktop.flow import Page
from utils.factories import copy_bundle
from utils.input import type_text
from utils.sealing import give_key
from utils.traces import find_traces

NAMES = ("سلمى", "Khouri", "salma.khouri@example.org")


def _sign(qtbot, window, given: str, family: str, email: str) -> str:
    qtbot.mouseClick(window.letter.sign_button, Qt.MouseButton.LeftButton)
    form = window.sign
    type_text(qtbot, form.editors["given_name"], given)
    qtbot.keyClicks(form.editors["family_name"], family)
    qtbot.keyClicks(form.editors["email"], email)
    form.consent.box.setChecked(True)
    with qtbot.waitSignal(window.saved, timeout=5000) as saved:
        qtbot.mouseClick(form.sign_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.thanks.done_button, Qt.MouseButton.LeftButton)
    return str(saved.args[0])


def test_what_a_signer_types_is_sealed_before_it_reaches_the_disk(qtbot, window, ctx, tmp_path) -> None:
    private = PrivateKey.generate()
    give_key(ctx.engine, private)
    log_file = ctx.data_dir / "app.log"  # everything the app logs, at every level, is searched too
    handler = logging.FileHandler(log_file, encoding="utf-8")
    logging.getLogger().addHandler(handler)
    previous = logging.getLogger().level
    logging.getLogger().setLevel(logging.DEBUG)
    try:
        ids = [_sign(qtbot, window, *NAMES), _sign(qtbot, window, "Omar", "Alshogre", "omar@example.org")]
    finally:
        logging.getLogger().removeHandler(handler)
        logging.getLogger().setLevel(previous)
        handler.close()

    con = sqlite3.connect(database_path(ctx.data_dir))
    try:
        stored = con.execute("SELECT id, sealed, given_name, email FROM signature ORDER BY seq").fetchall()
    finally:
        con.close()
    assert [r[0] for r in stored] == ids
    assert all(r[2] is None and r[3] is None for r in stored)
    assert sealing.open_sealed(stored[0][1], ids[0], private)["given_name"] == NAMES[0]
    assert log_file.stat().st_size > 0
    assert find_traces([ctx.data_dir], [*NAMES, "Alshogre", "omar@example.org"]) == []


def _required_campaign(ctx, tmp_path: Path) -> campaigns.Campaign:
    folder = copy_bundle("act-on-syria", tmp_path)
    with (folder / "campaign.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[sealing]\nmode = "required"\n')
    campaign = campaigns.load_bundle(folder, source="import")
    ctx.campaigns[campaign.slug] = campaign
    return campaign


def test_a_campaign_that_must_seal_tells_the_signer_why_it_cannot_collect(qtbot, window, ctx, tmp_path) -> None:
    _required_campaign(ctx, tmp_path)
    qtbot.mouseClick(window.letter.sign_button, Qt.MouseButton.LeftButton)
    assert window.flow.page is Page.LETTER
    assert window.notice.isVisible()
    assert "paused" in window.notice.title.text()
    assert "Coordinator" in window.notice.detail.text()
    qtbot.mouseClick(window.notice.close_button, Qt.MouseButton.LeftButton)
    assert not window.notice.isVisible()

    give_key(ctx.engine, PrivateKey.generate())  # the coordinator enrolled the device
    qtbot.mouseClick(window.letter.sign_button, Qt.MouseButton.LeftButton)
    assert window.flow.page is Page.SIGN and not window.notice.isVisible()


def test_a_key_lost_while_the_form_is_open_keeps_what_was_typed(qtbot, window, ctx, tmp_path) -> None:
    """The check before the form and the check at saving are separate: the save path refuses too."""
    give_key(ctx.engine, PrivateKey.generate())
    qtbot.mouseClick(window.letter.sign_button, Qt.MouseButton.LeftButton)
    _required_campaign(ctx, tmp_path)
    con = sqlite3.connect(database_path(ctx.data_dir))
    con.execute("DELETE FROM sealing_key")  # as if the device's database were swapped underneath
    con.commit()
    con.close()
    form = window.sign
    qtbot.keyClicks(form.editors["given_name"], "Hala")
    form.consent.box.setChecked(True)
    qtbot.mouseClick(form.sign_button, Qt.MouseButton.LeftButton)
    assert window.flow.page is Page.SIGN
    assert form.banner.isVisible() and "paused" in form.banner.text()
    assert form.editors["given_name"].text() == "Hala"
