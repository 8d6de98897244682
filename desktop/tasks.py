"""The one helper for work that must not run on the GUI thread (network, exports, purges): a QThreadPool
task whose result or error comes back by a queued signal, to a slot in the GUI thread. Workers get plain
arguments (paths, the engine), never a widget.

Every task names its ``owner``, the widget its callbacks belong to: when that widget was deleted while the
task ran (the window closed), the callbacks are dropped here, so no caller checks for it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from shiboken6 import isValid

log = logging.getLogger(__name__)


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
                      on_error: Callable[[Exception], None] | None = None, *, owner: QObject | None) -> _Relay:
    """Run ``fn`` in the pool; ``on_done(result)`` or ``on_error(exc)`` then runs in the GUI thread, unless
    ``owner`` (None: callbacks that touch no widget) has been deleted meanwhile."""
    relay = _Relay()  # lives in the GUI thread: its signals reach the slots there, queued

    def finish(handler: Callable[[Any], None] | None, value: Any) -> None:
        _alive.discard(relay)
        if owner is not None and not isValid(owner):
            log.debug("a background task finished after its %s was closed", type(owner).__name__)
            return
        if handler is not None:
            handler(value)

    _alive.add(relay)
    relay.done.connect(lambda value: finish(on_done, value))
    relay.failed.connect(lambda exc: finish(on_error, exc))
    QThreadPool.globalInstance().start(_Task(fn, relay))
    return relay
