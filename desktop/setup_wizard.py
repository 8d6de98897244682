"""The first run: a few questions, then straight to the letter.

Language, campaign (built-in or imported from a folder or zip file), this device's name, the
coordinator PIN (required: it guards the panel, exports, purges and the way out of kiosk mode) and,
optionally, enrollment with a server. Every answer can be changed later in the coordinator's panel.
Nothing is stored until the last step, except an enrollment or an import, which stand on their own;
the PIN is stored last (``db.setup.complete``), so a set-up left half-way starts again next time.

Each choice is one tap on a large card and moves on by itself; Back returns to any earlier answer.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db import pin, setup
from desktop import campaign_import
from desktop.context import AppContext
from desktop.enrollment_box import EnrollmentBox
from desktop.i18n import LANGUAGES, Translators, apply_language, is_rtl
from desktop.overlays import PinPad
from desktop.tasks import run_in_background
from desktop.widgets import TappableCard, bottom_bar, button, enable_finger_scrolling, label, restyle, styled

log = logging.getLogger(__name__)

STEPS = ("language", "campaign", "device", "pin", "server")


class ChoiceCard(TappableCard):
    """A large tappable card: a title and, when given, a line under it. The chosen one is ticked."""

    def __init__(self, title: str, detail: str = "", *, rtl: bool | None = None) -> None:
        super().__init__()
        self.setAccessibleName(title)
        if rtl is not None:  # a card in its own script's direction (a language's name, a campaign's title)
            self.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
        self._title = title
        column = QVBoxLayout(self)
        m = self.fontMetrics().height()
        column.setContentsMargins(m, m * 3 // 4, m, m * 3 // 4)
        column.setSpacing(m // 4)
        self.title = label(title, "card-title")
        self.detail = label(detail)
        for part in (self.title, self.detail):
            part.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            column.addWidget(part)
        self.detail.setVisible(bool(detail))

    def set_chosen(self, chosen: bool) -> None:
        self.title.setText(f"✓  {self._title}" if chosen else self._title)
        self.setAccessibleDescription("✓" if chosen else "")


def _step_page() -> tuple[QScrollArea, QVBoxLayout, QWidget]:
    """A step's page: a scrolling column (a small screen with the keyboard up still reaches it all)."""
    inner = QWidget()
    inner.setObjectName("Page")
    column = QVBoxLayout(inner)
    m = inner.fontMetrics().height()
    column.setContentsMargins(m * 2, m, m * 2, m // 2)
    column.setSpacing(m * 2 // 3)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(inner)
    enable_finger_scrolling(scroll.viewport())
    return scroll, column, inner


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
        self.enrolled_as = ""
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

        self.steps = QStackedWidget()
        self.steps.addWidget(self._build_language())
        self.steps.addWidget(self._build_campaign())
        self.steps.addWidget(self._build_device())
        self.steps.addWidget(self._build_pin())
        self.steps.addWidget(self._build_server())

        self.back_button = button(role="quiet")
        self.back_button.clicked.connect(self.back)
        self.next_button = button(role="primary")
        self.next_button.clicked.connect(self.next)
        self.bar_message = label(role="error")
        self.bar_message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bar = bottom_bar(self.back_button, self.bar_message, self.next_button, grow=self.bar_message)

        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(0)
        self._column.addWidget(head)
        self._column.addWidget(self.steps, 1)
        self._column.addWidget(bar)
        self.keyboard = self._dock_keyboard()
        self.retranslate()
        self.show_step(0)

    # -- the steps ----------------------------------------------------------------------------

    def _build_language(self) -> QWidget:
        page, column, _ = _step_page()
        self.language_intro = label(role="subtitle")
        column.addWidget(self.language_intro)
        self.language_cards: dict[str, ChoiceCard] = {}
        for code, name in LANGUAGES.items():
            card = ChoiceCard(name, rtl=is_rtl(code))
            card.clicked.connect(lambda c=code: self.choose_language(c, advance=True))
            column.addWidget(card)
            self.language_cards[code] = card
        self.language_note = label(role="muted")
        column.addWidget(self.language_note)
        column.addStretch(1)
        return page

    def _build_campaign(self) -> QWidget:
        page, column, _ = _step_page()
        self.campaign_intro = label(role="subtitle")
        self.campaign_box = QVBoxLayout()
        self.campaign_box.setSpacing(self.fontMetrics().height() * 3 // 4)
        self.campaign_cards: dict[str, ChoiceCard] = {}
        self.import_button = button(role="quiet")
        self.import_button.clicked.connect(self.choose_import)
        self.import_message = label(role="muted")
        column.addWidget(self.campaign_intro)
        column.addLayout(self.campaign_box)
        column.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignLeading)
        column.addWidget(self.import_message)
        column.addStretch(1)
        return page

    def _build_device(self) -> QWidget:
        page, column, _ = _step_page()
        self.device_intro = label(role="subtitle")
        self.device_caption = label(role="field-label")
        self.device_name = QLineEdit(setup.stored_choices(engine=self.ctx.engine)["device_name"])
        self.device_name.setMaxLength(setup.DEVICE_NAME_MAX)
        self.device_name.returnPressed.connect(self.next)
        self.device_name.textEdited.connect(lambda _text: self._say_device(None))
        self.device_error = label(role="error")
        self.device_error.hide()
        self.device_hint = label(role="muted")
        column.addWidget(self.device_intro)
        column.addWidget(self.device_caption)
        column.addWidget(self.device_name)
        column.addWidget(self.device_error)
        column.addWidget(self.device_hint)
        column.addStretch(1)
        return page

    def _build_pin(self) -> QWidget:
        """The words on one side, the keypad on the other: both fit a 600-pixel-high screen."""
        page, column, _ = _step_page()
        self.pin_hint = label(role="subtitle")
        self.pin_done = label(role="card-title")
        self.pin_again = button(role="quiet")
        self.pin_again.clicked.connect(self._choose_pin_again)
        self.pin_holder = QWidget()
        self.pin_holder.setObjectName("Page")
        self.pin_pad = PinPad(self.pin_holder, fit_height=False)
        styled(self.pin_pad, "embedded")  # a card on the page, not a layer over it
        # Keys a fingertip high, not the kiosk pad's larger ones: the pad shares the screen's height
        # with the heading and the buttons here.
        from desktop.widgets import fingertip

        m = self.fontMetrics().height()
        key = max(fingertip(), m * 9 // 5)
        self.pin_pad.setStyleSheet(
            'QPushButton[role="key"], QPushButton[role="key-ok"] '
            f"{{ font-size: 15pt; padding: 0px; min-height: {key}px; max-height: {key}px; min-width: {key * 3}px; }}"
            'QLabel[role="pin-dots"] { font-size: 16pt; min-height: 0px; }'
            'QLabel[role="card-title"] { font-size: 13pt; }')
        outer, card = self.pin_pad.layout(), self.pin_pad.card.layout()
        assert outer is not None and card is not None
        outer.setContentsMargins(0, 0, 0, 0)
        card.setContentsMargins(m, m // 2, m, m // 2)
        card.setSpacing(m // 3)
        self.pin_pad.chosen.connect(self._pin_chosen)
        words = QVBoxLayout()
        words.setSpacing(self.fontMetrics().height() * 3 // 4)
        for widget in (self.pin_hint, self.pin_done):
            words.addWidget(widget)
        words.addWidget(self.pin_again, 0, Qt.AlignmentFlag.AlignLeading)
        words.addStretch(1)
        row = QHBoxLayout()
        row.setSpacing(self.fontMetrics().height() * 2)
        row.addLayout(words, 1)
        row.addWidget(self.pin_holder, 0)
        column.addLayout(row, 1)
        self.pin_done.hide()
        self.pin_again.hide()
        return page

    def _build_server(self) -> QWidget:
        page, column, _ = _step_page()
        self.server_intro = label()
        self.server_caption = label(role="field-label")
        self.enrollment = EnrollmentBox(self.ctx, self)  # the same as the panel's (desktop/enrollment_box.py)
        self.enrollment.busy.connect(self._set_busy)
        self.enrollment.enrolled.connect(self._enrolled)
        self.server_url = self.enrollment.server_url
        self.code_caption = label(role="field-label")
        self.enroll_code = self.enrollment.enroll_code
        self.enroll_button = self.enrollment.enroll_button
        self.enroll_message = self.enrollment.message
        self.server_later = label(role="muted")
        grid = QGridLayout()  # captions beside the fields: the step fits a 600-pixel-high screen
        m = self.fontMetrics().height()
        grid.setHorizontalSpacing(m)
        grid.setVerticalSpacing(m // 2)
        grid.addWidget(self.server_caption, 0, 0)
        grid.addWidget(self.server_url, 0, 1, 1, 2)
        grid.addWidget(self.code_caption, 1, 0)
        grid.addWidget(self.enroll_code, 1, 1)
        grid.addWidget(self.enroll_button, 1, 2)
        grid.setColumnStretch(1, 1)
        column.addWidget(self.server_intro)
        column.addLayout(grid)
        column.addWidget(self.enroll_message)
        column.addWidget(self.server_later)
        column.addStretch(1)
        return page

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

    # -- words ----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Set up Petition Kiosk"))
        self.back_button.setText(self.tr("Back"))
        self.language_intro.setText(self.tr(
            "Welcome. A few questions and this device is ready to collect signatures. Which language should "
            "it start in?"))
        self.language_note.setText(self.tr(
            "Signers can switch between English, Arabic and German at any moment."))
        self.campaign_intro.setText(self.tr("Which petition will this device collect signatures for?"))
        self.import_button.setText(self.tr("Import a campaign from a folder or a zip file…"))
        self.device_intro.setText(self.tr("What should this device be called?"))
        self.device_caption.setText(self.tr("Device name"))
        self.device_name.setPlaceholderText(self.tr("e.g. Courthouse table 1"))
        self.device_hint.setText(self.tr(
            "The name appears in exports, hand-off files and on the server, so that you know which device "
            "collected what. Name a place or a table, never a person."))
        self.pin_hint.setText(self.tr(
            "This device already has a coordinator PIN, and it stays as it is. To change it, open the "
            "coordinator's panel (Settings), which asks for the current PIN first.") if self.keeps_pin else self.tr(
            "It opens the coordinator's panel, exports and deletes data, and is the only way out of kiosk "
            "mode. Signers never need it. Keep it somewhere safe: nobody can read it back from this device."))
        self.pin_pad.retranslate()
        self.pin_done.setText(self.tr("✓  The coordinator PIN is chosen."))
        self.pin_again.setText(self.tr("Choose a different PIN"))
        self.server_intro.setText(self.tr(
            "Does your organisation run a Petition Kiosk server? Enrolled with it, this device sends its "
            "signatures whenever it has a network, and signers' details are sealed so that this device cannot "
            "read them back."))
        self.server_caption.setText(self.tr("Server address"))
        self.server_url.setPlaceholderText("https://petitions.example.org")
        self.code_caption.setText(self.tr("Enrollment code"))
        self.enrollment.retranslate()
        self.server_later.setText(self.tr(
            "No server, or no network here? Skip this: you can enroll later in the coordinator's panel, "
            "or carry signatures on a USB stick in hand-off files."))
        self._show_campaigns()
        self.show_step(self.steps.currentIndex())

    def _say_device(self, key: str | None) -> None:
        # on first use, not at the top: the screen opens without it
        from desktop.panel.words import device_name_words

        self.device_error.setText(device_name_words(key))
        self.device_error.setVisible(key is not None)
        self.device_name.setProperty("invalid", key is not None)
        restyle(self.device_name)

    # -- moving between steps -----------------------------------------------------------------

    def step(self) -> str:
        return STEPS[self.steps.currentIndex()]

    def show_step(self, index: int) -> None:
        self.steps.setCurrentIndex(index)
        name = STEPS[index]
        headings = {
            "language": self.tr("Set up this device"),
            "campaign": self.tr("Campaign"),
            "device": self.tr("This device"),
            "pin": self.tr("Coordinator PIN"),
            "server": self.tr("Server (optional)"),
        }
        self.heading.setText(headings[name])
        self.step_label.setText(self.tr("Step %1 of %2").replace("%1", str(index + 1)).replace("%2", str(len(STEPS))))
        self.back_button.setVisible(index > 0)
        last = index == len(STEPS) - 1
        self.next_button.setText(self.tr("Start collecting signatures") if last else self.tr("Next"))
        self.bar_message.setText("")
        self._update_next()
        if name == "language":
            for code, card in self.language_cards.items():
                card.set_chosen(code == self.language.split("-")[0])
        elif name == "device":
            self.device_name.setFocus()
        elif name == "pin" and self.keeps_pin:
            self.pin_pad.hide()
            self.pin_done.hide()
            self.pin_again.hide()
        elif name == "pin":
            if self.chosen_pin:
                self.pin_pad.hide()
            else:
                self.pin_pad.ask("set")
                self.pin_pad.cancel_button.hide()
                self.pin_holder.setMinimumSize(self.pin_pad.sizeHint())  # measured polished, with its keys
            self.pin_done.setVisible(bool(self.chosen_pin))
            self.pin_again.setVisible(bool(self.chosen_pin))

    def _update_next(self) -> None:
        name = self.step()
        ready = {
            "campaign": bool(self.campaign) and self.campaign in self.ctx.bundle_dirs,
            "pin": bool(self.chosen_pin) or self.keeps_pin,
        }.get(name, True)
        self.next_button.setEnabled(ready and not self._busy)

    def back(self) -> None:
        if self._busy:
            return
        self.show_step(max(0, self.steps.currentIndex() - 1))

    def next(self) -> None:
        if self._busy:
            return
        name = self.step()
        if name == "device":
            problem = setup.device_name_problem(self.device_name.text())
            self._say_device(problem)
            if problem is not None:
                self.device_name.setFocus()
                return
        if name == "campaign" and self.campaign not in self.ctx.bundle_dirs:
            return
        if name == "pin" and not (self.chosen_pin or self.keeps_pin):
            return
        if name == STEPS[-1]:
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

    def _show_campaigns(self) -> None:
        for card in self.campaign_cards.values():
            card.hide()
            card.setParent(None)
            card.deleteLater()
        self.campaign_cards.clear()
        for slug, campaign in self.ctx.campaigns.items():
            shown = campaign.localised(self.language)
            card = ChoiceCard(shown.texts.title, shown.texts.tagline or "", rtl=shown.rtl)
            card.set_chosen(slug == self.campaign)
            card.clicked.connect(lambda s=slug: self.choose_campaign(s, advance=True))
            self.campaign_box.addWidget(card)
            self.campaign_cards[slug] = card

    def choose_campaign(self, slug: str, *, advance: bool = False) -> None:
        self.campaign = slug
        for other, card in self.campaign_cards.items():
            card.set_chosen(other == slug)
        self._update_next()
        if advance:
            self.show_step(STEPS.index("device"))

    def choose_import(self) -> None:
        path = campaign_import.choose_bundle(self)
        if path is not None:
            self.import_campaign(path)

    def import_campaign(self, path: Path) -> None:
        """Check and install the bundle at ``path`` (off the GUI thread), then offer it as the choice."""
        self._set_busy(True)
        self.import_message.setText(campaign_import.checking_words())
        campaign_import.start_import(self.ctx, path, self._imported, self._import_failed, owner=self)

    def _imported(self, campaign: Any, new: bool) -> None:
        self._set_busy(False)
        self.campaign = campaign.slug
        self._show_campaigns()
        title = campaign.localised(self.language).texts.title
        self.import_message.setText(
            (self.tr("Imported: %1.") if new else self.tr("Already imported: %1.")).replace("%1", title))
        self._update_next()

    def _import_failed(self, words: str) -> None:
        self._set_busy(False)
        self.import_message.setText(words)

    def _pin_chosen(self, new_pin: str) -> None:
        self.chosen_pin = new_pin
        self.pin_pad.hide()
        self.pin_done.show()
        self.pin_again.show()
        self._update_next()
        self.next_button.setFocus()

    def _choose_pin_again(self) -> None:
        self.chosen_pin = ""
        self.show_step(STEPS.index("pin"))

    def enroll(self) -> None:
        self.enrollment.enroll()

    def _enrolled(self, enrolled: Any) -> None:
        self.enrolled_as = enrolled.device_name
        self.enroll_button.setEnabled(False)  # enrolled: the next step is Next

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.back_button, self.import_button, self.enroll_button):
            widget.setEnabled(not busy)
        for card in self.campaign_cards.values():
            card.setEnabled(not busy)
        self._update_next()

    def finish(self) -> None:
        """Store the answers (off the GUI thread: the PIN's hash takes a moment), then hand over."""
        choices = setup.SetupChoices(locale=self.language, campaign=self.campaign,
                                     device_name=self.device_name.text().strip(), coordinator_pin=self.chosen_pin)
        data_dir, engine = self.ctx.data_dir, self.ctx.engine
        self._set_busy(True)
        self.bar_message.setText("")

        def stored(_result: object) -> None:
            log.info("set-up finished: campaign %s, language %s", choices.campaign, choices.locale)
            self.completed = setup.SetupChoices(choices.locale, choices.campaign, choices.device_name)
            self.chosen_pin = ""
            self.finished.emit(self.completed)

        def failed(exc: Exception) -> None:
            self._set_busy(False)
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
