"""The server's web pages: the coordinators' dashboard (``/admin/``) and the signer's receipt page
(``/receipt/{id}``), server-rendered with Jinja2 (autoescaped), one stylesheet, no scripts at all.
This module holds what the pages share (headers, CSRF tokens, templates, forms, the access log's
redaction); their routes are routers in ``server/pages/``.

* **Admin login.** ``petition-server add-admin NAME`` prints a token once (stored hashed,
  ``server.admins``). ``POST /admin/login`` exchanges it for a session cookie: HttpOnly,
  SameSite=Strict, Path=/admin, Secure when the request came over HTTPS. Wrong tokens are
  limited per client address and overall (``server.ratelimit``, shared by every worker); a client
  is refused only for wrong tokens of its own.
* **CSRF.** Every form carries a token: an HMAC (with a secret kept in the database, so every worker
  agrees) of the form's purpose, what it is bound to and an expiry. Admin forms are bound to the
  session; the login form and the receipt's withdrawal to a random nonce in a SameSite=Strict cookie
  (and the withdrawal also to the signature id). A POST without a valid token, or one a browser marks
  as cross-site (``Sec-Fetch-Site``, ``Origin``), changes nothing.
* **Headers.** Every page gets a Content-Security-Policy without scripts or external sources, framing
  forbidden, ``nosniff``, ``Referrer-Policy: same-origin`` (a receipt's URL is its capability: no
  other site ever sees it) and ``Cache-Control: no-store``.
* **GET never changes anything**: mail clients and link scanners fetch links on their own. Withdrawal
  is the receipt page, then a POST.
* **No oracle.** A receipt for an id that never arrived looks exactly like one not arrived yet.
* **The receipt secret.** Ids are not secrets (devices keep them, in exports and hand-off receipts):
  withdrawing needs the secret ``k`` the device showed only in the thank-you page's QR code
  (``/receipt/{id}?k=...``), checked against the signature's ``receipt_sha256``
  (``server.withdrawals``). Without it the page only says whether the signature arrived; a wrong one
  shows what an unknown id shows. The form sends ``k`` in its body, and the access log never records
  a receipt's path or query (``server.cli``'s filter, ``redact_access_line``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import logging
import re
import secrets
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import qrcode
import qrcode.image.svg
from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.engine import Engine
from starlette.types import ASGIApp, Scope

from db import signer_text
from db.crowd.app import SecurityHeaders as CrowdSecurityHeaders
from db.schemas import as_utc
from db.signer_text import N_
from server import security, withdrawals

log = logging.getLogger("petition_server.web")

HERE = Path(__file__).resolve().parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"

WEB_PREFIXES = ("/admin", "/receipt", "/static", "/s/", "/confirm/")  # /s/: the petition online (server/pages/sign.py)
SESSION_COOKIE = "pk_admin"
NONCE_COOKIE = "pk_nonce"
FORM_TTL = timedelta(hours=2)  # a login or withdrawal form left open longer is refused: reload it

LOGIN_PER_IP_PER_MINUTE = 10
LOGIN_PER_MINUTE = 120
RECEIPT_PER_IP_PER_MINUTE = 30
RECEIPT_PER_MINUTE = 600
MAX_FORM_BYTES = 4096

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    # Not "no-referrer": Chromium then sends "Origin: null" with the pages' own form posts. same-origin
    # still sends nothing to any other site (a receipt's URL is its capability).
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    (b"x-robots-tag", b"noindex, nofollow"),
]
NO_STORE = [(b"cache-control", b"no-store"), (b"pragma", b"no-cache")]


def security_headers(scope: Scope) -> list[tuple[bytes, bytes]]:
    """The headers of every response the server sends (pages, static files, the API's JSON, errors),
    set by the one middleware (db/crowd/app.py SecurityHeaders). The pages also get ``no-store``; the
    API keeps its own caching headers (a campaign bundle's ETag)."""
    path = route_path(scope)
    extra = list(SECURITY_HEADERS)
    if path.startswith(WEB_PREFIXES) and not path.startswith("/static/"):
        extra += NO_STORE
    if scope.get("scheme") == "https":
        extra.append((b"strict-transport-security", b"max-age=31536000"))
    return extra


def route_path(scope: Scope) -> str:
    """The request's path on this site, without the prefix it is served under (``root_path``: uvicorn
    puts it in front of ``path``, as the ASGI specification says; Starlette's router takes it off too)."""
    path: str = scope.get("path", "")
    root: str = scope.get("root_path", "")
    if root and path.startswith(root) and path[len(root):len(root) + 1] in ("", "/"):
        return path[len(root):] or "/"
    return path


def SecurityHeaders(app: ASGIApp) -> ASGIApp:  # noqa: N802 (a middleware class's name: add_middleware(...))
    return CrowdSecurityHeaders(app, security_headers)


# --- the access log ------------------------------------------------------------------------------------

ACCESS_LOGGER = "uvicorn.access"
_RECEIPT_PATH = re.compile(r"/receipt/[^\s\"]*")
_SECRET_QUERY = re.compile(r"([?&;])k=[^&#\s\"]*")


def redact_access_line(text: str) -> str:
    """``text`` without a receipt's id or secret: a ``/receipt/...`` path (with its query) becomes
    ``/receipt/[redacted]``, and any ``k=`` query value ``k=[redacted]``."""
    return _SECRET_QUERY.sub(r"\1k=[redacted]", _RECEIPT_PATH.sub("/receipt/[redacted]", text))


class AccessLogRedaction(logging.Filter):
    """On uvicorn's access logger: the access log records every request's path and query with the
    client's address; a receipt's path holds a signature id and its query the receipt secret."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_access_line(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact_access_line(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: redact_access_line(a) if isinstance(a, str) else a for k, a in record.args.items()}
        return True


def install_access_log_redaction() -> None:
    """Idempotent; called by ``install`` in every worker, after uvicorn configured its logging."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, AccessLogRedaction) for f in logger.filters):
        logger.addFilter(AccessLogRedaction())


# --- the CSRF secret and tokens ---------------------------------------------------------------------

CSRF_KEY_PURPOSE = "web-csrf"


def csrf_secret(engine: Engine, data_dir: Path) -> bytes:
    """The HMAC key of the forms' tokens, kept in ``server_key`` (encrypted under the data folder's key
    file, ``server.security``) so that every worker and host checks the others' tokens."""
    return security.stored_secret(engine, data_dir, CSRF_KEY_PURPOSE)


def make_token(secret: bytes, purpose: str, binding: str, expires: datetime) -> str:
    exp = str(int(expires.timestamp()))
    mac = hmac.new(secret, f"{purpose}|{binding}|{exp}".encode(), hashlib.sha256).hexdigest()
    return f"{exp}.{mac}"


def check_token(secret: bytes, purpose: str, binding: str, token: str | None, *, now: float | None = None) -> bool:
    if not token or not binding or token.count(".") != 1:
        return False
    exp, mac = token.split(".")
    if not exp.isdigit() or int(exp) < (time.time() if now is None else now):
        return False
    expected = hmac.new(secret, f"{purpose}|{binding}|{exp}".encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, mac)


# --- the receipt page's languages ----------------------------------------------------------------------
# Its words are the signer catalogue's (db/signer_text.py): the template's own, and these, which its
# handlers pass in as the page's problem or title.

RECEIPT_TITLE = N_("Your signature")
NOT_A_RECEIPT = N_("This is not a receipt link. Check that the whole link was copied.")
FORM_EXPIRED = N_("This page was open too long or your browser did not send back its cookie. "
                  "Open the receipt link again and try once more.")
TOO_MANY = N_("Too many requests; try again in a minute.")
CONFIRM_NEEDED = N_("Tick the box to confirm that you want to withdraw your signature.")
LANGUAGE_NAMES = signer_text.LANGUAGE_NAMES
RTL = signer_text.RTL


def choose_language(request: Request) -> str:
    """``?lang=`` first, then the browser's Accept-Language, then English. Never the signature's own
    locale: the page must look the same for an id that never arrived."""
    return signer_text.choose_language(request.query_params.get("lang"), request.headers.get("accept-language"))


# --- rendering ---------------------------------------------------------------------------------------

def _utc(value: datetime | None) -> str:
    return "" if value is None else as_utc(value).strftime("%Y-%m-%d %H:%M UTC")


def _utc_seconds(value: datetime | None) -> str:
    return "" if value is None else as_utc(value).strftime("%Y-%m-%d %H:%M:%S UTC")


def day(value: datetime | None) -> str:
    return "" if value is None else as_utc(value).strftime("%Y-%m-%d")


def _offset(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    if abs(seconds) >= 3600:
        return f"{seconds / 3600:+.1f} h"
    if abs(seconds) >= 120:
        return f"{seconds / 60:+.0f} min"
    return f"{seconds:+.1f} s"


_templates = Environment(
    loader=FileSystemLoader(str(TEMPLATES_DIR)),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_templates.filters.update(utc=_utc, utc_seconds=_utc_seconds, day=day, offset=_offset)


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """``name`` rendered; the template's ``_("...")`` says it in the page's ``lang`` (the signer catalogue)."""
    context.setdefault("lang", "en")
    context.setdefault("dir", "rtl" if context["lang"] in RTL else "ltr")
    context["_"] = signer_text.translator(context["lang"])
    context["root"] = request.scope.get("root_path", "")
    return HTMLResponse(_templates.get_template(name).render(**context), status_code=status)


def error_page(request: Request, status: int, title: str, message: str, *, lang: str = "en",
               headers: dict[str, str] | None = None) -> HTMLResponse:
    page = render(request, "error.html", status, title=title, message=message, lang=lang)
    page.headers.update(headers or {})
    return page


def qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


# --- request helpers ---------------------------------------------------------------------------------

class FormRefused(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def _cross_site(request: Request) -> bool:
    """A POST that a browser tells us came from another site (or a sibling sub-domain)."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return True
    origin = request.headers.get("origin")
    if origin is None or origin == "null":  # "null" (privacy settings, some redirects): the token decides
        return False
    return urlsplit(origin).netloc.lower() != request.headers.get("host", "").lower()


async def read_form(request: Request) -> dict[str, str]:
    if _cross_site(request):
        raise FormRefused(403, "cross-site")
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/x-www-form-urlencoded":
        raise FormRefused(415, "not a form")
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise FormRefused(413, "form too large")
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=20)
    except (UnicodeDecodeError, ValueError):
        raise FormRefused(400, "not a form") from None
    form: dict[str, str] = {}
    for key, value in pairs:
        form.setdefault(key, value)
    return form


def receipt_key(value: str | None) -> str | None:
    """The receipt secret ``k`` as given (None when absent or absurdly long)."""
    if not value or len(value) > withdrawals.SECRET_MAX:
        return None
    return value


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def form_nonce(request: Request) -> tuple[str, bool]:
    """The browser's form nonce (from its cookie), or a new one to set; True when it is new."""
    current = request.cookies.get(NONCE_COOKIE, "")
    if 20 <= len(current) <= 64 and current.replace("-", "").replace("_", "").isalnum():
        return current, False
    return secrets.token_urlsafe(24), True


def set_nonce(response: Response, request: Request, nonce: str) -> None:
    response.set_cookie(NONCE_COOKIE, nonce, httponly=True, samesite="strict", secure=is_https(request), path="/")
