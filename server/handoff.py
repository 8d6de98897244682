"""Importing a device's hand-off file (``petition-server import-handoff``) and signing its receipt.

The file (``db.wire`` describes it; the device writes it in ``db/sync/handoff.py``) is checked in this
order, and nothing is stored unless every check passes:

1. it reads as a hand-off file of a version this server knows, not cut short or extended;
2. it was made for this server: the header names this server's Ed25519 signing key;
3. it names a device this server enrolled and has not revoked;
4. the device's Ed25519 signature over the whole file verifies with the public key the device sent at
   enrollment: a file altered on the way, or made by anyone else, stops here. None of this needs the
   passphrase;
5. the payload is sealed to one of this server's sealing keys and opens with the operator's passphrase,
   and the signatures inside name the same file and device as the header.

The signatures are then stored by ``server.ingest.ingest``, the batch upload's own function, in batches
of the API's size: the same validation, the same idempotency (an id is stored once; the same content
again is ``duplicate``, other content ``conflict``), so importing a file twice, or a file whose
signatures also came over the network, stores nothing twice.

The events the signatures name (format version 3) are stored as the events route stores them
(``server.events.store_events``): as the file's device's own, keyed by device and event id, so a file
can neither change nor hide another device's events; an event that does not validate is left out and
counted, and never stops the signatures. A file of an older version has none, and is read as before.

A file cannot measure the device's clock (it may have travelled for days): its signatures are stored
with a clock offset of 0 (no correction of their signing times) and the device keeps the offset measured
at its last upload. The device's last contact becomes the time of the import.

The receipt names each signature's id, the SHA-256 of the content the server stores under it (for
``created`` and ``duplicate``) and the outcome with its reason, and is signed with the server's Ed25519
signing key, the key devices get at enrollment. It holds no personal data.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import nacl.exceptions
import nacl.signing
import orjson
from nacl.public import PrivateKey, SealedBox
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from db.files import write_atomically
from db.schemas import as_utc
from db.wire import (
    API_VERSION,
    EVENTS_API_VERSION,
    HANDOFF_SUFFIX,
    HANDOFF_VERSION,
    MAX_BATCH_SIGNATURES,
    RECEIPT_FORMAT,
    RECEIPT_SUFFIX,
    RECEIPT_VERSION,
    DeviceEvent,
    DeviceEventsResult,
    HandoffFormatError,
    HandoffHeader,
    HandoffReceipt,
    Outcome,
    ReceiptEntry,
    SignatureResult,
    pack_receipt,
    receipt_signed_part,
    split_handoff,
)
from server import events, sealing, security
from server.database import write_session
from server.ingest import ingest
from server.models import Device, StoredSignature, utcnow

# A signed file from an enrolled device is trusted not to be a decompression bomb, but a bound keeps a
# compromised device from exhausting the server's memory: 100,000 signatures with handwriting are far less.
MAX_PAYLOAD_BYTES = 2 * 1024**3


class HandoffRefused(Exception):
    """The file is not imported; ``str()`` says why, for the operator."""


@dataclass(frozen=True)
class CheckedFile:
    """A hand-off file whose signature verified with its device's key; its payload is still sealed."""

    header: HandoffHeader
    box: bytes
    device_name: str


def check(data: bytes, *, engine: Engine, data_dir: Path | None = None,
          max_version: int = HANDOFF_VERSION) -> CheckedFile:
    """Steps 1 to 4 (and that the payload's sealing key is held). Raises HandoffRefused. ``data_dir``
    (its key file) is needed only on a server that never started, to make its signing key. A server
    speaking an older API version reads older formats only (``max_version``: db.wire's
    handoff_version_read, and HANDOFF_VERSION says why), and refuses newer ones whole, as a server of that
    version does."""
    try:
        parts = split_handoff(data, max_version)
    except HandoffFormatError as exc:
        raise HandoffRefused(str(exc)) from None
    header = parts.header
    own = security.ensure_signing_key(engine, data_dir)
    own_id = security.key_id(security.decode_public_key(own.public_key))
    if header.server_key_id != own_id:
        raise HandoffRefused(
            f"this hand-off file was made for another server ({header.server_url}, signing key "
            f"{header.server_key_id}); this server's signing key is {own_id}. Import it on the server the "
            "device is enrolled with.")
    with Session(engine) as session:
        device = session.get(Device, header.device_id)
        held = sealing.key_ids(session=session)
    if device is None or device.public_key is None:
        raise HandoffRefused(f"device {header.device_id} is not enrolled with this server: its files are refused")
    if device.revoked_at is not None:
        raise HandoffRefused(f"device {device.name!r} ({device.id}) was revoked on "
                             f"{as_utc(device.revoked_at):%Y-%m-%d %H:%M} UTC: its files are refused")
    try:
        key = nacl.signing.VerifyKey(security.decode_public_key(device.public_key))
        key.verify(parts.signed, parts.signature)
    except (nacl.exceptions.BadSignatureError, ValueError):
        raise HandoffRefused(
            f"the hand-off file's signature does not verify with the key of device {device.name!r} "
            f"({device.id}): the file was altered after the device wrote it, or another device made it. "
            "Nothing was imported.") from None
    if header.sealing_key_id not in held:
        raise HandoffRefused(f"the file is sealed to key {header.sealing_key_id}, which this server does not hold "
                             "(see `petition-server keys list`)")
    return CheckedFile(header, parts.box, device.name)


@dataclass(frozen=True)
class Payload:
    """What a hand-off file carries, as sent: wire payloads of signatures, and (format version 3) the
    events they name, unvalidated."""

    signatures: list[Any]
    events: list[Any]


def open_payload(checked: CheckedFile, keys: Mapping[str, PrivateKey]) -> Payload:
    """Step 5: the signatures and events inside, as sent. Raises HandoffRefused."""
    header = checked.header
    private = keys.get(header.sealing_key_id)
    if private is None:
        raise HandoffRefused(f"the sealing key {header.sealing_key_id} is not unlocked")
    try:
        compressed = SealedBox(private).decrypt(checked.box)
    except nacl.exceptions.CryptoError:
        raise HandoffRefused("the payload does not open with the server's sealing key") from None
    inflater = zlib.decompressobj()
    try:
        payload = inflater.decompress(compressed, MAX_PAYLOAD_BYTES)
    except zlib.error:
        raise HandoffRefused("the payload is damaged (it does not decompress)") from None
    if inflater.unconsumed_tail or not inflater.eof:
        raise HandoffRefused("the payload is larger than this server accepts, or cut short")
    del compressed
    try:
        document = orjson.loads(payload)
    except orjson.JSONDecodeError:
        raise HandoffRefused("the payload is damaged (not JSON)") from None
    if (not isinstance(document, dict) or document.get("file_id") != header.file_id
            or document.get("device_id") != header.device_id or not isinstance(document.get("signatures"), list)
            or not isinstance(document.get("events", []), list)):
        raise HandoffRefused("the payload does not belong to this file's header")
    return Payload(list(document["signatures"]), list(document.get("events", [])))


@dataclass(frozen=True)
class ImportReport:
    header: HandoffHeader
    device_name: str
    counts: dict[str, int]
    receipt: HandoffReceipt
    receipt_bytes: bytes  # the signed receipt file
    events: DeviceEventsResult = field(default_factory=lambda: DeviceEventsResult(created=0, updated=0, unchanged=0))
    events_invalid: int = 0  # events in the file that did not validate: left out

    @property
    def complete(self) -> bool:
        """Every signature is stored (created now or before)."""
        return all(r.outcome.is_success for r in self.receipt.results)


def load(engine: Engine, checked: CheckedFile, payload: Payload, *, data_dir: Path,
         now: datetime | None = None, api_version: int = API_VERSION) -> ImportReport:
    """Store the signatures through ``ingest`` (the batch upload's rules) and the events as the events
    route does, and make the signed receipt."""
    header = checked.header
    items = payload.signatures
    received = now or utcnow()
    with Session(engine) as session:
        kept_offset = session.exec(
            select(Device.last_clock_offset_ms).where(col(Device.id) == header.device_id)).first()
    entries: list[ReceiptEntry] = []
    counts: dict[str, int] = {o.value: 0 for o in Outcome}
    for start in range(0, len(items), MAX_BATCH_SIGNATURES):
        answer = ingest(engine, header.device_id, received, items[start:start + MAX_BATCH_SIGNATURES], now=received,
                        api_version=api_version)
        entries += _entries(engine, header.device_id, answer.results)
        for name, n in answer.counts.items():
            counts[name] = counts.get(name, 0) + n
    valid, invalid = _valid_events(payload.events) if api_version >= EVENTS_API_VERSION else ([], 0)
    with write_session(engine) as session:  # a file measures no clock: keep the last measured offset
        session.execute(update(Device).where(col(Device.id) == header.device_id)
                        .values(last_clock_offset_ms=kept_offset))
        stored = events.store_events(header.device_id, valid, session=session)  # the file's device's own
        session.commit()
    receipt = HandoffReceipt(
        format=RECEIPT_FORMAT, version=RECEIPT_VERSION, file_id=header.file_id, device_id=header.device_id,
        server_key_id=header.server_key_id, imported_at=received, counts=counts, results=entries,
    )
    signature = security.signing_key(engine, data_dir).sign(receipt_signed_part(receipt)).signature
    return ImportReport(header, checked.device_name, counts, receipt, pack_receipt(receipt, signature), stored, invalid)


def _valid_events(raw: list[Any]) -> tuple[list[DeviceEvent], int]:
    """The events that validate as the events route's (DeviceEvent), and how many did not."""
    valid = []
    for item in raw:
        try:
            valid.append(DeviceEvent.model_validate(item))
        except ValueError:  # pydantic's ValidationError is one
            continue
    return valid, len(raw) - len(valid)


def _entries(engine: Engine, device_id: str, results: list[SignatureResult]) -> list[ReceiptEntry]:
    """Receipt entries for one batch's results, with the content hash the server stores for each success
    (under the id of this device: ids are scoped to their device)."""
    stored_ids = [r.id for r in results if r.outcome.is_success and r.id is not None]
    hashes: dict[str, str] = {}
    if stored_ids:
        table = StoredSignature.__table__  # type: ignore[attr-defined]
        with engine.connect() as conn:
            hashes.update((row[0], row[1]) for row in conn.execute(
                select(table.c.id, table.c.content_hash).where(table.c.device_id == device_id,
                                                               table.c.id.in_(stored_ids))))
    return [ReceiptEntry(id=r.id, content_hash=hashes.get(r.id) if r.outcome.is_success and r.id else None,
                         outcome=r.outcome, reason=r.reason, field=r.field) for r in results]


def receipt_path(handoff_file: Path) -> Path:
    """Next to the file: ``x.handoff`` → ``x.receipt``, any other name gets ``.receipt`` added."""
    handoff_file = Path(handoff_file)
    if handoff_file.suffix == HANDOFF_SUFFIX:
        return handoff_file.with_suffix(RECEIPT_SUFFIX)
    return handoff_file.with_name(handoff_file.name + RECEIPT_SUFFIX)


def write_receipt(path: Path, data: bytes) -> None:
    write_atomically(Path(path), data)
