"""The app's log: a small rotating file in the data directory, for a coordinator debugging a day. Qt-free.

``<data_dir>/logs/petition-kiosk.log``, at most ``MAX_BYTES`` times ``1 + BACKUPS`` on disk (about 6 MiB),
owner-only (directory 0700, files 0600), one line per record with a UTC ISO-8601 time and the process id
(the app and a headless ``petition-kiosk sync`` may write to the same file).

What it must never hold: a signer's name, e-mail, phone, comment, the device token, the coordinator PIN,
sealed boxes or receipt secrets. The code logs counts, ids and exception *types*, never values; as a
second line of defence every record passes ``Scrubber`` before it is written, on the file and on the
console, with its traceback. A seized laptop's log then tells what the device did, not who signed.

Kept readable on purpose: UUIDs (signature, device and event ids). They are random, name nobody, and
are what a coordinator and the server's operator need to follow one signature through both logs;
whoever can read the database they point into can read the rows anyway.

A log file that cannot be written (read-only or full disk) never stops the app: logging falls back to
the console. Uncaught exceptions, in the main thread, in other threads and in Qt slots (PySide6 hands
those to ``sys.excepthook``), are written to the log instead of a raw traceback on stderr: their type
and traceback, never their message (``describe_uncaught``). Exceptions the code logs itself keep their
message, scrubbed; the code logs ``type(exc).__name__`` wherever a message could quote an input.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import os
import re
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

LOG_DIR = "logs"
LOG_FILE = "petition-kiosk.log"
MAX_BYTES = 1024 * 1024
BACKUPS = 5
FILE_LEVEL = logging.INFO
FILE_FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"
CONSOLE_FORMAT = "%(levelname)s %(name)s: %(message)s"  # as before the log file existed

log = logging.getLogger(__name__)

# -- scrubbing ------------------------------------------------------------------------------------

_DIGIT = r"\d"  # str patterns: every Unicode decimal digit, Arabic-Indic (٠-٩) and Persian (۰-۹) too
_SECRET_KEYS = (r"token|access_token|refresh_token|secret|receipt_secret|password|passphrase|pin|pin_hash|"
                r"private_key|seed|k|enrollment_code|authorization|cookie")
_TOKENS = re.compile(
    "|".join((
        # Kept as they are (tried first at each position, so a phone or secret pattern never eats them):
        r"(?P<uuid>(?<![0-9A-Za-z])[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
        r"(?![0-9A-Za-z]))",
        r"(?P<date>(?<!\d)\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?"
        r"(?!\d))",
        # pydantic's "[type=..., input_value='what was typed', input_type=str]": the value is the input.
        r"(?P<input>input_value=[^\n]*?(?=, input_type=)|input_value=[^\]\n]*)",
        # Bounded, and starting only where a run of address characters starts: the pattern stays linear
        # on hostile input (a server's error message of 100 KB of "a.a.a."), which an unbounded one
        # scanned in quadratic time, holding the GIL (the GUI froze for minutes).
        r"(?P<email>(?<![\w.+\-])[\w.+\-]{1,64}@[\w\-]{1,63}(?:\.[\w\-]{1,63}){1,8})",
        # SQLAlchemy's "[parameters: (...)]" quotes the row being written: a signer's details.
        r"(?P<params>\[parameters: [^\n]*)",
        r"(?P<bearer>(?i:\bbearer)\s+[^\s,;'\"]+)",
        # key=value and "key": "value" (URL queries such as a receipt link's ?k=, dict and JSON reprs).
        # The key may carry a prefix: device_token=, X-Receipt-Secret:, enrollment_code=.
        rf"(?P<keyed>(?i:(?<![\w-])(?:[a-z0-9]+[_-])*(?:{_SECRET_KEYS}|code)(?![\w-]))['\"]?\s*[:=]\s*(?i:bearer\s+)?(?:'[^']*'|\"[^\"]*\"|[^\s,;&#'\"}}\]]+))",
        r"(?P<code>(?i:(?<![0-9A-Za-z-])[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}(?![0-9A-Za-z-])))",  # enrollment code
        r"(?P<run>(?<![\w\-+/])[\w\-+/]{24,}=*)",  # tokens, hashes, base64 (sealed boxes); checked below
        # 7+ digits with spaces, dashes or brackets between them, a leading + allowed. (Not dots: an IP
        # address stays readable.)
        rf"(?P<phone>(?<![\w.])\+?\(?{_DIGIT}(?:[ \u00a0\u202f\-()]{{0,3}}{_DIGIT}){{6,}})",
    )),
)
_KEY_PART = re.compile(rf"(?i)^((?:[a-z0-9]+[_-])*(?:{_SECRET_KEYS}|code)['\"]?\s*[:=]\s*)")
# What one record may hold before scrubbing: its start and its end (where a traceback names the
# exception) are kept. Bounds the scrubber's time on any input.
MAX_SCRUBBED = 16_000
_HEAD = 4_000


# What a person writes between separators: a word or CamelCase words (a digit or two at the end: glibc2,
# x86), an acronym, a number.
_WORDLIKE = re.compile(r"^(?:(?:[A-Z]?[a-z]+)+\d{0,3}|[A-Z]{2,}[a-z]{0,2}\d{0,3}|\d+|[a-z]{1,4}\d{1,6})$")


def _looks_secret(run: str) -> bool:
    """A 24+ character run of letters, digits, ``-`` and ``_``: a token, a hash or base64, or something
    a coordinator needs to read (``x86_64-with-glibc2``, ``test_every_interface_message_is_translated``)?
    Random text is hex, or mixes upper and lower case throughout, or has long parts mixing letters
    and digits; readable runs are words and short version parts joined by ``-`` or ``_``."""
    body = run.rstrip("=")
    if "/" in body and not any(len(part) >= 24 for part in body.split("/")):
        return _looks_secret_parts(body)  # a path: judged by its parts
    if all(c in "0123456789abcdefABCDEF" for c in body):  # a hash or key in hex, a long number
        return True
    if not all(_WORDLIKE.match(part) for part in re.split(r"[-_/+]", body) if part):
        return True  # a part no one would write (AHDj8FbKD): random. Counting case alone let through
        # a token with only five small letters.
    if sum(c.isupper() for c in body) >= 6 and sum(c.islower() for c in body) >= 6:
        return True
    return _looks_secret_parts(body)


def _looks_secret_parts(body: str) -> bool:
    return any(len(part) >= 12 and any(c.isdigit() for c in part) for part in re.split(r"[-_/+]", body))


def _replace(match: re.Match[str]) -> str:
    kind = match.lastgroup
    text = match.group(0)
    if kind in ("uuid", "date"):
        return text
    if kind == "input":
        return "input_value=<hidden>"
    if kind == "params":
        return "[parameters: <hidden>]"
    if kind == "email":
        return "<email>"
    if kind == "bearer":
        return "Bearer <secret>"
    if kind == "keyed":
        key = _KEY_PART.match(text)
        prefix = key.group(1) if key else ""
        if text[len(prefix):].startswith(("[redacted", "<")):  # already hidden (the server's access log)
            return text
        return prefix + "<secret>"
    if kind == "code":
        return "<code>"
    if kind == "run":
        return "<secret>" if _looks_secret(text) else text
    if kind == "phone":
        return "<number>"
    return text


def scrub(text: str) -> str:
    """``text`` without what looks like personal data or a secret: e-mail addresses, phone-like digit
    runs (Arabic-Indic digits too), tokens, hashes and base64, ``Bearer``/``token=``/``?k=`` values,
    enrollment codes and pydantic's ``input_value=``. UUIDs and ISO dates stay readable."""
    if len(text) > MAX_SCRUBBED:
        text = f"{text[:_HEAD]} […{len(text) - MAX_SCRUBBED:,} characters left out…] {text[-(MAX_SCRUBBED - _HEAD):]}"
    return _TOKENS.sub(_replace, text)


class Scrubber(logging.Filter):
    """Formats the record's message and traceback, scrubs them, and leaves only the scrubbed text on
    the record, so no handler after this one can format the raw arguments or the exception again."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_scrubbed", False):
            return True
        try:
            text = record.getMessage()
        except Exception:  # a call with arguments that do not fit its format
            text = f"{record.msg!s} (unformattable arguments)"
        if record.exc_info:
            text += "\n" + self._formatter.formatException(record.exc_info)
        elif record.exc_text:
            text += "\n" + record.exc_text
        if record.stack_info:
            text += "\n" + self._formatter.formatStack(record.stack_info)
        record.msg, record.args = scrub(text), ()
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        record._scrubbed = True
        return True


class UtcFormatter(logging.Formatter):
    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802 (logging API)
        moment = datetime.fromtimestamp(record.created, UTC)
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Opens (and after a rotation, re-creates) its file owner-only; rotated files keep that mode,
    they are the same files renamed. A write that fails (full disk) says so once on stderr and goes on."""

    _complained = False

    def _open(self):  # type: ignore[no-untyped-def]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        fchmod = getattr(os, "fchmod", None)  # not on Windows
        if fchmod is not None:
            with contextlib.suppress(OSError):  # e.g. a FAT-formatted USB stick has no permissions
                fchmod(fd, 0o600)  # a file from an older version or another umask
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)  # noqa: SIM115

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging API)
        if not self._complained:
            self._complained = True
            error = sys.exc_info()[1]
            with contextlib.suppress(Exception):
                sys.stderr.write(f"petition-kiosk: the log file cannot be written ({type(error).__name__}); "
                                 "logging to the console only from now\n")
        with contextlib.suppress(Exception):
            self.close()  # a closed stream is reopened on the next record: one more try then


# -- set-up ---------------------------------------------------------------------------------------

class _State:
    console: logging.Handler | None = None
    file: PrivateRotatingFileHandler | None = None
    file_path: Path | None = None
    previous: dict[str, Any] = {}  # noqa: RUF012 (one instance): the hooks ours replaced, by name
    started = False


_state = _State()
_lock = threading.Lock()


def log_path(data_dir: Path) -> Path:
    return Path(data_dir) / LOG_DIR / LOG_FILE


def setup_logging(data_dir: Path | None, *, console_level: int = logging.WARNING) -> Path | None:
    """Log to the console (``console_level`` and up) and, with ``data_dir``, to its log file (INFO and
    up). Safe to call again: handlers are added once, and the file follows a new ``data_dir``.
    Returns the log file's path, or None when there is none (no data directory, or it cannot be written)."""
    with _lock:
        root = logging.getLogger()
        if _state.console is None:
            console = logging.StreamHandler()
            console.setFormatter(logging.Formatter(CONSOLE_FORMAT))
            console.addFilter(Scrubber())
            root.addHandler(console)
            _state.console = console
        _state.console.setLevel(console_level)
        if root.level == logging.NOTSET or root.level > FILE_LEVEL:
            root.setLevel(FILE_LEVEL if data_dir is not None else console_level)
        _install_hooks()
        logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)  # a line per plugin, every start
        opened = False
        if data_dir is not None:
            path = log_path(Path(data_dir))
            if path != _state.file_path:
                _close_file(root)
                opened = _open_file(root, path)
        result = _state.file_path
    if opened:
        _log_start()
    return result


def _open_file(root: logging.Logger, path: Path) -> bool:
    from db.paths import ensure_private_dir

    try:
        ensure_private_dir(path.parent)
        handler = PrivateRotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    except OSError as exc:  # read-only or full disk, a folder in the way: the console only
        log.warning("no log file: %s", exc.strerror or type(exc).__name__)
        return False
    handler.setLevel(FILE_LEVEL)
    handler.setFormatter(UtcFormatter(FILE_FORMAT))
    handler.addFilter(Scrubber())
    root.addHandler(handler)
    _state.file, _state.file_path = handler, path
    return True


def _close_file(root: logging.Logger) -> None:
    if _state.file is not None:
        root.removeHandler(_state.file)
        _state.file.close()
    _state.file, _state.file_path = None, None


def _log_start() -> None:
    if _state.started:
        return
    _state.started = True
    import platform

    from db import __version__

    log.info("petition-kiosk %s started (Python %s, %s%s)", __version__, platform.python_version(),
             platform.platform(terse=True), ", frozen" if getattr(sys, "frozen", False) else "")


def reset_logging() -> None:
    """Remove what setup_logging added and put the previous exception hooks back (tests)."""
    with _lock:
        root = logging.getLogger()
        _close_file(root)
        if _state.console is not None:
            root.removeHandler(_state.console)
            _state.console = None
        # Only a hook that is still ours is put back: a test harness may have restored its own since.
        if sys.excepthook is log_uncaught:
            sys.excepthook = _state.previous.get("sys", sys.__excepthook__)
        if threading.excepthook is _log_thread_exception:
            threading.excepthook = _state.previous.get("threading", threading.__excepthook__)
        if sys.unraisablehook is _log_unraisable:
            sys.unraisablehook = _state.previous.get("unraisable", sys.__unraisablehook__)
        _state.previous = {}
        _state.started = False


# -- uncaught exceptions --------------------------------------------------------------------------

_crash_log = logging.getLogger("petition_kiosk.crash")


def _install_hooks() -> None:
    """Ours in front of whatever is there. A hook that is not Python's default (a debugger's, a test
    harness's) is still called after ours; the default is not: it would print the raw traceback."""
    if sys.excepthook is not log_uncaught:
        _state.previous["sys"], sys.excepthook = sys.excepthook, log_uncaught
    if threading.excepthook is not _log_thread_exception:
        _state.previous["threading"], threading.excepthook = threading.excepthook, _log_thread_exception
    if sys.unraisablehook is not _log_unraisable:
        _state.previous["unraisable"], sys.unraisablehook = sys.unraisablehook, _log_unraisable


def _chain(name: str, default: Any, *args: Any) -> None:
    previous = _state.previous.get(name)
    if previous is not None and previous is not default:
        previous(*args)


def describe_uncaught(exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None) -> str:
    """The traceback of an exception nobody caught, chained ones included, with every exception's
    message withheld: a message can quote what a signer typed (a name in a ValueError, SQL parameters
    in a database error), and no pattern finds a name. Types, files, lines and functions stay."""
    import traceback

    withheld = "(message withheld: it may quote what a signer typed)"
    lines: list[str] = []

    def walk(te: traceback.TracebackException) -> None:
        if te.__cause__ is not None:
            walk(te.__cause__)
            lines.append("\nThe above exception was the direct cause of the following exception:\n\n")
        elif te.__context__ is not None and not te.__suppress_context__:
            walk(te.__context__)
            lines.append("\nDuring handling of the above exception, another exception occurred:\n\n")
        if te.stack:
            lines.append("Traceback (most recent call last):\n")
            lines.extend(te.stack.format())
        kind = te.exc_type
        name = f"{kind.__module__}.{kind.__qualname__}" if kind is not None and kind.__module__ != "builtins" \
            else getattr(kind, "__qualname__", "?")
        lines.append(f"{name}: {withheld}\n")

    walk(traceback.TracebackException(exc_type, exc or exc_type(), tb, lookup_lines=True))
    return "".join(lines).rstrip("\n")


def log_uncaught(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """``sys.excepthook``: also where PySide6 sends an exception raised in a slot. Logged (without its
    message, then scrubbed), never printed raw: the app goes on, and nothing of the signer's input
    reaches a screen or a file."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    _crash_log.critical("uncaught %s\n%s", exc_type.__name__, describe_uncaught(exc_type, exc, tb))
    _chain("sys", sys.__excepthook__, exc_type, exc, tb)


def _log_thread_exception(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    name = args.thread.name if args.thread is not None else "?"
    _crash_log.critical("uncaught %s in thread %s\n%s", args.exc_type.__name__, name,
                        describe_uncaught(args.exc_type, args.exc_value, args.exc_traceback))
    _chain("threading", threading.__excepthook__, args)


def _log_unraisable(args: Any) -> None:
    exc_type = args.exc_type
    # err_msg is Python's own ("Exception ignored in"); the object's repr is left out: it may hold data.
    _crash_log.warning("unraisable %s (%s)\n%s", exc_type.__name__, getattr(args, "err_msg", None) or "",
                       describe_uncaught(exc_type, args.exc_value, args.exc_traceback))
    _chain("unraisable", sys.__unraisablehook__, args)


def tail(path: Path, lines: int = 200, *, max_bytes: int = 256 * 1024) -> list[str]:
    """The last ``lines`` lines of a log file (reading at most ``max_bytes`` from its end), scrubbed
    again; [] when there is no file."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - max_bytes))
            data = f.read()
    except OSError:
        return []
    text = data.decode("utf-8", errors="replace")
    found = text.splitlines()
    if size > max_bytes and found:
        found = found[1:]  # cut in the middle of a line
    return [scrub(line) for line in found[-lines:]]

