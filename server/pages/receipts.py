"""The signer's receipt page (``/receipt/{id}``) and withdrawing a signature from it. Public: the
receipt secret ``k`` is the capability (``server.withdrawals``)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.engine import Engine
from sqlmodel import Session

from db.signer_text import translate
from server import ratelimit, web, withdrawals
from server.database import write_session
from server.models import utcnow
from server.pages.deps import CsrfKey, EngineDep, limits, too_many

log = logging.getLogger("petition_server.web")

router = APIRouter(include_in_schema=False)


def receipt_failures(request: Request) -> ratelimit.Limits:
    """Asking for a receipt without its secret (an id alone, a wrong secret, an unknown id) is a failure:
    ids are not secrets, and this keeps anyone from walking through them."""
    return limits(request, "receipt", web.RECEIPT_PER_IP_PER_MINUTE, web.RECEIPT_PER_MINUTE)


def receipt_page(request: Request, engine: Engine, secret: bytes, signature_id: str, lang: str, key: str | None,
                 status: int = 200, problem: str | None = None, *,
                 failures: ratelimit.Limits | None = None) -> HTMLResponse:
    """The page; with ``failures``, a request without this signature's secret is counted against them."""
    with Session(engine) as session:
        found = withdrawals.receipt(signature_id, session=session, secret=key)
    if failures is not None and not (key and found.arrived):
        ratelimit.count_failure(engine, failures)
    nonce, new = web.form_nonce(request)
    page = web.render(
        request, "receipt.html", status, lang=lang, r=found, problem=problem,
        languages=web.LANGUAGE_NAMES, received_on=web.day(found.received_at),
        withdrawn_on=web.day(found.withdrawn_at),
        csrf=web.make_token(secret, "withdraw", f"{signature_id}|{nonce}", utcnow() + web.FORM_TTL),
        key=key if found.arrived else None,
    )
    if new:
        web.set_nonce(page, request, nonce)
    return page


def _opening(request: Request, engine: Engine, raw_id: str) -> tuple[str, ratelimit.Limits, str] | Response:
    """The page's language, this client's failure limits and the signature id; or the answer when the
    client must wait or the id is not one."""
    lang = web.choose_language(request)
    failures = receipt_failures(request)
    wait = ratelimit.wait_before(engine, failures)
    if wait is not None:
        return too_many(request, wait, translate(lang, web.TOO_MANY), lang)
    signature_id = withdrawals.canonical_id(raw_id)
    if signature_id is None:
        ratelimit.count_failure(engine, failures)
        return web.error_page(request, 404, translate(lang, web.RECEIPT_TITLE),
                              translate(lang, web.NOT_A_RECEIPT), lang=lang)
    return lang, failures, signature_id


@router.get("/receipt/{raw_id}")
def receipt(raw_id: str, request: Request, engine: EngineDep, secret: CsrfKey) -> Response:
    opened = _opening(request, engine, raw_id)
    if isinstance(opened, Response):
        return opened
    lang, failures, signature_id = opened
    return receipt_page(request, engine, secret, signature_id, lang, web.receipt_key(request.query_params.get("k")),
                        failures=failures)


@router.post("/receipt/{raw_id}/withdraw")
async def withdraw(raw_id: str, request: Request, engine: EngineDep, secret: CsrfKey) -> Response:
    opened = _opening(request, engine, raw_id)
    if isinstance(opened, Response):
        return opened
    lang, failures, signature_id = opened
    try:
        form = await web.read_form(request)
    except web.FormRefused:
        return receipt_page(request, engine, secret, signature_id, lang, None, 403, translate(lang, web.FORM_EXPIRED))
    key = web.receipt_key(form.get("k"))
    binding = f"{signature_id}|{request.cookies.get(web.NONCE_COOKIE, '')}"
    if not web.check_token(secret, "withdraw", binding, form.get("csrf")):
        return receipt_page(request, engine, secret, signature_id, lang, key, 403, translate(lang, web.FORM_EXPIRED))
    if form.get("confirm") != "yes":
        return receipt_page(request, engine, secret, signature_id, lang, key, 400,
                            translate(lang, web.CONFIRM_NEEDED))
    with write_session(engine) as session:
        done = withdrawals.withdraw(signature_id, key, session=session)
        session.commit()
    if done is None:  # no secret, or not this signature's: nothing changed; the page an unknown id gets
        ratelimit.count_failure(engine, failures)
        log.warning("a withdrawal without the receipt's secret was refused")
        return receipt_page(request, engine, secret, signature_id, lang, key or "-", 403)
    log.info("a signature was withdrawn on its receipt page")
    return RedirectResponse(f"{request.scope.get('root_path', '')}/receipt/{signature_id}?lang={lang}",
                            status_code=303)
