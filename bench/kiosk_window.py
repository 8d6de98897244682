"""A kiosk window on a throw-away data directory, for the in-process UI benchmarks."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def kiosk_window(locale: str = "en") -> Iterator[Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop.app import build_window, make_application
    from desktop.context import open_context

    with tempfile.TemporaryDirectory(prefix="petition-bench-kiosk-") as tmp:
        ctx = open_context(Path(tmp), locale=locale, campaign="act-on-syria", overrides={"kiosk": True})
        ctx.warm_up()
        app = make_application()
        window = build_window(app, ctx)
        window.resize(1024, 600)
        window.show()
        app.processEvents()
        try:
            yield window
        finally:
            window.leave_kiosk()
            window.close()
            app.processEvents()
            ctx.close()


def settle() -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert app is not None  # a benchmark window exists only under a running QApplication
    app.processEvents()
