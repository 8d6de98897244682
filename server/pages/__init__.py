"""The server's web pages as FastAPI routers, mounted by ``install`` (``server/web.py`` holds what they
share: headers, CSRF tokens, templates, forms).

* ``login``: the login form, the only ``/admin`` pages open without a session;
* the admin router, ``/admin/...``, with ``require_admin`` as a dependency of the router itself, so
  every route on it refuses a request without a session before its code runs: ``admin_dashboard``
  (the overview, logging out), ``admin_devices`` (adding a device). A new admin page goes here;
* ``receipts``: the signer's receipt page, public (its secret is the capability);
* ``sign``: the petition's page online, ``/s/<campaign-slug>`` (crowd mode's phone page), public;
* ``confirm``: the email confirmation page, ``/confirm/<ref>``, public (the link's secret is the capability).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine

from server import confirmations, web
from server.pages import admin_dashboard, admin_devices, confirm, login, receipts, sign
from server.pages.deps import NotSignedIn, not_signed_in, require_admin


def admin_router() -> APIRouter:
    router = APIRouter(prefix="/admin", dependencies=[Depends(require_admin)], include_in_schema=False)
    router.include_router(admin_dashboard.router)
    router.include_router(admin_devices.router)
    return router


def install(app: FastAPI) -> None:
    """Mount the web pages on ``app`` (built by ``server.app.create_app``)."""
    engine: Engine = app.state.engine
    app.state.csrf_secret = web.csrf_secret(engine, app.state.settings.data_dir)
    app.state.confirm_key = confirmations.link_key(engine, app.state.settings.data_dir)
    app.add_exception_handler(NotSignedIn, not_signed_in)
    app.include_router(login.router)
    app.include_router(admin_router())
    app.include_router(receipts.router)
    # First in the table: the router tries each route in turn, and a crowd signing is most of the traffic.
    app.router.routes[0:0] = sign.routes
    app.include_router(confirm.router)
    app.mount("/static", StaticFiles(directory=web.STATIC_DIR), name="static")
    app.add_middleware(web.SecurityHeaders)
    web.install_access_log_redaction()
