"""The phones' hotspot through nmcli (desktop/crowd/hotspot.py), against a fake nmcli first on PATH that
records its arguments (tests/utils/fake_nmcli.py): this machine, like CI, has no Wi-Fi."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from pathlib import Path

import pytest

from desktop.crowd import hotspot
from utils import fake_nmcli


@pytest.fixture
def nmcli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    return lambda hardware: fake_nmcli.use(tmp_path / "bin", monkeypatch, hardware=hardware)


def _commands(env: dict[str, str]) -> list[list[str]]:
    return [call["args"] for call in fake_nmcli.calls(env)]  # type: ignore[misc]


def _everything_written(env: dict[str, str], caplog: pytest.LogCaptureFixture) -> str:
    folder = Path(env["FAKE_NMCLI_LOG"]).parent
    files = "".join(p.read_text(encoding="utf-8") for p in folder.iterdir() if p.name != "nmcli")
    return files + caplog.text


def test_a_generated_name_and_password_are_readable() -> None:
    for _ in range(50):
        name, password = hotspot.new_name(), hotspot.new_password()
        assert re.fullmatch(r"Petition-[A-Z0-9]{4}", name)
        assert re.fullmatch(r"[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}", password)
        assert not set(password) & set("01lIoO5S2Z8B")  # no look-alikes
        assert 12 <= len(password) <= 63
    assert len({hotspot.new_password() for _ in range(50)}) == 50


def test_wpa3_hardware_gets_a_wpa3_hotspot_and_the_password_stays_off_the_command_line(
        nmcli, caplog: pytest.LogCaptureFixture) -> None:
    env = nmcli("wpa3")
    caplog.set_level(logging.DEBUG)
    assert hotspot.available()
    made = hotspot.start()
    assert made.security == "wpa3" and not made.wpa3_refused
    assert made.device == fake_nmcli.DEVICE and made.address == "10.42.0.1"
    assert made.name.startswith("Petition-")
    commands = _commands(env)
    add = next(c for c in commands if c[:2] == ["connection", "add"])
    settings = dict(zip(add[2::2], add[3::2], strict=False))
    assert settings["con-name"] == hotspot.CONNECTION_NAME and settings["ssid"] == made.name
    assert settings["802-11-wireless.mode"] == "ap" and settings["ipv4.method"] == "shared"
    assert settings["wifi-sec.key-mgmt"] == "sae" and settings["wifi-sec.psk-flags"] == "2"  # not saved
    up = next(call for call in fake_nmcli.calls(env) if "up" in call["args"])  # type: ignore[operator]
    # The secret went through an owner-only file in an owner-only folder, gone once nmcli returned.
    assert up["passwd_file_mode"] == "0o600" and up["passwd_folder_mode"] == "0o700"
    assert up["psk_sha256"] == hashlib.sha256(made.password.encode()).hexdigest()
    passwd_file = Path(up["args"][up["args"].index("passwd-file") + 1])  # type: ignore[union-attr,index]
    assert not passwd_file.exists() and not passwd_file.parent.exists()
    # Never in argv (readable by every user in /proc), the fake's records or the app's log.
    assert not any(made.password in arg for command in commands for arg in command)
    assert made.password not in _everything_written(env, caplog)
    assert made.password not in repr(made)
    assert made.name in caplog.text  # the log says what was made, without its secret


def test_wpa2_only_hardware_falls_back_to_wpa2_and_says_so(nmcli, caplog: pytest.LogCaptureFixture) -> None:
    env = nmcli("wpa2")
    caplog.set_level(logging.DEBUG)
    made = hotspot.start(name="Petition-TEST", password="kmtq-7hzr-w4xp")
    assert (made.security, made.wpa3_refused, made.name) == ("wpa2", True, "Petition-TEST")
    commands = _commands(env)
    assert ["connection", "modify", "id", hotspot.CONNECTION_NAME, "wifi-sec.key-mgmt", "wpa-psk"] in commands
    assert sum(1 for c in commands if "up" in c) == 2  # SAE refused, then WPA2
    state = json.loads(Path(env["FAKE_NMCLI_STATE"]).read_text())
    assert state["active"] == [hotspot.CONNECTION_NAME]
    assert state["profiles"][hotspot.CONNECTION_NAME]["802-11-wireless-security.key-mgmt"] == "wpa-psk"
    assert "kmtq-7hzr-w4xp" not in _everything_written(env, caplog)


def test_an_sae_activation_that_never_answers_falls_back_to_wpa2(nmcli, monkeypatch: pytest.MonkeyPatch) -> None:
    nmcli("sae-hangs")
    monkeypatch.setattr(hotspot, "UP_TIMEOUT_S", 3)
    made = hotspot.start()
    assert (made.security, made.wpa3_refused, made.address) == ("wpa2", True, "10.42.0.1")


def test_wpa2_when_asked_for_is_not_tried_as_wpa3(nmcli) -> None:
    env = nmcli("wpa3")
    made = hotspot.start(prefer_wpa3=False)
    assert (made.security, made.wpa3_refused) == ("wpa2", False)
    add = next(c for c in _commands(env) if c[:2] == ["connection", "add"])
    assert add[add.index("wifi-sec.key-mgmt") + 1] == "wpa-psk"


def test_no_wifi_device(nmcli) -> None:
    env = nmcli("no-wifi")
    assert not hotspot.available()
    with pytest.raises(hotspot.HotspotError) as caught:
        hotspot.start()
    assert caught.value.problem is hotspot.Problem.NO_WIFI
    assert not any(c[:2] == ["connection", "add"] for c in _commands(env))


def test_hardware_without_access_point_mode(nmcli) -> None:
    env = nmcli("no-ap")
    with pytest.raises(hotspot.HotspotError) as caught:
        hotspot.start()
    assert caught.value.problem is hotspot.Problem.NO_AP_MODE
    assert not any(c[:2] == ["connection", "add"] for c in _commands(env))


def test_nmcli_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert hotspot.nmcli_path() is None and not hotspot.available()
    with pytest.raises(hotspot.HotspotError) as caught:
        hotspot.start()
    assert caught.value.problem is hotspot.Problem.NO_NMCLI
    assert hotspot.stop() is False and hotspot.running_address() is None


def test_stop_takes_down_and_deletes_only_its_own_profile(nmcli) -> None:
    env = nmcli("wpa3")
    Path(env["FAKE_NMCLI_STATE"]).write_text(json.dumps(
        {"profiles": {"Home Wi-Fi": {}}, "active": ["Home Wi-Fi"]}))
    hotspot.start()
    assert hotspot.running_address() == "10.42.0.1"
    assert hotspot.stop() is True
    state = json.loads(Path(env["FAKE_NMCLI_STATE"]).read_text())
    assert state == {"profiles": {"Home Wi-Fi": {}}, "active": ["Home Wi-Fi"]}
    down_or_delete = [c for c in _commands(env) if c[:2] in (["connection", "down"], ["connection", "delete"])]
    assert down_or_delete and all(c[2:] == ["id", hotspot.CONNECTION_NAME] for c in down_or_delete)
    assert hotspot.stop() is False  # nothing left of ours


def test_a_leftover_hotspot_is_replaced_not_doubled(nmcli) -> None:
    env = nmcli("wpa3")
    hotspot.start()
    second = hotspot.start()
    state = json.loads(Path(env["FAKE_NMCLI_STATE"]).read_text())
    assert list(state["profiles"]) == [hotspot.CONNECTION_NAME]
    assert state["profiles"][hotspot.CONNECTION_NAME]["ssid"] == second.name


def test_a_failed_activation_leaves_no_profile_and_no_password_in_the_error(nmcli) -> None:
    env = nmcli("broken")
    with pytest.raises(hotspot.HotspotError) as caught:
        hotspot.start(device="wlan9")  # no such device
    assert caught.value.problem is hotspot.Problem.NO_WIFI
    with pytest.raises(hotspot.HotspotError) as caught:
        hotspot.start(password="kmtq-7hzr-w4xp")  # refused as WPA3, then as WPA2
    assert caught.value.problem is hotspot.Problem.FAILED
    assert "activation failed" in caught.value.detail and "kmtq" not in str(caught.value)
    assert json.loads(Path(env["FAKE_NMCLI_STATE"]).read_text())["profiles"] == {}  # the half-made one is gone
