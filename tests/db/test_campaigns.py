"""Campaign bundles (db/campaigns.py): the two built-ins, their texts against the seed documents they
were made from, broken bundles, and registering bundle versions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlmodel import Session, select

from db import campaigns
from db.campaigns import BundleError, Organisation, load_bundle, paragraphs
from db.models import CampaignVersion
from utils.factories import builtin_campaign, copy_bundle, edit

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"  # beside the repository, in CI as on developers' machines
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"the seed documents are not at {SEEDS}")


def _seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def _seed_paragraphs(prefix: str) -> set[str]:
    return set(paragraphs(_seed(prefix)))


def test_both_builtin_bundles_load() -> None:
    loaded = {c.slug: c for c in campaigns.load_builtin()}
    assert set(loaded) == {"act-on-syria", "aleppo"}
    for campaign in loaded.values():
        shown = campaign.localised("en")
        assert re.fullmatch(r"[0-9a-f]{64}", shown.letter_sha256)
        assert re.fullmatch(r"[0-9a-f]{64}", shown.consent_sha256)
        assert campaign.manifest.data_controller in shown.consent_processing
        assert "{" not in shown.consent_processing
        assert shown.texts.reviewed and not shown.rtl
        assert campaign.localised("fr").locale == "en"  # no French texts: the default locale
        for locale in ("ar", "de"):  # translated, not yet reviewed by a native speaker
            translated = campaign.localised(locale)
            assert translated.locale == locale and not translated.texts.reviewed
            assert translated.rtl == (locale == "ar")
            assert translated.consent_original is not None


def test_act_on_syria_demands_and_organisations() -> None:
    campaign = builtin_campaign("act-on-syria")
    texts = campaign.texts["en"]
    assert len(texts.demands) == 5
    organisations = campaign.manifest.organisations
    assert campaign.organisation_count() == 35
    assert len(organisations) == 25
    (coalition,) = [o for o in organisations if o.members]
    assert coalition.name == "American Coalition for Syria"
    assert len(coalition.members) == 10
    assert all(not m.members for m in coalition.members)
    letter = campaign.localised("en").letter_text
    assert "5. Invest renewed political capital" in letter
    assert "\n\n  - Syrian Forum\n\n" in letter  # members shown under their coalition


@needs_seeds
def test_act_on_syria_english_is_verbatim_from_the_seeds() -> None:
    texts = builtin_campaign("act-on-syria").texts["en"]
    page, letter = _seed_paragraphs("000"), _seed_paragraphs("001")
    assert f"Photo: {texts.photo_caption}" in page
    assert texts.addressee in page
    for paragraph in paragraphs(texts.intro) + paragraphs(texts.letter):
        assert paragraph in page, paragraph[:60]
    assert len(paragraphs(texts.letter)) == 4 and len(paragraphs(texts.intro)) == 2

    full = texts.full_letter
    assert full is not None
    assert full.addressee in letter
    assert texts.demands_heading in letter
    assert full.demands_intro in letter
    body = paragraphs(full.body)
    assert len(body) == 5
    for paragraph in body:
        assert paragraph in letter, paragraph[:60]
    seed_lines = [" ".join(line.split()) for line in _seed("001").splitlines()]
    for number, demand in enumerate(texts.demands, 1):
        assert f"{number}. {demand}" in seed_lines, demand[:60]


def _seed_organisations() -> list[Organisation]:
    """The bullet list of seed 001, two spaces of indent per level."""
    top: list[dict[str, object]] = []
    for line in _seed("001").splitlines():
        match = re.fullmatch(r"( +)• (.+)", line.rstrip())
        if not match:
            continue
        entry: dict[str, object] = {"name": match[2], "members": []}
        if len(match[1]) == 2:
            top.append(entry)
        else:
            members = top[-1]["members"]
            assert isinstance(members, list)
            members.append(entry)
    return [Organisation.model_validate(entry) for entry in top]


@needs_seeds
def test_the_organisations_are_the_seeds_list_in_order() -> None:
    def names(org: Organisation) -> tuple[str, tuple]:  # the partner fields are the bundle's own, not the seed's
        return org.name, tuple(names(m) for m in org.members)

    assert [names(o) for o in builtin_campaign("act-on-syria").manifest.organisations] == [
        names(o) for o in _seed_organisations()]


@needs_seeds
def test_aleppo_english_is_verbatim_from_the_seed() -> None:
    texts = builtin_campaign("aleppo").texts["en"]
    seed = paragraphs(_seed("003"))
    assert texts.title == seed[0]
    letter = paragraphs(texts.letter)
    for paragraph in letter:
        assert paragraph in seed, paragraph[:60]
    for paragraph in seed[1:]:  # every paragraph of the statement is there, repeated ones once
        assert any(paragraph in kept for kept in letter), paragraph[:60]


def test_aleppo_has_no_duplicated_paragraph_or_sentence() -> None:
    letter = paragraphs(builtin_campaign("aleppo").texts["en"].letter)
    assert len(letter) == len(set(letter))
    for i, paragraph in enumerate(letter):
        assert not any(paragraph in other for j, other in enumerate(letter) if j != i)
    sentences = [s for p in letter for s in re.split(r"(?<=[.!?])\s+", p)]
    assert len(sentences) == len(set(sentences)), [s for s in sentences if sentences.count(s) > 1]


# --- broken bundles ------------------------------------------------------------------------------


def _remove(name: str):
    return lambda path: (path / name).unlink()


def _write(name: str, text: str):
    return lambda path: (path / name).write_text(text, encoding="utf-8")


def _edit(name: str, old: str, new: str):
    return lambda path: edit(path / name, old, new)


CONSENT = "I agree that {controller} stores"
BROKEN = {
    "missing manifest": (_remove("campaign.toml"), ["campaign.toml: file is missing"]),
    "bad TOML": (_write("campaign.toml", 'slug = "x"\nversion = '), ["campaign.toml: not valid TOML"]),
    "unknown key": (_edit("campaign.toml", "goal = 100", 'goal = 100\ncolour = "red"'), ["campaign.toml: colour:"]),
    "unknown text key": (_edit("en.toml", "reviewed = true", 'reviewed = true\nsubtitle = "x"'), ["en.toml: subtitle:"]),
    "unknown form field": (_edit("campaign.toml", '{ name = "postal_code" }', '{ name = "shoe_size" }'),
                           ["campaign.toml: form.fields.3.name:"]),
    "bad version": (_edit("campaign.toml", "version = 1", "version = 0"), ["campaign.toml: version:"]),
    "default locale not listed": (_edit("campaign.toml", 'default_locale = "en"', 'default_locale = "fr"'),
                                  ["campaign.toml:", "default_locale 'fr' is not in locales"]),
    "missing locale file": (_edit("campaign.toml", 'locales = ["en", "ar", "de"]', 'locales = ["en", "ar", "de", "fr"]'),
                            ["fr.toml: file is missing"]),
    "missing photo": (_edit("campaign.toml", "goal = 100", 'goal = 100\nphoto = "photo.jpg"'),
                      ["campaign.toml: photo: photo.jpg is missing"]),
    "unknown placeholder": (_edit("en.toml", CONSENT, "I agree that {organisation} stores"),
                            ["en.toml: consent_processing: only {controller} may appear in braces"]),
    "attribute placeholder": (_edit("en.toml", CONSENT, "I agree that {controller.name} stores"),
                              ["en.toml: consent_processing: only {controller}"]),
    "method placeholder": (_edit("en.toml", CONSENT, "I agree that {controller.upper} stores"),
                           ["en.toml: consent_processing: only {controller}"]),
    "lone brace": (_edit("en.toml", "Keep me informed", "Keep me { informed"),
                   ["en.toml: consent_updates: only {controller}"]),
    "opt-in text missing": (_edit("en.toml", "consent_updates = ", "# consent_updates = "),
                            ["en.toml: consent_updates: required because the form asks for updates"]),
    "empty letter": (_edit("en.toml", 'letter = """', 'letter = ""\nunused = """'), ["en.toml: letter:"]),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_broken_bundle_is_refused_naming_file_and_field(tmp_path: Path, name: str) -> None:
    breakage, expected = BROKEN[name]
    path = copy_bundle("act-on-syria", tmp_path)
    load_bundle(path)  # the copy is fine before we break it
    breakage(path)
    with pytest.raises(BundleError) as info:
        load_bundle(path)
    assert info.value.path == path
    message = str(info.value)
    for part in expected:
        assert part in message


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = copy_bundle("act-on-syria", tmp_path)
    edit(path / "campaign.toml", 'locales = ["en", "ar", "de"]', 'locales = ["en", "ar", "de", "fr"]')
    edit(path / "en.toml", CONSENT, "I agree that {organisation} stores")
    with pytest.raises(BundleError) as info:
        load_bundle(path)
    assert len(info.value.problems) == 2


def test_a_file_instead_of_a_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bundle.zip").write_bytes(b"PK")
    with pytest.raises(BundleError, match="not a folder"):
        load_bundle(tmp_path / "bundle.zip")


# --- registering versions ------------------------------------------------------------------------


def _versions(engine) -> list[tuple[str, int, int | None]]:
    with Session(engine) as session:
        rows = session.exec(select(CampaignVersion).order_by(CampaignVersion.slug, CampaignVersion.version))
        return [(r.slug, r.version, r.id) for r in rows]


def test_register_is_idempotent(engine) -> None:
    before = _versions(engine)
    assert [(slug, version) for slug, version, _ in before] == [("act-on-syria", 1), ("aleppo", 1)]
    with Session(engine) as session:
        for campaign in campaigns.load_builtin():
            campaigns.register(campaign, session=session)
        session.commit()
    assert _versions(engine) == before
    with Session(engine) as session:
        (row,) = [r for r in campaigns.installed(session=session) if r.slug == "act-on-syria"]
        assert row.title == "Act on Syria" and row.source == "builtin" and row.bundle_path is None
        assert row.locale_hashes["en"]["letter"] == builtin_campaign("act-on-syria").localised("en").letter_sha256


def test_register_refuses_changed_texts_under_the_same_version(engine, tmp_path: Path) -> None:
    path = copy_bundle("act-on-syria", tmp_path)
    edit(path / "en.toml", "In 2022, civilians", "In 2023, civilians")
    changed = load_bundle(path, source="import")
    with Session(engine) as session, pytest.raises(BundleError, match="new version number"):
        campaigns.register(changed, session=session)

    edit(path / "campaign.toml", "version = 1", "version = 2")
    with Session(engine) as session:
        row = campaigns.register(load_bundle(path, source="import"), session=session)
        session.commit()
        assert row.bundle_path == str(path)
    assert [(s, v) for s, v, _ in _versions(engine)] == [("act-on-syria", 1), ("act-on-syria", 2), ("aleppo", 1)]


def test_register_accepts_a_review_without_a_new_version(engine, tmp_path: Path) -> None:
    path = copy_bundle("act-on-syria", tmp_path)
    edit(path / "en.toml", "reviewed = true", "reviewed = false")
    with Session(engine) as session:
        campaigns.register(load_bundle(path), session=session)
        session.commit()
    with Session(engine) as session:
        (row,) = [r for r in campaigns.installed(session=session) if r.slug == "act-on-syria"]
        assert row.locale_hashes["en"]["reviewed"] is False
    assert len(_versions(engine)) == 2
