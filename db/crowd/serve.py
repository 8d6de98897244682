"""Serving the phone pages with uvicorn, headless (``petition-kiosk crowd``) or as the app's child.

The app runs the phone pages in a child process (desktop/crowd/service.py), not in a thread of its
own: a crowd's saves and page renders are Python work, and in the GUI's process they would take the
interpreter from the screen the next signer is using (measured: docs/ARCHITECTURE.md, crowd mode).
The child talks to the app in lines on its standard output (``ready <url>``, ``signed``, ``error
<code> <text>``) and stops when its standard input closes, so it never outlives the app, even a
crashed one.
"""

from __future__ import annotations

import errno
import socket
import sys
import threading
from collections.abc import Callable
from typing import Any, TextIO

from starlette.types import ASGIApp

# Bind errors as codes the app translates (desktop/crowd/service.py), and as words for a terminal.
ADDRESS_IN_USE = "address_in_use"
ADDRESS_UNAVAILABLE = "address_unavailable"
NOT_PERMITTED = "not_permitted"
BIND_WORDS = {
    ADDRESS_IN_USE: "another program already uses this port",
    ADDRESS_UNAVAILABLE: "this computer has no such address (is the Wi-Fi connected?)",
    NOT_PERMITTED: "not permitted to use this address or port",
}


class BindError(OSError):
    def __init__(self, code: str, host: str, port: int) -> None:
        super().__init__(f"{host}:{port}: {BIND_WORDS[code]}")
        self.code = code


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on exactly ``host`` (never every interface unless asked for by address)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
    except socket.gaierror:
        raise BindError(ADDRESS_UNAVAILABLE, host, port) from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        code = {errno.EADDRINUSE: ADDRESS_IN_USE, errno.EADDRNOTAVAIL: ADDRESS_UNAVAILABLE,
                errno.EACCES: NOT_PERMITTED, errno.EPERM: NOT_PERMITTED}.get(exc.errno or 0)
        if code is None:
            raise
        raise BindError(code, host, port) from None
    sock.set_inheritable(True)
    return sock


class LineReporter:
    """Writes the child's lines to the app, one whole line at a time from any thread."""

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self.lock = threading.Lock()

    def __call__(self, line: str) -> None:
        with self.lock:
            try:
                self.out.write(line + "\n")
                self.out.flush()
            except (BrokenPipeError, ValueError):  # the app is gone: stdin's end stops us next
                pass


def serve(app: ASGIApp, sock: socket.socket, *, stop_on_stdin_eof: bool = False,
          started: Callable[[], None] | None = None) -> None:
    """Serve ``app`` on ``sock`` until Ctrl+C, SIGTERM or (``stop_on_stdin_eof``) the parent leaves."""
    import uvicorn

    config = uvicorn.Config(
        app, lifespan="off", log_level="warning",
        # Named, not "auto": the built app ships exactly these (build.spec), nothing found by chance.
        http="h11", loop="asyncio", ws="none", interface="asgi3",
        access_log=False,  # every address holds the access token; a phone's address is nobody's business
        server_header=False, date_header=False,
        timeout_keep_alive=5, limit_concurrency=256, backlog=128,
        h11_max_incomplete_event_size=16 * 1024,
    )
    server = uvicorn.Server(config)
    if stop_on_stdin_eof:
        def watch() -> None:
            try:
                while sys.stdin.buffer.read(1024):
                    pass
            except (OSError, ValueError):
                pass
            server.should_exit = True

        threading.Thread(target=watch, name="parent-watch", daemon=True).start()
    if started is not None:
        _call_when_started(server, started)
    server.run(sockets=[sock])


def _call_when_started(server: Any, started: Callable[[], None]) -> None:
    """``started`` once uvicorn accepts connections (its ``started`` flag), from a small thread."""
    import time

    def wait() -> None:
        deadline = time.monotonic() + 30
        while not server.started and not server.should_exit and time.monotonic() < deadline:
            time.sleep(0.02)
        if server.started:
            started()

    threading.Thread(target=wait, name="started", daemon=True).start()
