"""Language switch: the whole interface between English and Arabic (catalogues, layout direction,
every built page retranslated, the campaign's texts), painted.

Timed: ``set_language()`` plus a synchronous repaint of the window, alternating en -> ar -> en, on
the attract screen and on the letter (the long document is laid out again). Baseline, same run: a
repaint of the same page without a switch. The form (built, not showing) is rebuilt in the new
language just after the paint, as in the app; that part is not in the figure.
"""

from __future__ import annotations

from time import perf_counter

from bench.core import Figure, median, percentile
from bench.kiosk_window import kiosk_window, settle

NAME = "language-switch"
DESCRIPTION = "switch the whole interface en<->ar, painted, on the attract screen and the letter vs a plain repaint"


def _measure(window, rounds: int) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    switches: list[float] = []
    repaints: list[float] = []
    for i in range(rounds * 2):
        target = "ar" if i % 2 == 0 else "en"
        start = perf_counter()
        window.set_language(target)
        window.repaint()
        switches.append((perf_counter() - start) * 1000)
        settle()
        start = perf_counter()
        window.repaint()
        repaints.append((perf_counter() - start) * 1000)
    return switches, repaints


def run(quick: bool) -> list[Figure]:
    rounds = 3 if quick else 15
    figures = []
    with kiosk_window() as window:
        from desktop.flow import Event

        for page in ("attract", "letter"):
            if page == "letter":
                window.send(Event.BEGIN)
                settle()
            # Untimed first round trip: builds each language's letter document and font caches once.
            window.set_language("ar")
            settle()
            window.set_language("en")
            settle()
            switches, repaints = _measure(window, rounds)
            figures.append(Figure(
                name=f"language-switch.{page}.median", value=median(switches), unit="ms",
                baseline=median(repaints), baseline_name="repaint of the same page without a switch",
                goal="< 150 ms",
                note=f"{len(switches)} switches en<->ar at 1024x600 offscreen; p90 {percentile(switches, 90):.1f} ms",
            ))
    return figures
