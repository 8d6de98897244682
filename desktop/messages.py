"""Translated text for the core's message keys and field names, in the interface's current language.

``db`` reports problems as keys (``db/validation.py``); the words for them are the signer catalogue's
(``db/signer_text.py``), which the phone page and the server read too. This module only supplies the
language the kiosk currently speaks (``desktop/i18n.py``), so callers need not know it.
"""

from __future__ import annotations

from db import signer_text
from desktop.i18n import current_language


def text(msgid: str, **fields: object) -> str:
    """One of db/signer_text.py's messages (``signer_text.IN_ENGLISH``, ...) in the interface's language."""
    return signer_text.translate(current_language(), msgid, **fields)


def validation_message(key: str) -> str:
    return signer_text.validation_message(current_language(), key)


def field_label(name: str) -> str:
    return signer_text.field_label(current_language(), name)


def optional_suffix() -> str:
    return signer_text.optional_suffix(current_language())


def name_hint() -> str:
    return signer_text.name_hint(current_language())


def is_validation_key(key: str) -> bool:
    return key in signer_text.VALIDATION
