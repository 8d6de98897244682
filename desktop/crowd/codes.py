"""Crowd mode's two QR codes on the kiosk's screen: "join the Wi-Fi" and "open the petition", each with a
short caption, and two lines of instructions in the page's language (desktop/pages/attract.py beside its
column, desktop/pages/letter.py beside the letter).

The codes are painted crisply by desktop/qr.py. The Wi-Fi's name and password are printed under its code
too: a phone whose camera does not offer to join (an older phone, or an iPhone with a WPA3-only code, see
db/crowd/invite.py) joins by typing them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from db.crowd.invite import Invite
from desktop.qr import QrCode, modules
from desktop.widgets import label, styled


class _Code:
    """One code, its caption over it and an optional note under it (placed by CrowdCodes' grid)."""

    def __init__(self, side: int) -> None:
        self.side = side
        self.caption = label(role="crowd-caption", wrap=True)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
        self.code = QrCode()
        self.code.set_side(side)
        self.note = label(role="crowd-note", wrap=False)
        self.note.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.note.hide()

    def set_text(self, text: str | None) -> None:
        """The code's text, its widget shrunk to the whole modules it paints (no blank band around it)."""
        self.code.set_text(text)
        if text:
            count = len(modules(text))
            self.code.set_side(max(count, self.side // count * count))

    def setVisible(self, visible: bool) -> None:  # noqa: N802 (as QWidget's)
        for widget in (self.caption, self.code):
            widget.setVisible(visible)
        if not visible:
            self.note.hide()


class CrowdCodes(QFrame):
    """The two codes side by side (``stacked``: one over the other, for a narrow column) and the two
    lines of instructions under them. ``set_invite(None)`` empties them; the page hides the widget."""

    def __init__(self, *, stacked: bool = False, side_lines: float = 8, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        styled(self, "crowd-codes")
        m = self.fontMetrics().height()
        side = round(m * side_lines)
        self.invite: Invite | None = None
        self.wifi = _Code(side)
        self.petition = _Code(side)
        # A grid, so both codes stand on one line whatever their captions' lengths in a language.
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(m)
        grid.setVerticalSpacing(m // 4)
        for index, code in enumerate((self.wifi, self.petition)):
            row, col = (index * 3, 0) if stacked else (0, index)
            grid.addWidget(code.caption, row, col)
            grid.addWidget(code.code, row + 1, col, Qt.AlignmentFlag.AlignHCenter)
            grid.addWidget(code.note, row + 2, col)
        self.steps: list[QLabel] = [label(role="crowd-step"), label(role="crowd-step")]
        column = QVBoxLayout(self)
        column.setContentsMargins(m * 2 // 3, m // 2, m * 2 // 3, m // 2)
        column.setSpacing(m // 3)
        column.addLayout(grid)
        for step in self.steps:
            step.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            # The instructions wrap to the codes' width: they never widen the page (the policy keeps
            # the label's height-for-width, so it grows down instead).
            policy = step.sizePolicy()
            policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
            step.setSizePolicy(policy)
            column.addWidget(step)
        self.retranslate()

    def set_code_side(self, side: int) -> None:
        """The codes' size in logical pixels (a page that has room makes them larger)."""
        for code in (self.wifi, self.petition):
            if code.side != side:
                code.side = side
                code.set_text(code.code.text() or None)

    def set_invite(self, invite: Invite | None) -> None:
        self.invite = invite
        wifi = invite.wifi if invite is not None else None
        self.wifi.setVisible(wifi is not None)
        self.wifi.set_text(wifi)
        self.wifi.code.setAccessibleName((invite.wifi_name or "") if invite is not None else "")
        self.petition.set_text(invite.url if invite is not None else None)
        self.petition.code.setAccessibleName(invite.url if invite is not None else "")
        self.retranslate()

    def retranslate(self) -> None:
        invite = self.invite
        has_wifi = invite is not None and invite.wifi is not None
        self.wifi.caption.setText(self.tr("1. Join the Wi-Fi"))
        self.petition.caption.setText(self.tr("2. Open the petition") if has_wifi else self.tr("Open the petition"))
        if invite is not None and invite.wifi_name:
            # Two short lines, never wider than the code. The name and password read left to right.
            lines = [self.tr("Wi-Fi: %1").replace("%1", "\u2066" + invite.wifi_name + "\u2069")]
            if invite.security != "open" and invite.wifi_password:
                lines.append(self.tr("Password: %1").replace("%1", "\u2066" + invite.wifi_password + "\u2069"))
            self.wifi.note.setText("\n".join(lines))
            self.wifi.note.show()
        else:
            self.wifi.note.hide()
        if has_wifi:
            self.steps[0].setText(self.tr("Point your phone's camera at code 1 to join this stand's Wi-Fi, "
                                          "then at code 2 to open the petition."))
        else:
            self.steps[0].setText(self.tr("Point your phone's camera at the code to open the petition."))
        self.steps[1].setText(self.tr("Read the letter and sign on your own phone: no app, no internet needed."))
