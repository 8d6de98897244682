"""The on-screen keyboard for tablets without a keyboard: Qt Virtual Keyboard, docked in the window.

Qt Virtual Keyboard shows itself, for a widgets application, in a top-level window of its own. Over a
kiosk window that is full screen and always on top, whether that window ends up in front depends on
the window manager, and Wayland (cage, the one-app session the README recommends) has no place for a
second top-level window at all. So the keyboard's QML ``InputPanel`` is put inside the main window,
in a QQuickWidget docked under the pages: it can never be hidden behind the kiosk, the page above
shrinks so the field being typed in stays in view, and it works on every platform plugin, offscreen
included (where the tests and screenshots run). Its own window ("desktop integration") is switched
off.

The input method is chosen before the QApplication exists, by ``desktop/input_method.py``.

The keyboard's layouts are English, Arabic and German (its globe key switches between them); it
starts in the interface's language and follows a language switch.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractScrollArea, QHBoxLayout, QScrollArea, QStackedWidget, QWidget
from shiboken6 import isValid

# The choice made before the application started (Qt-free, so the first paint does without this module).
from desktop.input_method import MODES as MODES
from desktop.input_method import MODULE as MODULE
from desktop.input_method import choose_input_method as choose_input_method
from desktop.input_method import classify as classify
from desktop.input_method import in_use as in_use
from desktop.input_method import touch_without_keyboard as touch_without_keyboard
from desktop.input_method import wanted as wanted

# The interface's languages and the keyboard layout each one starts in.
LAYOUTS = {"en": "en_US", "ar": "ar_AR", "de": "de_DE"}
LATIN_LAYOUTS = frozenset({"en_US", "de_DE"})
# Fields typed in Latin letters whatever the language (e-mail, postal codes): with an Arabic interface
# the keyboard opens on its English layout there. Qt Virtual Keyboard's own handling of these hints
# changes the input method, not the layout.
LATIN_HINTS = (Qt.InputMethodHint.ImhLatinOnly | Qt.InputMethodHint.ImhEmailCharactersOnly
               | Qt.InputMethodHint.ImhUrlCharactersOnly)

QML = b"""
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings

Item {
    id: root
    property string layoutLocale: "en_US"
    property real panelWidth: width
    readonly property real panelHeight: panel.height
    readonly property bool shown: panel.active

    InputPanel {
        id: panel
        width: root.panelWidth
        anchors.bottom: parent.bottom
        anchors.horizontalCenter: parent.horizontalCenter
    }
    Binding { target: VirtualKeyboardSettings; property: "activeLocales"; value: ["en_US", "ar_AR", "de_DE"] }
    Binding { target: VirtualKeyboardSettings; property: "locale"; value: root.layoutLocale }
}
"""


def layout_for(locale: str) -> str:
    return LAYOUTS.get(locale.split("-")[0].split("_")[0], "en_US")


# -- in the window ----------------------------------------------------------------------------------

class KeyboardDock(QWidget):
    """The keyboard along the bottom of the window, shown while a text field wants input.

    Built once, right after the first paint (loading its QML takes a moment). Its width is capped
    so that the keyboard, whose height follows its width, leaves about half the screen to the
    page; its keys stay at least 9 mm high (``min_key_height``)."""

    ROWS = 5  # four rows of keys plus margins: the keyboard's height in key heights, roughly
    SHARE = 0.44  # of the window's height, when that keeps the keys high enough

    def __init__(self, pages: QStackedWidget, parent: QWidget | None = None, *, min_key_height: float = 0) -> None:
        # here, not at the top: the first paint goes without it
        from PySide6.QtQml import QQmlComponent
        from PySide6.QtQuick import QQuickWindow, QSGRendererInterface
        from PySide6.QtQuickWidgets import QQuickWidget

        super().__init__(parent)
        self.setObjectName("Keyboard")  # kiosk.qss: the band it sits in has the keyboard's colour
        self.pages = pages  # the window's pages, above the keyboard
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.min_key_height = min_key_height
        # Drawn by the CPU: a keyboard is cheap to draw, and neither the window (a widgets window)
        # nor a tablet without working OpenGL then depends on a GPU context.
        QQuickWindow.setGraphicsApi(QSGRendererInterface.GraphicsApi.Software)
        self.view = QQuickWidget(self)
        self.view.setResizeMode(QQuickWidget.ResizeMode.SizeRootObjectToView)
        # Tapping a key must leave the keyboard focus in the text field it types into.
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.view.setClearColor(Qt.GlobalColor.transparent)
        component = QQmlComponent(self.view.engine())
        component.setData(QML, self.view.engine().baseUrl())
        root = component.create()
        if root is None:
            raise RuntimeError("the on-screen keyboard did not load: "
                               + "; ".join(e.toString() for e in component.errors()))
        self.view.setContent(self.view.engine().baseUrl(), component, root)
        self.root: QObject = root
        self._layout = "en_US"
        self._component = component
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.view)
        self.setAccessibleName(self.tr("On-screen keyboard"))
        self.hide()
        QGuiApplication.inputMethod().visibleChanged.connect(self._follow)
        # A field that gets the focus by itself (the form opening, a message pointing at a field)
        # gets the keys too: without a keyboard, nobody could type into it until they tap it.
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        app.focusObjectChanged.connect(self._focus_moved)
        self._ratio: float | None = None
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.timeout.connect(self._fit)

    def set_layout(self, locale: str) -> None:
        """The interface's language: the layout the keyboard opens on (the globe key changes it)."""
        self._layout = layout_for(locale)
        self._choose_layout(QGuiApplication.focusObject())

    def layout_locale(self) -> str:
        return str(self.root.property("layoutLocale"))

    def showing(self) -> bool:
        return self.isVisible() and bool(self.root.property("shown"))

    def changeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 (Qt API)
        super().changeEvent(event)
        if event.type() == event.Type.EnabledChange:  # the setting switched it on or off
            if self.isEnabled():
                self.request()
            else:
                self.hide()

    def _focus_moved(self, focused: QObject | None) -> None:
        self._choose_layout(focused)
        if focused is not None and self.isEnabled():
            QTimer.singleShot(0, self.request)

    def _choose_layout(self, focused: QObject | None) -> None:
        if not isValid(self.root):  # the window is closing
            return
        layout = self._layout
        if (layout not in LATIN_LAYOUTS and isinstance(focused, QWidget)
                and focused.inputMethodHints() & LATIN_HINTS):
            layout = "en_US"
        if self.root.property("layoutLocale") != layout:
            self.root.setProperty("layoutLocale", layout)

    def _follow(self) -> None:
        visible = QGuiApplication.inputMethod().isVisible() and self.isEnabled()
        if visible == self.isVisible():
            return
        # The pages make room: only the page showing needs to fit above the keys (the others, the
        # attract screen above all, are taller than what is left, and would push the window off
        # the screen). 0 gives the pages their own minimum again.
        current = self.pages.currentWidget()
        self.pages.setMinimumHeight(current.minimumSizeHint().height() if visible and current is not None else 0)
        self.setVisible(visible)
        if visible:
            self._fit()

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._fit_timer.start(0)

    def _fit(self) -> None:
        """The keyboard's width, hence its height: at most about half the window's height, at least
        what keeps its keys a fingertip high, never wider than the window."""
        holder = self.parentWidget()
        width = max(1, holder.width() if holder is not None else self.width())  # it spans the window
        if self._ratio is None:  # the keyboard's own proportions, measured once
            self.root.setProperty("panelWidth", width)
            height = float(self.root.property("panelHeight") or 0)
            if height <= 0:
                return
            self._ratio = height / width
        ratio = self._ratio
        target = self.window().height() * self.SHARE
        if self.min_key_height:
            target = max(target, self.min_key_height * self.ROWS)
        panel_width = min(width, target / ratio)
        self.root.setProperty("panelWidth", panel_width)
        self.view.setFixedHeight(max(1, round(panel_width * ratio)))
        layout = holder.layout() if holder is not None else None
        if self.isVisible() and layout is not None:
            layout.activate()  # the page shrinks now, so the field can be scrolled into view
            keep_focus_in_view()

    def request(self) -> None:
        """Show the keyboard when the focused object takes text."""
        focused = QGuiApplication.focusObject()
        if (isinstance(focused, QWidget) and self.isEnabled() and focused.window() is self.window()
                and focused.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
                and focused.inputMethodQuery(Qt.InputMethodQuery.ImEnabled)):
            QGuiApplication.inputMethod().show()


def keep_focus_in_view() -> None:
    """After the keyboard took the bottom of the window: scroll the field being typed in back into
    view, inside whatever scroll area holds it."""
    # here, not at the top: the first paint goes without it
    from PySide6.QtWidgets import QApplication

    focused = QApplication.focusWidget()
    if focused is None:
        return
    margin = focused.fontMetrics().height()
    parent = focused.parentWidget()
    while parent is not None:
        content = parent.widget() if isinstance(parent, QScrollArea) else None
        if isinstance(parent, QScrollArea) and content is not None:
            # The whole field and a line around it (its caption), not only its text cursor, which
            # is all QScrollArea.ensureWidgetVisible looks after.
            centre = focused.mapTo(content, focused.rect().center())
            parent.ensureVisible(centre.x(), centre.y(), 0, focused.height() // 2 + margin)
            return
        if isinstance(parent, QAbstractScrollArea) and parent is not focused:
            return
        parent = parent.parentWidget()
