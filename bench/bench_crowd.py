"""Crowd mode: phones signing at once through the kiosk's local page, while the app's screen runs.

The app runs in a child process (offscreen Qt) exactly as it serves phones: its crowd service
(``desktop/crowd/service.py``) starts the phone pages' own child process, and a 5 ms QTimer heartbeat
records the GUI event loop's longest pause, before and during the load. A third process, at a lower
priority (real phones bring their own processors), plays the phones: concurrent HTTP clients on
127.0.0.1, each from an address of its own, each opening the petition and sending the form
(``phones`` x ``each``), timing every POST until its answer.

Baseline, measured in the same run: the same number of saves made directly through the save path
(``db.signatures.save_signature``, one after another) into a fresh database of the same kind.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.core import Figure, percentile

NAME = "crowd"
DESCRIPTION = "50 phones signing at once through the kiosk's local page: rate, p50/p99, GUI pause"
ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, sys, threading, time
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
from desktop.context import open_context
from desktop.crowd.service import CrowdService, CrowdState

data_dir = Path(sys.argv[1])
app = QApplication([])
label = QLabel("heartbeat")
label.show()
ctx = open_context(data_dir, locale="en", campaign="act-on-syria")
ctx.warm_up()
gaps = {"idle": 0.0, "load": 0.0}
phase = ["idle"]
last = [time.perf_counter()]
signed = [0]

def beat():
    now = time.perf_counter()
    if phase[0] in gaps:
        gaps[phase[0]] = max(gaps[phase[0]], now - last[0])
    last[0] = now

timer = QTimer()
timer.setInterval(5)
timer.timeout.connect(beat)
service = CrowdService(ctx)

refresh = QTimer()
refresh.setSingleShot(True)
refresh.setInterval(250)
refresh.timeout.connect(lambda: label.setText(str(ctx.live_count())))  # as the window reads the count

def counted():
    signed[0] += 1
    if not refresh.isActive():
        refresh.start()

service.signed.connect(counted)

def changed():
    if service.state is CrowdState.ON:
        print("ready " + service.invite().url, flush=True)
    elif service.state is CrowdState.FAILED:
        print("failed " + service.error, flush=True)
        app.exit(1)

service.changed.connect(changed)

def commands():
    for line in sys.stdin:
        word = line.strip()
        if word in ("load", "done"):
            last[0] = time.perf_counter()
            phase[0] = word
        if word == "done":
            break

def poll():
    if phase[0] == "done":
        poll_timer.stop()
        result = {"idle_ms": gaps["idle"] * 1000, "load_ms": gaps["load"] * 1000, "signed": signed[0]}
        service.stop()
        print("result " + json.dumps(result), flush=True)
        app.quit()

poll_timer = QTimer()
poll_timer.setInterval(50)
poll_timer.timeout.connect(poll)
poll_timer.start()
threading.Thread(target=commands, daemon=True).start()
timer.start()
QTimer.singleShot(0, service.start)
app.exec()
service.shutdown()
"""


def _baseline(count: int, directory: Path) -> float:
    from db.campaigns import load_builtin_bundle, register
    from db.engine import write_session
    from db.migrate import open_database
    from db.paths import resource_path
    from db.schemas import Mode
    from db.signatures import SignatureDraft, save_signature

    engine = open_database(directory)
    campaign = load_builtin_bundle(resource_path("campaigns", "act-on-syria"))
    with write_session(engine) as session:
        register(campaign, session=session)
        session.commit()
    shown = campaign.localised("en")
    try:
        start = time.perf_counter()
        for i in range(count):
            save_signature(SignatureDraft(fields=_fields(i), consent_processing=True, mode=Mode.PHONE),
                           engine=engine, shown=shown)
        return count / (time.perf_counter() - start)
    finally:
        engine.dispose()


def _fields(i: int) -> dict[str, str | None]:
    return {"given_name": f"Signer {i}", "family_name": "Haddad", "email": f"signer{i}@example.org",
            "postal_code": "10115", "country": "DE"}


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _prepare(data_dir: Path, port: int, per_phone: int) -> None:
    from db import settings as settings_store
    from db.engine import write_session
    from db.migrate import open_database

    engine = open_database(data_dir)
    with write_session(engine) as session:
        settings_store.update(session=session, crowd_host="127.0.0.1", crowd_port=port,
                              crowd_signatures_per_phone=per_phone)
        session.commit()
    engine.dispose()


def _phones(url: str, phones: int, each: int) -> tuple[list[float], list[int], float]:
    """Every POST's seconds to its answer, the answers' status codes, the load's wall time.

    The phones run in a process of their own at a lower priority: real phones bring their own
    processors, so the app's two processes should not lose theirs to the phones' HTTP clients."""
    nice = (lambda: os.nice(10)) if hasattr(os, "nice") else None
    done = subprocess.run([sys.executable, "-c", PHONES, url, str(phones), str(each)], cwd=ROOT, env=_env(),
                          capture_output=True, text=True, timeout=600, preexec_fn=nice)  # noqa: PLW1509
    if done.returncode != 0:
        raise RuntimeError(f"the phones failed: {done.stderr[-2000:]}")
    result = json.loads(done.stdout)
    return result["latencies"], result["codes"], result["wall"]


def _env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}


PHONES = r"""
import json, sys
from bench.bench_crowd import load
url, phones, each = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
latencies, codes, wall = load(url, phones, each)
print(json.dumps({"latencies": latencies, "codes": codes, "wall": wall}))
"""


def load(url: str, phones: int, each: int) -> tuple[list[float], list[int], float]:
    from utils.crowd import form_token, phone

    latencies: list[float] = []
    codes: list[int] = []
    lock = threading.Lock()

    def one_phone(n: int) -> None:
        session = phone(n)
        for i in range(each):
            page = session.get(url, timeout=60)
            body = {"form": form_token(page.text), "lang": "en", "consent": "yes", **_fields(n * 1000 + i)}
            start = time.perf_counter()
            answer = session.post(url, data=body, timeout=60)
            took = time.perf_counter() - start
            with lock:
                latencies.append(took)
                codes.append(answer.status_code)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=phones) as pool:
        list(pool.map(one_phone, range(1, phones + 1)))
    return latencies, codes, time.perf_counter() - start


def run(quick: bool) -> list[Figure]:
    phones, each = (50, 4) if quick else (50, 20)
    total = phones * each
    with tempfile.TemporaryDirectory(prefix="bench-crowd-") as tmp:
        baseline = _baseline(total, Path(tmp) / "direct")
        data_dir = Path(tmp) / "kiosk"
        data_dir.mkdir()
        _prepare(data_dir, _free_port(), per_phone=each)
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(data_dir)], cwd=ROOT, env=_env(), text=True,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert child.stdin is not None and child.stdout is not None
        try:
            line = child.stdout.readline()
            if not line.startswith("ready "):
                child.kill()
                raise RuntimeError(f"the app did not serve phones: {line!r} {child.stderr.read()[-2000:] if child.stderr else ''}")
            url = line.split(" ", 1)[1].strip()
            time.sleep(1.0)  # an idle second of heartbeat first
            child.stdin.write("load\n")
            child.stdin.flush()
            latencies, codes, wall = _phones(url, phones, each)
            time.sleep(0.5)  # the last "signed" lines reach the app
            child.stdin.write("done\n")
            child.stdin.flush()
            result = None
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                line = child.stdout.readline()
                if not line:
                    break
                if line.startswith("result "):
                    result = json.loads(line.split(" ", 1)[1])
                    break
            if result is None:
                raise RuntimeError("the app gave no result")
        finally:
            with contextlib.suppress(OSError):
                child.stdin.close()
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
    refused = sum(1 for code in codes if code != 200)
    note = f"{phones} phones x {each}; {refused} not 200; the app counted {result['signed']}"
    return [
        Figure("crowd.rate", total / wall, "signatures/s", baseline, "save_signature one after another", ">= 100/s",
               note),
        Figure("crowd.p50", percentile(latencies, 50) * 1000, "ms", 1000 / baseline, "one direct save", "",
               "POST until its answer"),
        Figure("crowd.p99", percentile(latencies, 99) * 1000, "ms", 1000 / baseline, "one direct save", "< 300 ms",
               "POST until its answer"),
        Figure("crowd.gui_pause", result["load_ms"], "ms", result["idle_ms"], "heartbeat's longest pause, idle",
               "< 50 ms", "longest GUI event-loop pause during the load"),
    ]
