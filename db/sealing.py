"""Sealed mode: the signer's fields are encrypted to a server's public key the moment they are saved,
so the device that collected them cannot read them back (SECURITY.md says what that protects).

Construction (written here and in SECURITY.md; change neither without the other):

* libsodium's sealed box (``crypto_box_seal``, via PyNaCl's ``SealedBox``): an ephemeral X25519 key
  pair per signature, X25519 with the recipient's public key, XSalsa20-Poly1305 with a nonce derived
  from both public keys (BLAKE2b). 48 bytes of overhead; only the holder of the private key opens it,
  and the sender's ephemeral secret is gone once the box is made.
* The plaintext is canonical JSON (sorted keys, UTF-8) ``{"v": 1, "id": <signature id>, "fields":
  {...}}``, padded with a ``"pad"`` member of spaces to a multiple of 512 bytes (so the box's length
  does not tell how long the details are). The id inside binds the box to its signature: a box copied
  onto another record does not open as that record's.
* The box is base64 (standard alphabet, padded) in the signature's ``sealed`` field, with the key's
  id (first 16 hex digits of the SHA-256 of the raw public key) in ``sealed_key``. The fields it holds
  are null in the record; the content hash covers the box, which is fixed at save time, so a retry is
  byte-identical.

Which key: :func:`key_for` applies the campaign's policy (``db.campaigns.Sealing``) to the keys this
device was given (the ``sealing_key`` table, filled from enrollment and sync).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import orjson

from db.fields import SIGNER_FIELDS

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from db.campaigns import Campaign
    from db.schemas import SignatureCreate

PAYLOAD_VERSION = 1
PAD_TO = 512
_PAD_FIELD = b',"pad":"'  # spaces to the next multiple of PAD_TO (ignored when opening)
SUITE = "libsodium crypto_box_seal: X25519 + XSalsa20-Poly1305, ephemeral sender key"

# Why a signature cannot be saved: the message keys the GUI translates (desktop/messages.py).
KEY_MISSING = "sealing_key_missing"


class SealingUnavailable(Exception):
    """A campaign that must seal has no key on this device: it cannot collect signatures here."""

    key = KEY_MISSING

    def __init__(self, slug: str):
        self.slug = slug
        super().__init__(f"campaign {slug!r} seals its signatures and this device holds no key for it: "
                         "enroll the device with the server, or install a bundle that carries the key")


class SealedOpenError(ValueError):
    """A sealed box that does not open with the given keys, or whose content is not a signature's."""


def key_id(public_key: bytes) -> str:
    return hashlib.sha256(public_key).hexdigest()[:16]


@dataclass(frozen=True)
class PublicKey:
    key_id: str
    raw: bytes

    @classmethod
    def from_b64(cls, text: str) -> PublicKey:
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError("a sealing key is base64") from exc
        if len(raw) != 32:
            raise ValueError("an X25519 public key has 32 bytes")
        return cls(key_id(raw), raw)

    @property
    def b64(self) -> str:
        return base64.b64encode(self.raw).decode("ascii")


def sealed_fields(*, clear_postal_code: bool) -> tuple[str, ...]:
    return tuple(n for n in SIGNER_FIELDS if not (clear_postal_code and n == "postal_code"))


def seal(record: SignatureCreate, key: PublicKey, *, clear_postal_code: bool = False) -> SignatureCreate:
    """``record`` with its signer's fields sealed to ``key`` (and set to null). Voids carry no personal
    data and are returned as they are."""
    from nacl.public import PublicKey as NaclPublicKey
    from nacl.public import SealedBox

    if record.voids is not None:
        return record
    names = sealed_fields(clear_postal_code=clear_postal_code)
    fields = {name: getattr(record, name) for name in names}
    if fields.get("partner_optins") is None:
        # added in API version 2: left out when empty, so a server from before it opens the box as before
        fields.pop("partner_optins", None)
    plaintext = orjson.dumps({"v": PAYLOAD_VERSION, "id": record.id, "fields": fields}, option=orjson.OPT_SORT_KEYS)
    # Padded to a multiple of PAD_TO bytes: the box's length must not tell how long a name is, or
    # whether there is a comment (a handwritten signature still shows as a much larger box).
    padding = -(len(plaintext) - 1 + len(_PAD_FIELD) + 2) % PAD_TO
    plaintext = plaintext[:-1] + _PAD_FIELD + b" " * padding + b'"}'
    box = SealedBox(NaclPublicKey(key.raw)).encrypt(plaintext)
    update: dict[str, Any] = dict.fromkeys(names)
    update.update(sealed=base64.b64encode(box).decode("ascii"), sealed_key=key.key_id)
    return record.model_copy(update=update)


def open_sealed(sealed: str, record_id: str, private_key: Any) -> dict[str, Any]:
    """The fields sealed in ``sealed`` for signature ``record_id``, with ``private_key`` (a PyNaCl
    ``PrivateKey``). Raises SealedOpenError when the box does not open or belongs to another record."""
    from nacl.exceptions import CryptoError
    from nacl.public import SealedBox

    try:
        plaintext = SealedBox(private_key).decrypt(base64.b64decode(sealed, validate=True))
        data = orjson.loads(plaintext)
    except (CryptoError, binascii.Error, ValueError, orjson.JSONDecodeError) as exc:
        raise SealedOpenError("the sealed data does not open with this key") from exc
    if not isinstance(data, dict) or data.get("v") != PAYLOAD_VERSION or not isinstance(data.get("fields"), dict):
        raise SealedOpenError("the sealed data is not a signature's fields")
    if data.get("id") != record_id:
        raise SealedOpenError("the sealed data belongs to another signature")
    fields = data["fields"]
    unknown = set(fields) - set(SIGNER_FIELDS)
    if unknown or not all(value is None or isinstance(value, str) for value in fields.values()):
        raise SealedOpenError("the sealed data holds unexpected fields")
    return dict(fields)


# -- the keys this device holds -----------------------------------------------------------------

def remember_keys(server_keys: list[dict[str, Any]], *, server_url: str | None, session: Session) -> PublicKey | None:
    """Keep the sealing key among a server's keys (enrollment answer, key refresh) and make it the
    active one; the caller commits. Returns the active key, None when the server sent no sealing key
    (keys already held are kept: a device that sealed never goes back to clear)."""
    from sqlalchemy import update

    from db import audit
    from db.models import SealingKey

    sealing = [k for k in server_keys if isinstance(k, dict) and k.get("purpose") == "sealing"]
    if not sealing:
        return None
    try:
        key = PublicKey.from_b64(str(sealing[-1].get("public_key", "")))
    except ValueError:
        return None  # a damaged answer or file: keep the keys already held
    row = session.get(SealingKey, key.key_id)
    if row is not None and row.active:
        return key
    session.execute(update(SealingKey).values(active=False))
    if row is None:
        session.add(SealingKey(key_id=key.key_id, public_key=key.b64, server_url=server_url, active=True,
                               added_at=datetime.now(UTC)))
    else:
        row.active = True
        session.add(row)
    audit.record("sealing_key", session=session, key_id=key.key_id, server_url=server_url)
    return key


def vouched_sealing_keys(answer: list[dict[str, Any]], signing_key_b64: str) -> list[dict[str, Any]]:
    """The sealing keys of a key refresh (``GET /keys``) that carry a valid signature by the server's
    signing key ``signing_key_b64``, the one pinned at enrollment. A key without one, or signed by
    anyone else, is dropped: otherwise whoever answers in the server's place (a hostile Wi-Fi on a
    plain-http local server) could make the device seal its signers to their own key."""
    import nacl.signing
    from nacl.exceptions import BadSignatureError

    from db.wire import sealing_key_statement

    try:
        verifier = nacl.signing.VerifyKey(base64.b64decode(signing_key_b64, validate=True))
    except (binascii.Error, ValueError, TypeError):
        return []
    vouched = []
    for key in answer:
        if not isinstance(key, dict) or key.get("purpose") != "sealing":
            continue
        public_key, signature = str(key.get("public_key", "")), str(key.get("signature") or "")
        try:
            raw = PublicKey.from_b64(public_key)
            verifier.verify(sealing_key_statement(raw.key_id, public_key), base64.b64decode(signature, validate=True))
        except (BadSignatureError, binascii.Error, ValueError, UnicodeEncodeError):
            continue
        vouched.append({**key, "key_id": raw.key_id})
    return vouched


# The active key, and whether there ever was one: columns the save path reads in its own statement.
HELD_COLUMNS = "(SELECT public_key FROM sealing_key WHERE active = 1 LIMIT 1), EXISTS (SELECT 1 FROM sealing_key)"
_HELD_SQL = f"SELECT {HELD_COLUMNS}"


def device_key(engine: Engine) -> tuple[PublicKey | None, bool]:
    """(the active sealing key, whether this device ever held one). Plain DBAPI: the save path."""
    raw = engine.raw_connection()
    try:
        return held_key(raw.cursor())
    finally:
        raw.close()


def held_key(cursor: Any) -> tuple[PublicKey | None, bool]:
    """:func:`device_key` on an open DBAPI cursor (inside the save's own transaction)."""
    return held_from(*cursor.execute(_HELD_SQL).fetchone())


def held_from(active: str | None, ever: int) -> tuple[PublicKey | None, bool]:
    """:func:`device_key` from the values of ``HELD_COLUMNS``."""
    if active is not None:
        return _public_key(active), True
    return None, bool(ever)


_KEYS: dict[str, PublicKey] = {}


def _public_key(text: str) -> PublicKey:
    key = _KEYS.get(text)
    if key is None:
        key = _KEYS[text] = PublicKey.from_b64(text)
    return key


def key_for(campaign: Campaign, held: PublicKey | None, *, ever_held: bool = False) -> PublicKey | None:
    """The key to seal ``campaign``'s signatures with on this device, None to save them in clear.
    Raises SealingUnavailable when the campaign must seal and there is no key."""
    policy = campaign.manifest.sealing
    mode = campaign.sealing_mode
    if mode == "off":
        return None
    if policy.public_key is not None:
        return PublicKey.from_b64(policy.public_key)
    if held is not None:
        return held
    if mode == "required" or ever_held:
        raise SealingUnavailable(campaign.slug)
    return None


def can_collect(campaign: Campaign, *, engine: Engine) -> bool:
    """False when ``campaign`` must seal and this device has no key for it (the letter page says why)."""
    held, ever = device_key(engine)
    try:
        key_for(campaign, held, ever_held=ever)
    except SealingUnavailable:
        return False
    return True


def prepare(record: SignatureCreate, campaign: Campaign, *, held: tuple[PublicKey | None, bool]) -> SignatureCreate:
    """The record as it must be stored for ``campaign`` on this device: sealed when the campaign's
    policy and the keys held (``held_key``/``held_from``) say so. Every save of a signer's data goes
    through here (db.signatures.save_record reads the keys inside its write transaction, so the key
    read is the key used)."""
    if record.voids is not None or record.sealed is not None:
        return record
    active, ever = held
    key = key_for(campaign, active, ever_held=ever)
    if key is None:
        return record
    return seal(record, key, clear_postal_code=campaign.manifest.sealing.clear_postal_code)
