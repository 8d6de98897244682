"""The shared base of the set-up's steps (one module per step beside this one): each builds its widgets
once on a scrolling page, sets its words on a language switch, names its heading and says whether the
wizard may go on. The wizard (desktop/setup_wizard.py) holds the answers and navigates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from desktop.widgets import TappableCard, enable_finger_scrolling, label

if TYPE_CHECKING:
    from desktop.context import AppContext


class Host(Protocol):
    """What a step may ask of the wizard that holds it."""

    ctx: AppContext
    language: str
    campaign: str
    chosen_pin: str
    keeps_pin: bool

    def update_next(self) -> None:
        """Enable Next (or the last step's button) as the answers now allow."""

    def set_busy(self, busy: bool) -> None: ...

    def advance(self) -> None:
        """On to the next step, as Next does."""

    def focus_next(self) -> None:
        """The keyboard's focus on Next (or the last step's button)."""


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


class Step(QScrollArea):
    """One step: a scrolling column (a small screen with the keyboard up still reaches it all).
    Subclasses set ``name`` and write ``build``, ``retranslate`` and ``heading``."""

    name = ""
    optional = False  # the wizard offers Skip

    def __init__(self, host: Host) -> None:
        super().__init__()
        self.host = host
        self.ctx = host.ctx
        inner = QWidget()
        inner.setObjectName("Page")
        self.column = QVBoxLayout(inner)
        m = inner.fontMetrics().height()
        self.column.setContentsMargins(m * 2, m, m * 2, m // 2)
        self.column.setSpacing(m * 2 // 3)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(inner)
        enable_finger_scrolling(self.viewport())
        self.build()

    def build(self) -> None:
        raise NotImplementedError

    def retranslate(self) -> None:
        raise NotImplementedError

    def heading(self) -> str:
        raise NotImplementedError

    def ready(self) -> bool:
        """Whether Next may be pressed now."""
        return True

    def shown(self) -> None:
        """The step has just come on screen."""

    def leave(self) -> bool:
        """Next was pressed: check the answer (saying what is wrong); False keeps the step."""
        return self.ready()

    def skip(self) -> None:
        """Skip was pressed on an optional step: let go of its answer."""

    def set_busy(self, busy: bool) -> None:
        """Something runs in the background (an import, an enrollment, the answers being stored)."""
