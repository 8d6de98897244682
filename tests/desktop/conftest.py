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
    from utils.windows import show_window

    return show_window(qtbot, ctx)
