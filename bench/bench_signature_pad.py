"""Signature pad: stroke points drawn per second, against the 240 points per second a fast stylus
reports, and whether any point was lost.

Each point goes through Qt's event delivery to the pad as a finger (touch events) or a mouse would
send it; every fourth point (a 60 Hz screen under a 240 Hz stylus) the event loop runs and paints
what changed. Timed: all of that, for strokes of 200 points across an 820 x 256 pad. A point is
"lost" when the pad's strokes hold fewer points than were sent (each sent point lands on its own
unit of the 0..1000 box, so none is merged away).

Baseline, same run: the same points when every point repaints the whole pad from all its strokes,
which is what the pad avoids by painting each new curve segment into its ink image and updating only
that segment's rectangle.
"""

from __future__ import annotations

import os
from time import perf_counter

from bench.core import Figure

NAME = "signature-pad"
DESCRIPTION = "stroke points drawn per second (touch and mouse, painted at 60 Hz) vs a 240 points/s stylus; lost points"
STYLUS_HZ = 240
POINTS_PER_FRAME = 4  # 240 Hz input, 60 Hz screen
STROKE = 200


def _points(count: int) -> list[tuple[float, float]]:
    """A signature-like scrawl: strokes left to right, zigzagging, 3 px apart (always a new unit)."""
    out = []
    for i in range(count):
        step = i % STROKE
        x = 20 + step * 3.9
        y = 60.0 + (step % 12) * 11 + (i // STROKE) % 3 * 20
        out.append((x, y))
    return out


class _Feeder:
    """Sends points to the canvas as Qt delivers them from a finger or a mouse."""

    def __init__(self, canvas, kind: str) -> None:  # type: ignore[no-untyped-def]
        from PySide6.QtTest import QTest

        self.canvas, self.kind = canvas, kind
        self.device = QTest.createTouchDevice() if kind == "touch" else None

    def send(self, phase: str, x: float, y: float) -> None:
        from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
        from PySide6.QtGui import QMouseEvent
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        if self.device is not None:
            sequence = QTest.touchEvent(self.canvas, self.device)
            getattr(sequence, {"down": "press", "move": "move", "up": "release"}[phase])(0, QPoint(round(x), round(y)),
                                                                                        self.canvas)
            del sequence  # sends the event (PySide's commit() mishandles a reference to None)
            return
        kind = {"down": QEvent.Type.MouseButtonPress, "move": QEvent.Type.MouseMove,
                "up": QEvent.Type.MouseButtonRelease}[phase]
        local = QPointF(x, y)
        buttons = Qt.MouseButton.NoButton if phase == "up" else Qt.MouseButton.LeftButton
        event = QMouseEvent(kind, local, self.canvas.mapToGlobal(local), Qt.MouseButton.LeftButton, buttons,
                            Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(self.canvas, event)


def _draw(pad, points: list[tuple[float, float]], kind: str, *, full_repaint: bool = False) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    """Seconds to draw ``points`` (painted as it goes) and how many points the pad kept."""
    from PySide6.QtWidgets import QApplication

    canvas = pad.canvas
    pad.clear()
    QApplication.processEvents()
    feeder = _Feeder(canvas, kind)
    start = perf_counter()
    for i, (x, y) in enumerate(points):
        step = i % STROKE
        phase = "down" if step == 0 else ("up" if step == STROKE - 1 or i == len(points) - 1 else "move")
        feeder.send(phase, x, y)
        if full_repaint:
            canvas._ink = None  # what the pad would do without its ink image: everything again
            canvas.repaint()
        elif i % POINTS_PER_FRAME == POINTS_PER_FRAME - 1:
            QApplication.processEvents()
    QApplication.processEvents()
    elapsed = perf_counter() - start
    return elapsed, sum(len(stroke) for stroke in canvas.strokes)


def run(quick: bool) -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop.app import make_application
    from desktop.compat import keep_constants_alive
    from desktop.signature_pad import SignaturePad

    keep_constants_alive()
    app = make_application()
    pad = SignaturePad()
    pad.resize(820, 320)
    pad.canvas.setFixedHeight(256)  # as on a form 820 pixels wide (the pad's own proportions)
    pad.show()
    app.processEvents()
    count = 2_000 if quick else 20_000
    points = _points(count)
    baseline_count = 300 if quick else 800  # a full repaint per point slows down as the strokes pile up
    figures = []
    lost_total = 0
    rates = {}
    for kind in ("touch", "mouse"):
        _draw(pad, points[:STROKE], kind)  # warm-up
        elapsed, kept = _draw(pad, points, kind)
        rates[kind] = count / elapsed
        lost_total += count - kept
    full_elapsed, _ = _draw(pad, points[:baseline_count], "mouse", full_repaint=True)
    full_rate = baseline_count / full_elapsed
    size = f"{pad.canvas.width()}x{pad.canvas.height()} pad, offscreen"
    for kind in ("touch", "mouse"):
        figures.append(Figure(
            name=f"signature-pad.{kind}", value=rates[kind], unit="points/s", baseline=STYLUS_HZ,
            baseline_name=f"a fast stylus reports {STYLUS_HZ} points/s", goal="ratio >= 1",
            note=f"{count} points in strokes of {STROKE}, painted every {POINTS_PER_FRAME} points; {size}",
        ))
    figures.append(Figure(
        name="signature-pad.incremental", value=rates["mouse"], unit="points/s", baseline=full_rate,
        baseline_name=f"the whole pad repainted from all strokes at every point ({baseline_count} points)",
        goal="ratio >= 1",
    ))
    figures.append(Figure(
        name="signature-pad.lost", value=lost_total, unit="points", goal="<= 0",
        note=f"points sent minus points kept, over {2 * count} points (touch and mouse)",
    ))
    pad.close()
    pad.deleteLater()
    app.processEvents()
    return figures
