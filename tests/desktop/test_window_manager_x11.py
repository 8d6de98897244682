"""The window as a person sees it on a 1024x600 screen with a real window manager (Xvfb + openbox).

Offscreen and a bare Xvfb both hide what these check: the window manager's title bar takes height
from a maximized window (the coordinator PIN pad's keys overlapped there), and it places a window
that leaves full screen (leaving kiosk mode put "Sign the letter" below the screen's edge)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from x_display import needs_window_manager, run_child, xvfb

pytestmark = needs_window_manager

SCREEN = (1024, 600)

COMMON = r"""
import json, sys
from pathlib import Path
from PySide6.QtCore import QRect, QTimer
from PySide6.QtWidgets import QApplication
from desktop.app import build_window, make_application
from desktop.context import open_context
from db import pin

data, mode = Path(sys.argv[1]), sys.argv[2]
pin.set_pin(data, "246813")

def rect(widget, window):
    top_left = widget.mapTo(window, widget.rect().topLeft())
    return [top_left.x(), top_left.y(), widget.width(), widget.height()]
"""

PIN_CHILD = COMMON + r"""
ctx = open_context(data, campaign="act-on-syria", overrides={"kiosk": mode == "kiosk"})
app = make_application()
window = build_window(app, ctx)
if mode == "kiosk":
    window.enter_kiosk()
    window.fill_screen()
else:
    window.showMaximized()

def open_pad():
    window.ask_pin()

def report():
    pad = window.pin_pad
    keys = {name: rect(key, window) for name, key in pad.keys.items()}
    keys["erase"], keys["ok"] = rect(pad.erase, window), rect(pad.ok, window)
    print(json.dumps({"card": rect(pad.card, window), "window": [window.width(), window.height()],
                      "keys": keys}), flush=True)
    app.exit(0)

QTimer.singleShot(1500, open_pad)
QTimer.singleShot(3000, report)
sys.exit(app.exec())
"""

LEAVE_CHILD = COMMON + r"""
ctx = open_context(data, campaign="act-on-syria", overrides={"kiosk": True})
app = make_application()
window = build_window(app, ctx)
window.enter_kiosk()
window.fill_screen()

def leave():
    window.leave_kiosk()

def report():
    frame, available = window.frameGeometry(), window.screen().availableGeometry()
    sign = window.letter.sign_button
    bottom_right = sign.mapToGlobal(sign.rect().bottomRight())
    print(json.dumps({"frame": [frame.x(), frame.y(), frame.width(), frame.height()],
                      "available": [available.x(), available.y(), available.width(), available.height()],
                      "sign_bottom_right": [bottom_right.x(), bottom_right.y()],
                      "maximized": window.isMaximized(), "full_screen": window.isFullScreen()}), flush=True)
    app.exit(0)

QTimer.singleShot(1500, leave)
QTimer.singleShot(3500, report)
sys.exit(app.exec())
"""


@pytest.fixture
def desktop_session() -> Iterator[dict[str, str]]:
    """Xvfb at 1024x600 with openbox managing the windows, as on a small tablet."""
    with xvfb(f"{SCREEN[0]}x{SCREEN[1]}", window_manager=True) as env:
        yield env


def _run(child: str, env: dict[str, str], data: Path, mode: str) -> dict:
    return json.loads(run_child(child, str(data), mode, env=env, timeout=60).strip().splitlines()[-1])


def _inside(inner: list[int], outer: list[int]) -> bool:
    x, y, w, h = inner
    ox, oy, ow, oh = outer
    return ox <= x and oy <= y and x + w <= ox + ow and y + h <= oy + oh


def _overlap(a: list[int], b: list[int]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


@pytest.mark.parametrize("mode", ["maximized", "kiosk"])
def test_every_key_of_the_pin_pad_is_whole_and_apart(desktop_session: dict[str, str], tmp_path: Path, mode: str):
    report = _run(PIN_CHILD, desktop_session, tmp_path, mode)
    width, height = report["window"]
    card, keys = report["card"], report["keys"]
    assert _inside(card, [0, 0, width, height]), report
    assert len(keys) == 12
    for name, key in keys.items():
        assert _inside(key, card), (name, key, card)
        assert key[3] >= 40, (name, key)  # a fingertip's height at least
    names = sorted(keys)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert not _overlap(keys[a], keys[b]), (a, keys[a], b, keys[b])


def test_leaving_kiosk_mode_gives_a_window_inside_the_screen(desktop_session: dict[str, str], tmp_path: Path):
    report = _run(LEAVE_CHILD, desktop_session, tmp_path, "kiosk")
    assert not report["full_screen"]
    assert report["maximized"], report
    assert _inside(report["frame"], report["available"]), report
    ax, ay, aw, ah = report["available"]
    x, y = report["sign_bottom_right"]
    assert x < ax + aw and y < ay + ah, report  # "Sign the letter" is on the screen
