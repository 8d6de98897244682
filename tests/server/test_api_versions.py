"""API version 2 (db/wire.py): the server states the versions it accepts, refuses a signature with a
field it does not know instead of storing it without it, and still answers version-1 devices. A server
forced to version 1 (``api_max = 1``) answers as the servers before did."""

from __future__ import annotations

from fastapi.testclient import TestClient
from server_helpers import EnrolledDevice, batch, enroll, signature
from sqlalchemy.engine import Engine

from db.wire import API_HEADER, API_PREFIX, REASON_UNKNOWN_FIELD
from server.app import create_app
from server.settings import ServerSettings


def _outcomes(client: TestClient, device: EnrolledDevice, items: list[dict[str, object]],
              version: str) -> list[tuple[str, str | None, str | None]]:
    answer = client.post(device.batches, json=batch(items), headers={**device.headers, API_HEADER: version})
    assert answer.status_code == 200, answer.text
    return [(r["outcome"], r.get("reason"), r.get("field")) for r in answer.json()["results"]]


def test_a_field_the_server_does_not_know_is_refused_not_dropped(
        client: TestClient, published: Engine, device: EnrolledDevice) -> None:
    newer = {**signature("aleppo", 1), "partner_opt_in": True}
    plain = signature("aleppo", 2)
    for version in ("1", "2"):  # whatever the device says it speaks: nothing is silently lost
        assert _outcomes(client, device, [newer, plain], version)[0] == ("rejected", REASON_UNKNOWN_FIELD,
                                                                        "partner_opt_in")
    assert _outcomes(client, device, [plain], "1") == [("duplicate", None, None)]  # version 1 still works


def test_a_server_forced_to_version_1_answers_as_before(
        server_settings: ServerSettings, published: Engine) -> None:
    settings = server_settings.model_copy(update={"api_max": 1})
    with TestClient(create_app(settings, published)) as client:
        assert client.get(f"{API_PREFIX}/health").json()["api_versions"] == [1]
        device = enroll(client, published, "old server's laptop")
        refused = client.get(f"{API_PREFIX}/campaigns", headers={**device.headers, API_HEADER: "2"})
        assert refused.status_code == 400 and refused.json()["error"] == "api_version_unsupported"
        newer = {**signature("aleppo", 1), "partner_opt_in": True}
        assert _outcomes(client, device, [newer], "1") == [("created", None, None)]  # dropped, as before
