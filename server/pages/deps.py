"""What the web pages' routes depend on, as FastAPI dependencies (the device API's own are in
``server/app.py``): the database, the settings, the forms' CSRF key and, above all, the signed-in
admin.

The admin router declares ``require_admin`` once for every route it holds (``server.pages.install``),
as the FastAPI full-stack template's ``api/deps.py`` does: an admin route added to it is behind the
login by construction, and ``tests/server/test_admin_routes.py`` walks the route table to prove it.
"""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.engine import Engine
from sqlmodel import Session

from db import signer_text
from server import admins, ratelimit, web
from server.settings import ServerSettings


def get_engine(request: Request) -> Engine:
    return cast(Engine, request.app.state.engine)


def get_settings(request: Request) -> ServerSettings:
    return cast(ServerSettings, request.app.state.settings)


def get_csrf_key(request: Request) -> bytes:
    """The forms' HMAC key, read from the database once when the pages are installed."""
    return cast(bytes, request.app.state.csrf_secret)


EngineDep = Annotated[Engine, Depends(get_engine)]
SettingsDep = Annotated[ServerSettings, Depends(get_settings)]
CsrfKey = Annotated[bytes, Depends(get_csrf_key)]


class NotSignedIn(Exception):
    """No valid admin session came with the request: answered with a redirect to the login page."""


def signed_in_admin(request: Request, engine: Engine) -> admins.SignedIn | None:
    cookie = request.cookies.get(web.SESSION_COOKIE)
    if not cookie or len(cookie) > 128:
        return None
    with Session(engine) as session:
        return admins.signed_in(cookie, session=session)


def require_admin(request: Request, engine: EngineDep) -> admins.SignedIn:
    """The admin whose session cookie came with the request, checked in the database every time."""
    who = signed_in_admin(request, engine)
    if who is None:
        raise NotSignedIn()
    return who


CurrentAdmin = Annotated[admins.SignedIn, Depends(require_admin)]


def to_login(request: Request) -> RedirectResponse:
    return RedirectResponse(f"{request.scope.get('root_path', '')}/admin/login", status_code=303)


async def not_signed_in(request: Request, _exc: Exception) -> Response:
    """The exception handler for ``NotSignedIn``: the login page, nothing of the route ran."""
    return to_login(request)


def admin_token(secret: bytes, who: admins.SignedIn, purpose: str) -> str:
    """A CSRF token for an admin form: bound to the session, expiring with it."""
    return web.make_token(secret, purpose, who.session_hash, who.expires_at)


def admin_form_ok(secret: bytes, who: admins.SignedIn, purpose: str, form: dict[str, str]) -> bool:
    return web.check_token(secret, purpose, who.session_hash, form.get("csrf"))


async def admin_form(request: Request, secret: bytes, who: admins.SignedIn, purpose: str,
                     expired: str) -> dict[str, str] | HTMLResponse:
    """The admin form's fields, or the refusal: a form from another site, or without its CSRF token."""
    try:
        form = await web.read_form(request)
    except web.FormRefused as exc:
        return web.error_page(request, exc.status, "Refused", "This form was not sent from this site.")
    if not admin_form_ok(secret, who, purpose, form):
        return web.error_page(request, 403, "Refused", expired)
    return form


def limits(request: Request, name: str, per_client: int, overall: int) -> ratelimit.Limits:
    """The failure limits of ``name`` for this request's client address."""
    return ratelimit.Limits.of(name, web.client_address(request), per_client, overall)


def too_many(request: Request, wait: int, message: str, lang: str = "en") -> HTMLResponse:
    title = "Too many requests" if lang == "en" else signer_text.translate(lang, web.RECEIPT_TITLE)
    return web.error_page(request, 429, title, message, lang=lang, headers={"Retry-After": str(wait)})
