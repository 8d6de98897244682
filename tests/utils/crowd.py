"""Crowd mode under test: a real ``petition-kiosk crowd`` process on 127.0.0.1 and phones that each
come from an address of their own (the whole of 127.0.0.0/8 is loopback on Linux)."""

from __future__ import annotations

import os
import re
import selectors
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from requests.adapters import HTTPAdapter

ROOT = Path(__file__).resolve().parents[2]
FORM_TOKEN = re.compile(r'name="form" value="([^"]+)"')


@dataclass
class Crowd:
    url: str
    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)

    _pending: bytes = b""

    def read_lines(self, timeout: float = 0.0) -> list[str]:
        """The child's report lines that arrived so far (waiting at most ``timeout`` for more).
        Read from the pipe's descriptor itself: a buffered reader would hide lines from select()."""
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while True:
                ready = selector.select(max(0.0, deadline - time.monotonic()))
                if not ready:
                    break
                chunk = os.read(fd, 65536)
                if not chunk:
                    break
                self._pending += chunk
                *lines, self._pending = self._pending.split(b"\n")
                self.lines += [line.decode("utf-8", "replace") for line in lines]
                deadline = min(deadline, time.monotonic() + 0.2)  # what follows at once, then return
        return self.lines


@contextmanager
def crowd_process(data_dir: Path, *args: str, host: str = "127.0.0.1") -> Iterator[Crowd]:
    """``petition-kiosk crowd --for-app`` on a free port; stopped by closing its standard input."""
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop", "crowd", "--for-app", "--data-dir", str(data_dir), "--host", host,
         "--port", "0", *args],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=0,
    )
    crowd = Crowd(url="", process=process)
    try:
        deadline = time.monotonic() + 60
        while not crowd.url and time.monotonic() < deadline and process.poll() is None:
            for line in crowd.read_lines(timeout=1.0):
                if line.startswith("ready "):
                    crowd.url = line.split(" ", 1)[1]
        if not crowd.url:
            process.kill()
            _, err = process.communicate(timeout=10)
            raise AssertionError(f"crowd did not start: {crowd.lines} {err[-2000:]}")
        yield crowd
    finally:
        if process.poll() is None:
            assert process.stdin is not None
            process.stdin.close()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


class _SourceAddress(HTTPAdapter):
    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def phone(number: int = 1) -> requests.Session:
    """A phone on the stand's network: its own address, 127.0.0.<number + 1>."""
    session = requests.Session()
    session.mount("http://", _SourceAddress(f"127.0.0.{number + 1}"))
    return session


def form_token(page: str) -> str:
    found = FORM_TOKEN.search(page)
    assert found, "the page has no form"
    return found.group(1)


def sign(session: requests.Session, url: str, fields: dict[str, str], *, lang: str = "en",
         consent: bool = True, timeout: float = 30) -> requests.Response:
    """Open the petition as a phone does, then send its form."""
    page = session.get(url, params={"lang": lang}, timeout=timeout)
    page.raise_for_status()
    body = {"form": form_token(page.text), "lang": lang, **fields}
    if consent:
        body["consent"] = "yes"
    return session.post(url, data=body, timeout=timeout)
