"""Printable paper sheets, for when the battery dies: the letter, then numbered signature sheets.

One PDF written with Qt's own PDF writer (QPdfWriter): the letter, its demands and co-signers as the
letter page shows them (``desktop/letter_html.py``), then ``count`` signature sheets in landscape.
Each sheet carries its number, in figures and in a QR code (``db/sheet_code.py``) naming campaign,
version, language and sheet; the consent text of its language exactly as the form shows it (with
the English original beside an unreviewed translation, as on screen, so the consent hash that paper
back-entry records is the text the signer read); and rows with the form's fields (required ones
marked), a consent column, the "keep me informed" column when the form asks it, and one column per
partner the campaign offers an opt-in for (with each partner's opt-in text above the rows).

The sheet's words are translated into the sheet's language, which need not be the interface's:
a coordinator with a German interface prints Arabic sheets.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QMarginsF, QRect, QRectF, QSizeF, Qt, QTranslator, Signal
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db import signer_text
from db.campaigns import Campaign, LocalisedCampaign
from db.sheet_code import SheetCode
from desktop.i18n import LANGUAGES as LANGUAGE_NAMES
from desktop.qr import qr_image

RESOLUTION = 300  # dots per inch: the painter's units on the page
MARGIN_MM = 12.0
ROW_MM = 10.0  # room for handwriting
QR_MODULE_MM = 0.5  # a phone or a hand scanner reads it from a hand's length
PAGE_SIZES = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
PRINT_CSS = "ul li { margin-bottom: 0.05em; line-height: 110%; }"
FAMILIES = ["Noto Sans", "Noto Sans Arabic"]  # as the app's font: Arabic glyphs from the second

CONTEXT = "PaperSheets"
WORDS = {
    "sheet": QT_TRANSLATE_NOOP("PaperSheets", "Sheet %1"),
    "date": QT_TRANSLATE_NOOP("PaperSheets", "Date:"),
    "place": QT_TRANSLATE_NOOP("PaperSheets", "Place:"),
    "agree": QT_TRANSLATE_NOOP("PaperSheets", "By ticking “I agree” on a row, the person on that row agrees:"),
    "updates_intro": QT_TRANSLATE_NOOP("PaperSheets", "Ticking “Keep me informed” (optional) means:"),
    "partners_intro": QT_TRANSLATE_NOOP("PaperSheets", "Each partner organisation has its own column "
                                                         "(optional). Ticking it means:"),
    "original": QT_TRANSLATE_NOOP("PaperSheets", "The original (English) text:"),
    "number": QT_TRANSLATE_NOOP("PaperSheets", "No."),
    "consent": QT_TRANSLATE_NOOP("PaperSheets", "I agree *"),
    "updates": QT_TRANSLATE_NOOP("PaperSheets", "Keep me informed"),
    "signature": QT_TRANSLATE_NOOP("PaperSheets", "Signature"),
    "required": QT_TRANSLATE_NOOP("PaperSheets", "* required. Only rows with “I agree” ticked count."),
    "footer": QT_TRANSLATE_NOOP("PaperSheets", "%1, version %2 · sheet %3 · type it in under "
                                               "Coordinator panel → Type in paper sheets"),
}
WIDTHS = {"given_name": 3.0, "family_name": 3.0, "email": 4.5, "phone": 3.0, "postal_code": 1.7,
          "city": 2.6, "country": 2.0, "comment": 4.0}


@dataclass(frozen=True)
class SheetsReport:
    path: Path
    letter_pages: int
    sheets: int
    first: int
    rows_per_sheet: int

    @property
    def pages(self) -> int:
        return self.letter_pages + self.sheets


class _Words:
    """The sheet's words in the sheet's language (its own translator, not the interface's)."""

    def __init__(self, locale: str) -> None:
        # on first use, not at the top: the screen opens without it
        from desktop.i18n import CATALOGUE, translations_dir

        self.language = locale.split("-")[0]
        self.translator = QTranslator()
        self.translator.load(f"{CATALOGUE}_{self.language}", str(translations_dir()))

    def get(self, key: str, *args: object) -> str:
        source = str(WORDS[key])
        text = self.translator.translate(CONTEXT, source) or source
        for i, arg in enumerate(args, 1):
            text = text.replace(f"%{i}", str(arg))
        return text

    def field(self, name: str) -> str:
        """The sign form's label of ``name`` (the signer catalogue's), in the sheet's language."""
        return signer_text.field_label(self.language, name)

    def name_hint(self) -> str:
        return signer_text.name_hint(self.language)


def _font(points: float, *, bold: bool = False) -> QFont:
    font = QFont(FAMILIES[0])
    font.setFamilies(FAMILIES)
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


def write_sheets(path: Path, shown: LocalisedCampaign, *, count: int, first: int = 1,
                 page_size: str = "a4") -> SheetsReport:
    """Write the letter and ``count`` signature sheets numbered from ``first`` to the PDF ``path``.
    Needs a QGuiApplication (fonts); runs on any thread, it touches no widget."""
    if count < 1 or first < 1:
        raise ValueError("count and first must be at least 1")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION)
    writer.setCreator("Petition Kiosk")
    writer.setTitle(shown.texts.title)
    margins = QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM)
    size = QPageSize(PAGE_SIZES[page_size])
    writer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Portrait, margins, QPageLayout.Unit.Millimeter))
    words = _Words(shown.locale)
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"cannot write {path}")
    try:
        painter.setLayoutDirection(Qt.LayoutDirection.RightToLeft if shown.rtl else Qt.LayoutDirection.LeftToRight)
        letter_pages = _paint_letter(painter, writer, shown)
        # The signature sheets are landscape: a row holds every field with room to write.
        writer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Landscape, margins,
                                         QPageLayout.Unit.Millimeter))
        rows = 0
        for sheet in range(first, first + count):
            writer.newPage()
            rows = _paint_sheet(painter, writer, shown, words, sheet)
    finally:
        painter.end()
    return SheetsReport(path=path, letter_pages=letter_pages, sheets=count, first=first, rows_per_sheet=rows)


def _dots(mm: float) -> float:
    return mm * RESOLUTION / 25.4


def _area(writer: QPdfWriter) -> QRectF:
    """The page's printable area in the painter's coordinates (its origin is the margins' corner)."""
    rect = writer.pageLayout().paintRectPixels(RESOLUTION)
    return QRectF(0, 0, rect.width(), rect.height())


def _paint_letter(painter: QPainter, writer: QPdfWriter, shown: LocalisedCampaign) -> int:
    # on first use, not at the top: the screen opens without it
    from desktop.letter_html import letter_html
    from desktop.pages.letter import DOCUMENT_CSS, RTL_CSS

    area = _area(writer)
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)
    doc.setDefaultFont(_font(10.5))
    # The co-signers as a close list: on paper they are a record, not something to tap through.
    doc.setDefaultStyleSheet((RTL_CSS if shown.rtl else DOCUMENT_CSS) + PRINT_CSS)
    doc.setDocumentMargin(0)
    doc.setHtml(letter_html(shown))
    doc.setPageSize(QSizeF(area.width(), area.height()))
    pages = doc.pageCount()
    for page in range(pages):
        if page:
            writer.newPage()
        painter.save()
        painter.translate(0, -page * area.height())
        doc.drawContents(painter, QRectF(0, page * area.height(), area.width(), area.height()))
        painter.restore()
    return pages


def _columns(shown: LocalisedCampaign, words: _Words) -> list[tuple[str, float, bool]]:
    """(heading, relative width, is a tick box) in reading order."""
    form = shown.campaign.manifest.form
    columns: list[tuple[str, float, bool]] = [(words.get("number"), 0.8, False)]
    for field in form.fields:
        heading = words.field(field.name) + (" *" if field.required else "")
        columns.append((heading, WIDTHS[field.name], False))
    if form.handwriting != "off":
        columns.append((words.get("signature") + (" *" if form.handwriting == "required" else ""), 3.0, False))
    if form.ask_updates and shown.consent_updates:
        columns.append((words.get("updates"), 1.8, True))
    for partner in shown.campaign.manifest.partners:  # typed in as partner_<slug> (db/paper.py)
        columns.append((partner.name, 1.6, True))
    columns.append((words.get("consent"), 1.6, True))
    return columns


def _consent_lines(shown: LocalisedCampaign, words: _Words) -> list[tuple[str, bool, bool]]:
    """The consent texts as the form shows them: (text, is an intro line (bold), right to left)."""
    rtl = shown.rtl
    lines = [(words.get("agree"), True, rtl), (shown.consent_processing, False, rtl)]
    ask = shown.campaign.manifest.form.ask_updates
    if ask and shown.consent_updates:
        lines += [(words.get("updates_intro"), True, rtl), (shown.consent_updates, False, rtl)]
    partners = shown.campaign.manifest.partners
    if partners:
        lines.append((words.get("partners_intro"), True, rtl))
        # one paragraph: each partner's own words as the form shows them, without a line each (the rows
        # of the table need the room)
        lines.append(("  ".join(shown.partner_consent(p) for p in partners), False, rtl))
    original = shown.consent_original
    if original is not None:
        lines.append((words.get("original"), True, rtl))
        lines.append((original.consent_processing, False, original.rtl))
        if ask and original.consent_updates:
            lines.append((original.consent_updates, False, original.rtl))
        if partners:
            lines.append(("  ".join(original.partner_consent(p) for p in partners), False, original.rtl))
    return lines


def _text(painter: QPainter, rect: QRectF, text: str, *, rtl: bool, align: Qt.AlignmentFlag | None = None,
          wrap: bool = True) -> QRectF:
    """Draw ``text`` in ``rect`` in its own direction and return the rectangle it took. Alignment
    defaults to the text's start (right for Arabic); it is absolute, never flipped behind our back."""
    if align is None:
        align = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
    option = QTextOption(align | Qt.AlignmentFlag.AlignAbsolute)
    option.setTextDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
    option.setWrapMode(QTextOption.WrapMode.WordWrap if wrap else QTextOption.WrapMode.NoWrap)
    taken = painter.boundingRect(rect, text, option)
    painter.drawText(rect, text, option)
    return taken


def _paint_sheet(painter: QPainter, writer: QPdfWriter, shown: LocalisedCampaign, words: _Words, sheet: int) -> int:
    area = _area(writer)
    rtl = shown.rtl
    top, bottom = Qt.AlignmentFlag.AlignTop, Qt.AlignmentFlag.AlignBottom
    start = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
    centre = Qt.AlignmentFlag.AlignCenter

    def mirrored(rect: QRectF) -> QRectF:
        """Right to left: the same rectangle seen in a mirror, so columns run from the right."""
        if not rtl:
            return rect
        return QRectF(area.width() - rect.x() - rect.width(), rect.y(), rect.width(), rect.height())

    # The QR code in the top end corner, in whole dots per module (desktop/qr.py).
    code = SheetCode(campaign=shown.campaign.slug, version=shown.campaign.version, sheet=sheet, locale=shown.locale)
    image = qr_image(code.text(), round(_dots(QR_MODULE_MM)))
    side = image.width()
    qr_x = 0 if rtl else int(area.width()) - side
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
    painter.drawImage(QRect(qr_x, 0, side, side), image)

    # Sheet number, title, date and place beside the code.
    gap = _dots(3)
    text_width = area.width() - side - gap
    y = 0.0
    painter.setFont(_font(22, bold=True))
    y += _text(painter, mirrored(QRectF(0, y, text_width, area.height())), words.get("sheet", sheet),
               rtl=rtl, align=start | top, wrap=False).height()
    painter.setFont(_font(12, bold=True))
    y += _text(painter, mirrored(QRectF(0, y, text_width, area.height())), shown.texts.title,
               rtl=rtl, align=start | top).height() + _dots(2)
    painter.setFont(_font(10))
    line_height = QFontMetricsF(painter.font(), writer).height()
    half = text_width / 2
    painter.setPen(QPen(Qt.GlobalColor.black, _dots(0.2)))
    for i, key in enumerate(("date", "place")):
        cell = mirrored(QRectF(i * half, y, half - gap, line_height * 1.6))
        caption = _text(painter, cell, words.get(key), rtl=rtl, align=start | bottom, wrap=False)
        line_from = caption.left() - gap / 2 if rtl else caption.right() + gap / 2
        line_to = cell.left() if rtl else cell.right()
        painter.drawLine(int(line_from), int(cell.bottom()), int(line_to), int(cell.bottom()))
    y = max(y + line_height * 1.6, side) + _dots(2)

    # The consent text, exactly as the form shows it; an unreviewed translation and its English original
    # side by side (the translation at the start), so the texts leave room for rows.
    lines = _consent_lines(shown, words)
    split = next((i for i, (text, intro, _) in enumerate(lines) if intro and text == words.get("original")), None)
    groups = [lines] if split is None else [lines[:split], lines[split:]]
    width = area.width() if len(groups) == 1 else (area.width() - _dots(6)) / 2
    below = y
    for index, group in enumerate(groups):
        group_y = y
        for text, intro, text_rtl in group:
            painter.setFont(_font(8.5, bold=intro))
            rect = mirrored(QRectF(0 if index == 0 else area.width() - width, group_y, width, area.height() - group_y))
            group_y += _text(painter, rect, text, rtl=text_rtl, align=(
                Qt.AlignmentFlag.AlignRight if text_rtl else Qt.AlignmentFlag.AlignLeft) | top).height()
            group_y += 0 if intro else _dots(1)
        below = max(below, group_y)
    y = below + _dots(2)

    # The table: a heading row, then as many rows as fit above the footer.
    columns = _columns(shown, words)
    total = sum(width for _, width, _ in columns)
    x, spans = 0.0, []
    for _, width, _ in columns:
        spans.append((x, area.width() * width / total))
        x += area.width() * width / total
    heading_font = _font(8.5, bold=True)
    painter.setFont(heading_font)
    heading_height = _dots(2) + max(
        painter.boundingRect(QRectF(0, 0, w - _dots(2), area.height()), int(centre | Qt.TextFlag.TextWordWrap),
                             text).height() for (text, _, _), (_, w) in zip(columns, spans, strict=True))
    footer_font = _font(7.5)
    footer_lines = [words.get("required")]
    if shown.campaign.manifest.form.require_a_name:
        footer_lines.append(words.name_hint())
    footer_lines.append(words.get("footer", shown.campaign.slug, shown.campaign.version, sheet))
    painter.setFont(footer_font)  # measured as drawn: Arabic lines are taller than Latin ones
    footer_option = QTextOption()
    footer_option.setTextDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
    footer_height = painter.boundingRect(QRectF(0, 0, area.width(), area.height()), "\n".join(footer_lines),
                                         footer_option).height() + _dots(2)
    painter.setFont(heading_font)
    row_height = _dots(ROW_MM)
    rows = max(1, int((area.height() - y - heading_height - footer_height) // row_height))
    painter.setPen(QPen(Qt.GlobalColor.black, _dots(0.25)))
    for (text, _, _), (x, w) in zip(columns, spans, strict=True):
        cell = mirrored(QRectF(x, y, w, heading_height))
        painter.fillRect(cell, Qt.GlobalColor.lightGray)
        painter.drawRect(cell)
        _text(painter, cell.adjusted(_dots(1), 0, -_dots(1), 0), text, rtl=rtl, align=centre)
    y += heading_height
    painter.setFont(_font(9))
    box = _dots(4.5)
    for row in range(1, rows + 1):
        for (_, _, tick), (x, w) in zip(columns, spans, strict=True):
            cell = mirrored(QRectF(x, y, w, row_height))
            painter.drawRect(cell)
            if tick:
                painter.drawRect(QRectF(cell.center().x() - box / 2, cell.center().y() - box / 2, box, box))
        _text(painter, mirrored(QRectF(spans[0][0], y, spans[0][1], row_height)), str(row), rtl=rtl, align=centre)
        y += row_height

    # Footer: what the marks mean, and where the sheet goes afterwards.
    painter.setFont(footer_font)
    _text(painter, QRectF(0, area.height() - footer_height, area.width(), footer_height), "\n".join(footer_lines),
          rtl=rtl, align=start | bottom)
    return rows


class PrintSheetsDialog(QDialog):
    """The coordinator panel's "Print paper sheets": language, how many, numbered from, paper size;
    then a file name. The PDF is written off the GUI thread; the dialog says where it went."""

    written = Signal(object)  # SheetsReport, or the exception
    next_first: dict[str, int] = {}  # per campaign, while the app runs: a new batch goes on from the last

    def __init__(self, campaign: Campaign, locale: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.campaign = campaign
        self.report: SheetsReport | Exception | None = None
        self.language = QComboBox()
        for code in campaign.manifest.locales:
            self.language.addItem(LANGUAGE_NAMES.get(code, code), code)
        self.language.setCurrentIndex(max(0, self.language.findData(locale)))
        self.count = QSpinBox()
        self.count.setRange(1, 999)
        self.count.setValue(10)
        self.first = QSpinBox()
        self.first.setRange(1, 99999)
        self.first.setValue(self.next_first.get(campaign.slug, 1))
        self.page_size = QComboBox()
        self.page_size.addItem("A4", "a4")
        self.page_size.addItem("Letter", "letter")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        form = QFormLayout()
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("Number of sheets"), self.count)
        form.addRow(self.tr("First sheet number"), self.first)
        form.addRow(self.tr("Paper size"), self.page_size)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = self.buttons.addButton(self.tr("Save as PDF…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(self.choose_file)
        self.buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        hint = QLabel(self.tr("Number the sheets on from the last batch you printed, so no two sheets "
                              "share a number."))
        hint.setWordWrap(True)
        column.addWidget(hint)
        column.addLayout(form)
        column.addWidget(self.message)
        column.addWidget(self.buttons)
        self.setWindowTitle(self.tr("Print paper sheets"))

    def choose_file(self) -> None:
        suggested = Path.home() / f"{self.campaign.slug}-sheets-{self.first.value()}.pdf"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the paper sheets"), str(suggested), "PDF (*.pdf)",
                                              options=QFileDialog.Option.DontUseNativeDialog)
        if path:
            self.write_to(Path(path))

    def write_to(self, path: Path) -> None:
        # on first use, not at the top: the screen opens without it
        from desktop.tasks import run_in_background

        shown = self.campaign.localised(self.language.currentData())
        count, first, size = self.count.value(), self.first.value(), self.page_size.currentData()
        self.save_button.setEnabled(False)
        self.message.setText(self.tr("Writing the PDF…"))
        run_in_background(lambda: write_sheets(path, shown, count=count, first=first, page_size=size),
                          self._done, self._done, owner=self)

    def _done(self, result: SheetsReport | Exception) -> None:
        self.save_button.setEnabled(True)
        self.report = result
        if isinstance(result, SheetsReport):
            last = result.first + result.sheets - 1
            self.message.setText(self.tr("Sheets %1 to %2 written to %3.").replace("%1", str(result.first))
                                 .replace("%2", str(last)).replace("%3", str(result.path)))
            self.first.setValue(last + 1)  # the next batch goes on from here
            PrintSheetsDialog.next_first[self.campaign.slug] = last + 1
        else:
            self.message.setText(self.tr("That did not work: %1").replace("%1", str(result) or type(result).__name__))
        self.written.emit(result)
