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
def kiosk(qtbot, tmp_path: Path):
    """The window in kiosk mode on act-on-syria, with a coordinator PIN (246810)."""
    from db import pin
    from desktop.context import open_context
    from utils.windows import show_window

    ctx = open_context(tmp_path / "data", locale="en", campaign="act-on-syria", overrides={"kiosk": True})
    ctx.warm_up()
    pin.set_pin(ctx.data_dir, "246810")
    win = show_window(qtbot, ctx)
    yield win
    win.leave_kiosk() if win.locked_down else None
    win.set_language("en")
    ctx.engine.dispose()


@pytest.fixture
def window(qtbot, ctx):
    from utils.windows import show_window

    return show_window(qtbot, ctx)
