"""The device's identity: its Ed25519 key pair, its enrollment (server, device id, token, the server's
public keys), kept in owner-only files in the data directory and never logged.

Files (all mode 0600, written atomically: a temporary file, fsync, rename):

* ``device_key``       the 32-byte Ed25519 seed of the device's signing key (raw bytes)
* ``enrollment.json``  server URL, device id and name, token, the server's keys, CA file, and
                       ``needs_enrollment`` (set after a 401/403: nothing is sent until enrolled again)
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from db.paths import ensure_private_dir

KEY_FILE = "device_key"
ENROLLMENT_FILE = "enrollment.json"


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` readable by the owner only, atomically."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    with contextlib.suppress(OSError):
        tmp.chmod(0o600)
    os.replace(tmp, path)


@dataclass
class Enrollment:
    server_url: str
    device_id: str
    device_name: str
    token: str = field(repr=False)
    server_keys: list[dict[str, Any]] = field(default_factory=list)
    enrolled_at: str = ""
    ca_file: str | None = None
    needs_enrollment: bool = False
    reason: str | None = None


def load(data_dir: Path) -> Enrollment | None:
    path = Path(data_dir) / ENROLLMENT_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    known = set(Enrollment.__dataclass_fields__)
    return Enrollment(**{k: v for k, v in data.items() if k in known})


def save(data_dir: Path, enrollment: Enrollment) -> None:
    ensure_private_dir(Path(data_dir))
    write_private(Path(data_dir) / ENROLLMENT_FILE, json.dumps(asdict(enrollment), indent=2).encode())


def mark_needs_enrollment(data_dir: Path, reason: str) -> None:
    """After a 401/403: nothing is sent again until the device is enrolled again."""
    current = load(data_dir)
    if current is not None and not current.needs_enrollment:
        current.needs_enrollment = True
        current.reason = reason
        save(data_dir, current)


def signing_key(data_dir: Path) -> Any:
    """The device's Ed25519 signing key (PyNaCl), made on first use."""
    import nacl.signing

    path = Path(data_dir) / KEY_FILE
    try:
        seed = path.read_bytes()
    except FileNotFoundError:
        ensure_private_dir(Path(data_dir))
        key = nacl.signing.SigningKey.generate()
        write_private(path, bytes(key))
        return key
    return nacl.signing.SigningKey(seed)


def public_key_b64(data_dir: Path) -> str:
    return base64.b64encode(bytes(signing_key(data_dir).verify_key)).decode("ascii")


def parse_target(text: str, code: str | None) -> tuple[str, str]:
    """(server URL, code) from ``--server URL CODE`` or from the QR text pasted as the only argument."""
    from db.wire import is_code_shaped, normalise_code, parse_enrollment_uri

    if code is None:
        return parse_enrollment_uri(text)
    if not text.startswith(("http://", "https://")):
        raise ValueError("the server address must start with https:// (or http:// on a local network)")
    if not is_code_shaped(code):
        raise ValueError("the enrollment code has 12 letters and digits, e.g. K7QM-2XPA-9RTF")
    return text.rstrip("/"), normalise_code(code)


def check_server_url(url: str) -> str:
    """``https://`` anywhere; plain ``http://`` only inside a local network (loopback, private and
    link-local addresses, ``.local`` names), where a coordinator may run a server on a laptop.
    Anywhere else, signers' names and the device's token would cross the internet unencrypted."""
    import ipaddress
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and host:
        return url
    if parts.scheme != "http" or not host:
        raise ValueError("the server address must start with https://")
    if host == "localhost" or host.endswith(".local"):
        return url
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None and (address.is_loopback or address.is_private or address.is_link_local):
        return url
    raise ValueError("use https:// for a server outside your local network (http:// would send "
                     "signers' data unencrypted)")


def enroll(data_dir: Path, server_url: str, code: str, *, ca_file: str | None = None,
           connect_timeout: float = 5.0, read_timeout: float = 30.0) -> Enrollment:
    """Spend the one-time ``code`` at ``server_url``: send the device's public key, keep the token and
    the server's keys. Raises db.sync.client errors (AuthRejected for a bad or used code), and
    ValueError for a server address that would not be private (see check_server_url)."""
    check_server_url(server_url)
    from db.sync.client import ApiClient

    client = ApiClient(server_url, ca_file=ca_file, connect_timeout=connect_timeout, read_timeout=read_timeout)
    try:
        client.health()
        answer = client.enroll(code, public_key_b64(data_dir))
    finally:
        client.close()
    enrollment = Enrollment(
        server_url=server_url.rstrip("/"), device_id=answer.device_id, device_name=answer.device_name,
        token=answer.token, server_keys=[key.model_dump() for key in answer.server_keys],
        enrolled_at=datetime.now(UTC).isoformat(), ca_file=ca_file,
    )
    save(data_dir, enrollment)
    return enrollment
