"""TEMPORARY stand-in for the catalogue (replaced by the gettext catalogue at merge)."""

from __future__ import annotations

from collections.abc import Callable

LANGUAGES = ("en", "ar", "de")
RTL = frozenset({"ar"})
LANGUAGE_NAMES = {"en": "English", "ar": "العربية", "de": "Deutsch"}


def N_(msgid: str) -> str:
    return msgid


def translate(lang: str, msgid: str, **fields: object) -> str:
    return msgid.format(**fields) if fields else msgid


def translator(lang: str) -> Callable[[str], str]:
    return lambda msgid: msgid


def validation_message(lang: str, key: str) -> str:
    return key


def field_label(lang: str, name: str) -> str:
    return name.replace("_", " ").capitalize()


def optional_suffix(lang: str) -> str:
    return "(optional)"


def name_hint(lang: str) -> str:
    return "If you have only one name, write it in either name field."


def choose_language(query_lang: str | None, accept_language: str | None) -> str:
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().split("-")[0].lower()
        if tag in LANGUAGES:
            return tag
    return "en"
