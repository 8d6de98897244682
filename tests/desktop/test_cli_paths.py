"""Every petition-kiosk command, given a path it cannot use (missing, or under a file, which even root
cannot write to): one clear line on stderr naming the path, exit status 2, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}

# {file}: an ordinary file (so {file}/x cannot be created); {missing}: a path that does not exist.
COMMANDS = [
    ("--demo", "--data-dir", "{file}"),  # the app itself
    ("screenshot", "--page", "letter", "{file}/out.png"),
    ("screenshot", "--page", "letter", "--data-dir", "{file}", "{dir}/out.png"),
    ("import-paper", "{missing}/sheets.csv", "--campaign", "aleppo", "--data-dir", "{dir}/d"),
    ("print-sheets", "--campaign", "aleppo", "--count", "1", "--data-dir", "{dir}/d", "{file}/out.pdf"),
    ("import-campaign", "{missing}/bundle", "--data-dir", "{dir}/d"),
    ("enroll", "--server", "https://127.0.0.1:9", "--ca-file", "{missing}/ca.pem", "ABCD-EFGH-JKMN",
     "--data-dir", "{dir}/d"),
    ("sync", "--data-dir", "{file}"),
    ("status", "--data-dir", "{file}"),
    ("diagnostics", "--data-dir", "{file}"),
    ("export", "--handoff", "{dir}/h", "--data-dir", "{file}"),
    ("import-receipt", "{missing}/receipt", "--data-dir", "{dir}/d"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_path_it_cannot_use_is_one_line_and_status_2(tmp_path: Path, command: tuple[str, ...]) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    paths = {"file": str(a_file), "missing": str(tmp_path / "missing"), "dir": str(tmp_path)}
    args = [part.format(**paths) for part in command]
    result = subprocess.run([sys.executable, "-m", "desktop", *args], capture_output=True, text=True,
                            env=ENV, timeout=120)
    lines = [line for line in result.stderr.splitlines()
             if line.startswith("petition-kiosk")]  # Qt's and the log's own warnings aside
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert len(lines) == 1 and str(tmp_path) in lines[0], result.stderr
