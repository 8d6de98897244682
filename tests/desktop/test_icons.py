"""The Windows and macOS program icons: made from the SVG, committed, and loadable at their sizes."""

from __future__ import annotations

from PySide6.QtGui import QImage

from db.paths import resource_path
from desktop.icons import SIZES, write_icons


def _opaque_share(image: QImage) -> float:
    step = max(1, image.width() // 32)
    points = [(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)]
    return sum(1 for x, y in points if image.pixelColor(x, y).alpha() > 0) / len(points)


def test_the_committed_icons_load_at_their_sizes_and_show_the_svg(qapp):
    for suffix, side in SIZES.items():
        image = QImage(str(resource_path("icons", f"petition-kiosk.{suffix}")))
        assert not image.isNull(), suffix
        assert (image.width(), image.height()) == (side, side)
        assert 0.2 < _opaque_share(image) < 1.0  # the drawing, on a transparent ground


def test_the_icons_are_made_again_from_the_svg(qapp, tmp_path):
    written = write_icons(tmp_path)
    assert sorted(p.name for p in written) == ["petition-kiosk.icns", "petition-kiosk.ico"]
    for path in written:
        fresh = QImage(str(path))
        committed = QImage(str(resource_path("icons", path.name)))
        assert fresh.size() == committed.size()
        assert abs(_opaque_share(fresh) - _opaque_share(committed)) < 0.02  # the committed ones are current
