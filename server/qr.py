"""The enrollment QR code: printed in the terminal and written as an SVG file (no image library)."""

from __future__ import annotations

import io
from pathlib import Path

import qrcode
import qrcode.image.svg

from db.files import open_atomic_binary


def _make(text: str) -> qrcode.QRCode:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    qr.add_data(text)
    qr.make(fit=True)
    return qr


def terminal(text: str) -> str:
    out = io.StringIO()
    _make(text).print_ascii(out=out, invert=True)
    return out.getvalue()


def write_svg(text: str, target: Path) -> Path:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open_atomic_binary(target) as fh:  # owner-only: it holds a live enrollment code
        image.save(fh)
    return target
