"""Every word a signer reads that is not the campaign's own: the form's field labels and validation
messages, the sign form's captions, the receipt page. One catalogue for the kiosk (Qt), the crowd-mode
phone page and the server's pages, so a fix to a message reaches all three.

The catalogue is gettext's: English source strings are the message ids (English needs no catalogue),
``db/translations/<lang>/LC_MESSAGES/signer.po`` holds each language's translations and the compiled
``.mo`` beside it is what runs, read with the standard library (no Babel at run time). ``./dev.sh
messages`` re-extracts the ids from db/, server/ and the templates, updates the ``.po`` files and
compiles them; a test fails when a ``.mo`` is older than its ``.po`` or a message lacks a translation.

Interface chrome (buttons of the kiosk, the coordinator panel) stays in Qt Linguist
(``resources/translations/*.ts``): only what a signer reads on more than one end belongs here, and
the delivery PDF's own words (server/delivery_pdf.py, context ``delivery``): the server's text in the
signers' languages, with counted messages in each language's plural forms (``translate_plural``).

Placeholders are ``str.format`` names (``{campaign}``), never positions: translators may reorder them.
"""

from __future__ import annotations

import gettext
import logging
from functools import cache
from pathlib import Path

DOMAIN = "signer"
SOURCE_LANGUAGE = "en"
# The languages a signer can choose, each named in itself (never translated: a German speaker looks for
# "Deutsch", an Arabic speaker for "العربية", whatever the page currently shows).
LANGUAGES = ("en", "ar", "de")
LANGUAGE_NAMES = {"en": "English", "ar": "العربية", "de": "Deutsch"}
RTL = frozenset({"ar"})

log = logging.getLogger(__name__)


def N_(msgid: str) -> str:
    """Marks ``msgid`` for extraction where it is defined (a table); translated where it is shown."""
    return msgid


def catalogue_dir() -> Path:
    """``db/translations``: package data, so an installed server finds it as a built app does."""
    return Path(__file__).resolve().parent / "translations"


def language_of(lang: str | None) -> str:
    """``"de-AT"``, ``"ar_SY"``, ``"DE"`` -> the catalogue's language; anything else -> English."""
    base = (lang or "").replace("_", "-").split("-")[0].strip().lower()
    return base if base in LANGUAGES else SOURCE_LANGUAGE


@cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    if lang == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    try:
        return gettext.translation(DOMAIN, str(catalogue_dir()), languages=[lang])
    except OSError:
        # A broken installation: a signer still gets words (English), and the log says why.
        log.error("the %s catalogue of signer messages is missing from %s", lang, catalogue_dir())
        return gettext.NullTranslations()


def translate(lang: str, msgid: str, **fields: object) -> str:
    """``msgid`` in ``lang`` (English for a language the catalogue does not have), its ``{name}``
    placeholders filled from ``fields`` when any are given."""
    text = _catalogue(language_of(lang)).gettext(msgid)
    return text.format(**fields) if fields else text


def translate_in(lang: str, context: str, msgid: str, **fields: object) -> str:
    """As :func:`translate`, for a ``msgid`` whose English serves two meanings: ``context`` says which
    (gettext's ``pgettext``; extracted with the ``pgettext`` keyword)."""
    text = _catalogue(language_of(lang)).pgettext(context, msgid)
    return text.format(**fields) if fields else text


def pgettext(context: str, msgid: str) -> str:
    """Marks a context-bound ``msgid`` for extraction, like :func:`N_`; translated with :func:`translate_in`."""
    del context
    return msgid


def translate_plural(lang: str, context: str, singular: str, plural: str, n: int, **fields: object) -> str:
    """The form of a counted message that ``n`` takes in ``lang`` (gettext's ``npgettext``: the rule is the
    catalogue's ``Plural-Forms``, six forms in Arabic, two in German and English), with ``{n}`` and
    ``fields`` filled in. A form may leave ``{n}`` out ("موقّع واحد")."""
    text = _catalogue(language_of(lang)).npgettext(context, singular, plural, n)
    return text.format(n=n, **fields)


def npgettext(context: str, singular: str, plural: str) -> tuple[str, str]:
    """Marks a counted message for extraction (singular and plural English, as gettext's ``npgettext``);
    translated with :func:`translate_plural`."""
    del context
    return singular, plural


class Translator:
    """A page's words in one language: ``_("...")`` and ``pgettext(ctx, "...")``, each taking the
    placeholders' values as keywords. Templates get it as ``_`` (jinja2 autoescapes what it returns)."""

    def __init__(self, lang: str) -> None:
        self.lang = language_of(lang)

    def __call__(self, msgid: str, **fields: object) -> str:
        return translate(self.lang, msgid, **fields)

    def pgettext(self, context: str, msgid: str, **fields: object) -> str:
        return translate_in(self.lang, context, msgid, **fields)


def translator(lang: str) -> Translator:
    return Translator(lang)


# --- the core's message keys (db/validation.py, db/sealing.py) -----------------------------------------

VALIDATION = {
    "required": N_("Please fill this in."),
    "too_long": N_("This is too long. Please shorten it."),
    "invalid_characters": N_("This contains invisible or special characters. Please type it again."),
    "email_invalid": N_("This does not look like an email address."),
    "phone_invalid": N_("This does not look like a phone number. Add the country code, for example +49."),
    "postal_code_invalid": N_("Please check the postal code."),
    "country_invalid": N_("Please choose a country from the list."),
    "consent_required": N_("Please tick this box to sign. Without it your signature cannot be counted."),
    "not_asked": N_("This petition does not ask for this."),
    "invalid": N_("Please check this."),
    # Paper import's (a coordinator reads it, in the same place as the others).
    "extra_cells": N_("This line has more cells than the first line names columns. Is a comma or a column too many?"),
}

FIELD_LABELS = {
    "given_name": N_("First name"),
    "family_name": N_("Last name"),
    "email": N_("Email"),
    "phone": N_("Phone"),
    "postal_code": N_("Postal code"),
    "city": N_("City"),
    "country": N_("Country"),
    "comment": N_("Comment"),
}

OPTIONAL = N_("(optional)")
NAME_HINT = N_("If you have only one name, write it in either name field.")


# --- the sign form's and the thank-you page's own words (the kiosk's, the phone page's) ------------------

FORM_HEADING = N_("Add your name: {title}")  # title: the campaign's
FORM_SUBHEADING = N_("It takes less than a minute.")
SIGN = N_("Sign")
SIGN_ACCESSIBLE = N_("Sign the petition")
BACK_TO_LETTER = N_("Back to the letter")
CHOOSE_A_COUNTRY = N_("Choose a country")
# Above the English original of a consent text shown in an unreviewed translation.
IN_ENGLISH = N_("In English:")
THANK_YOU = N_("Thank you for signing!")
# Above the partners' opt-ins (format-2 bundles): each is a separate choice, none needed to sign.
PARTNERS_INTRO = N_("Partner organisations: tick one only if you want to hear from it. You can sign without.")
# The web pages' folded list of more than three partners (a <details> summary; no script to count in it).
PARTNERS_LIST = N_("Partner organisations that may contact you")
# The one line more than three partners' opt-ins fold behind (it opens the list).
PARTNERS_FOLDED = N_("Partner organisations that may contact you: {chosen} of {total} chosen")


def validation_message(lang: str, key: str) -> str:
    """A db/validation.py key in words; an unknown key gets the general "Please check this."."""
    return translate(lang, VALIDATION.get(key, VALIDATION["invalid"]))


def field_label(lang: str, name: str) -> str:
    """The label of the form field ``name`` (db/fields.py's names); KeyError for another name."""
    return translate(lang, FIELD_LABELS[name])


def optional_suffix(lang: str) -> str:
    return translate(lang, OPTIONAL)


def name_hint(lang: str) -> str:
    return translate(lang, NAME_HINT)


def is_rtl(lang: str) -> bool:
    return language_of(lang) in RTL


def choose_language(query_lang: str | None, accept_language: str | None) -> str:
    """A page's language: the one asked for (``?lang=``) first, then the browser's Accept-Language by its
    q-values, then English."""
    if query_lang in LANGUAGES:
        return query_lang
    ranked = []
    for part in (accept_language or "")[:200].split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        ranked.append((q, tag.split("-")[0].lower()))
    for _, lang in sorted(ranked, key=lambda t: -t[0]):
        if lang in LANGUAGES:
            return lang
    return SOURCE_LANGUAGE

