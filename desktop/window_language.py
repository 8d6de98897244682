"""Switching the interface's language in the main window (desktop/window.py): the translators, every
page and overlay, the on-screen keyboard's layout, and the form rebuilt in the new words. Loaded on
the first switch: the first paint goes without it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from desktop.flow import Flow, Page
from desktop.i18n import Translators, apply_language

if TYPE_CHECKING:  # what the window holds; a switch needs none of them loaded
    from desktop.context import AppContext
    from desktop.keyboard import KeyboardDock
    from desktop.overlays import IdleCountdown, Notice, PinPad
    from desktop.pages.sign import SignPage
    from desktop.panel.page import PanelPage


class LanguageHost(Protocol):
    """What a switch changes in the window."""

    ctx: AppContext
    flow: Flow
    translators: Translators | None
    keyboard: KeyboardDock | None
    pages: dict[Page, QWidget]
    _countdown: IdleCountdown | None
    _notice: Notice | None

    @property
    def _pin_pad(self) -> PinPad | None: ...

    @property
    def sign(self) -> SignPage: ...

    @property
    def panel(self) -> PanelPage: ...

    def retranslate(self) -> None: ...


def switch_language(window: LanguageHost, locale: str) -> None:
    """Everything the window shows, in ``locale``, on whatever page is showing."""
    window.ctx.locale = locale
    if window.translators is None:
        window.translators = Translators()
    apply_language(QApplication.instance(), window.translators, locale)
    if window.keyboard is not None:
        window.keyboard.set_layout(locale)
    window.retranslate()
    for page in window.pages.values():
        page.retranslate()  # type: ignore[attr-defined]  # every page has one; QWidget does not say so
    if Page.PANEL in window.pages and window.flow.page is Page.PANEL:
        window.panel.refresh()
    for overlay in (window._countdown, window._pin_pad, window._notice):
        if overlay is not None:
            overlay.retranslate()
    if Page.SIGN in window.pages:
        if window.flow.page is Page.SIGN:
            window.sign.show_campaign(window.ctx.shown, keep_typed=True)
        else:  # rebuilt just after this switch is painted, before anyone can reach the form
            QTimer.singleShot(0, lambda: window.sign.show_campaign(window.ctx.shown, keep_typed=True))
