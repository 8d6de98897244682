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
