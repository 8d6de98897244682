"""Country names for the form, in the signer's language (pycountry ships the ISO 3166 translations)."""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import lru_cache


@lru_cache(maxsize=8)
def country_choices(language: str) -> tuple[tuple[str, str], ...]:
    """(alpha-2 code, localised name) pairs sorted by name."""
    # here, not at the top: the first paint goes without it
    import pycountry

    translate: Callable[[str], str]
    try:
        translate = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language]).gettext
    except OSError:
        def translate(name: str) -> str:  # no catalogue for this language: the English names
            return name
    pairs = [(c.alpha_2, translate(c.name)) for c in pycountry.countries]
    return tuple(sorted(pairs, key=lambda p: p[1].casefold()))
