"""Hand-off files: the device's unacknowledged signatures carried to its server on a USB stick when
there is no network, and the server's signed receipt carried back. Qt-free: the command line
(``petition-kiosk export --handoff``, ``import-receipt``) and the coordinator's panel call it. The two
containers are defined in ``db.wire`` (shared with the server's side, ``server/handoff.py``).

What goes into a file: every signature the server has not acknowledged that a sync would send now:

* ``pending``;
* ``sending``: a batch in flight or a sender that died; unacknowledged either way. The server stores
  each id once, so a signature that reaches it both by the network and by a file is stored once;
* ``needs_attention`` for a reason that may have gone away (the campaign or its version published,
  or the campaign reopened, since: ``db.quick.TRANSIENT_REASONS``), which sync offers again too.

Signatures whose mode the server's API version does not know (db.schemas.MODE_API_VERSION: mode
``phone`` needs version 2) are left out while the device knows its server speaks an older version (from
its last sync or enrollment): they stay pending and the export says how many. Otherwise they go in, and
the file's format version is then 2 (db.wire says why), which a server that reads only version 1
refuses whole, before storing anything, instead of refusing those signatures for good.

With them go the events they name (name, place and day, API version 2's DeviceEvent), so the server
can name the places of collection on the delivery's cover without waiting for a network sync; the file
is then of format version 3 (db.wire.HANDOFF_EVENTS_VERSION), which an older server refuses whole rather
than drop them. Left out while the device knows its server speaks API version 1 (it has no events):
the file stays the version such a server reads, and the events go with the next sync to a version-2 one.

Not: a conflict or a validation refusal (the server would refuse it again; the coordinator decides,
and "Send again" makes it pending, so the next file carries it), ``set_aside``, ``acked``.

Making a file changes no sync state: the signatures stay where they were until a receipt (or a sync)
says the server has them, so a file lost on the way loses nothing.

The file never holds personal data in clear. The whole payload (zlib-compressed canonical JSON) is one
libsodium sealed box to the server's X25519 sealing key that the device got at enrollment (or at a
later sync): one box rather than one per record, because then the file does not show how many
signatures it carries per campaign or how large each is, and 100,000 signatures cost one key exchange
instead of 100,000 (signatures already sealed at save time stay sealed inside it, as they are). A device
without its server's sealing key writes no file. The device signs the whole file with its Ed25519
enrollment key, so the server can tell a file altered on the way, or made by another device, before it
opens anything.

A receipt is applied only when its Ed25519 signature verifies with the server's signing key from this
device's enrollment, and it names this device. Its outcomes go through the same state transitions as a
sync's answers (``db.sync.store.apply_results``: claim to ``sending``, then ``acked`` or
``needs_attention`` with the reason), so the counts and the live count move exactly as after a sync. A
receipt that is refused changes nothing and is written to the audit log.
"""

from __future__ import annotations

import hashlib
import time
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy.engine import Engine
from sqlmodel import Session

from db import audit
from db.engine import immediate_cursor, write_session
from db.files import write_atomically
from db.quick import TRANSIENT_REASONS
from db.schemas import FIELD_API_VERSION, MODE_API_VERSION, WIRE_FIELDS, fields_beyond, modes_beyond
from db.sync import enrollment as enrollment_store
from db.sync import store
from db.sync.lock import SenderLock
from db.wire import (
    EVENTS_API_VERSION,
    HANDOFF_EVENTS_VERSION,
    HANDOFF_FORMAT,
    HANDOFF_SUFFIX,
    MAX_BATCH_SIGNATURES,
    RECEIPT_FORMAT,
    RECEIPT_VERSION,
    DeviceEvent,
    HandoffFormatError,
    HandoffHeader,
    HandoffReceipt,
    SignatureResult,
    handoff_signed_part,
    split_receipt,
)

COMPRESSION_LEVEL = 6  # zlib: 100,000 signatures in about a second, a fifth of their JSON (bench handoff)
LOCK_WAIT_S = 10.0  # a background sync run holds the sender lock for a moment at a time

# What can go wrong, as stable message keys (like db/sync/enrollment.py's): the panel translates them,
# the command line prints MESSAGES.
NOT_ENROLLED = "handoff_not_enrolled"
ENROLL_AGAIN = "handoff_enroll_again"
SERVER_KEYS_MISSING = "handoff_server_keys_missing"
BUSY = "handoff_busy"
RECEIPT_UNREADABLE = "receipt_unreadable"
RECEIPT_NEWER = "receipt_newer"
RECEIPT_FORGED = "receipt_forged"
RECEIPT_OTHER_SERVER = "receipt_other_server"
RECEIPT_OTHER_DEVICE = "receipt_other_device"

MESSAGES = {
    NOT_ENROLLED: "This device is not enrolled with a server. A hand-off file is made for one server: enroll "
                  "the device first.",
    ENROLL_AGAIN: "The server refused this device. Enroll it again before handing signatures over.",
    SERVER_KEYS_MISSING: "This device does not hold its server's encryption key, so it cannot write a hand-off "
                         "file. Sync once while online, or enroll the device again.",
    BUSY: "A sync is running. Try again when it has finished.",
    RECEIPT_UNREADABLE: "This file is not a receipt, or it is damaged. Nothing was changed.",
    RECEIPT_NEWER: "This receipt was made by a newer server. Update the app, then read it again.",
    RECEIPT_FORGED: "The receipt's signature does not verify with the server's key: it was altered or not made "
                    "by the server. Nothing was changed.",
    RECEIPT_OTHER_SERVER: "This receipt was signed by another server than the one this device is enrolled with. "
                          "Nothing was changed.",
    RECEIPT_OTHER_DEVICE: "This receipt is for another device. Nothing was changed.",
}


class HandoffError(Exception):
    """``str()`` is the English message; ``key`` is one of MESSAGES."""

    def __init__(self, key: str) -> None:
        super().__init__(MESSAGES[key])
        self.key = key


# States a receipt may move on (the rest, acked and set_aside, it leaves alone).
_OPEN_STATES = ("pending", "sending", "needs_attention")
_TRANSIENT = " OR ".join("sync_reason LIKE ?" for _ in TRANSIENT_REASONS)
_EXPORT_SQL = (
    f"SELECT {', '.join(WIRE_FIELDS)} FROM signature WHERE sync_state IN ('pending', 'sending') "
    f"OR (sync_state = 'needs_attention' AND ({_TRANSIENT})) ORDER BY seq"
)
_MODE_AT = WIRE_FIELDS.index("mode")
_EVENT_AT = WIRE_FIELDS.index("event_id")
_MODE_VERSION = {mode.value: version for mode, version in MODE_API_VERSION.items()}
_FIELD_VERSION = tuple((name, WIRE_FIELDS.index(name), v) for name, v in FIELD_API_VERSION.items())


def _key_id(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:16]


def _server_key(enrolled: enrollment_store.Enrollment, purpose: str) -> dict[str, Any] | None:
    """The server's key for ``purpose`` from the enrollment (the last one: a rotated sealing key is
    appended after the older one, as db.sealing.remember_keys reads it)."""
    keys = [k for k in enrolled.server_keys if isinstance(k, dict) and k.get("purpose") == purpose]
    return keys[-1] if keys else None


def _b64(text: Any) -> bytes:
    import base64
    import binascii

    try:
        raw = base64.b64decode(str(text), validate=True)
    except (binascii.Error, ValueError):
        raise HandoffError(SERVER_KEYS_MISSING) from None
    if len(raw) != 32:
        raise HandoffError(SERVER_KEYS_MISSING)
    return raw


def default_name(now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).astimezone().strftime("%Y-%m-%d-%H%M%S")
    return f"signatures-{stamp}{HANDOFF_SUFFIX}"


@dataclass(frozen=True)
class HandoffExport:
    path: Path | None  # None when nothing was waiting: no file is written
    file_id: str
    signatures: int
    size: int
    # Left out, per mode, because the server speaks an older API version than they need (they stay pending).
    held: dict[str, int] = field(default_factory=dict)
    server_api_version: int | None = None


def export_handoff(target: Path, *, data_dir: Path, engine: Engine, now: datetime | None = None) -> HandoffExport:
    """Write every unacknowledged signature into one hand-off file at ``target`` (a folder: a new file
    named by the time in it). Written atomically and owner-only; recorded in the audit log (the file
    id, how many, never what). Raises HandoffError."""
    import nacl.public

    data_dir = Path(data_dir)
    now = now or datetime.now(UTC)
    enrolled = enrollment_store.load(data_dir)
    if enrolled is None or not (data_dir / enrollment_store.KEY_FILE).exists():
        raise HandoffError(NOT_ENROLLED)
    if enrolled.needs_enrollment:
        raise HandoffError(ENROLL_AGAIN)
    signing, sealing = _server_key(enrolled, "signing"), _server_key(enrolled, "sealing")
    if signing is None or sealing is None:
        raise HandoffError(SERVER_KEYS_MISSING)
    server_signing = _b64(signing.get("public_key"))
    sealing_raw = _b64(sealing.get("public_key"))
    device_key = enrollment_store.signing_key(data_dir)

    raw = engine.raw_connection()
    try:
        rows = raw.cursor().execute(_EXPORT_SQL, list(TRANSIENT_REASONS)).fetchall()
    finally:
        raw.close()
    file_id = str(uuid.uuid4())
    held: dict[str, int] = {}
    if enrolled.api_version is not None:  # the server is known to speak an older version: they wait
        beyond = modes_beyond(enrolled.api_version)
        fields = [(name, WIRE_FIELDS.index(name)) for name in fields_beyond(enrolled.api_version)]
        kept = []
        for row in rows:
            reason = row[_MODE_AT] if row[_MODE_AT] in beyond else next(
                (name for name, at in fields if row[at] is not None), None)
            if reason is None:
                kept.append(row)
            else:
                held[reason] = held.get(reason, 0) + 1
        rows = kept
    if not rows:
        return HandoffExport(None, file_id, 0, 0, held, enrolled.api_version)
    # the oldest format that holds every value in it: a server from before version 2 reads a file without
    # phone signatures, and refuses one with them whole (instead of refusing them for good)
    version = max(max([_MODE_VERSION.get(row[_MODE_AT], max(_MODE_VERSION.values())),
                       *(v for name, at, v in _FIELD_VERSION if row[at] is not None)])
                  for row in rows)
    events = _events_named(engine, rows) if (enrolled.api_version or EVENTS_API_VERSION) >= EVENTS_API_VERSION else []
    if events:
        version = max(version, HANDOFF_EVENTS_VERSION)
    created = now.astimezone(UTC)
    envelope = orjson.dumps({"file_id": file_id, "device_id": enrolled.device_id, "created_at": created,
                             **({"events": events} if events else {})})
    payload = b"".join((envelope[:-1], b',"signatures":[',
                        b",".join(orjson.dumps(store.payload_from_row(row)) for row in rows), b"]}"))
    box = nacl.public.SealedBox(nacl.public.PublicKey(sealing_raw)).encrypt(zlib.compress(payload, COMPRESSION_LEVEL))
    del payload
    header = HandoffHeader(
        format=HANDOFF_FORMAT, version=version, file_id=file_id, device_id=enrolled.device_id,
        device_key_id=_key_id(bytes(device_key.verify_key)), server_url=enrolled.server_url,
        server_key_id=_key_id(server_signing), sealing_key_id=_key_id(sealing_raw), created_at=created,
        compression="zlib", encryption="crypto_box_seal", payload_bytes=len(box),
    )
    signed = handoff_signed_part(header, box)
    signature = device_key.sign(signed).signature
    path = Path(target)
    if path.is_dir():
        path = path / default_name(now)
    write_atomically(path, (signed, signature))
    with write_session(engine) as session:
        audit.record("handoff_export", session=session, file_id=file_id, device_id=enrolled.device_id,
                     signatures=len(rows), file=path.name, server_key_id=header.server_key_id)
        session.commit()
    return HandoffExport(path, file_id, len(rows), len(signed) + len(signature), held, enrolled.api_version)


def _events_named(engine: Engine, rows: list[Any]) -> list[dict[str, Any]]:
    """The events the file's signatures name, as the events route sends them (db.wire.DeviceEvent)."""
    from db import events as events_store

    named = {row[_EVENT_AT] for row in rows if row[_EVENT_AT]}
    if not named:
        return []
    with Session(engine) as session:
        found = events_store.by_ids(named, session=session)
        return [DeviceEvent(id=e.id, name=e.name, place=e.place, day=e.date).model_dump(mode="json") for e in found]


# -- the receipt ----------------------------------------------------------------------------------

@dataclass
class ReceiptImport:
    file_id: str
    created: int = 0  # acknowledged now, stored by this import
    duplicates: int = 0  # acknowledged now, the server had them already
    attention: int = 0  # refused by the server: needs attention, with its reason
    unchanged: int = 0  # already acknowledged (or set aside) here
    unknown: int = 0  # not on this device, or this device's content differs from what the server stored
    purged: int = 0  # personal data blanked by the retention purge that followed
    counts: dict[str, int] = field(default_factory=dict)  # the server's counts per outcome

    @property
    def acked(self) -> int:
        return self.created + self.duplicates


def _refuse(engine: Engine, key: str, path: Path, data: bytes, claimed: dict[str, Any] | None = None) -> HandoffError:
    """Log a refused receipt (what was refused and why; the file's hash, never its content) and return
    the error to raise."""
    detail: dict[str, Any] = {"reason": key, "file": path.name, "sha256": hashlib.sha256(data).hexdigest()}
    claimed_id = (claimed or {}).get("file_id")
    if isinstance(claimed_id, str) and len(claimed_id) <= 64:
        detail["claimed_file_id"] = claimed_id  # unverified: what the file says of itself
    with write_session(engine) as session:
        audit.record("handoff_receipt_refused", session=session, **detail)
        session.commit()
    return HandoffError(key)


def verify_receipt(data: bytes, *, data_dir: Path, engine: Engine, path: Path) -> HandoffReceipt:
    """The receipt in ``data`` once its signature verified with the enrolled server's signing key and it
    names this device. Raises HandoffError (logged in the audit log)."""
    import nacl.exceptions
    import nacl.signing

    enrolled = enrollment_store.load(Path(data_dir))
    if enrolled is None:
        raise _refuse(engine, NOT_ENROLLED, path, data)
    try:
        parts = split_receipt(data)
    except HandoffFormatError:
        raise _refuse(engine, RECEIPT_UNREADABLE, path, data) from None
    try:
        claimed = orjson.loads(parts.document)
    except orjson.JSONDecodeError:
        claimed = None
    if not isinstance(claimed, dict) or claimed.get("format") != RECEIPT_FORMAT:
        raise _refuse(engine, RECEIPT_UNREADABLE, path, data)
    signing = _server_key(enrolled, "signing")
    try:
        server_raw = _b64((signing or {}).get("public_key"))
    except HandoffError:
        raise _refuse(engine, SERVER_KEYS_MISSING, path, data, claimed) from None
    try:
        nacl.signing.VerifyKey(server_raw).verify(parts.signed, parts.signature)
    except nacl.exceptions.BadSignatureError:
        other = claimed.get("server_key_id") not in (None, _key_id(server_raw))
        raise _refuse(engine, RECEIPT_OTHER_SERVER if other else RECEIPT_FORGED, path, data, claimed) from None
    # Genuine from here on: the server signed these bytes.
    if isinstance(claimed.get("version"), int) and claimed["version"] > RECEIPT_VERSION:
        raise _refuse(engine, RECEIPT_NEWER, path, data, claimed)
    try:
        receipt = HandoffReceipt.model_validate(claimed)
    except ValueError:
        raise _refuse(engine, RECEIPT_UNREADABLE, path, data, claimed) from None
    if receipt.version != RECEIPT_VERSION:
        raise _refuse(engine, RECEIPT_UNREADABLE, path, data, claimed)
    if receipt.device_id != enrolled.device_id and not _exported_here(engine, receipt.file_id, receipt.device_id):
        raise _refuse(engine, RECEIPT_OTHER_DEVICE, path, data, claimed)
    return receipt


def _exported_here(engine: Engine, file_id: str, device_id: str) -> bool:
    """Whether this device made the file under an earlier enrollment (its device id then)."""
    with Session(engine) as session:
        entries = audit.recent(session=session, limit=100_000, kind="handoff_export")
    return any(e.detail.get("file_id") == file_id and e.detail.get("device_id") == device_id
               for e in entries)


def import_receipt(path: Path, *, data_dir: Path, engine: Engine, purge: bool = True,
                   now: datetime | None = None) -> ReceiptImport:
    """Apply a receipt: signatures the server stored become ``acked`` (when this device holds the same
    content), refused ones ``needs_attention`` with the server's reason; then, when any was acknowledged,
    the retention purge runs as after a sync. Raises HandoffError (a refused receipt changes nothing and
    is logged) and OSError (the file cannot be read)."""
    path = Path(path)
    data = path.read_bytes()
    receipt = verify_receipt(data, data_dir=Path(data_dir), engine=engine, path=path)
    lock = SenderLock(Path(data_dir))
    deadline = time.monotonic() + LOCK_WAIT_S
    while not lock.acquire():
        if time.monotonic() > deadline:
            raise HandoffError(BUSY)
        time.sleep(0.1)
    try:
        done = _apply(engine, receipt, now=now)
    finally:
        lock.release()
    with write_session(engine) as session:
        audit.record("handoff_receipt", session=session, file_id=receipt.file_id, acked=done.acked,
                     created=done.created, duplicates=done.duplicates, attention=done.attention,
                     unchanged=done.unchanged, unknown=done.unknown)
        session.commit()
    if purge and done.acked:
        from db import retention
        from db import settings as settings_store

        with Session(engine) as session:
            days = settings_store.effective(session=session).retention_days
        done.purged = retention.purge(engine=engine, data_dir=Path(data_dir), retention_days=days,
                                      reason="after receipt").purged
    return done


def _apply(engine: Engine, receipt: HandoffReceipt, *, now: datetime | None) -> ReceiptImport:
    """Chunk by chunk, as sync applies a batch's answer: claim the rows the receipt may move (commit
    ``sending``), then ``store.apply_results`` (commit ``acked`` / ``needs_attention`` and move the
    server's recorded counts by what was acknowledged). Call holding the sender lock."""
    done = ReceiptImport(file_id=receipt.file_id, counts=dict(receipt.counts))
    seen: set[str] = set()
    entries = []
    for entry in receipt.results:
        if entry.id is None or entry.id in seen:
            done.unknown += entry.id is None
            continue
        seen.add(entry.id)
        entries.append(entry)
    for start in range(0, len(entries), MAX_BATCH_SIGNATURES):
        chunk = entries[start:start + MAX_BATCH_SIGNATURES]
        marks = ", ".join("?" for _ in chunk)
        batch = store.Batch(ids=[], parts=[], last_seq=0)
        results: list[SignatureResult] = []
        with immediate_cursor(engine) as cursor:
            held = {row[0]: row[1:] for row in cursor.execute(
                f"SELECT id, campaign_slug, voids, content_hash, sync_state FROM signature WHERE id IN ({marks})",
                [e.id for e in chunk]).fetchall()}
            for entry in chunk:
                row = held.get(entry.id)
                if row is None or (entry.outcome.is_success and entry.content_hash != row[2]):
                    done.unknown += 1
                elif row[3] not in _OPEN_STATES:
                    done.unchanged += 1
                else:
                    assert entry.id is not None
                    batch.ids.append(entry.id)
                    batch.slugs[entry.id] = (row[0], -1 if row[1] else 1)
                    results.append(SignatureResult(id=entry.id, index=len(results), outcome=entry.outcome,
                                                   reason=entry.reason, field=entry.field))
            if batch.ids:
                cursor.execute(f"UPDATE signature SET sync_state = 'sending' WHERE id IN "
                               f"({', '.join('?' for _ in batch.ids)})", batch.ids)
        if results:
            applied = store.apply_results(engine, batch, results, None, now=now)
            done.created += applied.created
            done.duplicates += applied.duplicates
            done.attention += applied.attention
    return done
