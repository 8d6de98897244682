"""The admin login page: the only ``/admin`` routes open without a session (``PUBLIC_ADMIN_PATHS``)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from server import admins, ratelimit, web
from server.database import write_session
from server.models import utcnow
from server.pages.deps import CsrfKey, EngineDep, limits, signed_in_admin, too_many

log = logging.getLogger("petition_server.web")

router = APIRouter(include_in_schema=False)
PUBLIC_ADMIN_PATHS = frozenset({"/admin", "/admin/login"})


def login_page(request: Request, secret: bytes, status: int = 200, problem: str | None = None) -> HTMLResponse:
    nonce, new = web.form_nonce(request)
    page = web.render(request, "login.html", status, problem=problem,
                      csrf=web.make_token(secret, "login", nonce, utcnow() + web.FORM_TTL))
    if new:
        web.set_nonce(page, request, nonce)
    return page


@router.get("/admin")
def admin_root(request: Request) -> Response:
    return RedirectResponse(f"{request.scope.get('root_path', '')}/admin/", status_code=308)


@router.get("/admin/login")
def login_form(request: Request, engine: EngineDep, secret: CsrfKey) -> Response:
    if signed_in_admin(request, engine) is not None:
        return RedirectResponse(f"{request.scope.get('root_path', '')}/admin/", status_code=303)
    return login_page(request, secret)


@router.post("/admin/login")
async def login(request: Request, engine: EngineDep, secret: CsrfKey) -> Response:
    failures = limits(request, "admin-login", web.LOGIN_PER_IP_PER_MINUTE, web.LOGIN_PER_MINUTE)
    wait = ratelimit.wait_before(engine, failures)
    if wait is not None:
        log.warning("admin login rate-limited")
        return too_many(request, wait, f"Too many login attempts; try again in {wait} s.")
    try:
        form = await web.read_form(request)
    except web.FormRefused as exc:
        return web.error_page(request, exc.status, "Refused", "This login form was not sent from this site.")
    if not web.check_token(secret, "login", request.cookies.get(web.NONCE_COOKIE, ""), form.get("csrf")):
        return login_page(request, secret, 403, "The login form expired or your browser did not send back its "
                                                "cookie: the page was reloaded, please try again.")
    token = form.get("token", "").strip()
    with write_session(engine) as session:
        done = admins.login(token, session=session) if 0 < len(token) <= 128 else None
        session.commit()
    if done is None:
        ratelimit.count_failure(engine, failures)
        log.warning("admin login refused: wrong or revoked token")
        return login_page(request, secret, 401, "This admin token is not valid.")
    cookie, who = done
    log.info("admin %r logged in to the dashboard", who.name)
    answer = RedirectResponse(f"{request.scope.get('root_path', '')}/admin/", status_code=303)
    answer.set_cookie(web.SESSION_COOKIE, cookie, httponly=True, samesite="strict", secure=web.is_https(request),
                      path="/admin", max_age=int(admins.SESSION_TTL.total_seconds()))
    return answer
