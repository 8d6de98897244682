"""Where signers are, for the delivery's per-region counts: offline only, never guessed.

The country is the signer's own (an ISO 3166 code, as the form stores it; pycountry names it in the
delivery's language). Within the United States, the state comes from the ZIP code through the
``zipcodes`` package's offline table (a five-digit ZIP, or ZIP+4). Elsewhere the region is the
country. A missing country, or a US postal code the table does not know, is counted as unknown: a
postal code is never matched to a place by a rule of thumb, and nothing is looked up on a network.
"""

from __future__ import annotations

import gettext
import re
from functools import cache, lru_cache
from typing import Literal

import pycountry

By = Literal["country", "region"]
UNKNOWN = "unknown"  # no country given
US_UNKNOWN = "US-unknown"  # in the United States, the state is not known from the ZIP code
_ZIP = re.compile(r"(\d{5})(?:-?\d{4})?")

_UNKNOWN_LABEL = {"en": "Unknown", "de": "Unbekannt", "ar": "غير معروف"}
_STATE_UNKNOWN = {"en": "state unknown", "de": "Bundesstaat unbekannt", "ar": "الولاية غير معروفة"}


@cache
def _zip_states() -> dict[str, str]:
    import zipcodes  # an offline table shipped with the package (about 42,000 ZIP codes)

    return {row["zip_code"]: row["state"] for row in zipcodes.list_all()}  # type: ignore[no-untyped-call]


def us_state(postal_code: str | None) -> str | None:
    """The two-letter state (or territory) of a US ZIP code, None when it is not one the table knows."""
    match = _ZIP.fullmatch("".join((postal_code or "").split()))
    return _zip_states().get(match.group(1)) if match else None


@lru_cache(maxsize=65536)  # a delivery asks once per signer; most share a handful of places
def region_code(country: str | None, postal_code: str | None, by: By = "region") -> str:
    """``DE``, ``US-NY``, ``US-unknown`` or ``unknown``."""
    code = (country or "").strip().upper()
    if not code or pycountry.countries.get(alpha_2=code) is None:
        return UNKNOWN
    if by == "region" and code == "US":
        state = us_state(postal_code)
        return f"US-{state}" if state else US_UNKNOWN
    return code


@cache
def _translation(domain: str, lang: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def country_name(code: str, lang: str = "en") -> str:
    found = pycountry.countries.get(alpha_2=code)
    if found is None:
        return code
    name = getattr(found, "common_name", None) or found.name
    return _translation("iso3166-1", lang).gettext(name)


def label(code: str, lang: str = "en") -> str:
    """A region's name in ``lang`` (en, de, ar; the English name where pycountry has no translation)."""
    if code == UNKNOWN:
        return _UNKNOWN_LABEL.get(lang, _UNKNOWN_LABEL["en"])
    country, _, sub = code.partition("-")
    if not sub:
        return country_name(country, lang)
    if code == US_UNKNOWN:
        return f"{country_name(country, lang)}: {_STATE_UNKNOWN.get(lang, _STATE_UNKNOWN['en'])}"
    found = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
    name = found.name if found is not None else sub
    translated = _translation("iso3166-2", lang).gettext(name)
    if lang != "ar" or not translated.isascii():  # pycountry's Arabic gives some states a misspelt Latin name
        name = translated
    return f"{country_name(country, lang)}: {name}"
