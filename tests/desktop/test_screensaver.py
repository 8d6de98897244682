"""Kiosk mode keeps the screen on through the freedesktop ScreenSaver D-Bus call: tested on a real
session bus (our own dbus-daemon) against a stand-in service, since no desktop runs here."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("dbus-daemon") is None, reason="needs dbus-daemon")
SERVICE = Path(__file__).resolve().parent.parent / "utils" / "screensaver_service.py"

CLIENT = r"""
from desktop.kiosk import ScreenSaverInhibitor
inhibitor = ScreenSaverInhibitor()
print(inhibitor.inhibit(), inhibitor.cookie, flush=True)
inhibitor.release()
print(inhibitor.cookie, flush=True)
"""


def test_kiosk_inhibits_and_releases_screen_blanking(tmp_path: Path):
    daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                              stdout=subprocess.PIPE, text=True)
    service = None
    try:
        address = daemon.stdout.readline().strip()
        assert address.startswith("unix:")
        env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": address, "QT_QPA_PLATFORM": "offscreen"}
        service = subprocess.Popen([sys.executable, str(SERVICE)], stdout=subprocess.PIPE, text=True, env=env)
        assert service.stdout.readline().strip() == "ready"
        client = subprocess.run([sys.executable, "-c", CLIENT], capture_output=True, text=True, env=env, timeout=60)
        assert client.returncode == 0, client.stderr
        assert client.stdout.split("\n")[:2] == ["True 4242", "None"]
        calls = [service.stdout.readline().strip() for _ in range(2)]
        assert calls[0].startswith("Inhibit|petition-kiosk|")
        assert calls[1] == "UnInhibit|4242"
    finally:
        if service is not None:
            service.kill()
        daemon.kill()
        daemon.wait(timeout=10)


def test_without_a_session_bus_it_quietly_does_nothing():
    env = {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent/bus"
    client = subprocess.run([sys.executable, "-c", CLIENT], capture_output=True, text=True, env=env, timeout=60)
    assert client.returncode == 0, client.stderr
    assert client.stdout.split("\n")[:2] == ["False None", "None"]
