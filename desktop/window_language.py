"""Switching the interface's language (a mixin of MainWindow, desktop/window.py): the translators,
every page and overlay, the on-screen keyboard's layout, and the form rebuilt in the new words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from desktop.flow import Move, Page
from desktop.i18n import Translators

if TYPE_CHECKING:
    from desktop.context import AppContext
    from desktop.flow import Flow
    from desktop.keyboard import KeyboardDock
    from desktop.overlays import IdleCountdown, Notice, PinPad
    from desktop.pages.sign import SignPage
    from desktop.panel.page import PanelPage

    _Window = QMainWindow
else:
    _Window = object


class LanguageSwitch(_Window):
    if TYPE_CHECKING:
        ctx: AppContext
        flow: Flow
        translators: Translators | None
        keyboard: KeyboardDock | None
        pages: dict[Page, QWidget]
        _countdown: IdleCountdown | None
        _pin_pad: PinPad | None
        _notice: Notice | None

        @property
        def sign(self) -> SignPage: ...

        @property
        def panel(self) -> PanelPage: ...

        def retranslate(self) -> None: ...

        def _apply(self, move: Move) -> None: ...

    def set_language(self, locale: str) -> None:
        """Switch the whole interface and the campaign's texts, on whatever page is showing."""
        if locale == self.ctx.locale:
            return
        self._switch_language(locale)
        self._apply(Move(self.flow.page))

    def _switch_language(self, locale: str) -> None:
        # here, not at the top: the first paint goes without it
        from desktop.i18n import apply_language

        self.ctx.locale = locale
        if self.translators is None:
            self.translators = Translators()
        apply_language(QApplication.instance(), self.translators, locale)
        if self.keyboard is not None:
            self.keyboard.set_layout(locale)
        self.retranslate()
        for page in self.pages.values():
            page.retranslate()  # type: ignore[attr-defined]
        if Page.PANEL in self.pages and self.flow.page is Page.PANEL:
            self.panel.refresh()
        for overlay in (self._countdown, self._pin_pad, self._notice):
            if overlay is not None:
                overlay.retranslate()
        if Page.SIGN in self.pages:
            if self.flow.page is Page.SIGN:
                self.sign.show_campaign(self.ctx.shown, keep_typed=True)
            else:  # rebuilt just after this switch is painted, before anyone can reach the form
                QTimer.singleShot(0, lambda: self.sign.show_campaign(self.ctx.shown, keep_typed=True))
