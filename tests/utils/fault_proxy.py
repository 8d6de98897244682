"""A fault-injecting HTTP proxy on 127.0.0.1, between the sync client and a real server process.

Each request to a batch route gets the next fault of a schedule (other routes pass, unless
``other_kind`` says otherwise). Faults:

* ``pass``       forwarded, answer relayed
* ``reset``      the connection is reset before anything is forwarded
* ``e500``       a JSON 500 from "the server" (not forwarded)
* ``e503``       an HTML 503 page, as a load balancer would answer (not forwarded)
* ``timeout``    nothing forwarded, no answer until after the client's read timeout, then closed
* ``slow``       forwarded, answer relayed late (but within the client's read timeout)
* ``html200``    a captive portal: 200 with an HTML login page (not forwarded)
* ``truncated``  forwarded (the server commits), answer cut in half, connection closed
* ``lost``       forwarded (the server commits), then the connection is reset: the answer is lost
* ``hold``       forwarded (the server commits), then the answer is held until ``release`` is set
                 (the kill test kills the client meanwhile)
* ``stall``      held before forwarding until ``release`` is set (the server never sees it)

With ``max_body`` it also behaves like a reverse proxy with a body limit (nginx's
``client_max_body_size``): a larger request gets nginx's HTML 413 page and is not forwarded.

Counts per fault kind are kept in ``counts``; ``max_active`` is the most batch requests in flight at once.
"""

from __future__ import annotations

import contextlib
import http.client
import random
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

FAULTS = ("reset", "e500", "e503", "timeout", "slow", "html200", "truncated", "lost")
NGINX_413 = (b"<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n"
             b"<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n"
             b"</body>\r\n</html>\r\n")
CAPTIVE_PAGE = (b"<!DOCTYPE html><html><head><title>Welcome to Venue Wi-Fi</title></head>"
                b"<body><form action='/login'>Accept the terms to get online <button>OK</button></form></body></html>")


def schedule(per_fault: int, passes: int, seed: int = 4, faults: Iterable[str] = FAULTS) -> list[str]:
    kinds = [k for k in faults for _ in range(per_fault)] + ["pass"] * passes
    random.Random(seed).shuffle(kinds)
    return kinds


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that went away mid-request is part of the test, not news


class FaultProxy:
    def __init__(self, upstream: str, kinds: list[str] | None = None, *, hold_s: float = 1.0,
                 slow_s: float = 0.15, other_kind: str = "pass", batch_delay_s: float = 0.0,
                 max_body: int | None = None) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.kinds = list(kinds or [])
        self.hold_s = hold_s
        self.slow_s = slow_s
        self.other_kind = other_kind
        self.batch_delay_s = batch_delay_s
        self.max_body = max_body
        self.counts: Counter[str] = Counter()
        self.requests: Counter[str] = Counter()
        self.active = 0
        self.max_active = 0
        self.held = threading.Event()
        self.release = threading.Event()
        self.chooser: Callable[[int], str] | None = None
        self._lock = threading.Lock()
        self._n = 0
        proxy = self

        class Handler(_Handler):
            owner = proxy

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def next_kind(self, is_batch: bool) -> str:
        with self._lock:
            if not is_batch:
                self.requests["other"] += 1
                return self.other_kind
            self.requests["batch"] += 1
            if self.chooser is not None:
                kind = self.chooser(self._n)
            elif self.kinds:
                kind = self.kinds[self._n % len(self.kinds)]
            else:
                kind = "pass"
            self._n += 1
            self.counts[kind] += 1
            return kind


class _Handler(BaseHTTPRequestHandler):
    owner: FaultProxy
    protocol_version = "HTTP/1.1"
    upstream_conn: http.client.HTTPConnection | None = None

    def log_message(self, *_args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        self._handle()

    def do_POST(self) -> None:  # noqa: N802
        self._handle()

    def _reset(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        self.close_connection = True

    def _answer(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _forward(self, body: bytes | None) -> tuple[int, list[tuple[str, str]], bytes]:
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        for attempt in (1, 2):
            if self.upstream_conn is None:
                self.upstream_conn = http.client.HTTPConnection(*self.owner.upstream, timeout=60)
            try:
                self.upstream_conn.request(self.command, self.path, body=body, headers=headers)
                answer = self.upstream_conn.getresponse()
                data = answer.read()
                return answer.status, answer.getheaders(), data
            except (OSError, http.client.HTTPException):
                self.upstream_conn.close()
                self.upstream_conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _relay(self, status: int, headers: list[tuple[str, str]], data: bytes, cut: bool = False) -> None:
        self.send_response_only(status)
        for name, value in headers:
            if name.lower() not in ("connection", "transfer-encoding", "content-length", "date", "server"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[: len(data) // 2] if cut else data)
        self.wfile.flush()
        if cut:
            self.close_connection = True

    def _handle(self) -> None:
        owner = self.owner
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        is_batch = self.command == "POST" and self.path.endswith("/batches")
        kind = owner.next_kind(is_batch)
        if is_batch:
            with owner._lock:
                owner.active += 1
                owner.max_active = max(owner.max_active, owner.active)
        try:
            if is_batch and owner.batch_delay_s:
                time.sleep(owner.batch_delay_s)
            if owner.max_body is not None and body is not None and len(body) > owner.max_body:
                with owner._lock:
                    owner.counts["e413"] += 1
                self._answer(413, NGINX_413, "text/html")
                return
            self._apply(kind, body)
        except OSError:  # the client went away (killed, or gave up after its read timeout)
            self.close_connection = True
        finally:
            if is_batch:
                with owner._lock:
                    owner.active -= 1

    def _apply(self, kind: str, body: bytes | None) -> None:
        owner = self.owner
        if kind == "reset":
            self._reset()
        elif kind == "e500":
            self._answer(500, b'{"error":"internal_error","message":"The server failed; the error was logged."}',
                         "application/json")
        elif kind == "e503":
            self._answer(503, b"<html><body><h1>503 Service Unavailable</h1></body></html>", "text/html")
        elif kind == "html200":
            self._answer(200, CAPTIVE_PAGE, "text/html; charset=utf-8")
        elif kind == "stall":
            owner.held.set()
            owner.release.wait(30)
            self._reset()
        elif kind == "timeout":
            time.sleep(owner.hold_s)
            self._reset()
        elif kind in ("lost", "truncated", "slow", "hold", "pass"):
            status, headers, data = self._forward(body)
            if kind == "lost":
                self._reset()
            elif kind == "truncated":
                self._relay(status, headers, data, cut=True)
            elif kind == "hold":
                owner.held.set()
                owner.release.wait(30)
                self._reset()
            else:
                if kind == "slow":
                    time.sleep(owner.slow_s)
                self._relay(status, headers, data)
        else:
            raise ValueError(f"unknown fault {kind!r}")
