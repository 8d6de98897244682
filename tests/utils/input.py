"""Typing into widgets like a person: keys for ASCII, the input method for everything else.

QTest.keyClicks only knows ASCII keys (it aborts on Arabic); an Arabic keyboard layout or an
on-screen keyboard delivers text through the input method, so that is what we send.
"""

from __future__ import annotations

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget


def type_text(qtbot, widget: QWidget, text: str) -> None:
    widget.setFocus()
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)
