"""A stand-in for NetworkManager's ``nmcli``, for machines without Wi-Fi (CI): a real program placed first
on PATH (``install``), which records every call's arguments as a JSON line and answers the few commands
desktop/crowd/hotspot.py uses the way nmcli does (terse output, exit status 10 for an unknown profile).

Its hardware is chosen by FAKE_NMCLI_HARDWARE: ``wpa3`` (an access point that runs WPA3-SAE), ``wpa2``
(one whose SAE activation fails, as with drivers that cannot), ``sae-hangs`` (one whose SAE activation
never answers), ``broken`` (every activation
fails), ``no-ap`` (no access-point mode) or
``no-wifi`` (only Ethernet). Its state (the profiles, which is up) lives in FAKE_NMCLI_STATE.

For ``connection up … passwd-file FILE`` it records the file's mode and whether it held a psk line and
the SHA-256 of that secret, never the secret itself, so a test can look for the password in everything
the fake wrote and must not find it.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import time
from pathlib import Path
from typing import Any

DEVICE = "wlp2s0"
PROFILE_SETTINGS_ALIASES = {"wifi-sec.key-mgmt": "802-11-wireless-security.key-mgmt",
                            "wifi-sec.psk-flags": "802-11-wireless-security.psk-flags"}


def install(folder: Path, *, hardware: str) -> dict[str, str]:
    """Write the fake as ``folder/nmcli``; the environment to run under (PATH first, its log and state)."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "nmcli"
    script.write_text(f"#!{sys.executable}\nimport runpy, sys\nsys.argv[0] = 'nmcli'\n"
                      f"runpy.run_path({str(Path(__file__))!r}, run_name='__main__')\n", encoding="utf-8")
    script.chmod(0o755)
    return {"PATH": f"{folder}{os.pathsep}{os.environ.get('PATH', '')}",
            "FAKE_NMCLI_HARDWARE": hardware,
            "FAKE_NMCLI_LOG": str(folder / "calls.jsonl"),
            "FAKE_NMCLI_STATE": str(folder / "state.json")}


def use(folder: Path, monkeypatch: Any, *, hardware: str) -> dict[str, str]:
    """``install`` and put its environment in place for this test (pytest's ``monkeypatch``)."""
    env = install(folder, hardware=hardware)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


def calls(env: dict[str, str]) -> list[dict[str, object]]:
    path = Path(env["FAKE_NMCLI_LOG"])
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _state() -> dict[str, object]:
    path = Path(os.environ["FAKE_NMCLI_STATE"])
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"profiles": {}, "active": []}


def _save(state: dict[str, object]) -> None:
    Path(os.environ["FAKE_NMCLI_STATE"]).write_text(json.dumps(state), encoding="utf-8")


def _record(entry: dict[str, object]) -> None:
    with open(os.environ["FAKE_NMCLI_LOG"], "a", encoding="utf-8") as log:
        log.write(json.dumps(entry) + "\n")


def main(argv: list[str]) -> int:
    hardware = os.environ.get("FAKE_NMCLI_HARDWARE", "wpa3")
    entry: dict[str, object] = {"args": argv}
    _record_after = entry
    state = _state()
    profiles: dict[str, dict[str, str]] = state["profiles"]  # type: ignore[assignment]
    active: list[str] = state["active"]  # type: ignore[assignment]
    args = list(argv)
    while args and args[0] in ("-t", "-f", "--wait"):  # the options hotspot.py uses
        args = args[2:] if args[0] in ("-f", "--wait") else args[1:]
    try:
        if args[:2] == ["device", "status"]:
            print("lo:loopback:connected (externally)")
            print("enp1s0:ethernet:connected")
            if hardware != "no-wifi":
                print(f"{DEVICE}:wifi:{'connected' if active else 'disconnected'}")
            return 0
        if args[:2] == ["device", "show"] and "WIFI-PROPERTIES" in argv:
            if hardware == "no-wifi" or args[2] != DEVICE:
                print(f"Error: Device '{args[2]}' not found.", file=sys.stderr)
                return 10
            ap = "no" if hardware == "no-ap" else "yes"
            for name, value in (("WEP", "yes"), ("WPA", "yes"), ("WPA2", "yes"), ("TKIP", "yes"),
                                ("CCMP", "yes"), ("AP", ap), ("ADHOC", "yes"), ("2GHZ", "yes"), ("5GHZ", "yes"),
                                ("MESH", "no"), ("IBSS-RSN", "yes")):
                print(f"WIFI-PROPERTIES.{name}:{value}")
            return 0
        if args[:2] == ["device", "show"] and "IP4.ADDRESS" in argv:
            if active:
                print("IP4.ADDRESS[1]:10.42.0.1/24")
            return 0
        if args[:2] == ["connection", "show"]:
            for name in profiles:
                if "--active" in args and name not in active:
                    continue
                print(f"{name}:{DEVICE}" if "NAME,DEVICE" in argv else name)
            return 0
        if args[:2] == ["connection", "add"]:
            pairs = dict(zip(args[2::2], args[3::2], strict=False))
            name = pairs["con-name"]
            profiles[name] = {PROFILE_SETTINGS_ALIASES.get(k, k): v for k, v in pairs.items()}
            print(f"Connection '{name}' (3f1b8a2e-0000-4000-8000-000000000001) successfully added.")
            return 0
        if args[:2] == ["connection", "modify"]:
            name = args[3]
            if name not in profiles:
                print(f"Error: unknown connection '{name}'.", file=sys.stderr)
                return 10
            profiles[name].update({PROFILE_SETTINGS_ALIASES.get(k, k): v for k, v in zip(args[4::2], args[5::2],
                                                                                        strict=False)})
            return 0
        if args[:2] == ["connection", "up"]:
            name = args[3]
            secret_file = Path(args[args.index("passwd-file") + 1]) if "passwd-file" in args else None
            psk = None
            if secret_file is not None:
                entry["passwd_file_mode"] = oct(stat.S_IMODE(secret_file.stat().st_mode))
                entry["passwd_folder_mode"] = oct(stat.S_IMODE(secret_file.parent.stat().st_mode))
                for line in secret_file.read_text(encoding="utf-8").splitlines():
                    key, _, value = line.partition(":")
                    if key in ("802-11-wireless-security.psk", "wifi-sec.psk"):
                        psk = value
                entry["psk_sha256"] = hashlib.sha256(psk.encode()).hexdigest() if psk else None
            profile = profiles.get(name)
            if profile is None:
                print(f"Error: unknown connection '{name}'.", file=sys.stderr)
                return 10
            if not psk:
                print("Error: Connection activation failed: Secrets were required, but not provided.",
                      file=sys.stderr)
                return 4
            sae = profile.get("802-11-wireless-security.key-mgmt") == "sae"
            if sae and hardware == "sae-hangs":
                time.sleep(30)  # the caller's timeout ends it first
            if hardware == "broken" or (sae and hardware != "wpa3"):
                print("Error: Connection activation failed: The Wi-Fi network could not be found.",
                      file=sys.stderr)
                return 4
            if name not in active:
                active.append(name)
            print("Connection successfully activated (D-Bus active path: "
                  "/org/freedesktop/NetworkManager/ActiveConnection/7)")
            return 0
        if args[:2] == ["connection", "down"]:
            name = args[3]
            if name not in active:
                print(f"Error: '{name}' is not an active connection.", file=sys.stderr)
                return 10
            active.remove(name)
            return 0
        if args[:2] == ["connection", "delete"]:
            name = args[3]
            if name not in profiles:
                print(f"Error: unknown connection '{name}'.", file=sys.stderr)
                return 10
            del profiles[name]
            if name in active:
                active.remove(name)
            return 0
        print(f"Error: the fake nmcli does not know {' '.join(argv)!r}", file=sys.stderr)
        return 2
    finally:
        _record(_record_after)
        _save(state)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
