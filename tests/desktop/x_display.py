"""A private Xvfb for tests that need a real X server (stacking of windows, a screen's DPI)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

needs_xvfb = pytest.mark.skipif(shutil.which("Xvfb") is None, reason="needs Xvfb (./dev.sh test installs it)")


def _free_display() -> int:
    for number in range(140, 200):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise RuntimeError("no free X display number")


needs_window_manager = pytest.mark.skipif(shutil.which("Xvfb") is None or shutil.which("openbox") is None,
                                          reason="needs Xvfb and openbox (./dev.sh test installs them)")


@contextmanager
def xvfb(size: str = "1024x600", dpi: int | None = None, *, window_manager: bool = False) -> Iterator[dict[str, str]]:
    """An X server of ``size`` pixels; yields the environment a child process needs to use it.

    ``dpi``: the screen measures that many dots per inch. Xvfb's RandR outputs always claim 96,
    so RandR is then left out and Qt reads the screen's size in millimetres from the core protocol.
    ``window_manager``: openbox manages the windows, as on a desktop (title bars take height, maximize
    and full screen are granted); without one, as in a bare ``xinit`` kiosk."""
    display = _free_display()
    options = ["-dpi", str(dpi), "-extension", "RANDR"] if dpi else []
    server = subprocess.Popen(["Xvfb", f":{display}", "-screen", "0", f"{size}x24", *options,
                               "-nolisten", "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{display}").exists():
            assert time.monotonic() < deadline, "Xvfb did not start"
            time.sleep(0.05)
        env = {**os.environ, "DISPLAY": f":{display}", "QT_QPA_PLATFORM": "xcb"}
        if not window_manager:
            yield env
            return
        manager = subprocess.Popen(["openbox", "--sm-disable"], env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        try:
            time.sleep(0.5)  # openbox takes the screen before the first window maps
            assert manager.poll() is None, "openbox did not start"
            yield env
        finally:
            manager.terminate()
            manager.wait(timeout=10)
    finally:
        server.terminate()
        server.wait(timeout=10)


def run_child(code: str, *args: str, env: dict[str, str], timeout: int = 120) -> str:
    """Run ``code`` in a fresh Python (its own QApplication, its own environment); its stdout."""
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env,
                            timeout=timeout)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout
