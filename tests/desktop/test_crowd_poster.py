"""Crowd mode's A4 poster (desktop/crowd/poster.py): one page, read back with QtPdf, its two codes
decoded (zxing-cpp) to the Wi-Fi string and the petition's URL, its words in the chosen language."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
import zxingcpp
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtPdf import QPdfDocument

from db import campaigns
from db.crowd.invite import Invite
from desktop.crowd.poster import write_poster
from desktop.screenshot import example_invite

DPI = 100  # a poster's codes are large: a coarse rendering reads them


def _open(path: Path) -> QPdfDocument:
    doc = QPdfDocument()
    assert doc.load(str(path)) == QPdfDocument.Error.None_
    return doc


def _codes(doc: QPdfDocument) -> set[str]:
    points = doc.pagePointSize(0)
    image = doc.render(0, QSize(round(points.width() * DPI / 72), round(points.height() * DPI / 72)))
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    return {code.text for code in zxingcpp.read_barcodes(grey, formats=zxingcpp.BarcodeFormat.QRCode)}


@pytest.mark.parametrize(("lang", "words"), [("en", "Password"), ("ar", "كلمة المرور"), ("de", "Passwort")])
def test_the_poster_is_one_a4_page_whose_codes_decode(qapp, tmp_path: Path, lang: str, words: str) -> None:
    shown = campaigns.load_builtin()[0].localised(lang)
    invite = example_invite()
    report = write_poster(tmp_path / "poster.pdf", invite, title=shown.texts.title, locale=lang, rtl=shown.rtl)
    doc = _open(report.path)
    assert doc.pageCount() == report.pages == 1
    size = doc.pagePointSize(0)
    assert (round(size.width() * 25.4 / 72), round(size.height() * 25.4 / 72)) == (210, 297)  # A4
    assert _codes(doc) == {invite.wifi, invite.url}
    # pypdf reads Latin as text (words apart by tabs), Arabic as presentation-form glyphs
    text = " ".join(pypdf.PdfReader(report.path).pages[0].extract_text().split())
    assert "Petition-AC3D" in text and "kmtq-7hzr-w4xp" in text
    assert invite.url in text  # typed by hand where a camera reads no codes
    assert (words in text) == (lang != "ar") and ("Sign this petition" in text) == (lang == "en")
    assert text.count("Petition-AC3D") == 1  # nothing drawn twice (or off the page)


def test_without_a_named_wifi_the_poster_has_the_petition_code_only(qapp, tmp_path: Path) -> None:
    invite = Invite(url=example_invite().url)
    report = write_poster(tmp_path / "poster.pdf", invite, title="Act on Syria", locale="en", rtl=False)
    doc = _open(report.path)
    assert _codes(doc) == {invite.url}
    assert "Password" not in pypdf.PdfReader(report.path).pages[0].extract_text()
