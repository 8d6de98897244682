"""Run the benchmarks: ``python -m bench [--quick] [--json] [--list] [NAME ...]``.

Every ``bench/bench_*.py`` is found by its file name; nothing here needs to know them. Benchmarks
print, they never assert: a missed goal is shown in the table and the exit status stays 0. A
benchmark that cannot be imported or raises is an ERROR line and makes the exit status 1, so a
benchmark that rots is noticed.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import math
import re
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter
from types import ModuleType
from typing import Any

from bench.core import Figure

BENCH_DIR = Path(__file__).resolve().parent
EXIT_ERROR = 1
EXIT_USAGE = 2


@dataclass
class Benchmark:
    name: str
    description: str = ""
    module: ModuleType | None = None
    import_error: str = ""
    import_traceback: str = ""  # printed when the benchmark is asked for, not when another one is


@dataclass
class Outcome:
    bench: Benchmark
    figures: list[Figure] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0


def discover() -> list[Benchmark]:
    found = []
    for path in sorted(BENCH_DIR.glob("bench_*.py")):
        fallback = path.stem.removeprefix("bench_").replace("_", "-")
        try:
            module = importlib.import_module(f"bench.{path.stem}")
        except Exception as exc:  # a broken module is reported, the others still run
            found.append(Benchmark(
                fallback,
                import_error=f"cannot import {path.name}: {_one_line(exc)}",
                import_traceback=traceback.format_exc(),
            ))
            continue
        name = getattr(module, "NAME", None)
        if not isinstance(name, str) or not callable(getattr(module, "run", None)):
            found.append(Benchmark(fallback, import_error=f"{path.name} lacks NAME or run(quick)"))
            continue
        found.append(Benchmark(name, str(getattr(module, "DESCRIPTION", "")), module))
    return found


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if len(text) > 300:
        text = text[:297] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def run_one(bench: Benchmark, quick: bool) -> Outcome:
    if bench.module is None:
        print(bench.import_traceback, file=sys.stderr, end="")
        return Outcome(bench, error=bench.import_error)
    gc.collect()  # garbage left by the previous benchmark should not be collected inside this one
    start = perf_counter()
    try:
        figures = bench.module.run(quick)
        if not isinstance(figures, list) or not all(isinstance(f, Figure) for f in figures):
            raise TypeError(f"run() returned {type(figures).__name__}, not a list of Figure")
    except Exception as exc:
        traceback.print_exc()
        return Outcome(bench, error=_one_line(exc), seconds=perf_counter() - start)
    return Outcome(bench, figures, seconds=perf_counter() - start)


_GOAL = re.compile(r"^\s*(ratio|value)?\s*(<=|>=|<|>)\s*([0-9.]+)\s*(\S*)\s*$")


def goal_met(figure: Figure) -> bool | None:
    """Whether a goal written as ``ratio <= 2`` or ``< 25 ms`` is met; None when it cannot be read."""
    match = _GOAL.match(figure.goal)
    if not match:
        return None
    subject, op, limit, unit = match.groups()
    if subject != "ratio" and unit and unit != figure.unit:
        return None
    value = figure.ratio if subject == "ratio" else figure.value
    if value is None or math.isnan(value):
        return None
    bound = float(limit)
    return {"<=": value <= bound, "<": value < bound, ">=": value >= bound, ">": value > bound}[op]


def fmt(value: float | None) -> str:
    if value is None:
        return "-"
    if math.isnan(value) or math.isinf(value):
        return str(value)
    magnitude = abs(value)
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


COLUMNS = ("name", "value", "unit", "baseline", "ratio", "goal", "")


def table_rows(outcomes: list[Outcome]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for outcome in outcomes:
        if outcome.error:
            rows.append((outcome.bench.name, "ERROR", "", "", "", "", outcome.error))
        for f in outcome.figures:
            met = goal_met(f)
            verdict = "" if met is None else ("ok" if met else "MISSED")
            ratio = f"{f.ratio:.2f}x" if f.ratio is not None else "-"
            rows.append((f.name, fmt(f.value), f.unit, fmt(f.baseline), ratio, f.goal, verdict))
    return rows


def print_table(outcomes: list[Outcome], quick: bool) -> None:
    rows = table_rows(outcomes)
    measured = [r for r in rows if r[1] != "ERROR"]
    widths = [max(len(r[i]) for r in [COLUMNS, *measured]) for i in range(len(COLUMNS))]
    widths[0] = max(len(r[0]) for r in [COLUMNS, *rows])
    right = {1, 3, 4}

    def line(cells: tuple[str, ...]) -> str:
        if cells[1] == "ERROR":
            return f"{cells[0]:<{widths[0]}}  ERROR  {cells[6]}"
        out = [c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(cells)]
        return "  ".join(out).rstrip()

    print(f"\nbenchmarks ({'quick' if quick else 'full'} run)\n")
    print(line(COLUMNS))
    print("  ".join("-" * w for w in widths).rstrip())
    for row in rows:
        print(line(row))
    # Notes and baseline descriptions, each text once, after the figures it belongs to.
    notes: dict[str, list[str]] = {}
    for o in outcomes:
        for f in o.figures:
            for text in (f"baseline: {f.baseline_name}" if f.baseline_name else "", f.note):
                if text:
                    notes.setdefault(text, []).append(f.name)
    if notes:
        print()
        for text, names in notes.items():
            print(f"{', '.join(names)}: {text}")
    print("\n" + ", ".join(f"{o.bench.name} {o.seconds:.1f} s" for o in outcomes if o.bench.module))


def _finite(value: Any) -> Any:
    return None if isinstance(value, float) and not math.isfinite(value) else value


def print_json(outcome: Outcome) -> None:
    if outcome.error:
        print(json.dumps({"benchmark": outcome.bench.name, "name": outcome.bench.name, "error": outcome.error}))
    for f in outcome.figures:
        data = {"benchmark": outcome.bench.name, **{k: _finite(v) for k, v in f.as_json().items()}}
        data["goal_met"] = goal_met(f)
        print(json.dumps(data, ensure_ascii=False))
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help="benchmarks to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="the small versions (CI runs these)")
    parser.add_argument("--json", action="store_true", help="one JSON object per figure per line")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = parser.parse_args(argv)

    benchmarks = discover()
    if args.list:
        for b in benchmarks:
            print(f"{b.name:<12} {b.description or b.import_error}")
        return EXIT_ERROR if any(b.import_error for b in benchmarks) else 0

    by_name = {b.name: b for b in benchmarks}
    unknown = [n for n in args.names if n not in by_name]
    if unknown:
        print(f"unknown benchmark {', '.join(unknown)}; known: {', '.join(by_name)}", file=sys.stderr)
        return EXIT_USAGE
    selected = [by_name[n] for n in dict.fromkeys(args.names)] if args.names else benchmarks

    outcomes = []
    for bench in selected:
        print(f"bench: running {bench.name}{' (quick)' if args.quick else ''}...", file=sys.stderr, flush=True)
        outcome = run_one(bench, args.quick)
        state = f"ERROR {outcome.error}" if outcome.error else f"{len(outcome.figures)} figures"
        print(f"bench: {bench.name} done in {outcome.seconds:.1f} s, {state}", file=sys.stderr, flush=True)
        outcomes.append(outcome)
        if args.json:
            print_json(outcome)
    if not args.json:
        print_table(outcomes, args.quick)
    return EXIT_ERROR if any(o.error for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
