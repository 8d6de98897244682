"""Opening the coordinator's panel (the overview: per-campaign and per-hour counts of today and of the
active event, the sync states, the last run) on a device holding 200,000 signatures of today, against an
empty device, in the same run. Goal: under 300 ms.

Both devices are real data directories with a window each (offscreen); the large one is filled with
``bench.sync_data.fill_pending`` (all made an hour ago, so every row counts for "today"). Openings
alternate between the two: PIN accepted → panel shown, filled and painted. The first opening (which
also builds the panel's widgets) is reported on its own."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from time import perf_counter

from bench.core import Figure, median

NAME = "panel-open"
DESCRIPTION = "open the coordinator's panel with 200,000 signatures vs an empty device"
GOAL_MS = 300.0


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


def _open(app, window) -> float:  # type: ignore[no-untyped-def]
    from desktop.flow import Event

    start = perf_counter()
    window.open_panel()
    window.panel.repaint()
    app.processEvents()
    took = (perf_counter() - start) * 1000
    window.send(Event.CLOSE_PANEL)
    app.processEvents()
    return took


def run(quick: bool) -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    rows = 20_000 if quick else 200_000
    rounds = 5 if quick else 15
    with tempfile.TemporaryDirectory(prefix="bench-panel-") as scratch:
        app, empty = _window(Path(scratch) / "empty", 0)
        _, large = _window(Path(scratch) / "large", rows)
        first = {"empty": _open(app, empty), "large": _open(app, large)}
        times: dict[str, list[float]] = {"empty": [], "large": []}
        for _ in range(rounds):
            times["empty"].append(_open(app, empty))
            times["large"].append(_open(app, large))
        for window in (empty, large):
            window.close()
            window.ctx.close()
    label = f"{rows:,} signatures"
    return [
        Figure("panel-open.first", first["large"], "ms", first["empty"], "first opening, empty device",
               f"< {GOAL_MS:.0f} ms", f"{label}; builds the panel's widgets too"),
        Figure("panel-open.median", median(times["large"]), "ms", median(times["empty"]),
               "empty device, same run", f"< {GOAL_MS:.0f} ms", f"{label}, {rounds} openings each"),
        Figure("panel-open.max", max(times["large"]), "ms", max(times["empty"]), "empty device, same run",
               f"< {GOAL_MS:.0f} ms", label),
    ]
