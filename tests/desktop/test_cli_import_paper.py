"""`petition-kiosk import-paper` as a coordinator runs it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from db.paths import database_path

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop", "import-paper", *args], capture_output=True,
                          text=True, env=ENV, timeout=120)


def count(data_dir: Path) -> int:
    con = sqlite3.connect(database_path(data_dir))
    try:
        return con.execute("SELECT count(*) FROM signature WHERE mode = 'paper'").fetchone()[0]
    finally:
        con.close()


def test_bad_rows_are_reported_by_line_and_nothing_is_saved(tmp_path: Path):
    csv = tmp_path / "sheets.csv"
    csv.write_text("sheet,given_name,family_name,email\n"
                   "12,Nour,Haddad,nour@example.org\n"
                   "12,Jonas,,not-an-email\n"
                   "13,,,\n"
                   "13,سلمى,,\n", encoding="utf-8-sig")
    data = tmp_path / "data"
    result = run(str(csv), "--campaign", "act-on-syria", "--data-dir", str(data))
    assert result.returncode == 1
    assert "line 3: email: This does not look like an email address." in result.stdout
    assert "Traceback" not in result.stderr
    assert count(data) == 0

    result = run(str(csv), "--campaign", "act-on-syria", "--data-dir", str(data), "--skip-bad")
    assert result.returncode == 0, result.stderr
    assert count(data) == 2
    # The same file again: nothing new.
    result = run(str(csv), "--campaign", "act-on-syria", "--data-dir", str(data), "--skip-bad")
    assert result.returncode == 0
    assert "0 saved, 2 already imported" in result.stdout
    assert count(data) == 2


def test_a_file_for_another_form_is_refused_clearly(tmp_path: Path):
    csv = tmp_path / "sheets.csv"
    csv.write_text("sheet,given_name,shoe_size\n1,Anna,42\n", encoding="utf-8")
    result = run(str(csv), "--campaign", "act-on-syria", "--data-dir", str(tmp_path / "d"))
    assert result.returncode == 2
    assert "shoe_size" in result.stderr and "Traceback" not in result.stderr


def test_campaign_is_required(tmp_path: Path):
    csv = tmp_path / "sheets.csv"
    csv.write_text("sheet,given_name\n1,Anna\n", encoding="utf-8")
    result = run(str(csv), "--data-dir", str(tmp_path / "d"))
    assert result.returncode == 2
    assert "--campaign" in result.stderr
