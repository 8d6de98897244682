"""A contract double of Action Network's record signature helper: a real HTTP server on 127.0.0.1,
built from the documented example request and answer (tests/server/fixtures/actionnetwork/).

It accepts ``POST /api/v2/petitions/{id}/signatures/`` with the ``OSDI-API-Token`` header and a body
made only of the fields the documented example uses (plus ``custom_fields``, documented for people, and
``triggers``); anything else is a 400 and a shape error the test asserts away. Like Action Network it
matches people by e-mail address and records one signature per person and petition (a second POST for
the same person answers the same signature). It can throttle (429, the first with Retry-After), fail
(503), refuse chosen addresses (400 with a message naming the address, as a real error may), answer
``{}`` for chosen ones (as to an unauthenticated POST, whatever happened) and hold a
chosen address's request open until released (for a kill mid-request)."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "actionnetwork"
EXAMPLE_REQUEST: dict[str, Any] = json.loads((FIXTURES / "record_signature_request.json").read_text())
EXAMPLE_RESPONSE: dict[str, Any] = json.loads((FIXTURES / "record_signature_response.json").read_text())

# What a request may hold: the documented example's fields, and the documented optional ones it leaves out.
TOP_FIELDS = set(EXAMPLE_REQUEST) | {"triggers"}
PERSON_FIELDS = set(EXAMPLE_REQUEST["person"]) | {"custom_fields"}
ADDRESS_FIELDS = {k for a in EXAMPLE_REQUEST["person"]["postal_addresses"] for k in a} | {"locality", "country"}
EMAIL_FIELDS = {k for a in EXAMPLE_REQUEST["person"]["email_addresses"] for k in a}


@dataclass
class Seen:
    at: float
    email: str | None
    status: int
    request: Any  # the request's body as sent


@dataclass
class ActionNetworkDouble:
    api_key: str
    petition_id: str
    throttle_every: int = 0  # every n-th request answers 429 (the first of them with Retry-After: 1)
    fail_every: int = 0  # every n-th request answers 503
    refuse: set[str] = field(default_factory=set)  # addresses answered 400
    hold: str | None = None  # this address's first request is recorded, then held open until released
    blind: set[str] = field(default_factory=set)  # addresses answered 200 {} (a blind POST's answer)
    seen: list[Seen] = field(default_factory=list)
    recorded: dict[tuple[str, str], str] = field(default_factory=dict)  # (email, petition) -> signature id
    requests_per_person: Counter[tuple[str, str]] = field(default_factory=Counter)  # accepted requests
    shape_errors: list[str] = field(default_factory=list)
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _count: int = 0
    _told_retry_after: bool = False

    def emails(self) -> set[str]:
        return {e for e, p in self.recorded if p == self.petition_id}

    def _shape(self, body: Any) -> list[str]:
        errors = []
        if not isinstance(body, dict) or set(body) - TOP_FIELDS:
            return [f"top-level fields {sorted(set(body) - TOP_FIELDS) if isinstance(body, dict) else body!r}"]
        person = body.get("person")
        if not isinstance(person, dict) or set(person) - PERSON_FIELDS:
            return ["person"]
        emails = person.get("email_addresses")
        if not (isinstance(emails, list) and len(emails) == 1 and isinstance(emails[0], dict)
                and not set(emails[0]) - EMAIL_FIELDS and isinstance(emails[0].get("address"), str)):
            errors.append("email_addresses")
        for address in person.get("postal_addresses", []):
            if not isinstance(address, dict) or set(address) - ADDRESS_FIELDS \
                    or not all(isinstance(v, str) for v in address.values()):
                errors.append("postal_addresses")
        for name in ("given_name", "family_name"):
            if name in person and not isinstance(person[name], str):
                errors.append(name)
        custom = person.get("custom_fields", {})
        if not isinstance(custom, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in custom.items()):
            errors.append("custom_fields")
        tags = body.get("add_tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            errors.append("add_tags")
        return errors

    def answer(self, handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, Any], dict[str, str], str | None, Any]:
        path = f"/api/v2/petitions/{self.petition_id}/signatures/"
        email: str | None = None
        request: Any = None
        if handler.path != path:
            return 404, {"error": "Not found"}, {}, email, request
        if handler.headers.get("OSDI-API-Token") != self.api_key:
            return 401, {"error": "API Key invalid or not present"}, {}, email, request
        if not (handler.headers.get("Content-Type") or "").startswith("application/json"):
            return 415, {"error": "JSON only"}, {}, email, request
        length = int(handler.headers.get("Content-Length") or 0)
        try:
            body = json.loads(handler.rfile.read(length))
        except ValueError:
            body = None
        request = body
        errors = self._shape(body)
        email = body["person"]["email_addresses"][0]["address"] if not errors else None
        with self.lock:
            self._count += 1
            n = self._count
        if errors:
            self.shape_errors.extend(errors)
            return 400, {"error": f"bad request: {', '.join(errors)}"}, {}, email, request
        if self.throttle_every and n % self.throttle_every == 0:
            headers = {} if self._told_retry_after else {"Retry-After": "1"}
            self._told_retry_after = True
            return 429, {"error": "You have exceeded the rate limit"}, headers, email, request
        if self.fail_every and n % self.fail_every == 0:
            return 503, {"error": "Service unavailable"}, {}, email, request
        assert email is not None
        if email in self.refuse:
            return 400, {"error": f"Invalid email address {email} for this list"}, {}, email, request
        if email in self.blind:  # what the helper answers when it took nothing in
            return 200, {}, {}, email, request
        key = (email, self.petition_id)
        with self.lock:
            self.requests_per_person[key] += 1
            sig = self.recorded.setdefault(key, str(uuid.uuid4()))  # one signature per person and petition
            first = self.requests_per_person[key] == 1
        if email == self.hold and first:
            self.held.set()
            self.release.wait(30)  # bounded: the test kills the client meanwhile
        out = json.loads(json.dumps(EXAMPLE_RESPONSE))
        out["identifiers"] = [f"action_network:{sig}"]
        out["action_network:petition_id"] = self.petition_id
        out["_links"]["self"]["href"] = f"http://127.0.0.1{path}{sig}"
        return 200, out, {}, email, request

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        at = time.monotonic()
        status, body, headers, email, request = self.answer(handler)
        data = json.dumps(body).encode()
        with self.lock:
            self.seen.append(Seen(at, email, status, request))
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/hal+json")
            handler.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(data)
        except OSError:  # the client was killed while its request was held
            pass


@contextmanager
def running(double: ActionNetworkDouble) -> Iterator[str]:
    """The double on 127.0.0.1 and a free port; yields its API root (like https://actionnetwork.org/api/v2/)."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            double.handle(self)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's name
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/v2/"
    finally:
        double.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
