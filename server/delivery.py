"""The delivery package: the letter and the people who stand behind it, for its recipient, each person
counted once, and a verification file anyone can check.

``petition-server deliver`` (CLI only: the passphrase of a sealed campaign never enters the running
server) gathers a campaign's counted signatures with the one duplicate rule (``server.dedupe``),
places each signer in a region (``server.regions``), writes the verification file and then the PDF
(``server.delivery_pdf``), which prints the verification file's SHA-256.

The verification file holds, per counted signature, its id, campaign version, signing date (UTC),
region and content hash, nothing a signer typed, and is signed with the server's Ed25519 key (the one
devices pin at enrollment). What it allows, and no more: each signer can find their own receipt id in
it; anyone can check that no id appears twice, that the totals match the list, and that the server
signed it. The same data and options give the same bytes (no time of writing in it; ids sorted).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tempfile
import zipfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

import nacl.exceptions
import nacl.signing
from nacl.public import PrivateKey
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from db.campaigns import BundleError, load_bundle
from db.campaigns import Campaign as Bundle
from db.files import write_atomically
from db.schemas import as_utc
from server import confirmations, dedupe, events, regions, security
from server.models import CampaignVersion, StoredSignature

FORMAT = "petition-kiosk/delivery-verification/1"
Names = Literal["full", "initials", "none"]
NAMES: tuple[Names, ...] = ("full", "initials", "none")
ENTRY_FIELDS = ("id", "version", "date", "region", "content_sha256")
LANGS = ("en", "de", "ar")


class DeliveryError(Exception):
    """A delivery that cannot be made as asked (said to the operator as it is)."""


@dataclass(frozen=True)
class Options:
    slug: str
    since: date | None = None
    until: date | None = None
    by: regions.By = "region"
    names: Names | None = None  # None: full when the bundle declares consent to it, else initials
    lang: str | None = None  # None: the campaign's default language


@dataclass(frozen=True)
class Signer:
    id: str
    device_id: str
    version: int
    day: date
    region: str
    content_hash: str
    event_id: str | None
    mode: str
    name: str  # as the options say: full, initials or empty
    place: str  # the city the signer gave, or empty


@dataclass(frozen=True)
class Event:
    """A place of collection on the cover: an event its device told the server about (name, place and
    day, API version 2), or, with ``event_id`` None, every signature whose event the server does not
    know ("other places", never named)."""

    event_id: str | None
    first: date
    last: date
    signers: int
    paper: bool
    device_id: str | None = None
    name: str | None = None
    place: str | None = None
    day: date | None = None


@dataclass
class Delivery:
    campaign: Bundle
    options: Options
    names: Names
    lang: str
    signers: list[Signer] = field(default_factory=list)  # counted, in the period, by region then name
    region_counts: dict[str, int] = field(default_factory=dict)
    live: int = 0  # signatures that stand (not voided, not withdrawn), before duplicates, whole campaign
    counted_all: int = 0  # people counted, whole campaign
    not_opened: list[str] = field(default_factory=list)  # sealed signatures that did not open: not delivered
    events: list[Event] = field(default_factory=list)
    # Of ``signers``, those who confirmed by email and those sent a message who have not (yet); None when
    # the campaign does not ask (server.confirmations). The others gave no address.
    confirmed: int | None = None
    unconfirmed: int | None = None

    @property
    def total(self) -> int:
        return len(self.signers)

    @property
    def period(self) -> tuple[date, date] | None:
        if not self.signers:
            return None
        days = [s.day for s in self.signers]
        return min(days), max(days)


def initials(given: str | None, family: str | None) -> str:
    """'R. H.' for Rana Haddad; each word of each name gives its first letter."""
    words = " ".join(filter(None, (given, family))).split()
    return " ".join(f"{w[0]}." for w in words if w)


def _name(fields: Mapping[str, Any], names: Names) -> str:
    given, family = fields.get("given_name"), fields.get("family_name")
    if names == "none":
        return ""
    if names == "initials":
        return initials(given, family)
    return " ".join(" ".join(filter(None, (given, family))).split())


def published_bundle(slug: str, *, session: Session, scratch: Path) -> Bundle:
    """The newest published version of ``slug``, unpacked into ``scratch``: its letter is the one delivered."""
    row = session.exec(
        select(CampaignVersion.version, CampaignVersion.bundle_zip).where(CampaignVersion.slug == slug)
        .order_by(col(CampaignVersion.version).desc()).limit(1)
    ).first()
    if row is None:
        raise DeliveryError(f"no published campaign {slug!r} (see `petition-server stats`)")
    with zipfile.ZipFile(io.BytesIO(bytes(row[1]))) as zf:
        zf.extractall(scratch)  # the server's own zip, made by campaigns.pack_bundle
    try:
        return load_bundle(scratch, source="server")
    except BundleError as exc:  # pragma: no cover - it was validated when published
        raise DeliveryError(str(exc)) from None


def collect(engine: Engine, options: Options, keys: Mapping[str, PrivateKey]) -> Delivery:
    """Everything the package shows, read in one session; sealed signatures opened with ``keys``."""
    if options.since and options.until and options.since > options.until:
        raise DeliveryError("--since is after --until")
    with tempfile.TemporaryDirectory(prefix="petition-deliver-") as scratch, Session(engine) as session:
        bundle = published_bundle(options.slug, session=session, scratch=Path(scratch))
        names: Names = options.names or ("full" if bundle.manifest.delivery.names_consented else "initials")
        lang = options.lang or bundle.manifest.default_locale
        if lang not in bundle.texts:
            raise DeliveryError(f"the campaign has no texts in {lang!r}; it has {', '.join(sorted(bundle.texts))}")
        delivery = Delivery(bundle, options, names, lang)
        extras: dict[dedupe.Key, tuple[Any, ...]] = {}
        people = []
        for person, extra in dedupe.read_people(
            options.slug, session=session, keys=keys, fields=(*dedupe.IDENTITY_FIELDS, "city", "country"),
            extra=(StoredSignature.campaign_version, StoredSignature.created_at, StoredSignature.content_hash,
                   StoredSignature.event_id, StoredSignature.mode),
        ):
            people.append(person)
            extras[person.key] = extra
        found = dedupe.count_people(people)
    delivery.live, delivery.counted_all = found.live, len(found.counted)
    signers = []
    for person in found.counted:
        version, created_at, content_hash, event_id, mode = extras[person.key]
        if not person.opened:
            delivery.not_opened.append(person.key[1])
            continue
        day = as_utc(created_at).date()
        if (options.since and day < options.since) or (options.until and day > options.until):
            continue
        fields = person.fields
        signers.append(Signer(
            id=person.key[1], device_id=person.key[0], version=int(version), day=day,
            region=regions.region_code(fields.get("country"), fields.get("postal_code"), options.by),
            content_hash=content_hash, event_id=event_id, mode=str(getattr(mode, "value", mode)),
            name=_name(fields, names), place=" ".join(str(fields.get("city") or "").split()),
        ))
    clashing = [i for i, n in Counter(s.id for s in signers).items() if n > 1]
    if clashing:
        raise DeliveryError(f"two devices sent signature id {clashing[0]}: void the one that is not genuine "
                            "(petition-server void ID --device DEVICE_ID --reason TEXT) and deliver again")
    labels = {code: regions.label(code, lang) for code in {s.region for s in signers}}
    signers.sort(key=lambda s: (labels[s.region].casefold(), s.name.casefold(), s.place.casefold(), s.id))
    delivery.signers = signers
    delivery.region_counts = dict(sorted(Counter(s.region for s in signers).items(),
                                         key=lambda item: labels[item[0]].casefold()))
    with Session(engine) as session:
        named = events.named_events({(s.device_id, s.event_id) for s in signers if s.event_id}, session=session)
        if confirmations.asked(options.slug, session=session) is not None:
            messages = confirmations.message_keys(options.slug, session=session)
            answers = [messages[(s.device_id, s.id)] for s in signers if (s.device_id, s.id) in messages]
            delivery.confirmed, delivery.unconfirmed = sum(answers), len(answers) - sum(answers)
    delivery.events = _events(signers, named)
    return delivery


def _events(signers: list[Signer], named: Mapping[tuple[str, str], events.NamedEvent]) -> list[Event]:
    """The places of collection: each event the server knows (by its device and id), by day and name,
    then "other places" (event unknown to the server, or none) as one unnamed entry."""
    spans: dict[tuple[str, str] | None, list[Any]] = {}
    for s in signers:
        key = (s.device_id, s.event_id) if s.event_id and (s.device_id, s.event_id) in named else None
        span = spans.setdefault(key, [s.day, s.day, 0, True])
        span[0], span[1], span[2] = min(span[0], s.day), max(span[1], s.day), span[2] + 1
        span[3] = span[3] and s.mode == "paper"
    known = [Event(key[1], a, b, n, paper, key[0], named[key].name, named[key].place, named[key].day)
             for key, (a, b, n, paper) in spans.items() if key is not None]
    known.sort(key=lambda e: (e.day or e.first, (e.name or "").casefold(), (e.place or "").casefold(),
                              e.device_id or "", e.event_id or ""))
    other = spans.get(None)
    return known + ([Event(None, other[0], other[1], other[2], other[3])] if other else [])


# --- the verification file ------------------------------------------------------------------------

def _canonical(document: Mapping[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def verification_document(delivery: Delivery, signing_key: nacl.signing.SigningKey) -> dict[str, Any]:
    raw = bytes(signing_key.verify_key)
    body: dict[str, Any] = {
        "format": FORMAT,
        "campaign": delivery.campaign.slug,
        "versions": sorted({s.version for s in delivery.signers}),
        "since": delivery.options.since.isoformat() if delivery.options.since else None,
        "until": delivery.options.until.isoformat() if delivery.options.until else None,
        "by": delivery.options.by,
        "total": delivery.total,
        "regions": dict(sorted(delivery.region_counts.items())),
        # By id, never in the PDF's order: the order must not tie an id to a name.
        "signatures": [
            {"id": s.id, "version": s.version, "date": s.day.isoformat(), "region": s.region,
             "content_sha256": s.content_hash}
            for s in sorted(delivery.signers, key=lambda s: s.id)
        ],
        "signed_by": {"algorithm": "Ed25519", "public_key": base64.b64encode(raw).decode("ascii"),
                      "key_id": security.key_id(raw)},
    }
    signature = signing_key.sign(_canonical(body)).signature
    return {**body, "signature": base64.b64encode(signature).decode("ascii")}


def verification_bytes(document: Mapping[str, Any]) -> bytes:
    """The file's bytes: sorted keys, one entry per line, UTF-8, so the same data gives the same bytes."""
    head = {k: v for k, v in document.items() if k != "signatures"}
    lines = [json.dumps(entry, sort_keys=True, ensure_ascii=False) for entry in document["signatures"]]
    text = json.dumps(head, sort_keys=True, indent=1, ensure_ascii=False)
    body = ",\n  ".join(lines)
    # The list goes last, one entry per line: readable, diffable, and still plain JSON.
    before, after = text[:-2], text[-2:]
    text = f'{before},\n "signatures": [\n  {body}\n ]{after}' if lines else f'{before},\n "signatures": []{after}'
    return (text + "\n").encode("utf-8")


@dataclass
class Checked:
    ok: bool
    problems: list[str]
    total: int = 0
    regions: dict[str, int] = field(default_factory=dict)
    key_id: str = ""
    sha256: str = ""


def verify(data: bytes, *, public_key: str | None = None) -> Checked:
    """Check a verification file: the server's signature (with the key in it, or ``public_key`` when
    given: the key a device pinned or the PDF printed), no id twice, and totals that match the list."""
    sha = hashlib.sha256(data).hexdigest()
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return Checked(False, ["not a JSON verification file"], sha256=sha)
    problems: list[str] = []
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return Checked(False, [f"not a verification file of format {FORMAT}"], sha256=sha)
    try:
        signed_by = document["signed_by"]
        raw = base64.b64decode(signed_by["public_key"], validate=True)
        signature = base64.b64decode(document["signature"], validate=True)
        entries = list(document["signatures"])
        total, region_counts = int(document["total"]), dict(document["regions"])
    except (KeyError, TypeError, ValueError) as exc:
        return Checked(False, [f"a required part is missing or malformed ({type(exc).__name__}: {exc})"], sha256=sha)
    key_id = security.key_id(raw)
    if public_key is not None:
        try:
            required = base64.b64decode(public_key, validate=True)
        except ValueError:  # binascii.Error is one
            required = b""
        if required != raw:
            problems.append(f"signed with key {key_id}, not with the key given")
    body = {k: v for k, v in document.items() if k != "signature"}
    try:
        nacl.signing.VerifyKey(raw).verify(_canonical(body), signature)
    except (nacl.exceptions.BadSignatureError, ValueError, TypeError):
        problems.append("the server's signature does not verify: the file was changed after it was signed")
    ids = Counter(e.get("id") if isinstance(e, dict) else None for e in entries)
    twice = sorted(str(i) for i, n in ids.items() if n > 1)
    if twice:
        problems.append(f"{len(twice)} id(s) appear more than once, e.g. {twice[0]}")
    strange = [e for e in entries if not isinstance(e, dict) or set(e) != set(ENTRY_FIELDS)]
    if strange:
        problems.append(f"{len(strange)} entries do not have exactly the fields {', '.join(ENTRY_FIELDS)}")
    if total != len(entries):
        problems.append(f"the total says {total}, the list has {len(entries)}")
    listed = Counter(e.get("region") for e in entries if isinstance(e, dict))
    if dict(listed) != region_counts or sum(region_counts.values()) != total:
        problems.append("the per-region counts do not match the list")
    return Checked(not problems, problems, total, region_counts, key_id, sha)


def default_verification_path(pdf: Path) -> Path:
    return pdf.with_name(pdf.stem + ".verification.json")


@dataclass(frozen=True)
class Delivered:
    delivery: Delivery
    verification: Path
    verification_sha256: str
    pages: int


def deliver(engine: Engine, options: Options, keys: Mapping[str, PrivateKey], out: Path,
            verification: Path | None = None, *, data_dir: Path) -> Delivered:
    """Collect, write the verification file, then the PDF that prints its SHA-256."""
    from server import delivery_pdf  # fpdf2 loads only for a delivery

    if options.lang is not None and options.lang not in LANGS:
        raise DeliveryError(f"--lang: one of {', '.join(LANGS)}")
    found = collect(engine, options, keys)
    verification = verification or default_verification_path(Path(out))
    document = verification_document(found, security.signing_key(engine, data_dir))
    data = verification_bytes(document)
    digest = hashlib.sha256(data).hexdigest()
    try:
        pdf, pages = delivery_pdf.render(found, verification_sha256=digest, key_id=document["signed_by"]["key_id"],
                                         made_on=_made_on(found))
    except delivery_pdf.FontsMissing as exc:
        raise DeliveryError(str(exc)) from None
    write_atomically(Path(verification), data)  # owner-only, and only once complete
    write_atomically(Path(out), pdf)
    return Delivered(found, Path(verification), digest, pages)


def _made_on(found: Delivery) -> datetime:
    """The PDF's creation date: the last signing day delivered (not the clock), so the same data and
    options give the same file."""
    last = found.period[1] if found.period else date(2000, 1, 1)
    return datetime(last.year, last.month, last.day, tzinfo=UTC)
