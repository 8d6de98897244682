"""Secrets: enrollment codes, bearer tokens, the server's Ed25519 signing key, and the public keys
devices are given (the sealing keys themselves are in ``server.sealing``).

Codes and tokens are stored only as SHA-256 hashes. A token has 256 random bits, so an unsalted hash is
as strong as the token; a code has about 59 bits, lives 24 hours, works once, and enrollment attempts
are rate-limited, so guessing it online is hopeless and a stolen database gives nothing still valid.

The server's own secret keys (the Ed25519 signing key here, the forms' CSRF key in ``server.web``) are
stored in the database encrypted (``secretbox:`` + libsodium secretbox, XSalsa20-Poly1305) under a
random 32-byte key kept **outside** the database, in the data folder: ``server-keys.secret``,
owner-only. A copy of the database alone opens neither. Keys stored in clear by an older version are
encrypted at start-up (``seal_clear_keys``). Every host serving one database needs the same file.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import secrets
from pathlib import Path

import nacl.encoding
import nacl.exceptions
import nacl.secret
import nacl.signing
from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from db.wire import CODE_ALPHABET, CODE_LENGTH, ServerKey, normalise_code, sealing_key_statement
from server import sealing
from server.database import write_session
from server.models import ServerKeyRow, utcnow

SIGNING = "signing"
KEY_FILE = "server-keys.secret"  # in the data folder: the key the stored secret keys are encrypted under
SEALED_PREFIX = "secretbox:"


class ServerKeyFileError(RuntimeError):
    """The stored keys do not open with this data folder's key file (another host's, or lost)."""


def key_file(data_dir: Path) -> Path:
    return Path(data_dir) / KEY_FILE


def _wrapping_key(data_dir: Path, *, create: bool = True) -> bytes:
    """The data folder's key file, made on first use when ``create`` (owner-only; racing workers keep
    the first). Opening a stored key never makes one: that would only hide the missing file."""
    path = key_file(data_dir)
    try:
        return _read_key_file(path)
    except FileNotFoundError:
        if not create:
            raise ServerKeyFileError(
                f"the server's keys in the database are encrypted, and {path} is missing: give this command the "
                "serving host's --data-dir, or copy its key file here") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(b64(secrets.token_bytes(nacl.secret.SecretBox.KEY_SIZE)) + "\n")
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(scratch, path)  # never replaces a key file another worker wrote first
    finally:
        scratch.unlink(missing_ok=True)
    return _read_key_file(path)


def _read_key_file(path: Path) -> bytes:
    raw = base64.b64decode(path.read_text(encoding="ascii").strip())
    if len(raw) != nacl.secret.SecretBox.KEY_SIZE:
        raise ServerKeyFileError(f"{path} is not a key file of this server (not 32 bytes)")
    return raw


def seal_secret(raw: bytes, data_dir: Path) -> str:
    """A secret key as stored in ``server_key.private_key``: encrypted under the data folder's key file."""
    return SEALED_PREFIX + b64(nacl.secret.SecretBox(_wrapping_key(data_dir)).encrypt(raw))


def open_secret(stored: str, data_dir: Path) -> bytes:
    """A stored secret key in the clear; one stored by an older version in clear is read as it is."""
    if not stored.startswith(SEALED_PREFIX):
        return base64.b64decode(stored)
    try:
        return nacl.secret.SecretBox(_wrapping_key(data_dir, create=False)).decrypt(base64.b64decode(stored[len(SEALED_PREFIX):]))
    except nacl.exceptions.CryptoError:
        raise ServerKeyFileError(
            f"the server's keys in the database do not open with {key_file(data_dir)}: copy the key file of the "
            "host that made them into this data folder") from None


def seal_clear_keys(engine: Engine, data_dir: Path) -> int:
    """Encrypt every secret key an older version stored in clear (at start-up); how many were."""
    with write_session(engine) as session:  # read, then write: the writer's lock from the start
        rows = [(row.purpose, row.private_key) for row in session.exec(select(ServerKeyRow))]
        table = ServerKeyRow.__table__  # type: ignore[attr-defined]
        done = 0
        for purpose, stored in rows:
            if stored and not stored.startswith(SEALED_PREFIX):
                sealed = seal_secret(base64.b64decode(stored), data_dir)
                done += session.connection().execute(update(table).where(table.c.purpose == purpose, table.c.private_key == stored)
                                        .values(private_key=sealed)).rowcount
        session.commit()
    return done


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


def ensure_signing_key(engine: Engine, data_dir: Path | None = None) -> ServerKeyRow:
    """The server's Ed25519 signing key, made on first use (which needs ``data_dir``, for its key file).
    Racing workers insert with ON CONFLICT DO NOTHING, so exactly one key wins and everyone reads that one.

    Called inside other sessions (enrollment answers with the public key), so it takes no writer
    lock of its own: a read, and only on the very first start a write-first insert."""
    with Session(engine, expire_on_commit=False) as session:
        row = session.get(ServerKeyRow, SIGNING)
    if row is not None:
        return row
    if data_dir is None:
        raise ServerKeyFileError("this server has no signing key yet: start it once (petition-server serve)")
    with Session(engine, expire_on_commit=False) as session:  # write-first: no read snapshot before it
        key = nacl.signing.SigningKey.generate()
        values = {
            "purpose": SIGNING,
            "algorithm": "Ed25519",
            "public_key": b64(bytes(key.verify_key)),
            "private_key": seal_secret(bytes(key), data_dir),
        }
        dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
        table = ServerKeyRow.__table__  # type: ignore[attr-defined]
        from server.models import utcnow

        session.execute(dialect.insert(table).values(**values, created_at=utcnow()).on_conflict_do_nothing())
        session.commit()
        row = session.get(ServerKeyRow, SIGNING)
        assert row is not None
        return row


def signing_key(engine: Engine, data_dir: Path) -> nacl.signing.SigningKey:
    row = ensure_signing_key(engine, data_dir)
    return nacl.signing.SigningKey(open_secret(row.private_key, data_dir))


def public_keys(engine: Engine, data_dir: Path) -> list[ServerKey]:
    """The server's public keys as devices learn them: the signing key, then the active sealing key
    (when the operator made one; ``db.sealing.remember_keys`` takes the last sealing key as active)."""
    row = ensure_signing_key(engine, data_dir)
    raw = base64.b64decode(row.public_key)
    keys = [ServerKey(purpose="signing", algorithm=row.algorithm, key_id=key_id(raw), public_key=row.public_key)]
    with Session(engine) as session:
        active = sealing.active_public_key(session=session)
    if active is not None:
        # Signed with the signing key devices pin at enrollment: a device takes a rotated sealing key
        # only from its own server, never from whoever sits on the connection.
        statement = sealing_key_statement(active.key_id, active.b64)
        signature = nacl.signing.SigningKey(open_secret(row.private_key, data_dir)).sign(statement).signature
        keys.append(ServerKey(purpose="sealing", algorithm=sealing.ALGORITHM, key_id=active.key_id,
                              public_key=active.b64, signature=b64(signature)))
    return keys


def stored_secret(engine: Engine, data_dir: Path, purpose: str) -> bytes:
    """A random 32-byte key kept in ``server_key`` under ``purpose`` (encrypted under the data folder's
    key file), made on first use, so that every worker and host uses the same one. Racing first uses
    insert once (ON CONFLICT DO NOTHING) and all read the winner."""
    with Session(engine) as session:
        row = session.get(ServerKeyRow, purpose)
    if row is None:
        with Session(engine) as session:  # write-first: no read snapshot before the insert
            dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
            table = ServerKeyRow.__table__  # type: ignore[attr-defined]
            session.execute(dialect.insert(table).values(
                purpose=purpose, algorithm="HMAC-SHA256", public_key="",
                private_key=seal_secret(secrets.token_bytes(32), data_dir), created_at=utcnow(),
            ).on_conflict_do_nothing())
            session.commit()
            row = session.get(ServerKeyRow, purpose)
    assert row is not None
    return open_secret(row.private_key, data_dir)
