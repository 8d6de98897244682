"""Saving what the Sign page holds, for the main window (desktop/window.py), and saying why nobody can
sign on a device that must seal its signers' details and holds no key. Loaded on the first signature:
the first paint goes without the database layer.

The words stay the main window's (context "MainWindow"): they were always said by it."""

from __future__ import annotations

import logging
import sqlite3

from PySide6.QtCore import QCoreApplication
from sqlalchemy.exc import DBAPIError

from db import signatures
from db.sealing import SealingUnavailable
from db.validation import SignatureInvalid
from desktop.context import AppContext
from desktop.overlays import Notice
from desktop.pages.sign import SignPage

log = logging.getLogger("desktop.window")


def save_from_form(page: SignPage, ctx: AppContext) -> tuple[str, str | None] | None:
    """Save the signature ``page`` holds: its id and the receipt's address (None: the campaign gives
    none), or None when it was not saved and the page says why (everything typed is kept).

    A duplicate signer is saved like anyone else: the server resolves duplicates quietly, and the
    screen never says "already signed" (that would tell the next person who signed)."""
    page.clear_errors()
    draft = page.draft()
    draft.event_id = ctx.settings.active_event_id
    receipt = ctx.campaign.manifest.links.receipt
    # The receipt's secret lives only in memory, then in the QR code; the device saves its hash.
    draft.receipt_secret = signatures.new_receipt_secret() if receipt else None
    try:
        saved = signatures.save_signature(draft, engine=ctx.engine, shown=ctx.shown)
    except SignatureInvalid as invalid:
        page.show_errors(invalid.errors)
        return None
    except SealingUnavailable:
        # The key went missing between the letter page and here: keep what was typed.
        page.show_banner(QCoreApplication.translate(
            "MainWindow", "Signing is paused on this device: this petition must encrypt your details and the "
            "key is missing. Nothing you typed is lost: please tell a volunteer."))
        return None
    except (DBAPIError, sqlite3.Error, OSError) as exc:
        # Disk full, database locked for too long, device removed...: keep everything typed.
        log.error("could not save a signature: %s", type(exc).__name__)
        page.show_banner(QCoreApplication.translate(
            "MainWindow", "Your signature could not be saved on this device. Nothing you typed is lost: "
            "please tell a volunteer, then try again."))
        return None
    log.info("signature saved (seq %d)", saved.seq)
    url = signatures.receipt_url(receipt, saved.id, draft.receipt_secret) if receipt else None
    draft.receipt_secret = None
    return saved.id, url


def explain_sealing_unavailable(notice: Notice) -> None:
    """A campaign that must seal its signers' details, on a device without the key: say why nobody can
    sign here, and what the coordinator does about it."""
    notice.show_message(
        QCoreApplication.translate("MainWindow", "Signing is paused on this device"),
        QCoreApplication.translate(
            "MainWindow", "This petition protects the names of everyone who signs by encrypting them for the "
            "campaign's server, and this device has not received that key yet. Please ask a volunteer."),
        QCoreApplication.translate(
            "MainWindow", "Coordinator: open the panel and enroll this device with the campaign's server "
            "(Settings, Server and enrollment): the key comes with the enrollment."),
    )
