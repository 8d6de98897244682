"""The delivery PDF (fpdf2): a cover with the letter, its demands and co-signers, the counted total,
the period and the events; a table of signers per region; then the signers by region, with their name
(or initials) and city only. Never an email, street address, phone number, postal code or comment: the
``Signer`` handed in holds none.

Text is set in Noto Sans and Noto Sans Arabic (Debian's fonts-noto-core). Arabic is shaped and laid
out right to left by HarfBuzz through fpdf2's text shaping, never placed glyph by glyph; text without
Arabic skips the shaper, which keeps thousands of pages within a minute. The creation date is the
last signing day delivered, so the same data and options give the same bytes.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fpdf import FPDF

from db.signer_text import npgettext, pgettext, translate_in, translate_plural
from server import regions

if TYPE_CHECKING:  # server.delivery imports this module when it writes a PDF
    from server.delivery import Delivery, Event


class FontsMissing(Exception):
    """The fonts the PDF is set in are not installed (server.delivery names it as a DeliveryError)."""

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts")
FONT_FILES = {
    ("latin", ""): "NotoSans-Regular.ttf", ("latin", "B"): "NotoSans-Bold.ttf",
    ("arabic", ""): "NotoSansArabic-Regular.ttf", ("arabic", "B"): "NotoSansArabic-Bold.ttf",
}
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
MARGIN = 15.0
TOTAL_PAGES = "{nbp}"  # the page count, written when the document is closed, in the room of 5 digits
ROW_H = 5.2

# The PDF's own words (the letter, demands and co-signers are the campaign's, from its bundle): English
# message ids of the signer catalogue (db/signer_text.py, context "delivery"), German and Arabic in its
# .po files. A message with a count has its plural forms there: gettext picks the form the number
# takes in the language (Arabic has six: 1 موقّع واحد, 2 موقّعان, 3 موقّعين, 11 موقّعًا, 100 موقّع).
LABELS: dict[str, str] = {
    "period": pgettext("delivery", "Signed from {first} to {last}."),
    "confirmed": pgettext("delivery", "Confirmed by email: {confirmed}. Asked to confirm, not (yet) confirmed: "
                                      "{unconfirmed}. No email address given: {unasked}."),
    "places": pgettext("delivery", "Places of collection:"),
    # A place of collection, then its count: "{where}: {signers}".
    "line": pgettext("delivery", "{where}: {signers}"),
    "span": pgettext("delivery", "{first} to {last}"),
    "named": pgettext("delivery", "{name}, {place}, {day}"),
    "named_noplace": pgettext("delivery", "{name}, {day}"),
    "other": pgettext("delivery", "Other places, {first} to {last}"),
    "other_day": pgettext("delivery", "Other places, {first}"),
    "paper": pgettext("delivery", "(paper sheets)"),
    "organisations": pgettext("delivery", "Co-signing organisations"),
    "regions": pgettext("delivery", "Signers by region"),
    "region": pgettext("delivery", "Region"),
    "signers": pgettext("delivery", "Signers"),
    "list": pgettext("delivery", "The signers"),
    "no_names": pgettext("delivery", "The signers' names are not part of this delivery."),
    "verification": pgettext("delivery", "Verification file (SHA-256): {sha}"),
    "key": pgettext("delivery", "Signed with the server's Ed25519 key {key}."),
    "check": pgettext("delivery", "With that file each signer can find their own receipt id; anyone can check that no id "
                                  "appears twice, that the totals match the list, and that the server signed it."),
    "page": pgettext("delivery", "Page {page} of {pages}"),
}
COUNTED: dict[str, tuple[str, str]] = {
    "counted": npgettext("delivery", "{n} person signed this petition.",
                         "{n} people signed this petition, each counted once."),
    "events": npgettext("delivery", "Collected at {n} event or stand:", "Collected at {n} events and stands:"),
    "signers": npgettext("delivery", "{n} signer", "{n} signers"),
    "duplicates": npgettext("delivery", "Signatures that stand: {live}; {n} of them is a person signing again, "
                                        "counted once.",
                            "Signatures that stand: {live}; {n} of them are people signing again, each counted once."),
}
# Unicode's bidirectional isolates. A name, place, date or key set into an Arabic sentence is isolated
# from its neighbours: otherwise a Latin event name runs on into the date and count after it (and reads
# left to right as one), and a date after Arabic text reads backwards ("02-12-2026").
FSI, PDI = "\u2068", "\u2069"
_NO_ISOLATES = str.maketrans("", "", FSI + PDI)


def find_fonts() -> dict[tuple[str, str], Path]:
    """The four Noto font files, wherever the system keeps them; a clear error when one is missing."""
    found: dict[tuple[str, str], Path] = {}
    for folder in FONT_DIRS:
        if not folder.is_dir():
            continue
        for key, name in FONT_FILES.items():
            if key not in found:
                hit = next(iter(sorted(folder.rglob(name))), None)
                if hit is not None:
                    found[key] = hit
    missing = sorted({name for key, name in FONT_FILES.items() if key not in found})
    if missing:
        raise FontsMissing(f"fonts missing: {', '.join(missing)} (looked in {', '.join(map(str, FONT_DIRS))}); "
                            "install Debian's fonts-noto-core (apt-get install fonts-noto-core)")
    return found


def has_arabic(text: str) -> bool:
    return _ARABIC.search(text) is not None


class _Document(FPDF):
    def __init__(self, lang: str, fonts: dict[tuple[str, str], Path]):
        super().__init__(format="A4", unit="mm")
        self.lang = lang
        self.rtl = lang == "ar"
        for (family, style), path in fonts.items():
            self.add_font(family, style, str(path))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=18)
        # Room for the page count reserved by the alias's own width: "{nb}" kept room for three digits,
        # and a delivery of 100,000 signatures runs to some 1,800 pages. The count sits at the end of that
        # room next to "of" ("من" in Arabic, to its left): the room to spare falls outside the line.
        self.alias_nb_pages(TOTAL_PAGES, align="R" if self.rtl else "L")
        self._shaped: bool | None = None
        self._family = ""

    def word(self, label: str, /, **fields: object) -> str:
        """One of LABELS in the document's language, ``fields`` filled in as given."""
        return translate_in(self.lang, "delivery", LABELS[label], **fields)

    def count(self, label: str, n: int, /, **fields: object) -> str:
        """One of COUNTED in the form ``n`` takes in the document's language."""
        singular, plural = COUNTED[label]
        return translate_plural(self.lang, "delivery", singular, plural, n, **fields)

    def use(self, text: str, size: float, style: str = "") -> None:
        """The font for ``text``: Arabic shaped (through the bidirectional algorithm, in the document's
        direction), anything else unshaped (fast)."""
        arabic = has_arabic(text)
        family = "arabic" if arabic else "latin"
        if arabic != self._shaped:
            if arabic:
                self.set_fallback_fonts(["latin"])  # Latin words inside Arabic text
                # No script named: HarfBuzz finds each run's own. Told "arab", it shaped the Latin runs as
                # Arabic too, and "California" came out "Calfiornia" (ligatures reordered).
                self.set_text_shaping(use_shaping_engine=True, direction="rtl" if self.rtl else "ltr")
            else:
                self.set_fallback_fonts([])
                self.set_text_shaping(False)
            self._shaped = arabic
        self.set_font(family, style, size)

    def para(self, text: str, size: float = 10.5, style: str = "", gap: float = 2.0) -> None:
        if not has_arabic(text):
            text = text.translate(_NO_ISOLATES)  # unshaped text: no bidirectional algorithm to read them
        self.use(text, size, style)
        align = "R" if self.rtl else "L"
        self.multi_cell(0, size * 0.5, text, align=align, new_x="LMARGIN", new_y="NEXT")
        self.ln(gap)

    def footer(self) -> None:
        text = self.word("page", page=self.page_no(), pages=TOTAL_PAGES)
        self.set_y(-12)
        self.use(text, 8)
        self.cell(0, 6, text, align="C")


def _day(d: date, lang: str) -> str:
    return isolated(d.strftime("%d.%m.%Y") if lang == "de" else d.isoformat())


def isolated(text: str) -> str:
    """``text`` as one unit in a sentence of either direction, reading in its own (Unicode's first strong
    isolate: a name in Latin letters stays left to right in an Arabic line, an Arabic one right to left in
    an English line, a date left to right anywhere)."""
    return f"{FSI}{text}{PDI}"


def _cover(pdf: _Document, found: Delivery, verification_sha256: str, key_id: str) -> None:
    lc = found.campaign.localised(found.lang)
    texts = lc.texts
    pdf.add_page()
    pdf.para(texts.title, 18, "B", 4)
    if texts.addressee:
        pdf.para(texts.addressee, 11, "B")
    for block in texts.letter.split("\n\n"):
        pdf.para(block)
    if texts.demands:
        if texts.demands_heading:
            pdf.para(texts.demands_heading, 12, "B")
        for i, demand in enumerate(texts.demands, 1):
            pdf.para(f"{i}. {demand}", gap=1)
        pdf.ln(2)
    organisations = found.campaign.manifest.organisations
    if organisations:
        pdf.para(texts.organisations_heading or pdf.word("organisations"), 12, "B")
        names = [o.name + (f" ({', '.join(m.name for m in o.members)})" if o.members else "") for o in organisations]
        pdf.para(" · ".join(names), 9)
    pdf.ln(2)
    pdf.para(pdf.count("counted", found.total), 13, "B")
    if found.confirmed is not None and found.unconfirmed is not None:
        pdf.para(pdf.word("confirmed", confirmed=found.confirmed, unconfirmed=found.unconfirmed,
                          unasked=found.total - found.confirmed - found.unconfirmed))
    if found.period:
        first, last = found.period
        pdf.para(pdf.word("period", first=_day(first, found.lang), last=_day(last, found.lang)))
    if found.live != found.counted_all:
        pdf.para(pdf.count("duplicates", found.live - found.counted_all, live=found.live), 9)
    if found.events:
        named = sum(1 for e in found.events if e.name)
        pdf.para(pdf.count("events", named) if named else pdf.word("places"), 10, "B", 1)
        for e in found.events[:40]:
            pdf.para(_event_line(pdf, e, found.lang), 9, gap=0.5)
        pdf.ln(2)
    pdf.para(pdf.word("verification", sha=isolated(verification_sha256)), 8, gap=0.5)
    pdf.para(pdf.word("key", key=isolated(key_id)), 8, gap=0.5)
    pdf.para(pdf.word("check"), 8)


def _event_line(pdf: _Document, e: Event, lang: str) -> str:
    """A place of collection: a named event with its place and day, or the unnamed "other places", and
    how many signed there. Names and places are isolated: typed on a device, in any script."""
    first, last = _day(e.first, lang), _day(e.last, lang)
    if e.name:
        key = "named" if e.place else "named_noplace"
        where = pdf.word(key, name=isolated(e.name), place=isolated(e.place or ""), day=_day(e.day or e.first, lang))
    elif e.event_id is None:
        where = pdf.word("other" if e.first != e.last else "other_day", first=first, last=last)
    else:
        where = pdf.word("span", first=first, last=last) if e.first != e.last else first
    line = pdf.word("line", where=where, signers=pdf.count("signers", e.signers))
    return line + (f" {pdf.word('paper')}" if e.paper else "")


def _region_table(pdf: _Document, found: Delivery, labels: dict[str, str]) -> None:
    pdf.add_page()
    pdf.para(pdf.word("regions"), 14, "B", 3)
    width = pdf.epw
    name_w, count_w = width - 40, 40
    rows = [(pdf.word("region"), pdf.word("signers"), "B")] + [(labels[c], str(n), "") for c, n in found.region_counts.items()]
    rows.append(("", str(found.total), "B"))
    for label, count, style in rows:
        if pdf.will_page_break(7):
            pdf.add_page()
        y = pdf.get_y()
        label_x, count_x = (MARGIN + count_w, MARGIN) if pdf.rtl else (MARGIN, MARGIN + name_w)
        pdf.use(label, 10, style)
        pdf.set_xy(label_x, y)
        pdf.cell(name_w, 7, label, border="B", align="R" if pdf.rtl else "L")
        pdf.use(count, 10, style)
        pdf.set_xy(count_x, y)
        pdf.cell(count_w, 7, count, border="B", align="L" if pdf.rtl else "R")
        pdf.set_xy(MARGIN, y + 7)


_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9\u00c0-\u024f]")


class _Page:
    """The signers' lines of one page, drawn in three passes so that the shaper is switched on and off
    once per page: text without Arabic (unshaped, the fast path), Arabic alone (shaped), and Arabic
    mixed with Latin letters or digits (shaped, through fpdf2's cell, which applies the Unicode
    bidirectional algorithm and falls back to Noto Sans for the Latin letters)."""

    def __init__(self, pdf: _Document):
        self.pdf = pdf
        self.runs: dict[str, list[tuple[str, float, float, float]]] = {"latin": [], "arabic": [], "mixed": []}

    def put(self, text: str, x: float, y: float, width: float) -> None:
        if not text:
            return
        kind = "latin" if not has_arabic(text) else ("mixed" if _LATIN_OR_DIGIT.search(text) else "arabic")
        self.runs[kind].append((text, x, y, width))

    def flush(self, size: float) -> None:
        pdf = self.pdf
        for kind in ("latin", "arabic", "mixed"):
            runs = self.runs[kind]
            if not runs:
                continue
            # Noto Sans, or Noto Sans Arabic shaped in the document's direction: "Emily حداد" reads left to
            # right in an English list, right to left in an Arabic one.
            pdf.use("" if kind == "latin" else "\u0627", size)
            # Arabic through fpdf2's cell, which measures shaped text exactly and lays it out right to left;
            # text() is twice as fast but sets the shaped glyphs in logical order, left to right: an Arabic
            # name in an English list read backwards.
            by_cell = kind != "latin"
            if kind == "arabic":
                pdf.set_fallback_fonts([])  # nothing to fall back for: spare the per-letter lookup
            for text, x, y, width in runs:
                if by_cell:
                    pdf.set_xy(x, y)
                    pdf.cell(width, ROW_H, text, align="R" if pdf.rtl else "L")
                    continue
                # Measured only when it matters: to right-align, or when it may not fit (then set smaller).
                room = width - 2 * pdf.c_margin
                wide = pdf.get_string_width(text) if pdf.rtl or len(text) > room / 2.2 else 0.0
                if wide > room:
                    pdf.set_font_size(size * room / wide)
                    wide = room
                # Baseline about 70 % down the row; right-aligned in a right-to-left document.
                inset = pdf.c_margin  # as cell() insets its text, so both kinds of line align
                pdf.text(x + (width - wide - inset if pdf.rtl else inset), y + ROW_H * 0.72, text)
                if wide == room:
                    pdf.set_font_size(size)
            if kind == "arabic":
                pdf.set_fallback_fonts(["latin"])
            runs.clear()


def _signers(pdf: _Document, found: Delivery, labels: dict[str, str]) -> None:
    """One signer a line: name (or initials) and city, region by region."""
    pdf.add_page()
    pdf.para(pdf.word("list"), 14, "B", 3)
    if found.names == "none":
        pdf.para(pdf.word("no_names"))
        return
    size = 9.0
    gap = 4.0
    name_w = (pdf.epw - gap) * 0.62
    place_w = pdf.epw - gap - name_w
    name_x, place_x = (MARGIN + place_w + gap, MARGIN) if pdf.rtl else (MARGIN, MARGIN + name_w + gap)
    bottom = pdf.h - 18
    page = _Page(pdf)
    region = None
    y = pdf.get_y()
    for s in found.signers:
        if s.region != region:
            region = s.region
            if y + 3 * ROW_H + 8 > bottom:
                page.flush(size)
                pdf.add_page()
                y = pdf.get_y()
            # The region isolated from its count: "(1)" after "الولايات المتّحدة: New York" would join the
            # Latin run and read "New York (1)" in an Arabic list.
            head = f"{isolated(labels[region])} ({found.region_counts[region]})"
            if not has_arabic(head):
                head = head.translate(_NO_ISOLATES)  # unshaped: no bidirectional algorithm to read them
            pdf.use(head, 11, "B")
            pdf.set_xy(MARGIN, y + 2)
            pdf.cell(0, 7, head, align="R" if pdf.rtl else "L")
            y += 10
        if y + ROW_H > bottom:
            page.flush(size)
            pdf.add_page()
            y = pdf.get_y()
        page.put(s.name, name_x, y, name_w)
        page.put(s.place, place_x, y, place_w)
        y += ROW_H
    page.flush(size)


def render(found: Delivery, *, verification_sha256: str, key_id: str, made_on: datetime) -> tuple[bytes, int]:
    """The PDF's bytes and its number of pages."""
    pdf = _Document(found.lang, find_fonts())
    pdf.set_creation_date(made_on)
    pdf.set_producer("Petition Kiosk")
    pdf.set_title(found.campaign.localised(found.lang).texts.title)
    pdf.set_lang(found.lang)
    labels = {code: regions.label(code, found.lang) for code in found.region_counts}
    _cover(pdf, found, verification_sha256, key_id)
    _region_table(pdf, found, labels)
    _signers(pdf, found, labels)
    data: Any = pdf.output()
    return bytes(data), pdf.pages_count
