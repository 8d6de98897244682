"""Plain, translated words for what the core reports as keys: why a signature needs attention, sync
outcomes, audit entries, reasons for setting a signature aside."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from db.panel import reason_field, reason_key
from desktop.messages import VALIDATION, field_label

CONTEXT = "Panel"

REASONS = {
    "conflict": QT_TRANSLATE_NOOP(
        "Panel", "The server already has a different signature with the same id. The server keeps its copy."),
    "campaign_closed": QT_TRANSLATE_NOOP("Panel", "The campaign is closed on the server and takes no more signatures."),
    "campaign_unknown": QT_TRANSLATE_NOOP(
        "Panel", "The server does not know this campaign. Publish it on the server, then retry."),
    "campaign_version_unknown": QT_TRANSLATE_NOOP(
        "Panel", "The server does not know this version of the campaign. Publish it on the server, then retry."),
    "duplicate_in_batch": QT_TRANSLATE_NOOP("Panel", "The same signature was sent twice at once. Retry."),
    "too_large": QT_TRANSLATE_NOOP("Panel", "This signature is larger than the server accepts."),
    "set_aside": QT_TRANSLATE_NOOP("Panel", "Set aside by a coordinator."),
    "unknown": QT_TRANSLATE_NOOP("Panel", "The server refused this signature without a reason."),
}

OUTCOMES = {
    "ok": QT_TRANSLATE_NOOP("Panel", "finished"),
    "offline": QT_TRANSLATE_NOOP("Panel", "server not reachable"),
    "refused": QT_TRANSLATE_NOOP("Panel", "refused by the server"),
    "auth": QT_TRANSLATE_NOOP("Panel", "device must be enrolled again"),
    "not_enrolled": QT_TRANSLATE_NOOP("Panel", "device not enrolled"),
    "busy": QT_TRANSLATE_NOOP("Panel", "another program is sending"),
    "stopped": QT_TRANSLATE_NOOP("Panel", "cancelled"),
}

AUDIT_KINDS = {
    "enrolled": QT_TRANSLATE_NOOP("Panel", "Enrolled with a server"),
    "sync": QT_TRANSLATE_NOOP("Panel", "Sync"),
    "export": QT_TRANSLATE_NOOP("Panel", "Export"),
    "purge": QT_TRANSLATE_NOOP("Panel", "Personal data purged"),
    "pin_failed": QT_TRANSLATE_NOOP("Panel", "Wrong coordinator PIN"),
    "pin_changed": QT_TRANSLATE_NOOP("Panel", "Coordinator PIN changed"),
    "pin_set": QT_TRANSLATE_NOOP("Panel", "Coordinator PIN chosen"),
    "panel_opened": QT_TRANSLATE_NOOP("Panel", "Panel opened"),
    "set_aside": QT_TRANSLATE_NOOP("Panel", "Set aside"),
    "retry": QT_TRANSLATE_NOOP("Panel", "Sent again"),
    "event_created": QT_TRANSLATE_NOOP("Panel", "Event created"),
    "event_changed": QT_TRANSLATE_NOOP("Panel", "Event changed"),
    "event_chosen": QT_TRANSLATE_NOOP("Panel", "Active event chosen"),
    "settings_changed": QT_TRANSLATE_NOOP("Panel", "Settings changed"),
}

SET_ASIDE = {
    "duplicate": QT_TRANSLATE_NOOP("Panel", "A duplicate of another signature"),
    "test": QT_TRANSLATE_NOOP("Panel", "A test entry"),
    "withdrawn": QT_TRANSLATE_NOOP("Panel", "The signer withdrew"),
    "unfixable": QT_TRANSLATE_NOOP("Panel", "Cannot be fixed"),
    "other": QT_TRANSLATE_NOOP("Panel", "Other (see note)"),
}


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def reason_words(reason: str) -> str:
    """"rejected: email_invalid (email)" -> "Email: This does not look like an email address." """
    key = reason_key(reason)
    if key in VALIDATION:
        words = QCoreApplication.translate("Validation", VALIDATION[key])
        name = reason_field(reason)
        try:
            return f"{field_label(name)}: {words}" if name else words
        except KeyError:
            return words
    if reason.startswith("set_aside"):
        choice = reason.partition(":")[2].strip()
        return tr(REASONS["set_aside"]) + (f" ({tr(SET_ASIDE[choice])})" if choice in SET_ASIDE else "")
    return tr(REASONS.get(key, REASONS["unknown"]))


def outcome_words(outcome: str) -> str:
    return tr(OUTCOMES[outcome]) if outcome in OUTCOMES else outcome


def audit_words(kind: str) -> str:
    return tr(AUDIT_KINDS[kind]) if kind in AUDIT_KINDS else kind
