"""Pushing a partner's signers into its Action Network petition (``petition-server push actionnetwork``).

Each signer who ticked the partner's opt-in (server/partners.py's ``partner_signers``: not withdrawn,
voided or erased) is recorded through Action Network's record signature helper::

    POST {endpoint}petitions/{petition id}/signatures/      header OSDI-API-Token: <the partner's key>
    {"person": {"given_name", "family_name", "email_addresses": [{"address"}],
                "postal_addresses": [{"postal_code", "locality", "country"}],
                "custom_fields": {"petition_kiosk_signed_at", "petition_kiosk_receipt_id",
                                  "petition_kiosk_campaign"}},
     "add_tags": [--tag ...]}

(https://actionnetwork.org/docs/v2/record_signature_helper; tests/server/fixtures/actionnetwork/ keeps
the documented example request and answer.) The helper stamps its own time on a signature and lets none
be given, so the real signing time travels in the custom field ``petition_kiosk_signed_at``.

Idempotent and resumable, by ids only (table ``partner_push``): a signature's row says ``sending``
(committed before its request) and then ``sent`` (with the signature's id there). A run skips ``sent``
rows and resends ``sending`` ones: a crash after Action Network recorded a signature but before the
answer was stored leaves ``sending``, and resending it is safe because Action Network documents that
the helper matches people by e-mail address (an existing person is updated, not created again) and that
signatures are deduplicated by person: "a specific person can only sign a given petition once". That
is why signers without an e-mail address are not pushed (nothing would match them on a resend).

Pace: Action Network limits an API key to 4 calls per second; requests start at least
``MIN_INTERVAL_S`` apart. 429 and 5xx (and a dropped connection) are retried with exponential backoff,
honouring Retry-After, a bounded number of times; any other 4xx stops the run with a report naming the
signature id, the status and Action Network's message (with the signer's own values blanked out). The
API key is never logged, printed or stored.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
from nacl.public import PrivateKey
from sqlmodel import Session, col, select

from db.schemas import as_utc
from server import partners, voids
from server.database import write_session
from server.models import PartnerErasure, PartnerPush, Withdrawal, utcnow

DEFAULT_ENDPOINT = "https://actionnetwork.org/api/v2/"
TOKEN_HEADER = "OSDI-API-Token"
MIN_INTERVAL_S = 0.25  # the documented limit: 4 calls per second per API key
MAX_ATTEMPTS = 8  # per signature and run, for 429, 5xx and dropped connections
BACKOFF_BASE_S = 0.5
BACKOFF_MAX_S = 60.0
TIMEOUT_S = 30.0
SIGNED_AT_FIELD = "petition_kiosk_signed_at"
RECEIPT_FIELD = "petition_kiosk_receipt_id"
CAMPAIGN_FIELD = "petition_kiosk_campaign"
SENDING, SENT = "sending", "sent"
PETITION_ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}"
_LOOPBACK = {"127.0.0.1", "::1", "localhost"}
_EMAIL_LIKE = re.compile(r"\S+@\S+")


class PushError(Exception):
    """The push cannot start as asked (the message says why, without signer data or the key)."""


@dataclass
class PushReport:
    partner: str
    petition_id: str
    signers: int = 0  # who opted in to the partner and may be pushed
    sent: int = 0  # recorded in this run
    already_sent: int = 0  # recorded by an earlier run
    resent: int = 0  # of those sent now, left "sending" by an interrupted run
    without_email: int = 0  # opted in but gave no e-mail address: not pushed
    not_opened: int = 0  # sealed signatures that did not open
    retries: int = 0  # 429, 5xx or dropped connections retried
    stopped: str | None = None  # why the run stopped before the end (no signer data)
    remaining: int = 0  # not recorded when it stopped
    warnings: list[str] = field(default_factory=list)


def signatures_url(endpoint: str, petition_id: str) -> str:
    return f"{endpoint.rstrip('/')}/petitions/{quote(petition_id, safe='')}/signatures/"


def check_endpoint(endpoint: str) -> str:
    """``endpoint`` when the key and the signers' details may go there: https, or http to this host only."""
    parts = urlsplit(endpoint)
    if parts.scheme == "https" and parts.hostname:
        return endpoint
    if parts.scheme == "http" and parts.hostname in _LOOPBACK:
        return endpoint
    raise PushError("the endpoint must be an https:// URL (http:// only to this host, for tests)")


def signature_payload(signer: partners.PartnerSigner, tags: list[str]) -> dict[str, Any] | None:
    """The helper's request body for one signer; None when they gave no e-mail address."""
    values, sig = signer.values, signer.signature
    email = (values.get("email") or "").strip()
    if not email:
        return None
    person: dict[str, Any] = {"email_addresses": [{"address": email}]}
    for name in ("given_name", "family_name"):
        if values.get(name):
            person[name] = values[name]
    address = {key: values[name] for key, name in (("postal_code", "postal_code"), ("locality", "city"),
                                                   ("country", "country")) if values.get(name)}
    if address:
        person["postal_addresses"] = [address]
    person["custom_fields"] = {
        SIGNED_AT_FIELD: as_utc(sig.created_at).strftime("%Y-%m-%dT%H:%M:%SZ"),
        RECEIPT_FIELD: sig.id,
        CAMPAIGN_FIELD: sig.campaign_slug,
    }
    body: dict[str, Any] = {"person": person}
    if tags:
        body["add_tags"] = list(tags)
    return body


def remote_id(answer: Any) -> str | None:
    """The signature's id in an answer of the helper (``action_network:<uuid>``), None when it has none."""
    if not isinstance(answer, dict):
        return None
    for ident in answer.get("identifiers") or ():
        if isinstance(ident, str) and ident.startswith("action_network:"):
            return ident[:200]
    return None


def retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _api_message(response: httpx.Response, payload: Mapping[str, Any]) -> str:
    """Action Network's error message ({"error": ...} or similar), the signer's own values blanked out."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        text = str(body.get("error") or body.get("errors") or body.get("message") or body)
    else:
        text = response.text
    text = " ".join(text.split())[:300]
    person = payload.get("person", {})
    own = [person.get("given_name"), person.get("family_name"),
           *(a.get("address") for a in person.get("email_addresses", [])),
           *(v for a in person.get("postal_addresses", []) for v in a.values())]
    for value in sorted(filter(None, own), key=len, reverse=True):
        text = text.replace(str(value), "[…]")
    return _EMAIL_LIKE.sub("[…]", text) or "(no message)"


class _Pacer:
    def __init__(self, interval: float, sleep: Callable[[float], None], clock: Callable[[], float]) -> None:
        self.interval, self.sleep, self.clock = interval, sleep, clock
        self.last: float | None = None

    def wait(self, at_least: float = 0.0) -> None:
        now = self.clock()
        due = max(now + at_least, (self.last + self.interval) if self.last is not None else now)
        if due > now:
            self.sleep(due - now)
        self.last = self.clock()


def _state(session: Session, slug: str, petition_id: str) -> dict[tuple[str, str], str]:
    return {(s, d): st for s, d, st in session.exec(
        select(PartnerPush.signature_id, PartnerPush.device_id, PartnerPush.state)
        .where(PartnerPush.partner_slug == slug, PartnerPush.petition_id == petition_id)).all()}


def _still_wanted(session: Session, slug: str, sig_id: str, device_id: str) -> bool:
    """Not withdrawn, voided or erased since the run began (a run at 4 a second can last an hour): the
    selection's own rule (partners.partner_signers), asked again of one signature."""
    if session.get(Withdrawal, sig_id) is not None:
        return False
    if session.exec(voids.owned_void_of(sig_id, device_id)).first() is not None:
        return False
    return session.exec(select(PartnerErasure.signature_id).where(
        PartnerErasure.signature_id == sig_id, PartnerErasure.device_id == device_id,
        col(PartnerErasure.partner_slug).in_([slug, partners.ALL_PARTNERS]))).first() is None


def _mark(engine: Any, slug: str, petition_id: str, sig_id: str, device_id: str, state: str,
          remote: str | None = None, *, attempts: int = 0, share: bool = False) -> None:
    now = utcnow()
    with write_session(engine) as session:
        row = session.get(PartnerPush, (sig_id, device_id, slug, petition_id))
        if row is None:
            row = PartnerPush(signature_id=sig_id, device_id=device_id, partner_slug=slug, petition_id=petition_id,
                              state=state)
        row.state, row.updated_at = state, now
        row.attempts += attempts
        if remote is not None:
            row.remote_id = remote
        session.add(row)
        if share:  # before the request: an erase must name this partner even if the answer never comes
            partners.record_shares(session, slug, [(sig_id, device_id)], now)
        session.commit()


def push(engine: Any, *, partner_slug: str, petition_id: str, api_key: str, endpoint: str = DEFAULT_ENDPOINT,
         tags: list[str] | None = None, keys: Mapping[str, PrivateKey] | None = None,
         client: httpx.Client | None = None, sleep: Callable[[float], None] = time.sleep,
         clock: Callable[[], float] = time.monotonic, min_interval: float = MIN_INTERVAL_S,
         progress: Callable[[PushReport], None] | None = None) -> PushReport:
    """Record every not yet recorded signer of partner ``partner_slug`` in Action Network petition
    ``petition_id``. Raises PushError before any request when it cannot start; a stop mid-way is in
    the report (``stopped``), and a later run goes on from there."""
    if not re.fullmatch(PETITION_ID_PATTERN, petition_id):
        raise PushError("not an Action Network petition id (letters, digits, - and _)")
    check_endpoint(endpoint)
    if not api_key or any(c.isspace() for c in api_key):
        raise PushError("the API key file is empty or holds more than one key")
    tags = list(tags or [])
    report = PushReport(partner_slug, petition_id)
    with Session(engine) as session:
        partner = partners.published_partners(session=session).get(partner_slug)
        if partner is None:
            raise PushError(f"no published campaign names a partner {partner_slug!r}")
        states = _state(session, partner_slug, petition_id)
        todo: list[tuple[str, str, dict[str, Any], bool]] = []  # (id, device, body, resend)
        for found in partners.partner_signers(session, partner, keys or {}):
            if found is None:
                report.not_opened += 1
                continue
            report.signers += 1
            sig = found.signature
            state = states.get((sig.id, sig.device_id))
            if state == SENT:
                report.already_sent += 1
                continue
            body = signature_payload(found, tags)
            if body is None:
                report.without_email += 1
                continue
            todo.append((sig.id, sig.device_id, body, state == SENDING))
    url = signatures_url(endpoint, petition_id)
    headers = {TOKEN_HEADER: api_key, "Content-Type": "application/json", "Accept": "application/hal+json"}
    own_client = client is None
    http = client or httpx.Client(timeout=TIMEOUT_S, follow_redirects=False)
    pacer = _Pacer(min_interval, sleep, clock)
    try:
        for index, (sig_id, device_id, body, resend) in enumerate(todo):
            with Session(engine) as session:
                if not _still_wanted(session, partner_slug, sig_id, device_id):
                    continue
            _mark(engine, partner_slug, petition_id, sig_id, device_id, SENDING, share=True)
            recorded, attempts, why = _send(http, url, headers, body, pacer, report)
            if recorded is None:  # stays "sending": the next run sends it again (safe: see the module's text)
                report.stopped = f"signature {sig_id}: {why}"
                report.remaining = len(todo) - index
                _mark(engine, partner_slug, petition_id, sig_id, device_id, SENDING, attempts=attempts)
                break
            _mark(engine, partner_slug, petition_id, sig_id, device_id, SENT, recorded, attempts=attempts)
            report.sent += 1
            report.resent += resend
            if progress is not None:
                progress(report)
    finally:
        if own_client:
            http.close()
    return report


def _send(http: httpx.Client, url: str, headers: dict[str, str], body: dict[str, Any], pacer: _Pacer,
          report: PushReport) -> tuple[str | None, int, str]:
    """(the signature's id there or None, requests made, why it stopped: no signer data in it)."""
    wait = 0.0
    for attempt in range(1, MAX_ATTEMPTS + 1):
        pacer.wait(wait)
        try:
            response = http.post(url, json=body, headers=headers)
        except httpx.TransportError as exc:
            why, wait = f"no answer ({type(exc).__name__})", _backoff(attempt)
        else:
            status = response.status_code
            if 200 <= status < 300:
                try:
                    answer = response.json()
                except ValueError:
                    answer = None
                found = remote_id(answer)
                if found is None:  # the helper answers an empty object when it took nothing in
                    return None, attempt, (f"Action Network answered {status} without the signature it recorded "
                                           f"({_api_message(response, body)}): check the petition id and the key")
                return found, attempt, ""
            if status != 429 and status < 500:
                return None, attempt, f"Action Network refused it: HTTP {status}: {_api_message(response, body)}"
            why = f"HTTP {status}"
            told = retry_after(response.headers.get("Retry-After"))
            wait = min(BACKOFF_MAX_S, told) if told is not None else _backoff(attempt)
        if attempt < MAX_ATTEMPTS:
            report.retries += 1
    return None, MAX_ATTEMPTS, f"gave up after {MAX_ATTEMPTS} attempts (last: {why}); run the command again later"


def _backoff(attempt: int) -> float:
    return float(min(BACKOFF_MAX_S, BACKOFF_BASE_S * 2 ** (attempt - 1)))
