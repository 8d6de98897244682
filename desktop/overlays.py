"""Layers drawn over the current page: the idle countdown, the coordinator PIN pad and notices.

They are not pages: the countdown must leave the half-filled form where it is when the person says
"still here", and the PIN pad sits over whatever the kiosk shows.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from db.pin import MAX_DIGITS, MIN_DIGITS
from desktop.widgets import button, label, styled


class Overlay(QWidget):
    """A dimmed layer over the whole of ``parent`` with a card in the middle; follows its size."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.host = parent  # what it covers, for as long as it lives
        styled(self, "overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.card = QFrame()
        styled(self.card, "overlay-card")
        # Centred by stretches, not by an alignment flag: a layout gives an aligned item the height
        # for the layout's whole width, so wrapped text (Arabic above all) lost its last line.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.card)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        parent.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.parent() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.host.rect())
        return False

    def open(self) -> None:
        self.setGeometry(self.host.rect())
        self.raise_()
        self.show()
        self.setFocus()


class IdleCountdown(Overlay):
    """"Still there?" with the seconds left and one button to carry on."""

    still_here = Signal()
    expired = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        styled(self, "overlay-solid")  # the typed details must not show through while nobody is there
        m = self.fontMetrics().height()
        column = QVBoxLayout(self.card)
        column.setContentsMargins(m * 2, m * 3 // 2, m * 2, m * 3 // 2)
        column.setSpacing(m)
        self.title = label(role="title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = label(role="subtitle")
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.card.setMaximumWidth(m * 34)
        self.continue_button = button(role="primary")
        self.continue_button.clicked.connect(self.still_here)
        column.addWidget(self.title)
        column.addWidget(self.body)
        column.addWidget(self.continue_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.left = 0
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self._tick)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Still there?"))
        self.continue_button.setText(self.tr("Yes, I am still here"))
        self._show_left()

    def start(self, seconds: int) -> None:
        self.left = seconds
        self._show_left()
        self.ticker.start()
        self.open()

    def stop(self) -> None:
        self.ticker.stop()
        self.hide()

    def _tick(self) -> None:
        self.left -= 1
        self._show_left()
        if self.left <= 0:
            self.ticker.stop()
            self.expired.emit()

    def _show_left(self) -> None:
        self.body.setText(self.tr(
            "To protect your privacy, this screen will be cleared in %Ln second(s).", "", max(self.left, 0)))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        self.still_here.emit()  # any key means someone is there


class PinPad(Overlay):
    """A touch-sized numeric keypad. The digits are never shown, only one dot per digit typed.

    ``mode`` "check" asks for the PIN once; "set" asks for a new one twice. The pad only collects
    digits: checking, storing and the lock-out are the window's (db/pin.py)."""

    entered = Signal(str)      # "check": the PIN typed
    chosen = Signal(str)       # "set": the new PIN, typed twice the same
    cancelled = Signal()

    def __init__(self, parent: QWidget, *, min_digits: int = MIN_DIGITS, max_digits: int = MAX_DIGITS,
                 fit_height: bool = True) -> None:
        super().__init__(parent)
        self.min_digits, self.max_digits = min_digits, max_digits
        self.fit_height = fit_height  # False where the pad is part of a page that sizes itself to it
        self.mode = "check"
        self._digits = ""
        self._first = ""
        m = self.fontMetrics().height()
        self.grid = QGridLayout(self.card)
        self.grid.setContentsMargins(m * 3 // 2, m, m * 3 // 2, m)
        self.grid.setSpacing(m // 2)
        self.grid.setHorizontalSpacing(m * 3 // 2)
        self.title = label(role="card-title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots = label(role="pin-dots", wrap=False)
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = label(role="muted")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # The keys stay in the telephone's order in Arabic too: a keypad is not text, and mirrored
        # digits (3 2 1) are not what anyone's fingers expect.
        self.keys_box = QWidget()
        self.keys_box.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        keys = QGridLayout(self.keys_box)
        keys.setContentsMargins(0, 0, 0, 0)
        keys.setSpacing(m // 2)
        self.keys: dict[str, QWidget] = {}
        for i, digit in enumerate("123456789"):
            self._key(keys, digit, i // 3, i % 3)
        self.erase = button("⌫", "key")
        self.erase.clicked.connect(self._erase)
        keys.addWidget(self.erase, 3, 0)
        self._key(keys, "0", 3, 1)
        self.ok = button("", "key-ok")
        self.ok.clicked.connect(self._submit)
        keys.addWidget(self.ok, 3, 2)
        self.cancel_button = button()
        self.cancel_button.clicked.connect(self.cancel)
        self.side_by_side = False
        self._place(side_by_side=False)
        self.retranslate()

    def _place(self, *, side_by_side: bool) -> None:
        """Words above the keys, or (on a screen too low for that, 1024x600 with a title bar) the words
        on one side and the keys on the other: squeezed below their height, the keys overlapped."""
        self.side_by_side = side_by_side
        for widget in (self.title, self.dots, self.message, self.keys_box, self.cancel_button):
            self.grid.removeWidget(widget)
        centre = Qt.AlignmentFlag.AlignHCenter
        self.grid.addWidget(self.title, 0, 0)
        self.grid.addWidget(self.dots, 1, 0)
        self.grid.addWidget(self.message, 2, 0)
        if side_by_side:
            self.grid.addWidget(self.cancel_button, 4, 0, centre)
            self.grid.addWidget(self.keys_box, 0, 1, 5, 1, Qt.AlignmentFlag.AlignVCenter)
            self.grid.setRowStretch(3, 1)
        else:
            self.grid.addWidget(self.keys_box, 3, 0)
            self.grid.addWidget(self.cancel_button, 4, 0, centre)
            self.grid.setRowStretch(3, 0)
        self.card.setMaximumWidth(16777215)

    def _height_above_each_other(self) -> int:
        """The card's height with the words above the keys, from each part's own minimum."""
        margins = self.grid.contentsMargins()
        parts = (self.title, self.dots, self.message, self.keys_box, self.cancel_button)
        shown = [w for w in parts if not w.isHidden()]
        heights = sum(max(w.minimumSizeHint().height(), w.sizeHint().height()) for w in shown)
        outer = self.layout()
        outer_margins = outer.contentsMargins() if outer is not None else margins
        return (heights + self.grid.verticalSpacing() * (len(shown) - 1) + margins.top() + margins.bottom()
                + outer_margins.top() + outer_margins.bottom())

    def fit(self) -> None:
        """Choose the arrangement that fits the height the pad has now."""
        parent = self.parentWidget()
        if parent is None or not self.fit_height:
            return
        wanted = parent.height() < self._height_above_each_other()
        if wanted != self.side_by_side:
            self._place(side_by_side=wanted)

    def open(self) -> None:
        super().open()
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.parent() and event.type() == QEvent.Type.Resize:
            self.fit()
        return super().eventFilter(watched, event)

    def _key(self, grid: QGridLayout, digit: str, row: int, col: int) -> None:
        key = button(digit, "key")
        key.clicked.connect(lambda _=False, d=digit: self.press(d))
        grid.addWidget(key, row, col)
        self.keys[digit] = key

    def retranslate(self) -> None:
        self.ok.setText(self.tr("OK"))
        self.cancel_button.setText(self.tr("Cancel"))
        self._show_title()

    def _show_title(self) -> None:
        if self.mode == "check":
            self.title.setText(self.tr("Coordinator PIN"))
        elif not self._first:
            self.title.setText(self.tr("Choose a coordinator PIN (%1 to %2 digits)")
                               .replace("%1", str(self.min_digits)).replace("%2", str(self.max_digits)))
        else:
            self.title.setText(self.tr("Type the new PIN again"))

    def ask(self, mode: str) -> None:
        self.mode = mode
        self.reset()
        self.cancel_button.setVisible(mode == "check")  # a kiosk cannot run without a PIN
        self.open()

    def reset(self) -> None:
        self._digits = ""
        self._first = ""
        self.message.setText("")
        self._show_dots()
        self._show_title()

    def cancel(self) -> None:
        self.reset()
        self.hide()
        self.cancelled.emit()

    def press(self, digit: str) -> None:
        if len(self._digits) < self.max_digits:
            self._digits += digit
            self._show_dots()
            self._forget_hint()

    def _erase(self) -> None:
        self._digits = self._digits[:-1]
        self._show_dots()
        self._forget_hint()

    def _forget_hint(self) -> None:
        """A hint about the last PIN typed ("A PIN has 6 to 12 digits.") goes once the next one is being
        typed: left on screen, it looked like a verdict on the digits now showing. A lock-out's wait
        stays: the keys are off then, and the window clears it (set_locked)."""
        if self.ok.isEnabled():
            self.message.setText("")

    def _show_dots(self) -> None:
        self.dots.setText("●" * len(self._digits) if self._digits else "–")

    def say(self, text: str) -> None:
        self.message.setText(text)

    def say_wrong(self) -> None:
        self.say(self.tr("That PIN is not right."))

    def say_locked(self, seconds: int) -> None:
        self.say(self.tr("Too many wrong PINs. Try again in %Ln second(s).", "", seconds))

    def set_locked(self, locked: bool) -> None:
        for key in (*self.keys.values(), self.erase, self.ok):
            key.setEnabled(not locked)

    def _submit(self) -> None:
        pin, self._digits = self._digits, ""
        self._show_dots()
        if self.mode == "check":
            self.entered.emit(pin)
            return
        if not (self.min_digits <= len(pin) <= self.max_digits):
            self.say(self.tr("A PIN has %1 to %2 digits.")
                     .replace("%1", str(self.min_digits)).replace("%2", str(self.max_digits)))
            return
        if not self._first:
            self._first = pin
            self.say("")
            self._show_title()
            return
        if pin != self._first:
            self._first = ""
            self._show_title()
            self.say(self.tr("The two PINs were not the same. Please start again."))
            return
        self._first = ""
        self.chosen.emit(pin)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        text = event.text()
        if text.isdigit() and text.isascii():
            self.press(text)
        elif event.key() == Qt.Key.Key_Backspace:
            self._erase()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._submit()
        # Escape and everything else do nothing: the kiosk must not be left by a key.


class Notice(Overlay):
    """A message the person in front of the screen must see, with one button to close it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        styled(self, "overlay-solid")  # the typed details must not show through while nobody is there
        m = self.fontMetrics().height()
        column = QVBoxLayout(self.card)
        column.setContentsMargins(m * 2, m * 3 // 2, m * 2, m * 3 // 2)
        column.setSpacing(m)
        self.title = label(role="title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = label(role="subtitle")
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail = label(role="muted")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # A fixed width lets the wrapped labels ask for the height they need at that width.
        self.card.setFixedWidth(m * 36)
        self.close_button = button(role="primary")
        self.close_button.clicked.connect(self.hide)
        column.addWidget(self.title)
        column.addWidget(self.body)
        column.addWidget(self.detail)
        column.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.retranslate()

    def retranslate(self) -> None:
        self.close_button.setText(self.tr("OK"))

    def show_message(self, title: str, body: str, detail: str = "") -> None:
        self.title.setText(title)
        self.body.setText(body)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.card.setFixedWidth(min(self.fontMetrics().height() * 36, self.host.width() * 9 // 10))
        card_column = self.card.layout()
        assert card_column is not None  # made with the card
        self.card.setMinimumHeight(card_column.totalHeightForWidth(self.card.width()))
        self.open()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape, Qt.Key.Key_Space):
            self.hide()
