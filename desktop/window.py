"""The main window: a QStackedWidget whose page the Qt-free ``Flow`` decides.

Besides mapping pages to widgets it carries out the flow's effects. The idle countdown
(desktop/window_idle.py), language switches (window_language.py), kiosk mode (window_kiosk.py) and the
coordinator PIN (window_pin.py) are mixins of their own; desktop/warm_up.py does what follows the first
paint.
"""

from __future__ import annotations

import functools
import logging
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QVBoxLayout, QWidget
from shiboken6 import isValid

from desktop.context import AppContext, next_goal
from desktop.flow import Effect, Event, Flow, Move, Page
from desktop.i18n import LANGUAGES, Translators
from desktop.pages.letter import LetterPage
from desktop.widgets import after_first_paint, restyle
from desktop.window_idle import COUNTDOWN_S, IdleWatch

if TYPE_CHECKING:  # the other pages, and the database layer, load after the first paint (warm_up)
    from db.crowd.invite import Invite
    from desktop.crowd.service import CrowdService
    from desktop.keyboard import KeyboardDock
    from desktop.overlays import IdleCountdown, Notice, PinPad
    from desktop.pages.attract import AttractPage
    from desktop.pages.picker import PickerPage
    from desktop.pages.sign import SignPage
    from desktop.pages.thanks import ThanksPage
    from desktop.panel.page import PanelPage
    from desktop.sync_worker import SyncWorker
    from desktop.window_kiosk import KioskLockdown
    from desktop.window_pin import CoordinatorPin

log = logging.getLogger(__name__)


class MainWindow(IdleWatch, QMainWindow):
    """The pages in a stack, the overlays over them, and carrying out the flow's moves. The idle reset
    is a mixin (desktop/window_idle.py); kiosk mode, the coordinator PIN and language switches are
    loaded when first needed (desktop/window_kiosk.py, window_pin.py, window_language.py); what
    follows the first paint is desktop/warm_up.py's."""

    saved = Signal(str)  # id of a signature that is on disk
    reset_done = Signal()  # an idle reset finished: home is showing, nothing of the last person left

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.translators: Translators | None = None
        self.home_locale = ctx.locale  # the language every new person starts in
        self.flow = Flow(campaign_count=ctx.campaign_count, kiosk=ctx.kiosk)
        self.stack = QStackedWidget()
        central = QWidget()
        self._column = QVBoxLayout(central)  # the pages, and under them the on-screen keyboard
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(0)
        self._column.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.keyboard: KeyboardDock | None = None  # desktop/keyboard.py, built after the first paint
        self.pages: dict[Page, QWidget] = {}
        self.idle_ms: int | None = None  # None: settings.idle_timeout_s (tests and benchmarks set it)
        self.countdown_s = COUNTDOWN_S
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self.start_countdown)
        self._watching_input = False
        self._countdown: IdleCountdown | None = None
        self._coordinator_pin: CoordinatorPin | None = None  # desktop/window_pin.py, on first use
        self._notice: Notice | None = None
        self._lockdown: KioskLockdown | None = None  # desktop/window_kiosk.py, on entering kiosk mode
        self.locked_down = False
        self.sync_worker: SyncWorker | None = None  # started after the first paint (desktop/app.py)
        self.crowd: CrowdService | None = None  # crowd mode's phone service, made after the first paint
        self.crowd_invite: Invite | None = None  # crowd mode's two codes, shown while it is on (set_crowd_invite)
        self._count_refresh = QTimer(self)
        self._count_refresh.setSingleShot(True)
        self._count_refresh.setInterval(250)
        self._count_refresh.timeout.connect(self._refresh_phone_counts)
        self.retranslate()

    # -- pages, built when first needed so start-up paints the first page as early as possible ------

    def page(self, page: Page) -> QWidget:
        widget = self.pages.get(page)
        if widget is None:
            widget = self._build(page)
            after_first_paint(functools.partial(_guard_wheel, widget))  # the first page paints without it
            self.pages[page] = widget
            self.stack.addWidget(widget)
            if self.crowd_invite is not None and page in (Page.ATTRACT, Page.LETTER):
                widget.set_invite(self.crowd_invite)  # type: ignore[attr-defined]
        return widget

    def _build(self, page: Page) -> QWidget:
        if page is not Page.LETTER:
            from desktop.window_pages import build_page  # here: a start on the letter paints without it

            return build_page(self, page)
        letter = LetterPage(LANGUAGES)
        if self.ctx.loaded:  # built after start-up (e.g. a language switch): no reason to wait
            letter.enable_touch()
        letter.sign_clicked.connect(lambda: self.send(Event.SIGN_PRESSED))
        letter.change_campaign_clicked.connect(lambda: self.send(Event.CHANGE_CAMPAIGN))
        letter.coordinator_clicked.connect(self.ask_pin)
        letter.languages.chosen.connect(self.set_language)
        return letter

    @property
    def attract(self) -> AttractPage:
        return self.page(Page.ATTRACT)  # type: ignore[return-value]

    @property
    def letter(self) -> LetterPage:
        return self.page(Page.LETTER)  # type: ignore[return-value]

    @property
    def sign(self) -> SignPage:
        return self.page(Page.SIGN)  # type: ignore[return-value]

    @property
    def thanks(self) -> ThanksPage:
        return self.page(Page.THANKS)  # type: ignore[return-value]

    @property
    def panel(self) -> PanelPage:
        return self.page(Page.PANEL)  # type: ignore[return-value]

    @property
    def countdown(self) -> IdleCountdown:
        if self._countdown is None:
            # here, not at the top: the first paint goes without it
            from desktop.overlays import IdleCountdown

            self._countdown = IdleCountdown(self)
            self._countdown.still_here.connect(self.still_here)
            self._countdown.expired.connect(self.idle_expired)
        return self._countdown

    @property
    def notice(self) -> Notice:
        if self._notice is None:
            # here, not at the top: the first paint goes without it
            from desktop.overlays import Notice

            self._notice = Notice(self)
        return self._notice

    def explain_sealing_unavailable(self) -> None:
        from desktop.signing import explain_sealing_unavailable  # here: the first paint goes without it

        explain_sealing_unavailable(self.notice)

    # -- the flow -------------------------------------------------------------------------------

    def start(self) -> None:
        if self.flow.kiosk:
            self._apply(self.flow.start())
        elif self.ctx.chosen:
            self.flow.page = Page.LETTER
            self._apply(Move(Page.LETTER, (Effect.SCROLL_TO_TOP,)))
        else:
            self._apply(self.flow.start())

    def send(self, event: Event) -> None:
        if event is Event.SIGN_PRESSED and self.ctx.loaded and not self._can_collect():
            self.explain_sealing_unavailable()
            return
        move = self.flow.send(event)
        if move is not None:
            self._apply(move)

    def _can_collect(self) -> bool:
        # here, not at the top: the first paint goes without it
        from db import sealing

        return sealing.can_collect(self.ctx.campaign, engine=self.ctx.engine)

    def go_to(self, page: Page) -> None:
        """Jump straight to ``page`` (screenshots and tests)."""
        self.flow.page = page
        effects = (Effect.START_THANKS_TIMER,) if page is Page.THANKS else ()
        self._apply(Move(page, effects))

    def _apply(self, move: Move) -> None:
        for effect in move.effects:
            if effect is Effect.WIPE_TRACES:
                self.wipe_traces()
            elif effect is Effect.CLEAR_FORM:
                # The volunteers' screens hold signers too (their last entries): wiped with the form.
                for entry_page in (Page.SIGN, Page.ASSISTED, Page.PAPER):
                    if entry_page in self.pages:
                        self.pages[entry_page].clear()  # type: ignore[attr-defined]
            elif effect is Effect.SCROLL_TO_TOP and Page.LETTER in self.pages:
                self.letter.scroll_to_top()
        widget = self.page(move.page)
        self._show(move.page)
        self.stack.setCurrentWidget(widget)
        for effect in move.effects:
            if effect is Effect.FOCUS_FIRST_FIELD:
                widget.focus_first_field()  # type: ignore[attr-defined]
            elif effect is Effect.START_THANKS_TIMER:
                self.thanks.start(self.ctx.settings.thank_you_s)
        self._arm_idle()

    def _show(self, page: Page) -> None:
        """Fill ``page`` with the campaign and counts as they are now."""
        if page is Page.ATTRACT:
            letter = self.ctx.letter()
            count = self.ctx.live_count()
            self.attract.show_campaign(letter, self.ctx.locale)
            self.attract.show_count(count, next_goal(count, letter.goal))
        elif page is Page.LETTER:
            self.letter.show_letter(self.ctx.letter(), can_change=self.ctx.campaign_count > 1 and not self.flow.kiosk,
                                    kiosk=self.flow.kiosk)
            self.letter.show_count(self.ctx.count())
            if self.ctx.loaded:  # the campaign's links come with the bundles, loaded after the first paint
                self.show_links()
            self.letter.languages.show_current(self.ctx.locale)
        elif page is Page.PICKER:
            self._fill_picker()
        elif page is Page.SIGN:
            self.sign.languages.show_current(self.ctx.locale)
        elif page is Page.THANKS:
            self.thanks.show_count(self.ctx.count())
            self.thanks.languages.show_current(self.ctx.locale)
        elif page in (Page.ASSISTED, Page.PAPER):
            self.page(page).open()  # type: ignore[attr-defined]
        elif page is Page.PANEL:
            if self.sync_worker is not None:
                self.panel.attach_worker(self.sync_worker)
            self.panel.open(kiosk=self.locked_down)

    def show_links(self) -> None:
        """The letter's QR code: the campaign's own online petition, else, on an enrolled device, the
        server's page of a campaign it published (where web signatures count with the device's)."""
        from db.sync import enrollment  # not at the top: the first paint goes without it

        campaign = self.ctx.campaign
        links = campaign.manifest.links
        online = links.online_petition or enrollment.web_page_url(
            enrollment.load(self.ctx.data_dir), campaign.slug, campaign.source)
        self.letter.show_links(links.full_letter, online)

    def set_crowd_invite(self, invite: Invite | None) -> None:
        """Crowd mode's two QR codes on the attract and letter pages while it is on (``invite``: what they
        say), none when it is off; called from the crowd service's ``changed`` signal."""
        self.crowd_invite = invite
        for page in (Page.ATTRACT, Page.LETTER):
            if page in self.pages:
                self.pages[page].set_invite(invite)  # type: ignore[attr-defined]

    def refresh_counts(self) -> None:
        """A sync has moved signatures into the server's total: show the count as it is now on the
        screen a passer-by looks at (the other pages read it whenever they are shown)."""
        if self.flow.page is Page.ATTRACT:
            letter = self.ctx.letter()
            count = self.ctx.live_count()
            self.attract.show_count(count, next_goal(count, letter.goal))

    def phone_signed(self) -> None:
        """A phone's signature is on disk (crowd mode): the counts on the screen rise with it, read
        once for all the phones that signed in the same quarter second (a crowd signs in bursts)."""
        if not self._count_refresh.isActive():
            self._count_refresh.start()

    def _refresh_phone_counts(self) -> None:
        self.refresh_counts()
        if self.flow.page is Page.LETTER:
            self.letter.show_count(self.ctx.count())

    def _fill_picker(self) -> None:
        picker = cast("PickerPage", self.page(Page.PICKER))
        counts = {slug: self.ctx.count(slug) for slug in self.ctx.campaigns}
        picker.show_campaigns([c.localised(self.ctx.locale) for c in self.ctx.campaigns.values()], counts)

    def choose_campaign(self, slug: str) -> None:
        changed = slug != self.ctx.campaign_slug
        if changed:
            self.ctx.campaign_slug = slug
            if Page.SIGN in self.pages:
                self.sign.show_campaign(self.ctx.shown)
        if changed or self.ctx.settings.active_campaign != slug:
            # Remembered even when it is the campaign shown first: the next start opens it, not the picker.
            # here, not at the top: the first paint goes without it
            from db import settings as settings_store
            from db.engine import write_session

            with write_session(self.ctx.engine) as session:
                settings_store.update(session=session, active_campaign=slug)
                session.commit()
            self.ctx.reload_settings()
            if changed and self.crowd is not None:
                self.crowd.settings_changed()  # the phones sign what the kiosk shows
        self.send(Event.CAMPAIGN_CHOSEN)

    def set_language(self, locale: str) -> None:
        """Switch the whole interface and the campaign's texts, on whatever page is showing."""
        if locale == self.ctx.locale:
            return
        self._switch_language(locale)
        self._apply(Move(self.flow.page))

    def _switch_language(self, locale: str) -> None:
        from desktop.window_language import switch_language  # here: the first paint goes without it

        switch_language(self, locale)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Petition Kiosk"))

    # -- signing ----------------------------------------------------------------------------------

    def submit(self) -> None:
        """Save what the form holds (desktop/signing.py). The thank-you page comes only after the
        commit has returned."""
        from desktop.signing import save_from_form  # here: the first paint goes without the database layer

        saved = save_from_form(self.sign, self.ctx)
        if saved is None:
            return
        saved_id, receipt_url = saved
        self.thanks.show_receipt(receipt_url)
        self.saved.emit(saved_id)
        self.send(Event.SAVED)

    # -- privacy: nothing of one person reaches the next ----------------------------------------

    def wipe_traces(self) -> None:
        """Everything outside the form's fields where a signer's input can linger: overlays, the
        language they chose, and the input's traces (desktop/privacy.py)."""
        from desktop.privacy import clear_input_traces  # here: the first paint goes without it

        if self._countdown is not None:
            self._countdown.stop()
        if self._pin_pad is not None and self._pin_pad.isVisible() and self._pin_pad.mode == "check":
            self._pin_pad.cancel()
        if self._notice is not None:
            self._notice.hide()
        clear_input_traces(self)
        if self.ctx.locale != self.home_locale:
            self._switch_language(self.home_locale)

    # -- kiosk mode (desktop/window_kiosk.py) ----------------------------------------------------

    @property
    def lockdown(self) -> KioskLockdown:
        if self._lockdown is None:
            from desktop.window_kiosk import KioskLockdown  # here: a start outside kiosk mode goes without it

            self._lockdown = KioskLockdown(self, self.ask_pin)
        return self._lockdown

    def enter_kiosk(self) -> None:
        """Full screen, frameless, on top; Escape and close requests do nothing; the screen stays on.
        The way out: hold the top-left corner for 3 s, then the coordinator PIN."""
        self.locked_down = True
        self.flow.kiosk = True
        self.lockdown.enter()

    def fill_screen(self) -> None:
        self.lockdown.fill_screen()

    def leave_kiosk(self) -> None:
        """The panel's "Leave kiosk mode": an ordinary window again, on the letter."""
        self.locked_down = False
        self.flow.kiosk = False
        self.lockdown.leave()
        self.flow.page = Page.LETTER
        self._apply(Move(Page.LETTER, (Effect.SCROLL_TO_TOP,)))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        if self.locked_down:
            event.ignore()  # Alt+F4, the window manager's close, a stray close(): the kiosk stays
            return
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if self.locked_down:
            event.accept()  # Escape and any other unhandled key end here, doing nothing
            return
        super().keyPressEvent(event)

    # -- the coordinator PIN (desktop/window_pin.py) ---------------------------------------------

    @property
    def coordinator_pin(self) -> CoordinatorPin:
        if self._coordinator_pin is None:
            from desktop.window_pin import CoordinatorPin  # here: the first paint goes without it

            self._coordinator_pin = CoordinatorPin(self, self.ctx, open_panel=self.open_panel, audit=self._audit,
                                                   locked_down=lambda: self.locked_down)
        return self._coordinator_pin

    @property
    def pin_pad(self) -> PinPad:
        return self.coordinator_pin.pad

    @property
    def _pin_pad(self) -> PinPad | None:
        """The PIN pad if it was made (wiping traces and a language switch leave an unmade one be)."""
        return self._coordinator_pin.made_pad if self._coordinator_pin is not None else None

    def ask_pin(self) -> None:
        self.coordinator_pin.ask()

    def change_pin(self) -> None:
        self.coordinator_pin.change()

    # -- the coordinator's panel ----------------------------------------------------------------

    def open_panel(self) -> None:
        self._audit("panel_opened")
        self.send(Event.OPEN_PANEL)

    def reload_settings(self) -> None:
        """The panel saved settings: what the window keeps of them is read again."""
        self.ctx.reload_settings()
        settings = self.ctx.settings
        self.home_locale = settings.default_locale
        if settings.active_campaign and settings.active_campaign != self.ctx.campaign_slug \
                and settings.active_campaign in self.ctx.bundle_dirs:
            self.ctx.campaign_slug = settings.active_campaign
            if Page.SIGN in self.pages:
                self.sign.show_campaign(self.ctx.shown)
        self.apply_theme(settings.theme)
        if self.keyboard is not None:
            self.keyboard.setEnabled(settings.on_screen_keyboard != "off")
        if self.crowd is not None:
            self.crowd.settings_changed()

    def apply_theme(self, theme: str) -> None:
        """The stylesheet's [theme="outdoor"] rules: set before the first paint (desktop/app.py)
        and whenever the coordinator changes it."""
        if (self.property("theme") or "default") == theme:
            return
        self.setProperty("theme", theme)
        if self.isVisible() or self.pages:  # polished already: the rules are matched again
            for widget in (self, *self.findChildren(QWidget)):
                restyle(widget)
                widget.update()

    def ensure_keyboard(self) -> KeyboardDock | None:
        """The on-screen keyboard, docked under the pages, when the input method is Qt Virtual
        Keyboard (the on_screen_keyboard setting, chosen before the application started)."""
        # here, not at the top: the first paint goes without it
        from desktop import keyboard

        if self.keyboard is None and keyboard.in_use():
            # here, not at the top: the first paint goes without it
            from desktop.widgets import fingertip

            self.keyboard = keyboard.KeyboardDock(self.stack, min_key_height=fingertip())
            self.keyboard.set_layout(self.ctx.locale)
            self._column.addWidget(self.keyboard)
        if self.keyboard is not None and self.ctx.loaded:
            self.keyboard.setEnabled(self.ctx.settings.on_screen_keyboard != "off")
        return self.keyboard

    def ensure_sync_worker(self) -> SyncWorker:
        if self.sync_worker is None:
            # here, not at the top: the first paint goes without it
            from desktop.sync_worker import start_background_sync

            self.sync_worker = start_background_sync(self, self.ctx.data_dir, self.ctx.engine)
            self.sync_worker.report.connect(self.refresh_counts)
        if Page.PANEL in self.pages:
            self.panel.attach_worker(self.sync_worker)
        return self.sync_worker

    def _audit(self, kind: str, **detail: object) -> None:
        from db.panel import record  # here: the first paint goes without the database layer

        try:
            record(kind, engine=self.ctx.engine, **detail)
        except Exception as exc:  # the log must never stand between a coordinator and the panel
            log.warning("could not write the audit log: %s", type(exc).__name__)


def _guard_wheel(page: QWidget) -> None:
    from desktop.wheel import guard_wheel  # here: it needs Qt's namespace, which the first paint goes without

    if isValid(page):
        guard_wheel(page)
