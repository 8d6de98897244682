"""A man in the middle on 127.0.0.1 for the signed-listing tests: it forwards every request to the
real server and relays its answer, except that it adds listing entries of its own in front of the
server's (``extra_entries``) and serves their bundles itself (``extra_bundles``: (slug, version) ->
zip bytes). What an attacker on a plain-http local network can do."""

from __future__ import annotations

import http.client
import json
import re
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

_BUNDLE = re.compile(r"^/api/v1/campaigns/([^/]+)/versions/(\d+)/bundle$")


class MitmProxy:
    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        # Given the server's entries, the entries to put in front of them (called per listing).
        self.extra_entries: Callable[[list[dict[str, Any]]], list[Any]] = lambda _real: []
        self.extra_bundles: dict[tuple[str, int], bytes] = {}
        self.served: list[str] = []
        proxy = self

        class Handler(_Handler):
            owner = proxy

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> MitmProxy:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Handler(BaseHTTPRequestHandler):
    owner: MitmProxy
    protocol_version = "HTTP/1.1"

    def log_message(self, *_args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        found = _BUNDLE.match(self.path)
        if found and (found[1], int(found[2])) in self.owner.extra_bundles:
            self.owner.served.append(self.path)
            self._answer(200, self.owner.extra_bundles[(found[1], int(found[2]))], "application/zip")
            return
        status, body, ctype = self._forward(b"")
        if self.path == "/api/v1/campaigns" and status == 200:
            listing = json.loads(body)
            listing["campaigns"] = [*self.owner.extra_entries(listing["campaigns"]), *listing["campaigns"]]
            body = json.dumps(listing).encode()
        self._answer(status, body, ctype)

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        self._answer(*self._forward(self.rfile.read(length)))

    def _forward(self, body: bytes) -> tuple[int, bytes, str]:
        conn = http.client.HTTPConnection(*self.owner.upstream, timeout=30)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
            conn.request(self.command, self.path, body=body or None, headers=headers)
            answer = conn.getresponse()
            return answer.status, answer.read(), answer.getheader("Content-Type") or "application/json"
        finally:
            conn.close()

    def _answer(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
