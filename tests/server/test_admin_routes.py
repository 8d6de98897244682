"""Admin routes are behind the login by construction: every ``/admin`` route in the app's route table,
whatever module defines it, refuses a request without a valid session before its code runs, and every
admin POST still needs its form's CSRF token. A route added later is walked too."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI

try:  # FastAPI 0.16x includes routers lazily: this walks into them with their prefixes and dependencies
    from fastapi.routing import iter_route_contexts
except ImportError:  # older FastAPI copies every included route into one flat table
    def iter_route_contexts(routes: Any) -> Any:  # type: ignore[misc]
        return iter(routes)
from fastapi.testclient import TestClient
from server_helpers import add_admin, post_login
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from server import admins, web
from server.database import write_session
from server.models import AdminSession, Device
from server.pages.deps import require_admin
from server.pages.login import PUBLIC_ADMIN_PATHS

FORM = {"content-type": "application/x-www-form-urlencoded"}


def admin_routes(app: FastAPI) -> Iterator[tuple[str, str, Any]]:
    """(method, a concrete path, route) for every ``/admin`` route in the app but the login pages."""
    for route in iter_route_contexts(app.routes):
        path = getattr(route, "path", None) or ""
        if path.startswith("/admin") and path not in PUBLIC_ADMIN_PATHS:
            path = re.sub(r"\{[^}]+\}", str(uuid.uuid4()), path)
            for method in sorted(set(route.methods or ()) - {"HEAD"}):
                yield method, path, route


def depends_on_admin(route: Any) -> bool:
    dependant = getattr(route, "dependant", None)  # a mounted app (not a route of ours) has none
    todo = list(dependant.dependencies) if dependant is not None else []
    while todo:
        dependency = todo.pop()
        if dependency.call is require_admin:
            return True
        todo.extend(dependency.dependencies)
    return False


def log_in(client: TestClient, token: str) -> str:
    answer = post_login(client, token)
    assert answer.status_code == 303, answer.text
    return client.cookies[web.SESSION_COOKIE]


def counts(engine: Engine) -> tuple[int, int]:
    with Session(engine) as session:
        return (session.exec(select(func.count()).select_from(Device)).one(),
                session.exec(select(func.count()).select_from(AdminSession)).one())


def test_the_walk_finds_the_admin_pages(client: TestClient) -> None:
    found = {(method, path) for method, path, _ in admin_routes(client.app)}  # type: ignore[arg-type]
    assert {("GET", "/admin/"), ("POST", "/admin/devices"), ("POST", "/admin/logout")} <= found


def test_every_admin_route_declares_the_session_dependency(client: TestClient) -> None:
    missing = [f"{method} {path}" for method, path, route in admin_routes(client.app)  # type: ignore[arg-type]
               if not depends_on_admin(route)]
    assert not missing, f"admin routes without require_admin (put them on the admin router): {missing}"


@pytest.mark.parametrize("cookie", ["none", "forged", "logged_out"])
def test_every_admin_route_refuses_a_request_without_a_session(client: TestClient, published: Engine,
                                                               cookie: str) -> None:
    token = add_admin(published)
    if cookie == "logged_out":
        stale = log_in(client, token)
        with write_session(published) as session:
            admins.logout(stale, session=session)
            session.commit()
        client.cookies.set(web.SESSION_COOKIE, stale, path="/admin")
    elif cookie == "forged":
        client.cookies.set(web.SESSION_COOKIE, "x" * 43, path="/admin")
    before = counts(published)
    routes = list(admin_routes(client.app))  # type: ignore[arg-type]
    assert routes
    for method, path, _ in routes:
        answer = client.request(method, path, content="name=intruder&csrf=1.x", headers=FORM,
                                follow_redirects=False)
        assert answer.status_code == 303, f"{method} {path}: {answer.status_code}"
        assert answer.headers["location"] == "/admin/login", f"{method} {path}"
        assert "set-cookie" not in answer.headers, f"{method} {path}"
        assert "intruder" not in answer.text
    assert counts(published) == before  # no device added, no session made or ended


def test_every_admin_post_still_needs_its_csrf_token(client: TestClient, published: Engine) -> None:
    log_in(client, add_admin(published))
    dashboard = client.get("/admin/")
    other_purpose = re.search(r'name="csrf" value="([^"]+)"', dashboard.text)
    assert dashboard.status_code == 200 and other_purpose
    before = counts(published)
    posts = [(method, path) for method, path, _ in admin_routes(client.app) if method == "POST"]  # type: ignore[arg-type]
    assert posts
    for method, path in posts:
        for csrf in ("", "1.deadbeef", "9999999999." + "0" * 64):
            answer = client.request(method, path, content=f"name=intruder&csrf={csrf}", headers=FORM,
                                    follow_redirects=False)
            assert answer.status_code == 403, f"{method} {path} with csrf={csrf!r}: {answer.status_code}"
        cross_site = client.request(method, path, content="name=intruder", follow_redirects=False,
                                    headers={**FORM, "sec-fetch-site": "cross-site"})
        assert cross_site.status_code == 403, f"{method} {path} cross-site"
    assert counts(published) == before
    assert client.get("/admin/", follow_redirects=False).status_code == 200  # still signed in
