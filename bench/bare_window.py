"""The floor for start-up time: a bare PySide6 window with one label.

Started like the app (``python bench/bare_window.py``), it prints ``painted`` once its label has been
painted for the first time, then exits 0. ``bench/bench_startup.py`` compares the app against it.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget


class FirstPaintLabel(QLabel):
    """Announces its first paint: the label is the window's content, painted after the window."""

    announced = False

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if not self.announced:
            self.announced = True
            print("painted", flush=True)
            QTimer.singleShot(0, QApplication.quit)


def main() -> int:
    app = QApplication(sys.argv)
    window = QWidget()
    window.setWindowTitle("bare window")
    layout = QVBoxLayout(window)
    layout.addWidget(FirstPaintLabel("Sign the letter"))
    window.resize(800, 600)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
