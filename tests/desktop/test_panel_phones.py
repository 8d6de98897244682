"""The panel's "Phones can sign" (desktop/panel/phones.py): the address to serve on, the port, the phones'
Wi-Fi typed or made as a hotspot (against a fake nmcli first on PATH, tests/utils/fake_nmcli.py), the
poster; secrets stay out of the audit log and the app's log."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import zxingcpp
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtPdf import QPdfDocument
from sqlmodel import Session

from db import audit
from db import settings as settings_store
from desktop.flow import Event
from desktop.panel import SECTIONS
from desktop.panel.phones import local_addresses
from desktop.screenshot import example_invite
from utils import fake_nmcli


def _stored(ctx) -> settings_store.Settings:
    with Session(ctx.engine) as session:
        return settings_store.stored(session=session)


def _audit_text(ctx) -> str:
    with Session(ctx.engine) as session:
        return json.dumps([entry.detail for entry in audit.recent(session=session)])


@pytest.fixture
def phones(window):
    window.send(Event.OPEN_PANEL)
    window.panel.show_section("phones")
    return window.panel.phones


@pytest.fixture
def nmcli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    return lambda hardware: fake_nmcli.use(tmp_path / "bin", monkeypatch, hardware=hardware)


def test_the_section_is_in_the_panel() -> None:
    assert "phones" in SECTIONS


def test_addresses_are_this_machines_ipv4_loopback_last_never_every_interface() -> None:
    addresses = [address for address, _ in local_addresses()]
    assert addresses and "0.0.0.0" not in addresses
    assert all(address.count(".") == 3 for address in addresses)
    loopback = [a for a in addresses if a.startswith("127.")]
    assert loopback and addresses[-len(loopback):] == loopback


def test_the_address_offered_first_is_not_loopback_when_another_exists(phones) -> None:
    first = phones.address.currentData()
    others = [a for a, _ in local_addresses() if not a.startswith("127.")]
    assert first == (others[0] if others else "127.0.0.1")


def test_a_typed_wifi_is_saved_and_its_password_never_logged(phones, qtbot, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    phones.wifi_name.setText("Venue guests")
    phones.wifi_password.setText("short")
    phones.save_wifi()
    assert phones.message.text() == "A Wi-Fi password has 8 to 63 characters."
    assert _stored(phones.ctx).wifi_name is None
    phones.wifi_password.setText("rally-2026-secret")
    phones.wifi_security.setCurrentIndex(phones.wifi_security.findData("wpa3"))
    phones.save_wifi()
    stored = _stored(phones.ctx)
    assert (stored.wifi_name, stored.wifi_password, stored.wifi_security, stored.wifi_hotspot) == (
        "Venue guests", "rally-2026-secret", "wpa3", False)
    assert "rally-2026-secret" not in _audit_text(phones.ctx) and "Venue guests" in _audit_text(phones.ctx)
    assert "rally-2026-secret" not in caplog.text
    phones.fill()  # read back as stored
    assert phones.wifi_password.text() == "rally-2026-secret"


def test_make_and_stop_a_hotspot_on_wpa2_only_hardware(phones, qtbot, nmcli, caplog) -> None:
    env = nmcli("wpa2")
    caplog.set_level(logging.DEBUG)
    phones._hotspot_possible = None
    phones.fill()
    qtbot.waitUntil(lambda: phones.hotspot_button.isVisibleTo(phones), timeout=10_000)
    phones.hotspot_button.click()
    qtbot.waitUntil(lambda: phones.hotspot is not None, timeout=30_000)
    made = phones.hotspot
    stored = _stored(phones.ctx)
    assert (stored.wifi_name, stored.wifi_password, stored.wifi_security, stored.wifi_hotspot) == (
        made.name, made.password, "wpa2", True)
    assert stored.crowd_host == "10.42.0.1"
    assert phones.wifi_name.text() == made.name and not phones.wifi_name.isEnabled()
    assert phones.hotspot_note.isVisibleTo(phones) and "WPA3" in phones.hotspot_note.text()
    assert phones.hotspot_stop.isVisibleTo(phones) and not phones.hotspot_button.isVisibleTo(phones)
    assert made.password not in _audit_text(phones.ctx) and made.password not in caplog.text
    phones.hotspot_stop.click()
    qtbot.waitUntil(lambda: phones.hotspot is None, timeout=30_000)
    assert json.loads(Path(env["FAKE_NMCLI_STATE"]).read_text())["profiles"] == {}
    assert _stored(phones.ctx).wifi_hotspot is False
    assert phones.wifi_name.isEnabled() and phones.hotspot_button.isVisibleTo(phones)


def test_older_phones_get_a_wpa2_hotspot_even_on_wpa3_hardware(phones, qtbot, nmcli) -> None:
    env = nmcli("wpa3")
    phones._hotspot_possible = None
    phones.fill()
    qtbot.waitUntil(lambda: phones.older_phones.isVisibleTo(phones), timeout=10_000)
    phones.older_phones.setChecked(True)
    phones.hotspot_button.click()
    qtbot.waitUntil(lambda: phones.hotspot is not None, timeout=30_000)
    assert phones.hotspot.security == "wpa2" and not phones.hotspot.wpa3_refused
    assert _stored(phones.ctx).wifi_security == "wpa2"
    assert "older phones" in phones.hotspot_note.text() and not phones.older_phones.isVisibleTo(phones)
    assert "sae" not in Path(env["FAKE_NMCLI_LOG"]).read_text()  # never tried: WPA2 was asked for
    phones.hotspot_stop.click()
    qtbot.waitUntil(lambda: phones.hotspot is None, timeout=30_000)


def test_no_hotspot_button_without_nmcli(phones, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    phones._hotspot_possible = None
    phones.fill()
    qtbot.waitUntil(lambda: phones._hotspot_possible is False, timeout=10_000)
    assert not phones.hotspot_button.isVisibleTo(phones)
    assert phones.wifi_name.isEnabled()  # the coordinator types the Wi-Fi instead


def test_the_poster_is_written_in_the_chosen_language(phones, qtbot, tmp_path: Path) -> None:
    phones.poster_language.setCurrentIndex(phones.poster_language.findData("ar"))
    phones.write_poster(tmp_path / "poster.pdf", example_invite())
    qtbot.waitUntil(lambda: hasattr(phones, "poster_report"), timeout=30_000)
    assert phones.poster_report.locale == "ar"
    doc = QPdfDocument()
    assert doc.load(str(tmp_path / "poster.pdf")) == QPdfDocument.Error.None_
    points = doc.pagePointSize(0)
    image = doc.render(0, QSize(round(points.width() * 100 / 72), round(points.height() * 100 / 72)))
    codes = {c.text for c in zxingcpp.read_barcodes(image.convertToFormat(QImage.Format.Format_Grayscale8))}
    assert codes == {example_invite().wifi, example_invite().url}



def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def crowd(window):
    """The window's crowd service, made as the app makes it after the first paint (desktop/warm_up.py)."""
    from desktop.warm_up import start_crowd_service

    start_crowd_service(window)
    yield window.crowd
    window.crowd.shutdown()


def test_without_a_service_the_section_says_so(phones) -> None:
    assert phones.state.text() == "Off. This window cannot serve phones." and not phones.turn_on.isEnabled()


def test_turn_on_and_off_for_real(window, crowd, phones, qtbot, tmp_path: Path) -> None:
    """The real service on 127.0.0.1: on with its URL in the section and its codes on the kiosk's pages,
    the Wi-Fi changed while it serves, a new token, the poster, off again."""
    phones.fill()
    assert phones.crowd() is crowd
    assert phones.state.text() == "Off." and phones.turn_on.isEnabled() and not phones.turn_off.isEnabled()
    assert not phones.poster_button.isEnabled()
    phones.address.setCurrentIndex(phones.address.findData("127.0.0.1"))
    port = _free_port()
    phones.port.setValue(port)
    phones.turn_on.click()
    qtbot.waitUntil(lambda: crowd.state.name in ("ON", "FAILED"), timeout=60_000)
    assert crowd.state.name == "ON", crowd.error
    invite = crowd.invite()
    assert invite is not None and invite.url.startswith(f"http://127.0.0.1:{port}/s/")
    assert phones.state.text() == f"On: phones open {invite.url}"
    assert phones.turn_off.isEnabled() and phones.poster_button.isEnabled() and not phones.address.isEnabled()
    stored = _stored(window.ctx)
    assert (stored.crowd_host, stored.crowd_port, stored.crowd_on) == ("127.0.0.1", port, True)
    assert window.crowd_invite == invite  # the window's pages show the codes

    phones.wifi_name.setText("Venue guests")
    phones.wifi_password.setText("rally-2026-secret")
    phones.save_wifi()  # the codes show the new Wi-Fi at once, the service keeps serving
    qtbot.waitUntil(lambda: window.crowd_invite is not None and window.crowd_invite.wifi_name == "Venue guests",
                    timeout=10_000)
    assert window.crowd_invite.wifi == "WIFI:T:WPA;S:Venue guests;P:rally-2026-secret;;"

    phones.write_poster(tmp_path / "poster.pdf", crowd.invite())
    qtbot.waitUntil(lambda: hasattr(phones, "poster_report"), timeout=30_000)
    assert "poster.pdf" in phones.message.text()

    old = crowd.invite().url
    phones.new_token.click()
    assert "Print the poster again" in phones.message.text()
    qtbot.waitUntil(lambda: crowd.invite() is not None and crowd.invite().url != old, timeout=60_000)
    assert phones.state.text() == f"On: phones open {crowd.invite().url}"

    phones.turn_off.click()
    qtbot.waitUntil(lambda: crowd.state.name == "OFF", timeout=30_000)
    assert phones.state.text() == "Off." and phones.turn_on.isEnabled() and not phones.poster_button.isEnabled()
    assert _stored(window.ctx).crowd_on is False and window.crowd_invite is None


def test_a_port_in_use_fails_with_its_reason(crowd, phones, qtbot) -> None:
    import socket

    phones.fill()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        phones.address.setCurrentIndex(phones.address.findData("127.0.0.1"))
        phones.port.setValue(taken.getsockname()[1])
        phones.turn_on.click()
        qtbot.waitUntil(lambda: crowd.state.name in ("ON", "FAILED"), timeout=60_000)
    assert crowd.state.name == "FAILED"
    assert phones.state.text() == f"Could not start: {crowd.error}" and "port" in crowd.error
    assert phones.turn_on.isEnabled() and phones.address.isEnabled()
