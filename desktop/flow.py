"""The signer's path as a state machine, without Qt (house style rule 7).

Pages are an Enum, moves are a transition table, and each move says what the window must do besides
showing the page (clear the form, ...). The window only maps pages to widgets; tests drive this class
directly, without a window.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, auto


class Page(Enum):
    PICKER = auto()   # choose a campaign (only when more than one is installed)
    LETTER = auto()   # the letter, its demands and co-signers
    SIGN = auto()     # the form
    THANKS = auto()   # shown only after the signature is on disk


class Event(Enum):
    START = auto()
    CAMPAIGN_CHOSEN = auto()
    SIGN_PRESSED = auto()
    BACK = auto()
    SAVED = auto()
    THANKS_DONE = auto()
    CHANGE_CAMPAIGN = auto()
    IDLE = auto()


class Effect(Enum):
    CLEAR_FORM = auto()        # wipe every field, error and undo history
    FOCUS_FIRST_FIELD = auto()
    SCROLL_TO_TOP = auto()
    START_THANKS_TIMER = auto()


@dataclass(frozen=True)
class Move:
    page: Page
    effects: tuple[Effect, ...] = ()


# (from, event) -> (to, effects). A missing pair means the event is ignored on that page.
TRANSITIONS: dict[tuple[Page, Event], Move] = {
    (Page.PICKER, Event.CAMPAIGN_CHOSEN): Move(Page.LETTER, (Effect.SCROLL_TO_TOP, Effect.CLEAR_FORM)),
    (Page.LETTER, Event.SIGN_PRESSED): Move(Page.SIGN, (Effect.FOCUS_FIRST_FIELD,)),
    (Page.LETTER, Event.CHANGE_CAMPAIGN): Move(Page.PICKER, (Effect.CLEAR_FORM,)),
    (Page.SIGN, Event.BACK): Move(Page.LETTER),
    (Page.SIGN, Event.SAVED): Move(Page.THANKS, (Effect.CLEAR_FORM, Effect.START_THANKS_TIMER)),
    (Page.THANKS, Event.THANKS_DONE): Move(Page.LETTER, (Effect.SCROLL_TO_TOP,)),
    # Walking away: whatever was typed is wiped and the next person starts at the top of the letter.
    (Page.SIGN, Event.IDLE): Move(Page.LETTER, (Effect.CLEAR_FORM, Effect.SCROLL_TO_TOP)),
    (Page.THANKS, Event.IDLE): Move(Page.LETTER, (Effect.SCROLL_TO_TOP,)),
}


@dataclass
class Flow:
    """Where the signer is. ``campaign_count`` decides whether the picker is part of the path."""

    campaign_count: int
    page: Page = Page.LETTER
    history: list[Page] = field(default_factory=list)

    def start(self) -> Move:
        move = Move(Page.PICKER) if self.campaign_count > 1 else Move(Page.LETTER, (Effect.SCROLL_TO_TOP,))
        return self._go(move)

    def send(self, event: Event) -> Move | None:
        """Apply ``event``; return the move made, or None when the event means nothing here."""
        if event is Event.START:
            return self.start()
        if event is Event.CHANGE_CAMPAIGN and self.campaign_count < 2:
            return None
        move = TRANSITIONS.get((self.page, event))
        if move is None:
            return None
        return self._go(move)

    def _go(self, move: Move) -> Move:
        self.history.append(self.page)
        del self.history[:-20]
        self.page = move.page
        return move
