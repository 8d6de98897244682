"""The server's sealing keys: X25519 key pairs whose public halves devices seal signers' fields to
(``db/sealing.py``), and whose private halves open them again for ``export`` and ``stats --dedupe``.

A private key is never stored in clear, only encrypted under the operator's passphrase (parameters
written here and in SECURITY.md; change neither without the other):

* KDF: Argon2id v1.3 (libsodium ``crypto_pwhash_argon2id`` via PyNaCl), a 16-byte random salt per
  key, 32-byte output. The cost is stored with each key: ``moderate`` (opslimit 3, memlimit 256 MiB,
  the default), ``interactive`` (2, 64 MiB) or ``sensitive`` (4, 1 GiB).
* Cipher: XSalsa20-Poly1305 (libsodium ``crypto_secretbox`` via ``nacl.secret.SecretBox``) with a
  random 24-byte nonce; the box holds the raw 32-byte private key. A box that does not authenticate
  means a wrong passphrase; a key that opens but whose public half is not the stored one is refused
  too (a row tampered with in the database).
* The passphrase is NFC-normalised and UTF-8 encoded first, so the same words typed on another
  system unlock the same keys. New passphrases have at least 12 characters.

Every key ever made stays (signatures sealed to it must stay readable); one is ``active``: the key
handed to devices at enrollment, by ``GET /api/v1/keys`` and in the bundles this server publishes.
``rotate`` and ``change_passphrase`` need the passphrase to unlock every key first, so all keys are
always under one passphrase. Nothing here logs a passphrase or a private key.
"""

from __future__ import annotations

import base64
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import nacl.pwhash.argon2id as argon2id
import nacl.utils
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey
from nacl.secret import SecretBox
from sqlalchemy import func, update
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from db.sealing import PublicKey, SealedOpenError, key_id, open_sealed
from server.models import SealingKeyRow, StoredSignature

ALGORITHM = "X25519"
KDF = "argon2id13"
KdfCost = Literal["interactive", "moderate", "sensitive"]
KDF_COSTS: dict[str, tuple[int, int]] = {
    "interactive": (argon2id.OPSLIMIT_INTERACTIVE, argon2id.MEMLIMIT_INTERACTIVE),
    "moderate": (argon2id.OPSLIMIT_MODERATE, argon2id.MEMLIMIT_MODERATE),
    "sensitive": (argon2id.OPSLIMIT_SENSITIVE, argon2id.MEMLIMIT_SENSITIVE),
}
DEFAULT_COST: KdfCost = "moderate"
MIN_PASSPHRASE_CHARS = 12

# Why a sealed signature did not open (export and dedupe report these per signature).
UNKNOWN_KEY = "unknown_key"  # sealed to a key this server does not hold
DOES_NOT_OPEN = "does_not_open"  # the key is held, but the box does not open as this signature's


class SealingKeyError(Exception):
    """A key operation that cannot be done as asked (no key yet, already made, weak passphrase)."""


class WrongPassphrase(SealingKeyError):
    """The passphrase does not unlock the server's sealing keys."""

    def __init__(self) -> None:
        super().__init__("the passphrase does not unlock the server's sealing keys")


@dataclass(frozen=True)
class KeyInfo:
    key_id: str
    public_key: str
    active: bool


def _passphrase_bytes(passphrase: str) -> bytes:
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def _check_new_passphrase(passphrase: str) -> None:
    if len(unicodedata.normalize("NFC", passphrase)) < MIN_PASSPHRASE_CHARS:
        raise SealingKeyError(f"a passphrase has at least {MIN_PASSPHRASE_CHARS} characters")


def _box_key(passphrase: str, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    return bytes(argon2id.kdf(SecretBox.KEY_SIZE, _passphrase_bytes(passphrase), salt,
                              opslimit=opslimit, memlimit=memlimit))


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _wrap(private: PrivateKey, passphrase: str, cost: str) -> dict[str, Any]:
    """The encrypted-private-key columns of a row for ``private``."""
    opslimit, memlimit = KDF_COSTS[cost]
    salt = nacl.utils.random(argon2id.SALTBYTES)
    box = SecretBox(_box_key(passphrase, salt, opslimit, memlimit)).encrypt(bytes(private))
    return {"private_key_box": _b64(bytes(box)), "kdf": KDF, "kdf_salt": _b64(salt),
            "kdf_opslimit": opslimit, "kdf_memlimit": memlimit}


def _unwrap(row: SealingKeyRow, passphrase: str) -> PrivateKey | None:
    """The row's private key, None when the passphrase does not open it."""
    if row.kdf != KDF:
        raise SealingKeyError(f"key {row.key_id} uses an unknown KDF {row.kdf!r}")
    key = _box_key(passphrase, base64.b64decode(row.kdf_salt), row.kdf_opslimit, row.kdf_memlimit)
    try:
        raw = SecretBox(key).decrypt(base64.b64decode(row.private_key_box))
    except CryptoError:
        return None
    private = PrivateKey(raw)
    if _b64(bytes(private.public_key)) != row.public_key:
        raise SealingKeyError(f"key {row.key_id}: its private half does not match its public key")
    return private


def _new_row(passphrase: str, cost: str, *, active: bool) -> SealingKeyRow:
    private = PrivateKey.generate()
    public = bytes(private.public_key)
    return SealingKeyRow(key_id=key_id(public), algorithm=ALGORITHM, public_key=_b64(public),
                         active=active, **_wrap(private, passphrase, cost))


def _rows(session: Session) -> list[SealingKeyRow]:
    return list(session.exec(select(SealingKeyRow).order_by(col(SealingKeyRow.created_at), col(SealingKeyRow.key_id))))


def _info(row: SealingKeyRow) -> KeyInfo:
    return KeyInfo(row.key_id, row.public_key, row.active)


def create(passphrase: str, *, session: Session, cost: str = DEFAULT_COST) -> KeyInfo:
    """Make the server's first sealing key (active). The caller commits."""
    _check_new_passphrase(passphrase)
    if session.exec(select(SealingKeyRow.key_id).limit(1)).first() is not None:
        raise SealingKeyError("this server already has a sealing key: use `petition-server keys rotate`")
    row = _new_row(passphrase, cost, active=True)
    session.add(row)
    session.flush()
    return _info(row)


def rotate(passphrase: str, *, session: Session, cost: str = DEFAULT_COST) -> KeyInfo:
    """Make a new active key; the old ones stay for the signatures sealed to them. The passphrase must
    unlock every existing key, so that all keys stay under the one passphrase. The caller commits."""
    if not _rows(session):
        raise SealingKeyError("this server has no sealing key yet: use `petition-server keys init`")
    unlock(passphrase, session=session)
    session.execute(update(SealingKeyRow).values(active=False))
    row = _new_row(passphrase, cost, active=True)
    session.add(row)
    session.flush()
    return _info(row)


def unlock(passphrase: str, *, session: Session) -> dict[str, PrivateKey]:
    """Every sealing key's private half, by key id. Raises WrongPassphrase unless the passphrase opens
    them all (an empty dict when the server has no key)."""
    keys: dict[str, PrivateKey] = {}
    for row in _rows(session):
        private = _unwrap(row, passphrase)
        if private is None:
            raise WrongPassphrase()
        keys[row.key_id] = private
    return keys


def change_passphrase(old: str, new: str, *, session: Session, cost: str = DEFAULT_COST) -> int:
    """Re-encrypt every key under ``new`` (fresh salt each); returns how many. The caller commits."""
    _check_new_passphrase(new)
    keys = unlock(old, session=session)
    if not keys:
        raise SealingKeyError("this server has no sealing key yet: use `petition-server keys init`")
    for row in _rows(session):
        for name, value in _wrap(keys[row.key_id], new, cost).items():
            setattr(row, name, value)
        session.add(row)
    session.flush()
    return len(keys)


# Read for every signature made on the web page (server/web_sign.py): the column alone, with a statement
# built once, and each key decoded once per process (keys never change; which one is active may).
_ACTIVE_PUBLIC_KEY = select(SealingKeyRow.public_key).where(col(SealingKeyRow.active).is_(True))
_decoded: dict[str, PublicKey] = {}


def active_public_key(*, session: Session | Connection) -> PublicKey | None:
    return public_key_of(session.execute(_ACTIVE_PUBLIC_KEY).scalar())


def public_key_of(b64: str | None) -> PublicKey | None:
    """A stored public key (base64, as the ``sealing_key`` table holds it), decoded once per process."""
    if b64 is None:
        return None
    key = _decoded.get(b64)
    if key is None:
        key = _decoded[b64] = PublicKey.from_b64(b64)
    return key


def key_ids(*, session: Session) -> frozenset[str]:
    """Every sealing key id this server holds: a sealed signature naming another is refused at ingest."""
    return frozenset(session.exec(select(SealingKeyRow.key_id)).all())


def all_keys(*, session: Session) -> list[SealingKeyRow]:
    """Every key, oldest first (for ``keys list``; the private halves stay encrypted)."""
    return _rows(session)


def signatures_per_key(*, session: Session) -> dict[str, int]:
    """How many stored signatures are sealed to each key id."""
    rows = session.exec(
        select(StoredSignature.sealed_key, func.count())
        .where(col(StoredSignature.sealed_key).is_not(None)).group_by(col(StoredSignature.sealed_key))
    ).all()
    return {str(k): int(n) for k, n in rows}


def open_fields(sealed: str, record_id: str, sealed_key: str | None,
                keys: Mapping[str, PrivateKey]) -> dict[str, Any] | str:
    """The fields sealed in a stored signature, or why they did not open (UNKNOWN_KEY, DOES_NOT_OPEN)."""
    private = keys.get(sealed_key or "")
    if private is None:
        return UNKNOWN_KEY
    try:
        return open_sealed(sealed, record_id, private)
    except SealedOpenError:
        return DOES_NOT_OPEN


# The same construction for a partner's private key file (server/partners.py, SECURITY.md): one way to
# put an X25519 private key under a passphrase.
check_new_passphrase = _check_new_passphrase
b64 = _b64
wrap = _wrap
unwrap = _unwrap
