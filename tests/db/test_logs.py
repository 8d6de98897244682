"""The log file (db/logs.py): owner-only, bounded by rotation, never stopping the app, and scrubbed of
what looks like personal data or a secret, uncaught exceptions included."""

from __future__ import annotations

import logging
import secrets
import stat
import sys
import threading
import uuid
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db import logs


@pytest.fixture(autouse=True)
def fresh_logging():
    logs.reset_logging()
    yield
    logs.reset_logging()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _text(data_dir: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted((data_dir / logs.LOG_DIR).iterdir()))


def test_the_log_file_is_created_owner_only_with_utc_times(data_dir):
    path = logs.setup_logging(data_dir)
    assert path == data_dir / "logs" / "petition-kiosk.log"
    logging.getLogger("test").info("hello %d", 42)
    assert _mode(path.parent) == 0o700 and _mode(path) == 0o600
    line = path.read_text(encoding="utf-8").splitlines()[-1]
    assert line.endswith("INFO test: hello 42")
    assert line[:24].endswith("Z") and line[10] == "T"  # 2026-01-02T03:04:05.678Z


def test_an_existing_file_with_a_loose_mode_is_made_private(data_dir):
    path = data_dir / "logs" / "petition-kiosk.log"
    path.parent.mkdir()
    path.write_text("old line\n")
    path.chmod(0o644)
    logs.setup_logging(data_dir)
    assert _mode(path) == 0o600


def test_setting_up_twice_adds_nothing_and_a_new_data_dir_moves_the_file(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    logs.setup_logging(first)
    before = list(logging.getLogger().handlers)
    logs.setup_logging(first)
    assert logging.getLogger().handlers == before
    logs.setup_logging(second)
    logging.getLogger("test").warning("in the second")
    assert len(logging.getLogger().handlers) == len(before)
    assert "in the second" in _text(second) and "in the second" not in _text(first)


def test_rotation_keeps_the_files_bounded_and_private(data_dir, monkeypatch):
    monkeypatch.setattr(logs, "MAX_BYTES", 20_000)
    path = logs.setup_logging(data_dir)
    line = "x" * 190
    for n in range(3000):  # about 600 kB: thirty times one file
        logging.getLogger("test").info("%05d %s", n, line)
    files = sorted(path.parent.iterdir())
    assert len(files) == 1 + logs.BACKUPS
    assert all(f.stat().st_size <= 20_000 for f in files)
    assert all(_mode(f) == 0o600 for f in files)
    assert "02999" in path.read_text()  # the newest lines are in the current file
    assert 1 << 20 <= logs.MAX_BYTES * (1 + logs.BACKUPS) <= 8 << 20 or logs.MAX_BYTES == 20_000


def test_the_real_limits_are_about_a_mebibyte_and_five_backups():
    assert logs.MAX_BYTES == 1024 * 1024 and logs.BACKUPS == 5


def test_a_log_file_that_cannot_be_opened_falls_back_to_the_console(data_dir, capsys):
    (data_dir / "logs").write_text("a file where the folder should be")
    assert logs.setup_logging(data_dir) is None
    logging.getLogger("test").warning("still logging")
    assert "still logging" in capsys.readouterr().err


def test_a_full_disk_says_so_once_and_logging_goes_on(data_dir, capsys):
    path = logs.setup_logging(data_dir)
    handler = next(h for h in logging.getLogger().handlers if isinstance(h, logs.PrivateRotatingFileHandler))

    class Full:
        def write(self, _text):
            raise OSError(28, "No space left on device")

        def flush(self):
            pass

        def close(self):
            pass

    handler.stream = Full()
    logging.getLogger("test").warning("first")
    logging.getLogger("test").warning("second")  # the stream was reopened: written
    err = capsys.readouterr().err
    assert err.count("the log file cannot be written") == 1
    assert "second" in path.read_text()


# -- scrubbing ------------------------------------------------------------------------------------

ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"

emails = st.from_regex(r"[a-z][a-z0-9._+\-]{0,20}@[a-z0-9\-]{1,15}(\.[a-z]{2,6}){1,2}", fullmatch=True)


@st.composite
def phones(draw):
    digits = draw(st.lists(st.integers(0, 9), min_size=7, max_size=15))
    alphabet = draw(st.sampled_from(["0123456789", ARABIC_DIGITS, PERSIAN_DIGITS]))
    out = draw(st.sampled_from(["", "+"]))
    for i, d in enumerate(digits):
        out += alphabet[d]
        if i < len(digits) - 1:
            out += draw(st.sampled_from(["", "", " ", "-", " - "]))
    return out


@settings(max_examples=200, deadline=None)
@given(email=emails, before=st.sampled_from(["", "mail ", "(", "<", "user="]), after=st.sampled_from(["", ".", ")", " x"]))
def test_email_addresses_are_scrubbed(email, before, after):
    assert email not in logs.scrub(f"{before}{email}{after}")


@settings(max_examples=300, deadline=None)
@given(phone=phones(), before=st.sampled_from(["", "call ", "tel:", "(", "رقم "]))
def test_phone_numbers_are_scrubbed_in_any_digits(phone, before):
    scrubbed = logs.scrub(f"{before}{phone} ok")
    digits = [c for c in scrubbed if c.isdigit()]
    assert len(digits) < 7, scrubbed


@settings(max_examples=200, deadline=None)
@given(nbytes=st.integers(18, 64), kind=st.sampled_from(["urlsafe", "hex"]), before=st.sampled_from(["", "id ", "/"]))
def test_long_tokens_and_hashes_are_scrubbed(nbytes, kind, before):
    token = secrets.token_urlsafe(nbytes) if kind == "urlsafe" else secrets.token_hex(nbytes)
    assert token not in logs.scrub(f"{before}{token} next")


@settings(max_examples=100, deadline=None)
@given(secret=st.text(st.characters(whitelist_categories=("Lu", "Ll", "Nd")), min_size=1, max_size=30).filter(
    lambda s: s.isascii() and s.isalnum()))
def test_secrets_after_their_names_are_scrubbed_however_short(secret):
    for text, expected in (
        ("https://p.example.org/receipt/x?k={}", "https://p.example.org/receipt/x?k=<secret>"),
        ("https://p.example.org/r?id=1&k={}#top", "https://p.example.org/r?id=1&k=<secret>#top"),
        ("Authorization: Bearer {}", "Authorization: <secret>"),
        ("Bearer {} sent", "Bearer <secret> sent"),
        ('{{"token": "{}"}}', '{{"token": <secret>}}'),
        ("token={}&x=1", "token=<secret>&x=1"),
        ("pin: {}", "pin: <secret>"),
        ("{{'password': '{}'}}", "{{'password': <secret>}}"),
    ):
        assert logs.scrub(text.format(secret)) == expected.format(), text


def test_pydantic_input_values_are_scrubbed():
    from pydantic import BaseModel, ValidationError, field_validator

    class Form(BaseModel):
        given_name: str
        age: int

        @field_validator("given_name")
        @classmethod
        def no_digits(cls, value: str) -> str:
            raise ValueError("not a name")

    with pytest.raises(ValidationError) as caught:
        Form(given_name="Zubaida Quraishi", age="vierzig")
    text = str(caught.value)
    assert "Zubaida" in text and "vierzig" in text
    scrubbed = logs.scrub(text)
    assert "Zubaida" not in scrubbed and "vierzig" not in scrubbed
    assert "given_name" in scrubbed and "not a name" in scrubbed  # still says what went wrong


def test_sqlalchemy_parameters_and_prefixed_secret_names_are_scrubbed(engine):
    """A failed write's exception quotes the row being written; a token may sit under a longer name."""
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    with engine.connect() as conn:
        conn.execute(text("CREATE TABLE t (name TEXT NOT NULL UNIQUE, note TEXT)"))
        conn.execute(text("INSERT INTO t VALUES ('سميرة حداد', 'my brother is in Sednaya')"))
        with pytest.raises(IntegrityError) as caught:
            conn.execute(text("INSERT INTO t VALUES (:name, :note)"),
                         {"name": "سميرة حداد", "note": "my brother is in Sednaya"})
    scrubbed = logs.scrub(str(caught.value))
    assert "IntegrityError" in scrubbed and "UNIQUE" in scrubbed  # still says what went wrong
    assert "سميرة" not in scrubbed and "Sednaya" not in scrubbed
    for leaky in ("device_token=Qm9vLk", "{'device_token': 'Qm9vLk'}", "enrollment_code: K7QM2XPA9RTF",
                  "code=k7qm-2xpa-9rtf", "k7qm-2xpa-9rtf", "X-Receipt-Secret: Qm9vLk"):
        assert "Qm9vLk" not in logs.scrub(leaky) and "2xpa" not in logs.scrub(leaky).lower(), leaky
    box = "sealed Zm9vYmFyYmF6cXV4cXV1eAAAA+/abcdEFGHijklMNOPqrst1234/+AbCdEfGhIjKl== end"
    assert logs.scrub(box) == "sealed <secret> end"


@pytest.mark.parametrize("hostile", ["a." * 60_000, "a@" * 60_000, "1 " * 60_000, "a.b@" * 30_000,
                                     "x" * 120_000, "-_" * 60_000])
def test_scrubbing_hostile_text_stays_fast_and_bounded(hostile):
    """A server's error message is logged: 120 KB crafted to defeat the patterns took minutes (holding
    the GIL, so the GUI froze). Bounded in length and linear, it takes milliseconds; the limit here is
    a hundred times that, to catch the quadratic case, not to time anything."""
    import time

    started = time.perf_counter()
    scrubbed = logs.scrub(hostile)
    assert time.perf_counter() - started < 2.0
    assert len(scrubbed) <= logs.MAX_SCRUBBED + 100


def test_what_a_coordinator_needs_stays_readable():
    signature = str(uuid.uuid4())
    for text in (f"signature {signature} set aside", "2026-05-01T12:30:45.123+02:00 sync ok",
                 "server 192.168.178.20:8000 refused", "Linux-6.18.44-fc-v657-x86_64-with-glibc2.36",
                 'File "/usr/lib/python3.11/site-packages/sqlalchemy/engine/base.py", line 1965, in _execute_context',
                 "sent 1500 (duplicates 12), needing attention 3", "key 3f9a0c2d11aa4b5e"):
        assert logs.scrub(text) == text


def test_the_filter_scrubs_the_message_and_its_traceback(data_dir):
    path = logs.setup_logging(data_dir)
    try:
        raise ValueError("could not reach zubaida@example.org")
    except ValueError:
        logging.getLogger("test").exception("failed for %s", "+49 1521 7654321")
    text = path.read_text(encoding="utf-8")
    assert "zubaida@example.org" not in text and "7654321" not in text
    assert "failed for <number>" in text and "ValueError: could not reach <email>" in text


# -- uncaught exceptions --------------------------------------------------------------------------

@pytest.mark.qt_no_exception_capture  # in the app, nothing else sees them
def test_uncaught_exceptions_are_logged_without_their_message(data_dir):
    path = logs.setup_logging(data_dir)
    typed = "Zubaida Quraishi"  # the traceback shows the raising lines' source: the value is not on them
    try:
        raise RuntimeError(f"{typed} typed this")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())

    def crash():
        raise KeyError(typed)

    thread = threading.Thread(target=crash, name="worker")
    thread.start()
    thread.join()
    text = path.read_text(encoding="utf-8")
    assert "Zubaida" not in text and "Quraishi" not in text
    assert "CRITICAL petition_kiosk.crash: uncaught RuntimeError" in text
    assert "uncaught KeyError in thread worker" in text
    assert "test_uncaught_exceptions_are_logged_without_their_message" in text  # where it happened


def test_reset_puts_the_hooks_back_and_a_harness_hook_still_sees_the_exception(data_dir):
    seen = []
    before = sys.excepthook
    sys.excepthook = lambda *args: seen.append(args[0])  # a debugger's or a test harness's
    try:
        logs.setup_logging(data_dir)
        assert sys.excepthook is logs.log_uncaught
        try:
            raise OSError("x")
        except OSError:
            sys.excepthook(*sys.exc_info())
        assert seen == [OSError]
        assert "uncaught OSError" in logs.log_path(data_dir).read_text()
        logs.reset_logging()
        assert sys.excepthook is not logs.log_uncaught and threading.excepthook is not logs._log_thread_exception
    finally:
        sys.excepthook = before


def test_tail_reads_the_last_lines_scrubbed_again(tmp_path):
    path = tmp_path / "x.log"
    path.write_text("".join(f"line {n}\n" for n in range(1000)) + "mail a@b.org\n", encoding="utf-8")
    lines = logs.tail(path, 3)
    assert lines == ["line 998", "line 999", "mail <email>"]
    assert logs.tail(tmp_path / "missing.log") == []


@pytest.mark.parametrize("token", ["ZZZY-AHDj8FbKD_9Ga6qLJfH", "aB3-xY9_kLm2-Qr7sT1_vW0z"])
def test_a_token_with_few_small_letters_is_scrubbed_too(token):
    """Found by the property test above: counting upper and lower case letters let a token with five
    small letters through; a part nobody would write (AHDj8FbKD) now gives it away."""
    assert token not in logs.scrub(f"/{token} next")


@pytest.mark.parametrize("readable", ["Linux-6.18.44-fc-v1300-x86_64-with-glibc2.36",
                                      "PySide6_Essentials-6_11_3-cp311-abi3-manylinux",
                                      "test_every_interface_message_is_translated",
                                      "desktop/panel/sections/overview_section.py"])
def test_platform_names_and_paths_stay_readable(readable):
    assert logs.scrub(readable) == readable
