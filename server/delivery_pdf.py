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

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "confirmed": "Of them, {confirmed} confirmed their signature by email; {unconfirmed} were asked to and have not (yet); {unasked} gave no email address.",
        "counted": "{n} people signed this petition, each counted once.",
        "period": "Signed from {first} to {last}.",
        "events": "Collected at {n} events and stands:",
        "places": "Places of collection:",
        "event": "{first} to {last}: {n} signers", "event_day": "{first}: {n} signers",
        "named": "{name}, {place}, {day}: {n} signers", "named_noplace": "{name}, {day}: {n} signers",
        "other": "Other places, {first} to {last}: {n} signers", "other_day": "Other places, {first}: {n} signers",
        "paper": "(paper sheets)",
        "organisations": "Co-signing organisations",
        "regions": "Signers by region", "region": "Region", "signers": "Signers",
        "list": "The signers", "no_names": "The signers' names are not part of this delivery.",
        "verification": "Verification file (SHA-256): {sha}",
        "key": "Signed with the server's Ed25519 key {key}.",
        "check": "With that file each signer can find their own receipt id; anyone can check that no id "
                 "appears twice, that the totals match the list, and that the server signed it.",
        "duplicates": "{live} signatures stand; {dup} of them were a person signing again and count once.",
        "page": "Page {page} of {pages}",
    },
    "de": {
        "confirmed": "Davon haben {confirmed} ihre Unterschrift per E-Mail bestätigt; {unconfirmed} wurden darum gebeten und haben es (noch) nicht getan; {unasked} haben keine E-Mail-Adresse angegeben.",
        "counted": "{n} Menschen haben diese Petition unterschrieben, jeder einmal gezählt.",
        "period": "Unterschrieben vom {first} bis zum {last}.",
        "events": "Gesammelt bei {n} Veranstaltungen und Ständen:",
        "places": "Sammelorte:",
        "event": "{first} bis {last}: {n} Unterzeichnende", "event_day": "{first}: {n} Unterzeichnende",
        "named": "{name}, {place}, {day}: {n} Unterzeichnende", "named_noplace": "{name}, {day}: {n} Unterzeichnende",
        "other": "Andere Orte, {first} bis {last}: {n} Unterzeichnende",
        "other_day": "Andere Orte, {first}: {n} Unterzeichnende",
        "paper": "(Papierlisten)",
        "organisations": "Mitunterzeichnende Organisationen",
        "regions": "Unterzeichnende nach Region", "region": "Region", "signers": "Unterzeichnende",
        "list": "Die Unterzeichnenden", "no_names": "Die Namen der Unterzeichnenden sind nicht Teil dieser Übergabe.",
        "verification": "Prüfdatei (SHA-256): {sha}",
        "key": "Signiert mit dem Ed25519-Schlüssel {key} des Servers.",
        "check": "Mit dieser Datei findet jede unterzeichnende Person ihre eigene Belegnummer; jeder kann prüfen, "
                 "dass keine Nummer doppelt vorkommt, dass die Summen zur Liste passen und dass der Server sie signiert hat.",
        "duplicates": "{live} Unterschriften gelten; {dup} davon stammen von Menschen, die erneut unterschrieben, "
                      "und zählen einmal.",
        "page": "Seite {page} von {pages}",
    },
    "ar": {
        "confirmed": "منهم {confirmed} أكّدوا توقيعهم عبر البريد الإلكتروني؛ و{unconfirmed} طُلب منهم ذلك ولم يؤكّدوا (بعد)؛ و{unasked} لم يذكروا عنوان بريد إلكتروني.",
        "counted": "وقّع على هذه العريضة {n} شخصًا، احتُسب كلٌّ منهم مرة واحدة.",
        "period": "وُقّعت من {first} إلى {last}.",
        "events": "جُمعت في {n} فعاليات وأكشاك:",
        "places": "أماكن الجمع:",
        "event": "من {first} إلى {last}: {n} موقّعين", "event_day": "{first}: {n} موقّعين",
        "named": "{name}، {place}، {day}: {n} موقّعين", "named_noplace": "{name}، {day}: {n} موقّعين",
        "other": "أماكن أخرى، من {first} إلى {last}: {n} موقّعين", "other_day": "أماكن أخرى، {first}: {n} موقّعين",
        "paper": "(أوراق مطبوعة)",
        "organisations": "المنظمات الموقّعة",
        "regions": "الموقّعون حسب المنطقة", "region": "المنطقة", "signers": "الموقّعون",
        "list": "الموقّعون", "no_names": "أسماء الموقّعين ليست جزءًا من هذا التسليم.",
        "verification": "ملف التحقق (SHA-256): {sha}",
        "key": "موقّع بمفتاح Ed25519 الخاص بالخادم {key}.",
        "check": "بهذا الملف يستطيع كل موقّع أن يجد رقم إيصاله؛ ويستطيع أي شخص أن يتحقق من أن أي رقم لا يتكرر، "
                 "وأن المجاميع تطابق القائمة، وأن الخادم وقّعه.",
        "duplicates": "{live} توقيعًا قائمًا؛ {dup} منها لأشخاص وقّعوا مرة أخرى فاحتُسبوا مرة واحدة.",
        "page": "الصفحة {page} من {pages}",
    },
}


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
        self.labels = LABELS[lang]
        for (family, style), path in fonts.items():
            self.add_font(family, style, str(path))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=18)
        # Room for the page count reserved by the alias's own width: "{nb}" kept room for three digits,
        # and a delivery of 100,000 signatures runs to some 1,800 pages.
        self.alias_nb_pages(TOTAL_PAGES)
        self._shaped: bool | None = None
        self._family = ""

    def use(self, text: str, size: float, style: str = "") -> None:
        """The font for ``text``: Arabic shaped right to left, anything else unshaped (fast)."""
        arabic = has_arabic(text)
        family = "arabic" if arabic else "latin"
        if arabic != self._shaped:
            if arabic:
                self.set_fallback_fonts(["latin"])  # Latin words inside Arabic text
                self.set_text_shaping(use_shaping_engine=True, direction="rtl", script="arab", language="ar")
            else:
                self.set_fallback_fonts([])
                self.set_text_shaping(False)
            self._shaped = arabic
        self.set_font(family, style, size)

    def para(self, text: str, size: float = 10.5, style: str = "", gap: float = 2.0) -> None:
        self.use(text, size, style)
        align = "R" if self.rtl or has_arabic(text) else "L"
        self.multi_cell(0, size * 0.5, text, align=align, new_x="LMARGIN", new_y="NEXT")
        self.ln(gap)

    def footer(self) -> None:
        text = self.labels["page"].format(page=self.page_no(), pages=TOTAL_PAGES)
        self.set_y(-12)
        self.use(text, 8)
        self.cell(0, 6, text, align="C")


def _day(d: date, lang: str) -> str:
    return d.strftime("%d.%m.%Y") if lang == "de" else d.isoformat()


def _cover(pdf: _Document, found: Delivery, verification_sha256: str, key_id: str) -> None:
    t = pdf.labels
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
        pdf.para(texts.organisations_heading or t["organisations"], 12, "B")
        names = [o.name + (f" ({', '.join(m.name for m in o.members)})" if o.members else "") for o in organisations]
        pdf.para(" · ".join(names), 9)
    pdf.ln(2)
    pdf.para(t["counted"].format(n=found.total), 13, "B")
    if found.confirmed is not None and found.unconfirmed is not None:
        pdf.para(t["confirmed"].format(confirmed=found.confirmed, unconfirmed=found.unconfirmed,
                                       unasked=found.total - found.confirmed - found.unconfirmed))
    if found.period:
        first, last = found.period
        pdf.para(t["period"].format(first=_day(first, found.lang), last=_day(last, found.lang)))
    if found.live != found.counted_all:
        pdf.para(t["duplicates"].format(live=found.live, dup=found.live - found.counted_all), 9)
    if found.events:
        named = sum(1 for e in found.events if e.name)
        pdf.para(t["events"].format(n=named) if named else t["places"], 10, "B", 1)
        for e in found.events[:40]:
            pdf.para(_event_line(t, e, found.lang), 9, gap=0.5)
        pdf.ln(2)
    pdf.para(t["verification"].format(sha=verification_sha256), 8, gap=0.5)
    pdf.para(t["key"].format(key=key_id), 8, gap=0.5)
    pdf.para(t["check"], 8)


def _event_line(t: dict[str, str], e: Event, lang: str) -> str:
    """A place of collection: a named event with its place and day, or the unnamed "other places"."""
    first, last = _day(e.first, lang), _day(e.last, lang)
    if e.name:
        key = "named" if e.place else "named_noplace"
        line = t[key].format(name=e.name, place=e.place, day=_day(e.day or e.first, lang), n=e.signers)
    elif e.event_id is None:
        line = t["other" if e.first != e.last else "other_day"].format(first=first, last=last, n=e.signers)
    else:
        line = t["event" if e.first != e.last else "event_day"].format(first=first, last=last, n=e.signers)
    return line + (f" {t['paper']}" if e.paper else "")


def _region_table(pdf: _Document, found: Delivery, labels: dict[str, str]) -> None:
    t = pdf.labels
    pdf.add_page()
    pdf.para(t["regions"], 14, "B", 3)
    width = pdf.epw
    name_w, count_w = width - 40, 40
    rows = [(t["region"], t["signers"], "B")] + [(labels[c], str(n), "") for c, n in found.region_counts.items()]
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
            pdf.use("" if kind == "latin" else "\u0627", size)  # Noto Sans, or Noto Sans Arabic shaped
            if kind == "mixed":
                # "Emily حداد" reads left to right in an English list, right to left in an Arabic one.
                pdf.set_text_shaping(use_shaping_engine=True, direction="rtl" if pdf.rtl else "ltr",
                                     script="arab", language="ar")
                pdf._shaped = None
            # fpdf2's cell measures shaped text exactly; text() is twice as fast but, for Arabic, only
            # where nothing needs measuring (left-aligned, in a left-to-right document).
            by_cell = kind == "mixed" or (kind == "arabic" and pdf.rtl)
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
    t = pdf.labels
    pdf.add_page()
    pdf.para(t["list"], 14, "B", 3)
    if found.names == "none":
        pdf.para(t["no_names"])
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
            head = f"{labels[region]} ({found.region_counts[region]})"
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
