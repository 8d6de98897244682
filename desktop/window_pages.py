"""The main window's pages other than the letter, each built when first shown and wired to the window
(desktop/window.py). Loaded when the first of them is needed: a start on the letter paints without it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QWidget

from desktop.flow import Event, Page
from desktop.i18n import LANGUAGES

if TYPE_CHECKING:
    from desktop.context import AppContext
    from desktop.crowd.service import CrowdService
    from desktop.sync_worker import SyncWorker


class PageHost(Protocol):
    """What the pages are wired to."""

    ctx: AppContext
    crowd: CrowdService | None

    def send(self, event: Event) -> None: ...

    def set_language(self, locale: str) -> None: ...

    def submit(self) -> None: ...

    def leave_kiosk(self) -> None: ...

    def change_pin(self) -> None: ...

    def reload_settings(self) -> None: ...

    def ensure_sync_worker(self) -> SyncWorker: ...

    def choose_campaign(self, slug: str) -> None: ...


def _sender(window: PageHost, event: Event) -> Callable[[], None]:
    return lambda: window.send(event)


def build_page(window: PageHost, page: Page) -> QWidget:
    """``page``'s widget, its signals connected to ``window``."""
    if page is Page.ATTRACT:
        from desktop.pages.attract import AttractPage  # each page's module when it is first shown

        attract = AttractPage(LANGUAGES)
        attract.begin_clicked.connect(_sender(window, Event.BEGIN))
        attract.languages.chosen.connect(window.set_language)
        return attract
    if page is Page.SIGN:
        from desktop.pages.sign import SignPage

        sign = SignPage(LANGUAGES)
        sign.sign_requested.connect(window.submit)
        sign.back_clicked.connect(_sender(window, Event.BACK))
        sign.languages.chosen.connect(window.set_language)
        sign.show_campaign(window.ctx.shown)
        return sign
    if page is Page.THANKS:
        from desktop.pages.thanks import ThanksPage

        thanks = ThanksPage(LANGUAGES)
        thanks.done.connect(_sender(window, Event.THANKS_DONE))
        thanks.languages.chosen.connect(window.set_language)
        return thanks
    if page is Page.PANEL:
        from desktop.panel.page import PanelPage

        panel = PanelPage(window.ctx)
        panel.close_requested.connect(_sender(window, Event.CLOSE_PANEL))
        panel.leave_kiosk_requested.connect(window.leave_kiosk)
        panel.change_pin_requested.connect(window.change_pin)
        panel.settings_changed.connect(window.reload_settings)
        panel.worker_factory = window.ensure_sync_worker
        panel.crowd_source = lambda: window.crowd  # crowd mode's service, when the window has one
        panel.assisted_requested.connect(_sender(window, Event.OPEN_ASSISTED))
        panel.paper_requested.connect(_sender(window, Event.OPEN_PAPER))
        return panel
    if page in (Page.ASSISTED, Page.PAPER):
        from desktop.pages.assisted import AssistedPage
        from desktop.pages.paper import PaperPage

        entry = (AssistedPage if page is Page.ASSISTED else PaperPage)(window.ctx, LANGUAGES)
        entry.back_clicked.connect(_sender(window, Event.BACK))
        entry.languages.chosen.connect(window.set_language)
        return entry
    from desktop.pages.picker import PickerPage

    picker = PickerPage()
    picker.chosen.connect(window.choose_campaign)
    return picker
