"""The confirmation page (``/confirm/{ref}?k=...``), the link in the message ``petition-server
confirm-emails`` sends (``server.confirm_send``). Public: the link's secret ``k`` is the capability
(``server.confirmations``). GET shows the campaign and the day of signing, nothing else, and changes
nothing (mail scanners open links on their own); POST, with the form's CSRF token bound to the
browser's nonce cookie and the ref, confirms once: a second POST says it was already confirmed. A
wrong secret and an unknown ref get the same answer, counted against the client's failure limits."""

from __future__ import annotations

import logging
from typing import cast

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.engine import Engine
from sqlmodel import Session

from db.signer_text import N_, translate
from server import confirmations, ratelimit, web
from server.database import write_session
from server.models import utcnow
from server.pages.deps import CsrfKey, EngineDep, limits, too_many

log = logging.getLogger("petition_server.web")

router = APIRouter(include_in_schema=False)

CONFIRM_PER_IP_PER_MINUTE = 30
CONFIRM_PER_MINUTE = 600

TITLE = N_("Confirm your signature")
NOT_A_LINK = N_("This is not a confirmation link. Check that the whole link was copied.")
ALREADY = N_("This signature was already confirmed.")
EXPIRED = N_("This page was open too long or your browser did not send back its cookie. "
             "Open the link in the message again and try once more.")


def link_key(request: Request) -> bytes:
    return cast(bytes, request.app.state.confirm_key)


def _page(request: Request, secret: bytes, found: confirmations.Pending, lang: str, key: str, status: int = 200,
          problem: str | None = None) -> HTMLResponse:
    nonce, new = web.form_nonce(request)
    page = web.render(
        request, "confirm.html", status, lang=lang, c=found, key=key, problem=problem,
        languages=web.LANGUAGE_NAMES, signed_on=web.day(found.signed_at), confirmed_on=web.day(found.confirmed_at),
        csrf=web.make_token(secret, "confirm", f"{found.ref}|{nonce}", utcnow() + web.FORM_TTL),
    )
    if new:
        web.set_nonce(page, request, nonce)
    return page


def _find(request: Request, engine: Engine, ref: str, key: str | None) -> tuple[str, confirmations.Pending] | Response:
    lang = web.choose_language(request)
    failures = limits(request, "confirm", CONFIRM_PER_IP_PER_MINUTE, CONFIRM_PER_MINUTE)
    wait = ratelimit.wait_before(engine, failures)
    if wait is not None:
        return too_many(request, wait, translate(lang, web.TOO_MANY), lang)
    with Session(engine) as session:
        found = confirmations.find(ref, link_key(request), key, session=session, lang=lang)
    if found is None:
        ratelimit.count_failure(engine, failures)
        return web.error_page(request, 404, translate(lang, TITLE), translate(lang, NOT_A_LINK), lang=lang)
    return lang, found


@router.get("/confirm/{ref}")
def confirmation(ref: str, request: Request, engine: EngineDep, secret: CsrfKey) -> Response:
    key = web.receipt_key(request.query_params.get("k"))
    opened = _find(request, engine, ref, key)
    if isinstance(opened, Response):
        return opened
    lang, found = opened
    assert key is not None
    return _page(request, secret, found, lang, key)


@router.post("/confirm/{ref}")
async def confirm(ref: str, request: Request, engine: EngineDep, secret: CsrfKey) -> Response:
    lang = web.choose_language(request)
    try:
        form = await web.read_form(request)
    except web.FormRefused as exc:
        return web.error_page(request, exc.status, translate(lang, TITLE), translate(lang, EXPIRED), lang=lang)
    key = web.receipt_key(form.get("k"))
    opened = _find(request, engine, ref, key)
    if isinstance(opened, Response):
        return opened
    lang, found = opened
    assert key is not None
    binding = f"{found.ref}|{request.cookies.get(web.NONCE_COOKIE, '')}"
    if not web.check_token(secret, "confirm", binding, form.get("csrf")):
        return _page(request, secret, found, lang, key, 403, translate(lang, EXPIRED))
    keep_informed = form.get("choice") == "inform" and found.offer_updates
    with write_session(engine) as session:
        _when, made = confirmations.confirm(found.ref, keep_informed, session=session)
        session.commit()
    with Session(engine) as session:
        now = confirmations.find(ref, link_key(request), key, session=session, lang=lang)
    assert now is not None
    if made:
        log.info("a signature was confirmed on its confirmation page")
    return _page(request, secret, now, lang, key, 200, None if made else translate(lang, ALREADY))
