"""Translated text for the core's message keys and field names.

``db`` reports problems as keys (``db/validation.py``); this is the one place that turns them into
words a signer reads, through Qt Linguist so every language gets them.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

VALIDATION = {
    "required": QT_TRANSLATE_NOOP("Validation", "Please fill this in."),
    "too_long": QT_TRANSLATE_NOOP("Validation", "This is too long. Please shorten it."),
    "invalid_characters": QT_TRANSLATE_NOOP(
        "Validation", "This contains invisible or special characters. Please type it again."
    ),
    "email_invalid": QT_TRANSLATE_NOOP("Validation", "This does not look like an email address."),
    "phone_invalid": QT_TRANSLATE_NOOP(
        "Validation", "This does not look like a phone number. Add the country code, for example +49."
    ),
    "postal_code_invalid": QT_TRANSLATE_NOOP("Validation", "Please check the postal code."),
    "country_invalid": QT_TRANSLATE_NOOP("Validation", "Please choose a country from the list."),
    "consent_required": QT_TRANSLATE_NOOP(
        "Validation", "Please tick this box to sign. Without it your signature cannot be counted."
    ),
    "not_asked": QT_TRANSLATE_NOOP("Validation", "This petition does not ask for this."),
    "invalid": QT_TRANSLATE_NOOP("Validation", "Please check this."),
    "extra_cells": QT_TRANSLATE_NOOP(
        "Validation", "This line has more cells than the first line names columns. Is a comma or a column too many?"
    ),
}

FIELD_LABELS = {
    "given_name": QT_TRANSLATE_NOOP("Form", "First name"),
    "family_name": QT_TRANSLATE_NOOP("Form", "Last name"),
    "email": QT_TRANSLATE_NOOP("Form", "Email"),
    "phone": QT_TRANSLATE_NOOP("Form", "Phone"),
    "postal_code": QT_TRANSLATE_NOOP("Form", "Postal code"),
    "city": QT_TRANSLATE_NOOP("Form", "City"),
    "country": QT_TRANSLATE_NOOP("Form", "Country"),
    "comment": QT_TRANSLATE_NOOP("Form", "Comment"),
}

OPTIONAL = QT_TRANSLATE_NOOP("Form", "(optional)")
NAME_HINT = QT_TRANSLATE_NOOP("Form", "If you have only one name, write it in either name field.")


def validation_message(key: str) -> str:
    return QCoreApplication.translate("Validation", str(VALIDATION.get(key, VALIDATION["invalid"])))


def field_label(name: str) -> str:
    return QCoreApplication.translate("Form", str(FIELD_LABELS[name]))


def optional_suffix() -> str:
    return QCoreApplication.translate("Form", str(OPTIONAL))


def name_hint() -> str:
    return QCoreApplication.translate("Form", str(NAME_HINT))
