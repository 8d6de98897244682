"""The panel's "Phones can sign": crowd mode (desktop/crowd/service.py serves the phone pages; db/crowd/).

Where the phones reach this laptop (one of its own IPv4 addresses, never every interface; the port), the
Wi-Fi they join (a hotspot this laptop makes through NetworkManager, desktop/crowd/hotspot.py, or the
name and password of a network the coordinator types), and the service itself: its state, Turn on, Turn
off, a new access token, and the A4 poster (desktop/crowd/poster.py). The hotspot is made and stopped
off the GUI thread (desktop/tasks.py): nmcli takes seconds. The Wi-Fi password is saved through
db/panel.py, which names it in the audit log without showing it, and is never logged.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtNetwork import QAbstractSocket, QHostAddress, QNetworkInterface
from PySide6.QtWidgets import QCheckBox, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLineEdit, QSpinBox

from db import panel as saves
from desktop.i18n import LANGUAGES
from desktop.panel.section import Section, set_captions
from desktop.tasks import run_in_background
from desktop.widgets import button, label

log = logging.getLogger(__name__)

SECURITIES = ("wpa2", "wpa3", "open")


def local_addresses() -> list[tuple[str, str]]:
    """This machine's IPv4 addresses as (address, interface name), loopback last; never 0.0.0.0."""
    found: list[tuple[bool, str, str]] = []
    for interface in QNetworkInterface.allInterfaces():
        flags = interface.flags()
        if not flags & QNetworkInterface.InterfaceFlag.IsUp:
            continue
        for entry in interface.addressEntries():
            address = entry.ip()
            if address.protocol() != QAbstractSocket.NetworkLayerProtocol.IPv4Protocol:
                continue
            loopback = address.isLoopback()
            found.append((loopback, address.toString(), interface.humanReadableName()))
    if not any(loopback for loopback, _, _ in found):
        found.append((True, QHostAddress(QHostAddress.SpecialAddress.LocalHost).toString(), "lo"))
    found.sort(key=lambda item: item[0])  # stable: the system's order, loopback last
    return [(address, name) for _, address, name in found]


class PhonesSection(Section):
    name = "phones"

    def build(self) -> None:
        self._crowd: Any = None  # the window's CrowdService, once seen (Host.crowd_service)
        self.hotspot: Any = None  # desktop.crowd.hotspot.Hotspot while this app's hotspot runs
        self._hotspot_possible: bool | None = None  # nmcli and a Wi-Fi device (asked once, off the GUI thread)
        self.intro = label(role="muted")
        self.state = label(role="field-label")
        self.state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.where_title = label(role="field-label")
        self.address = QComboBox()
        self.port = QSpinBox()
        self.port.setRange(1024, 65535)
        self.where_form = QFormLayout()
        self.where_form.addRow("", self.address)
        self.where_form.addRow("", self.port)

        self.wifi_title = label(role="field-label")
        self.hotspot_button = button()
        self.hotspot_button.clicked.connect(self.make_hotspot)
        self.hotspot_stop = button()
        self.hotspot_stop.clicked.connect(self.stop_hotspot)
        self.hotspot_note = label(role="warning")
        self.hotspot_note.hide()
        # WPA3 keeps phones on the hotspot from reading each other, but phones older than Android 10 or
        # iOS 13 cannot join a WPA3 network: the coordinator who expects them chooses WPA2 (and is told so).
        self.older_phones = QCheckBox()
        hotspot_row = QHBoxLayout()
        hotspot_row.addWidget(self.hotspot_button)
        hotspot_row.addWidget(self.older_phones)
        hotspot_row.addWidget(self.hotspot_stop)
        hotspot_row.addStretch(1)
        self.wifi_name = QLineEdit()
        self.wifi_name.setMaxLength(32)
        self.wifi_password = QLineEdit()
        self.wifi_password.setMaxLength(63)
        self.wifi_security = QComboBox()
        for security in SECURITIES:
            self.wifi_security.addItem("", security)
        self.wifi_form = QFormLayout()
        self.wifi_form.addRow("", self.wifi_name)
        self.wifi_form.addRow("", self.wifi_password)
        self.wifi_form.addRow("", self.wifi_security)
        self.wifi_save = button()
        self.wifi_save.clicked.connect(self.save_wifi)

        self.turn_on = button(role="panel-primary")
        self.turn_on.clicked.connect(self.start)
        self.turn_off = button()
        self.turn_off.clicked.connect(self.stop)
        self.new_token = button()
        self.new_token.clicked.connect(self.reset_token)
        self.poster_language = QComboBox()
        for code, name in LANGUAGES.items():
            self.poster_language.addItem(name, code)
        self.poster_button = button()
        self.poster_button.clicked.connect(self.choose_poster)
        actions = QHBoxLayout()
        for widget in (self.turn_on, self.turn_off, self.new_token):
            actions.addWidget(widget)
        actions.addStretch(1)
        poster_row = QHBoxLayout()
        poster_row.addWidget(self.poster_button)
        poster_row.addWidget(self.poster_language)
        poster_row.addStretch(1)
        self.message = label(role="muted")

        column = self.column
        column.addWidget(self.intro)
        column.addWidget(self.state)
        column.addLayout(actions)
        column.addLayout(poster_row)
        column.addWidget(self.message)
        column.addWidget(self.where_title)
        column.addLayout(self.where_form)
        column.addWidget(self.wifi_title)
        column.addLayout(hotspot_row)
        column.addWidget(self.hotspot_note)
        column.addLayout(self.wifi_form)
        column.addWidget(self.wifi_save, 0, Qt.AlignmentFlag.AlignLeading)
        column.addStretch(1)

    def title(self) -> str:
        return self.tr("Phones can sign")

    def retranslate(self) -> None:
        self.intro.setText(self.tr(
            "Phones at the stand sign through this laptop's own page, with no internet: they join the Wi-Fi "
            "below, then open the petition from the QR code on the kiosk's screen or on the poster. "
            "Kiosk mode stays locked while phones sign."))
        self.where_title.setText(self.tr("Where phones reach this laptop"))
        set_captions(self.where_form, (self.tr("Address"), self.tr("Port")))
        self.wifi_title.setText(self.tr("The phones' Wi-Fi"))
        self.hotspot_button.setText(self.tr("Make a hotspot"))
        self.hotspot_stop.setText(self.tr("Stop the hotspot"))
        self.older_phones.setText(self.tr("Let older phones join too (WPA2)"))
        set_captions(self.wifi_form, (self.tr("Wi-Fi name"), self.tr("Wi-Fi password"), self.tr("Security")))
        self.wifi_security.setItemText(0, self.tr("WPA2, or WPA2/WPA3 mixed"))
        self.wifi_security.setItemText(1, self.tr("WPA3 only"))
        self.wifi_security.setItemText(2, self.tr("Open (no password)"))
        self.wifi_name.setPlaceholderText(self.tr("The network the phones join, e.g. the venue's"))
        self.wifi_save.setText(self.tr("Save the Wi-Fi"))
        self.turn_on.setText(self.tr("Turn on"))
        self.turn_off.setText(self.tr("Turn off"))
        self.new_token.setText(self.tr("New access token"))
        self.poster_button.setText(self.tr("Print poster…"))
        self.poster_language.setAccessibleName(self.tr("Poster language"))
        self._show_state()
        self._show_hotspot()

    # -- filling ---------------------------------------------------------------------------------

    def crowd(self) -> Any:
        """The window's crowd service (None where the window has none, e.g. a panel built alone)."""
        service = self.host.crowd_service()
        if service is not None and service is not self._crowd:
            self._crowd = service
            service.changed.connect(self._show_state)
        return service

    def fill(self) -> None:
        settings = self.settings()
        self._fill_hosts(settings.crowd_host)
        self.port.setValue(settings.crowd_port)
        if self.hotspot is None:
            self.wifi_name.setText(settings.wifi_name or "")
            self.wifi_password.setText(settings.wifi_password or "")
            self.wifi_security.setCurrentIndex(max(0, self.wifi_security.findData(settings.wifi_security)))
        if self.poster_language.currentIndex() < 0 or not self.isVisible():
            self.poster_language.setCurrentIndex(max(0, self.poster_language.findData(self.ctx.locale)))
        self.crowd()
        self._show_state()
        self._ask_hotspot_possible()
        self._show_hotspot()

    def _fill_hosts(self, stored: str | None, *, keep_choice: bool = True) -> None:
        chosen = (self.address.currentData() if keep_choice else None) or stored
        self.address.clear()
        for address, interface in local_addresses():
            self.address.addItem(f"\u2066{address} ({interface})\u2069", address)  # left to right in Arabic too
        if stored and self.address.findData(stored) < 0:  # an address this machine no longer has: said so
            self.address.addItem(self.tr("%1 (not on this machine now)").replace("%1", stored), stored)
        index = self.address.findData(chosen) if chosen else -1
        self.address.setCurrentIndex(index if index >= 0 else 0)  # the first: never loopback while another exists

    def _show_state(self) -> None:
        service = self._crowd
        state = getattr(getattr(service, "state", None), "name", "OFF")
        if service is None:
            text = self.tr("Off. This window cannot serve phones.")
        elif state == "STARTING":
            text = self.tr("Starting…")
        elif state == "ON":
            invite = service.invite()
            text = self.tr("On: phones open %1").replace("%1", invite.url if invite is not None else "?")
        elif state == "FAILED":
            text = self.tr("Could not start: %1").replace("%1", service.error or "?")
        else:
            text = self.tr("Off.")
        self.state.setText(text)
        on = state in ("ON", "STARTING")
        self.turn_on.setEnabled(service is not None and not on)
        self.turn_off.setEnabled(service is not None and on)
        self.new_token.setEnabled(service is not None)
        self.poster_button.setEnabled(state == "ON")
        self.poster_language.setEnabled(state == "ON")
        # The address and port are read when the service starts: changed while it is off.
        self.address.setEnabled(not on)
        self.port.setEnabled(not on)

    # -- the service -----------------------------------------------------------------------------

    def _save_where(self) -> bool:
        host = self.address.currentData()
        if not host:
            self.message.setText(self.tr("This machine has no network address to serve on."))
            return False
        saves.save_settings(engine=self.ctx.engine, crowd_host=host, crowd_port=self.port.value())
        return True

    def start(self) -> None:
        service = self.crowd()
        if service is None or not self._save_where():
            return
        self.message.setText("")
        service.start()
        self._show_state()

    def stop(self) -> None:
        service = self.crowd()
        if service is not None:
            service.stop()
        self._show_state()

    def reset_token(self) -> None:
        service = self.crowd()
        if service is None:
            return
        service.reset_token()
        self.message.setText(self.tr("A new access token: the old codes and posters no longer open the petition. "
                                     "Print the poster again."))
        self._show_state()

    def _wifi_saved(self) -> None:
        """The window reads the settings again and tells the service (CrowdService.settings_changed): the
        codes show the new Wi-Fi, and a service serving on an address that changed serves on the new one."""
        self.settings_changed.emit()

    # -- the Wi-Fi -------------------------------------------------------------------------------

    def _ask_hotspot_possible(self) -> None:
        if self._hotspot_possible is not None:
            return
        from desktop.crowd import hotspot  # here: the panel opens without it

        self._hotspot_possible = False
        run_in_background(lambda: (hotspot.available(), hotspot.running_address()), self._hotspot_checked,
                          lambda _exc: None, owner=self)

    def _hotspot_checked(self, answer: tuple[bool, str | None]) -> None:
        possible, running = answer
        self._hotspot_possible = possible
        settings = self.settings()
        if running and settings.wifi_hotspot and settings.wifi_name:  # still up from before a restart
            from desktop.crowd.hotspot import Hotspot

            self.hotspot = Hotspot(device="", name=settings.wifi_name, password=settings.wifi_password or "",
                                   security="wpa3" if settings.wifi_security == "wpa3" else "wpa2", address=running)
        self._show_hotspot()

    def _show_hotspot(self) -> None:
        possible = bool(self._hotspot_possible)
        running = self.hotspot is not None
        self.hotspot_button.setVisible(possible and not running)
        self.older_phones.setVisible(possible and not running)
        self.hotspot_stop.setVisible(running)
        for field in (self.wifi_name, self.wifi_password, self.wifi_security, self.wifi_save):
            field.setEnabled(not running)  # the hotspot's own name and password, shown, not typed
        note = ""
        if running and self.hotspot.wpa3_refused:
            note = self.tr("This laptop's Wi-Fi could not make a WPA3 network, so the hotspot uses WPA2. With the "
                           "password on the poster, someone on the hotspot could read what phones send.")
        elif running and self.hotspot.security == "wpa2" and self.older_phones.isChecked():
            note = self.tr("The hotspot uses WPA2 so that older phones can join: with the password on the poster, "
                           "someone on it could read what phones send.")
        elif running and self.hotspot.security == "wpa2":
            note = self.tr("The hotspot uses WPA2: with the password on the poster, someone on it could read what "
                           "phones send.")
        self.hotspot_note.setText(note)
        self.hotspot_note.setVisible(bool(note))

    def make_hotspot(self) -> None:
        from desktop.crowd import hotspot  # here: the panel opens without it

        self.hotspot_button.setEnabled(False)
        self.message.setText(self.tr("Making the hotspot…"))
        start = functools.partial(hotspot.start, prefer_wpa3=not self.older_phones.isChecked())
        run_in_background(start, self._hotspot_made, self._hotspot_failed, owner=self)

    def _hotspot_made(self, made: Any) -> None:
        self.hotspot_button.setEnabled(True)
        self.hotspot = made
        changes: dict[str, Any] = {"wifi_name": made.name, "wifi_password": made.password,
                                   "wifi_security": made.security, "wifi_hotspot": True}
        if made.address:
            changes["crowd_host"] = made.address
        saves.save_settings(engine=self.ctx.engine, **changes)
        self.wifi_name.setText(made.name)
        self.wifi_password.setText(made.password)
        self.wifi_security.setCurrentIndex(max(0, self.wifi_security.findData(made.security)))
        self._fill_hosts(made.address, keep_choice=not made.address)
        self.message.setText(self.tr("Hotspot %1 is on.").replace("%1", made.name))
        self._show_hotspot()
        self._wifi_saved()

    def _hotspot_failed(self, exc: Exception) -> None:
        from desktop.crowd.hotspot import HotspotError, Problem

        self.hotspot_button.setEnabled(True)
        problem = exc.problem if isinstance(exc, HotspotError) else Problem.FAILED
        detail = exc.detail if isinstance(exc, HotspotError) else type(exc).__name__
        words = {
            Problem.NO_NMCLI: self.tr("NetworkManager (nmcli) is not installed: type the Wi-Fi's name and "
                                      "password below instead."),
            Problem.NO_WIFI: self.tr("This laptop has no Wi-Fi device NetworkManager can use."),
            Problem.NO_AP_MODE: self.tr("This laptop's Wi-Fi cannot make a hotspot: type the name and password "
                                        "of another Wi-Fi below."),
            Problem.FAILED: self.tr("The hotspot did not start: %1").replace("%1", detail),
        }
        self.message.setText(words[problem])
        log.warning("hotspot not made: %s", problem.value)

    def stop_hotspot(self) -> None:
        from desktop.crowd import hotspot  # here: the panel opens without it

        self.hotspot_stop.setEnabled(False)
        run_in_background(hotspot.stop, self._hotspot_stopped, self._hotspot_failed_to_stop, owner=self)

    def _hotspot_stopped(self, _stopped: bool) -> None:
        self.hotspot_stop.setEnabled(True)
        self.hotspot = None
        # Its name and password name a network that is gone: no code may offer to join it.
        saves.save_settings(engine=self.ctx.engine, wifi_hotspot=False, wifi_name=None, wifi_password=None)
        self.wifi_name.clear()
        self.wifi_password.clear()
        self.message.setText(self.tr("The hotspot is off. Phones on it can no longer reach this laptop."))
        self._show_hotspot()
        self._wifi_saved()

    def _hotspot_failed_to_stop(self, exc: Exception) -> None:
        self.hotspot_stop.setEnabled(True)
        self.message.setText(self.tr("The hotspot did not stop: %1").replace("%1", getattr(exc, "detail", "") or
                                                                             type(exc).__name__))

    def save_wifi(self) -> None:
        name = self.wifi_name.text().strip()
        password = self.wifi_password.text()
        security = self.wifi_security.currentData()
        if name and security != "open" and not 8 <= len(password) <= 63:
            self.message.setText(self.tr("A Wi-Fi password has 8 to 63 characters."))
            self.wifi_password.setFocus()
            return
        saves.save_settings(engine=self.ctx.engine, wifi_name=name or None,
                            wifi_password=(password or None) if security != "open" else None,
                            wifi_security=security, wifi_hotspot=False)
        self.message.setText(self.tr("Saved.") if name else
                             self.tr("Saved: no Wi-Fi code is shown; phones join the venue's network by hand."))
        self._wifi_saved()

    # -- the poster ------------------------------------------------------------------------------

    def choose_poster(self) -> None:
        service = self.crowd()
        invite = service.invite() if service is not None else None
        if invite is None:
            return
        suggested = str(Path.home() / f"crowd-poster-{self.poster_language.currentData()}.pdf")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the poster"), suggested, "PDF (*.pdf)",
                                              options=QFileDialog.Option.DontUseNativeDialog)
        if path:
            self.write_poster(Path(path), invite)

    def write_poster(self, path: Path, invite: Any) -> None:
        from desktop.crowd.poster import write_poster  # here: the panel opens without it

        locale = self.poster_language.currentData()
        self.ctx.warm_up()
        shown = self.ctx.campaign.localised(locale)
        title, rtl = shown.texts.title, shown.rtl
        self.poster_button.setEnabled(False)
        self.message.setText(self.tr("Writing the poster…"))
        run_in_background(lambda: write_poster(path, invite, title=title, locale=locale, rtl=rtl),
                          self._poster_written, self._poster_failed, owner=self)

    def _poster_written(self, report: Any) -> None:
        self.poster_button.setEnabled(True)
        self.message.setText(self.tr("Poster saved: %1").replace("%1", str(report.path)))
        self.poster_report = report

    def _poster_failed(self, exc: Exception) -> None:
        self.poster_button.setEnabled(True)
        self.message.setText(self.tr("That did not work: %1").replace("%1", str(exc) or type(exc).__name__))
