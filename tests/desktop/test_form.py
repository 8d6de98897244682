"""desktop/form.py: the Sign page and the volunteers' entry screens take the same fields by the same
rules, the core's (db/fields.py)."""

from PySide6.QtWidgets import QLineEdit

from db.fields import MAX_LENGTH
from desktop.flow import Event, Page
from desktop.form import OVERTYPE


def _line_limits(editors):
    return {name: e.maxLength() for name, e in editors.items() if isinstance(e, QLineEdit)}


def test_every_screen_takes_the_cores_limits(window):
    window.go_to(Page.SIGN)
    sign = _line_limits(window.sign.editors)
    window.send(Event.OPEN_PANEL)
    window.send(Event.OPEN_ASSISTED)
    assisted = _line_limits(window.pages[Page.ASSISTED].form.editors)
    assert sign and assisted
    for limits in (sign, assisted):
        assert limits == {name: MAX_LENGTH[name] + OVERTYPE for name in limits}


def test_clearing_leaves_no_text_and_no_selection(window):
    window.go_to(Page.SIGN)
    editor = window.sign.editors["given_name"]
    assert isinstance(editor, QLineEdit)
    editor.setText("Nour")
    editor.selectAll()
    window.sign.clear()
    assert editor.text() == "" and not editor.hasSelectedText() and editor.isUndoAvailable() is False


def test_a_message_goes_once_its_field_is_changed(qtbot, window):
    """A volunteer fixed the email and the red message stayed until Sign, as if the new one were wrong too."""
    window.go_to(Page.SIGN)
    sign = window.sign
    qtbot.keyClicks(sign.editors["given_name"], "Nour")
    qtbot.keyClicks(sign.editors["email"], "nour@example")
    window.submit()  # a bad email and no consent: both said
    email_error, consent_error = sign.errors["email"], sign.consent.error
    assert email_error.isVisible() and consent_error.isVisible()
    assert sign.editors["email"].property("invalid")
    qtbot.keyClicks(sign.editors["email"], ".org")
    assert not email_error.isVisible() and not sign.editors["email"].property("invalid")
    sign.consent.box.setChecked(True)
    assert not consent_error.isVisible()
    assert window.flow.page is Page.SIGN  # nothing was saved by typing
