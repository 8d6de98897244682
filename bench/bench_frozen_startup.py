"""The built program's start-up (dist/petition-kiosk/) against the same code run from the virtual
environment, both to the letter page painted, in the same run.

Needs a build: ``./dev.sh build`` (``./dev.sh test`` makes one before the benchmarks). Without one, or
with one older than the sources, this benchmark builds it first with PyInstaller (a few minutes) and
says so in its note.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.core import Figure, median
from bench.spawn import ROOT, alternate, app_command, time_until_painted

NAME = "frozen-startup"
DESCRIPTION = "built program (dist/petition-kiosk) to letter page painted vs python -m desktop from the venv"

DIST = ROOT / "dist" / "petition-kiosk"
PROGRAM = DIST / ("petition-kiosk.exe" if sys.platform == "win32" else "petition-kiosk")


def _newest_source() -> float:
    sources = [*ROOT.glob("desktop/**/*.py"), *ROOT.glob("db/**/*.py"), *ROOT.glob("resources/**/*"),
               ROOT / "build.spec"]
    return max(p.stat().st_mtime for p in sources if p.is_file())


def ensure_build() -> str:
    """A note on where the build came from. Builds one when there is none, or when the sources changed
    since: the two sides must run the same code (a newer migration alone makes the old build refuse
    the database the venv side wrote)."""
    if PROGRAM.is_file() and _newest_source() <= PROGRAM.stat().st_mtime:
        return "the existing build"
    why = "is older than the sources" if PROGRAM.is_file() else "does not exist"
    pyinstaller = Path(sys.executable).with_name("pyinstaller")
    if not pyinstaller.exists():
        raise RuntimeError(f"the build in {DIST} {why} and there is no PyInstaller in this environment: "
                           "run ./dev.sh build first")
    print(f"frozen-startup: the build in {DIST} {why}; building it (as ./dev.sh build does)", file=sys.stderr)
    start = time.perf_counter()
    subprocess.run([str(pyinstaller), "--noconfirm", "--log-level", "WARN", "build.spec"], cwd=ROOT, check=True)
    return f"built for this run in {time.perf_counter() - start:.0f} s"


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20  # MiB, as du -sm


def run(quick: bool) -> list[Figure]:
    from db.campaigns import load_builtin

    origin = ensure_build()
    rounds = 3 if quick else 10
    campaign = load_builtin()[0].slug
    with tempfile.TemporaryDirectory(prefix="petition-bench-frozen-") as tmp:
        data_dir = Path(tmp) / "data"
        # The first start creates the database; the timed starts reuse it, as a kiosk does.
        time_until_painted(app_command(data_dir, campaign))
        venv = app_command(data_dir, campaign)
        frozen = [str(PROGRAM), *venv[3:]]  # the same arguments after "python -m desktop"
        times = alternate({"frozen": frozen, "venv": venv}, rounds)
    frozen_ms = [t * 1000 for t in times["frozen"]]
    venv_ms = [t * 1000 for t in times["venv"]]
    note = (
        f"{rounds} starts each, alternating, after one untimed start of each; frozen "
        f"{min(frozen_ms):.0f}-{max(frozen_ms):.0f} ms, venv {min(venv_ms):.0f}-{max(venv_ms):.0f} ms; "
        f"{origin}, {_size_mb(DIST):.0f} MB"
    )
    return [
        Figure(
            name="frozen-startup.median",
            value=median(frozen_ms),
            unit="ms",
            baseline=median(venv_ms),
            baseline_name="python -m desktop from .venv, same arguments and data folder",
            goal="ratio <= 1.2",
            note=note,
        )
    ]
