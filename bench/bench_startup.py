"""Process start to letter page painted, against a bare PySide6 window started the same way."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bench.core import Figure, median
from bench.spawn import alternate, app_command, bare_window_command, time_until_painted

NAME = "startup"
DESCRIPTION = "process start to letter page painted (python -m desktop --exit-when-painted) vs a bare QWidget window"


def conditions() -> str:
    """What else moves the figure, for whoever reads it: the machine's load (on a shared machine the
    ratio went from 1.45 to 1.97 between runs a minute apart). Both children load compiled bytecode
    (bench/spawn.py, BYTECODE_CACHE), as installed copies do."""
    if hasattr(os, "getloadavg"):
        return f"load average {os.getloadavg()[0]:.1f} at the start on {os.cpu_count()} CPUs"
    return ""


def run(quick: bool) -> list[Figure]:
    from db.campaigns import load_builtin

    rounds = 3 if quick else 10
    campaign = load_builtin()[0].slug
    when = conditions()
    with tempfile.TemporaryDirectory(prefix="petition-bench-startup-") as tmp:
        data_dir = Path(tmp) / "data"
        # The first start creates and migrates the database; a kiosk starts on an existing one, so
        # that start is only reported as a note and the timed starts reuse the data directory.
        first_start = time_until_painted(app_command(data_dir, campaign))
        times = alternate({"app": app_command(data_dir, campaign), "bare": bare_window_command()}, rounds)
    app_ms = [t * 1000 for t in times["app"]]
    bare_ms = [t * 1000 for t in times["bare"]]
    note = (
        f"{rounds} starts each, alternating, after one untimed start of each; "
        f"app {min(app_ms):.0f}-{max(app_ms):.0f} ms, bare {min(bare_ms):.0f}-{max(bare_ms):.0f} ms; "
        f"first start on an empty data dir (creates the database): {first_start * 1000:.0f} ms"
        + (f"; {when}" if when else "")
    )
    return [
        Figure(
            name="startup.median",
            value=median(app_ms),
            unit="ms",
            baseline=median(bare_ms),
            baseline_name="bare PySide6 window with one QLabel (bench/bare_window.py)",
            goal="ratio <= 1.5",
            note=note,
        )
    ]
