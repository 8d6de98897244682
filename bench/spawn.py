"""Start a GUI process and time it until it says ``painted`` (shared by startup and large-db).

The child prints a line ``painted`` on stdout once its first screen has been painted, then exits 0:
the app does so with ``--exit-when-painted``, ``bench/bare_window.py`` always. The clock starts just
before ``Popen`` and stops when that line is read, so interpreter start, imports, database opening and
the first paint are all inside the figure.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from time import perf_counter
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
BARE_WINDOW = Path(__file__).resolve().parent / "bare_window.py"
PAINTED = "painted"
TIMEOUT_S = 60.0


class ChildFailed(RuntimeError):
    """A child that did not print ``painted``, did not exit, or exited with an error."""


def app_command(data_dir: Path, campaign: str) -> list[str]:
    """The app on ``data_dir``, straight to ``campaign``'s letter page (with several campaigns
    installed and none chosen it would open on the picker, and the letter page would never paint)."""
    return [
        sys.executable, "-m", "desktop", "--data-dir", str(data_dir), "--campaign", campaign, "--exit-when-painted",
    ]


def bare_window_command() -> list[str]:
    return [sys.executable, str(BARE_WINDOW)]


# The children's compiled bytecode, outside the source tree and kept between runs: timed starts load
# the app's modules compiled, as an installed copy does (pip compiles at install, PyInstaller ships
# bytecode), even where PYTHONDONTWRITEBYTECODE is set (this machine, some CI images), which would
# otherwise compile every module from source at every start. A changed source is compiled again
# (Python checks each file's size and time), in the untimed start that every benchmark makes first.
BYTECODE_CACHE = Path(tempfile.gettempdir()) / f"petition-bench-bytecode-{os.getuid() if hasattr(os, 'getuid') else 0}"


def child_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(BYTECODE_CACHE)
    # A child whose stdout is a pipe buffers it; the line must arrive when it is printed.
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra or {})
    return env


def _tail(stream: IO[bytes], lines: int = 15) -> str:
    stream.seek(0)
    text = stream.read().decode("utf-8", "replace").rstrip()
    return "\n".join(text.splitlines()[-lines:]) or "(nothing on stderr)"


def _describe(argv: Sequence[str]) -> str:
    shown = [Path(a).name if a == sys.executable else a for a in argv]
    return " ".join(shown)


def time_until_painted(
    argv: Sequence[str], *, env: Mapping[str, str] | None = None, timeout_s: float = TIMEOUT_S
) -> float:
    """Seconds from just before starting ``argv`` to reading its ``painted`` line.

    The child is killed if it has not painted and exited within ``timeout_s``; any failure raises
    :class:`ChildFailed` with the end of the child's stderr."""
    lines: queue.Queue[str | None] = queue.Queue()

    def read(stdout: object) -> None:
        for line in stdout:  # type: ignore[attr-defined]
            lines.put(line)
        lines.put(None)

    with tempfile.TemporaryFile() as stderr:
        start = perf_counter()
        proc = subprocess.Popen(
            list(argv), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr,
            env=child_environment(env), cwd=ROOT, text=True, errors="replace",
        )
        reader = threading.Thread(target=read, args=(proc.stdout,), daemon=True)
        reader.start()
        deadline = start + timeout_s
        elapsed: float | None = None
        try:
            while elapsed is None:
                try:
                    line = lines.get(timeout=max(0.0, deadline - perf_counter()))
                except queue.Empty:
                    raise ChildFailed(
                        f"{_describe(argv)}: no '{PAINTED}' within {timeout_s:.0f} s (did it open on another "
                        f"page than the letter?); killed.\n{_tail(stderr)}"
                    ) from None
                if line is None:
                    code = proc.wait(timeout=max(1.0, deadline - perf_counter()))
                    hint = ""
                    if "desktop" in argv:
                        hint = " (does the app support --exit-when-painted yet? see `python -m desktop --help`)"
                    raise ChildFailed(
                        f"{_describe(argv)}: exited with code {code} without printing '{PAINTED}'{hint}.\n"
                        f"{_tail(stderr)}"
                    )
                if line.strip() == PAINTED:
                    elapsed = perf_counter() - start
            try:
                code = proc.wait(timeout=max(1.0, deadline - perf_counter()))
            except subprocess.TimeoutExpired:
                raise ChildFailed(f"{_describe(argv)}: painted but did not exit within {timeout_s:.0f} s; killed.") from None
            if code != 0:
                raise ChildFailed(f"{_describe(argv)}: painted, then exited with code {code}.\n{_tail(stderr)}")
            return elapsed
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            reader.join(timeout=5)
            if proc.stdout is not None:
                proc.stdout.close()


def alternate(commands: Mapping[str, Sequence[str]], rounds: int) -> dict[str, list[float]]:
    """Time each command ``rounds`` times, taking turns so that machine noise hits all of them alike.

    One untimed start of each comes first (it fills the OS file cache with Python, Qt and the
    database); each round then runs every command once, the order rotating from round to round."""
    names = list(commands)
    for name in names:
        time_until_painted(commands[name])
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            times[name].append(time_until_painted(commands[name]))
    return times
