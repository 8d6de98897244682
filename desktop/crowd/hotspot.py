"""The phones' Wi-Fi, made by this laptop: a NetworkManager hotspot driven through ``nmcli`` (Qt-free).

What nmcli tells and what it does not:

- ``nmcli -t -f DEVICE,TYPE,STATE device status`` lists the Wi-Fi devices (type ``wifi``).
- ``nmcli -t -f WIFI-PROPERTIES device show DEV`` prints the device's capabilities as NetworkManager has
  them from the driver (``WIFI-PROPERTIES.AP:yes``, ``.WPA2:yes``, ``.5GHZ:…``). Access-point mode is
  there; WPA3-SAE is not: NetworkManager's device capabilities (NM_WIFI_DEVICE_CAP_*) have no SAE flag,
  and whether an SAE access point works depends on the driver and wpa_supplicant together. So the
  hotspot is first brought up as WPA3-SAE; when that activation fails it is brought up again as
  WPA2-PSK (AES only) and :attr:`Hotspot.wpa3_refused` says so, for the panel's note. A future nmcli
  that does print an SAE property (``…SAE:no``) is believed without the try.

The password never reaches a command line (every user can read another's argv in /proc): the profile
is made with ``psk-flags 2`` ("not saved": NetworkManager keeps no copy on disk either), and the secret is
handed over at activation with ``nmcli connection up … passwd-file FILE`` (nmcli's documented way,
``802-11-wireless-security.psk:SECRET``), from an owner-only file in an owner-only folder that is
removed as soon as nmcli returns. (``nmcli --ask`` reads a terminal, which an app does not have;
``nmcli device wifi hotspot … password P`` puts the password in argv.) The password is never logged.

Stopping touches only the one profile this module makes (:data:`CONNECTION_NAME`), by that name.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Literal

log = logging.getLogger(__name__)

CONNECTION_NAME = "petition-kiosk-hotspot"  # the one profile this module makes, deletes and nothing else
NAME_PREFIX = "Petition-"
# No look-alikes (0/O, 1/l/I, 5/S, 2/Z, 8/B, u/v): read off a poster and typed on a phone's keyboard.
NAME_ALPHABET = "ACDEFGHJKMNPQRTWXY3479"
PASSWORD_ALPHABET = "abcdefghjkmnpqrstwxyz3479"
PASSWORD_GROUPS, GROUP_LENGTH = 3, 4  # "kmtq-7hzr-w4xp": 12 random characters, about 56 bits
UP_TIMEOUT_S = 45  # bringing an access point up takes a few seconds; a stuck driver must not hang the panel
QUICK_TIMEOUT_S = 15


class Problem(Enum):
    """Why there is no hotspot; the panel says each in words of its own."""

    NO_NMCLI = "no-nmcli"  # NetworkManager's command-line tool is not installed
    NO_WIFI = "no-wifi"  # no Wi-Fi device NetworkManager manages
    NO_AP_MODE = "no-ap-mode"  # the Wi-Fi hardware cannot be an access point
    FAILED = "failed"  # nmcli answered with an error (its message in ``detail``)


class HotspotError(Exception):
    def __init__(self, problem: Problem, detail: str = "") -> None:
        super().__init__(f"{problem.value}: {detail}" if detail else problem.value)
        self.problem = problem
        self.detail = detail


@dataclass(frozen=True)
class Hotspot:
    """A running hotspot. ``address``: this laptop's IPv4 address on it (the one to serve on), None if
    NetworkManager had not given one yet."""

    device: str
    name: str
    password: str = field(repr=False)  # never in a repr, a log line or a traceback's locals shown
    security: Literal["wpa3", "wpa2"]
    address: str | None
    wpa3_refused: bool = False  # WPA3 was tried and the hardware refused it: WPA2 instead (the panel's note)
    connection: str = CONNECTION_NAME


def new_name() -> str:
    """``Petition-XXXX``: short, and unlikely to meet another stand's hotspot of the same name."""
    return NAME_PREFIX + "".join(secrets.choice(NAME_ALPHABET) for _ in range(4))


def new_password() -> str:
    """Three groups of four lower-case letters and digits without look-alikes, e.g. ``kmtq-7hzr-w4xp``
    (14 characters; WPA asks for 8 to 63)."""
    return "-".join("".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(GROUP_LENGTH))
                    for _ in range(PASSWORD_GROUPS))


def nmcli_path() -> str | None:
    return shutil.which("nmcli")


def _env() -> dict[str, str]:
    # nmcli translates its output and its terse field values ("yes"/"ja"): parse it in English.
    return {**os.environ, "LC_ALL": "C", "LANG": "C"}


def _run(args: Sequence[str], *, timeout: float = QUICK_TIMEOUT_S) -> subprocess.CompletedProcess[str]:
    path = nmcli_path()
    if path is None:
        raise HotspotError(Problem.NO_NMCLI)
    try:
        return subprocess.run([path, *args], capture_output=True, text=True, timeout=timeout, env=_env(),
                              stdin=subprocess.DEVNULL, check=False)
    except subprocess.TimeoutExpired as exc:
        raise HotspotError(Problem.FAILED, f"nmcli {args[0]} took longer than {timeout:.0f} s") from exc
    except OSError as exc:
        raise HotspotError(Problem.FAILED, f"nmcli could not run: {exc.strerror or exc}") from exc


def _check(result: subprocess.CompletedProcess[str], what: str) -> str:
    if result.returncode != 0:
        message = (result.stderr or result.stdout).strip().splitlines()
        raise HotspotError(Problem.FAILED, f"{what}: {message[-1] if message else f'exit {result.returncode}'}")
    return result.stdout


def _terse_fields(line: str) -> list[str]:
    """One line of ``nmcli -t`` output split at its unescaped colons (nmcli writes ``\\:`` and ``\\\\``)."""
    fields, current, escaped = [], [], False
    for ch in line:
        if escaped:
            current.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == ":":
            fields.append("".join(current))
            current = []
        else:
            current.append(ch)
    fields.append("".join(current))
    return fields


def wifi_devices() -> list[str]:
    """The Wi-Fi devices NetworkManager manages, in its order (raises NO_NMCLI without nmcli)."""
    out = _check(_run(["-t", "-f", "DEVICE,TYPE,STATE", "device", "status"]), "device status")
    devices = []
    for line in out.splitlines():
        parts = _terse_fields(line)
        if len(parts) >= 3 and parts[1] == "wifi" and parts[2] != "unmanaged":
            devices.append(parts[0])
    return devices


def available() -> bool:
    """Whether the panel can offer "Make a hotspot": nmcli is here and it has a Wi-Fi device."""
    if nmcli_path() is None:
        return False
    try:
        return bool(wifi_devices())
    except HotspotError:
        return False


def wifi_properties(device: str) -> dict[str, bool]:
    """``nmcli -t -f WIFI-PROPERTIES device show DEV`` as {"AP": True, "WPA2": True, …}."""
    out = _check(_run(["-t", "-f", "WIFI-PROPERTIES", "device", "show", device]), "device show")
    props = {}
    for line in out.splitlines():
        parts = _terse_fields(line)
        if len(parts) >= 2 and parts[0].startswith("WIFI-PROPERTIES."):
            props[parts[0].removeprefix("WIFI-PROPERTIES.").upper()] = parts[1].strip().lower() == "yes"
    return props


def may_try_wpa3(props: dict[str, bool]) -> bool:
    """WPA3 is worth a try unless nmcli says plainly that it cannot be (no such property today)."""
    return props.get("SAE", True) and props.get("WPA2", True)


def ipv4_address(device: str) -> str | None:
    """This laptop's IPv4 address on ``device`` (``IP4.ADDRESS[1]:10.42.0.1/24`` -> ``10.42.0.1``)."""
    try:
        out = _check(_run(["-t", "-f", "IP4.ADDRESS", "device", "show", device]), "device show")
    except HotspotError:
        return None
    for line in out.splitlines():
        parts = _terse_fields(line)
        if len(parts) >= 2 and parts[0].startswith("IP4.ADDRESS") and parts[1]:
            return parts[1].split("/", 1)[0]
    return None


def _our_profile_exists() -> bool:
    out = _check(_run(["-t", "-f", "NAME", "connection", "show"]), "connection show")
    return any(_terse_fields(line)[0] == CONNECTION_NAME for line in out.splitlines())


def _activate(password: str) -> subprocess.CompletedProcess[str]:
    """``nmcli connection up`` with the secret in an owner-only file, removed when nmcli returns."""
    folder = tempfile.mkdtemp(prefix="petition-kiosk-wifi-")  # mode 0700
    secret = Path(folder) / "secrets"
    try:
        fd = os.open(secret, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(f"802-11-wireless-security.psk:{password}\n")
        return _run(["--wait", str(max(1, UP_TIMEOUT_S - 5)), "connection", "up", "id", CONNECTION_NAME,
                     "passwd-file", str(secret)], timeout=UP_TIMEOUT_S)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _bring_up(password: str) -> str | None:
    """None when the hotspot is up, else nmcli's reason."""
    try:
        result = _activate(password)
    except HotspotError as exc:
        return exc.detail
    if result.returncode == 0:
        return None
    lines = (result.stderr or result.stdout).strip().splitlines()
    return lines[-1] if lines else f"exit {result.returncode}"


def start(name: str | None = None, password: str | None = None, *, device: str | None = None,
          prefer_wpa3: bool = True) -> Hotspot:
    """Make and bring up the hotspot (a name and password are generated unless given); a hotspot of
    this app's that is still there from before is replaced. Slow (seconds): run it off the GUI thread."""
    if nmcli_path() is None:
        raise HotspotError(Problem.NO_NMCLI)
    devices = wifi_devices()
    if device is None:
        if not devices:
            raise HotspotError(Problem.NO_WIFI)
        device = devices[0]
    elif device not in devices:
        raise HotspotError(Problem.NO_WIFI, device)
    props = wifi_properties(device)
    if not props.get("AP", False):
        raise HotspotError(Problem.NO_AP_MODE, device)
    name = name or new_name()
    password = password or new_password()
    if _our_profile_exists():
        _remove_profile()
    wpa3 = prefer_wpa3 and may_try_wpa3(props)
    # 2.4 GHz: every phone has it. AES only (RSN, CCMP): no WPA1/TKIP. Not saved (psk-flags 2): the
    # password is handed over at each activation (_activate) and NetworkManager writes no copy of it.
    _check(_run(["connection", "add", "type", "wifi", "ifname", device, "con-name", CONNECTION_NAME,
                 "autoconnect", "no", "ssid", name, "802-11-wireless.mode", "ap", "802-11-wireless.band", "bg",
                 "ipv4.method", "shared", "wifi-sec.key-mgmt", "sae" if wpa3 else "wpa-psk",
                 "wifi-sec.proto", "rsn", "wifi-sec.pairwise", "ccmp", "wifi-sec.group", "ccmp",
                 "wifi-sec.psk-flags", "2"]), "connection add")
    refused = False
    try:
        why = _bring_up(password)
        if why is not None and wpa3:  # refused, or no answer in time: some drivers hang on SAE
            log.info("the Wi-Fi hardware did not start a WPA3 hotspot (%s); trying WPA2", why)
            refused, wpa3 = True, False
            _check(_run(["connection", "modify", "id", CONNECTION_NAME, "wifi-sec.key-mgmt", "wpa-psk"]),
                   "connection modify")
            why = _bring_up(password)
        if why is not None:
            raise HotspotError(Problem.FAILED, f"connection up: {why}")
    except HotspotError as exc:
        _remove_profile()  # no half-made hotspot is left behind
        if password in exc.detail:  # nmcli never echoes it; were one to, it goes no further
            raise HotspotError(exc.problem, exc.detail.replace(password, "…")) from None
        raise
    hotspot = Hotspot(device=device, name=name, password=password, security="wpa3" if wpa3 else "wpa2",
                      address=ipv4_address(device), wpa3_refused=refused)
    log.info("hotspot %s up on %s (%s) at %s", name, device, hotspot.security.upper(), hotspot.address or "?")
    return hotspot


def _remove_profile() -> None:
    _run(["connection", "down", "id", CONNECTION_NAME])  # not active: nmcli says so, and that is fine
    _run(["connection", "delete", "id", CONNECTION_NAME])


def stop() -> bool:
    """Take down and delete this app's hotspot profile (only that one). False: there was none."""
    if nmcli_path() is None:
        return False
    try:
        if not _our_profile_exists():
            return False
        down = _run(["connection", "down", "id", CONNECTION_NAME])
        if down.returncode != 0:
            log.debug("hotspot was not active: %s", down.stderr.strip())
        _check(_run(["connection", "delete", "id", CONNECTION_NAME]), "connection delete")
    except HotspotError as exc:
        log.warning("could not stop the hotspot: %s", exc)
        raise
    log.info("hotspot stopped")
    return True


def running_address() -> str | None:
    """The address of this app's hotspot when it is up (after a restart of the app), else None."""
    if nmcli_path() is None:
        return None
    try:
        out = _check(_run(["-t", "-f", "NAME,DEVICE", "connection", "show", "--active"]), "connection show")
    except HotspotError:
        return None
    for line in out.splitlines():
        parts = _terse_fields(line)
        if len(parts) >= 2 and parts[0] == CONNECTION_NAME and parts[1]:
            return ipv4_address(parts[1])
    return None

