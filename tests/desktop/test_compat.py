"""The Qt binding must not drop references it never took: PySide6 6.12.0 did, on every call returning
nothing and every signal emit, which aborts Python 3.11 ("none_dealloc") within a day at a kiosk.
pyproject.toml keeps that release out; this test keeps any release like it out."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QPainterPath
from PySide6.QtWidgets import QLabel

CALLS = 2000
ROOT = Path(__file__).resolve().parents[2]


class _Emitter(QObject):
    fired = Signal(bool)


def test_calls_that_return_nothing_keep_none_alive(qapp):
    path, label = QPainterPath(), QLabel()
    before = sys.getrefcount(None)
    for i in range(CALLS):
        path.lineTo(i, 0)
        label.setText("x")
    assert sys.getrefcount(None) - before > -CALLS // 10


def test_signal_emits_keep_true_alive(qapp):
    emitter, seen = _Emitter(), []
    emitter.fired.connect(seen.append)
    before = sys.getrefcount(True)
    for _ in range(CALLS):
        emitter.fired.emit(True)
    del seen[:]
    assert sys.getrefcount(True) - before > -CALLS // 10


def test_the_app_process_can_leave_no_core_dump():
    """In a child process: the limits stay with the process that set them."""
    code = ("import ctypes, resource\n"
            "from desktop.compat import forbid_core_dumps\n"
            "forbid_core_dumps()\n"
            "print(resource.getrlimit(resource.RLIMIT_CORE))\n"
            "print(ctypes.CDLL(None).prctl(3, 0, 0, 0, 0))\n")  # 3 = PR_GET_DUMPABLE
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["(0,", "0)", "0"]
