"""The coordinator PIN's cost: what one guess at a stolen PIN file costs, in CPU seconds of one core.

Each app sample is one ``db.pin.PinGuard.check`` of a correct PIN (what a person waits for: one
scrypt derivation at the stored cost, plus the file read). The baseline is one derivation at the old
cost (N = 2^15), what a guess cost before the 6-digit rule. CPU time of this process is measured
(``time.process_time``), so other programs on a shared machine do not inflate it; the wall time a
person waits is printed too. The figures SECURITY.md states come from here.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from pathlib import Path

from bench.core import Figure, median

NAME = "pin"
DESCRIPTION = "PIN check (scrypt at db/pin.py's cost) vs one derivation at the old cost (N = 2^15), CPU per guess"


def run(quick: bool) -> list[Figure]:
    from db import pin

    samples = 3 if quick else 8
    app_cpu, app_wall, old_cpu = [], [], []
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = Path(scratch)
        pin.set_pin(data_dir, "482915")
        guard = pin.PinGuard(data_dir)
        for _ in range(samples):
            cpu, wall = time.process_time(), time.perf_counter()
            assert guard.check("482915").ok
            app_cpu.append(time.process_time() - cpu)
            app_wall.append(time.perf_counter() - wall)
            cpu = time.process_time()
            hashlib.scrypt(b"482915", salt=os.urandom(16), n=2**15, r=8, p=1, dklen=32, maxmem=64 * 1024 * 1024)
            old_cpu.append(time.process_time() - cpu)
    per_guess = median(app_cpu)
    return [
        Figure("pin.cpu_per_guess", per_guess * 1000, "ms", baseline=median(old_cpu) * 1000,
               baseline_name="scrypt N=2^15 (the old cost)", goal="6 digits: days per core; a person < 1 s"),
        Figure("pin.six_digit_search", per_guess * 10**6 / 86_400, "days per core",
               note="10^6 guesses at this cost, one core"),
        Figure("pin.wall_per_check", median(app_wall) * 1000, "ms", note="what the person at the keypad waits"),
    ]
