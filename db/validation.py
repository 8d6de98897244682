"""Normalisers and checks behind the wire schema. Each rejection carries a stable message key.

The keys are what the GUI translates (``desktop/messages.py``) and what the server returns as the
reason of a ``rejected`` signature; never change one without changing both.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from typing import Any

from pydantic_core import PydanticCustomError

# Message keys, one per kind of rejection.
REQUIRED = "required"
TOO_LONG = "too_long"
INVALID_CHARACTERS = "invalid_characters"
EMAIL_INVALID = "email_invalid"
PHONE_INVALID = "phone_invalid"
POSTAL_CODE_INVALID = "postal_code_invalid"
COUNTRY_INVALID = "country_invalid"
CONSENT_REQUIRED = "consent_required"
NOT_ASKED = "not_asked"
INVALID = "invalid"
EXTRA_CELLS = "extra_cells"  # a transcribed paper line with more cells than its file names columns

MESSAGE_KEYS = (
    REQUIRED, TOO_LONG, INVALID_CHARACTERS, EMAIL_INVALID, PHONE_INVALID,
    POSTAL_CODE_INVALID, COUNTRY_INVALID, CONSENT_REQUIRED, NOT_ASKED, INVALID, EXTRA_CELLS,
)

# Zero-width joiner/non-joiner are part of correct Persian, Arabic and Indic spelling and of emoji;
# every other format character (bidi overrides and isolates, LRM/RLM, BOM, soft hyphen...) is invisible
# and can disguise a name, so it is refused. Controls, surrogates, private-use and unassigned too.
_ALLOWED_FORMAT = {"\u200c", "\u200d"}
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}

# Arabic-Indic (U+0660..) and Extended Arabic-Indic / Persian (U+06F0..) digits, plus full-width.
_DIGITS = str.maketrans(
    {**{chr(0x0660 + i): str(i) for i in range(10)},
     **{chr(0x06F0 + i): str(i) for i in range(10)},
     **{chr(0xFF10 + i): str(i) for i in range(10)}}
)


def fail(key: str, message: str, **context: Any) -> PydanticCustomError:
    return PydanticCustomError(key, message, context or None)


def clean_text(value: str, *, max_len: int, multiline: bool = False) -> str:
    """NFC-normalise, refuse invisible and control characters, fold runs of white space."""
    value = unicodedata.normalize("NFC", value)
    # str.isprintable() is False for every refused category (and for separators other than the
    # space), so a printable string needs no character-by-character look: the common case, in C.
    if not value.isprintable():
        for ch in value:
            if multiline and ch in "\n\t":
                continue
            if ch in _ALLOWED_FORMAT:
                continue
            if unicodedata.category(ch) in _REFUSED_CATEGORIES:
                raise fail(INVALID_CHARACTERS, "contains invisible or control characters")
    if multiline:
        lines = [" ".join(line.split()) for line in value.replace("\t", " ").split("\n")]
        value = "\n".join(lines).strip()
    else:
        value = " ".join(value.split())
    if len(value) > max_len:
        raise fail(TOO_LONG, "longer than {max_len} characters", max_len=max_len)
    return value


def ascii_digits(value: str) -> str:
    return value.translate(_DIGITS)


DOMAIN_CACHE_SIZE = 4096
_email_validator: Any = None


def _email() -> Any:
    """email-validator, with its domain-name check memoised.

    Two thirds of a validation is ``validate_email_domain_name`` (IDNA/UTS-46 rules, character by
    character), a pure function of the domain whose result validate_email only reads; and the
    domains of a day's signers are a handful (gmail.com, web.de, ...). So the library's own function
    is wrapped in an LRU cache where validate_email looks it up. Failures are not cached (they
    raise). Should a release rename it, nothing is wrapped and only speed is lost."""
    global _email_validator
    if _email_validator is None:
        import functools

        import email_validator

        # The package's ``validate_email`` attribute is the function, which hides the submodule of
        # the same name from ``import ... as``: take the module from sys.modules.
        module = sys.modules.get("email_validator.validate_email")
        check = getattr(module, "validate_email_domain_name", None)
        if module is not None and callable(check) and not hasattr(check, "cache_info"):
            memoised = functools.lru_cache(maxsize=DOMAIN_CACHE_SIZE)(check)
            module.__dict__["validate_email_domain_name"] = memoised
        _email_validator = email_validator
    return _email_validator


def normalise_email(value: str) -> str:
    email_validator = _email()
    try:
        info = email_validator.validate_email(value, check_deliverability=False)
    except email_validator.EmailNotValidError as exc:
        raise fail(EMAIL_INVALID, "not a valid email address") from exc
    return str(info.normalized)


def is_normalised_email(value: str) -> bool:
    """True only if ``normalise_email(value)`` would return ``value`` itself, decided without the
    library's character-by-character parse; False when unsure (the caller then asks normalise_email).

    Covers what devices send: an address normalise_email already wrote, ASCII, a plain dot-atom
    before the @ (the library's own pattern, which it accepts unchanged) and a domain that the
    library's domain check hands back unchanged. Case-folded mailbox names (info@, postmaster@...),
    quoting, display names, internationalised parts and over-long parts are left to the library."""
    if not value.isascii() or len(value) > 254 or value.count("@") != 1:
        return False
    local, _, domain = value.partition("@")
    # Over 64 characters before the @ is refused only in the library's strict mode: let it decide.
    if len(local) > 64 or not domain or domain.startswith("["):
        return False
    parts = _email_parts or _load_email_parts()
    if parts is None:  # pragma: no cover - the library's layout changed
        return False
    email_validator, check_domain, dot_atom, folded_names = parts
    if not dot_atom.match(local) or local.lower() in folded_names:
        return False
    settings = (email_validator.TEST_ENVIRONMENT, email_validator.GLOBALLY_DELIVERABLE)
    if (domain, settings) in _unchanged_domains:
        return True
    try:  # the very call validate_email makes (memoised by _email)
        checked = check_domain(domain, test_environment=settings[0], globally_deliverable=settings[1])
    except email_validator.EmailNotValidError:
        return False
    if checked["domain"] != domain or checked["ascii_domain"] != domain:
        return False
    if len(_unchanged_domains) >= DOMAIN_CACHE_SIZE:
        _unchanged_domains.clear()
    _unchanged_domains.add((domain, settings))
    return True


_email_parts: tuple[Any, Any, Any, frozenset[str]] | None = None
_unchanged_domains: set[tuple[str, tuple[bool, bool]]] = set()  # domains the check hands back as they are


def _load_email_parts() -> tuple[Any, Any, Any, frozenset[str]] | None:
    """email-validator, its domain check as validate_email calls it, its dot-atom pattern and the
    mailbox names it lower-cases."""
    global _email_parts
    email_validator = _email()
    module = sys.modules.get("email_validator.validate_email")
    constants = sys.modules.get("email_validator.rfc_constants")
    if module is None or constants is None:
        return None
    _email_parts = (email_validator, module.validate_email_domain_name, constants.DOT_ATOM_TEXT,
                    frozenset(constants.CASE_INSENSITIVE_MAILBOX_NAMES))
    return _email_parts


def normalise_phone(value: str, region: str | None) -> str:
    """Parse to E.164. Without a leading + the signer's country (or the campaign's) decides."""
    import phonenumbers

    raw = ascii_digits(value).strip()
    try:
        number = phonenumbers.parse(raw, region or None)
    except phonenumbers.NumberParseException as exc:
        raise fail(PHONE_INVALID, "not a valid phone number") from exc
    if not phonenumbers.is_valid_number(number):
        raise fail(PHONE_INVALID, "not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


_POSTAL_CODE = re.compile(r"[A-Z0-9 -]{2,12}")  # ASCII letters and digits, spaces, hyphens


def normalise_postal_code(value: str) -> str:
    value = " ".join(ascii_digits(value).split()).upper()
    if not _POSTAL_CODE.fullmatch(value):
        raise fail(POSTAL_CODE_INVALID, "not a valid postal code")
    return value


_country_codes: frozenset[str] = frozenset()


def normalise_country(value: str) -> str:
    global _country_codes
    if not _country_codes:
        import pycountry

        _country_codes = frozenset(country.alpha_2 for country in pycountry.countries)
    code = value.strip().upper()
    if code not in _country_codes:
        raise fail(COUNTRY_INVALID, "not an ISO 3166 country code")
    return code


@dataclass(frozen=True)
class FieldError:
    """One problem with one field, as the GUI shows it next to that field."""

    field: str
    key: str
    context: dict[str, Any] | None = None


class SignatureInvalid(ValueError):
    """Raised by the save path when a signature cannot be accepted; nothing was written."""

    def __init__(self, errors: list[FieldError]):
        super().__init__("; ".join(f"{e.field}: {e.key}" for e in errors))
        self.errors = errors

    @classmethod
    def from_pydantic(cls, exc: Any) -> SignatureInvalid:
        errors = []
        for err in exc.errors():
            key = err["type"] if err["type"] in MESSAGE_KEYS else _PYDANTIC_KEYS.get(err["type"], INVALID)
            ctx = err.get("ctx")
            if key == TOO_LONG and ctx and "max_length" in ctx:  # pydantic's Field(max_length=...)
                ctx = {"max_len": ctx["max_length"]}
            # A whole-record rule has no location: name the field it is about.
            field = str(err["loc"][0]) if err.get("loc") else _RECORD_RULE_FIELDS.get(key, "__all__")
            errors.append(FieldError(field, key, ctx))
        return cls(errors)


_RECORD_RULE_FIELDS = {CONSENT_REQUIRED: "consent_processing", REQUIRED: "paper_sheet"}
# pydantic's own checks, which run before our validators: a Field(max_length=...) (the paper sheet's)
# is the same complaint as clean_text's too_long.
_PYDANTIC_KEYS = {"missing": REQUIRED, "string_too_long": TOO_LONG}
