"""The headless commands, run as a user runs them: a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop", *args], capture_output=True, text=True,
                          env=ENV, timeout=timeout)


@pytest.mark.parametrize("page", ["picker", "letter", "sign", "thanks"])
@pytest.mark.parametrize("lang", ["en", "ar", "de"])
def test_screenshot_renders_each_page_at_the_asked_size(tmp_path: Path, page: str, lang: str):
    """800x480 is a small tablet: every page fits it in every language (German words are long)."""
    out = tmp_path / f"{page}.png"
    result = run("screenshot", "--page", page, "--lang", lang, "--size", "800x480",
                 "--data-dir", str(tmp_path / "d"), str(out))
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (800, 480)
    # A page that rendered something: more than a handful of distinct colours (text, buttons).
    colours = {image.pixel(x, y) for x in range(0, 800, 7) for y in range(0, 480, 7)}
    assert len(colours) > 5


def test_screenshot_without_data_dir_leaves_no_database_behind(tmp_path: Path):
    home = tmp_path / "home"
    env = {**ENV, "HOME": str(home), "XDG_DATA_HOME": str(home / ".local/share")}
    out = tmp_path / "letter.png"
    result = subprocess.run([sys.executable, "-m", "desktop", "screenshot", "--page", "letter", str(out)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert out.exists()
    assert not (home / ".local/share/petition-kiosk").exists()


def test_bad_size_is_a_clear_error(tmp_path: Path):
    result = run("screenshot", "--page", "letter", "--size", "big", str(tmp_path / "x.png"))
    assert result.returncode == 2
    assert "--size" in result.stderr and "Traceback" not in result.stderr


def test_unknown_campaign_is_a_clear_error(tmp_path: Path):
    result = run("screenshot", "--page", "letter", "--campaign", "nope", "--data-dir", str(tmp_path),
                 str(tmp_path / "x.png"))
    assert result.returncode == 2
    assert "nope" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("extra", [[], ["--campaign", "aleppo"], ["--campaign", "aleppo", "--kiosk"]])
def test_app_reports_its_first_paint_and_exits(tmp_path: Path, extra: list[str]):
    """The start-up benchmark's probe: the picker (two campaigns, none chosen), the letter, or the
    kiosk's attract screen (whose window refuses to close, and must still let the probe exit)."""
    result = run("--data-dir", str(tmp_path), *extra, "--exit-when-painted", timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "painted"


def test_every_subcommand_is_known_to_the_quick_start_parser():
    """A start of the app parses only the app's options; a command name must switch to the full parser."""
    from desktop.cli import COMMAND_NAMES, build_parser

    full = build_parser()
    subparsers = next(a for a in full._actions if a.dest == "command")
    assert set(subparsers.choices) == COMMAND_NAMES
    quick = build_parser(commands=False).parse_args(["--data-dir", "/tmp/x", "--lang", "ar", "--kiosk", "--demo"])
    assert (quick.lang, quick.kiosk, quick.demo, quick.command) == ("ar", True, True, None)


@pytest.mark.parametrize("page", ["panel-overview", "paper"])
def test_a_picture_of_the_panel_from_a_real_data_dir_is_no_coordinator_visit(tmp_path: Path, page: str):
    """The audit log says when the panel was opened by someone with the PIN; rendering it for the
    README or a bug report must not add such an entry (nor anything else) to the device's log."""
    from sqlmodel import Session

    from db import audit
    from db.engine import make_engine
    from db.paths import database_path

    data_dir = tmp_path / "d"
    assert run("screenshot", "--page", "letter", "--data-dir", str(data_dir), str(tmp_path / "a.png")).returncode == 0
    result = run("screenshot", "--page", page, "--data-dir", str(data_dir), str(tmp_path / "b.png"))
    assert result.returncode == 0, result.stderr
    assert QImage(str(tmp_path / "b.png")).width() == 1024
    engine = make_engine(database_path(data_dir))
    try:
        with Session(engine) as session:
            assert audit.recent(session=session) == []
    finally:
        engine.dispose()
