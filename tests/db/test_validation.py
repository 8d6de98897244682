"""Properties of the wire schema's checks and normalisations (db/schemas.py, db/validation.py).

The device and the server run the same validators; the server re-validates what devices send, so
normalising must be idempotent or the server would compute another content hash than the device.
"""

from __future__ import annotations

import ast
import unicodedata
from pathlib import Path

import orjson
import phonenumbers
import pycountry
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlmodel import Session

from db import validation as v
from db.campaigns import Form, FormField
from db.migrate import open_database
from db.models import Signature
from db.schemas import (
    CITY_MAX,
    COMMENT_MAX,
    NAME_MAX,
    PERSONAL_FIELDS,
    SignatureCreate,
    content_hash,
    wire_payload,
)
from db.signatures import build_record, check_form, save_record
from utils.factories import bundle_with_form, make_draft, record_input

SETTINGS = settings(deadline=None, max_examples=80, suppress_health_check=[HealthCheck.too_slow])

# --- strategies -----------------------------------------------------------------------------------


def _script(lo: int, hi: int, categories: tuple[str, ...] = ("Lu", "Ll", "Lo", "Mn", "Mc")) -> st.SearchStrategy[str]:
    return st.characters(min_codepoint=lo, max_codepoint=hi, categories=categories)


LETTERS = st.one_of(
    _script(0x41, 0x24F),  # Latin with diacritics
    _script(0x600, 0x6FF, ("Lo", "Mn")),  # Arabic, with its vowel marks
    _script(0x4E00, 0x9FFF, ("Lo",)),  # CJK
    _script(0x400, 0x4FF),  # Cyrillic
    _script(0x900, 0x97F),  # Devanagari
    st.sampled_from("\u200c\u200d-'’. "),  # ZWNJ/ZWJ belong to correct spelling; name punctuation
)
WHITESPACE = st.sampled_from([" ", "  ", "\u00a0", "\u3000", "\u2003"])
NAMES = st.lists(st.one_of(LETTERS, WHITESPACE), min_size=1, max_size=60).map("".join)
NAMES_ANY = st.text(st.characters(categories=("L", "M", "N", "P", "S", "Zs")), min_size=1, max_size=130)

BIDI_AND_MARKS = [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)] + [
    "\u200e", "\u200f", "\ufeff", "\u00ad", "\u200b",
]
INVISIBLE = st.one_of(
    st.sampled_from(BIDI_AND_MARKS),
    st.characters(categories=("Cc", "Cf", "Co", "Zl", "Zp")).filter(lambda c: c not in "\u200c\u200d"),
)

ARABIC_INDIC = {str(d): chr(0x0660 + d) for d in range(10)}
PERSIAN = {str(d): chr(0x06F0 + d) for d in range(10)}


@st.composite
def foreign_digits(draw: st.DrawFn, ascii_text: str) -> str:
    """``ascii_text`` with each digit written in ASCII, Arabic-Indic or Persian, at random."""
    out = []
    for ch in ascii_text:
        if ch.isdigit():
            ch = draw(st.sampled_from([ch, ARABIC_INDIC[ch], PERSIAN[ch]]))
        out.append(ch)
    return "".join(out)


REGIONS = sorted(r for r in phonenumbers.SUPPORTED_REGIONS if pycountry.countries.get(alpha_2=r) is not None)
PHONE_TYPES = [phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE]


@st.composite
def phone_numbers(draw: st.DrawFn) -> tuple[str, str, str]:
    """(region, number as a person might write it, its E.164 form)."""
    region = draw(st.sampled_from(REGIONS))
    number = phonenumbers.example_number_for_type(region, draw(st.sampled_from(PHONE_TYPES)))
    assume(number is not None)
    style = draw(st.sampled_from([phonenumbers.PhoneNumberFormat.NATIONAL, phonenumbers.PhoneNumberFormat.INTERNATIONAL]))
    written = draw(foreign_digits(phonenumbers.format_number(number, style)))
    return region, written, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


COUNTRIES = sorted(c.alpha_2 for c in pycountry.countries)


def folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def validate(context: dict[str, str] | None = None, **fields: object) -> SignatureCreate:
    return SignatureCreate.model_validate(record_input(**fields), context=context)


def rejection(**fields: object) -> list[tuple[str, str]]:
    """(field, key) for every problem SignatureCreate finds; fails the test if it finds none."""
    with pytest.raises(ValidationError) as info:
        validate(**fields)
    return [(e.field, e.key) for e in v.SignatureInvalid.from_pydantic(info.value).errors]


# --- names and free text --------------------------------------------------------------------------


@SETTINGS
@given(name=NAMES)
@example(name="محمد عبد الله")
@example(name="Zoë Ångström-Ñúñez")
@example(name="王小明")
@example(name="Sukarno")
@example(name="مهرداد\u200cپور")  # a Persian name with its zero-width non-joiner
def test_names_in_any_script_are_kept_nfc_and_folded(name: str) -> None:
    expected = folded(name) or None
    assume(expected is None or len(expected) <= NAME_MAX)
    record = validate(given_name=name, family_name=name)
    assert record.given_name == expected
    assert record.family_name == expected


@SETTINGS
@given(name=NAMES_ANY)
def test_any_visible_text_is_accepted_or_too_long(name: str) -> None:
    expected = folded(name)
    assume(expected)
    if len(expected) > NAME_MAX:
        assert rejection(given_name=name) == [("given_name", v.TOO_LONG)]
    else:
        assert validate(given_name=name).given_name == expected


@pytest.mark.parametrize("given_name, family_name", [("Sukarno", None), (None, "Sukarno"), ("محمد", None)])
def test_a_single_name_is_enough(campaign, given_name, family_name) -> None:
    record = build_record(make_draft(given_name=given_name, family_name=family_name), campaign.localised("en"))
    assert (record.given_name, record.family_name) == (given_name, family_name)


@SETTINGS
@given(name=NAMES.filter(lambda n: n.strip()), bad=INVISIBLE, at=st.integers(0, 60),
       field=st.sampled_from(["given_name", "family_name", "city", "comment"]))
def test_control_and_invisible_characters_are_refused(name: str, bad: str, at: int, field: str) -> None:
    assume(not (field == "comment" and bad in "\n\t"))  # the comment keeps line breaks and tabs
    text = name[:at] + bad + name[at:]
    assert rejection(**{field: text}) == [(field, v.INVALID_CHARACTERS)]


@SETTINGS
@given(bad=st.sampled_from(BIDI_AND_MARKS), at=st.integers(0, 20),
       field_value=st.sampled_from([("email", "ada@example.org"), ("phone", "+49 30 1234567"),
                                    ("postal_code", "10115"), ("paper_sheet", "12")]))
def test_invisible_characters_are_refused_in_every_text_field(bad: str, at: int, field_value: tuple[str, str]) -> None:
    field, value = field_value
    text = value[:at] + bad + value[at:]
    assert rejection(**{field: text}) == [(field, v.INVALID_CHARACTERS)]


def test_the_comment_keeps_its_lines_but_folds_spaces() -> None:
    record = validate(comment="  First\tline  \n\n  second   line \n")
    assert record.comment == "First line\n\nsecond line"


@SETTINGS
@given(data=st.data(), field_max=st.sampled_from([("given_name", NAME_MAX), ("family_name", NAME_MAX),
                                                  ("city", CITY_MAX), ("comment", COMMENT_MAX)]))
def test_length_limits(data: st.DataObject, field_max: tuple[str, int]) -> None:
    field, limit = field_max
    length = data.draw(st.integers(limit - 3, limit + 3))
    text = data.draw(st.text(st.sampled_from("aéب王"), min_size=length, max_size=length))
    if length > limit:
        assert rejection(**{field: text}) == [(field, v.TOO_LONG)]
    else:
        assert getattr(validate(**{field: text}), field) == text


@pytest.mark.parametrize("field, value", [("email", "a" * 250 + "@example.org"), ("phone", "1" * 41),
                                          ("postal_code", "1" * 33), ("paper_sheet", "1" * 33)])
def test_length_limits_of_the_other_text_fields(field: str, value: str) -> None:
    (found,) = rejection(**{field: value})
    assert found == (field, v.TOO_LONG)


# --- digits, postal codes, phones ----------------------------------------------------------------


@SETTINGS
@given(data=st.data(), code=st.text(st.sampled_from("0123456789"), min_size=2, max_size=12))
def test_arabic_indic_and_persian_digits_in_postal_codes(data: st.DataObject, code: str) -> None:
    written = data.draw(foreign_digits(code))
    assert validate(postal_code=written).postal_code == code


@pytest.mark.parametrize("written, expected", [("sw1a 1aa", "SW1A 1AA"), ("  75001 ", "75001"),
                                               ("١٠١١٥", "10115"), ("۱۲-۳۴", "12-34")])
def test_postal_codes_are_normalised(written: str, expected: str) -> None:
    assert validate(postal_code=written).postal_code == expected


@pytest.mark.parametrize("written", ["1", "1234567890123", "10115!", "ä1234", "١"])
def test_bad_postal_codes(written: str) -> None:
    assert rejection(postal_code=written) == [("postal_code", v.POSTAL_CODE_INVALID)]


@SETTINGS
@given(case=phone_numbers())
def test_phones_become_e164_with_the_signers_country(case: tuple[str, str, str]) -> None:
    region, written, e164 = case
    assert validate(phone=written, country=region).phone == e164


@SETTINGS
@given(case=phone_numbers())
def test_phones_become_e164_with_the_campaigns_default_country(case: tuple[str, str, str]) -> None:
    region, written, e164 = case
    assert validate({"default_region": region}, phone=written).phone == e164


def test_the_signers_country_wins_over_the_campaigns() -> None:
    # A Syrian mobile number written nationally, on a campaign whose default country is Germany.
    assert validate({"default_region": "DE"}, phone="0933 123 456", country="SY").phone == "+963933123456"


@SETTINGS
@given(written=st.one_of(st.text(st.sampled_from("0123456789"), min_size=1, max_size=4),
                         st.text(st.sampled_from("abcxyz"), min_size=1, max_size=10)))
@example(written="+49 30")
@example(written="0301234567")  # no country anywhere: cannot be read
def test_bad_phones(written: str) -> None:
    assert rejection(phone=written) == [("phone", v.PHONE_INVALID)]


# --- email, country ------------------------------------------------------------------------------


@SETTINGS
@given(address=st.emails())
@example(address="Ada.Lovelace@EXAMPLE.org")
@example(address="ada@bücher.de")
@example(address="ada@xn--bcher-kva.de")
def test_valid_emails_are_accepted_and_stable(address: str) -> None:
    normalised = validate(email=address).email
    assert normalised is not None
    local, domain = normalised.rsplit("@", 1)
    assert local == address.rsplit("@", 1)[0]
    assert domain == domain.lower()
    assert validate(email=normalised).email == normalised


@SETTINGS
@given(written=st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters="@"), min_size=1, max_size=40))
@example(written="ada@")
@example(written="@example.org")
@example(written="ada@@example.org")
@example(written="ada lovelace@example.org")
@example(written="ada@example")
@example(written="ada@example..org")
def test_invalid_emails(written: str) -> None:
    assert rejection(email=written) == [("email", v.EMAIL_INVALID)]


@SETTINGS
@given(code=st.sampled_from(COUNTRIES), lower=st.booleans(), pad=st.sampled_from(["", " ", "  "]))
def test_iso_countries_are_accepted(code: str, lower: bool, pad: str) -> None:
    written = pad + (code.lower() if lower else code) + pad
    assert validate(country=written).country == code


@SETTINGS
@given(written=st.text(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz"), min_size=1, max_size=4))
@example(written="DEU")
@example(written="Germany")
@example(written="XX")
def test_unknown_countries(written: str) -> None:
    assume(written.upper() not in COUNTRIES)
    assert rejection(country=written) == [("country", v.COUNTRY_INVALID)]


# --- consent and the campaign's form --------------------------------------------------------------


def test_consent_is_required(campaign) -> None:
    with pytest.raises(v.SignatureInvalid) as info:
        build_record(make_draft(consent_processing=False), campaign.localised("en"))
    assert [(e.field, e.key) for e in info.value.errors] == [("consent_processing", v.CONSENT_REQUIRED)]
    assert rejection(consent_processing=False) == [("consent_processing", v.CONSENT_REQUIRED)]


def test_the_updates_opt_in_is_false_when_unticked_and_null_when_not_asked(tmp_path, campaign) -> None:
    assert build_record(make_draft(), campaign.localised("en")).consent_updates is False
    assert build_record(make_draft(consent_updates=True), campaign.localised("en")).consent_updates is True
    silent = bundle_with_form(tmp_path, '{ name = "given_name" }', extra="ask_updates = false")
    record = build_record(make_draft(family_name=None, email=None, postal_code=None, country=None,
                                     consent_updates=True), silent.localised("en"))
    assert record.consent_updates is None


VALUES = st.sampled_from(["x", "Ada", "  ", "", None])


@SETTINGS
@given(asked=st.sets(st.sampled_from(PERSONAL_FIELDS)), required=st.sets(st.sampled_from(PERSONAL_FIELDS)),
       values=st.fixed_dictionaries({name: VALUES for name in PERSONAL_FIELDS}),
       require_a_name=st.booleans(), consent=st.booleans())
def test_check_form_applies_the_campaigns_rules(asked, required, values, require_a_name, consent) -> None:
    form = Form(fields=tuple(FormField(name=n, required=n in required) for n in asked), require_a_name=require_a_name)
    filled = {name for name, value in values.items() if value and value.strip()}
    expected = {(n, v.NOT_ASKED) for n in filled - asked} | {(n, v.REQUIRED) for n in (asked & required) - filled}
    if not consent:
        expected.add(("consent_processing", v.CONSENT_REQUIRED))
    if require_a_name and not filled & {"given_name", "family_name"}:
        target = "given_name" if "given_name" in asked else "family_name"
        if not any(f == target for f, _ in expected):
            expected.add((target, v.REQUIRED))
    errors = check_form({**values, "consent_processing": consent}, form)
    assert {(e.field, e.key) for e in errors} == expected
    assert len(errors) == len(expected)


def test_build_record_applies_the_form(tmp_path, campaign) -> None:
    shown = campaign.localised("en")
    with pytest.raises(v.SignatureInvalid) as info:
        build_record(make_draft(phone="+49 30 1234567", city="Berlin"), shown)
    assert {(e.field, e.key) for e in info.value.errors} == {("phone", v.NOT_ASKED), ("city", v.NOT_ASKED)}

    strict = bundle_with_form(tmp_path, '{ name = "given_name" }, { name = "email", required = true }')
    for email in (None, "", "   "):  # white space alone is no answer
        with pytest.raises(v.SignatureInvalid) as info:
            build_record(make_draft(family_name=None, postal_code=None, country=None, email=email), strict.localised("en"))
        assert [(e.field, e.key) for e in info.value.errors] == [("email", v.REQUIRED)]
    for blank in ("", "  ", "\u00a0"):
        with pytest.raises(v.SignatureInvalid) as info:
            build_record(make_draft(given_name=blank, family_name=blank), shown)
        assert [(e.field, e.key) for e in info.value.errors] == [("given_name", v.REQUIRED)]


def test_schema_and_form_problems_are_reported_together(campaign) -> None:
    with pytest.raises(v.SignatureInvalid) as info:
        build_record(make_draft(email="not an email", country="XX", city="Berlin", consent_processing=False),
                     campaign.localised("en"))
    assert {(e.field, e.key) for e in info.value.errors} == {
        ("email", v.EMAIL_INVALID), ("country", v.COUNTRY_INVALID), ("city", v.NOT_ASKED),
        ("consent_processing", v.CONSENT_REQUIRED),
    }


# --- message keys --------------------------------------------------------------------------------


def test_every_key_the_validators_raise_is_a_message_key() -> None:
    """Read db/ for every fail(KEY, ...) call: a key missing from MESSAGE_KEYS would reach the GUI and
    the server as a generic 'invalid'."""
    assert len(set(v.MESSAGE_KEYS)) == len(v.MESSAGE_KEYS)
    keys = []
    for path in Path(v.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == "fail":
                arg = node.args[0]
                name = arg.attr if isinstance(arg, ast.Attribute) else getattr(arg, "id", None)
                assert name is not None and hasattr(v, name), f"{path.name}:{node.lineno}: fail() without a key constant"
                keys.append(getattr(v, name))
    assert len(keys) >= 10
    assert set(keys) <= set(v.MESSAGE_KEYS)


@SETTINGS
@given(values=st.fixed_dictionaries({name: st.one_of(st.none(), st.text(max_size=30)) for name in PERSONAL_FIELDS}),
       consent=st.booleans())
def test_every_rejection_of_personal_fields_carries_a_message_key(values, consent) -> None:
    try:
        validate(**values, consent_processing=consent)
    except ValidationError as exc:
        assert {e["type"] for e in exc.errors()} <= set(v.MESSAGE_KEYS)


# --- idempotence: what the server re-validates hashes the same -----------------------------------


@pytest.fixture(scope="module")
def every_field(tmp_path_factory):
    """A campaign asking for every field, so drafts can carry all of them."""
    fields = ", ".join(f'{{ name = "{name}" }}' for name in PERSONAL_FIELDS)
    return bundle_with_form(tmp_path_factory.mktemp("bundle"), fields).localised("en")


@st.composite
def drafts(draw: st.DrawFn):
    fields: dict[str, str | None] = {}
    fields["given_name"] = draw(st.one_of(st.none(), NAMES))
    fields["family_name"] = draw(st.one_of(st.none(), NAMES))
    assume(any(f and f.strip() for f in fields.values()))
    fields["email"] = draw(st.one_of(st.none(), st.emails(), st.sampled_from(["Ada@Bücher.DE", "a@xn--bcher-kva.de"])))
    if draw(st.booleans()):
        region, written, _ = draw(phone_numbers())
        fields["phone"], fields["country"] = written, region
    fields["postal_code"] = draw(st.one_of(st.none(), st.text(st.sampled_from("0123456789"), min_size=2, max_size=8)
                                           .flatmap(foreign_digits)))
    fields["city"] = draw(st.one_of(st.none(), NAMES))
    fields["comment"] = draw(st.one_of(st.none(), st.lists(st.one_of(NAMES, st.sampled_from(["\n", "\t", "\n\n"])))
                                       .map("".join)))
    assume(all(len(folded(fields[n] or "")) <= NAME_MAX for n in ("given_name", "family_name", "city")))
    return make_draft(**fields, consent_updates=draw(st.one_of(st.none(), st.booleans())))


def _revalidated(record) -> SignatureCreate:
    """What the server does with a device's record: JSON over the wire, validated again (the server
    has no default region; nothing in a valid record should need one)."""
    return SignatureCreate.model_validate(orjson.loads(orjson.dumps(wire_payload(record))))


@SETTINGS
@given(draft=drafts())
def test_validation_is_idempotent(every_field, draft) -> None:
    record = build_record(draft, every_field)
    again = _revalidated(record)
    assert wire_payload(again) == wire_payload(record)
    assert content_hash(again) == content_hash(record)


@settings(deadline=None, max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(draft=drafts())
def test_a_saved_row_revalidates_to_its_content_hash(tmp_path_factory, every_field, draft) -> None:
    """Through SQLite and back: the row as the sync client reads it hashes as it did when saved."""
    engine = open_database(tmp_path_factory.getbasetemp() / "idempotent")
    try:
        saved = save_record(build_record(draft, every_field), engine=engine)
        with Session(engine) as session:
            row = session.get(Signature, saved.id)
            assert row is not None
            assert row.content_hash == saved.content_hash == content_hash(row)
            assert content_hash(_revalidated(row)) == saved.content_hash
    finally:
        engine.dispose()


def test_the_printable_fast_path_skips_nothing_that_is_refused():
    """clean_text skips its per-character look for printable strings: that is only right if no
    printable character belongs to a refused category. Checked over every code point."""
    import unicodedata

    from db.validation import _ALLOWED_FORMAT, _REFUSED_CATEGORIES

    leaks = [hex(cp) for cp in range(0x110000)
             if chr(cp).isprintable() and chr(cp) not in _ALLOWED_FORMAT
             and unicodedata.category(chr(cp)) in _REFUSED_CATEGORIES]
    assert leaks == []


DOMAINS = ["example.org", "EXAMPLE.org", "web.de", "münchen.de", "xn--mnchen-3ya.de", "مثال.إختبار",
           "例え.テスト", "-bad.example", "bad..example", "a" * 64 + ".example", "localhost", "exa_mple.org",
           "example.com.", "1.2.3.4"]


def test_the_memoised_domain_check_answers_like_the_library():
    """normalise_email memoises email-validator's own domain check (speed); for every domain the
    memoised function must give the library's answer, result or refusal."""
    import sys

    import email_validator.syntax as syntax
    from email_validator import EmailNotValidError

    from db.validation import _email

    _email()
    memoised = sys.modules["email_validator.validate_email"].validate_email_domain_name
    assert hasattr(memoised, "cache_info"), "the domain check is not memoised"
    for domain in DOMAINS * 2:  # twice: the second answer comes from the cache
        try:
            expected = syntax.validate_email_domain_name(domain)
        except EmailNotValidError as exc:
            expected = type(exc)
        try:
            got = memoised(domain)
        except EmailNotValidError as exc:
            got = type(exc)
        assert got == expected, domain


def test_addresses_on_one_domain_share_the_domain_check():
    import sys

    from db.validation import normalise_email

    normalise_email("first@petition-test.example")
    memoised = sys.modules["email_validator.validate_email"].validate_email_domain_name
    hits = memoised.cache_info().hits
    assert normalise_email("Second@petition-test.example") == "Second@petition-test.example"
    assert memoised.cache_info().hits == hits + 1


ADDRESS_LIKE = st.one_of(
    st.emails(),
    st.builds(lambda local, domain: f"{local}@{domain}",
              st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=0, max_size=70),
              st.sampled_from(DOMAINS)),
)


@SETTINGS
@given(address=ADDRESS_LIKE)
@example(address="a..b@example.org")
@example(address=".a@example.org")
@example(address="Postmaster@example.org")
@example(address="INFO@example.org")
@example(address="ada@EXAMPLE.org")
@example(address="a" * 65 + "@example.org")
@example(address="ada@localhost")
@example(address="ada@example.com.")
def test_the_quick_email_check_never_disagrees_with_the_library(address: str) -> None:
    """The schema takes an address as it is when is_normalised_email says the library would give it
    back unchanged (the save path's speed); that must never accept what the library refuses or keep
    what it would rewrite."""
    from db.validation import is_normalised_email, normalise_email

    if is_normalised_email(address):
        assert normalise_email(address) == address
