"""The coordinator PIN's rule and cost: new PINs have at least 6 digits, a stolen PIN file costs days
to search, and a shorter PIN from before the rule keeps working while the panel asks for a longer one."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from db import pin, setup
from db.panel import load_overview


def _legacy_pin_file(data_dir: Path, code: str) -> None:
    """A PIN file as the app wrote it before the 6-digit rule: version 1, scrypt N = 2^15."""
    salt = bytes(range(16))
    digest = hashlib.scrypt(code.encode(), salt=salt, n=2**15, r=8, p=1, dklen=32, maxmem=64 * 1024 * 1024)
    pin.pin_path(data_dir).write_text(json.dumps({
        "algorithm": "scrypt", "n": 2**15, "r": 8, "p": 1, "dklen": 32, "salt": salt.hex(),
        "hash": digest.hex(), "failures": 0, "locked_until": 0.0}))


@pytest.mark.parametrize("code", ["12345", "1234", "", "12345a", "1234567890123"])
def test_a_new_pin_has_6_to_12_digits(data_dir: Path, engine: Engine, code: str) -> None:
    with pytest.raises(pin.PinError):
        pin.set_pin(data_dir, code)
    with pytest.raises(pin.PinError):
        setup.complete(data_dir, setup.SetupChoices("en", "aleppo", "Table 1", code), engine=engine)
    assert not pin.has_pin(data_dir)
    pin.set_pin(data_dir, "123456")
    assert pin.PinGuard(data_dir).check("123456").ok and pin.pin_warnings(data_dir) == ()


def test_a_stolen_pin_file_costs_days_for_6_digits_and_a_person_under_a_second(data_dir: Path) -> None:
    pin.set_pin(data_dir, "482915")
    stored = json.loads(pin.pin_path(data_dir).read_text())
    assert stored["version"] == 2 and stored["n"] * stored["r"] >= 2**16 * 8  # 64 MiB per guess
    guard = pin.PinGuard(data_dir)
    cpu = []
    for _ in range(2):
        started = time.process_time()
        assert guard.check("482915").ok
        cpu.append(time.process_time() - started)
    per_guess = min(cpu)  # CPU time of this process: other programs on the machine do not count
    assert per_guess < 1.0
    assert per_guess * 10**6 > 86_400, f"{per_guess:.3f} s per guess: a 6-digit search in under a day"


def test_an_old_short_pin_keeps_working_is_rehashed_and_the_panel_asks_for_a_longer_one(
        data_dir: Path, engine: Engine) -> None:
    _legacy_pin_file(data_dir, "2468")
    assert pin.pin_warnings(data_dir) == ()  # not known short before it is typed
    assert not pin.PinGuard(data_dir).check("1357").ok
    assert pin.PinGuard(data_dir).check("2468").ok
    stored = json.loads(pin.pin_path(data_dir).read_text())
    assert (stored["version"], stored["n"], stored["failures"]) == (2, pin.SCRYPT_N, 0)  # today's cost
    assert stored["salt"] != bytes(range(16)).hex() and "2468" not in pin.pin_path(data_dir).read_text()
    assert pin.PinGuard(data_dir).check("2468").ok and not pin.PinGuard(data_dir).check("0000").ok
    assert pin.pin_warnings(data_dir) == (pin.SHORT_PIN,)
    assert load_overview(engine=engine, data_dir=data_dir).warnings == (pin.SHORT_PIN,)
    pin.set_pin(data_dir, "246813")  # the panel's Change the coordinator PIN
    assert pin.pin_warnings(data_dir) == ()
    assert load_overview(engine=engine, data_dir=data_dir).warnings == ()
