"""Importing a campaign bundle from the screens (the first-run set-up, the panel's Campaigns page): the
file dialog, the import off the GUI thread, and what to say when a bundle is refused. What is checked
is db/bundle_import.py's."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.panel.words import tr
from desktop.tasks import run_in_background

if TYPE_CHECKING:
    from db.campaigns import Campaign
    from desktop.context import AppContext

log = logging.getLogger(__name__)

# (QT_TRANSLATE_NOOP marks the words for lupdate and gives them back as they are.)

CHECKING: str = QT_TRANSLATE_NOOP(  # type: ignore[assignment]
    "Panel", "Checking the campaign…")
TITLE: str = QT_TRANSLATE_NOOP(  # type: ignore[assignment]
    "Panel", "Import a campaign")
FILTER: str = QT_TRANSLATE_NOOP(  # type: ignore[assignment]
    "Panel", "Campaign bundles (campaign.toml *.zip *.bundle)")
REFUSED: str = QT_TRANSLATE_NOOP(  # type: ignore[assignment]
    "Panel", "This is not a campaign bundle the app can use.")


def checking_words() -> str:
    return tr(CHECKING)


def choose_bundle(parent: QWidget) -> Path | None:
    """A bundle's ``campaign.toml`` or a zip file, chosen by the coordinator; None when cancelled."""
    path, _ = QFileDialog.getOpenFileName(
        parent, tr(TITLE), str(Path.home()), tr(FILTER),
        options=QFileDialog.Option.DontUseNativeDialog)
    return Path(path) if path else None


def refusal_words(exc: Exception) -> str:
    """Why a bundle was not imported, in the interface's language (the loader's own reasons after it)."""
    # on first use, not at the top: the screen opens without it
    from db.campaigns import BundleError

    problems = "; ".join(exc.problems) if isinstance(exc, BundleError) else ""
    return tr(REFUSED) + (f"\n{problems}" if problems else "")


def start_import(ctx: AppContext, path: Path, done: Callable[[Campaign, bool], None],
                 failed: Callable[[str], None], *, owner: QObject) -> None:
    """Check and install the bundle at ``path`` off the GUI thread. ``done(campaign, new)`` comes once
    the context knows the campaign; ``failed(words)`` with what to tell the coordinator; neither once
    ``owner`` (the widget that asked) is gone."""
    # on first use, not at the top: the screen opens without it
    from db.bundle_import import import_bundle

    data_dir, engine = ctx.data_dir, ctx.engine

    def imported(result: tuple[Campaign, bool]) -> None:
        ctx.rescan_campaigns()
        done(*result)

    def refused(exc: Exception) -> None:
        log.warning("campaign import refused: %s", type(exc).__name__)
        failed(refusal_words(exc))

    run_in_background(lambda: import_bundle(data_dir, path, engine=engine), imported, refused, owner=owner)
