"""QR codes painted crisply at the device pixel ratio (house style rule 11).

The ``qrcode`` package gives the matrix of modules; each module becomes a whole number of *device*
pixels in a QImage, and the image is drawn at exactly its own size, on a device-pixel boundary, so
no module is ever scaled or smoothed: the edges stay sharp on a 2x tablet as on a 1x laptop, and a
phone's camera reads it from further away. (onionshare paints qrcode output into a QImage too, then
scales it to a fixed size, which blurs it.)
"""

from __future__ import annotations

from functools import lru_cache

import qrcode
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks
DARK, LIGHT = 0, 255


@lru_cache(maxsize=16)
def modules(text: str) -> tuple[tuple[bool, ...], ...]:
    """The code's modules (True = dark), quiet zone included."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(text)
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


def qr_image(text: str, module_pixels: int, ratio: float = 1.0) -> QImage:
    """The code with each module ``module_pixels`` device pixels square (grey-scale, black on white);
    its device pixel ratio is ``ratio``, so it draws at 1:1 on a screen of that ratio."""
    matrix = modules(text)
    scale = max(1, int(module_pixels))
    side = len(matrix) * scale
    rows = []
    for row in matrix:
        line = b"".join((b"\x00" if dark else b"\xff") * scale for dark in row)
        rows.append(line * scale)
    image = QImage(b"".join(rows), side, side, side, QImage.Format.Format_Grayscale8).copy()  # own its bytes
    image.setDevicePixelRatio(ratio)
    return image


def device_ratio(painter: QPainter) -> float:
    """Device pixels per logical pixel where ``painter`` paints (a 2x screen, a 2x image, a grab)."""
    return max(1.0, painter.deviceTransform().m11())


class QrCode(QWidget):
    """A QR code as large as fits in the widget, in whole device pixels per module."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._side = self.fontMetrics().height() * 8
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.set_side(self._side)
        self.set_text(text)

    def set_side(self, side: int) -> None:
        self._side = side
        self.setFixedSize(side, side)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(self._side, self._side)

    def text(self) -> str:
        return self._text

    def set_text(self, text: str | None) -> None:
        self._text = text or ""
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        if not self._text:
            return
        painter = QPainter(self)
        ratio = device_ratio(painter)
        count = len(modules(self._text))
        available = int(min(self.width(), self.height()) * ratio)
        image = qr_image(self._text, max(1, available // count), ratio)
        side = image.width() / ratio
        # Centred, with the top-left corner on a device pixel: every module lands on whole pixels.
        x = round((self.width() - side) / 2 * ratio) / ratio
        y = round((self.height() - side) / 2 * ratio) / ratio
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.drawImage(QRectF(QPointF(x, y), QPointF(x + side, y + side)), image)
        if image.width() > available:  # a code too long for this size: better a clear "no" than a blur
            painter.fillRect(self.rect(), Qt.GlobalColor.white)
        painter.end()
