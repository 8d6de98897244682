"""The HTTP API (FastAPI). ``create_app(settings)`` builds it; every route is under ``/api/v1``. The
OpenAPI document is at ``/openapi.json`` only when the ``openapi`` setting turns it on (``serve
--openapi``, ``PETITION_SERVER_OPENAPI=1``; the schema tests do). Swagger UI and ReDoc (``/docs``,
``/redoc``) are never served: they are pages with scripts, loaded from a CDN, on the origin of the
admin dashboard, whose own pages run no script at all; a developer opens the document in a viewer of
their own. The processes keep no state of their own (all of it is in the database), so any number of
workers and hosts can share one PostgreSQL.

Every error is answered as a JSON ``db.wire.ErrorBody``; an unexpected exception is logged without its
message or values (they may hold personal data) and answered as a JSON 500.
"""

from __future__ import annotations

import asyncio
import collections
import functools
import gc
import logging
import random
import traceback
from datetime import timedelta
from typing import Annotated, Any

import anyio
import orjson
from fastapi import Depends, FastAPI, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from db.fields import SLUG_PATTERN
from db.wire import (
    API_HEADER,
    API_PREFIX,
    API_VERSIONS,
    EVENTS_API_VERSION,
    HEALTH_MARKER,
    MAX_BATCH_BYTES,
    MAX_BATCH_SIGNATURES,
    MAX_SMALL_BODY_BYTES,
    BatchResult,
    BatchUpload,
    CampaignCount,
    CampaignList,
    DeviceEvents,
    DeviceEventsResult,
    DeviceStatus,
    EnrollRequest,
    EnrollResponse,
    ErrorBody,
    Health,
    ServerKeys,
    is_code_shaped,
    normalise_code,
)
from server import campaigns, devices, events, ingest, pages, ratelimit, security, web
from server.database import make_engine, write_session
from server.models import utcnow
from server.settings import ServerSettings
from server.version import __version__

log = logging.getLogger("petition_server")

DRAIN_LIMIT_BYTES = 16 * 1024 * 1024  # an oversized body up to this is read and dropped, so the
# client gets its 413 answer instead of a reset connection; a larger one is answered at once.


class ApiError(Exception):
    def __init__(self, status: int, error: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(error)
        self.status = status
        self.error = error
        self.message = message
        self.headers = headers or {}


def error_response(status: int, error: str, message: str, headers: dict[str, str] | None = None,
                   detail: list[dict[str, Any]] | None = None) -> Response:
    body = ErrorBody(error=error, message=message, detail=detail)
    return Response(body.model_dump_json(exclude_none=True), status_code=status, media_type="application/json",
                    headers=headers)


def model_response(model: Any, status: int = 200) -> Response:
    return Response(model.model_dump_json(), status_code=status, media_type="application/json")


async def _send_error(send: Send, status: int, error: str, message: str) -> None:
    body = ErrorBody(error=error, message=message).model_dump_json(exclude_none=True).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _log_unexpected(scope: Scope, exc: BaseException) -> None:
    """Type and code locations only: messages and values of database errors carry signers' data."""
    frames = "; ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in traceback.extract_tb(exc.__traceback__))
    route = scope.get("route")
    path = getattr(route, "path", None) or "(unmatched)"
    log.error("unexpected %s in %s %s at %s", type(exc).__name__, scope.get("method"), path, frames)


class GuardMiddleware:
    """Outermost checks, before any route runs: the client's API version, the body size cap (answered
    before the body is parsed), and the last-resort JSON 500."""

    def __init__(self, app: ASGIApp, versions: tuple[int, ...] = API_VERSIONS):
        self.app = app
        self.versions = versions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = web.route_path(scope)
        headers = dict(scope["headers"])
        if path.startswith(API_PREFIX + "/") and path != API_PREFIX + "/health":
            raw = headers.get(API_HEADER.lower().encode())
            if raw is not None:
                problem = _version_problem(raw, self.versions)
                if problem is not None:
                    await _send_error(send, *problem)
                    return
        limit = MAX_BATCH_BYTES if path.endswith("/batches") else MAX_SMALL_BODY_BYTES
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                size = int(declared)
            except ValueError:
                await _send_error(send, 400, "bad_request", "Content-Length is not a number.")
                return
            if size > limit:
                if size <= DRAIN_LIMIT_BYTES:
                    await _drain(receive)
                await _send_error(send, 413, "payload_too_large", f"The body may have at most {limit} bytes.")
                return
        body = bytearray()
        more = scope["method"] not in ("GET", "HEAD", "OPTIONS", "DELETE") or declared is not None
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > limit:
                if more:
                    await _drain(receive)
                await _send_error(send, 413, "payload_too_large", f"The body may have at most {limit} bytes.")
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, replay, tracking_send)
        except Exception as exc:
            _log_unexpected(scope, exc)
            if not started:
                await _send_error(send, 500, "internal_error", "The server failed; the error was logged.")


async def _drain(receive: Receive) -> None:
    total = 0
    while total <= DRAIN_LIMIT_BYTES:
        message = await receive()
        if message["type"] != "http.request":
            return
        total += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


def _version_problem(raw: bytes, versions: tuple[int, ...] = API_VERSIONS) -> tuple[int, str, str] | None:
    try:
        version = int(raw.decode("ascii").strip())
    except (ValueError, UnicodeDecodeError):
        return 400, "bad_api_version", f"{API_HEADER} must be a whole number such as {versions[-1]}."
    if version < min(versions):
        return 426, "client_too_old", (
            f"This app speaks API version {version}; the server needs one of {list(versions)}. "
            "Update Petition Kiosk on this device."
        )
    if version > max(versions):
        return 400, "api_version_unsupported", (
            f"This server speaks API versions {list(versions)} only; ask the operator to update the server."
        )
    return None


_bearer = HTTPBearer(auto_error=False, description="the token from enrollment")
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 401, 403, 404, 413, 422, 426, 429, 503)
}


def require_device(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> devices.AuthenticatedDevice:
    """The device whose bearer token came with the request, read from the database every time."""
    if credentials is None or not credentials.credentials:
        raise ApiError(401, "unauthorized", "A device token is required: enroll this device first.",
                       {"WWW-Authenticate": "Bearer"})
    device = devices.authenticate(credentials.credentials, engine=request.app.state.engine)
    if device is None:
        raise ApiError(401, "unauthorized", "This device token is not valid: enroll this device again.",
                       {"WWW-Authenticate": "Bearer"})
    if device.revoked:
        raise ApiError(403, "device_revoked", "This device was revoked by the operator: enroll it again.")
    return device


CurrentDevice = Annotated[devices.AuthenticatedDevice, Depends(require_device)]
DeviceId = Annotated[str, Path(max_length=64)]
Slug = Annotated[str, Path(pattern=SLUG_PATTERN)]
Version = Annotated[int, Path(ge=1, le=2**31 - 1)]


def create_app(settings: ServerSettings, engine: Engine | None = None) -> FastAPI:
    engine = engine or make_engine(settings.effective_database_url)
    security.seal_clear_keys(engine, settings.data_dir)  # stored in clear by an older version
    security.ensure_signing_key(engine, settings.data_dir)
    app = FastAPI(
        title="Petition Kiosk server",
        version=__version__,
        description="Enrollment, campaigns and idempotent signature ingest for Petition Kiosk devices.",
        responses=ERRORS,
        openapi_url="/openapi.json" if settings.openapi else None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.engine = engine
    app.state.settings = settings
    app.add_middleware(GuardMiddleware, versions=settings.api_versions)
    _install_handlers(app)

    def same_device(device: devices.AuthenticatedDevice, device_id: str) -> None:
        if device.id != device_id:
            raise ApiError(403, "forbidden", "A device may only act for itself.")

    @app.get(f"{API_PREFIX}/health", response_model=Health, tags=["meta"])
    def health() -> Response:
        """Is this the real server (``marker``), and which API versions does it accept?"""
        return model_response(Health(service="petition-kiosk-server", marker=HEALTH_MARKER, api_versions=list(settings.api_versions),
                                     server_version=__version__, server_time=utcnow()))

    @app.post(f"{API_PREFIX}/enroll", response_model=EnrollResponse, tags=["devices"])
    def enroll(body: EnrollRequest, request: Request) -> Response:
        """Spend a one-time enrollment code: the device gets its id and bearer token, and learns the
        server's public keys. Wrong codes are limited per client address and overall (429); a client
        is refused only for its own wrong codes (server/ratelimit.py)."""
        limits = ratelimit.Limits.of("enroll", request.client.host if request.client else "unknown",
                                     settings.enroll_per_ip_per_minute, settings.enroll_global_per_minute)
        wait = ratelimit.wait_before(engine, limits)
        if wait is not None:
            raise ApiError(429, "rate_limited", f"Too many enrollment attempts; try again in {wait} s.",
                           {"Retry-After": str(wait)})
        try:
            key = security.b64(security.decode_public_key(body.device_public_key))
        except ValueError as exc:
            raise ApiError(400, "bad_public_key", f"device_public_key: {exc}.") from None
        if not is_code_shaped(body.code):
            ratelimit.count_failure(engine, limits)
            raise ApiError(403, "invalid_code", "This enrollment code is not valid, used or expired.")
        with write_session(engine) as session:
            outcome = devices.enroll(normalise_code(body.code), key, body.app_version, session=session)
            if isinstance(outcome, devices.EnrollError):
                session.commit()  # a spent code stays spent even if its device was revoked
                if outcome is devices.EnrollError.DEVICE_REVOKED:  # the right code: not a guess
                    raise ApiError(403, "device_revoked", "This device was revoked by the operator.")
                ratelimit.count_failure(engine, limits)  # after the commit: a transaction of its own
                raise ApiError(403, "invalid_code", "This enrollment code is not valid, used or expired.")
            device, token = outcome
            answer = EnrollResponse(device_id=device.id, device_name=device.name, token=token,
                                    server_keys=security.public_keys(engine, settings.data_dir))
            session.commit()
        log.info("device %s enrolled", answer.device_id)
        return model_response(answer)

    @app.get(f"{API_PREFIX}/keys", response_model=ServerKeys, tags=["devices"])
    def server_keys(device: CurrentDevice) -> Response:
        """The server's public keys, as in the enrollment answer: the signing key and the active sealing
        key. Devices ask again to pick up a rotated sealing key."""
        return model_response(ServerKeys(keys=security.public_keys(engine, settings.data_dir)))

    @app.get(f"{API_PREFIX}/devices/{{device_id}}", response_model=DeviceStatus, tags=["devices"])
    def device_status(device_id: DeviceId, device: CurrentDevice) -> Response:
        """What the server knows of this device: signatures stored, last upload, clock offset."""
        same_device(device, device_id)
        with Session(engine) as session:
            found = devices.status(device_id, session=session)
        if found is None:  # pragma: no cover - an authenticated device exists
            raise ApiError(404, "not_found", "No such device.")
        return model_response(found)

    if max(settings.api_versions) >= EVENTS_API_VERSION:  # a server forced to version 1 has no such route

        @app.put(f"{API_PREFIX}/devices/{{device_id}}/events", response_model=DeviceEventsResult, tags=["devices"])
        def put_events(device_id: DeviceId, body: DeviceEvents, device: CurrentDevice) -> Response:
            """API version 2: the events this device's signatures name (at most 100 a request), stored as
            the device's own; an event sent again replaces its name, place and day, the same list again
            changes nothing. Public facts about a stand, for the delivery's cover."""
            same_device(device, device_id)
            with write_session(engine) as session:
                result = events.store_events(device.id, body.events, session=session)
                session.commit()
            return model_response(result)

    batch_schema = BatchUpload.model_json_schema(ref_template="#/components/schemas/{model}")
    assert "$defs" not in batch_schema  # items are plain objects, validated one by one

    # Ingest is CPU-bound Python (validation, hashing): two at once in one process fight over the GIL,
    # and the one holding the database's write lock then waits out the other's switch interval while
    # every other worker waits for the lock. So one per process; worker processes overlap one batch's
    # validation with another's write (bench/bench_sync.py, 2 cores, 100,000 signatures: 4 workers
    # 9,400/s with two per process, 9,900-11,000/s with one; 3 workers 8,500 -> 10,200-10,400/s).
    ingest_limiter = anyio.CapacityLimiter(1)
    # Admission control: batches admitted in this process (the one being ingested and those queued for
    # ingest_limiter). Beyond 1 + ingest_queue a batch waits at the door, its body received by
    # GuardMiddleware (which holds it to the size cap) but not parsed, at most busy_hold_s for a place
    # (the first at the door gets the next one freed), then is refused with 503 server_busy and a
    # jittered Retry-After: under a herd of devices the queue stays short, so a batch
    # admitted is answered within seconds and no device waits behind hundreds of others' batches until
    # its own request times out, while the queue never lies empty as long as devices are at the door
    # (bench/bench_herd.py, bench/bench_ingest.py).
    admission = _Admission(1 + settings.ingest_queue, settings.busy_retry_after_s, settings.busy_hold_s)
    reject_unknown_fields = max(settings.api_versions) >= 2  # a server forced to version 1 drops them, as 1 did

    @app.post(
        f"{API_PREFIX}/devices/{{device_id}}/batches",
        response_model=BatchResult,
        tags=["signatures"],
        openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": batch_schema}}}},
    )
    async def upload_batch(device_id: DeviceId, device: CurrentDevice, request: Request) -> Response:
        """Upload at most 500 signatures (body at most 2 MB). Each id gets an outcome: created,
        duplicate (same content already stored: success), conflict (other content stored under that
        id; the first stays), rejected (``reason``: a validation key or campaign_unknown /
        campaign_version_unknown / sealing_key_unknown) or campaign_closed. Safe to retry: nothing is ever stored twice.
        A server with too many batches waiting answers 503 ``server_busy`` with ``Retry-After`` (seconds):
        nothing of that batch was stored; send it again after that wait."""
        same_device(device, device_id)
        if not await admission.enter():
            wait = admission.retry_after()
            raise ApiError(503, "server_busy", f"The server is busy; try again in {wait} s.",
                           {"Retry-After": str(wait)})
        try:
            return await _upload(device, request)
        finally:
            admission.leave()

    async def _upload(device: devices.AuthenticatedDevice, request: Request) -> Response:
        raw = await request.body()
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise ApiError(400, "malformed_json", "The body is not valid JSON.") from None
        if isinstance(data, dict) and isinstance(data.get("signatures"), list) and len(data["signatures"]) > MAX_BATCH_SIGNATURES:
            raise ApiError(413, "batch_too_large", f"A batch has at most {MAX_BATCH_SIGNATURES} signatures.")
        try:
            batch = BatchUpload.model_validate(data)
        except ValidationError as exc:
            return error_response(422, "invalid_request", "The batch does not match the schema.",
                                  detail=_safe_errors(exc.errors()))
        answer = await anyio.to_thread.run_sync(
            functools.partial(ingest.ingest_document, reject_unknown_fields=reject_unknown_fields,
                              api_version=max(settings.api_versions)),
            engine, device.id, batch.device_time, batch.signatures, limiter=ingest_limiter,
        )
        if batch.want_totals:
            answer["totals"] = await run_in_threadpool(_totals, engine, batch.signatures)
        return Response(ingest.answer_json(answer), media_type="application/json")

    @app.get(f"{API_PREFIX}/campaigns", response_model=CampaignList, tags=["campaigns"])
    def list_campaigns(device: CurrentDevice) -> Response:
        """Every published campaign version, with its bundle hash, its sealing mode and key id, whether the
        campaign is closed, and the server's Ed25519 signature over the version's facts (devices check
        it with the signing key they pinned at enrollment before they install a version)."""
        signing_key = security.signing_key(engine, settings.data_dir)
        with Session(engine) as session:
            return model_response(CampaignList(campaigns=campaigns.entries(session=session, signing_key=signing_key)))

    @app.get(
        f"{API_PREFIX}/campaigns/{{slug}}/versions/{{version}}/bundle",
        tags=["campaigns"],
        response_class=Response,
        responses={200: {"content": {"application/zip": {}}, "description": "the bundle as a zip"}},
    )
    def download_bundle(slug: Slug, version: Version, device: CurrentDevice) -> Response:
        """The bundle zip; its SHA-256 is in the ``X-Bundle-SHA256`` header and in the campaign list."""
        with Session(engine) as session:
            found = campaigns.bundle(slug, version, session=session)
        if found is None:
            raise ApiError(404, "campaign_unknown", f"No published campaign {slug} version {version}.")
        data, digest = found
        return Response(data, media_type="application/zip", headers={
            "X-Bundle-SHA256": digest, "ETag": f'"{digest}"',
            "Content-Disposition": f'attachment; filename="{slug}-v{version}.zip"',
        })

    @app.get(f"{API_PREFIX}/campaigns/{{slug}}/count", response_model=CampaignCount, tags=["campaigns"])
    def campaign_count(slug: Slug) -> Response:
        """Public: signatures gathered for the campaign on every device, voided ones subtracted."""
        with Session(engine) as session:
            found = campaigns.public_count(slug, session=session)
        if found is None:
            raise ApiError(404, "campaign_unknown", f"No published campaign {slug}.")
        return model_response(found)

    pages.install(app)  # the dashboard and the receipt page (server/pages/)
    return app


class _Admission:
    """How many batches this process holds (being ingested or queued for the ingest), against a bound,
    and the batches waiting at the door for a place, first come first served. The event loop runs one
    coroutine at a time, so the counts need no lock."""

    def __init__(self, bound: int, retry_after_s: int, hold_s: float = 0.0) -> None:
        self.bound = bound
        self.retry_after_s = retry_after_s
        self.hold_s = hold_s
        self.door_bound = 4 * bound  # batches waiting at the door at most: beyond, refused at once
        self.held = 0
        self._door: collections.deque[asyncio.Future[None]] = collections.deque()
        self._rng = random.Random()

    @property
    def waiting(self) -> int:
        return len(self._door)

    async def enter(self) -> bool:
        """True: the batch holds a place (the caller then calls leave() once). False: refuse it."""
        if self.held < self.bound and not self._door:
            self.held += 1
            return True
        if self.hold_s <= 0 or len(self._door) >= self.door_bound:
            return False
        place: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._door.append(place)
        try:
            await asyncio.wait_for(asyncio.shield(place), self.hold_s)
        except TimeoutError:
            pass
        except BaseException:  # cancelled: a place handed over meanwhile goes on to the next
            self._give_up(place)
            raise
        if place.done():  # handed a place, perhaps in the very turn the wait ran out
            return True
        self._give_up(place)
        return False

    def _give_up(self, place: asyncio.Future[None]) -> None:
        if place.done():
            self.leave()
        else:
            self._door.remove(place)
            place.cancel()

    def leave(self) -> None:
        if self._door:
            self._door.popleft().set_result(None)  # the place passes on: held stays as it is
        else:
            self.held -= 1

    def retry_after(self) -> int:
        """Whole seconds (the header allows no fraction), spread over [least, twice least]."""
        return self._rng.randint(self.retry_after_s, 2 * self.retry_after_s)


def _totals(engine: Engine, items: list[Any]) -> dict[str, int]:
    """Public counts of the campaigns a batch named, read after its transaction committed."""
    slugs = {slug for item in items if isinstance(item, dict) and isinstance(slug := item.get("campaign_slug"), str)}
    out: dict[str, int] = {}
    with Session(engine) as session:
        for slug in sorted(slugs):
            found = campaigns.public_count(slug, session=session)
            if found is not None:
                out[slug] = found.count
    return out


def _safe_errors(errors: list[Any]) -> list[dict[str, Any]]:
    """Validation errors without the input values (they may be personal data)."""
    return [{"loc": [str(p) for p in e.get("loc", ())], "type": e.get("type"), "msg": e.get("msg")} for e in errors]


_STATUS_CODES = {404: "not_found", 405: "method_not_allowed", 400: "bad_request", 401: "unauthorized",
                 403: "forbidden", 413: "payload_too_large", 415: "unsupported_media_type"}


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> Response:
        return error_response(exc.status, exc.error, exc.message, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> Response:
        code = _STATUS_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code
        return error_response(exc.status_code, code, message, dict(exc.headers or {}))

    @app.exception_handler(OperationalError)
    async def database_unavailable(_request: Request, exc: OperationalError) -> Response:
        # The database is locked for too long, restarting or unreachable: temporary, so the device
        # keeps its batch and retries. The message is not logged: it may quote signers' data.
        log.warning("database unavailable: %s", type(exc.orig).__name__ if exc.orig else "OperationalError")
        return error_response(503, "database_unavailable", "The server is busy; try again shortly.",
                              {"Retry-After": "5"})

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> Response:
        errors = list(exc.errors())
        if any(e.get("type") == "json_invalid" for e in errors):
            return error_response(400, "malformed_json", "The body is not valid JSON.")
        return error_response(422, "invalid_request", "The request does not match the schema.",
                              detail=_safe_errors(errors))


# A batch of 500 signatures allocates a few hundred thousand short-lived objects. With the collector's
# default first threshold (700 allocations) that is hundreds of collections a batch, each also walking
# the batch's rows that are still alive: in the profile 8-10 us of a worker's CPU per signature
# (docs/deploy/SCALING.md). Ingest makes no reference cycles worth collecting at once, so the first
# generation is collected every 50,000 allocations; what the worker holds from start-up (modules, the
# app, SQLAlchemy's and pydantic's tables) is frozen out of the collector's walks.
GC_FIRST_THRESHOLD = 50_000


def tune_garbage_collector() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_FIRST_THRESHOLD, *gc.get_threshold()[1:])


def create_app_from_env() -> FastAPI:
    """Factory for uvicorn's workers (``petition-server serve`` passes its settings in the environment)."""
    logging.basicConfig(level=logging.INFO)
    app = create_app(ServerSettings.from_env())
    tune_garbage_collector()  # after start-up, in each worker process (never in tests' own processes)
    return app


def enrollment_ttl(settings: ServerSettings) -> timedelta:
    return timedelta(hours=settings.code_ttl_hours)

