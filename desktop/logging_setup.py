"""Logging for the app and its commands: warnings on the console; with a data directory, also its log
file (db/logs.py). Its own module, so the window's warm-up and the commands share it without importing
the command line."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from db.logs import setup_logging as _setup

if TYPE_CHECKING:
    from desktop.context import AppContext


def setup_logging(data_dir: Path | None = None, *, ctx: AppContext | None = None) -> None:
    """With the GUI's ``ctx``, a line saying what the app shows (never anything about a signer)."""
    _setup(data_dir)
    if ctx is not None:
        logging.getLogger("desktop").info("GUI: campaign %s, language %s%s", ctx.campaign_slug, ctx.locale,
                                          ", kiosk mode" if ctx.kiosk else "")
