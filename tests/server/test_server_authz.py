"""Authorization matrix over every route: no token, a garbage token, a revoked device's token, another
device's token. A route added without an entry here fails the completeness test."""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from server_helpers import EnrolledDevice, batch, enroll, signature
from sqlalchemy.engine import Engine

from server import devices
from server.database import write_session

# route path → (method, whether the route acts for one device, whether it needs a token)
ROUTES: dict[str, tuple[str, bool, bool]] = {
    "/api/v1/health": ("GET", False, False),
    "/api/v1/enroll": ("POST", False, False),
    "/api/v1/campaigns/{slug}/count": ("GET", False, False),
    "/api/v1/keys": ("GET", False, True),
    "/api/v1/campaigns": ("GET", False, True),
    "/api/v1/campaigns/{slug}/versions/{version}/bundle": ("GET", False, True),
    "/api/v1/devices/{device_id}": ("GET", True, True),
    "/api/v1/devices/{device_id}/batches": ("POST", True, True),
    "/api/v1/devices/{device_id}/events": ("PUT", True, True),
}


def _call(client: TestClient, path: str, device_id: str, headers: dict[str, str]) -> int:
    method, _scoped, _auth = ROUTES[path]
    url = path.format(slug="aleppo", version=1, device_id=device_id)
    body = batch([signature()]) if path.endswith("/batches") else None
    if path.endswith("/events"):
        body = {"events": [{"id": "e1", "name": "Vigil", "place": "Berlin", "day": "2026-11-28"}]}
    if path.endswith("/enroll"):
        body = {"code": "AAAA-BBBB-CCCC", "device_public_key": "x"}
    return client.request(method, url, json=body, headers=headers).status_code


def test_matrix_names_every_route(client: TestClient) -> None:
    paths = {r.path for r in client.app.routes if isinstance(r, APIRoute)}  # type: ignore[attr-defined]
    assert paths == set(ROUTES)


@pytest.mark.parametrize("path", [p for p, (_m, _s, auth) in ROUTES.items() if auth])
def test_no_token_and_garbage_token_are_401(client: TestClient, device: EnrolledDevice, path: str) -> None:
    assert _call(client, path, device.id, {}) == 401
    assert _call(client, path, device.id, {"Authorization": "Bearer not-a-token"}) == 401
    assert _call(client, path, device.id, {"Authorization": "Basic dXNlcjpwYXNz"}) == 401
    assert _call(client, path, device.id, device.headers) == 200


@pytest.mark.parametrize("path", [p for p, (_m, _s, auth) in ROUTES.items() if auth])
def test_revoked_token_is_403(client: TestClient, published: Engine, path: str) -> None:
    victim = enroll(client, published, "stolen laptop")
    assert _call(client, path, victim.id, victim.headers) == 200
    with write_session(published) as session:
        (found,) = devices.find(victim.id, session=session)
        devices.revoke(found, session=session)
        session.commit()
    assert _call(client, path, victim.id, victim.headers) == 403


@pytest.mark.parametrize("path", [p for p, (_m, scoped, _a) in ROUTES.items() if scoped])
def test_other_devices_token_is_403(client: TestClient, device: EnrolledDevice, other_device: EnrolledDevice,
                                    path: str) -> None:
    assert _call(client, path, device.id, other_device.headers) == 403
    assert _call(client, path, device.id, device.headers) == 200


@pytest.mark.parametrize("path", [p for p, (_m, _s, auth) in ROUTES.items() if not auth])
def test_public_routes_need_no_token(client: TestClient, published: Engine, path: str) -> None:
    status = _call(client, path, "x", {})
    assert status in (200, 400)  # enroll with a bad key is a 400, not an auth failure


def test_revoked_device_cannot_enroll_again_with_its_old_code(client: TestClient, published: Engine) -> None:
    from server_helpers import public_key

    with write_session(published) as session:
        made = devices.add_device("never used", session=session, ttl=__import__("datetime").timedelta(hours=1))
        session.commit()
    with write_session(published) as session:
        (found,) = devices.find(made.device_id, session=session)
        devices.revoke(found, session=session)
        session.commit()
    answer = client.post("/api/v1/enroll", json={"code": made.code, "device_public_key": public_key()})
    assert answer.status_code == 403
