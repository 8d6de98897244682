"""Campaign bundles: loading, validation, the exact texts signers see, and their hashes.

A bundle is a folder (format documented in ``resources/campaigns/README.md``)::

    campaign.toml      manifest: slug, version, locales, form fields, organisations, links, goal...
    en.toml, ar.toml   one file per locale: title, intro, letter, demands, consent texts...
    photo.jpg          optional

The loader refuses a broken bundle with :class:`BundleError`, whose messages name the file and
the field at fault so an organiser can fix it.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from string import Formatter
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from db.fields import LOCALE_PATTERN, PERSONAL_FIELDS, SLUG_PATTERN
from db.paths import builtin_bundle_dirs

if TYPE_CHECKING:
    from sqlmodel import Session

    from db.models import CampaignVersion

MANIFEST = "campaign.toml"
# The manifest's format: 1 (or unset) is every bundle before partners; 2 adds the organisations' partner
# fields (slug, website, privacy_policy, public_key, offers_opt_in) and the locale texts' consent_partner.
# An app refuses a bundle whose format is newer than it reads, saying so, before it reads anything else
# (an app from before this key refuses a format-2 bundle too, naming ``format`` as a key it does not know).
BUNDLE_FORMAT = 2
FORM_FIELDS = PERSONAL_FIELDS  # the order the sign form shows them in
RTL_LOCALES = {"ar", "fa", "he", "ur", "ps", "ckb"}


class BundleError(ValueError):
    """A campaign bundle that cannot be used, with every problem found."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__(f"campaign bundle {path}: " + "; ".join(problems))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _x25519_public_key(value: str | None) -> str | None:
    if value is None:
        return None
    import base64
    import binascii

    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("not base64") from None
    if len(raw) != 32:
        raise ValueError("an X25519 public key has 32 bytes")
    return value


class Organisation(_Strict):
    """A co-signer. With a ``slug`` it is also a partner (format 2): ``offers_opt_in`` puts one opt-in
    for it on every form, and ``public_key`` (X25519, base64) is what its export files are encrypted to
    (``petition-server export --partner``). None of these is part of the letter text: only names are."""

    name: str = Field(min_length=1)
    members: tuple[Organisation, ...] = ()
    slug: str | None = Field(default=None, pattern=SLUG_PATTERN)
    website: str | None = Field(default=None, pattern=r"^https://\S+$", max_length=500)
    privacy_policy: str | None = Field(default=None, pattern=r"^https://\S+$", max_length=500)
    public_key: str | None = None
    offers_opt_in: bool = False

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value

    @field_validator("public_key")
    @classmethod
    def _key(cls, value: str | None) -> str | None:
        return _x25519_public_key(value)

    @model_validator(mode="after")
    def _partner_has_slug(self) -> Organisation:
        if (self.offers_opt_in or self.public_key is not None) and self.slug is None:
            raise ValueError("an organisation that offers an opt-in or has a key needs a slug")
        return self

    @property
    def key_id(self) -> str | None:
        if self.public_key is None:
            return None
        import base64

        return hashlib.sha256(base64.b64decode(self.public_key)).hexdigest()[:16]


def all_organisations(orgs: tuple[Organisation, ...]) -> list[Organisation]:
    """Every organisation of the tree, members after their coalition, in the manifest's order."""
    out: list[Organisation] = []
    for org in orgs:
        out.append(org)
        out += all_organisations(org.members)
    return out


class FormField(_Strict):
    name: Literal["given_name", "family_name", "email", "phone", "postal_code", "city", "country", "comment"]
    required: bool = False


class Form(_Strict):
    fields: tuple[FormField, ...]
    handwriting: Literal["off", "optional", "required"] = Field(
        default="off", description="a handwritten signature drawn with a finger or stylus"
    )
    require_a_name: bool = Field(
        default=True, description="at least one of given/family name; many people have only one name"
    )
    ask_updates: bool = Field(default=True, description="show the 'keep me informed' opt-in")
    default_country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")

    @field_validator("fields")
    @classmethod
    def _unique(cls, value: tuple[FormField, ...]) -> tuple[FormField, ...]:
        names = [f.name for f in value]
        if len(set(names)) != len(names):
            raise ValueError("a field is listed twice")
        return tuple(sorted(value, key=lambda f: FORM_FIELDS.index(f.name)))

    @cached_property
    def asked(self) -> dict[str, bool]:
        """Each field the form asks for, and whether it is required (read on every save)."""
        return {f.name: f.required for f in self.fields}

    def has(self, name: str) -> bool:
        return name in self.asked

    def is_required(self, name: str) -> bool:
        return self.asked.get(name, False)


class Links(_Strict):
    full_letter: str | None = None
    online_petition: str | None = None
    receipt: str | None = Field(default=None, description="URL template with {id}, for a per-signature receipt")


SealingMode = Literal["required", "when-key", "off"]
SEALING_FILE = "sealing.toml"  # written into a bundle by the server that publishes it


class Sealing(_Strict):
    """How the campaign protects its signers on the device (db/sealing.py, SECURITY.md).

    ``required``: signatures are sealed to the campaign's key (or, if the bundle carries none, the key
    of the server the device is enrolled with); without a key the campaign cannot collect.
    ``when-key``: sealed once the device holds a server's key, in clear before (an offline demo).
    ``off``: never sealed. Unset: ``required`` when the bundle carries a key or comes from a server,
    ``when-key`` otherwise."""

    mode: SealingMode | None = None
    public_key: str | None = Field(default=None, description="X25519 public key, 32 bytes, base64")
    key_id: str | None = Field(default=None, pattern=r"^[0-9a-f]{16}$")
    clear_postal_code: bool = Field(default=False, description="keep the postal code readable on the device")

    @field_validator("public_key")
    @classmethod
    def _key(cls, value: str | None) -> str | None:
        return _x25519_public_key(value)

    @model_validator(mode="after")
    def _key_matches(self) -> Sealing:
        if self.key_id is not None and self.public_key is not None:
            import base64

            if hashlib.sha256(base64.b64decode(self.public_key)).hexdigest()[:16] != self.key_id:
                raise ValueError("key_id does not belong to public_key")
        if self.mode == "off" and self.public_key is not None:
            raise ValueError("a campaign with sealing off carries no key")
        return self


class Delivery(_Strict):
    """How the petition may reach its recipient (``petition-server deliver``)."""

    names_consented: bool = Field(
        default=False, description="the signers' consent covers their names being delivered to the recipient; "
        "the delivery then lists full names by default (initials otherwise)")


class Manifest(_Strict):
    format: int = Field(default=1, ge=1, le=BUNDLE_FORMAT)
    slug: str = Field(pattern=SLUG_PATTERN)
    version: int = Field(ge=1)
    default_locale: str = Field(pattern=LOCALE_PATTERN)
    locales: tuple[str, ...] = Field(min_length=1)
    data_controller: str = Field(min_length=2, description="who controls the signers' data; named in consent")
    goal: int = Field(default=100, ge=1)
    photo: str | None = None
    form: Form
    links: Links = Links()
    organisations: tuple[Organisation, ...] = ()
    sealing: Sealing = Sealing()
    delivery: Delivery = Delivery()

    @field_validator("photo")
    @classmethod
    def _photo_in_bundle(cls, value: str | None) -> str | None:
        """A file inside the bundle's folder: a bundle must not show (or probe for) any file on the disk."""
        from pathlib import PurePosixPath

        if value is None:
            return None
        path = PurePosixPath(value)
        if path.is_absolute() or ".." in path.parts or "\\" in value or ":" in value or not path.parts:
            raise ValueError("the photo must be a file inside the bundle's folder")
        return value

    @model_validator(mode="after")
    def _default_is_listed(self) -> Manifest:
        if self.default_locale not in self.locales:
            raise ValueError(f"default_locale {self.default_locale!r} is not in locales")
        return self

    @model_validator(mode="after")
    def _partners(self) -> Manifest:
        orgs = all_organisations(self.organisations)
        slugs = [org.slug for org in orgs if org.slug is not None]
        if len(set(slugs)) != len(slugs):
            raise ValueError("an organisation slug is listed twice")
        if slugs and self.format < 2:
            raise ValueError("organisations with a slug need format = 2")
        return self

    @property
    def partners(self) -> tuple[Organisation, ...]:
        """The organisations the form offers an opt-in for, in the manifest's order."""
        return tuple(org for org in all_organisations(self.organisations) if org.offers_opt_in)

    @property
    def partner_organisations(self) -> tuple[Organisation, ...]:
        """Every organisation with a slug (a partner, whether or not the form offers its opt-in)."""
        return tuple(org for org in all_organisations(self.organisations) if org.slug is not None)

    def partner(self, slug: str) -> Organisation | None:
        return next((org for org in all_organisations(self.organisations) if org.slug == slug), None)


class FullLetter(_Strict):
    heading: str
    addressee: str | None = None
    body: str
    demands_intro: str | None = None


class LocaleTexts(_Strict):
    reviewed: bool = Field(description="reviewed by a native speaker; until then the form also shows English consent")
    title: str = Field(min_length=1)
    tagline: str = Field(min_length=1, description="one line for the attract screen")
    intro: str = ""
    photo_caption: str | None = None
    addressee: str | None = None
    letter: str = Field(min_length=1)
    demands_heading: str | None = None
    demands: tuple[str, ...] = ()
    full_letter: FullLetter | None = None
    organisations_heading: str | None = None
    contact: str | None = None
    consent_processing: str = Field(min_length=1, description="may contain {controller}")
    consent_updates: str | None = Field(default=None, description="may contain {controller}")
    consent_partner: str | None = Field(
        default=None, description="the opt-in for one partner (format 2); must contain {partner}, may contain {controller}")

    @field_validator("intro", "letter")
    @classmethod
    def _paragraphs(cls, value: str) -> str:
        return "\n\n".join(paragraphs(value))


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, each with its lines joined and white space folded."""
    blocks = [" ".join(block.split()) for block in text.replace("\r\n", "\n").split("\n\n")]
    return [b for b in blocks if b]


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LocalisedCampaign:
    """One campaign in one locale: what the letter page and the sign form show."""

    campaign: Campaign
    locale: str
    texts: LocaleTexts

    @property
    def rtl(self) -> bool:
        return self.locale.split("-")[0] in RTL_LOCALES

    @cached_property
    def consent_processing(self) -> str:
        return self.texts.consent_processing.format(controller=self.campaign.manifest.data_controller)

    @cached_property
    def consent_updates(self) -> str | None:
        text = self.texts.consent_updates
        return None if text is None else text.format(controller=self.campaign.manifest.data_controller)

    @cached_property
    def letter_text(self) -> str:
        """Canonical plain text of everything the letter page shows as the petition: hashed into
        every signature, so it proves later exactly which words the signer saw."""
        t = self.texts
        parts: list[str] = [t.title]
        if t.intro:
            parts.append(t.intro)
        if t.addressee:
            parts.append(t.addressee)
        parts.append(t.letter)
        if t.full_letter:
            fl = t.full_letter
            parts += [fl.heading] + ([fl.addressee] if fl.addressee else []) + paragraphs(fl.body)
            if fl.demands_intro:
                parts.append(fl.demands_intro)
        if t.demands:
            if t.demands_heading:
                parts.append(t.demands_heading)
            parts += [f"{i}. {d}" for i, d in enumerate(t.demands, 1)]
        if self.campaign.manifest.organisations:
            if t.organisations_heading:
                parts.append(t.organisations_heading)
            parts += [line for org in self.campaign.manifest.organisations for line in _org_lines(org, 0)]
        if t.contact:
            parts.append(t.contact)
        return "\n\n".join(parts)

    @cached_property
    def letter_sha256(self) -> str:
        return sha256_text(self.letter_text)

    @cached_property
    def consent_sha256(self) -> str:
        """Hash of the consent text(s) exactly as shown: processing, then the opt-in if asked."""
        shown = [self.consent_processing]
        if self.campaign.manifest.form.ask_updates and self.consent_updates:
            shown.append(self.consent_updates)
        return sha256_text("\n\n".join(shown))

    @cached_property
    def consent_original(self) -> LocalisedCampaign | None:
        """The campaign in its default (source) language when this translation has not been reviewed
        by a native speaker yet: the form then shows that consent text beside the translation."""
        default = self.campaign.manifest.default_locale
        if self.texts.reviewed or self.locale == default or default not in self.campaign.texts:
            return None
        return self.campaign.localised(default)

    @cached_property
    def consent_record_sha256(self) -> str:
        """What a signature records as its consent text's hash: everything the signer was shown.

        Reviewed (or source-language) texts: ``consent_sha256``. An unreviewed translation is shown
        with the English text beside it, so the hash covers both, translation first:
        SHA-256(translation's block + "\n\n" + source block), each block built as in
        ``consent_sha256``. The signature's ``consent_locale`` stays the translation's locale; with
        the bundle, anyone can recompute either form. (``consent_sha256`` itself stays the
        translation's own text, so marking a translation reviewed later does not change the hashes
        an installed version was registered with.)"""
        original = self.consent_original
        if original is None:
            return self.consent_sha256
        return sha256_text(self._consent_block() + "\n\n" + original._consent_block())

    def partner_consent(self, partner: Organisation) -> str:
        """The opt-in text for ``partner`` exactly as the form shows it (naming the partner)."""
        text = self.texts.consent_partner
        assert text is not None, "the bundle loader requires consent_partner when a partner is offered"
        return text.format(partner=partner.name, controller=self.campaign.manifest.data_controller)

    def partner_consent_record_sha256(self, partner: Organisation) -> str:
        """What an opt-in records as its text's hash: the text shown, and for an unreviewed translation
        the source-language text shown beside it too (translation first), as consent_record_sha256."""
        shown = self.partner_consent(partner)
        original = self.consent_original
        if original is None:
            return sha256_text(shown)
        return sha256_text(shown + "\n\n" + original.partner_consent(partner))

    def _consent_block(self) -> str:
        shown = [self.consent_processing]
        if self.campaign.manifest.form.ask_updates and self.consent_updates:
            shown.append(self.consent_updates)
        return "\n\n".join(shown)


def _org_lines(org: Organisation, depth: int) -> list[str]:
    lines = ["  " * depth + "- " + org.name]
    for member in org.members:
        lines += _org_lines(member, depth + 1)
    return lines


@dataclass(frozen=True)
class Campaign:
    path: Path
    manifest: Manifest
    texts: dict[str, LocaleTexts]
    source: str = "builtin"

    @property
    def slug(self) -> str:
        return self.manifest.slug

    @property
    def version(self) -> int:
        return self.manifest.version

    @property
    def photo_path(self) -> Path | None:
        return self.path / self.manifest.photo if self.manifest.photo else None

    def localised(self, locale: str | None) -> LocalisedCampaign:
        """The campaign in ``locale``, or in its default locale when it has no such translation."""
        chosen = locale if locale in self.texts else self.manifest.default_locale
        return LocalisedCampaign(self, chosen, self.texts[chosen])

    def locale_hashes(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for locale in self.manifest.locales:
            lc = self.localised(locale)
            out[locale] = {"letter": lc.letter_sha256, "consent": lc.consent_sha256, "reviewed": lc.texts.reviewed,
                           # what signatures record while the translation is unreviewed (both texts)
                           "consent_shown": lc.consent_record_sha256}
        return out

    @property
    def sealing_mode(self) -> SealingMode:
        sealing = self.manifest.sealing
        if sealing.mode is not None:
            return sealing.mode
        return "required" if sealing.public_key or self.source == "server" else "when-key"

    @property
    def sealing_facts(self) -> tuple[SealingMode, str | None]:
        """(sealing mode, key id of the key the bundle carries or None): what a server signs of a
        published version in its listing, and what a device checks the downloaded bundle against."""
        sealing = self.manifest.sealing
        key_id = sealing.key_id
        if key_id is None and sealing.public_key is not None:
            import base64

            key_id = hashlib.sha256(base64.b64decode(sealing.public_key)).hexdigest()[:16]
        return self.sealing_mode, key_id

    def organisation_count(self) -> int:
        def count(orgs: tuple[Organisation, ...]) -> int:
            return sum(1 + count(o.members) for o in orgs)

        return count(self.manifest.organisations)


def _read_toml(path: Path, problems: list[str]) -> dict[str, Any] | None:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        problems.append(f"{path.name}: file is missing")
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"{path.name}: not valid TOML ({exc})")
    except UnicodeDecodeError:
        problems.append(f"{path.name}: not UTF-8 text")
    return None


def _describe(file: str, exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        out.append(f"{file}: {where}: {err['msg']}")
    return out


def _only_controller_placeholder(text: str, allowed: tuple[str, ...] = ("controller",)) -> bool:
    """True when ``text`` is a format string whose only replacement fields are bare names of ``allowed``.
    Parsed rather than tried: "{controller.x}" would raise AttributeError, "{controller.upper}" would
    format without error and show a method's repr to the signer."""
    try:
        fields = [(name, spec, conv) for _, name, spec, conv in Formatter().parse(text) if name is not None]
    except ValueError:  # a lone { or }
        return False
    return all(name in allowed and not spec and conv is None for name, spec, conv in fields)


def load_bundle(path: Path, *, source: str = "builtin") -> Campaign:
    """Load and validate the bundle in folder ``path``; raise BundleError listing every problem."""
    path = Path(path)
    problems: list[str] = []
    if not path.is_dir():
        raise BundleError(path, ["not a folder"])
    raw = _read_toml(path / MANIFEST, problems)
    if raw is None:
        raise BundleError(path, problems)
    if (path / SEALING_FILE).exists():
        # The publishing server's word on sealing (its key) replaces the organiser's [sealing] table.
        published = _read_toml(path / SEALING_FILE, problems)
        if published is None:
            raise BundleError(path, problems)
        own = raw.get("sealing")
        raw = {**raw, "sealing": {**(own if isinstance(own, dict) else {}), **published}}
    bundle_format = raw.get("format", 1)
    if isinstance(bundle_format, int) and not isinstance(bundle_format, bool) and bundle_format > BUNDLE_FORMAT:
        raise BundleError(path, [f"{MANIFEST}: format: the bundle has format {bundle_format}; this app reads "
                                 f"formats up to {BUNDLE_FORMAT}: update the app"])
    try:
        manifest = Manifest.model_validate(raw)
    except ValidationError as exc:
        raise BundleError(path, _describe(MANIFEST, exc)) from None

    texts: dict[str, LocaleTexts] = {}
    for locale in manifest.locales:
        file = f"{locale}.toml"
        data = _read_toml(path / file, problems)
        if data is None:
            continue
        try:
            texts[locale] = LocaleTexts.model_validate(data)
        except ValidationError as exc:
            problems += _describe(file, exc)
            continue
        for key in ("consent_processing", "consent_updates"):
            text = getattr(texts[locale], key)
            if text is not None and not _only_controller_placeholder(text):
                problems.append(f"{file}: {key}: only {{controller}} may appear in braces")
        if manifest.form.ask_updates and texts[locale].consent_updates is None:
            problems.append(f"{file}: consent_updates: required because the form asks for updates")
        partner_text = texts[locale].consent_partner
        if partner_text is not None and (not _only_controller_placeholder(partner_text, ("controller", "partner"))
                                         or "{partner}" not in partner_text):
            problems.append(f"{file}: consent_partner: must name {{partner}}; only {{partner}} and {{controller}} "
                            "may appear in braces")
        elif manifest.partners and partner_text is None:
            problems.append(f"{file}: consent_partner: required because the form offers partners' opt-ins")
    if manifest.photo and not (path / manifest.photo).is_file():
        problems.append(f"{MANIFEST}: photo: {manifest.photo} is missing")
    if problems:
        raise BundleError(path, problems)
    return Campaign(path=path, manifest=manifest, texts=texts, source=source)


def load_builtin() -> list[Campaign]:
    return [load_builtin_bundle(p) for p in builtin_bundle_dirs()]


def load_builtin_bundle(path: Path) -> Campaign:
    """A built-in bundle, whose folder must be named by its slug: start-up finds campaigns by
    folder name before it loads them (desktop/context.py)."""
    campaign = load_bundle(path)
    if path.name != campaign.slug:
        raise BundleError(path, [f"{MANIFEST}: slug: a built-in bundle's folder must be named {campaign.slug!r}"])
    return campaign


DIFFERS = "campaign_differs"  # the audit entry of db/sync/bundles.py


def differs_from_server(*, session: Session) -> set[tuple[str, int]]:
    """Versions this device holds with other texts than its server publishes under their number
    (a bundle imported from a file first): said once each in the audit log by the campaign pull."""
    from db import audit

    return {(str(e.detail.get("slug")), int(e.detail.get("version", 0)))
            for e in audit.recent(session=session, limit=10_000, kind=DIFFERS)}


def register(campaign: Campaign, *, session: Session) -> CampaignVersion:
    """Record an installed bundle version with its per-locale hashes (idempotent). A version whose
    texts changed without a new version number is refused: signatures point at version + hash."""
    from sqlmodel import select  # the database layer loads after the first paint, not with bundles

    from db.models import CampaignVersion
    existing = session.exec(
        select(CampaignVersion).where(
            CampaignVersion.slug == campaign.slug, CampaignVersion.version == campaign.version
        )
    ).first()
    hashes = campaign.locale_hashes()
    if existing is not None:
        if existing.locale_hashes != hashes:
            changed = sorted(
                loc for loc in hashes if existing.locale_hashes.get(loc, {}).get("letter") != hashes[loc]["letter"]
                or existing.locale_hashes.get(loc, {}).get("consent") != hashes[loc]["consent"]
            )
            if changed:
                raise BundleError(
                    campaign.path,
                    [f"version {campaign.version} is already installed with other texts ({', '.join(changed)}); "
                     "give the changed bundle a new version number"],
                )
            existing.locale_hashes = hashes  # only a 'reviewed' flag moved
            session.add(existing)
        return existing
    row = CampaignVersion(
        slug=campaign.slug,
        version=campaign.version,
        title=campaign.localised(campaign.manifest.default_locale).texts.title,
        source=campaign.source,
        bundle_path=None if campaign.source == "builtin" else str(campaign.path),
        locale_hashes=hashes,
    )
    session.add(row)
    return row


def installed(*, session: Session) -> list[CampaignVersion]:
    from sqlmodel import col, select

    from db.models import CampaignVersion

    return list(session.exec(select(CampaignVersion).order_by(col(CampaignVersion.slug), col(CampaignVersion.version))))
