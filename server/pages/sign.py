"""The petition online: crowd mode's phone page (``db/crowd/app.py``: the same templates, stylesheet and
signer catalogue) served by the central server at ``/s/<campaign-slug>`` for every open campaign, for
phones with mobile data.

* ``GET /s/{slug}``: the letter and the form, in ``?lang=``, the browser's language or the campaign's
  default (en/ar/de; Arabic right to left). An unknown slug says so (404), a closed campaign too (410),
  and a page the operator paused (``petition-server pause-web SLUG``) as well (503).
* ``POST /s/{slug}``: a signature. The form's token (an HMAC, with a key derived from the server's
  CSRF secret so every worker checks the others' forms, over the slug, the signature id made when the
  form was served and an expiry) is its CSRF token and its idempotency key; a form a browser marks as
  cross-site, larger than ``db.crowd.app.MAX_BODY_BYTES`` or with the honeypot filled in is refused.
  Stored through ``server/web_sign.py`` (mode ``web``, the campaign's pseudo-device, sealed on arrival
  when the campaign seals).
* **Rate limits** (``server.ratelimit``, in the database, so they hold across workers and hosts):
  every POST counts against its client address (``WEB_SIGN_PER_IP_PER_MINUTE``: generous, phones on
  mobile data share carrier addresses) and, while that address is within its own limit, overall
  (``WEB_SIGN_PER_MINUTE``). Past the overall limit only addresses that already sent a form in this
  window wait: an address that has not is always let through, so a flood from some addresses locks
  no one else out.
* **Opening the page** (every GET under ``/s/``) is limited per client address in each worker's memory
  (``ratelimit.TokenBuckets``: ``WEB_PAGE_BURST`` at once, ``WEB_PAGE_PER_IP_PER_MINUTE`` a minute
  after that; answered 429 with Retry-After): cheap enough for a crowd, never counted in the database,
  and one address's bucket never touches another's. What a GET reads from the database (the
  campaign's newest version, closed, paused) is kept ``CURRENT_TTL_S`` per process; a POST always
  reads it afresh, so a form sent after closing or pausing is refused at once.
* Every answer gets the server's strict headers (``server/web.py``: CSP without scripts, framing
  forbidden, ``no-store`` under ``/s/``).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

from fastapi import Request
from fastapi.responses import FileResponse, Response
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.routing import Route

from db import signatures, signer_text
from db.campaigns import Campaign as Bundle
from db.crowd import app as phone
from db.fields import SLUG_PATTERN
from db.schemas import Mode, SignatureCreate
from db.sealing import SealingUnavailable
from db.signer_text import N_
from db.wire import Outcome
from server import ratelimit, web, web_sign
from server.pages.deps import limits

log = logging.getLogger("petition_server.web")

WEB_SIGN_PER_IP_PER_MINUTE = 20
WEB_SIGN_PER_MINUTE = 6000
# Opening the page: per client address and worker process. Generous: a carrier's address may be shared
# by many phones, and a page opened costs no database work beyond CURRENT_TTL_S.
WEB_PAGE_PER_IP_PER_MINUTE = 120
WEB_PAGE_BURST = 60
CURRENT_TTL_S = 1.0

NOT_FOUND_TITLE = N_("Petition not found")
NOT_FOUND_TEXT = N_("There is no petition at this address. Check the link.")
CLOSED_TITLE = N_("This petition is closed")
CLOSED_TEXT = N_("It no longer takes signatures. Thank you for your support.")
PAUSED_TITLE = N_("Signing is paused")
NO_KEY_TEXT = N_("This petition must encrypt your details and the server has no key for it yet. "
                 "Please try again later.")
PAUSED_TEXT = N_("Signing on this page is paused for now. Please try again later.")
NOT_SAVED = N_("Your signature could not be saved. Nothing you typed is lost: please try again, "
               "or tell a volunteer.")

_SLUG_MAX = 63
_SLUG = re.compile(SLUG_PATTERN.removeprefix("^").removesuffix("$"))


@dataclass
class WebPage:
    """One campaign version's page (a ``db.crowd.app.PageSource``): its empty form and thank-you page
    are rendered once per language and process."""

    campaign: Bundle
    token: str  # the slug: the address's last part, bound into every form token
    form_secret: bytes = field(repr=False)
    root: str = ""  # the path the site is served under behind a proxy (``root_path``), before /s/<slug>
    clock: Callable[[], float] = time.time
    empty_pages: dict[str, str] = field(default_factory=dict, repr=False)


_pages: dict[tuple[str, int, str, str], WebPage] = {}


def form_secret(request: Request) -> bytes:
    """The forms' HMAC key: derived from the CSRF secret (``server.web.csrf_secret``, in the database),
    so a form served by one worker signs on another, and apart from the other forms' tokens."""
    csrf = cast(bytes, request.app.state.csrf_secret)
    return hmac.new(csrf, b"web-sign-form", hashlib.sha256).digest()


_recent: dict[str, tuple[float, web_sign.Current | None]] = {}
_RECENT_MAX = 1000  # slugs remembered; an unknown slug is remembered too (a scan must not cost a query each)


def _current(engine: Engine | None, slug: str) -> tuple[bool, web_sign.Current | None]:
    """(known, the campaign's newest version): as read within the last CURRENT_TTL_S, else read now.
    Without ``engine`` nothing is read: (False, None) when this process has no fresh reading."""
    now = time.monotonic()
    seen = _recent.get(slug)
    if seen is not None and now - seen[0] < CURRENT_TTL_S:
        return True, seen[1]
    if engine is None:
        return False, None
    with Session(engine) as session:
        found = web_sign.current(slug, session=session)
    _remember(slug, found, now)
    return True, found


def _remember(slug: str, found: web_sign.Current | None, now: float) -> None:
    if len(_recent) >= _RECENT_MAX:
        _recent.clear()
    _recent[slug] = (now, found)


def _asked_language(request: Request) -> str:
    """The language of an answer that names no campaign: ``?lang=``, else the browser's."""
    return signer_text.choose_language(request.query_params.get("lang"), request.headers.get("accept-language"))


def _valid_slug(slug: str) -> bool:
    return len(slug) <= _SLUG_MAX and _SLUG.fullmatch(slug) is not None


def _opening(request: Request, engine: Engine | None, slug: str, *,
             admitted: web_sign.Admission | None = None) -> WebPage | Response | None:
    """The open campaign's page, or the answer for an unknown or closed one (``admitted``: the
    campaign as the POST's one transaction read it, afresh). Without ``engine``: from this process's
    memory alone, or None when the database must be read (a GET then goes to the thread pool)."""
    lang = _asked_language(request)
    found = None
    if _valid_slug(slug):
        if admitted is not None:
            found = admitted.found
        else:
            known, found = _current(engine, slug)
            if not known:
                return None
        if found is not None and not found.closed and not found.paused:
            root = str(request.scope.get("root_path", ""))
            key = (found.slug, found.version, found.bundle_sha256, root)
            page = _pages.get(key)
            if page is None:
                if engine is None:
                    return None
                with Session(engine) as session:
                    bundle = web_sign.bundle_of(found, session=session)
                page = _pages[key] = WebPage(bundle, slug, form_secret(request), root=root)
            return page
    if found is not None and found.paused and not found.closed:
        return phone.message_page(None, lang, 503, signer_text.translate(lang, PAUSED_TITLE),
                                  signer_text.translate(lang, PAUSED_TEXT))
    if found is None:
        return phone.message_page(None, lang, 404, signer_text.translate(lang, NOT_FOUND_TITLE),
                                  signer_text.translate(lang, NOT_FOUND_TEXT))
    return phone.message_page(None, lang, 410, signer_text.translate(lang, CLOSED_TITLE),
                              signer_text.translate(lang, CLOSED_TEXT))


async def _opened(request: Request, slug: str) -> WebPage | Response:
    """``_opening`` for a GET: from memory when it can (no trip to the thread pool), else read."""
    opened = _opening(request, None, slug)
    if opened is None:
        opened = await run_in_threadpool(_opening, request, _engine(request), slug)
    assert opened is not None  # with an engine it always answers
    return opened


def _engine(request: Request) -> Engine:
    return cast(Engine, request.app.state.engine)


def _language(page: WebPage, request: Request) -> str:
    return phone.page_language(page.campaign, request.query_params.get("lang"), request.headers.get("accept-language"))


_page_buckets = ratelimit.TokenBuckets(WEB_PAGE_PER_IP_PER_MINUTE, WEB_PAGE_BURST)


def _too_many_opened(request: Request) -> Response | None:
    wait = _page_buckets.take(web.client_address(request))
    if wait is None:
        return None
    lang = _asked_language(request)
    return phone.busy_page(None, lang, wait)


# The petition's routes are plain Starlette routes (``install``), not FastAPI's: they take the request
# and nothing else, and FastAPI's dependency solving and parameter checks were a tenth of a web
# signature's CPU time (py-spy, bench web-sign). They run on the event loop and go to the thread pool
# once, only for what touches the database.


async def petition(request: Request) -> Response:
    refused = _too_many_opened(request)
    if refused is not None:
        return refused
    opened = await _opened(request, request.path_params["slug"])
    if isinstance(opened, Response):
        return opened
    return phone.render_page(opened, _language(opened, request))


async def stylesheet(request: Request) -> Response:
    return FileResponse(phone.stylesheet_path(), media_type="text/css")


async def photo(request: Request) -> Response:
    opened = await _opened(request, request.path_params["slug"])
    if isinstance(opened, Response):
        return opened
    path = opened.campaign.photo_path
    if path is None or not path.is_file():
        return Response(status_code=404)
    return FileResponse(path)


async def no_icon(request: Request) -> Response:
    """Phones ask for it by themselves on the petition's page (which names no icon): nothing, not a 404."""
    return Response(status_code=204)


async def sign(request: Request) -> Response:
    # The form is read first (the server's guard has it in memory already: nothing waits on the phone
    # here); then one trip to the thread pool does the rest (each trip wakes a thread, a measurable part
    # of a POST's CPU time).
    slug = request.path_params["slug"]
    body = await phone.read_form_body(request)
    return await run_in_threadpool(_sign, request, slug, body)


def _sign(request: Request, slug: str, body: bytes | None | object) -> Response:
    """A form sent: counted, checked, built, sealed and stored, and the page that answers it."""
    engine = _engine(request)
    admitted = None
    if _valid_slug(slug):
        # One transaction: the campaign read afresh (a form sent after closing or pausing is refused at
        # once) and, if it is open, every form sent counted before it is read (a signature is what this
        # limit is for) and the sealing key read.
        attempts = limits(request, "web-sign", WEB_SIGN_PER_IP_PER_MINUTE, WEB_SIGN_PER_MINUTE)
        try:
            admitted = web_sign.admit(engine, slug, attempts)
        except _DATABASE_ERRORS as exc:
            log.error("a web signature could not be counted: %s", type(exc).__name__)
            return _not_saved(request, slug, body)
        _remember(slug, admitted.found, time.monotonic())
    opened = _opening(request, engine, slug, admitted=admitted)
    assert opened is not None  # with an engine it always answers
    if isinstance(opened, Response):
        return opened
    page = opened
    if admitted is not None and admitted.wait is not None:
        return phone.busy_page(page, _language(page, request), admitted.wait)
    sent = phone.submission_of(page, request, body)
    if isinstance(sent, phone.Refused):
        return sent.response
    lang = sent.lang
    receipt_secret = signatures.new_receipt_secret()
    record = phone.build_signature(page, sent, mode=Mode.WEB, event_id=None, receipt_secret=receipt_secret)
    if not isinstance(record, SignatureCreate):
        return record
    try:
        stored = web_sign.store(engine, record, page.campaign, admitted=admitted)
    except SealingUnavailable:
        log.error("a web signature for %s could not be sealed: the server has no active sealing key", slug)
        return phone.message_page(page, lang, 503, signer_text.translate(lang, PAUSED_TITLE),
                                  signer_text.translate(lang, NO_KEY_TEXT))
    except _DATABASE_ERRORS as exc:
        log.error("a web signature could not be saved: %s", type(exc).__name__)
        sent.state.banner = signer_text.translate(lang, NOT_SAVED)
        return phone.render_page(page, lang, sent.state, status=503)
    if stored.outcome is Outcome.CAMPAIGN_CLOSED:
        return phone.message_page(None, lang, 410, signer_text.translate(lang, CLOSED_TITLE),
                                  signer_text.translate(lang, CLOSED_TEXT))
    receipt = None
    if not stored.already:
        root = request.scope.get("root_path", "")
        receipt = f"{root}/receipt/{record.id}?k={receipt_secret}&lang={lang}"
    return phone.thanks_page(page, lang, receipt, online=True)


# The database failing or out of reach (the driver's own errors arrive as SQLAlchemy's: server.database).
_DATABASE_ERRORS = (DBAPIError, sqlite3.Error, OSError)


def _not_saved(request: Request, slug: str, body: bytes | None | object) -> Response:
    """The database failed before the form was counted: the form again with what was typed and a
    banner, from the page this process has in memory, else a message (the phone's Back keeps the form)."""
    opened = _opening(request, None, slug)
    lang = _asked_language(request)
    if isinstance(opened, WebPage):
        sent = phone.submission_of(opened, request, body)
        if isinstance(sent, phone.Refused):
            return sent.response
        sent.state.banner = signer_text.translate(sent.lang, NOT_SAVED)
        return phone.render_page(opened, sent.lang, sent.state, status=503)
    return phone.message_page(None, lang, 503, signer_text.translate(lang, PAUSED_TITLE),
                              signer_text.translate(lang, NOT_SAVED))


routes = [
    Route("/s/{slug}", petition, methods=["GET", "HEAD"]),
    Route("/s/{slug}", sign, methods=["POST"]),
    Route("/s/{slug}/phone.css", stylesheet, methods=["GET", "HEAD"]),
    Route("/s/{slug}/photo", photo, methods=["GET", "HEAD"]),
    Route("/favicon.ico", no_icon, methods=["GET", "HEAD"]),
]
