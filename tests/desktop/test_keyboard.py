"""The on-screen keyboard: Qt Virtual Keyboard docked in the window (desktop/keyboard.py).

The input method is chosen before the QApplication exists, so each run is a child process with its
own application: offscreen for what it types, and on a real X server for a kiosk window that is full
screen and always on top, where the keyboard must show on the screen, in front."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from x_display import needs_xvfb, run_child, xvfb

from desktop import input_method, keyboard

TABLET = """\
I: Bus=0018 Vendor=04f3 Product=2a1c Version=0100
N: Name="ELAN9008:00 04F3:2A1C"
P: Phys=i2c-ELAN9008:00
H: Handlers=mouse0 event5
B: PROP=2
B: EV=1b
B: KEY=400 0 0 0 0 0
B: ABS=3273800000000003
B: MSC=20

I: Bus=0019 Vendor=0000 Product=0001 Version=0000
N: Name="Power Button"
H: Handlers=kbd event0
B: PROP=0
B: EV=3
B: KEY=10000000000000 0

I: Bus=0019 Vendor=0000 Product=0000 Version=0000
N: Name="Intel HID events"
H: Handlers=rfkill kbd event7
B: PROP=0
B: EV=13
B: KEY=81000300000000 5000004000 1e294000000020 0
B: MSC=10
"""

LAPTOP_KEYBOARD = """\
I: Bus=0011 Vendor=0001 Product=0001 Version=ab83
N: Name="AT Translated Set 2 keyboard"
H: Handlers=sysrq kbd leds event3
B: PROP=0
B: EV=120013
B: KEY=402000000 3803078f800d001 feffffdfffefffff fffffffffffffffe
B: MSC=10
B: LED=7
"""

TOUCHPAD = """\
I: Bus=0018 Vendor=06cb Product=cd8b Version=0100
N: Name="SYNA3602:00 06CB:CD8B Touchpad"
H: Handlers=mouse1 event6
B: PROP=5
B: EV=1b
B: KEY=e520 10000 0 0 0 0
B: ABS=2e0800000000003
"""


def test_the_kernels_devices_tell_a_tablet_from_a_laptop():
    assert keyboard.classify(TABLET) == (True, False)  # a power button and hot keys are no keyboard
    assert keyboard.classify(LAPTOP_KEYBOARD + "\n" + TOUCHPAD) == (False, True)  # a touchpad is no screen
    assert keyboard.classify(TABLET + "\n" + LAPTOP_KEYBOARD) == (True, True)  # a 2-in-1 with its keyboard
    assert keyboard.classify("") == (False, False)


def test_auto_reads_the_devices_on_linux(tmp_path: Path, monkeypatch):
    devices = tmp_path / "devices"
    devices.write_text(TABLET)
    monkeypatch.setattr(input_method.sys, "platform", "linux")
    assert input_method.touch_without_keyboard(devices)
    devices.write_text(TABLET + "\n" + LAPTOP_KEYBOARD)
    assert not input_method.touch_without_keyboard(devices)
    assert not input_method.touch_without_keyboard(tmp_path / "missing")
    monkeypatch.setattr(input_method.sys, "platform", "win32")
    devices.write_text(TABLET)
    assert not input_method.touch_without_keyboard(devices)  # the system's own touch keyboard there


def test_the_setting_chooses_the_input_method(monkeypatch):
    monkeypatch.setattr(input_method, "touch_without_keyboard", lambda path=None: False)
    environ: dict[str, str] = {"QT_IM_MODULES": "ibus"}
    assert input_method.choose_input_method("on", environ)
    assert environ == {"QT_IM_MODULE": "qtvirtualkeyboard", "QT_VIRTUALKEYBOARD_DESKTOP_DISABLE": "1"}
    environ = {"QT_IM_MODULE": "ibus"}
    assert not input_method.choose_input_method("auto", environ)  # a laptop: its keyboard and its input method
    assert environ == {"QT_IM_MODULE": "ibus"}
    environ = {"QT_IM_MODULE": "qtvirtualkeyboard"}
    assert not input_method.choose_input_method("off", environ)  # off wins over a system-wide choice
    assert environ == {}
    monkeypatch.setattr(input_method, "touch_without_keyboard", lambda path=None: True)
    environ = {}
    assert input_method.choose_input_method("auto", environ)
    assert environ["QT_IM_MODULE"] == "qtvirtualkeyboard"


def test_choosing_the_input_method_loads_no_widgets():
    """It runs before the QApplication, and before the first paint: the keyboard's widgets (and Qt's
    namespace, which they need) load after that paint."""
    import subprocess
    import sys

    probe = ("import sys; from desktop.input_method import choose_input_method; choose_input_method('auto', {}); "
             "print(','.join(m for m in ('desktop.keyboard', 'PySide6.QtWidgets') if m in sys.modules) or '-')")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "-"


def test_the_setting_is_stored_and_checked(engine):
    from pydantic import ValidationError
    from sqlmodel import Session

    from db import settings

    with Session(engine) as session:
        assert settings.stored(session=session).on_screen_keyboard == "auto"
        settings.update(session=session, on_screen_keyboard="on")
        session.commit()
        assert settings.stored(session=session).on_screen_keyboard == "on"
        with pytest.raises(ValidationError):
            settings.update(session=session, on_screen_keyboard="sometimes")


# Types on the real form through the keyboard's keys and reports what happened, as JSON lines.
CHILD = r"""
import json, sys
from pathlib import Path
from PySide6.QtCore import QDeadlineTimer, QEventLoop, QPoint, QPointF, QRect, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest
from db import pin
from desktop.app import build_window, make_application
from desktop.context import open_context
from desktop.flow import Event, Page
from desktop.widgets import fingertip

data, mode = Path(sys.argv[1]), sys.argv[2]
pin.set_pin(data, "246810")
ctx = open_context(data, locale="en", campaign="act-on-syria", overrides={"kiosk": mode == "kiosk"})
app = make_application(on_screen_keyboard="on")
window = build_window(app, ctx)
if mode == "kiosk":
    window.fill_screen()
else:
    window.resize(1024, 600)
    window.show()

def report(**values):
    print(json.dumps(values), flush=True)

def wait(ms):
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()

def wait_until(condition, ms=5000):
    deadline = QDeadlineTimer(ms)
    while not condition() and not deadline.hasExpired():
        wait(20)
    return condition()

wait(300)
from desktop.warm_up import prepare
prepare(window)
dock = window.keyboard

def keys():
    found = {}
    for item in dock.view.rootObject().findChildren(QQuickItem):
        text = item.property("text")
        if (item.property("key") is not None and isinstance(text, str) and text and item.isVisible()
                and item.width() > 0 and item.property("enabled")):
            found.setdefault(text, item)
    return found

def tap(text):
    item = keys()[text]
    centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint()
    QTest.mouseClick(dock.view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
    wait(60)

def field_in_view(editor):
    viewport = window.sign.scroll_area.viewport()
    top_left = editor.mapTo(viewport, QPoint(0, 0))
    return viewport.rect().contains(QRect(top_left, editor.size()))

report(step="before", dock=dock is not None, shown=dock.showing())
window.send(Event.BEGIN if mode == "kiosk" else Event.SIGN_PRESSED)
if mode == "kiosk":
    window.send(Event.SIGN_PRESSED)
wait_until(dock.showing)
wait(200)
first = window.sign.editors["given_name"]
central = window.centralWidget()
key_heights = [keys()[k].height() for k in "qwertyasdfgzxcvb" if k in keys()]
report(step="form", shown=dock.showing(), focused=QGuiApplication.focusObject() is first,
       at_bottom=dock.geometry().bottom() == central.height() - 1, in_view=field_in_view(first),
       layout=dock.layout_locale(), lowest_key=min(key_heights) if key_heights else 0, fingertip=fingertip(),
       windows=[w.objectName() or type(w).__name__ for w in QGuiApplication.topLevelWindows() if w.isVisible()])
if mode == "kiosk" and QGuiApplication.platformName() == "xcb":
    # What the X server shows where the keyboard is: the same picture as the keyboard itself draws.
    wait(300)
    area = QRect(dock.mapToGlobal(QPoint(0, 0)), dock.size())
    on_screen = window.screen().grabWindow(0, area.x(), area.y(), area.width(), area.height()).toImage()
    drawn = dock.grab().toImage()
    same = total = 0
    for y in range(0, min(on_screen.height(), drawn.height()), 7):
        for x in range(0, min(on_screen.width(), drawn.width()), 7):
            total += 1
            a, b = on_screen.pixelColor(x, y), drawn.pixelColor(x, y)
            same += abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) < 30
    g = window.geometry()
    report(step="screen", same=same / max(total, 1), area=[area.x(), area.y(), area.width(), area.height()],
           window=[g.x(), g.y(), g.width(), g.height()],
           on_top=bool(window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint))
for letter in "nour":  # the keyboard gives the capital at the start of a name by itself
    tap(letter)
report(step="typed", text=first.text(), focused=QGuiApplication.focusObject() is first)
window.set_language("ar")
wait(300)
family = window.sign.editors["family_name"]
family.setFocus()
wait_until(lambda: "ش" in keys())
tap("ش")
report(step="arabic", layout=dock.layout_locale(), text=family.text(),
       typed_before=window.sign.editors["given_name"].text())  # the form was rebuilt in Arabic, keeping it
window.sign.editors["email"].setFocus()
wait_until(lambda: dock.layout_locale() == "en_US")
report(step="email", layout=dock.layout_locale())
window.set_language("de")
window.sign.editors["given_name"].setFocus()
wait_until(lambda: "ü" in keys())
report(step="german", layout=dock.layout_locale(), umlaut="ü" in keys())
window.wipe_traces()
wait(200)
report(step="wiped", shown=dock.isVisible())
from db import settings as settings_store
from db.engine import write_session
with write_session(ctx.engine) as session:
    settings_store.update(session=session, on_screen_keyboard="off")
    session.commit()
window.reload_settings()
window.sign.editors["given_name"].setFocus()
wait(300)
report(step="off", shown=dock.isVisible())
window.locked_down = False
window.close()
"""


def _steps(output: str) -> dict[str, dict]:
    steps = {}
    for line in output.splitlines():
        if line.startswith("{"):
            values = json.loads(line)
            steps[values.pop("step")] = values
    return steps


def _check(steps: dict[str, dict]) -> None:
    assert steps["before"] == {"dock": True, "shown": False}
    form = steps["form"]
    assert form["shown"] and form["focused"], form  # the form opens with the keys ready
    assert form["at_bottom"] and form["in_view"], form  # under the page, the field above it
    assert form["layout"] == "en_US"
    assert form["lowest_key"] >= form["fingertip"] - 1, form
    assert len(form["windows"]) == 1, form  # in the window itself: no keyboard window to hide behind
    assert steps["typed"] == {"text": "Nour", "focused": True}
    assert steps["arabic"] == {"layout": "ar_AR", "text": "ش", "typed_before": "Nour"}
    assert steps["email"]["layout"] == "en_US"  # an address is typed in Latin letters
    assert steps["german"] == {"layout": "de_DE", "umlaut": True}
    assert steps["wiped"] == {"shown": False}  # an idle reset takes the keyboard away too
    assert steps["off"] == {"shown": False}  # the coordinator's "Never", at once


def test_the_keyboard_types_into_the_form_in_three_languages(tmp_path: Path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    _check(_steps(run_child(CHILD, str(tmp_path / "data"), "window", env=env)))


@needs_xvfb
def test_the_keyboard_shows_in_front_in_a_full_screen_kiosk(tmp_path: Path):
    """A kiosk window is full screen and stays on top: the keyboard is part of it, so it shows in
    front, where the X server really draws it, and no window of its own can end up behind."""
    with xvfb("1024x600") as env:
        steps = _steps(run_child(CHILD, str(tmp_path / "data"), "kiosk", env=env))
    _check(steps)
    screen = steps["screen"]
    assert screen["window"] == [0, 0, 1024, 600] and screen["on_top"], screen  # the kiosk, still the screen
    x, y, width, height = screen["area"]
    assert (x, width) == (0, 1024) and y + height == 600, screen  # along the bottom of the screen
    assert screen["same"] > 0.95, screen
