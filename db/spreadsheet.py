"""Formula escaping for CSV cells: the one rule every CSV export follows, on the device and on the server.

A spreadsheet program opening a CSV runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in
some programs, a tab or a line break before one) as a formula: ``=HYPERLINK(...)`` in a name or a
device name would become a link that sends the sheet's contents elsewhere. Such a cell gets a leading
apostrophe, which spreadsheets show as text. Qt-free: ``db/export.py`` and ``server/export.py`` use it.
"""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")

# The full-width forms too: some spreadsheet programs fold them to their ASCII twins.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def formula_safe(value: T) -> T | str:
    """``value`` as a spreadsheet shows it as text. Non-text values pass unchanged; so does a number
    with a sign (a phone number ``+49 30 1234567``, digits and spaces only), which runs nothing."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    rest = value[1:].replace(" ", "")
    if value[0] in "+-" and rest.isascii() and rest.isdigit():
        return value
    return "'" + value
