"""QR codes: painted in whole device pixels at any device pixel ratio, and decoded back (zxing-cpp) to
the text they carry: the campaign's link beside the letter, a signature's receipt on the thank-you page."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
import zxingcpp
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage

from db import campaigns
from db.paths import database_path
from desktop.flow import Page
from desktop.qr import QUIET_ZONE, QrCode, modules, qr_image
from utils.factories import copy_bundle, edit
from utils.traces import find_traces

PETITION = "https://petitions.example.org/act-on-syria/sign?lang=en"
FULL_LETTER = "https://example.org/act-on-syria/letter"
RECEIPT = "https://petitions.example.org/receipt/{id}"
PAGE = QColor("#faf8f4")


def _decoded(image: QImage) -> list[str]:
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)  # a format zxing-cpp reads from a QImage
    return [barcode.text for barcode in zxingcpp.read_barcodes(grey, formats=zxingcpp.BarcodeFormat.QRCode)]


def _runs(image: QImage, y: int) -> set[int]:
    """Lengths of the runs of black pixels along row ``y``."""
    runs, length = set(), 0
    for x in range(image.width()):
        if image.pixelColor(x, y) == QColor("black"):
            length += 1
        elif length:
            runs.add(length)
            length = 0
    return runs


def test_the_image_has_whole_pixels_per_module_and_decodes():
    image = qr_image(PETITION, 3)
    count = len(modules(PETITION))
    assert image.width() == image.height() == 3 * count
    assert modules(PETITION)[0][0] is False and len(modules(PETITION)[QUIET_ZONE]) == count  # quiet zone
    assert _decoded(image) == [PETITION]


@pytest.mark.parametrize("ratio", [1.0, 1.5, 2.0, 3.0])
def test_the_widget_paints_crisp_modules_at_any_device_pixel_ratio(qtbot, ratio):
    code = QrCode(PETITION)
    qtbot.addWidget(code)
    target = QImage(round(code.width() * ratio), round(code.height() * ratio), QImage.Format.Format_ARGB32)
    target.setDevicePixelRatio(ratio)
    target.fill(PAGE)
    code.render(target, QPoint(0, 0))

    colours = {target.pixelColor(x, y).name() for y in range(target.height()) for x in range(target.width())}
    # Black, white and the widget's own background: no grey, so nothing was scaled or smoothed.
    assert {"#000000", "#ffffff"} <= colours and len(colours - {"#000000", "#ffffff"}) <= 1
    module = max(1, int(min(code.width(), code.height()) * ratio) // len(modules(PETITION)))
    middle = target.height() // 2
    assert all(run % module == 0 for run in _runs(target, middle))
    assert module >= ratio  # modules grow with the ratio: as large on a 2x tablet as on a 1x laptop
    assert _decoded(target) == [PETITION]


def _campaign(ctx, tmp_path: Path, links: str) -> campaigns.Campaign:
    folder = copy_bundle("act-on-syria", tmp_path)
    edit(folder / "campaign.toml", "[links]\n", f"[links]\n{links}\n")
    campaign = campaigns.load_bundle(folder)
    ctx.campaigns[campaign.slug] = campaign
    return campaign


def test_the_letter_page_offers_the_online_petition_to_phones(qtbot, window, ctx, tmp_path):
    assert window.letter.phone is None  # the built-in campaigns have no links: no code, nothing loaded
    _campaign(ctx, tmp_path, f'full_letter = "{FULL_LETTER}"\nonline_petition = "{PETITION}"')
    window.go_to(Page.LETTER)
    letter = window.letter
    assert letter.phone is not None and letter.phone.isVisible()
    assert letter.phone_caption.text() == "Sign on your phone"
    assert _decoded(letter.phone_code.grab().toImage()) == [PETITION]
    # The letter keeps its reading column beside the code.
    assert letter.browser.width() + letter.phone.width() <= letter.width()

    window.set_language("de")
    assert letter.phone_caption.text() not in ("", "Sign on your phone")
    window.set_language("en")

    _campaign(ctx, tmp_path / "b", f'full_letter = "{FULL_LETTER}"')
    window.go_to(Page.LETTER)
    assert letter.phone_caption.text() == "Read the full letter on your phone"
    assert _decoded(letter.phone_code.grab().toImage()) == [FULL_LETTER]

    _campaign(ctx, tmp_path / "c", "")
    window.go_to(Page.LETTER)
    assert not letter.phone.isVisible()


def test_the_thank_you_page_shows_this_signatures_receipt_then_forgets_it(qtbot, window, ctx, tmp_path):
    _campaign(ctx, tmp_path, f'receipt = "{RECEIPT}"')
    qtbot.mouseClick(window.letter.sign_button, Qt.MouseButton.LeftButton)
    form = window.sign
    qtbot.keyClicks(form.editors["given_name"], "Nour")
    form.consent.box.setChecked(True)
    with qtbot.waitSignal(window.saved, timeout=5000) as saved:
        qtbot.mouseClick(form.sign_button, Qt.MouseButton.LeftButton)
    thanks = window.thanks
    assert window.flow.page is Page.THANKS and thanks.receipt_code.isVisible()
    assert "receipt" in thanks.receipt_caption.text()
    [url] = _decoded(thanks.receipt_code.grab().toImage())
    prefix = RECEIPT.replace("{id}", saved.args[0]) + "?k="
    assert url.startswith(prefix)
    secret = url[len(prefix):]
    assert len(secret) >= 22 and secret.replace("-", "").replace("_", "").isalnum()
    # The device keeps the secret's hash only: it is nowhere in its files (database, WAL, logs...).
    con = sqlite3.connect(database_path(ctx.data_dir))
    try:
        [(stored,)] = con.execute("SELECT receipt_sha256 FROM signature WHERE id = ?", (saved.args[0],)).fetchall()
    finally:
        con.close()
    assert stored == hashlib.sha256(secret.encode()).hexdigest()
    assert find_traces([ctx.data_dir], [secret]) == []

    qtbot.mouseClick(thanks.done_button, Qt.MouseButton.LeftButton)
    assert window.flow.page is Page.LETTER
    assert thanks.receipt_code.text() == "" and thanks.receipt.isHidden()  # the next person sees none

    # The next signer's receipt has a secret of its own.
    qtbot.mouseClick(window.letter.sign_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(form.editors["given_name"], "Rami")
    form.consent.box.setChecked(True)
    with qtbot.waitSignal(window.saved, timeout=5000) as second:
        qtbot.mouseClick(form.sign_button, Qt.MouseButton.LeftButton)
    [next_url] = _decoded(thanks.receipt_code.grab().toImage())
    assert next_url.startswith(RECEIPT.replace("{id}", second.args[0]) + "?k=") and secret not in next_url


def test_no_receipt_without_a_receipt_link(qtbot, window):
    qtbot.mouseClick(window.letter.sign_button, Qt.MouseButton.LeftButton)
    form = window.sign
    qtbot.keyClicks(form.editors["given_name"], "Nour")
    form.consent.box.setChecked(True)
    with qtbot.waitSignal(window.saved, timeout=5000):
        qtbot.mouseClick(form.sign_button, Qt.MouseButton.LeftButton)
    assert window.thanks.receipt.isHidden() and window.thanks.receipt_code.text() == ""
    con = sqlite3.connect(database_path(window.ctx.data_dir))
    try:
        assert con.execute("SELECT receipt_sha256 FROM signature").fetchall() == [(None,)]
    finally:
        con.close()
