"""What every benchmark module returns, and small helpers they share.

A benchmark module is ``bench/bench_<name>.py`` with ``NAME`` (the name on the command line, e.g.
``"save"``), ``DESCRIPTION`` and ``run(quick: bool) -> list[Figure]``. ``python -m bench`` finds them.
"""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Figure:
    name: str              # e.g. "save.median"
    value: float
    unit: str              # "ms", "signatures/s", "MB", ...
    baseline: float | None = None   # the same quantity for the baseline, measured in the same run
    baseline_name: str = ""         # what the baseline is, e.g. "plain sqlite3 INSERT+COMMIT"
    goal: str = ""                  # the goal, for the reader, e.g. "ratio <= 2"
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline == 0:
            return None
        return self.value / self.baseline

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["ratio"] = self.ratio
        return out


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def median(values: list[float]) -> float:
    return statistics.median(values)
