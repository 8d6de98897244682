"""Opening the coordinator's panel (the overview: per-campaign and per-hour counts of today and of the
active event, the sync states, the last run) on a device holding 200,000 signatures of today, against an
empty device, in the same run. Goal: under 300 ms.

Both devices are real data directories with a window each (offscreen); the large one is filled with
``bench.sync_data.fill_pending`` (all made an hour ago, so every row counts for "today"). Openings
alternate between the two: PIN accepted -> panel shown and painted -> the overview's figures (read in the
task pool, desktop/panel/page.py) shown and painted. The first opening (which also builds the panel's
widgets) is reported on its own.

Two times per opening: until the figures are on screen (what the coordinator waits for), and how long
the GUI thread was busy meanwhile (the opening itself plus showing the figures; while the pool thread
reads, the window keeps answering)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from time import perf_counter
from typing import Any

from bench.core import Figure, median

NAME = "panel-open"
DESCRIPTION = "open the coordinator's panel with 200,000 signatures vs an empty device"
GOAL_MS = 300.0
TIMEOUT_S = 30.0


def _window(data_dir: Path, rows: int):  # type: ignore[no-untyped-def]
    from bench.sync_data import fill_pending
    from desktop.app import build_window, make_application
    from desktop.context import open_context

    ctx = open_context(data_dir, locale="en", campaign="act-on-syria")
    ctx.warm_up()
    if rows:
        fill_pending(ctx.engine, rows, slug="act-on-syria")
    app = make_application()
    window = build_window(app, ctx)
    window.resize(1024, 600)
    window.show()
    app.processEvents()
    return app, window


class _Watch:
    """Counts the overview's showings and the GUI thread's time spent showing them."""

    def __init__(self, panel) -> None:  # type: ignore[no-untyped-def]
        self.shown = 0
        self.showing_s = 0.0
        show = panel.overview.show_snapshot

        def timed(snapshot):  # type: ignore[no-untyped-def]
            start = perf_counter()
            show(snapshot)
            self.showing_s += perf_counter() - start

        panel.overview.show_snapshot = timed
        panel.overview_shown.connect(self._count)

    def _count(self) -> None:
        self.shown += 1


def _wait(signal) -> None:  # type: ignore[no-untyped-def]
    """Run an event loop until ``signal`` (or TIMEOUT_S). Not a processEvents() loop: with PySide6
    6.12.0 every call of a Qt method that returns nothing takes a reference from None, and a loop
    polling thousands of times while the pool thread reads ends in "Fatal Python error: none_dealloc"."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(int(TIMEOUT_S * 1000), loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)


def _open(app, window, watches: dict[int, Any]) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(ms until the figures are painted, ms the GUI thread was busy)."""
    from desktop.flow import Event

    start = perf_counter()
    window.open_panel()
    panel = window.panel
    watch = watches.get(id(window)) or watches.setdefault(id(window), _Watch(panel))
    before, showing = watch.shown, watch.showing_s
    panel.repaint()
    app.processEvents()
    opened = perf_counter() - start
    if watch.shown == before:  # wait in an event loop, not by polling processEvents (see _wait)
        _wait(panel.overview_shown)
    if watch.shown == before:
        raise RuntimeError("the overview's figures never came")
    painted = perf_counter()
    panel.repaint()
    took = perf_counter() - start
    busy = opened + (watch.showing_s - showing) + (perf_counter() - painted)
    window.send(Event.CLOSE_PANEL)
    app.processEvents()
    return took * 1000, busy * 1000


def run(quick: bool) -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    rows = 20_000 if quick else 200_000
    rounds = 5 if quick else 15
    with tempfile.TemporaryDirectory(prefix="bench-panel-") as scratch:
        app, empty = _window(Path(scratch) / "empty", 0)
        _, large = _window(Path(scratch) / "large", rows)
        watches: dict[int, Any] = {}
        first = {"empty": _open(app, empty, watches)[0], "large": _open(app, large, watches)[0]}
        times: dict[str, list[float]] = {"empty": [], "large": []}
        busy: dict[str, list[float]] = {"empty": [], "large": []}
        for _ in range(rounds):
            for name, window in (("empty", empty), ("large", large)):
                took, blocked = _open(app, window, watches)
                times[name].append(took)
                busy[name].append(blocked)
        for window in (empty, large):
            window.close()
            window.ctx.close()
    label = f"{rows:,} signatures"
    return [
        Figure("panel-open.first", first["large"], "ms", first["empty"], "first opening, empty device",
               f"< {GOAL_MS:.0f} ms", f"{label}; builds the panel's widgets too"),
        Figure("panel-open.median", median(times["large"]), "ms", median(times["empty"]),
               "empty device, same run", f"< {GOAL_MS:.0f} ms",
               f"{label}, {rounds} openings each, until the figures are painted"),
        Figure("panel-open.max", max(times["large"]), "ms", max(times["empty"]), "empty device, same run",
               f"< {GOAL_MS:.0f} ms", label),
        Figure("panel-open.gui-busy", median(busy["large"]), "ms", median(busy["empty"]),
               "empty device, same run", "", f"{label}: the GUI thread's share of an opening (median)"),
    ]
