"""The server's settings: one validated object, from defaults, environment variables
(``PETITION_SERVER_<FIELD>``, e.g. ``PETITION_SERVER_DATABASE_URL``) and command-line options."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from db.wire import API_VERSIONS
from server.database import sqlite_url

APP_NAME = "petition-server"
ENV_PREFIX = "PETITION_SERVER_"


def default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


class ServerSettings(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default an SQLite file in data_dir")
    public_url: str | None = Field(default=None, description="the URL devices reach this server at (QR codes)")
    code_ttl_hours: float = Field(default=24.0, gt=0, le=24 * 14)
    enroll_per_ip_per_minute: int = Field(default=10, ge=1)
    enroll_global_per_minute: int = Field(default=60, ge=1)
    # Off by default: the API's description is no business of the public, and the interactive /docs
    # page (scripts from a CDN) is not served at all (server/app.py says why).
    # Behind a reverse proxy that serves the site under a path (https://example.org/petition/), the proxy
    # strips the path and this names it, so every link and redirect the server writes carries it
    # (uvicorn's root_path; docs/deploy shows nginx and Caddy).
    root_path: str = Field(default="", pattern=r"^(/[A-Za-z0-9._~-]+)*$", max_length=200,
                           description="the path the site is served under behind a proxy, e.g. /petition")
    openapi: bool = Field(default=False, description="serve the API's OpenAPI document at /openapi.json")
    # Admission control on the batch route (server/app.py, upload_batch): per worker process, one batch
    # is ingested at a time and at most ``ingest_queue`` more wait for it; a batch beyond that is
    # answered 503 server_busy at once, with a Retry-After drawn from [retry_after_s, 2 x retry_after_s]
    # so that refused devices do not all come back in the same second. Nothing of a refused batch is
    # stored, so its retry is exactly-once as any other. The default leaves room for one device's four
    # requests out at once (db/sync/runner.py: IN_FLIGHT) landing on the same worker, and more.
    ingest_queue: int = Field(default=8, ge=0, le=10_000,
                              description="batches that may wait per worker process beyond the one being ingested")
    busy_retry_after_s: int = Field(default=2, ge=1, le=300,
                                    description="the least Retry-After (seconds) of a 503 server_busy answer")
    # A batch that finds the queue full first waits at the door for a place to free up, its body
    # received (the outermost check reads it to hold it to the 2 MB cap; a slow upload so never holds a
    # place) but not yet parsed: at most 4 x (1 + ingest_queue) bodies a worker, 36 x 2 MB at the very
    # worst and about 12 MB with batches of 500 plain signatures. The queue refills as fast as it drains, instead of lying empty while refused devices sit out their
    # Retry-After. Only after busy_hold_s without a place, or with 4 x (1 + ingest_queue) batches
    # already at the door, is it answered 503. 0 refuses at once.
    busy_hold_s: float = Field(default=2.0, ge=0, le=30,
                               description="seconds a batch beyond the queue waits for a place before 503 server_busy")
    api_max: int = Field(default=API_VERSIONS[-1], ge=1, le=API_VERSIONS[-1],
                         description="the newest API version accepted; 1 answers as a server before version 2 "
                                     "did (to try devices against an older server)")

    @field_validator("root_path", mode="before")
    @classmethod
    def _one_leading_slash(cls, value: Any) -> Any:
        """``petition/``, ``/petition/`` and ``/petition`` name the same path: the last is what is kept."""
        if isinstance(value, str) and value.strip("/"):
            return "/" + value.strip().strip("/")
        return "" if isinstance(value, str) else value

    @property
    def api_versions(self) -> tuple[int, ...]:
        return tuple(v for v in API_VERSIONS if v <= self.api_max)

    @property
    def effective_database_url(self) -> str:
        return self.database_url or sqlite_url(self.data_dir)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> ServerSettings:
        env = os.environ if environ is None else environ
        data: dict[str, Any] = {}
        for name in cls.model_fields:
            value = env.get(ENV_PREFIX + name.upper())
            if value:
                data[name] = value
        data.update({k: v for k, v in overrides.items() if v is not None})
        return cls.model_validate(data)

    def to_env(self) -> dict[str, str]:
        """The environment that makes ``from_env`` rebuild these settings (for uvicorn's workers)."""
        out: dict[str, str] = {}
        for name, value in self.model_dump().items():
            if value is not None:
                out[ENV_PREFIX + name.upper()] = str(value)
        return out
