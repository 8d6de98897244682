"""The delivery package end to end: a real server process fed through the devices' own sync and paper
import, sealed as devices seal once enrolled, with Arabic, German and English names, one person on two
devices and on paper, a withdrawn and a voided signature, US and German postal codes. The PDF, read
back, states the right total and per-region counts, holds each counted name once and no email, phone,
postal code or comment; the verification file verifies, and fails once changed; the same data gives
the same bytes; the public count agrees with the package."""

from __future__ import annotations

import base64
import json
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import httpx
import nacl.signing
import pytest
from pypdf import PdfReader
from server_helpers import PASSPHRASE
from sqlalchemy.engine import Engine

from db import campaigns as device_campaigns
from db.migrate import open_database
from db.paper import import_paper
from db.schemas import Mode
from db.signatures import SignatureDraft, save_signature, void_signature
from db.sync import runner
from db.wire import API_PREFIX
from server import campaigns, delivery
from server.cli import main
from server.database import write_session
from server.models import Withdrawal
from utils.factories import copy_bundle, register_builtin, write_csv
from utils.sync_env import SyncServer, enroll_device, sync_server

pytestmark = pytest.mark.timeout(300)
SLUG = "deliver-test"
FIELDS = ('{ name = "given_name" }, { name = "family_name" }, { name = "email" }, { name = "phone" }, '
          '{ name = "postal_code" }, { name = "city" }, { name = "country" }, { name = "comment" }')
STREET = "Hauptstraße 5"
PHONE = "+49 30 1234567"

# name -> (email, postal code, city, country)
DEVICE_A = {
    "رنا الحلبي": ("rana@example.org", "10115", "Berlin", "DE"),
    "Jürgen Weiß": ("juergen@example.de", "80331", "München", "DE"),
    "Emily Carter": ("emily@example.com", "10001", "New York", "US"),
    "Noah Smith": ("noah@example.com", "94110", "San Francisco", "US"),
    "Lea Schmidt": ("lea@example.de", "20095", "Hamburg", "DE"),  # withdrawn on the receipt page
    "Tom Brown": ("tom@example.com", "10001", "New York", "US"),  # voided at the device
    "Sam Lee": ("sam@example.com", "00000", "Nowhere", "US"),  # a ZIP code nobody has
    "Kim Park": ("kim@example.org", "", "", ""),  # no country; signed on her own phone (crowd mode)
}
ON_PHONES = {"Kim Park"}  # saved with mode phone: counted like any other
DEVICE_B = {
    "رنا الحلبي": ("Rana@Example.org", "10115", "Berlin", "DE"),  # the same person on a second device
    "مريم يوسف": ("", "10117", "Berlin", "DE"),  # no email: matched by name and postal code
}
PAPER = [  # sheet, given, family, email, postal code, city, country
    ["1", "رنا", "الحلبي", "rana@example.org", "10115", "Berlin", "DE"],  # and once more on paper
    ["1", "مريم", "يوسف", "", "10117", "Berlin", "DE"],
    ["2", "Karl", "Müller", "", "20095", "Hamburg", "DE"],
]
COUNTED = {"رنا الحلبي": "DE", "Jürgen Weiß": "DE", "Emily Carter": "US-NY", "Noah Smith": "US-CA",
           "Sam Lee": "US-unknown", "Kim Park": "unknown", "مريم يوسف": "DE", "Karl Müller": "DE"}
NOT_COUNTED = ("Lea Schmidt", "Tom Brown")


@pytest.fixture
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncServer]:
    with sync_server(tmp_path_factory.mktemp("server")) as running:
        yield running


def _bundle(tmp_path: Path) -> device_campaigns.Campaign:
    """act-on-syria under another slug, with every field a form can ask for."""
    folder = copy_bundle("act-on-syria", tmp_path / "bundle")
    manifest = folder / "campaign.toml"
    text = manifest.read_text(encoding="utf-8")
    head, rest = text.split("[form]", 1)
    _, tail = rest.split("[links]", 1)
    manifest.write_text(head.replace('slug = "act-on-syria"', f'slug = "{SLUG}"')
                        + f"[form]\nfields = [{FIELDS}]\n\n[links]" + tail, encoding="utf-8")
    return device_campaigns.load_bundle(folder)


def _device(tmp_path: Path, name: str) -> tuple[Path, Engine]:
    data_dir = tmp_path / name
    data_dir.mkdir()
    engine = open_database(data_dir)
    register_builtin(engine)
    return data_dir, engine


def _save(engine: Engine, bundle: device_campaigns.Campaign, people: dict[str, tuple[str, str, str, str]]) -> dict[str, str]:
    ids = {}
    for name, (email, postal, city, country) in people.items():
        given, family = name.split(" ", 1)
        fields = {"given_name": given, "family_name": family, "email": email, "postal_code": postal, "city": city,
                  "country": country, "phone": PHONE if name == "رنا الحلبي" else "", "comment": STREET}
        draft = SignatureDraft(fields={k: v for k, v in fields.items() if v}, consent_processing=True,
                               mode=Mode.PHONE if name in ON_PHONES else Mode.KIOSK)
        ids[name] = save_signature(draft, engine=engine, shown=bundle.localised("en")).id
    return ids


def _sync(data_dir: Path, engine: Engine) -> None:
    syncer = runner.Syncer(data_dir, engine)
    try:
        report = syncer.run()
    finally:
        syncer.close()
    assert report.outcome == runner.OK, report


def _deliver(server: SyncServer, tmp_path: Path, out: Path, *extra: str) -> int:
    secret = tmp_path / "passphrase"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    server_dir = Path(str(server.engine.url.database)).parent  # its key file opens the server's signing key
    return main(["deliver", SLUG, "--out", str(out), "--passphrase-file", str(secret), "--data-dir",
                 str(server_dir), "--database-url", str(server.engine.url), *extra])


def _text(pdf: Path) -> str:
    return unicodedata.normalize("NFKC", "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages))


def _occurrences(text: str, name: str) -> int:
    """Arabic may come out of the PDF in visual order: count either order."""
    found = text.count(name)
    return found + (text.count(name[::-1]) if name[::-1] != name else 0)


@pytest.fixture
def fed(server: SyncServer, tmp_path: Path) -> SyncServer:
    bundle = _bundle(tmp_path)
    with write_session(server.engine) as session:
        campaigns.publish(bundle.path, session=session)
        session.commit()
    dir_a, engine_a = _device(tmp_path, "device-a")
    dir_b, engine_b = _device(tmp_path, "device-b")
    try:
        enroll_device(dir_a, server, name="stand")
        enroll_device(dir_b, server, name="kiosk")
        ids = _save(engine_a, bundle, DEVICE_A)
        void_signature(ids["Tom Brown"], engine=engine_a)
        _sync(dir_a, engine_a)
        _save(engine_b, bundle, DEVICE_B)
        sheet = write_csv(tmp_path / "paper.csv", [
            ["sheet", "given_name", "family_name", "email", "postal_code", "city", "country"], *PAPER])
        report = import_paper(sheet, engine=engine_b, campaign=bundle, locale="en")
        assert report.saved == 3, report
        _sync(dir_b, engine_b)
    finally:
        engine_a.dispose()
        engine_b.dispose()
    with write_session(server.engine) as session:  # what the receipt page's withdrawal writes
        session.add(Withdrawal(signature_id=ids["Lea Schmidt"]))
        session.commit()
    return server


def test_the_package_counts_each_person_once_and_shows_names_and_places_only(fed: SyncServer, tmp_path: Path) -> None:
    out = tmp_path / "delivery.pdf"
    assert _deliver(fed, tmp_path, out) == 0
    text = _text(out)
    flat = " ".join(text.split())
    assert "8 people signed this petition, each counted once." in flat
    for name in COUNTED:
        assert _occurrences(text, name) == 1, (name, text)
    for name in NOT_COUNTED:
        assert _occurrences(text, name) == 0, name
    for secret in ("@", "1234567", STREET, "Hauptstra", "10115", "94110", "80331"):
        assert secret not in text, secret
    assert "Berlin" in text and "San Francisco" in text  # the city, only
    for region, n in (("Germany", 4), ("United States: New York", 1), ("United States: California", 1),
                      ("United States: state unknown", 1), ("Unknown", 1)):
        assert f"{region} {n}" in flat, region

    verification = delivery.default_verification_path(out)
    document = json.loads(verification.read_text(encoding="utf-8"))
    assert document["total"] == 8
    assert document["regions"] == {"DE": 4, "US-CA": 1, "US-NY": 1, "US-unknown": 1, "unknown": 1}
    assert all(set(e) == set(delivery.ENTRY_FIELDS) for e in document["signatures"])
    raw = verification.read_bytes()
    assert not any(word.encode() in raw for word in ("example", "Berlin", "Weiß", "10115"))
    assert delivery.verify(raw).sha256 in flat.replace(" ", "") or delivery.verify(raw).sha256 in text.replace("\n", "")

    # The public count of a sealed campaign is before duplicates: 11 signatures stand, 8 people.
    count = httpx.get(f"{fed.url}{API_PREFIX}/campaigns/{SLUG}/count", timeout=10).json()
    assert (count["count"], count["before_duplicates"]) == (11, True)
    assert "Signatures that stand: 11; 3 of them are people signing again, each counted once." in flat


def test_verify_delivery_passes_and_fails_on_a_changed_character_or_a_repeated_id(
    fed: SyncServer, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "delivery.pdf"
    assert _deliver(fed, tmp_path, out, "--names", "initials", "--lang", "ar") == 0
    verification = delivery.default_verification_path(out)
    capsys.readouterr()
    assert main(["verify-delivery", str(verification)]) == 0
    assert "OK" in capsys.readouterr().out

    data = verification.read_text(encoding="utf-8")
    document = json.loads(data)
    changed = tmp_path / "changed.json"
    entry = document["signatures"][0]["content_sha256"]
    changed.write_text(data.replace(entry, ("0" if entry[0] != "0" else "1") + entry[1:]), encoding="utf-8")
    assert main(["verify-delivery", str(changed)]) == 1
    assert "does not verify" in capsys.readouterr().err

    # An id repeated, even under a valid signature (a key of its own), is found.
    repeated = dict(document)
    repeated["signatures"] = [*document["signatures"], document["signatures"][0]]
    repeated["total"] += 1
    region = document["signatures"][0]["region"]
    repeated["regions"] = {**document["regions"], region: document["regions"][region] + 1}
    key = nacl.signing.SigningKey.generate()
    body = {k: v for k, v in repeated.items() if k != "signature"}
    body["signed_by"] = {**body["signed_by"], "public_key": base64.b64encode(bytes(key.verify_key)).decode()}
    signed = {**body, "signature": base64.b64encode(key.sign(delivery._canonical(body)).signature).decode()}
    twice = tmp_path / "twice.json"
    twice.write_bytes(delivery.verification_bytes(signed))
    assert main(["verify-delivery", str(twice)]) == 1
    err = capsys.readouterr().err
    assert "more than once" in err and "does not verify" not in err
    # ... and with the server's key required, the foreign key is refused too.
    assert main(["verify-delivery", str(twice), "--public-key", document["signed_by"]["public_key"]]) == 1
    assert main(["verify-delivery", str(verification), "--public-key", document["signed_by"]["public_key"]]) == 0
    assert main(["verify-delivery", str(verification), "--public-key", "not base64!"]) == 1
    assert main(["verify-delivery", str(tmp_path / "missing.json")]) == 2

    # Initials in Arabic, right to left: the names are not there, their initials are.
    text = _text(out)
    assert _occurrences(text, "Jürgen Weiß") == 0 and _occurrences(text, "J. W.") == 1
    assert _occurrences(text, "الحلبي") == 0


def test_the_same_data_and_options_give_the_same_bytes(fed: SyncServer, tmp_path: Path) -> None:
    first, second = tmp_path / "one.pdf", tmp_path / "two.pdf"
    assert _deliver(fed, tmp_path, first, "--by", "country") == 0
    assert _deliver(fed, tmp_path, second, "--by", "country") == 0
    assert delivery.default_verification_path(first).read_bytes() == delivery.default_verification_path(second).read_bytes()
    assert first.read_bytes() == second.read_bytes()
    document = json.loads(delivery.default_verification_path(first).read_text(encoding="utf-8"))
    assert document["regions"] == {"DE": 4, "US": 3, "unknown": 1}
    assert oct(first.stat().st_mode & 0o777) == "0o600"


def test_an_arabic_cover_line_keeps_latin_names_and_dates_whole() -> None:
    """Through fpdf2's bidirectional algorithm (the one that lays the PDF's lines out): in an Arabic line,
    a Latin event name, its place and a date each stay one left-to-right run, in the sentence's right-to-left
    order, instead of running on into the next field ("Berlin، 2026-11-28: 2") or a date after Arabic
    words reading backwards ("02-12-2026")."""
    from datetime import date

    from fpdf.bidi import BidiParagraph
    from fpdf.enums import TextDirection

    from server import delivery_pdf

    pdf = delivery_pdf._Document("ar", delivery_pdf.find_fonts())
    day = date(2026, 11, 28)
    event = delivery.Event("e1", day, day, 2, False, "device", "Kundgebung für Syrien", "Alexanderplatz, Berlin", day)
    line = delivery_pdf._event_line(pdf, event, "ar")
    period = pdf.word("period", first=delivery_pdf._day(day, "ar"), last=delivery_pdf._day(date(2026, 12, 2), "ar"))

    def runs(text: str) -> list[str]:
        strip = str.maketrans("", "", delivery_pdf.FSI + delivery_pdf.PDI)
        return [part.translate(strip).strip(" ،:") for part, direction in
                BidiParagraph(text=text, base_direction=TextDirection.RTL).get_bidi_fragments()
                if direction == TextDirection.LTR]

    assert runs(line) == ["Kundgebung für Syrien", "Alexanderplatz, Berlin", "2026-11-28"]
    assert "موقّعان" in line  # two signers: Arabic's dual
    assert runs(period) == ["2026-11-28", "2026-12-02"]
    english = delivery_pdf._Document("en", delivery_pdf.find_fonts())
    assert delivery_pdf._event_line(english, event, "en").translate(
        str.maketrans("", "", delivery_pdf.FSI + delivery_pdf.PDI)) == (
        "Kundgebung für Syrien, Alexanderplatz, Berlin, 2026-11-28: 2 signers")
