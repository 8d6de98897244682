"""Right after the first paint (desktop/app.py): what the first page did not need. The log file, the
database layer, the theme, the on-screen keyboard, the sign form built so the first tap on Sign
answers at once, and the background sync; in kiosk mode without a coordinator PIN, one is asked for."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from desktop import widgets
from desktop.flow import Page
from desktop.logging_setup import setup_logging

if TYPE_CHECKING:
    from desktop.window import MainWindow


def warm_up(window: MainWindow) -> None:
    """Everything after the first paint: the window's part, then the background sync."""
    gc.unfreeze()  # desktop/app.py froze what its imports made
    widgets.first_paint_done()
    prepare(window)
    from desktop.sync_worker import start_background_sync  # after the first paint: sync is not needed for it

    worker = start_background_sync(window, window.ctx.data_dir, window.ctx.engine)
    worker.report.connect(window.refresh_counts)  # queued: the report comes from the sync thread
    worker.purged.connect(lambda _report: window.refresh_counts())
    window.sync_worker = worker
    if Page.PANEL in window.pages:
        window.panel.attach_worker(worker)
    start_crowd_service(window)


def start_crowd_service(window: MainWindow) -> None:
    """Crowd mode's service; serving at once if the coordinator left it on when the app last ran."""
    from desktop.crowd.service import CrowdService  # after the first paint: not needed for it

    service = CrowdService(window.ctx, parent=window)
    service.signed.connect(window.phone_signed)
    service.changed.connect(lambda: window.set_crowd_invite(service.invite()))
    window.crowd = service
    service.resume()


def prepare(window: MainWindow) -> None:
    """The window's part: load the database layer and build the form. In kiosk mode without a
    coordinator PIN, ask for one."""
    setup_logging(window.ctx.data_dir, ctx=window.ctx)
    window.letter.enable_touch()
    window.ctx.warm_up()
    window.apply_theme(window.ctx.settings.theme)
    window.ensure_keyboard()
    window.show_links()
    window.page(Page.SIGN)
    if window.locked_down:
        from db import pin  # after the first paint: its hashing is not needed for it

        if not pin.has_pin(window.ctx.data_dir):
            window.pin_pad.ask("set")
