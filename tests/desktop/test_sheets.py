"""Printable paper sheets: the PDF is read back with QtPdf (QPdfDocument), its pages counted, its rows
read as text, its pages rendered and their QR codes decoded (zxing-cpp), in English and Arabic."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import zxingcpp
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtPdf import QPdfDocument

from db import campaigns, sheet_code
from desktop.cli import main
from desktop.sheets import write_sheets

DPI = 150


@pytest.fixture(scope="module")
def builtin() -> dict[str, campaigns.Campaign]:
    return {c.slug: c for c in campaigns.load_builtin()}


def _open(path: Path) -> QPdfDocument:
    doc = QPdfDocument()
    assert doc.load(str(path)) == QPdfDocument.Error.None_
    return doc


def _render(doc: QPdfDocument, page: int) -> QImage:
    points = doc.pagePointSize(page)
    return doc.render(page, QSize(round(points.width() * DPI / 72), round(points.height() * DPI / 72)))


def _decoded(image: QImage) -> list[str]:
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    return [code.text for code in zxingcpp.read_barcodes(grey, formats=zxingcpp.BarcodeFormat.QRCode)]


def _row_numbers(doc: QPdfDocument, page: int) -> list[int]:
    """Every number of up to two digits printed on the page on its own."""
    text = doc.getAllText(page).text()
    return [int(line) for line in text.split() if line.isdigit() and len(line) <= 2]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_pdf_has_the_letter_then_numbered_sheets_whose_codes_name_them(qapp, tmp_path, builtin, lang):
    shown = builtin["act-on-syria"].localised(lang)
    report = write_sheets(tmp_path / "sheets.pdf", shown, count=3, first=7)
    doc = _open(report.path)
    assert doc.pageCount() == report.pages == report.letter_pages + 3
    # at least 5 rows: the Arabic sheet carries the three partners' opt-in texts beside their English ones
    assert report.letter_pages >= 1 and report.rows_per_sheet >= (9 if lang == "en" else 5)
    letter = doc.getAllText(0).text()
    assert shown.texts.title.split()[-1] in letter
    for i, sheet in enumerate(range(7, 10)):
        page = report.letter_pages + i
        image = _render(doc, page)
        assert image.width() > image.height()  # the sheets are landscape: room to write
        codes = _decoded(image)
        assert codes == [f"petition-kiosk://sheet?v=1&campaign=act-on-syria&version=1&sheet={sheet}&lang={lang}"]
        assert sheet_code.parse(codes[0]) == sheet_code.SheetCode("act-on-syria", 1, sheet, lang)
        text = doc.getAllText(page).text()
        numbers = _row_numbers(doc, page)  # the rows' numbers, and the sheet's and version's in its footer
        assert set(range(1, report.rows_per_sheet + 1)) <= set(numbers)
        assert report.rows_per_sheet + 1 not in set(numbers) - {sheet}
        # The consent text exactly as the form shows it (an unreviewed translation: the English too).
        assert shown.consent_updates is not None
        if lang == "en":
            squash = "".join(text.split())
            assert "".join(shown.consent_processing.split()) in squash
            assert "".join(shown.consent_updates.split()) in squash
        else:
            # PDF text extraction splits Arabic words at their vowel marks, out of order: check the
            # words without marks, and the English original beside the unreviewed translation exactly.
            for consent in (shown.consent_processing, shown.consent_updates):
                plain = [w.strip(".،") for w in consent.split() if not any(unicodedata.combining(c) for c in w)]
                assert plain and all(w in text for w in plain)
            original = shown.consent_original
            assert original is not None
            assert "".join(original.consent_processing.split()) in "".join(text.split())


def test_arabic_sheets_are_laid_out_right_to_left(qapp, tmp_path, builtin):
    """The row numbers' column and the sheet number sit on the right, the QR code on the left."""
    pages = {}
    for lang in ("en", "ar"):
        report = write_sheets(tmp_path / f"{lang}.pdf", builtin["aleppo"].localised(lang), count=1)
        doc = _open(report.path)
        pages[lang] = (doc, report.letter_pages)
    for lang, (doc, page) in pages.items():
        image = _render(doc, page)
        [code] = zxingcpp.read_barcodes(image.convertToFormat(QImage.Format.Format_Grayscale8))
        left = code.position.top_left.x < image.width() / 2
        assert left == (lang == "ar")
        hits = doc.getAllText(page).text()
        assert "1" in hits
        # Where the row number "1" is printed: the bounds of its first occurrence in the table.
        found = [r for r in _number_boxes(doc, page, "1")]
        assert found and (found[-1] > 0.5) == (lang == "ar")


def _number_boxes(doc: QPdfDocument, page: int, number: str) -> list[float]:
    """Horizontal centres (as a fraction of the page width) of the places ``number`` is printed alone."""
    from PySide6.QtPdf import QPdfSearchModel

    model = QPdfSearchModel()
    model.setDocument(doc)
    model.setSearchString(number)
    width = doc.pagePointSize(page).width()
    out = []
    for link in model.resultsOnPage(page):
        for rect in link.rectangles():
            out.append(rect.center().x() / width)
    return out


def test_the_sheets_name_the_forms_fields_with_required_ones_marked(qapp, tmp_path):
    from utils.factories import copy_bundle, edit

    bundle = copy_bundle("aleppo", tmp_path)
    edit(bundle / "campaign.toml", 'fields = [', 'fields = [\n  { name = "phone", required = true },')
    campaign = campaigns.load_bundle(bundle)
    report = write_sheets(tmp_path / "s.pdf", campaign.localised("en"), count=1, page_size="letter")
    doc = _open(report.path)
    text = doc.getAllText(report.letter_pages).text()
    assert "Phone *" in text and "I agree *" in text and "Signature" in text
    points = doc.pagePointSize(report.letter_pages)
    assert (round(points.width()), round(points.height())) == (792, 612)  # US Letter, landscape


def test_print_sheets_command(qapp, tmp_path, capsys):
    out = tmp_path / "out" / "sheets.pdf"
    assert main(["print-sheets", "--campaign", "aleppo", "--count", "2", "--lang", "ar",
                 "--data-dir", str(tmp_path / "data"), str(out)]) == 0
    assert "sheets 1–2" in capsys.readouterr().out
    doc = _open(out)
    codes = _decoded(_render(doc, doc.pageCount() - 1))
    assert codes == ["petition-kiosk://sheet?v=1&campaign=aleppo&version=1&sheet=2&lang=ar"]
    assert main(["print-sheets", "--campaign", "aleppo", "--count", "0", str(out)]) == 2


def test_the_panel_prints_sheets_and_numbers_the_next_batch_on(qtbot, window, tmp_path):
    window.open_panel()
    panel = window.panel
    assert panel.campaigns.sheets_button.text()
    panel.campaigns.print_sheets()
    dialog = panel.campaigns.sheets_dialog
    dialog.count.setValue(2)
    dialog.first.setValue(5)
    dialog.language.setCurrentIndex(dialog.language.findData("ar"))
    with qtbot.waitSignal(dialog.written, timeout=20000):
        dialog.write_to(tmp_path / "panel.pdf")
    assert dialog.report.sheets == 2 and dialog.report.first == 5
    assert dialog.first.value() == 7
    doc = _open(tmp_path / "panel.pdf")
    assert doc.pageCount() == dialog.report.pages
    assert _decoded(_render(doc, doc.pageCount() - 1))[0].endswith("&sheet=6&lang=ar")
    dialog.close()
    panel.campaigns.print_sheets()  # opened again: the next batch is numbered on
    assert panel.campaigns.sheets_dialog.first.value() == 7
    panel.campaigns.sheets_dialog.close()


def test_sheet_codes_that_are_not_ours_are_refused():
    assert sheet_code.parse("https://example.org/?sheet=1") is None
    assert sheet_code.parse("petition-kiosk://sheet?v=2&campaign=a&version=1&sheet=1") is None
    assert sheet_code.parse("petition-kiosk://sheet?v=1&campaign=a&version=1&sheet=x") is None
    assert sheet_code.parse(" petition-kiosk://sheet?v=1&campaign=a&version=1&sheet=3&lang=de\n") == \
        sheet_code.SheetCode("a", 1, 3, "de")
