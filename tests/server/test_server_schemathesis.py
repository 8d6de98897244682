"""Property-based fuzzing of every route from the server's own OpenAPI document: never a 500.

Requests carry a valid device token (and that device's id in the path), so generated bodies reach the
batch validation and the ingest rather than stopping at authentication. Examples per route are bounded
to keep the run short."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from server_helpers import enroll, publish_builtin

from server.app import create_app
from server.database import make_engine, sqlite_url, upgrade
from server.settings import ServerSettings


@pytest.fixture(scope="module")
def fuzz_target(tmp_path_factory: pytest.TempPathFactory) -> Any:
    data_dir: Path = tmp_path_factory.mktemp("fuzz")
    engine = make_engine(sqlite_url(data_dir))
    upgrade(engine)
    publish_builtin(engine)
    app = create_app(ServerSettings(data_dir=data_dir, openapi=True), engine)  # the document is off by default
    with TestClient(app) as client:
        device = enroll(client, engine, "fuzzer")
    yield app, device
    engine.dispose()


def _operations() -> list[str]:
    return ["GET /api/v1/health", "POST /api/v1/enroll", "GET /api/v1/keys", "GET /api/v1/devices/{device_id}",
            "POST /api/v1/devices/{device_id}/batches", "PUT /api/v1/devices/{device_id}/events",
            "GET /api/v1/campaigns",
            "GET /api/v1/campaigns/{slug}/versions/{version}/bundle", "GET /api/v1/campaigns/{slug}/count"]


def test_fuzzed_operations_cover_the_document(fuzz_target: Any) -> None:
    app, _device = fuzz_target
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    labels = sorted(op.ok().label for op in schema.get_all_operations())
    assert labels == sorted(_operations())


@pytest.mark.parametrize("label", _operations())
def test_no_server_errors(label: str, fuzz_target: Any) -> None:
    app, device = fuzz_target
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operation = schema.find_operation_by_label(label)
    assert operation is not None

    @given(case=operation.as_strategy())
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case: Any) -> None:
        if case.path_parameters and "device_id" in case.path_parameters:
            case.path_parameters["device_id"] = device.id
        response = case.call(headers={"Authorization": f"Bearer {device.token}"})
        case.validate_response(response, checks=[not_a_server_error])
        assert response.status_code < 500, response.text[:300]
        if response.status_code >= 400:
            assert response.headers["content-type"][0].startswith("application/json")

    check()
