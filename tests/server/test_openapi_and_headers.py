"""The API's description is off unless the operator turns it on, Swagger UI and ReDoc are never
served (pages with scripts from a CDN beside the admin dashboard), and every answer the server sends
carries the security headers: pages, static files, the API's JSON, its errors."""

from __future__ import annotations

import argparse
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from db.wire import API_PREFIX, MAX_SMALL_BODY_BYTES
from server import cli, web
from server.app import create_app
from server.settings import ServerSettings

NEVER = ("/docs", "/docs/oauth2-redirect", "/redoc")


def test_no_api_description_by_default(client: TestClient) -> None:
    for path in ("/openapi.json", *NEVER):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert "swagger" not in answer.text.lower() and "cdn" not in answer.text.lower()


def test_the_setting_turns_on_the_document_and_never_the_pages(server_settings: ServerSettings,
                                                               server_engine: Engine) -> None:
    settings = server_settings.model_copy(update={"openapi": True})
    with TestClient(create_app(settings, server_engine)) as client:
        document = client.get("/openapi.json")
        assert document.status_code == 200 and f"{API_PREFIX}/enroll" in document.json()["paths"]
        assert not any(path.startswith(("/admin", "/receipt")) for path in document.json()["paths"])
        assert document.headers["content-security-policy"] == web.CONTENT_SECURITY_POLICY
        for path in NEVER:
            assert client.get(path).status_code == 404, path


def test_the_environment_and_the_serve_flag_turn_it_on(tmp_path: Path) -> None:
    assert ServerSettings.from_env({}).openapi is False
    assert ServerSettings.from_env({"PETITION_SERVER_OPENAPI": "1"}).openapi is True
    on = ServerSettings(data_dir=tmp_path, openapi=True)
    assert ServerSettings.from_env(on.to_env()).openapi is True  # what uvicorn's workers get
    assert ServerSettings.from_env(ServerSettings(data_dir=tmp_path).to_env()).openapi is False
    args = cli.build_parser().parse_args(["serve", "--data-dir", str(tmp_path), "--openapi"])
    assert cli._settings(args).openapi is True
    args = cli.build_parser().parse_args(["serve", "--data-dir", str(tmp_path)])
    assert cli._settings(argparse.Namespace(**vars(args))).openapi is False


def test_every_answer_carries_the_security_headers(client: TestClient) -> None:
    answers = {
        "page": client.get("/admin/login"),
        "static": client.get("/static/web.css"),
        "api": client.get(f"{API_PREFIX}/health"),
        "api error": client.get(f"{API_PREFIX}/campaigns/nope/count"),
        "unknown path": client.get("/nothing-here"),
        "body too large": client.post(f"{API_PREFIX}/enroll", content=b"x" * (MAX_SMALL_BODY_BYTES + 1),
                                      headers={"content-type": "application/json"}),
    }
    assert answers["body too large"].status_code == 413  # answered by the outermost guard, before any route
    for what, answer in answers.items():
        for name, value in web.SECURITY_HEADERS:
            assert answer.headers.get(name.decode()) == value.decode(), f"{what}: {name.decode()}"
    assert answers["page"].headers["cache-control"] == "no-store"
