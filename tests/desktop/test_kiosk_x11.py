"""Kiosk mode on a real X server (Xvfb) with no window manager, as in a minimal `xinit` kiosk:
nobody grants the full-screen request there, so the window must take the screen itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("Xvfb") is None, reason="needs Xvfb (./dev.sh test installs it)")

CHILD = r"""
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from desktop.app import build_window, make_application
from desktop.context import open_context
from db import pin

data = Path(sys.argv[1])
pin.set_pin(data, "246810")
ctx = open_context(data, campaign="act-on-syria", overrides={"kiosk": True})
app = make_application()
window = build_window(app, ctx)
window.fill_screen()

def report():
    window.close()  # a close request: the kiosk must stay
    g = window.geometry()
    print(g.x(), g.y(), g.width(), g.height(), window.isVisible(), flush=True)
    app.exit(0)

QTimer.singleShot(1500, report)
sys.exit(app.exec())
"""


def _free_display() -> int:
    for number in range(90, 140):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise RuntimeError("no free X display number")


def test_the_kiosk_window_covers_the_screen_without_a_window_manager(tmp_path: Path):
    display = _free_display()
    xvfb = subprocess.Popen(["Xvfb", f":{display}", "-screen", "0", "1024x640x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{display}").exists():
            assert time.monotonic() < deadline, "Xvfb did not start"
            time.sleep(0.05)
        env = {**os.environ, "DISPLAY": f":{display}", "QT_QPA_PLATFORM": "xcb"}
        result = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path)], capture_output=True, text=True,
                                env=env, timeout=60)
        assert result.returncode == 0, result.stderr[-2000:]
        x, y, width, height, visible = result.stdout.split()
        assert (int(x), int(y), int(width), int(height)) == (0, 0, 1024, 640)
        assert visible == "True"
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)
