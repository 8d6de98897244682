"""Nothing of one person reaches the next: what the main window (desktop/window.py) wipes besides the
form's fields when someone leaves. Loaded on the first reset: the first paint goes without it."""

from __future__ import annotations

from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtWidgets import QApplication, QCompleter, QWidget


def clear_input_traces(window: QWidget) -> None:
    """The clipboard (both modes), open popups (completers, combo lists, context menus), the input
    method's half-composed text and keyboard focus."""
    clipboard = QGuiApplication.clipboard()
    clipboard.clear(QClipboard.Mode.Clipboard)
    if clipboard.supportsSelection():
        clipboard.clear(QClipboard.Mode.Selection)
    while (popup := QApplication.activePopupWidget()) is not None:
        popup.close()
    for completer in window.findChildren(QCompleter):
        popup_list = completer.popup()
        if popup_list is not None:
            popup_list.hide()
        completer.setCompletionPrefix("")
    QGuiApplication.inputMethod().reset()
    QGuiApplication.inputMethod().hide()
    focused = QApplication.focusWidget()
    if focused is not None:
        focused.clearFocus()
