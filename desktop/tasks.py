"""The one helper for work that must not run on the GUI thread (network, exports, purges): a QThreadPool
task whose result or error comes back by a queued signal, to a slot in the GUI thread. Workers get plain
arguments (paths, the engine), never a widget."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn, self.relay = fn, relay

    def run(self) -> None:  # in a pool thread
        try:
            result = self.fn()
        except Exception as exc:  # handed to the GUI thread, which says what went wrong
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


_alive: set[_Relay] = set()


def run_in_background(fn: Callable[[], Any], on_done: Callable[[Any], None],
                      on_error: Callable[[Exception], None] | None = None) -> _Relay:
    relay = _Relay()  # lives in the GUI thread: its signals reach the slots there, queued
    _alive.add(relay)

    def finish(handler: Callable[[Any], None] | None, value: Any) -> None:
        _alive.discard(relay)
        if handler is not None:
            handler(value)

    relay.done.connect(lambda value: finish(on_done, value))
    relay.failed.connect(lambda exc: finish(on_error, exc))
    QThreadPool.globalInstance().start(_Task(fn, relay))
    return relay
