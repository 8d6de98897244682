"""The flow controller alone, without Qt."""

from desktop.flow import TRANSITIONS, Effect, Event, Flow, Page


def test_single_campaign_starts_on_the_letter():
    flow = Flow(campaign_count=1)
    assert flow.start().page is Page.LETTER
    assert flow.send(Event.CHANGE_CAMPAIGN) is None
    assert flow.page is Page.LETTER


def test_several_campaigns_start_on_the_picker():
    flow = Flow(campaign_count=2)
    assert flow.start().page is Page.PICKER
    move = flow.send(Event.CAMPAIGN_CHOSEN)
    assert move is not None and move.page is Page.LETTER


def test_the_signing_path_and_its_effects():
    flow = Flow(campaign_count=1)
    flow.start()
    move = flow.send(Event.SIGN_PRESSED)
    assert move.page is Page.SIGN and Effect.FOCUS_FIRST_FIELD in move.effects
    move = flow.send(Event.SAVED)
    assert move.page is Page.THANKS
    assert Effect.CLEAR_FORM in move.effects and Effect.START_THANKS_TIMER in move.effects
    move = flow.send(Event.THANKS_DONE)
    assert move.page is Page.LETTER


def test_saved_means_nothing_outside_the_form():
    flow = Flow(campaign_count=1)
    flow.start()
    assert flow.send(Event.SAVED) is None
    assert flow.page is Page.LETTER


def test_walking_away_from_the_form_clears_it():
    flow = Flow(campaign_count=1)
    flow.start()
    flow.send(Event.SIGN_PRESSED)
    move = flow.send(Event.IDLE)
    assert move.page is Page.LETTER and Effect.CLEAR_FORM in move.effects


def test_every_way_off_the_form_except_back_clears_it():
    leaving = [(key, move) for key, move in TRANSITIONS.items() if key[0] is Page.SIGN and move.page is not Page.SIGN]
    assert leaving
    for (page, event), move in leaving:
        if event is Event.BACK:  # the same signer going back to re-read the letter keeps their input
            continue
        assert Effect.CLEAR_FORM in move.effects, (page, event)
