"""The coordinator PIN: stored only as a slow, salted hash, in an owner-only file. Qt-free.

The PIN guards the way out of kiosk mode (and, later, the coordinator area). It is never kept in the
settings row (those are synced and shown), never logged, never shown.

Storage: ``coordinator-pin.json`` in the data directory, mode 0600, written atomically::

    {"version": 2, "algorithm": "scrypt", "n": 65536, "r": 8, "p": 1, "dklen": 32,
     "salt": "<32 hex chars: 16 random bytes>", "hash": "<64 hex chars>",
     "failures": 0, "locked_until": 0.0, "short": false}

The file names its own KDF parameters, so a file written with an older, cheaper cost (version 1:
N = 2^15, no ``version`` key) still verifies; a correct PIN then re-hashes it at today's cost.

Cost: scrypt with N = 2^16, r = 8, p = 1 (64 MiB of memory). A new PIN has at least ``MIN_DIGITS``
(6) digits, so a full search of a stolen file is 10^6 derivations: about 0.23 s of CPU each on one
core of the development machine (``python -m bench pin``; SECURITY.md has the measured figure), i.e.
between 2 and 3 days per core, where 4 digits at the old cost fell in about 19 minutes. A person
waits one derivation per try: a quarter of a second of CPU here. (2^17 would double both, and on a
tablet a few times slower than this machine push the wait at the keypad past a second.)
The 16-byte random salt per PIN makes every file its own search. The same file remembers failed
tries, so turning the device off and on does not reset the lock-out.

Shorter PINs chosen before the 6-digit rule keep working; a correct one marks the file ``short``
(which says little a thief would not try first anyway), and the panel asks for a longer PIN
(``pin_warnings``).

Lock-out: the first ``FREE_TRIES`` (5) wrong PINs cost nothing; the 5th locks the prompt for
``FIRST_LOCK_S`` (30 s), and every further wrong PIN after that doubles the wait, up to
``MAX_LOCK_S`` (15 minutes). A correct PIN resets the count. The clock is injected, so tests check
the timing without waiting.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from db.files import write_atomically
from db.paths import PIN_FILE, pin_file_present

FORMAT_VERSION = 2
SCRYPT_N = 2**16
SCRYPT_R = 8
SCRYPT_P = 1
DKLEN = 32
SALT_BYTES = 16
MIN_DIGITS = 6  # for a new PIN; a shorter one set before this rule still opens the panel
MAX_DIGITS = 12
# What pin_warnings reports, as keys the panel words (desktop/panel/words.py).
SHORT_PIN = "pin_too_short"
FREE_TRIES = 5
FIRST_LOCK_S = 30.0
MAX_LOCK_S = 15 * 60.0


class PinError(ValueError):
    pass


def pin_path(data_dir: Path) -> Path:
    return Path(data_dir) / PIN_FILE


def valid_pin(pin: str) -> bool:
    """Whether ``pin`` may be chosen as a new PIN."""
    return pin.isascii() and pin.isdigit() and MIN_DIGITS <= len(pin) <= MAX_DIGITS


def _derive(pin: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    return hashlib.scrypt(pin.encode("ascii"), salt=salt, n=n, r=r, p=p, dklen=dklen,
                          maxmem=256 * r * n + 1024 * 1024)


def _write(path: Path, data: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, json.dumps(data).encode("utf-8"))


def _read(path: Path) -> dict[str, object] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("algorithm") == "scrypt" else None


def has_pin(data_dir: Path) -> bool:
    """Whether a PIN was set. A PIN file that exists but cannot be read counts as set: it then accepts
    no PIN (fail closed), rather than letting the next person choose a new one. Deleting the file,
    which needs the computer's own account, is the way back (README, Troubleshooting)."""
    return pin_file_present(data_dir)


def set_pin(data_dir: Path, pin: str) -> None:
    """Store a new PIN (replacing any old one and its failure count)."""
    if not valid_pin(pin):
        raise PinError(f"a PIN is {MIN_DIGITS} to {MAX_DIGITS} digits")
    _write(pin_path(data_dir), _hashed(pin))


def _hashed(pin: str) -> dict[str, object]:
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _derive(pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, DKLEN)
    return {
        "version": FORMAT_VERSION, "algorithm": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P,
        "dklen": DKLEN, "salt": salt.hex(), "hash": digest.hex(), "failures": 0, "locked_until": 0.0,
        "short": len(pin) < MIN_DIGITS,
    }


def _current_cost(data: dict[str, object]) -> bool:
    return (data.get("n"), data.get("r"), data.get("p"), data.get("dklen")) == (SCRYPT_N, SCRYPT_R, SCRYPT_P, DKLEN)


def pin_warnings(data_dir: Path) -> tuple[str, ...]:
    """What the coordinator should change about the PIN, as keys: ``SHORT_PIN`` when the PIN last
    typed correctly is shorter than a new one may be. Cheap (one small file read)."""
    data = _read(pin_path(data_dir))
    return (SHORT_PIN,) if data is not None and data.get("short") else ()


@dataclass(frozen=True)
class Attempt:
    ok: bool
    locked_for: float = 0.0   # seconds the prompt stays locked from now (0: not locked)
    failures: int = 0


class PinGuard:
    """Checks PINs against the stored hash and enforces the growing lock-out."""

    def __init__(self, data_dir: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.path = pin_path(data_dir)
        self.clock = clock

    def locked_for(self) -> float:
        data = _read(self.path)
        if data is None:
            return 0.0
        # Capped: a wall clock set back (NTP correcting a clock that ran fast) must not stretch it.
        left = float(data.get("locked_until", 0.0)) - self.clock()  # type: ignore[arg-type]
        return min(MAX_LOCK_S, max(0.0, left))

    def check(self, pin: str) -> Attempt:
        data = _read(self.path)
        if data is None:
            if self.path.exists() or self.path.is_symlink():  # damaged or unreadable: no PIN opens it
                return Attempt(ok=False)
            raise PinError("no PIN has been set")
        left = self.locked_for()
        failures = int(data.get("failures", 0))  # type: ignore[call-overload]
        if left > 0:  # a try during the lock-out is not even hashed
            return Attempt(ok=False, locked_for=left, failures=failures)
        digest = _derive(pin, bytes.fromhex(str(data["salt"])), int(data["n"]), int(data["r"]),  # type: ignore[call-overload]
                         int(data["p"]), int(data["dklen"]))  # type: ignore[call-overload]
        if hmac.compare_digest(digest.hex(), str(data["hash"])):
            short = len(pin) < MIN_DIGITS
            if not _current_cost(data):  # written at an older, cheaper cost: re-hash at today's
                _write(self.path, {**_hashed(pin), "short": short})
            elif failures or data.get("locked_until") or bool(data.get("short")) != short:
                _write(self.path, {**data, "failures": 0, "locked_until": 0.0, "short": short})
            return Attempt(ok=True)
        failures += 1
        lock = lock_seconds(failures)
        _write(self.path, {**data, "failures": failures, "locked_until": self.clock() + lock if lock else 0.0})
        return Attempt(ok=False, locked_for=lock, failures=failures)


def lock_seconds(failures: int) -> float:
    """How long the prompt locks after the ``failures``-th wrong PIN in a row."""
    if failures < FREE_TRIES:
        return 0.0
    doublings: int = 2 ** (failures - FREE_TRIES)  # exponent >= 0 here, so an int (typeshed says Any)
    return min(MAX_LOCK_S, FIRST_LOCK_S * doublings)
