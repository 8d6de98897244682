"""The phone pages of crowd mode: an ASGI app (Starlette) that uvicorn serves on the stand's network.

Every page lives under ``/s/<access-token>`` (the token is in the petition's QR code); anything else,
or a wrong token, is the same plain "not found" and counts as a failure against that phone
(``db/crowd/limits.py``). One page shows the campaign's letter, demands and co-signers, then the form
with exactly the kiosk's fields, rules and consent texts; it works without JavaScript.

A signature goes through the kiosk's own save path (``db/signatures.py``: validation, sealing when the
campaign seals, SHA-256 of the letter and consent texts this page showed, one durable SQLite
transaction) with mode ``phone``, and the phone hears "thank you" only after the commit. Its id is made
when the form is served and carried by the form's token (an HMAC over it), so a double tap or a
re-sent form saves one signature, and a form cannot be forged by another page.

Privacy: nothing personal is kept in memory, cookies or logs; every page is ``no-store``; a second
visit shows an empty form; no answer says whether anyone else signed.

The central server serves the same page online (``server/pages/sign.py``): what both need, rendering
the page (``render_page``, ``render``, ``message_page``) and reading a sent form up to a validated
record (``read_submission``, ``build_signature``), takes a ``PageSource`` (this module's
``CrowdConfig`` or the server's page of one campaign); only where the signature is stored and how
clients are limited differ.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import escape
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uuid6 import uuid7

from db import signatures, signer_text
from db.campaigns import Campaign, LocalisedCampaign, paragraphs
from db.countries import country_choices
from db.crowd.limits import RateLimits
from db.fields import MAX_LENGTH, PARTNERS_MAX
from db.paths import resource_path
from db.schemas import Mode, SignatureCreate
from db.sealing import SealingUnavailable
from db.validation import SignatureInvalid

log = logging.getLogger("db.crowd")

MAX_BODY_BYTES = 32 * 1024  # eight fields and a 1,000-character comment, percent-encoded Arabic included
OVERTYPE = 20  # characters a box takes beyond the limit, so "too long" is said, never cut (as the kiosk)
FORM_TTL_S = 4 * 3600  # a form read slowly, all afternoon, still signs
MAX_FIELDS = 20 + PARTNERS_MAX  # the form's own, and one per partner's opt-in ticked
# A field people never see (off-screen, hidden from screen readers, out of the tab order): a form that
# fills it in was filled by a program.
HONEYPOT_FIELD = "leave_empty"

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"cache-control", b"no-store"),
    (b"pragma", b"no-cache"),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    # The access token is in every address: never sent to another site.
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"x-robots-tag", b"noindex, nofollow"),
]

# Paths browsers ask for on their own (an icon, robots): answered empty, never counted as a failure,
# or twenty page loads would lock a phone out.
BROWSER_ASKS = frozenset({"/favicon.ico", "/robots.txt"})

# Autocomplete names, so a signer's own phone fills in what it knows (it is their phone).
AUTOCOMPLETE = {"given_name": "given-name", "family_name": "family-name", "email": "email", "phone": "tel",
                "postal_code": "postal-code", "city": "address-level2", "country": "country"}
INPUT_TYPES = {"email": "email", "phone": "tel"}
INPUT_MODES = {"email": "email", "phone": "tel"}


class PageSource(Protocol):
    """What rendering the page and checking its form need. ``token`` is the address's last part
    (``/s/<token>``), bound into every form token: crowd mode's access token, the server's campaign slug."""

    @property
    def campaign(self) -> Campaign: ...
    @property
    def token(self) -> str: ...
    @property
    def form_secret(self) -> bytes: ...
    @property
    def clock(self) -> Callable[[], float]: ...
    @property
    def empty_pages(self) -> dict[str, str]: ...  # pages rendered once: the empty form's and the thank-you page's


@dataclass
class CrowdConfig:
    """What one serving of the phone pages needs. ``on_signed`` is called after each durable save."""

    engine: Engine
    campaign: Campaign
    token: str
    event_id: str | None = None
    limits: RateLimits = field(default_factory=RateLimits)
    on_signed: Callable[[], None] | None = None
    form_secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    clock: Callable[[], float] = time.time
    empty_pages: dict[str, str] = field(default_factory=dict, repr=False)  # render_page's and thanks_page's


Headers = list[tuple[bytes, bytes]]


class SecurityHeaders:
    """Sets ``headers_for(scope)`` on every answer, replacing any a route set: set here, no route can
    forget them. The phone pages' are always ``HEADERS``; the server names its own per path
    (server/web.py)."""

    def __init__(self, app: ASGIApp, headers_for: Callable[[Scope], Headers] = lambda _scope: HEADERS) -> None:
        self.app = app
        self.headers_for = headers_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self.headers_for(scope)
        names = {name for name, _ in extra}

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": kept + extra}
            await send(message)

        await self.app(scope, receive, with_headers)


@lru_cache(maxsize=1)
def _templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(resource_path("phone", "templates"))),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["paragraphs"] = paragraphs
    return env


def stylesheet_path() -> Path:
    return resource_path("phone", "phone.css")


# --- the form's token ------------------------------------------------------------------------------------


def form_token(config: PageSource, signature_id: str, now: float | None = None) -> str:
    expires = int((config.clock() if now is None else now) + FORM_TTL_S)
    mac = hmac.new(config.form_secret, f"phone-form|{config.token}|{signature_id}|{expires}".encode(),
                   hashlib.sha256).hexdigest()[:32]
    return f"{signature_id}.{expires}.{mac}"


def check_form_token(config: PageSource, value: str) -> tuple[str | None, bool]:
    """(the signature id the form was served with, whether the token is genuine); an expired
    genuine token gives (None, True)."""
    signature_id, _, rest = value.partition(".")
    expires, _, mac = rest.partition(".")
    if not (signature_id and expires.isdigit() and len(mac) == 32 and len(signature_id) == 36):
        return None, False
    expected = hmac.new(config.form_secret, f"phone-form|{config.token}|{signature_id}|{expires}".encode(),
                        hashlib.sha256).hexdigest()[:32]
    if not hmac.compare_digest(expected, mac):
        return None, False
    if int(expires) < config.clock():
        return None, True
    return signature_id, True


# --- languages -------------------------------------------------------------------------------------------


def page_language(campaign: Campaign, asked: str | None, accept_language: str | None) -> str:
    """``?lang=`` first, then the phone's own languages, then the campaign's default: always one the
    campaign has and the catalogue speaks."""
    offered = [lang for lang in campaign.manifest.locales if lang in signer_text.LANGUAGES]
    if asked in offered:
        return str(asked)
    chosen = signer_text.choose_language(None, accept_language)
    if chosen in offered and accept_language:
        return chosen
    default = campaign.manifest.default_locale
    return default if default in offered else (offered[0] if offered else "en")


# --- pages -----------------------------------------------------------------------------------------------


@dataclass
class FormState:
    values: dict[str, str] = field(default_factory=dict)
    consent: bool = False
    updates: bool = False
    partners: frozenset[str] = frozenset()  # the slugs of the partners' opt-ins ticked
    errors: dict[str, str] = field(default_factory=dict)
    banner: str = ""


def _fields(shown: LocalisedCampaign, lang: str, state: FormState) -> list[dict[str, Any]]:
    form = shown.campaign.manifest.form
    out = []
    for f in form.fields:
        out.append({
            "name": f.name,
            "label": signer_text.field_label(lang, f.name),
            "optional": not f.required and not (form.require_a_name and f.name in ("given_name", "family_name")),
            "value": state.values.get(f.name, ""),
            "error": state.errors.get(f.name, ""),
            "maxlength": MAX_LENGTH[f.name] + OVERTYPE,
            "autocomplete": AUTOCOMPLETE.get(f.name, "off"),
            "type": INPUT_TYPES.get(f.name, "text"),
            "inputmode": INPUT_MODES.get(f.name),
            "latin": f.name in ("email", "postal_code"),
        })
    return out


_TOKEN_SLOT = "\x00form-token\x00"
# More partners' opt-ins than this fold into one list (a <details>, which needs no script), as on the kiosk.
FOLD_PARTNERS_AFTER = 3


def render_page(config: PageSource, lang: str, state: FormState | None = None, *, status: int = 200) -> HTMLResponse:
    """The letter and the form. An empty form (every phone's first visit) is rendered once per
    language and only its form token changes: a crowd opening the page costs no template work."""
    if state is None:
        cached = config.empty_pages.get(lang)
        if cached is None:
            cached = config.empty_pages[lang] = _page_html(config, lang, FormState(), _TOKEN_SLOT)
        return HTMLResponse(cached.replace(_TOKEN_SLOT, form_token(config, str(uuid7())), 1), status_code=status)
    return HTMLResponse(_page_html(config, lang, state, form_token(config, str(uuid7()))), status_code=status)


def _page_html(config: PageSource, lang: str, state: FormState, token: str) -> str:
    campaign = config.campaign
    shown = campaign.localised(lang)
    form = campaign.manifest.form
    names = [f.name for f in form.fields]
    countries = country_choices(lang) if "country" in names else ()
    if "country" in names and not state.values.get("country") and form.default_country:
        state.values["country"] = form.default_country
    context = {
        "shown": shown, "t": shown.texts, "organisations": campaign.manifest.organisations,
        "fields": _fields(shown, lang, state), "countries": countries,
        "name_hint": signer_text.name_hint(lang) if "given_name" in names and "family_name" in names else "",
        "state": state, "form_token": token,
        "consent_error": state.errors.get("consent_processing", ""),
        "original": shown.consent_original,
        "handwriting_required": form.handwriting == "required",
        "photo": campaign.photo_path is not None,
        # one opt-in per offered partner, each naming it; more than FOLD_PARTNERS_AFTER fold into one list
        "partners": [{"slug": p.slug, "text": shown.partner_consent(p),
                      "original": shown.consent_original.partner_consent(p) if shown.consent_original else None}
                     for p in campaign.manifest.partners],
        "fold_partners": len(campaign.manifest.partners) > FOLD_PARTNERS_AFTER,
    }
    return _html(config, lang, "page.html", **context)


_RECEIPT_SLOT = "\x00receipt\x00"


def thanks_page(config: PageSource, lang: str, receipt: str | None, *, online: bool = False) -> HTMLResponse:
    """The thank-you page, rendered once per language and kind and process (``empty_pages``, as the
    empty form is); only the receipt's link changes, put in escaped."""
    kind = f"thanks:{lang}:{'online' if online else 'stand'}:{'receipt' if receipt else 'none'}"
    cached = config.empty_pages.get(kind)
    if cached is None:
        cached = config.empty_pages[kind] = _html(config, lang, "thanks.html", online=online,
                                                  receipt=_RECEIPT_SLOT if receipt else None)
    return HTMLResponse(cached.replace(_RECEIPT_SLOT, str(escape(receipt)), 1) if receipt else cached)


def page_base(config: PageSource) -> str:
    """The page's own address, which its links and its form are made from: ``/s/<token>``, after the
    path the site is served under when a source has one (``root``: the central server behind a proxy
    that serves it under a prefix; crowd mode's pages are always at the root)."""
    return f"{getattr(config, 'root', '')}/s/{config.token}"


def render(config: PageSource, lang: str, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(_html(config, lang, name, **context), status_code=status)


def _html(config: PageSource, lang: str, name: str, **context: Any) -> str:
    campaign = config.campaign
    languages = [(code, signer_text.LANGUAGE_NAMES.get(code, code)) for code in campaign.manifest.locales
                 if code in signer_text.LANGUAGES]
    return _templates().get_template(name).render(
        _=signer_text.translator(lang), lang=lang, dir="rtl" if lang in signer_text.RTL else "ltr",
        base=page_base(config), languages=languages,
        title=campaign.localised(lang).texts.title, **context)


def message_page(config: PageSource | None, lang: str, status: int, heading: str, text: str,
                 *, retry_after: int | None = None) -> HTMLResponse:
    """A short page with one message; without ``config`` (no valid token) it names no campaign."""
    tr = signer_text.translator(lang)
    html = _templates().get_template("message.html").render(
        _=tr, lang=lang, dir="rtl" if lang in signer_text.RTL else "ltr", heading=heading, text=text,
        base=page_base(config) if config else None, languages=[],
        title=config.campaign.localised(lang).texts.title if config else heading)
    response = HTMLResponse(html, status_code=status)
    if retry_after is not None:
        response.headers["retry-after"] = str(retry_after)
    return response


def _not_found(lang: str) -> HTMLResponse:
    _ = signer_text.translator(lang)
    return message_page(None, lang, 404, _("Page not found"),
                        _("Scan the petition’s QR code at the stand again to open this page."))


def busy_page(config: PageSource | None, lang: str, wait_s: int) -> HTMLResponse:
    _ = signer_text.translator(lang)
    minutes = max(1, (wait_s + 59) // 60)
    return message_page(config, lang, 429, _("Please wait a little"),
                        _("Too many tries from this phone. Try again in {minutes} min.", minutes=minutes),
                        retry_after=wait_s)


# --- the app ---------------------------------------------------------------------------------------------


def _phone(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _cross_site(request: Request) -> bool:
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return True
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return False
    return urlsplit(origin).netloc.lower() != request.headers.get("host", "").lower()


async def _read_body(request: Request) -> bytes | None:
    """The body, or None when it is larger than MAX_BODY_BYTES (read no further)."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _parse(body: bytes) -> dict[str, str] | None:
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except (UnicodeDecodeError, ValueError):
        return None
    form: dict[str, str] = {}
    for key, value in pairs:
        form.setdefault(key, value)
    return form


@dataclass
class Refused:
    """A sent form that goes no further: the answer, and whether it counts as a failure of the client
    (a forged token, a form from another site, the honeypot filled in)."""

    response: Response
    failure: bool


@dataclass
class Submission:
    """A sent form whose token is genuine and current: the page's language, what was typed, and the
    signature id the form was served with (the idempotency key: a re-sent form saves one signature)."""

    lang: str
    state: FormState
    signature_id: str


_NOT_A_FORM = object()  # a body that is not application/x-www-form-urlencoded


async def read_form_body(request: Request) -> bytes | None | object:
    """What ``submission_of`` checks: the form's body, None when it is larger than MAX_BODY_BYTES, or
    ``_NOT_A_FORM``. The only part of reading a form that waits on the phone."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        return _NOT_A_FORM
    return await _read_body(request)


async def read_submission(config: PageSource, request: Request) -> Submission | Refused:
    return submission_of(config, request, await read_form_body(request))


def submission_of(config: PageSource, request: Request, body: bytes | None | object) -> Submission | Refused:
    """The sent form (``body`` as ``read_form_body`` read it), checked up to its token: from this page
    (not another site), a form no larger than MAX_BODY_BYTES, the honeypot left empty, a genuine
    unexpired token."""
    campaign = config.campaign
    lang = page_language(campaign, request.query_params.get("lang"), request.headers.get("accept-language"))
    _ = signer_text.translator(lang)
    if _cross_site(request):
        return Refused(message_page(config, lang, 403, _("Not sent"),
                                    _("This form can only be sent from its own page. Open the petition again.")), True)
    if body is None:
        return Refused(message_page(config, lang, 413, _("Not sent"),
                                    _("What you sent is far longer than this form takes. Please go back and shorten it.")),
                       False)
    data = _parse(body) if isinstance(body, bytes) else None
    if data is None:
        return Refused(message_page(config, lang, 400, _("Not sent"),
                                    _("This form can only be sent from its own page. Open the petition again.")), False)
    lang = page_language(campaign, data.get("lang"), request.headers.get("accept-language"))
    _ = signer_text.translator(lang)
    if data.get(HONEYPOT_FIELD):
        return Refused(message_page(config, lang, 400, _("Not sent"),
                                    _("This form can only be sent from its own page. Open the petition again.")), True)
    asked = [f.name for f in campaign.manifest.form.fields]
    partners = frozenset(str(p.slug) for p in campaign.manifest.partners if data.get(f"partner_{p.slug}") == "yes")
    state = FormState(values={name: data.get(name, "") for name in asked},
                      consent=data.get("consent") == "yes", updates=data.get("updates") == "yes", partners=partners)
    signature_id, genuine = check_form_token(config, data.get("form", ""))
    if signature_id is None:
        state.banner = _("This page was open for a long time. Your details are still here: please tap Sign again.")
        return Refused(render_page(config, lang, state, status=400), not genuine)
    return Submission(lang, state, signature_id)


def build_signature(config: PageSource, sent: Submission, *, mode: Mode, event_id: str | None,
                    receipt_secret: str | None) -> SignatureCreate | Response:
    """The signature record (in clear, as the kiosk builds it, with the hashes of the texts this page
    showed), or the page again with every field's problem marked (422)."""
    campaign = config.campaign
    state, lang = sent.state, sent.lang
    draft = signatures.SignatureDraft(
        fields={name: (value or None) for name, value in state.values.items()},
        consent_processing=state.consent,
        consent_updates=state.updates if campaign.manifest.form.ask_updates else None,
        mode=mode, event_id=event_id, id=sent.signature_id, receipt_secret=receipt_secret,
        partners=state.partners,
    )
    try:
        return signatures.build_record(draft, campaign.localised(lang))
    except SignatureInvalid as invalid:
        for error in invalid.errors:
            state.errors.setdefault(error.field, signer_text.validation_message(lang, error.key))
        _ = signer_text.translator(lang)
        state.banner = _("Please check the marked fields.")
        return render_page(config, lang, state, status=422)


def make_app(config: CrowdConfig) -> ASGIApp:
    campaign = config.campaign

    def first_language(request: Request) -> str:
        return page_language(campaign, request.query_params.get("lang"), request.headers.get("accept-language"))

    def gate(request: Request) -> Response | None:
        """Refused phones and wrong tokens, before anything else is looked at."""
        phone = _phone(request)
        wait = config.limits.refused(phone)
        if wait is not None:
            return busy_page(None, first_language(request), wait)
        given = str(request.path_params.get("token", ""))
        if not hmac.compare_digest(given.encode(), config.token.encode()):
            config.limits.failed(phone)
            return _not_found(first_language(request))
        return None

    async def petition(request: Request) -> Response:
        refused = gate(request)
        if refused is not None:
            return refused
        if request.method == "GET":
            return render_page(config, first_language(request))  # (state None: the empty form)
        return await sign(request)

    async def sign(request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool

        phone = _phone(request)
        sent = await read_submission(config, request)
        if isinstance(sent, Refused):
            if sent.failure:
                config.limits.failed(phone)
            return sent.response
        lang, state = sent.lang, sent.state
        _ = signer_text.translator(lang)
        receipt = campaign.manifest.links.receipt
        receipt_secret = signatures.new_receipt_secret() if receipt else None
        record = build_signature(config, sent, mode=Mode.PHONE, event_id=config.event_id, receipt_secret=receipt_secret)
        if not isinstance(record, SignatureCreate):
            return record
        wait = config.limits.may_sign(phone)
        if wait is not None:
            return busy_page(config, lang, wait)
        try:
            saved = await run_in_threadpool(signatures.save_record, record, engine=config.engine, campaign=campaign)
        except SealingUnavailable:
            config.limits.unsign(phone)
            return message_page(config, lang, 503, _("Signing is paused"),
                                _("This petition must encrypt your details and this device has no key for it. "
                                  "Please tell a volunteer."))
        except (DBAPIError, sqlite3.Error, OSError) as exc:
            config.limits.unsign(phone)
            log.error("a phone's signature could not be saved: %s", type(exc).__name__)
            state.banner = _("Your signature could not be saved. Nothing you typed is lost: please try again, "
                             "or tell a volunteer.")
            return render_page(config, lang, state, status=503)
        if saved.duplicate:
            config.limits.unsign(phone)  # the same form sent twice: one signature, one turn
        elif config.on_signed is not None:
            config.on_signed()
        receipt_link = (signatures.receipt_url(receipt, saved.id, receipt_secret)
                        if receipt and not saved.duplicate else None)
        return thanks_page(config, lang, receipt_link)

    async def stylesheet(request: Request) -> Response:
        refused = gate(request)
        return refused or FileResponse(stylesheet_path(), media_type="text/css")

    async def photo(request: Request) -> Response:
        refused = gate(request)
        if refused is not None:
            return refused
        path = campaign.photo_path
        if path is None or not path.is_file():
            return _not_found(first_language(request))
        return FileResponse(path)

    async def anything(request: Request) -> Response:
        if request.url.path in BROWSER_ASKS or request.url.path.startswith("/apple-touch-icon"):
            return Response(status_code=204)  # what browsers fetch by themselves: not a guess at the token
        phone = _phone(request)
        wait = config.limits.refused(phone)
        if wait is not None:
            return busy_page(None, first_language(request), wait)
        config.limits.failed(phone)
        return _not_found(first_language(request))

    routes = [
        Route("/s/{token}", petition, methods=["GET", "POST"]),
        Route("/s/{token}/phone.css", stylesheet, methods=["GET"]),
        Route("/s/{token}/photo", photo, methods=["GET"]),
        Route("/{rest:path}", anything, methods=["GET", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"]),
    ]
    app = Starlette(routes=routes)
    return SecurityHeaders(app)
