"""Crowd mode's A4 poster: what the kiosk's screen shows while crowd mode is on, on paper for the stand's
table or a lamp post: the campaign's title, the two QR codes large (join the Wi-Fi, open the petition),
the Wi-Fi's name and password in text, and the two lines of instructions, in one chosen language (right
to left in Arabic). One page, written with Qt's own PDF writer as the paper sheets are (desktop/sheets.py).

Its words are the screen's own (desktop/crowd/codes.py's messages, one source for both), translated into
the poster's language with a translator of its own: a coordinator with a German interface prints an
Arabic poster.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QMarginsF, QRect, QRectF, Qt, QTranslator
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

from db.crowd.invite import Invite
from desktop.qr import modules, qr_image
from desktop.sheets import RESOLUTION, _area, _dots, _font, _text

MARGIN_MM = 15.0
CODE_MM = 82.0  # two codes side by side on A4: a phone reads one from two metres away
GAP_MM = 12.0

CONTEXT = "CrowdPoster"
HEADLINE = QT_TRANSLATE_NOOP("CrowdPoster", "Sign this petition on your phone")
NO_CAMERA = QT_TRANSLATE_NOOP("CrowdPoster", "No camera? Join the Wi-Fi, then type this address:")


@dataclass(frozen=True)
class PosterReport:
    path: Path
    pages: int
    locale: str


class _Words:
    """The poster's words in the poster's language (its own translator, not the interface's)."""

    def __init__(self, locale: str) -> None:
        # on first use, not at the top: the screen opens without it
        from desktop.i18n import CATALOGUE, translations_dir

        self.translator = QTranslator()
        self.translator.load(f"{CATALOGUE}_{locale.split('-')[0]}", str(translations_dir()))

    def get(self, source: str, context: str = CONTEXT, *args: str) -> str:
        text = self.translator.translate(context, source) or source
        for i, arg in enumerate(args, 1):
            text = text.replace(f"%{i}", arg)
        return text

    def codes(self, source: str, *args: str) -> str:
        """One of the screen's messages (desktop/crowd/codes.py: CrowdCodes)."""
        return self.get(source, "CrowdCodes", *args)


def write_poster(path: Path, invite: Invite, *, title: str, locale: str, rtl: bool) -> PosterReport:
    """Write the poster for ``invite`` to the PDF ``path``. Needs a QGuiApplication (fonts); runs on any
    thread, it touches no widget."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION)
    writer.setCreator("Petition Kiosk")
    writer.setTitle(title)
    margins = QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     margins, QPageLayout.Unit.Millimeter))
    words = _Words(locale)
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"cannot write {path}")
    try:
        painter.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
        _paint(painter, writer, invite, words, title=title, rtl=rtl)
    finally:
        painter.end()
    return PosterReport(path=path, pages=1, locale=locale)


def _paint(painter: QPainter, writer: QPdfWriter, invite: Invite, words: _Words, *, title: str, rtl: bool) -> None:
    area = _area(writer)
    width = area.width()
    centre = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
    y = 0.0
    y = _dots(6)
    painter.setFont(_font(34, bold=True))
    y += _text(painter, QRectF(0, y, width, area.height()), title, rtl=rtl, align=centre).height() + _dots(5)
    painter.setFont(_font(22))
    y += _text(painter, QRectF(0, y, width, area.height()), words.get(str(HEADLINE)), rtl=rtl,
               align=centre).height() + _dots(12)

    wifi = invite.wifi
    codes: list[tuple[str, str]] = []  # (caption, text) in reading order
    if wifi is not None:
        codes.append((words.codes("1. Join the Wi-Fi"), wifi))
        codes.append((words.codes("2. Open the petition"), invite.url))
    else:
        codes.append((words.codes("Open the petition"), invite.url))
    cell = _dots(CODE_MM)
    gap = _dots(GAP_MM)
    row_width = cell * len(codes) + gap * (len(codes) - 1)
    left = (width - row_width) / 2
    painter.setFont(_font(20, bold=True))
    caption_height = max(painter.boundingRect(QRectF(0, 0, cell + gap, area.height()),
                                              int(centre | Qt.TextFlag.TextWordWrap), caption).height()
                         for caption, _ in codes)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
    below = y + caption_height + _dots(3) + cell
    notes_bottom = below
    for index, (caption, text) in enumerate(codes):
        slot = index if not rtl else len(codes) - 1 - index  # code 1 first in the reading direction
        x = left + slot * (cell + gap)
        painter.setFont(_font(20, bold=True))
        _text(painter, QRectF(x - gap / 2, y, cell + gap, caption_height), caption, rtl=rtl,
              align=Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
        # Whole dots per module, as on screen (desktop/qr.py): sharp edges whatever the printer.
        image = qr_image(text, max(1, int(cell) // len(modules(text))))
        side = image.width()
        painter.drawImage(QRect(round(x + (cell - side) / 2), round(y + caption_height + _dots(3)), side, side), image)
        if text == wifi and invite.wifi_name:
            painter.setFont(_font(18))
            lines = [words.codes("Wi-Fi: %1", "\u2066" + invite.wifi_name + "\u2069")]
            if invite.security != "open" and invite.wifi_password:
                lines.append(words.codes("Password: %1", "\u2066" + invite.wifi_password + "\u2069"))
            taken = _text(painter, QRectF(x - gap / 2, below + _dots(3), cell + gap, area.height() - below),
                          "\n".join(lines), rtl=rtl, align=centre)
            notes_bottom = max(notes_bottom, taken.bottom())
    y = notes_bottom + _dots(10)

    painter.setFont(_font(15))
    steps = ([words.codes("Point your phone's camera at code 1 to join this stand's Wi-Fi, then at code 2 to open "
                          "the petition.")] if wifi is not None
             else [words.codes("Point your phone's camera at the code to open the petition.")])
    steps.append(words.codes("Read the letter and sign on your own phone: no app, no internet needed."))
    for step in steps:
        y += _text(painter, QRectF(_dots(8), y, width - _dots(16), area.height() - y), step, rtl=rtl,
                   align=centre).height() + _dots(5)

    # At the foot: the address in text, for a phone whose camera reads no codes.
    painter.setFont(_font(11))
    foot = [words.get(str(NO_CAMERA)), invite.url]
    _text(painter, QRectF(0, area.height() - _dots(16), width, _dots(16)), "\n".join(foot), rtl=rtl,
          align=Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
