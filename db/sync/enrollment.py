"""The device's identity: its Ed25519 key pair, its enrollment (server, device id, token, the server's
public keys), kept in owner-only files in the data directory and never logged.

Files (all mode 0600, written atomically: a temporary file, fsync, rename):

* ``device_key``       the 32-byte Ed25519 seed of the device's signing key (raw bytes)
* ``enrollment.json``  server URL, device id and name, token, the server's keys, CA file,
                       ``needs_enrollment`` (set after a 401/403: nothing is sent until enrolled again)
                       and the API version the server last spoke
"""

from __future__ import annotations

import base64
import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from db.files import write_atomically
from db.paths import ensure_private_dir

KEY_FILE = "device_key"
ENROLLMENT_FILE = "enrollment.json"

# What can go wrong when enrolling, as stable message keys (like db/validation.py's): the panel
# translates them (desktop/panel/words.py), the command line prints MESSAGES. Never change a key
# without changing both.
SERVER_ADDRESS = "server_address"  # not an http(s):// address
CODE_MISSING = "code_missing"  # no code (a server address alone, or nothing)
CODE_SHAPE = "code_shape"  # not 12 letters and digits
NOT_QR_TEXT = "not_qr_text"  # pasted text that is not our QR code's
QR_NEWER = "qr_newer"  # a QR code made by a newer server
QR_DAMAGED = "qr_damaged"  # our QR code's text, but cut short or altered
HTTP_OUTSIDE = "http_outside"  # http:// to a server outside the local network
NO_ANSWER = "no_answer"  # nothing answered, or not our server (captive portal, busy, offline)
CODE_REFUSED = "code_refused"  # wrong, used or expired code
DEVICE_REVOKED = "device_revoked"  # the code belongs to a device the operator revoked
APP_OUTDATED = "app_outdated"  # the server wants a newer app (426)
REFUSED = "refused"  # any other refusal by the server
FAILED = "failed"  # anything else (e.g. the data folder cannot be written)

MESSAGES = {
    SERVER_ADDRESS: "The server address must start with https:// (or http:// on a local network).",
    CODE_MISSING: "Type the enrollment code, or paste the text of the QR code.",
    CODE_SHAPE: "The enrollment code has 12 letters and digits, for example K7QM-2XPA-9RTF.",
    NOT_QR_TEXT: "This is not the text of a Petition Kiosk enrollment QR code.",
    QR_NEWER: "This QR code was made by a newer server. Update the app, then enroll again.",
    QR_DAMAGED: "The text of this QR code is incomplete or damaged. Copy it again.",
    HTTP_OUTSIDE: "Use https:// for a server outside your local network: http:// would send signers' data "
                  "unencrypted.",
    NO_ANSWER: "No Petition Kiosk server answered at this address. Check the address and the network "
               "connection, then try again.",
    CODE_REFUSED: "The server refused this code: it is wrong, already used or expired. Ask the server's "
                  "operator for a new one.",
    DEVICE_REVOKED: "The server's operator has revoked this device. Ask for a new enrollment code.",
    APP_OUTDATED: "The server needs a newer version of this app. Update it, then enroll again.",
    REFUSED: "The server refused the enrollment.",
    FAILED: "Enrollment did not work.",
}


class EnrollmentError(ValueError):
    """A problem found before anything is sent: an address or code that cannot be right. ``str()`` is
    the English message; ``key`` is one of MESSAGES."""

    def __init__(self, key: str) -> None:
        super().__init__(MESSAGES[key])
        self.key = key


def failure_key(exc: BaseException) -> str:
    """The message key for anything ``parse_target``, ``check_server_url`` or ``enroll`` raised."""
    from db.sync.client import AuthRejected, Offline, Refused

    if isinstance(exc, EnrollmentError):
        return exc.key
    if isinstance(exc, AuthRejected):
        return DEVICE_REVOKED if exc.error == "device_revoked" else CODE_REFUSED
    if isinstance(exc, Offline):
        return NO_ANSWER
    if isinstance(exc, Refused):
        return APP_OUTDATED if exc.status == 426 else REFUSED
    return FAILED


def failure_detail(exc: BaseException) -> str:
    """What a technician needs besides the message (the server's answer, the exception's own words);
    "" when the message says it all. Never holds the token: the client's errors never do."""
    if isinstance(exc, EnrollmentError):
        return ""
    return str(exc) or type(exc).__name__


def explain(exc: BaseException) -> str:
    """The English message for ``exc``, with the detail when there is one (the command line's)."""
    detail = failure_detail(exc)
    return MESSAGES[failure_key(exc)] + (f" ({detail})" if detail else "")


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` readable by the owner only, atomically."""
    write_atomically(path, data)


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
    # The sync API version the server spoke at the last health check (db/wire.py): what status and
    # hand-off files go by without a network (None: not known yet).
    api_version: int | None = None


def load(data_dir: Path) -> Enrollment | None:
    path = Path(data_dir) / ENROLLMENT_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    known = set(Enrollment.__dataclass_fields__)
    return Enrollment(**{k: v for k, v in data.items() if k in known})


def web_page_url(enrolled: Enrollment | None, slug: str, source: str) -> str | None:
    """The petition's page on the server this device is enrolled with (``/s/<slug>``,
    server/pages/sign.py): only for a campaign installed from that server (``source`` "server"), which
    the server therefore publishes; None otherwise."""
    if enrolled is None or enrolled.needs_enrollment or source != "server":
        return None
    return f"{enrolled.server_url.rstrip('/')}/s/{slug}"


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
    """(server URL, code) from ``--server URL CODE`` or from the QR text pasted as the only argument.
    Raises EnrollmentError."""
    from db.wire import is_code_shaped, normalise_code, parse_enrollment_uri

    text = text.strip()
    if code is None:
        if not text or text.startswith(("http://", "https://")):
            raise EnrollmentError(CODE_MISSING)
        try:
            return parse_enrollment_uri(text)
        except ValueError:
            raise EnrollmentError(_qr_problem(text)) from None
    if not text.startswith(("http://", "https://")):
        raise EnrollmentError(SERVER_ADDRESS)
    if not code.strip():
        raise EnrollmentError(CODE_MISSING)
    if not is_code_shaped(code):
        raise EnrollmentError(CODE_SHAPE)
    return text.rstrip("/"), normalise_code(code)


def _qr_problem(text: str) -> str:
    """Why db.wire.parse_enrollment_uri refused ``text``."""
    from urllib.parse import parse_qs, urlsplit

    from db.wire import ENROLL_URI_SCHEME

    parts = urlsplit(text)
    if parts.scheme != ENROLL_URI_SCHEME or parts.netloc != "enroll":
        return NOT_QR_TEXT
    version = parse_qs(parts.query).get("v")
    if version and version != ["1"]:
        return QR_NEWER
    return QR_DAMAGED


def check_server_url(url: str) -> str:
    """``https://`` anywhere; plain ``http://`` only inside a local network (loopback, private and
    link-local addresses, ``.local`` names), where a coordinator may run a server on a laptop.
    Anywhere else, signers' names and the device's token would cross the internet unencrypted.
    Raises EnrollmentError."""
    import ipaddress
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and host:
        return url
    if parts.scheme != "http" or not host:
        raise EnrollmentError(SERVER_ADDRESS)
    if host == "localhost" or host.endswith(".local"):
        return url
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None and (address.is_loopback or address.is_private or address.is_link_local):
        return url
    raise EnrollmentError(HTTP_OUTSIDE)


def enroll(data_dir: Path, server_url: str, code: str, *, ca_file: str | None = None,
           connect_timeout: float = 5.0, read_timeout: float = 30.0) -> Enrollment:
    """Spend the one-time ``code`` at ``server_url``: send the device's public key, keep the token and
    the server's keys. Raises db.sync.client errors (AuthRejected for a bad or used code), and
    EnrollmentError for a server address that would not be private (see check_server_url);
    ``failure_key`` names any of them."""
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
        enrolled_at=datetime.now(UTC).isoformat(), ca_file=ca_file, api_version=client.api_version,
    )
    save(data_dir, enrollment)
    adopt_sealing_key(data_dir, enrollment)
    return enrollment


def adopt_sealing_key(data_dir: Path, enrollment: Enrollment, *, engine: Any = None) -> None:
    """Keep the server's sealing key in the device's database, where every save looks for it
    (db/sealing.py): from now on, campaigns that seal when a key is present do so."""
    from db import sealing
    from db.engine import make_engine, write_session
    from db.paths import database_path

    if not any(k.get("purpose") == "sealing" for k in enrollment.server_keys):
        return
    own = engine is None
    if own:
        db_file = database_path(Path(data_dir))
        if not db_file.exists():
            return  # a data directory without a database yet: the app adopts the key when it opens
        engine = make_engine(db_file)
    try:
        with write_session(engine) as session:
            sealing.remember_keys(enrollment.server_keys, server_url=enrollment.server_url, session=session)
            session.commit()
    finally:
        if own:
            engine.dispose()
