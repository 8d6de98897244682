"""Choosing the input method, before the QApplication exists: Qt Virtual Keyboard or the system's.

Qt reads its input method (``QT_IM_MODULE``) when the application starts, so this runs first, and
without Qt: start-up runs it before the first paint (desktop/app.py), and the widgets that show the
keyboard (desktop/keyboard.py) load only after that paint.

``auto`` is decided from what the kernel lists (``/proc/bus/input/devices``, read the way udev and
libinput classify devices): on when there is a touch screen and no keyboard. A tablet whose firmware
reports a keyboard that is not there (some 2-in-1s do) needs the setting "on". Elsewhere than Linux,
``auto`` leaves typing to the system's own touch keyboard.
"""

from __future__ import annotations

import logging
import os
import struct
import sys
from pathlib import Path

log = logging.getLogger(__name__)

MODULE = "qtvirtualkeyboard"
MODES = ("auto", "on", "off")
INPUT_DEVICES = Path("/proc/bus/input/devices")

# Linux input event codes (linux/input-event-codes.h).
INPUT_PROP_DIRECT = 0x01
EV_KEY = 0x01
EV_ABS = 0x03
BTN_TOUCH = 0x14A
ABS_X = 0x00
ABS_MT_POSITION_X = 0x35


def _bits(line: str) -> int:
    """A bitmap line of /proc/bus/input/devices ("B: KEY=7 ff ... fe"): hexadecimal words of one C
    ``long`` each, the most significant first, leading zeros left out."""
    digits = struct.calcsize("l") * 2
    words = line.split("=", 1)[1].split()
    return int("".join(word.rjust(digits, "0") for word in words) or "0", 16)


def classify(devices_text: str) -> tuple[bool, bool]:
    """(a touch screen, a keyboard) among the kernel's input devices, by udev's rules
    (input_id): a touch screen is a direct absolute device with BTN_TOUCH; a keyboard has every key
    from Escape to D (the first 31 key codes), which power buttons, lid switches, remote
    controls and headset buttons do not."""
    touch = keyboard = False
    for block in devices_text.split("\n\n"):
        bitmaps = {}
        for line in block.splitlines():
            if line.startswith("B: ") and "=" in line:
                name = line[3:].split("=", 1)[0]
                bitmaps[name] = _bits(line)
        events, keys = bitmaps.get("EV", 0), bitmaps.get("KEY", 0)
        absolute, props = bitmaps.get("ABS", 0), bitmaps.get("PROP", 0)
        if events >> EV_KEY & 1 and keys & 0xFFFFFFFE == 0xFFFFFFFE:
            keyboard = True
        if (events >> EV_ABS & 1 and props >> INPUT_PROP_DIRECT & 1 and keys >> BTN_TOUCH & 1
                and (absolute >> ABS_X & 1 or absolute >> ABS_MT_POSITION_X & 1)):
            touch = True
    return touch, keyboard


def touch_without_keyboard(path: Path = INPUT_DEVICES) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    touch, keyboard = classify(text)
    return touch and not keyboard


def wanted(mode: str) -> bool:
    if mode == "on":
        return True
    if mode == "auto":
        return touch_without_keyboard()
    return False


def _plugin_installed() -> bool:
    # here, not at the top: the first paint goes without it
    from PySide6.QtCore import QLibraryInfo

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforminputcontexts"
    return any(MODULE in p.name for p in folder.glob("*")) if folder.is_dir() else False


def choose_input_method(mode: str, environ: os._Environ[str] | dict[str, str] | None = None) -> bool:
    """Before the QApplication: make Qt Virtual Keyboard the input method when the setting
    (``mode``) wants it, in the window only (never in a window of its own). Returns whether it is."""
    environ = os.environ if environ is None else environ
    if mode not in MODES:
        mode = "auto"
    if not wanted(mode):
        if environ.get("QT_IM_MODULE") == MODULE and mode == "off":
            del environ["QT_IM_MODULE"]  # "off" wins over a system-wide choice
        return False
    if not _plugin_installed():
        log.warning("the on-screen keyboard is wanted but Qt Virtual Keyboard is not installed")
        return False
    environ.pop("QT_IM_MODULES", None)  # Qt 6.8+ reads this list first
    environ["QT_IM_MODULE"] = MODULE
    environ["QT_VIRTUALKEYBOARD_DESKTOP_DISABLE"] = "1"
    return True


def in_use() -> bool:
    """Whether the running application's input method is the virtual keyboard, in the window."""
    return os.environ.get("QT_IM_MODULE") == MODULE and "QT_VIRTUALKEYBOARD_DESKTOP_DISABLE" in os.environ
