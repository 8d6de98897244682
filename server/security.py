"""Secrets: enrollment codes, bearer tokens, the server's Ed25519 signing key, and the public keys
devices are given (the sealing keys themselves are in ``server.sealing``).

Codes and tokens are stored only as SHA-256 hashes. A token has 256 random bits, so an unsalted hash is
as strong as the token; a code has about 59 bits, lives 24 hours, works once, and enrollment attempts
are rate-limited, so guessing it online is hopeless and a stolen database gives nothing still valid.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

import nacl.encoding
import nacl.signing
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session

from db.wire import CODE_ALPHABET, CODE_LENGTH, ServerKey, normalise_code, sealing_key_statement
from server import sealing
from server.models import ServerKeyRow

SIGNING = "signing"


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def code_hash(code: str) -> str:
    return sha256_hex("enroll:" + normalise_code(code))


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return sha256_hex("token:" + token)


def hashes_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def decode_public_key(text: str) -> bytes:
    """A raw 32-byte Ed25519 public key from base64 (standard or URL-safe); ValueError otherwise."""
    cleaned = text.strip()
    try:
        raw = base64.b64decode(cleaned + "=" * (-len(cleaned) % 4), altchars=b"-_" if "-" in cleaned or "_" in cleaned else None, validate=True)
    except (ValueError, TypeError) as exc:
        raise ValueError("not base64") from exc
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key has 32 bytes")
    try:
        nacl.signing.VerifyKey(raw)
    except Exception as exc:  # pragma: no cover - PyNaCl accepts any 32 bytes today
        raise ValueError("not an Ed25519 public key") from exc
    return raw


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def key_id(public_key: bytes) -> str:
    return hashlib.sha256(public_key).hexdigest()[:16]


def ensure_signing_key(engine: Engine) -> ServerKeyRow:
    """The server's Ed25519 signing key, made on first use. Racing workers insert with ON CONFLICT DO
    NOTHING, so exactly one key wins and everyone reads that one.

    Called inside other sessions (enrollment answers with the public key), so it takes no writer
    lock of its own: a read, and only on the very first start a write-first insert."""
    with Session(engine, expire_on_commit=False) as session:
        row = session.get(ServerKeyRow, SIGNING)
    if row is not None:
        return row
    with Session(engine, expire_on_commit=False) as session:  # write-first: no read snapshot before it
        key = nacl.signing.SigningKey.generate()
        values = {
            "purpose": SIGNING,
            "algorithm": "Ed25519",
            "public_key": b64(bytes(key.verify_key)),
            "private_key": b64(bytes(key)),
        }
        dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
        table = ServerKeyRow.__table__  # type: ignore[attr-defined]
        from server.models import utcnow

        session.execute(dialect.insert(table).values(**values, created_at=utcnow()).on_conflict_do_nothing())
        session.commit()
        row = session.get(ServerKeyRow, SIGNING)
        assert row is not None
        return row


def signing_key(engine: Engine) -> nacl.signing.SigningKey:
    row = ensure_signing_key(engine)
    return nacl.signing.SigningKey(base64.b64decode(row.private_key))


def public_keys(engine: Engine) -> list[ServerKey]:
    """The server's public keys as devices learn them: the signing key, then the active sealing key
    (when the operator made one; ``db.sealing.remember_keys`` takes the last sealing key as active)."""
    row = ensure_signing_key(engine)
    raw = base64.b64decode(row.public_key)
    keys = [ServerKey(purpose="signing", algorithm=row.algorithm, key_id=key_id(raw), public_key=row.public_key)]
    with Session(engine) as session:
        active = sealing.active_public_key(session=session)
    if active is not None:
        # Signed with the signing key devices pin at enrollment: a device takes a rotated sealing key
        # only from its own server, never from whoever sits on the connection.
        statement = sealing_key_statement(active.key_id, active.b64)
        signature = nacl.signing.SigningKey(base64.b64decode(row.private_key)).sign(statement).signature
        keys.append(ServerKey(purpose="sealing", algorithm=sealing.ALGORITHM, key_id=active.key_id,
                              public_key=active.b64, signature=b64(signature)))
    return keys
