"""The signer's path as a state machine, without Qt (house style rule 7).

Pages are an Enum, moves are a transition table, and each move says what the window must do besides
showing the page (clear the form, ...). The window only maps pages to widgets; tests drive this class
directly, without a window.

Two ways of running:

- **kiosk** (``--kiosk`` or the ``kiosk`` setting): an unattended tablet. The attract screen is home:
  attract → letter → sign → thanks → attract. Input stops on any page but the attract screen →
  after a visible countdown (the window's part) → ``IDLE`` → back to the attract screen with
  everything the last person did wiped.
- **attended** (the default, a volunteer beside the laptop): the letter is home, as before the
  attract screen existed; the picker comes first when several campaigns are installed and none was
  chosen. The attract screen is not part of this path: a volunteer introduces the petition.

The table names ``Page.ATTRACT`` for "home"; ``Flow`` turns it into the letter when not in kiosk
mode, so both ways share one table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, auto


class Page(Enum):
    ATTRACT = auto()  # kiosk home: title, count, goal, languages, one large Sign
    PICKER = auto()   # choose a campaign (only when more than one is installed)
    LETTER = auto()   # the letter, its demands and co-signers
    SIGN = auto()     # the form
    THANKS = auto()   # shown only after the signature is on disk
    PANEL = auto()    # the coordinator's panel, behind the coordinator PIN
    ASSISTED = auto()  # a volunteer types for people in a queue (from the panel)
    PAPER = auto()     # signed paper sheets typed in after the event (from the panel)


class Event(Enum):
    START = auto()
    CAMPAIGN_CHOSEN = auto()
    BEGIN = auto()          # the attract screen's Sign: read the letter first
    SIGN_PRESSED = auto()
    BACK = auto()
    SAVED = auto()
    THANKS_DONE = auto()
    CHANGE_CAMPAIGN = auto()
    IDLE = auto()           # the idle countdown ran out: nobody is there any more
    OPEN_PANEL = auto()     # the coordinator PIN was accepted
    CLOSE_PANEL = auto()
    OPEN_ASSISTED = auto()  # the panel's way to assisted entry
    OPEN_PAPER = auto()     # the panel's way to paper back-entry


class Effect(Enum):
    CLEAR_FORM = auto()        # wipe every field, error and undo history
    FOCUS_FIRST_FIELD = auto()
    SCROLL_TO_TOP = auto()
    START_THANKS_TIMER = auto()
    WIPE_TRACES = auto()       # clipboard, popups, input method, scroll positions, focus, language


@dataclass(frozen=True)
class Move:
    page: Page
    effects: tuple[Effect, ...] = ()


# The next person must find nothing of the last one.
RESET = (Effect.CLEAR_FORM, Effect.SCROLL_TO_TOP, Effect.WIPE_TRACES)

# (from, event) -> (to, effects). A missing pair means the event is ignored on that page.
TRANSITIONS: dict[tuple[Page, Event], Move] = {
    (Page.ATTRACT, Event.BEGIN): Move(Page.LETTER, (Effect.SCROLL_TO_TOP,)),
    (Page.PICKER, Event.CAMPAIGN_CHOSEN): Move(Page.LETTER, (Effect.SCROLL_TO_TOP, Effect.CLEAR_FORM)),
    (Page.LETTER, Event.SIGN_PRESSED): Move(Page.SIGN, (Effect.FOCUS_FIRST_FIELD,)),
    (Page.LETTER, Event.CHANGE_CAMPAIGN): Move(Page.PICKER, (Effect.CLEAR_FORM,)),
    (Page.SIGN, Event.BACK): Move(Page.LETTER),
    (Page.SIGN, Event.SAVED): Move(Page.THANKS, (Effect.CLEAR_FORM, Effect.WIPE_TRACES, Effect.START_THANKS_TIMER)),
    (Page.THANKS, Event.THANKS_DONE): Move(Page.ATTRACT, RESET),
    # Walking away: whatever was typed is wiped and the next person starts at home.
    (Page.LETTER, Event.IDLE): Move(Page.ATTRACT, RESET),
    (Page.SIGN, Event.IDLE): Move(Page.ATTRACT, RESET),
    (Page.THANKS, Event.IDLE): Move(Page.ATTRACT, RESET),
    (Page.PICKER, Event.IDLE): Move(Page.ATTRACT, RESET),
    # The coordinator's panel: whatever a signer left on screen goes first; a coordinator who walks
    # away leaves the panel (exports, the signers' names) behind the PIN again.
    (Page.PANEL, Event.CLOSE_PANEL): Move(Page.ATTRACT, (Effect.SCROLL_TO_TOP,)),
    (Page.PANEL, Event.IDLE): Move(Page.ATTRACT, RESET),
    # Volunteers' entry screens, behind the PIN like the panel they open from. Back keeps what is
    # there (a volunteer checking the panel mid-queue); walking away wipes it, the last entries too.
    (Page.PANEL, Event.OPEN_ASSISTED): Move(Page.ASSISTED, (Effect.FOCUS_FIRST_FIELD,)),
    (Page.PANEL, Event.OPEN_PAPER): Move(Page.PAPER, (Effect.FOCUS_FIRST_FIELD,)),
    (Page.ASSISTED, Event.BACK): Move(Page.PANEL),
    (Page.PAPER, Event.BACK): Move(Page.PANEL),
    (Page.ASSISTED, Event.IDLE): Move(Page.ATTRACT, RESET),
    (Page.PAPER, Event.IDLE): Move(Page.ATTRACT, RESET),
}
OPEN_PANEL = Move(Page.PANEL, RESET)

# Pages where the idle countdown runs. Attended mode: only where a signer's input can be left behind.
IDLE_PAGES_KIOSK = frozenset({Page.LETTER, Page.SIGN, Page.THANKS, Page.PICKER, Page.PANEL, Page.ASSISTED,
                              Page.PAPER})
IDLE_PAGES_ATTENDED = frozenset({Page.SIGN, Page.THANKS, Page.PANEL, Page.ASSISTED, Page.PAPER})


@dataclass
class Flow:
    """Where the signer is. ``campaign_count`` decides whether the picker is part of the path;
    ``kiosk`` whether home is the attract screen or the letter."""

    campaign_count: int
    kiosk: bool = False
    page: Page = Page.LETTER
    history: list[Page] = field(default_factory=list)

    @property
    def home(self) -> Page:
        return Page.ATTRACT if self.kiosk else Page.LETTER

    @property
    def idle_pages(self) -> frozenset[Page]:
        return IDLE_PAGES_KIOSK if self.kiosk else IDLE_PAGES_ATTENDED

    def watches_idle(self) -> bool:
        return self.page in self.idle_pages

    def start(self) -> Move:
        if self.kiosk:
            return self._go(Move(Page.ATTRACT, (Effect.SCROLL_TO_TOP,)))
        move = Move(Page.PICKER) if self.campaign_count > 1 else Move(Page.LETTER, (Effect.SCROLL_TO_TOP,))
        return self._go(move)

    def send(self, event: Event) -> Move | None:
        """Apply ``event``; return the move made, or None when the event means nothing here."""
        if event is Event.START:
            return self.start()
        if event is Event.OPEN_PANEL:
            return self._go(OPEN_PANEL)
        if event is Event.CHANGE_CAMPAIGN and self.campaign_count < 2:
            return None
        if event is Event.IDLE and not self.watches_idle():
            return None
        move = TRANSITIONS.get((self.page, event))
        if move is None:
            return None
        if move.page is Page.ATTRACT and not self.kiosk:
            move = Move(Page.LETTER, move.effects)  # attended: the letter is home
        return self._go(move)

    def _go(self, move: Move) -> Move:
        self.history.append(self.page)
        del self.history[:-20]
        self.page = move.page
        return move
