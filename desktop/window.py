"""The main window: a QStackedWidget whose page the Qt-free ``Flow`` decides."""

from __future__ import annotations

import logging
import sqlite3
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget, QWidget

from desktop.context import AppContext
from desktop.flow import Effect, Event, Flow, Move, Page
from desktop.pages.letter import LetterPage

if TYPE_CHECKING:  # the other pages, and the database layer, load after the first paint (warm_up)
    from desktop.pages.sign import SignPage
    from desktop.pages.thanks import ThanksPage

log = logging.getLogger(__name__)

INPUT_EVENTS = {
    QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
    QEvent.Type.Wheel, QEvent.Type.InputMethod,
}


class MainWindow(QMainWindow):
    saved = Signal(str)  # id of a signature that is on disk

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.flow = Flow(campaign_count=ctx.campaign_count)
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.pages: dict[Page, QWidget] = {}
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(lambda: self.send(Event.IDLE))
        self._watching_input = False
        self.retranslate()

    # -- pages, built when first needed so start-up paints the letter as early as possible ---------

    def page(self, page: Page) -> QWidget:
        widget = self.pages.get(page)
        if widget is None:
            widget = self._build(page)
            self.pages[page] = widget
            self.stack.addWidget(widget)
        return widget

    def _build(self, page: Page) -> QWidget:
        if page is Page.LETTER:
            letter = LetterPage()
            if self.ctx.loaded:  # built after start-up (e.g. a language switch): no reason to wait
                letter.enable_touch()
            letter.sign_clicked.connect(lambda: self.send(Event.SIGN_PRESSED))
            letter.change_campaign_clicked.connect(lambda: self.send(Event.CHANGE_CAMPAIGN))
            return letter
        if page is Page.SIGN:
            from desktop.pages.sign import SignPage

            sign = SignPage()
            sign.sign_requested.connect(self.submit)
            sign.back_clicked.connect(lambda: self.send(Event.BACK))
            sign.show_campaign(self.ctx.shown)
            return sign
        if page is Page.THANKS:
            from desktop.pages.thanks import ThanksPage

            thanks = ThanksPage()
            thanks.done.connect(lambda: self.send(Event.THANKS_DONE))
            return thanks
        from desktop.pages.picker import PickerPage

        picker = PickerPage()
        picker.chosen.connect(self.choose_campaign)
        return picker

    @property
    def letter(self) -> LetterPage:
        return self.page(Page.LETTER)  # type: ignore[return-value]

    @property
    def sign(self) -> SignPage:
        return self.page(Page.SIGN)  # type: ignore[return-value]

    @property
    def thanks(self) -> ThanksPage:
        return self.page(Page.THANKS)  # type: ignore[return-value]

    # -- the flow -------------------------------------------------------------------------------

    def start(self) -> None:
        if self.ctx.chosen:
            self.flow.page = Page.LETTER
            self._apply(Move(Page.LETTER, (Effect.SCROLL_TO_TOP,)))
        else:
            self._apply(self.flow.start())

    def send(self, event: Event) -> None:
        move = self.flow.send(event)
        if move is not None:
            self._apply(move)

    def go_to(self, page: Page) -> None:
        """Jump straight to ``page`` (screenshots and tests)."""
        self.flow.page = page
        effects = (Effect.START_THANKS_TIMER,) if page is Page.THANKS else ()
        self._apply(Move(page, effects))

    def _apply(self, move: Move) -> None:
        for effect in move.effects:
            if effect is Effect.CLEAR_FORM and Page.SIGN in self.pages:
                self.sign.clear()
            elif effect is Effect.SCROLL_TO_TOP and Page.LETTER in self.pages:
                self.letter.scroll_to_top()
        widget = self.page(move.page)
        if move.page is Page.LETTER:
            self.letter.show_letter(self.ctx.letter(), can_change=self.ctx.campaign_count > 1)
            self.letter.show_count(self.ctx.count())
        elif move.page is Page.PICKER:
            self._fill_picker()
        elif move.page is Page.THANKS:
            self.thanks.show_count(self.ctx.count())
        self.stack.setCurrentWidget(widget)
        for effect in move.effects:
            if effect is Effect.FOCUS_FIRST_FIELD:
                self.sign.focus_first_field()
            elif effect is Effect.START_THANKS_TIMER:
                self.thanks.start(self.ctx.settings.thank_you_s)
        self._arm_idle()

    def _fill_picker(self) -> None:
        picker = self.page(Page.PICKER)
        counts = {slug: self.ctx.count(slug) for slug in self.ctx.campaigns}
        picker.show_campaigns([c.localised(self.ctx.locale) for c in self.ctx.campaigns.values()], counts)

    def choose_campaign(self, slug: str) -> None:
        if slug != self.ctx.campaign_slug:
            self.ctx.campaign_slug = slug
            if Page.SIGN in self.pages:
                self.sign.show_campaign(self.ctx.shown)
            from sqlmodel import Session

            from db import settings as settings_store

            with Session(self.ctx.engine) as session:
                settings_store.update(session=session, active_campaign=slug)
                session.commit()
        self.send(Event.CAMPAIGN_CHOSEN)

    def set_language(self, locale: str) -> None:
        self.ctx.locale = locale
        self.retranslate()
        for page in self.pages.values():
            page.retranslate()  # type: ignore[attr-defined]
        if Page.SIGN in self.pages:
            self.sign.show_campaign(self.ctx.shown)
        self._apply(Move(self.flow.page))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Petition Kiosk"))

    # -- signing --------------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Right after the first paint: load the database layer and build the form, so the first
        tap on Sign answers at once."""
        from desktop.cli import setup_logging

        setup_logging()
        self.letter.enable_touch()
        self.ctx.warm_up()
        self.page(Page.SIGN)

    def submit(self) -> None:
        """Save what the form holds. The thank-you page comes only after the commit has returned."""
        from sqlalchemy.exc import DBAPIError

        from db import signatures
        from db.validation import SignatureInvalid

        page = self.sign
        page.clear_errors()
        draft = page.draft()
        draft.event_id = self.ctx.settings.active_event_id
        try:
            saved = signatures.save_signature(draft, engine=self.ctx.engine, shown=self.ctx.shown)
        except SignatureInvalid as invalid:
            page.show_errors(invalid.errors)
            return
        except (DBAPIError, sqlite3.Error, OSError) as exc:
            # Disk full, database locked for too long, device removed...: keep everything typed.
            log.error("could not save a signature: %s", type(exc).__name__)
            page.show_banner(self.tr(
                "Your signature could not be saved on this device. Nothing you typed is lost: "
                "please tell a volunteer, then try again."))
            return
        log.info("signature saved (seq %d)", saved.seq)
        self.saved.emit(saved.id)
        self.send(Event.SAVED)

    # -- idle: someone walked away from a half-filled form ------------------------------------------

    def _arm_idle(self) -> None:
        """Watch for input only while a form or thank-you page is open: an application-wide event
        filter sees every event, which costs time everywhere else (start-up above all)."""
        armed = self.flow.page in (Page.SIGN, Page.THANKS)
        if armed:
            self.idle_timer.start(self.ctx.settings.idle_timeout_s * 1000)
        else:
            self.idle_timer.stop()
        if armed != self._watching_input:
            app = QApplication.instance()
            if armed:
                app.installEventFilter(self)
            else:
                app.removeEventFilter(self)
            self._watching_input = armed

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in INPUT_EVENTS and self.idle_timer.isActive():
            self.idle_timer.start()
        return False
