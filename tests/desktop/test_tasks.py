"""desktop/tasks.py: the one place where a background task's callbacks are dropped for a widget that was
deleted while the task ran (the window closed during an export, an enrollment, a diagnostics report)."""

import threading

import shiboken6
from PySide6.QtWidgets import QWidget

from desktop import tasks


def _run(qtbot, owner, fn):
    got = []
    relay = tasks.run_in_background(fn, lambda value: got.append(("done", value)),
                                    lambda exc: got.append(("failed", type(exc).__name__)), owner=owner)
    return relay, got


def test_the_result_reaches_a_live_owner(qtbot):
    owner = QWidget()
    relay, got = _run(qtbot, owner, lambda: 42)
    qtbot.waitUntil(lambda: relay not in tasks._alive, timeout=5000)
    assert got == [("done", 42)]


def test_an_error_reaches_a_live_owner(qtbot):
    relay, got = _run(qtbot, QWidget(), lambda: 1 / 0)
    qtbot.waitUntil(lambda: relay not in tasks._alive, timeout=5000)
    assert got == [("failed", "ZeroDivisionError")]


def test_nothing_runs_for_an_owner_deleted_while_the_task_ran(qtbot):
    owner = QWidget()
    gate = threading.Event()
    relay, got = _run(qtbot, owner, lambda: gate.wait(5) and 42)
    shiboken6.delete(owner)  # the window closed while the pool thread worked
    gate.set()
    qtbot.waitUntil(lambda: relay not in tasks._alive, timeout=5000)
    assert got == []
