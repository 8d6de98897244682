"""The Qt binding must not drop references it never took: PySide6 6.12.0 did, on every call returning
nothing and every signal emit, which aborts Python 3.11 ("none_dealloc") within a day at a kiosk.
pyproject.toml keeps that release out; this test keeps any release like it out."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QPainterPath
from PySide6.QtWidgets import QLabel

CALLS = 2000


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
