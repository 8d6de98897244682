"""The sync API's HTTP client: requests.Session, explicit (connect, read) timeouts, TLS verification
always on (optionally against a custom CA file).

An answer counts only if it parses as the document ``db.wire`` defines for it. Anything else - a
captive portal's 200 with HTML, a truncated body, a reset connection, a timeout, an error page from a
proxy - raises :class:`Offline`, and the caller keeps its batch for later. Errors the server itself
answered (a JSON ``ErrorBody``) are sorted: 401/403 :class:`AuthRejected` (never retried), 413
:class:`TooLarge`, 429/5xx :class:`ServerBusy` (an :class:`Offline`: temporary, with the server's
``Retry-After`` when it gave one), anything else :class:`Refused`.
"""

from __future__ import annotations

import hashlib
from typing import TypeVar

import requests
from pydantic import BaseModel, ValidationError

from db import __version__
from db.wire import (
    API_HEADER,
    API_PREFIX,
    API_VERSION,
    BatchResult,
    CampaignCount,
    DeviceEvents,
    DeviceEventsResult,
    EnrollRequest,
    EnrollResponse,
    ErrorBody,
    Health,
    RawCampaignList,
    ServerKeys,
)

CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 60.0  # a full batch on a slow server; the server answers far sooner
Doc = TypeVar("Doc", bound=BaseModel)


class SyncError(Exception):
    """Base of everything the client raises. ``str()`` never contains the token or personal data."""


class Offline(SyncError):
    """No answer from our server: network down, captive portal, truncated answer, server busy."""


class ServerBusy(Offline):
    """429/5xx from our server: nothing of the request was stored; ask again later. ``retry_after``: the
    seconds its ``Retry-After`` header named (None: it named none, or a date)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def retry_after_seconds(value: str | None) -> float | None:
    """``Retry-After`` in seconds; a date (which a device's wrong clock would misread) or anything else
    is no answer."""
    if value is None or not value.strip().isdigit():
        return None
    return float(int(value.strip()))


class AuthRejected(SyncError):
    """401/403: the device must be enrolled again. Never retried."""

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(f"{status} {error}: {message}")
        self.status = status
        self.error = error


class TooLarge(SyncError):
    """413: the batch must be smaller. ``ours``: our server said so (then a single signature that is
    still too large can never go); otherwise something on the way did (a proxy's body limit)."""

    def __init__(self, message: str, *, ours: bool = True) -> None:
        super().__init__(message)
        self.ours = ours


class Refused(SyncError):
    """Any other answer from our server that is not the document asked for (e.g. 426 update the app)."""

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(f"{status} {error}: {message}")
        self.status = status
        self.error = error


class BundleMismatch(Offline):
    """A downloaded bundle whose SHA-256 is not the one its listing entry names: that entry is refused,
    the others still install."""


class ApiClient:
    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        ca_file: str | None = None,
        connect_timeout: float = CONNECT_TIMEOUT_S,
        read_timeout: float = READ_TIMEOUT_S,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = (connect_timeout, read_timeout)
        self._token = token
        self._ca_file = ca_file
        self.api_version = API_VERSION  # until the health document says which the server accepts
        self.session = requests.Session()
        self.session.verify = ca_file or True  # never False
        self.session.trust_env = False  # a system proxy setting must not reroute signatures
        self.session.headers.update({
            API_HEADER: str(API_VERSION),
            "User-Agent": f"petition-kiosk/{__version__}",
            "Accept": "application/json",
        })
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def __repr__(self) -> str:  # no token, ever
        return f"ApiClient({self.base_url!r})"

    def close(self) -> None:
        self.session.close()

    def clone(self) -> ApiClient:
        """A client like this one with its own session (and connection), for another thread."""
        twin = ApiClient(self.base_url, self._token, ca_file=self._ca_file,
                         connect_timeout=self.timeout[0], read_timeout=self.timeout[1])
        twin.api_version = self.api_version
        twin.session.headers[API_HEADER] = str(self.api_version)
        return twin

    # --- routes ------------------------------------------------------------------------------------

    def health(self) -> Health:
        """The server's health document; from then on requests speak the newest API version both ends
        know (a server older than this app lists fewer: it is spoken to as it understands)."""
        health = self._call("GET", "/health", Health)
        if not health.is_genuine():
            raise Offline("the health answer lacks our marker (not our server)")
        common = [v for v in health.api_versions if v <= API_VERSION]
        self.api_version = max(common) if common else API_VERSION  # none: the server answers 426 itself
        self.session.headers[API_HEADER] = str(self.api_version)
        return health

    def enroll(self, code: str, public_key: str) -> EnrollResponse:
        body = EnrollRequest(code=code, device_public_key=public_key, app_version=__version__)
        return self._call("POST", "/enroll", EnrollResponse, data=body.model_dump_json().encode())

    def server_keys(self) -> ServerKeys:
        """The server's public keys now (a rotated sealing key included)."""
        return self._call("GET", "/keys", ServerKeys)

    def post_batch(self, device_id: str, body: bytes) -> BatchResult:
        return self._call("POST", f"/devices/{device_id}/batches", BatchResult, data=body)

    def put_events(self, device_id: str, events: DeviceEvents) -> DeviceEventsResult:
        """API version 2: the events this device's signatures name (db.wire.DeviceEvents)."""
        return self._call("PUT", f"/devices/{device_id}/events", DeviceEventsResult,
                          data=events.model_dump_json().encode())

    def campaigns(self) -> RawCampaignList:
        """The listing, each entry still to be read on its own (``CampaignEntry.model_validate``)."""
        return self._call("GET", "/campaigns", RawCampaignList)

    def count(self, slug: str) -> CampaignCount:
        return self._call("GET", f"/campaigns/{slug}/count", CampaignCount)

    def bundle(self, slug: str, version: int, sha256: str) -> bytes:
        """The bundle zip, only if its SHA-256 is the one the campaign list announced."""
        response = self._send("GET", f"/campaigns/{slug}/versions/{version}/bundle")
        if response.status_code != 200:
            self._raise_error(response)
        data = response.content
        if hashlib.sha256(data).hexdigest() != sha256:
            raise BundleMismatch("the bundle's SHA-256 does not match the campaign list (damaged or not ours)")
        return data

    # --- plumbing ----------------------------------------------------------------------------------

    def _send(self, method: str, path: str, data: bytes | None = None) -> requests.Response:
        headers = {"Content-Type": "application/json"} if data is not None else None
        try:
            response = self.session.request(
                method, f"{self.base_url}{API_PREFIX}{path}", data=data, headers=headers, timeout=self.timeout,
                allow_redirects=False,  # a portal's redirect is not our server's answer
            )
            _ = response.content  # read the whole body now: a truncated one raises here
        except requests.RequestException as exc:
            raise Offline(f"no answer: {type(exc).__name__}") from None
        return response

    def _call(self, method: str, path: str, doc: type[Doc], data: bytes | None = None) -> Doc:
        response = self._send(method, path, data)
        if response.status_code == 200:
            try:
                return doc.model_validate_json(response.content)
            except ValidationError:
                raise Offline(f"a 200 answer that is not a {doc.__name__} (captive portal or proxy?)") from None
        self._raise_error(response)
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _raise_error(response: requests.Response) -> None:
        status = response.status_code
        try:
            error = ErrorBody.model_validate_json(response.content)
        except ValidationError:
            if status == 413:  # a reverse proxy's own limit (nginx: 1 MB by default): send less
                raise TooLarge("the request was refused as too large on the way to the server",
                               ours=False) from None
            raise Offline(f"HTTP {status} that is not our server's error document") from None
        if status in (401, 403):
            raise AuthRejected(status, error.error, error.message)
        if status == 413:
            raise TooLarge(error.message)
        if status == 429 or status >= 500:
            raise ServerBusy(f"server busy: {status} {error.error}",
                             retry_after_seconds(response.headers.get("Retry-After")))
        raise Refused(status, error.error, error.message)
