"""The app's main window as the tests use it: built like the app builds it, shown, exposed."""

from __future__ import annotations

from typing import Any


def show_window(qtbot: Any, ctx: Any, size: tuple[int, int] = (1024, 600)) -> Any:
    from desktop.app import build_window, make_application

    window = build_window(make_application(), ctx)
    window.resize(*size)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window
