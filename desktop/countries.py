"""Country names for the form, in the signer's language (pycountry ships the ISO 3166 translations)."""

from __future__ import annotations

import gettext
from functools import lru_cache


@lru_cache(maxsize=8)
def country_choices(language: str) -> tuple[tuple[str, str], ...]:
    """(alpha-2 code, localised name) pairs sorted by name."""
    import pycountry

    try:
        translate = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language]).gettext
    except OSError:
        translate = str
    pairs = [(c.alpha_2, translate(c.name)) for c in pycountry.countries]
    return tuple(sorted(pairs, key=lambda p: p[1].casefold()))
