"""The text of a printed paper sheet's QR code: which campaign, version, language and sheet it is.

``petition-kiosk://sheet?v=1&campaign=act-on-syria&version=1&sheet=14&lang=en``

A volunteer typing the sheet in (or a scanner typing for them) gets the sheet number and knows the
campaign version and the language whose consent text the sheet carries. ``v`` is this format's
version, so a later change can still read older sheets. Qt-free: the paper import may read it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from db.fields import SHEET_MAX

SCHEME = "petition-kiosk"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class SheetCode:
    campaign: str
    version: int
    sheet: int
    locale: str

    def text(self) -> str:
        query = urlencode({"v": FORMAT_VERSION, "campaign": self.campaign, "version": self.version,
                           "sheet": self.sheet, "lang": self.locale})
        return f"{SCHEME}://sheet?{query}"


def parse(text: str) -> SheetCode | None:
    """The sheet a scanned code names, or None when the text is not a sheet code this app wrote."""
    parts = urlsplit(text.strip())
    if parts.scheme != SCHEME or parts.netloc != "sheet":
        return None
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    try:
        if int(query.get("v", "")) != FORMAT_VERSION:
            return None
        code = SheetCode(campaign=query["campaign"], version=int(query["version"]),
                         sheet=int(query["sheet"]), locale=query.get("lang", ""))
    except (KeyError, ValueError):
        return None
    if code.sheet < 1 or len(str(code.sheet)) > SHEET_MAX or code.version < 1:
        return None
    return code
