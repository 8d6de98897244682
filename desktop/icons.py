"""The Windows and macOS program icons, made from ``resources/icons/petition-kiosk.svg``.

``python -m desktop.icons`` writes ``petition-kiosk.ico`` (Windows) and ``petition-kiosk.icns``
(macOS) next to the SVG; ``build.spec`` gives them to PyInstaller on those systems. Run it again after
changing the SVG, and commit the results (Qt's image plugins write both formats, so no other tool is
needed).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from db.paths import resource_path

# Windows shows its largest icon scaled down (256 px, the size Explorer's large views use); macOS
# wants 1024 px for Retina displays.
SIZES = {"ico": 256, "icns": 1024}


def render(svg: Path, side: int):  # type: ignore[no-untyped-def]
    # here, not at the top: the first paint goes without it
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg}: not a valid SVG")
    image = QImage(side, side, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def write_icons(folder: Path | None = None) -> list[Path]:
    # here, not at the top: the first paint goes without it
    from PySide6.QtGui import QGuiApplication

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # image plugins need it
    folder = folder or resource_path("icons")
    svg = resource_path("icons", "petition-kiosk.svg")
    written = []
    for suffix, side in SIZES.items():
        target = folder / f"petition-kiosk.{suffix}"
        if not render(svg, side).save(str(target), suffix.upper()):
            raise OSError(f"could not write {target} (Qt's {suffix} image plugin missing?)")
        written.append(target)
    return written


if __name__ == "__main__":
    for path in write_icons():
        print(path)
