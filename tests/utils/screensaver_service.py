"""A stand-in for a desktop's org.freedesktop.ScreenSaver service, on a real D-Bus session bus.

A test starts it under its own dbus-daemon; it prints every call it receives, one per line."""

from __future__ import annotations

import sys

from PySide6.QtCore import ClassInfo, QCoreApplication, QObject, Slot
from PySide6.QtDBus import QDBusConnection

COOKIE = 4242


@ClassInfo({"D-Bus Interface": "org.freedesktop.ScreenSaver"})
class ScreenSaver(QObject):
    @Slot(str, str, result=int)
    def Inhibit(self, application: str, reason: str) -> int:  # noqa: N802 (the D-Bus method's name)
        print(f"Inhibit|{application}|{reason}", flush=True)
        return COOKIE

    @Slot(int)
    def UnInhibit(self, cookie: int) -> None:  # noqa: N802
        print(f"UnInhibit|{cookie}", flush=True)


def main() -> int:
    app = QCoreApplication(sys.argv)
    bus = QDBusConnection.sessionBus()
    service = ScreenSaver()
    if not bus.registerService("org.freedesktop.ScreenSaver") or not bus.registerObject(
        "/org/freedesktop/ScreenSaver", service, QDBusConnection.RegisterOption.ExportAllSlots
    ):
        print("could not register", flush=True)
        return 1
    print("ready", flush=True)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
