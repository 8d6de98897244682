"""``petition-kiosk --self-test`` passes from the source tree, and says clearly when something is missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_self_test_passes_from_the_virtual_environment(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    proc = subprocess.run([sys.executable, "-m", "desktop", "--self-test"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "self-test passed" in proc.stdout
    for page in ("attract", "letter", "sign", "thanks", "panel"):
        assert page in proc.stdout
    assert "save and read back a signature" in proc.stdout
    assert not list(tmp_path.rglob("*.sqlite3")), "the self-test must never write outside its temporary folder"


def test_self_test_fails_with_a_reason_when_resources_are_missing(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from desktop import selftest

    empty = tmp_path / "frozen"
    (empty / "resources").mkdir(parents=True)
    monkeypatch.setattr(sys, "_MEIPASS", str(empty), raising=False)
    lines: list[str] = []
    assert selftest.run(lines.append) == 1
    text = "\n".join(lines)
    assert "FAIL resources" in text
    assert "self-test FAILED" in text
