"""The first run: a few questions, then straight to the letter.

Language, campaign (built-in or imported from a folder or zip file), this device's name, the
coordinator PIN (required: it guards the panel, exports, purges and the way out of kiosk mode) and,
optionally, enrollment with a server and today's event. Every answer can be changed later in the
coordinator's panel. Nothing is stored until the last step, except an enrollment or an import, which stand on their own;
the PIN is stored last (``db.setup.complete``), so a set-up left half-way starts again next time.

Each step is a page of its own (desktop/setup/, one module per step on a shared base); this wizard
holds the answers and moves between the steps. Each choice is one tap on a large card and moves on by
itself (a language and a campaign alike: one tap, with a finger, is the whole answer); Back returns to
any earlier answer, and an optional step has a Skip.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from db import pin, setup
from desktop.context import AppContext
from desktop.i18n import Translators, apply_language
from desktop.setup.campaign import CampaignStep
from desktop.setup.device import DeviceStep
from desktop.setup.event import EventStep
from desktop.setup.language import LanguageStep
from desktop.setup.pin import PinStep
from desktop.setup.server import ServerStep
from desktop.setup.step import Step
from desktop.tasks import run_in_background
from desktop.widgets import bottom_bar, button, label

log = logging.getLogger(__name__)

STEPS = ("language", "campaign", "device", "pin", "server", "event")


class SetupWizard(QWidget):
    """The set-up screens. ``finished`` carries the stored ``db.setup.SetupChoices``."""

    finished = Signal(object)
    closed = Signal()

    def __init__(self, ctx: AppContext, translators: Translators, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.ctx = ctx
        self.translators = translators
        self.completed: setup.SetupChoices | None = None
        earlier = setup.stored_choices(engine=ctx.engine)  # a set-up left half-way: its answers again
        self.language = ctx.locale or earlier["locale"]
        self.campaign = ctx.campaign_slug if ctx.chosen else (earlier["campaign"] or "")
        self.chosen_pin = ""
        # Asked again (--setup) on a device with a PIN: the PIN stays. Replacing it here would let
        # anyone who can start the app with a flag skip the current PIN (the panel asks for it first).
        self.keeps_pin = pin.has_pin(ctx.data_dir)
        self._busy = False

        m = self.fontMetrics().height()
        self.heading = label(role="title")
        self.step_label = label(role="muted")
        head = QWidget()
        head.setObjectName("Page")
        head_row = QHBoxLayout(head)
        head_row.setContentsMargins(m * 2, m // 2, m * 2, 0)
        head_row.setSpacing(m)
        head_row.addWidget(self.heading, 1)
        head_row.addWidget(self.step_label, 0, Qt.AlignmentFlag.AlignBottom)

        self.language_step = LanguageStep(self, lambda code: self.choose_language(code, advance=True))
        self.campaign_step = CampaignStep(self, lambda slug: self.choose_campaign(slug, advance=True))
        self.device_step = DeviceStep(self)
        self.pin_step = PinStep(self)
        self.server_step = ServerStep(self)
        self.event_step = EventStep(self)
        self.pages: dict[str, Step] = {step.name: step for step in (
            self.language_step, self.campaign_step, self.device_step, self.pin_step, self.server_step,
            self.event_step)}
        self.steps = QStackedWidget()
        for name in STEPS:
            self.steps.addWidget(self.pages[name])
        # The widgets tests, the self-test and the screenshots drive, by their old names.
        self.language_cards = self.language_step.cards
        self.campaign_cards = self.campaign_step.cards
        self.import_message = self.campaign_step.import_message
        self.device_name = self.device_step.name_field
        self.device_error = self.device_step.error
        self.pin_pad, self.pin_hint = self.pin_step.pad, self.pin_step.hint
        self.pin_done, self.pin_again = self.pin_step.done, self.pin_step.again
        self.enrollment = self.server_step.enrollment
        self.server_url, self.enroll_code = self.enrollment.server_url, self.enrollment.enroll_code
        self.enroll_message = self.enrollment.message

        self.back_button = button(role="quiet")
        self.back_button.clicked.connect(self.back)
        self.skip_button = button(role="quiet")
        self.skip_button.clicked.connect(self.skip)
        self.next_button = button(role="primary")
        self.next_button.clicked.connect(self.next)
        self.bar_message = label(role="error")
        self.bar_message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bar = bottom_bar(self.back_button, self.bar_message, self.skip_button, self.next_button,
                         grow=self.bar_message)

        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(0)
        self._column.addWidget(head)
        self._column.addWidget(self.steps, 1)
        self._column.addWidget(bar)
        self.keyboard = self._dock_keyboard()
        self.retranslate()
        self.show_step(0)

    def _dock_keyboard(self) -> Any:
        """The on-screen keyboard under the steps, as in the main window (desktop/keyboard.py)."""
        # on first use, not at the top: the screen opens without it
        from desktop import keyboard

        if not keyboard.in_use():
            return None
        # on first use, not at the top: the screen opens without it
        from desktop.widgets import fingertip

        dock = keyboard.KeyboardDock(self.steps, min_key_height=fingertip())
        dock.set_layout(self.language)
        self._column.addWidget(dock)
        return dock

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Set up Petition Kiosk"))
        self.back_button.setText(self.tr("Back"))
        self.skip_button.setText(self.tr("Skip"))
        for page in self.pages.values():
            page.retranslate()
        self.show_step(self.steps.currentIndex())

    # -- moving between steps -----------------------------------------------------------------

    def step(self) -> str:
        return STEPS[self.steps.currentIndex()]

    def show_step(self, index: int) -> None:
        self.steps.setCurrentIndex(index)
        page = self.pages[STEPS[index]]
        self.heading.setText(page.heading())
        self.step_label.setText(self.tr("Step %1 of %2").replace("%1", str(index + 1)).replace("%2", str(len(STEPS))))
        self.back_button.setVisible(index > 0)
        self.skip_button.setVisible(page.optional)
        last = index == len(STEPS) - 1
        self.next_button.setText(self.tr("Start collecting signatures") if last else self.tr("Next"))
        self.bar_message.setText("")
        self.update_next()
        page.shown()

    def update_next(self) -> None:
        self.next_button.setEnabled(self.pages[self.step()].ready() and not self._busy)

    def focus_next(self) -> None:
        self.next_button.setFocus()

    def back(self) -> None:
        if self._busy:
            return
        self.show_step(max(0, self.steps.currentIndex() - 1))

    def next(self) -> None:
        if self._busy:
            return
        if not self.pages[self.step()].leave():
            return
        if self.step() == STEPS[-1]:
            self.finish()
            return
        self.show_step(self.steps.currentIndex() + 1)

    advance = next

    def skip(self) -> None:
        """An optional step left unanswered: on to the next step (or, on the last, to the letter)."""
        if self._busy:
            return
        self.pages[self.step()].skip()
        if self.step() == STEPS[-1]:
            self.finish()
            return
        self.show_step(self.steps.currentIndex() + 1)

    # -- answers --------------------------------------------------------------------------------

    def choose_language(self, code: str, *, advance: bool = False) -> None:
        self.language = code
        app = QApplication.instance()
        apply_language(app, self.translators, code)
        if self.keyboard is not None:
            self.keyboard.set_layout(code)
        self.retranslate()
        if advance:
            self.show_step(STEPS.index("campaign"))

    def choose_campaign(self, slug: str, *, advance: bool = False) -> None:
        self.campaign = slug
        self.campaign_step.mark_chosen()
        self.update_next()
        if advance:
            self.show_step(STEPS.index("device"))

    def import_campaign(self, path: Path) -> None:
        self.campaign_step.import_campaign(path)

    def enroll(self) -> None:
        self.enrollment.enroll()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.back_button.setEnabled(not busy)
        self.skip_button.setEnabled(not busy)
        for page in self.pages.values():
            page.set_busy(busy)
        self.update_next()

    def finish(self) -> None:
        """Store the answers (off the GUI thread: the PIN's hash takes a moment), then hand over."""
        event_name, event_place, event_date = self.event_step.answer()
        choices = setup.SetupChoices(locale=self.language, campaign=self.campaign,
                                     device_name=self.device_name.text().strip(), coordinator_pin=self.chosen_pin,
                                     event_name=event_name, event_place=event_place, event_date=event_date)
        data_dir, engine = self.ctx.data_dir, self.ctx.engine
        self.set_busy(True)
        self.bar_message.setText("")

        def stored(_result: object) -> None:
            log.info("set-up finished: campaign %s, language %s, %s", choices.campaign, choices.locale,
                     "an event named" if choices.event_name else "no event")
            self.completed = setup.SetupChoices(choices.locale, choices.campaign, choices.device_name,
                                                event_name=choices.event_name, event_place=choices.event_place,
                                                event_date=choices.event_date)
            self.chosen_pin = ""
            self.finished.emit(self.completed)

        def failed(exc: Exception) -> None:
            self.set_busy(False)
            log.error("set-up could not be stored: %s", type(exc).__name__)
            self.bar_message.setText(self.tr("The answers could not be saved. Is the disk full?"))

        run_in_background(lambda: setup.complete(data_dir, choices, engine=engine), stored, failed,
                          owner=self)

    # -- window ---------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        if self._busy and self.completed is None:  # the answers are being written: let that finish
            event.ignore()
            return
        super().closeEvent(event)
        self.closed.emit()


def run_setup(ctx: AppContext) -> setup.SetupChoices | None:
    """Show the set-up screens until they are finished (the choices, stored) or closed (None)."""
    # on first use, not at the top: the screen opens without it
    from desktop.application import early_choice, make_application

    app = make_application(on_screen_keyboard=early_choice(ctx, "on_screen_keyboard", ("auto", "on", "off")))
    translators = Translators()
    apply_language(app, translators, ctx.locale)
    wizard = SetupWizard(ctx, translators)
    loop = QEventLoop()
    wizard.finished.connect(lambda _choices: wizard.close())
    wizard.closed.connect(loop.quit)
    # Closing the set-up's window must not end the application: the main window follows it.
    quit_on_close = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        wizard.resize(1024, 600)
        wizard.show()
    else:
        wizard.showMaximized()
    try:
        loop.exec()
    finally:
        app.setQuitOnLastWindowClosed(quit_on_close)
    translators.uninstall(app)  # the main window installs its own
    choices = wizard.completed
    wizard.deleteLater()
    return choices
