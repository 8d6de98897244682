"""A handwritten signature: drawn with a finger, a stylus or a mouse, stored as SVG path data.

The wire format (``db.schemas.SignatureCreate.signature_svg``) is SVG path data in a 0..1000 box:
the pad's longer side is 1000 units and points are rounded to whole units, so a signature keeps its
shape on any screen and stays small (a few kilobytes). Each stroke is smoothed with quadratic curves
through the midpoints of the points the pointer reported (the usual way to draw a smooth line through
sampled points), written with relative commands, one ``q`` for all of a stroke's curves::

    M120 340q6-4 12-5 9-1 14 2l3 1      (a stroke)        M500 500l0 0      (a dot)

:func:`painter_path` renders any path data of that subset (M/L/Q/C/Z, absolute or relative) back into
a ``QPainterPath``; :func:`strokes_from_path_data` recovers the sampled points of data this module
wrote, exactly (the curves' control points are the points themselves), so a signature can be drawn on.

Drawing is incremental: each new point paints only its new curve segment into an off-screen image
made at the device pixel ratio and asks for a repaint of that segment's rectangle only.
``bench/bench_signature_pad.py`` measures how many points per second that sustains.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QShowEvent,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import QHBoxLayout, QScroller, QSizePolicy, QVBoxLayout, QWidget

from desktop.compat import keep_constants_alive
from desktop.widgets import button

BOX = 1000  # the longer side of the pad, in path-data units
PEN_UNITS = 8.0  # stroke width in path-data units (about 5 px on a 600-pixel-wide pad)
ASPECT = 3.2  # width : height of the pad
DOT_NUDGE = 0.01  # units: Qt draws a zero-length line as nothing, with it as a round dot

Point = tuple[int, int]
Stroke = list[Point]


# -- path data -------------------------------------------------------------------------------------

def _mid(a: Point, b: Point) -> Point:
    return (a[0] + b[0]) // 2, (a[1] + b[1]) // 2


def _numbers(values: Iterable[int]) -> str:
    """SVG's compact number list: a minus sign separates numbers by itself."""
    out = []
    for i, value in enumerate(values):
        if i and value >= 0:
            out.append(" ")
        out.append(str(value))
    return "".join(out)


def segments(stroke: Stroke) -> list[tuple[Point, Point, Point | None]]:
    """The drawing of a stroke as (start, end, control) segments: a line when control is None.

    One point is a dot (a line of length 0); two points a line; more points: a quadratic curve from
    the first point, then from midpoint to midpoint with each point as control, then a line to the
    last point. The pad paints these same segments as the points come in."""
    if len(stroke) == 1:
        return [(stroke[0], stroke[0], None)]
    if len(stroke) == 2:
        return [(stroke[0], stroke[1], None)]
    out: list[tuple[Point, Point, Point | None]] = []
    start = stroke[0]
    for i in range(1, len(stroke) - 1):
        end = _mid(stroke[i], stroke[i + 1])
        out.append((start, end, stroke[i]))
        start = end
    out.append((start, stroke[-1], None))
    return out


def to_path_data(strokes: Iterable[Stroke]) -> str:
    """SVG path data for ``strokes`` (points in the 0..1000 box), as compact as the format allows."""
    parts = []
    for stroke in strokes:
        if not stroke:
            continue
        x, y = stroke[0]
        text = [f"M{x} {y}"]
        curves: list[int] = []
        for start, end, control in segments(stroke):
            if control is None:
                if curves:
                    text.append("q" + _numbers(curves))
                    curves = []
                text.append("l" + _numbers((end[0] - start[0], end[1] - start[1])))
            else:
                curves += (control[0] - start[0], control[1] - start[1], end[0] - start[0], end[1] - start[1])
        parts.append("".join(text))
    return "".join(parts)


_TOKEN = re.compile(r"[MLQCZmlqcz]|-?(?:\d+\.?\d*|\.\d+)")
_ARITY = {"M": 2, "L": 2, "Q": 4, "C": 6, "Z": 0}


class PathDataError(ValueError):
    """Path data this module cannot read (another command, a number missing)."""


def _commands(data: str) -> list[tuple[str, list[float]]]:
    """``data`` as (command, numbers) pairs, one per drawing step (implicit repeats made explicit)."""
    out: list[tuple[str, list[float]]] = []
    command = ""
    numbers: list[float] = []

    def flush() -> None:
        arity = _ARITY[command.upper()]
        if arity == 0:
            if numbers:
                raise PathDataError("Z takes no numbers")
            out.append((command, []))
            return
        if not numbers or len(numbers) % arity:
            raise PathDataError(f"{command} needs numbers in groups of {arity}")
        for i in range(0, len(numbers), arity):
            # A moveto's extra pairs are linetos (SVG's rule), relative if the moveto was.
            step = command if i == 0 or command.upper() != "M" else ("l" if command == "m" else "L")
            out.append((step, numbers[i:i + arity]))

    position = 0
    for match in _TOKEN.finditer(data):
        if data[position:match.start()].strip(" ,\t\n\r"):
            raise PathDataError(f"unexpected {data[position:match.start()]!r}")
        position = match.end()
        token = match.group()
        if token.isalpha():
            if command:
                flush()
            command, numbers = token, []
        elif not command:
            raise PathDataError("path data starts with a command")
        else:
            numbers.append(float(token))
    if data[position:].strip(" ,\t\n\r"):
        raise PathDataError(f"unexpected {data[position:]!r}")
    if command:
        flush()
    return out


def painter_path(data: str) -> QPainterPath:
    """Path data (M/L/Q/C/Z, absolute and relative) as a QPainterPath in path-data units."""
    path = QPainterPath()
    x = y = 0.0
    start_x = start_y = 0.0
    for command, n in _commands(data):
        relative = command.islower()
        dx, dy = (x, y) if relative else (0.0, 0.0)
        kind = command.upper()
        if kind == "M":
            x, y = n[0] + dx, n[1] + dy
            start_x, start_y = x, y
            path.moveTo(x, y)
        elif kind == "L":
            x, y = n[0] + dx, n[1] + dy
            # Qt draws nothing for a line of length 0, where SVG draws its round cap: a dot.
            path.lineTo(x + DOT_NUDGE if path.currentPosition() == QPointF(x, y) else x, y)
        elif kind == "Q":
            path.quadTo(n[0] + dx, n[1] + dy, n[2] + dx, n[3] + dy)
            x, y = n[2] + dx, n[3] + dy
        elif kind == "C":
            path.cubicTo(n[0] + dx, n[1] + dy, n[2] + dx, n[3] + dy, n[4] + dx, n[5] + dy)
            x, y = n[4] + dx, n[5] + dy
        else:
            path.closeSubpath()
            x, y = start_x, start_y
    return path


def strokes_from_path_data(data: str) -> list[Stroke]:
    """The sampled points of path data written by :func:`to_path_data` (exactly); for other path data,
    the points its commands go through (their curves are then redrawn the pad's way)."""
    strokes: list[Stroke] = []
    x = y = 0.0
    for command, n in _commands(data):
        dx, dy = (x, y) if command.islower() else (0.0, 0.0)
        kind = command.upper()
        if kind == "M":
            x, y = n[0] + dx, n[1] + dy
            strokes.append([(round(x), round(y))])
            continue
        if kind == "Z" or not strokes:
            continue
        stroke = strokes[-1]
        if kind == "Q":  # our curves: the control point is a sampled point, the end a midpoint
            stroke.append((round(n[0] + dx), round(n[1] + dy)))
            x, y = n[2] + dx, n[3] + dy
            continue
        if kind == "C":
            x, y = n[4] + dx, n[5] + dy
        else:
            x, y = n[0] + dx, n[1] + dy
        point = (round(x), round(y))
        if point != stroke[-1] or len(stroke) > 1:
            stroke.append(point)
    return strokes


# -- the drawing surface -----------------------------------------------------------------------------

class SignatureCanvas(QWidget):
    """Where the signature is drawn. Follows one finger (touch events), a stylus (tablet events) or
    the mouse; each stroke is a list of points in the 0..1000 box."""

    changed = Signal()  # a stroke was finished, undone or cleared, or path data was loaded

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        keep_constants_alive()  # several PySide6 calls per point drawn: see desktop/compat.py
        self.strokes: list[Stroke] = []
        self.placeholder = ""
        self._drawing = False
        self._touch_id: int | None = None
        self._ink: QImage | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard's way through a form skips it
        self.setCursor(Qt.CursorShape.CrossCursor)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        m = self.fontMetrics().height()
        self.setMinimumSize(m * 12, int(m * 12 / ASPECT))

    # -- geometry --------------------------------------------------------------------------------

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt API)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt API)
        return max(self.minimumHeight(), round(width / ASPECT))

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        width = self.fontMetrics().height() * 26
        return QSize(width, self.heightForWidth(width))

    def unit(self) -> float:
        """Pixels (logical) per path-data unit."""
        return max(self.width(), self.height(), 1) / BOX

    def to_box(self, position: QPointF) -> Point:
        unit = self.unit()
        x = min(max(position.x(), 0.0), self.width() - 1.0)
        y = min(max(position.y(), 0.0), self.height() - 1.0)
        return round(x / unit), round(y / unit)

    # -- state -----------------------------------------------------------------------------------

    def is_empty(self) -> bool:
        return not self.strokes

    def path_data(self) -> str:
        return to_path_data(self.strokes)

    def set_path_data(self, data: str | None) -> None:
        self._drawing = False
        self.strokes = strokes_from_path_data(data) if data else []
        self._repaint_ink()
        self.changed.emit()

    def clear(self) -> None:
        """Forget the signature entirely (nothing of it is kept to undo)."""
        self._drawing = False
        self._touch_id = None
        self.strokes = []
        self._repaint_ink()
        self.changed.emit()

    def undo(self) -> None:
        if self.strokes:
            self._drawing = False
            self.strokes.pop()
            self._repaint_ink()
            self.changed.emit()

    # -- input -----------------------------------------------------------------------------------

    def begin_stroke(self, position: QPointF) -> None:
        self._drawing = True
        point = self.to_box(position)
        self.strokes.append([point])
        self._paint_segment(point, point, None)

    def add_point(self, position: QPointF) -> None:
        if not self._drawing:
            return
        stroke = self.strokes[-1]
        point = self.to_box(position)
        if point == stroke[-1]:
            return  # the same spot again at this resolution: nothing new to draw or store
        stroke.append(point)
        if len(stroke) >= 3:  # the curve up to the midpoint before the new point is now certain
            start = stroke[0] if len(stroke) == 3 else _mid(stroke[-3], stroke[-2])
            self._paint_segment(start, _mid(stroke[-2], stroke[-1]), stroke[-2])

    def end_stroke(self, position: QPointF | None = None) -> None:
        if not self._drawing:
            return
        if position is not None:
            self.add_point(position)
        self._drawing = False
        stroke = self.strokes[-1]
        if len(stroke) == 2:
            self._paint_segment(stroke[0], stroke[1], None)
        elif len(stroke) > 2:
            self._paint_segment(_mid(stroke[-2], stroke[-1]), stroke[-1], None)
        self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if event.button() == Qt.MouseButton.LeftButton:
            self.begin_stroke(event.position())
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if event.buttons() & Qt.MouseButton.LeftButton:
            self.add_point(event.position())
            event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if event.button() == Qt.MouseButton.LeftButton:
            self.end_stroke(event.position())
            event.accept()

    def tabletEvent(self, event: QTabletEvent) -> None:  # noqa: N802 (Qt API)
        # Accepted, so Qt does not also send the stylus as a mouse.
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self.begin_stroke(event.position())
        elif kind == QEvent.Type.TabletMove and event.pressure() > 0:
            self.add_point(event.position())
        elif kind == QEvent.Type.TabletRelease:
            self.end_stroke(event.position())
        event.accept()

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel):
            self._touch(event)  # type: ignore[arg-type]
            return True  # accepted: no mouse events made up from the finger, no scrolling started
        return super().event(event)

    def _touch(self, event: QTouchEvent) -> None:
        """One finger draws: the first one down, until it lifts; a second finger is ignored."""
        event.accept()
        if event.type() == QEvent.Type.TouchCancel:
            self._touch_id = None
            self.end_stroke()
            return
        for point in event.points():
            if self._touch_id is None and point.state() == point.State.Pressed:
                self._touch_id = point.id()
                self.begin_stroke(point.position())
            elif point.id() == self._touch_id:
                if point.state() == point.State.Released:
                    self._touch_id = None
                    self.end_stroke(point.position())
                elif point.state() == point.State.Updated:
                    self.add_point(point.position())

    # -- painting --------------------------------------------------------------------------------

    def ink_colour(self) -> QColor:
        return self.palette().color(self.foregroundRole())

    def _pen(self) -> QPen:
        pen = QPen(self.ink_colour(), PEN_UNITS)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        return pen

    def _new_ink(self) -> QImage:
        ratio = self.devicePixelRatioF()
        image = QImage(round(self.width() * ratio), round(self.height() * ratio),
                       QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(ratio)
        image.fill(Qt.GlobalColor.transparent)
        return image

    def _painter(self, image: QImage) -> QPainter:
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(self.unit(), self.unit())
        painter.setPen(self._pen())
        painter.setBrush(Qt.BrushStyle.NoBrush)
        return painter

    def _ink_image(self) -> QImage:
        if self._ink is None or self._ink.devicePixelRatio() != self.devicePixelRatioF() \
                or self._ink.size() != (self.size() * self.devicePixelRatioF()):
            self._ink = self._new_ink()
            self._draw_strokes(self._ink)
        return self._ink

    def _draw_strokes(self, image: QImage) -> None:
        if not self.strokes:
            return
        painter = self._painter(image)
        for stroke in self.strokes:
            for start, end, control in segments(stroke):
                painter.drawPath(_segment_path(start, end, control))
        painter.end()

    def _repaint_ink(self) -> None:
        self._ink = None
        self.update()

    def _paint_segment(self, start: Point, end: Point, control: Point | None) -> None:
        """Paint one new segment into the ink image and repaint only where it lies."""
        image = self._ink_image()
        path = _segment_path(start, end, control)
        painter = self._painter(image)
        painter.drawPath(path)
        painter.end()
        unit = self.unit()
        margin = PEN_UNITS / 2 + 2
        box = path.controlPointRect().adjusted(-margin, -margin, margin, margin)
        self.update(QRectF(box.x() * unit, box.y() * unit, box.width() * unit, box.height() * unit)
                    .toAlignedRect())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        area = event.rect()
        painter.fillRect(area, Qt.GlobalColor.white)
        ink = self.ink_colour()
        m = self.fontMetrics().height()
        baseline_y = self.height() - m * 1.6
        guide = QColor(ink)
        guide.setAlphaF(0.35)
        painter.setPen(QPen(guide, 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(m, baseline_y), QPointF(self.width() - m, baseline_y))
        if not self.strokes and self.placeholder:
            hint = QColor(ink)
            hint.setAlphaF(0.55)
            painter.setPen(hint)
            painter.drawText(QRect(m, int(baseline_y) + 2, self.width() - 2 * m, m * 3 // 2),
                             Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignTop, self.placeholder)
        painter.drawImage(QRectF(area), self._ink_image(), QRectF(QPointF(area.topLeft()) * self.devicePixelRatioF(),
                                                          area.size() * self.devicePixelRatioF()))
        border = QColor(ink)
        border.setAlphaF(0.5)
        painter.setPen(QPen(border, 2))
        painter.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        self._ink = None  # redrawn at the new size from the points, which are size-independent
        super().resizeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        self._keep_scrollers_out()
        super().showEvent(event)

    def _keep_scrollers_out(self) -> None:
        """A pad inside a page that scrolls with a finger (QScroller) would scroll the page instead
        of drawing. Qt starts a gesture on the nearest widget that grabbed its type, so the canvas
        grabs the type of every scroller around it: having no scroller itself, the gesture's
        recognizer then ignores what happens on the canvas."""
        widget = self.parentWidget()
        while widget is not None:
            if QScroller.hasScroller(widget):
                gesture = QScroller.grabbedGesture(widget)
                if gesture != Qt.GestureType(0):
                    self.grabGesture(gesture)
            widget = widget.parentWidget()


def _segment_path(start: Point, end: Point, control: Point | None) -> QPainterPath:
    path = QPainterPath(QPointF(*start))
    if control is None:
        path.lineTo(QPointF(end[0] + DOT_NUDGE if end == start else end[0], end[1]))  # a dot: see painter_path
    else:
        path.quadTo(QPointF(*control), QPointF(*end))
    return path


def render_path_data(data: str, size: QSize, ratio: float = 1.0) -> QImage:
    """Path data drawn the pad's way on white, ``size`` logical pixels wide and high (the box's 1000
    units across the longer side): what a signature looks like, from its stored form alone."""
    image = QImage(round(size.width() * ratio), round(size.height() * ratio), QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(ratio)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    unit = max(size.width(), size.height(), 1) / BOX
    painter.scale(unit, unit)
    pen = QPen(QColor("#1a1a1a"), PEN_UNITS)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.drawPath(painter_path(data))
    painter.end()
    return image


# -- the pad: canvas, undo, clear -----------------------------------------------------------------

class SignaturePad(QWidget):
    """The canvas with its Undo (last stroke) and Clear buttons."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = SignatureCanvas()
        self.undo_button = button()
        self.undo_button.clicked.connect(self.canvas.undo)
        self.clear_button = button()
        self.clear_button.clicked.connect(self.canvas.clear)
        for control in (self.undo_button, self.clear_button):
            control.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keyboard users skip the pad altogether
        self.canvas.changed.connect(self._changed)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(self.fontMetrics().height() // 3)
        column.addWidget(self.canvas)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.undo_button)
        row.addWidget(self.clear_button)
        column.addLayout(row)
        self.retranslate()
        self._changed()

    def retranslate(self) -> None:
        self.canvas.placeholder = self.tr("Sign here with your finger")
        self.canvas.setAccessibleName(self.tr("Handwritten signature"))
        self.undo_button.setText(self.tr("Undo stroke"))
        self.clear_button.setText(self.tr("Clear"))
        self.clear_button.setAccessibleName(self.tr("Clear the signature"))
        self.canvas.update()

    def _changed(self) -> None:
        drawn = not self.canvas.is_empty()
        self.undo_button.setEnabled(drawn)
        self.clear_button.setEnabled(drawn)
        self.changed.emit()

    def path_data(self) -> str | None:
        return self.canvas.path_data() or None

    def set_path_data(self, data: str | None) -> None:
        self.canvas.set_path_data(data)

    def clear(self) -> None:
        self.canvas.clear()

    def is_empty(self) -> bool:
        return self.canvas.is_empty()
