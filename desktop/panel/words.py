"""Plain, translated words for what the core reports as keys: why a signature needs attention, sync
outcomes, audit entries, reasons for setting a signature aside, what went wrong when enrolling, where
a campaign version came from."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale

from db.panel import reason_field, reason_key
from db.pin import MIN_DIGITS
from db.sync import enrollment
from desktop.messages import field_label, is_validation_key, validation_message

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
    "void_target_foreign": QT_TRANSLATE_NOOP(
        "Panel", "This withdrawal names a signature another device collected; only that device can withdraw it."),
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

# What a coordinator can do about a day-end sync that did not finish (the runner's own message, in
# English and technical, goes in a tooltip for whoever helps).
OUTCOME_ADVICE = {
    "offline": QT_TRANSLATE_NOOP(
        "Panel", "The server did not answer. Check the network (a venue's Wi-Fi may first want a login page "
                 "in a browser), then press Sync now. Nothing is lost: the signatures wait on this device."),
    "refused": QT_TRANSLATE_NOOP(
        "Panel", "The server refused the request. The app retries by itself; if this stays, send the "
                 "diagnostics (Log) to the server's operator."),
    "auth": QT_TRANSLATE_NOOP(
        "Panel", "The server no longer accepts this device. Ask its operator for a new enrollment code and "
                 "enroll again (Settings); the waiting signatures go with the next sync."),
    "not_enrolled": QT_TRANSLATE_NOOP(
        "Panel", "This device is not enrolled with a server. Enroll it (Settings), or carry the signatures "
                 "in a hand-off file."),
    "busy": QT_TRANSLATE_NOOP(
        "Panel", "Another copy of the app is sending from this device right now. Wait for it, or close it."),
}

# db/setup.py's device-name message keys (the set-up screens and the panel's Settings).
DEVICE_NAME = {
    "device_name_missing": QT_TRANSLATE_NOOP("Panel", "Please give this device a name."),
    "device_name_too_long": QT_TRANSLATE_NOOP("Panel", "A device name has at most 64 characters."),
    "device_name_bad_characters": QT_TRANSLATE_NOOP("Panel", "The name contains invisible or control characters."),
}

AUDIT_KINDS = {
    "enrolled": QT_TRANSLATE_NOOP("Panel", "Enrolled with a server"),
    "sync": QT_TRANSLATE_NOOP("Panel", "Sync"),
    "export": QT_TRANSLATE_NOOP("Panel", "Export"),
    "purge": QT_TRANSLATE_NOOP("Panel", "Personal data purged"),
    "pin_failed": QT_TRANSLATE_NOOP("Panel", "Wrong coordinator PIN"),
    "pin_changed": QT_TRANSLATE_NOOP("Panel", "Coordinator PIN changed"),
    "pin_set": QT_TRANSLATE_NOOP("Panel", "Coordinator PIN chosen"),
    "setup_completed": QT_TRANSLATE_NOOP("Panel", "Device set up"),
    "campaign_imported": QT_TRANSLATE_NOOP("Panel", "Campaign imported"),
    "campaign_differs": QT_TRANSLATE_NOOP("Panel", "The server's version has other texts"),
    "campaign_refused": QT_TRANSLATE_NOOP("Panel", "Campaign version refused: not vouched for by the server"),
    "campaign_quarantined": QT_TRANSLATE_NOOP("Panel", "Campaign version set aside: not vouched for by the server"),
    "panel_opened": QT_TRANSLATE_NOOP("Panel", "Panel opened"),
    "set_aside": QT_TRANSLATE_NOOP("Panel", "Set aside"),
    "retry": QT_TRANSLATE_NOOP("Panel", "Sent again"),
    "event_created": QT_TRANSLATE_NOOP("Panel", "Event created"),
    "event_changed": QT_TRANSLATE_NOOP("Panel", "Event changed"),
    "event_chosen": QT_TRANSLATE_NOOP("Panel", "Active event chosen"),
    "settings_changed": QT_TRANSLATE_NOOP("Panel", "Settings changed"),
    "sealing_key": QT_TRANSLATE_NOOP("Panel", "Sealing key received"),
    "paper_import": QT_TRANSLATE_NOOP("Panel", "Paper sheets imported"),
    "handoff_export": QT_TRANSLATE_NOOP("Panel", "Hand-off file written"),
    "handoff_receipt": QT_TRANSLATE_NOOP("Panel", "Hand-off receipt read"),
    "handoff_receipt_refused": QT_TRANSLATE_NOOP("Panel", "Hand-off receipt refused"),
    "diagnostics_copied": QT_TRANSLATE_NOOP("Panel", "Diagnostics copied"),
    "diagnostics_saved": QT_TRANSLATE_NOOP("Panel", "Diagnostics saved to a file"),
}

SET_ASIDE = {
    "duplicate": QT_TRANSLATE_NOOP("Panel", "A duplicate of another signature"),
    "test": QT_TRANSLATE_NOOP("Panel", "A test entry"),
    "withdrawn": QT_TRANSLATE_NOOP("Panel", "The signer withdrew"),
    "unfixable": QT_TRANSLATE_NOOP("Panel", "Cannot be fixed"),
    "other": QT_TRANSLATE_NOOP("Panel", "Other (see note)"),
}


# db/sync/enrollment.py's message keys; the English is the same as its MESSAGES (a test checks both).
ENROLLMENT = {
    enrollment.SERVER_ADDRESS: QT_TRANSLATE_NOOP(
        "Panel", "The server address must start with https:// (or http:// on a local network)."),
    enrollment.CODE_MISSING: QT_TRANSLATE_NOOP(
        "Panel", "Type the enrollment code, or paste the text of the QR code."),
    enrollment.CODE_SHAPE: QT_TRANSLATE_NOOP(
        "Panel", "The enrollment code has 12 letters and digits, for example K7QM-2XPA-9RTF."),
    enrollment.NOT_QR_TEXT: QT_TRANSLATE_NOOP("Panel", "This is not the text of a Petition Kiosk enrollment QR code."),
    enrollment.QR_NEWER: QT_TRANSLATE_NOOP(
        "Panel", "This QR code was made by a newer server. Update the app, then enroll again."),
    enrollment.QR_DAMAGED: QT_TRANSLATE_NOOP("Panel", "The text of this QR code is incomplete or damaged. Copy it again."),
    enrollment.HTTP_OUTSIDE: QT_TRANSLATE_NOOP(
        "Panel", "Use https:// for a server outside your local network: http:// would send signers' data "
                 "unencrypted."),
    enrollment.NO_ANSWER: QT_TRANSLATE_NOOP(
        "Panel", "No Petition Kiosk server answered at this address. Check the address and the network "
                 "connection, then try again."),
    enrollment.CODE_REFUSED: QT_TRANSLATE_NOOP(
        "Panel", "The server refused this code: it is wrong, already used or expired. Ask the server's "
                 "operator for a new one."),
    enrollment.DEVICE_REVOKED: QT_TRANSLATE_NOOP(
        "Panel", "The server's operator has revoked this device. Ask for a new enrollment code."),
    enrollment.APP_OUTDATED: QT_TRANSLATE_NOOP(
        "Panel", "The server needs a newer version of this app. Update it, then enroll again."),
    enrollment.REFUSED: QT_TRANSLATE_NOOP("Panel", "The server refused the enrollment."),
    enrollment.FAILED: QT_TRANSLATE_NOOP("Panel", "Enrollment did not work."),
}

# Where an installed campaign version came from (campaign_version.source).
SOURCES = {
    "builtin": QT_TRANSLATE_NOOP("Panel", "built in"),
    "server": QT_TRANSLATE_NOOP("Panel", "from the server"),
    "import": QT_TRANSLATE_NOOP("Panel", "imported"),
}

# What the coordinator should change on this device (db/pin.pin_warnings); %1 is the digits a new PIN needs.
WARNINGS = {
    "pin_too_short": QT_TRANSLATE_NOOP(
        "Panel", "The coordinator PIN is shorter than %1 digits, which someone holding this device's files "
        "can find in hours. Choose a longer one: Settings, Change the coordinator PIN."),
}


def tr(text: object) -> str:
    """``text``, a QT_TRANSLATE_NOOP of context "Panel" (typed ``object`` by PySide's stubs), translated."""
    return QCoreApplication.translate(CONTEXT, str(text))


def reason_words(reason: str) -> str:
    """"rejected: email_invalid (email)" -> "Email: This does not look like an email address." """
    key = reason_key(reason)
    if is_validation_key(key):
        words = validation_message(key)
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


def device_name_words(key: str | None) -> str:
    """Why a device name was refused (db/setup.device_name_problem), in the interface's language."""
    return tr(DEVICE_NAME[key]) if key in DEVICE_NAME else ""


def outcome_advice(outcome: str) -> str:
    """What to do after a sync that ended with ``outcome``; empty when there is nothing to do."""
    return tr(OUTCOME_ADVICE[outcome]) if outcome in OUTCOME_ADVICE else ""


def audit_words(kind: str) -> str:
    return tr(AUDIT_KINDS[kind]) if kind in AUDIT_KINDS else kind


def enrollment_words(exc: BaseException) -> str:
    """What went wrong when enrolling, in the interface's language."""
    return tr(ENROLLMENT[enrollment.failure_key(exc)])


def source_words(source: str) -> str:
    return tr(SOURCES[source]) if source in SOURCES else source


def warning_words(key: str) -> str:
    return tr(WARNINGS[key]).replace("%1", QLocale().toString(MIN_DIGITS)) if key in WARNINGS else key
