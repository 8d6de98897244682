"""Bundle format 2: organisations as partners (slug, links, key, opt-in), each opt-in's own consent text and
hash, the format refused clearly by an app that reads an older one, and the opt-ins a save records."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from db import validation as v
from db.campaigns import BUNDLE_FORMAT, BundleError, load_bundle, sha256_text
from db.paths import resource_path
from db.schemas import SignatureCreate, parse_partner_optins, partner_optins_text
from db.signatures import build_record, save_signature
from utils.factories import acknowledge, builtin_campaign, make_draft, record_input

PARTNERS = ("families-for-freedom", "syrian-british-council", "white-helmets")


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "act-on-syria"
    shutil.copytree(resource_path("campaigns", "act-on-syria"), folder)
    return folder


def _edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_built_in_bundle_offers_three_partners_with_texts_naming_each() -> None:
    campaign = builtin_campaign("act-on-syria")
    assert campaign.manifest.format == BUNDLE_FORMAT == 2
    assert [p.slug for p in campaign.manifest.partners] == list(PARTNERS)
    assert all(p.public_key is None for p in campaign.manifest.partners)  # an example: keys are the partners'
    for locale in ("en", "ar", "de"):
        shown = campaign.localised(locale)
        texts = [shown.partner_consent(p) for p in campaign.manifest.partners]
        assert all(p.name in text for p, text in zip(campaign.manifest.partners, texts, strict=True))
        assert len(set(texts)) == 3
    english = campaign.localised("en")
    partner = campaign.manifest.partners[0]
    assert english.partner_consent_record_sha256(partner) == sha256_text(english.partner_consent(partner))
    arabic = campaign.localised("ar")  # unreviewed: the English text is shown beside it, and hashed with it
    assert arabic.partner_consent_record_sha256(partner) == sha256_text(
        arabic.partner_consent(partner) + "\n\n" + english.partner_consent(partner))
    # the partners' fields are no part of the letter text: its hash is what version 1 was registered with
    assert "families-for-freedom" not in english.letter_text and "Families for Freedom" in english.letter_text


def test_a_newer_format_is_refused_saying_update_the_app(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder, "campaign.toml", "format = 2", "format = 3")
    with pytest.raises(BundleError) as caught:
        load_bundle(folder)
    assert caught.value.problems == ["campaign.toml: format: the bundle has format 3; this app reads formats up "
                                     "to 2: update the app"]


@pytest.mark.parametrize(("file", "old", "new", "problem"), [
    ("campaign.toml", "format = 2", "format = 1", "organisations with a slug need format = 2"),
    ("campaign.toml", 'slug = "white-helmets"', 'slug = "families-for-freedom"', "slug is listed twice"),
    ("campaign.toml", 'slug = "white-helmets"\n', "", "needs a slug"),
    ("campaign.toml", 'slug = "white-helmets"\n', 'slug = "white-helmets"\npublic_key = "c2hvcnQ="\n', "32 bytes"),
    ("campaign.toml", 'slug = "white-helmets"\n', 'slug = "white-helmets"\nwebsite = "http://x.org"\n', "website"),
    ("de.toml", "consent_partner = ", "consent_partner_not = ", "consent_partner"),
    ("en.toml", "Yes, {partner} may", "Yes, {partner.name} may", "consent_partner: must name {partner}"),
    ("en.toml", "Yes, {partner} may", "Yes, they may", "consent_partner: must name {partner}"),
])
def test_a_broken_partner_is_refused_naming_the_field(tmp_path: Path, file: str, old: str, new: str,
                                                      problem: str) -> None:
    folder = _copy(tmp_path)
    _edit(folder, file, old, new)
    with pytest.raises(BundleError) as caught:
        load_bundle(folder)
    assert problem in str(caught.value)


def test_a_partner_with_key_and_links_loads(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    key = base64.b64encode(bytes(range(32))).decode()
    _edit(folder, "campaign.toml", 'slug = "white-helmets"\n',
          f'slug = "white-helmets"\npublic_key = "{key}"\nwebsite = "https://example.org"\n'
          'privacy_policy = "https://example.org/privacy"\n')
    partner = load_bundle(folder).manifest.partner("white-helmets")
    assert partner is not None and partner.public_key == key and partner.key_id is not None
    assert partner.privacy_policy == "https://example.org/privacy"


def test_a_save_records_each_ticked_partner_with_its_texts_hash(engine: Engine) -> None:
    shown = builtin_campaign("act-on-syria").localised("de")
    record = build_record(make_draft(partners=frozenset({PARTNERS[2], PARTNERS[0]})), shown)
    partners = {p.slug: p for p in shown.campaign.manifest.partners}
    assert parse_partner_optins(record.partner_optins) == {
        slug: shown.partner_consent_record_sha256(partners[slug]) for slug in (PARTNERS[0], PARTNERS[2])}
    assert record.partner_optins is not None and record.partner_optins.startswith(PARTNERS[0])  # sorted
    assert build_record(make_draft(), shown).partner_optins is None  # never ticked unless the signer ticks
    with pytest.raises(v.SignatureInvalid) as caught:
        build_record(make_draft(partners=frozenset({"someone-else"})), shown)
    assert [(e.field, e.key) for e in caught.value.errors] == [("partner_optins", v.NOT_ASKED)]
    saved = save_signature(make_draft(partners=frozenset({PARTNERS[1]})), engine=engine, shown=shown)
    raw = engine.raw_connection()
    try:
        stored = raw.cursor().execute("SELECT partner_optins FROM signature WHERE id = ?", (saved.id,)).fetchone()[0]
        # the opt-ins are part of the signed content: the immutability trigger refuses a change
        with pytest.raises(Exception, match="cannot be changed"):
            raw.cursor().execute("UPDATE signature SET partner_optins = NULL WHERE id = ?", (saved.id,))
    finally:
        raw.close()
    assert parse_partner_optins(stored).keys() == {PARTNERS[1]}


@pytest.mark.parametrize("text", ["x", f"b:{'a' * 64} a:{'a' * 64}", f"a:{'a' * 64} a:{'b' * 64}",
                                  f"a:{'A' * 64}", f"a:{'a' * 64}  b:{'a' * 64}", ""])
def test_opt_ins_that_are_not_canonical_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        SignatureCreate.model_validate(record_input(partner_optins=text))


def test_the_canonical_text_round_trips_and_empty_is_none() -> None:
    optins = {"b-org": "b" * 64, "a-org": "a" * 64}
    text = partner_optins_text(optins)
    assert text == f"a-org:{'a' * 64} b-org:{'b' * 64}"
    assert SignatureCreate.model_validate(record_input(partner_optins=text)).partner_optins == text
    assert parse_partner_optins(text) == optins and partner_optins_text({}) is None


def test_paper_sheets_carry_one_column_per_offered_partner(engine: Engine, tmp_path: Path) -> None:
    from db.paper import PaperImportError, import_paper

    campaign = builtin_campaign("act-on-syria")
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("sheet,given_name,email,partner_white-helmets,partner_families-for-freedom\n"
                     "1,Rana,rana@example.org,x,\n1,Jan,jan@example.org,no,yes\n1,Lea,lea@example.org,,\n"
                     "1,Bad,bad@example.org,maybe,\n", encoding="utf-8")
    report = import_paper(sheet, engine=engine, campaign=campaign)
    assert report.refused and [(e.line, e.field, e.key) for e in report.errors] == [
        (5, "partner_white-helmets", "invalid")]
    sheet.write_text("\n".join(sheet.read_text().splitlines()[:-1]) + "\n", encoding="utf-8")
    assert import_paper(sheet, engine=engine, campaign=campaign).saved == 3
    raw = engine.raw_connection()
    try:
        chosen = {name: sorted(parse_partner_optins(text)) for name, text in raw.cursor().execute(
            "SELECT given_name, partner_optins FROM signature").fetchall()}
    finally:
        raw.close()
    assert chosen == {"Rana": ["white-helmets"], "Jan": ["families-for-freedom"], "Lea": []}
    assert import_paper(sheet, engine=engine, campaign=campaign).duplicates == 3  # the same ids again

    other = tmp_path / "other.csv"
    other.write_text("sheet,given_name,partner_someone\n1,Rana,x\n", encoding="utf-8")
    with pytest.raises(PaperImportError, match="offers no opt-in for such a partner"):
        import_paper(other, engine=engine, campaign=campaign)


def test_retention_blanks_the_opt_ins_with_the_signers_other_fields(engine: Engine, data_dir: Path) -> None:
    from db import retention

    saved = save_signature(make_draft(partners=frozenset({PARTNERS[0]})), engine=engine,
                           shown=builtin_campaign("act-on-syria").localised("en"))
    acknowledge(engine, [saved.id])
    assert retention.purge(engine=engine, data_dir=data_dir, retention_days=0).purged == 1
    raw = engine.raw_connection()
    try:
        row = raw.cursor().execute("SELECT given_name, partner_optins, purged_at FROM signature WHERE id = ?",
                                   (saved.id,)).fetchone()
    finally:
        raw.close()
    assert row[0] is None and row[1] is None and row[2] is not None
