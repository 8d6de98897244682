"""Every petition-server command, given a path it cannot use (missing, or under a file, which even root
cannot write to): one clear line on stderr naming the path, exit status 2, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from server_helpers import PASSPHRASE

from server.cli import main

# {file}: an ordinary file (so {file}/x cannot be created); {missing}: a path that does not exist;
# {data}: a working data folder.
ON_A_FILE = ["serve", "migrate", "add-device x", "list-devices", "revoke-device x", "close-campaign aleppo",
             "reopen-campaign aleppo", "add-admin x", "list-admins", "revoke-admin x", "stats", "keys list"]
COMMANDS = [
    *([*command.split(), "--data-dir", "{file}"] for command in ON_A_FILE),
    ["export", "--csv", "{missing}/out.csv", "--data-dir", "{data}"],
    ["export", "--csv", "{file}/out.csv", "--data-dir", "{data}"],
    ["add-device", "x", "--qr-file", "{file}/qr.svg", "--data-dir", "{data}"],
    ["publish-campaign", "{missing}/bundle", "--data-dir", "{data}"],
    ["import-handoff", "{missing}/handoff", "--data-dir", "{data}"],
    ["keys", "init", "--passphrase-file", "{missing}/passphrase", "--data-dir", "{data}"],
    ["keys", "rotate", "--passphrase-file", "{missing}/passphrase", "--data-dir", "{data}"],
    ["keys", "change-passphrase", "--passphrase-file", "{passphrase}", "--new-passphrase-file",
     "{missing}/new", "--data-dir", "{data}"],
    ["serve", "--ssl-certfile", "{missing}/cert.pem", "--ssl-keyfile", "{missing}/key.pem", "--port", "9",
     "--data-dir", "{data}"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_path_it_cannot_use_is_one_line_and_status_2(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch, command: list[str]) -> None:
    for name in ("PETITION_SERVER_DATABASE_URL", "PETITION_SERVER_DATA_DIR", "PETITION_SERVER_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    passphrase = tmp_path / "passphrase"
    passphrase.write_text(PASSPHRASE + "\n")
    paths = {"file": str(a_file), "missing": str(tmp_path / "missing"), "data": str(tmp_path / "data"),
             "passphrase": str(passphrase)}
    if "change-passphrase" in command:  # a key to unlock first
        assert main(["keys", "init", "--passphrase-file", str(passphrase), "--kdf-cost", "interactive",
                     "--data-dir", paths["data"]]) == 0
        capsys.readouterr()
    code = main([part.format(**paths) for part in command])  # a traceback would fail the test here
    err = capsys.readouterr().err
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and str(tmp_path) in lines[0], err
