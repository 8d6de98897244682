from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def ctx(tmp_path: Path):
    from desktop.context import open_context

    context = open_context(tmp_path / "data", locale="en", campaign="act-on-syria")
    yield context
    context.engine.dispose()


@pytest.fixture
def window(qtbot, ctx):
    from desktop.app import build_window, make_application

    app = make_application()
    win = build_window(app, ctx)
    win.resize(1024, 600)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win
