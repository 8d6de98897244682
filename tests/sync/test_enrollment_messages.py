"""What goes wrong when enrolling comes out as a stable message key (the panel translates it) and as a
clear English sentence on the command line: mistyped addresses and codes, damaged QR text, and a real
server process refusing a code, a revoked device's code, or nothing answering at all."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from db.sync import enrollment
from db.sync.enrollment import MESSAGES, EnrollmentError, failure_key, parse_target
from db.wire import enrollment_uri
from server.database import write_session
from server.devices import add_device, find
from utils.sync_env import SyncServer, new_code, sync_server

pytestmark = pytest.mark.timeout(120)
ROOT = Path(__file__).resolve().parents[2]
GOOD_QR = enrollment_uri("https://petitions.example.org", "K7QM-2XPA-9RTF")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncServer]:
    with sync_server(tmp_path_factory.mktemp("enroll-server")) as running:
        yield running


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def _key(text: str, code: str | None) -> str:
    with pytest.raises(EnrollmentError) as caught:
        parse_target(text, code)
    return caught.value.key


@pytest.mark.parametrize(("text", "code", "key"), [
    ("petitions.example.org", "K7QM-2XPA-9RTF", enrollment.SERVER_ADDRESS),
    ("https://petitions.example.org", "K7QM-2XPA", enrollment.CODE_SHAPE),
    ("https://petitions.example.org", "   ", enrollment.CODE_MISSING),
    ("https://petitions.example.org", None, enrollment.CODE_MISSING),  # the address typed, the code forgotten
    ("", None, enrollment.CODE_MISSING),
    ("K7QM-2XPA-9RTF", None, enrollment.NOT_QR_TEXT),
    ("petition-kiosk://enroll?v=2&server=https%3A%2F%2Fx.org&code=K7QM-2XPA-9RTF", None, enrollment.QR_NEWER),
    ("petition-kiosk://enroll?v=1&server=https%3A%2F%2Fx.org&code=K7QM-2X", None, enrollment.QR_DAMAGED),
    ("petition-kiosk://enroll?v=1&code=K7QM-2XPA-9RTF", None, enrollment.QR_DAMAGED),
])
def test_what_was_typed_or_pasted_gets_a_message_key(text: str, code: str | None, key: str) -> None:
    assert _key(text, code) == key


def test_good_input_still_parses() -> None:
    assert parse_target(GOOD_QR, None) == ("https://petitions.example.org", "K7QM2XPA9RTF")
    assert parse_target(" https://petitions.example.org/ ", "k7qm 2xpa 9rtf") == (
        "https://petitions.example.org", "K7QM2XPA9RTF")


def test_every_key_has_an_english_message_and_keys_never_collide() -> None:
    keys = [value for name, value in vars(enrollment).items()
            if name.isupper() and isinstance(value, str) and value in MESSAGES]
    assert sorted(keys) == sorted(MESSAGES) and len(set(MESSAGES.values())) == len(MESSAGES)
    assert all(message.endswith(".") for message in MESSAGES.values())


def test_a_real_server_refusing_gives_keys_not_exceptions_text(server: SyncServer, tmp_path: Path) -> None:
    with pytest.raises(Exception) as wrong:
        enrollment.enroll(tmp_path / "a", server.url, "AAAABBBBCCCC")
    assert failure_key(wrong.value) == enrollment.CODE_REFUSED
    assert "invalid_code" in enrollment.failure_detail(wrong.value)  # the server's words, for a technician

    with write_session(server.engine) as session:
        made = add_device("stolen tablet", session=session, ttl=timedelta(hours=1))
        session.commit()
    with write_session(server.engine) as session:  # revoked while its code was still unused (revoke()
        device = find(made.device_id, session=session)[0]  # spends the codes too; this is the race)
        device.revoked_at = datetime.now(UTC)
        session.add(device)
        session.commit()
    with pytest.raises(Exception) as revoked:
        enrollment.enroll(tmp_path / "b", server.url, made.code)
    assert failure_key(revoked.value) == enrollment.DEVICE_REVOKED

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(Exception) as silent:
        enrollment.enroll(tmp_path / "c", f"http://127.0.0.1:{port}", "AAAABBBBCCCC", connect_timeout=2)
    assert failure_key(silent.value) == enrollment.NO_ANSWER

    with pytest.raises(EnrollmentError) as outside:  # refused before anything is sent
        enrollment.enroll(tmp_path / "d", "http://93.184.216.34:8000", "AAAABBBBCCCC")
    assert outside.value.key == enrollment.HTTP_OUTSIDE
    assert enrollment.load(tmp_path / "a") is None


def test_the_command_line_prints_the_english_message(server: SyncServer, tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    newer = _cli("enroll", "--data-dir", data, GOOD_QR.replace("v=1", "v=2"))
    assert newer.returncode == 2
    assert newer.stderr.strip() == f"petition-kiosk enroll: {MESSAGES[enrollment.QR_NEWER]}"
    outside = _cli("enroll", "--data-dir", data, "--server", "http://petitions.example.org", "K7QM-2XPA-9RTF")
    assert outside.returncode == 2 and MESSAGES[enrollment.HTTP_OUTSIDE] in outside.stderr
    assert "Traceback" not in outside.stderr
    wrong = _cli("enroll", "--data-dir", data, "--server", server.url, "AAAA-BBBB-CCCC")
    assert wrong.returncode == 4
    assert MESSAGES[enrollment.CODE_REFUSED] in wrong.stderr and "invalid_code" in wrong.stderr
    right = _cli("enroll", "--data-dir", data, "--server", server.url, new_code(server.engine, "tablet"))
    assert right.returncode == 0, right.stderr
