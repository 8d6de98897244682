"""First-run set-up (db/setup.py) and importing campaign bundles (db/bundle_import.py), on real files."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from sqlmodel import Session, select

from db import audit, pin, setup
from db import settings as settings_store
from db.bundle_import import import_bundle
from db.campaigns import BundleError, load_bundle
from db.models import CampaignVersion
from db.paths import bundle_source, installed_bundle_dirs, resource_path
from utils.bundles import make_bundle, zip_bundle


def test_a_device_needs_setup_until_it_has_a_coordinator_pin(data_dir, engine):
    assert setup.needs_setup(data_dir)
    setup.complete(data_dir, setup.SetupChoices("ar", "aleppo", "  Courthouse table 1 ", "471108"), engine=engine)
    assert not setup.needs_setup(data_dir)
    assert pin.PinGuard(data_dir).check("471108").ok
    with Session(engine) as session:
        stored = settings_store.stored(session=session)
        entries = audit.recent(session=session, kind="setup_completed")
    assert (stored.default_locale, stored.active_campaign, stored.device_name) == ("ar", "aleppo", "Courthouse table 1")
    assert len(entries) == 1 and entries[0].detail == {"locale": "ar", "campaign": "aleppo"}


@pytest.mark.parametrize(("name", "key"), [
    ("", setup.NAME_MISSING), ("   ", setup.NAME_MISSING), ("x" * 65, setup.NAME_TOO_LONG),
    ("Table\u202e1", setup.NAME_BAD_CHARACTERS), ("Table\n1", setup.NAME_BAD_CHARACTERS),
])
def test_a_bad_device_name_is_refused_and_nothing_is_stored(data_dir, engine, name, key):
    assert setup.device_name_problem(name) == key
    with pytest.raises(ValueError, match=key):
        setup.complete(data_dir, setup.SetupChoices("en", "aleppo", name, "471108"), engine=engine)
    assert setup.needs_setup(data_dir)
    with Session(engine) as session:
        assert audit.recent(session=session, kind="setup_completed") == []


def test_any_script_names_a_device():
    for name in ("طاولة المحكمة ١", "Gerichtstisch 1 – Koblenz", "法院桌 1"):
        assert setup.device_name_problem(name) is None


def test_a_bad_pin_stores_nothing(data_dir, engine):
    with pytest.raises(pin.PinError):
        setup.complete(data_dir, setup.SetupChoices("en", "aleppo", "Table 1", "12"), engine=engine)
    assert setup.needs_setup(data_dir)
    with Session(engine) as session:
        assert settings_store.stored(session=session).device_name == ""


def test_asked_again_without_a_pin_the_pin_stays(data_dir, engine):
    pin.set_pin(data_dir, "975312")
    setup.complete(data_dir, setup.SetupChoices("de", "aleppo", "Tisch 2"), engine=engine)
    assert pin.PinGuard(data_dir).check("975312").ok
    with Session(engine) as session:
        assert settings_store.stored(session=session).device_name == "Tisch 2"


def test_the_pin_never_shows_in_the_choices_repr():
    choices = setup.SetupChoices("en", "aleppo", "Table 1", "902107")
    assert "902107" not in repr(choices) and "902107" not in str(choices)


# -- importing bundles ------------------------------------------------------------------------------

def test_a_folder_a_manifest_or_a_zip_each_imports_the_bundle(tmp_path, data_dir, engine):
    folder = make_bundle(tmp_path)
    campaign, new = import_bundle(data_dir, folder, engine=engine)
    assert new and campaign.slug == "vigil" and campaign.source == "import"
    installed = installed_bundle_dirs(data_dir)
    assert installed["vigil"] == data_dir / "imported-campaigns" / "vigil" / "v1"
    assert bundle_source(installed["vigil"], data_dir) == "import"
    assert load_bundle(installed["vigil"]).localised("en").texts.title == "Vigil for the detained"
    with Session(engine) as session:
        row = session.exec(select(CampaignVersion).where(CampaignVersion.slug == "vigil")).one()
        assert row.source == "import" and row.bundle_path == str(installed["vigil"])
        assert [e.detail for e in audit.recent(session=session, kind="campaign_imported")] == [
            {"campaign": "vigil", "version": 1}]

    # The same bundle again, by its manifest or zipped (with or without its folder): nothing changes.
    for again in (folder / "campaign.toml", zip_bundle(folder, tmp_path / "top.zip", top=True),
                  zip_bundle(folder, tmp_path / "flat.zip", top=False)):
        campaign, new = import_bundle(data_dir, again, engine=engine)
        assert not new and campaign.slug == "vigil"
    # A new version, zipped, lands beside the first and is the one shown.
    second = make_bundle(tmp_path, version=2, title="Vigil, second week")
    campaign, new = import_bundle(data_dir, zip_bundle(second, tmp_path / "v2.zip", top=True), engine=engine)
    assert new and campaign.version == 2
    assert installed_bundle_dirs(data_dir)["vigil"].name == "v2"
    assert not [p for p in (data_dir / "imported-campaigns").iterdir() if p.name.startswith(".import-")]


def test_a_version_reused_with_other_contents_is_refused(tmp_path, data_dir, engine):
    import_bundle(data_dir, make_bundle(tmp_path), engine=engine)
    with pytest.raises(BundleError, match="new version number"):
        import_bundle(data_dir, make_bundle(tmp_path, title="Another title"), engine=engine)
    # Not only the texts: a changed link (where the receipt QR code points) is another bundle too.
    linked = make_bundle(tmp_path / "again")
    manifest = linked / "campaign.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "[links]", '[links]\nonline_petition = "https://elsewhere.example/sign"', 1), encoding="utf-8")
    with pytest.raises(BundleError, match="new version number"):
        import_bundle(data_dir, linked, engine=engine)


def _with_manifest_line(folder: Path, old: str, new: str) -> Path:
    manifest = folder / "campaign.toml"
    text = manifest.read_text(encoding="utf-8")
    assert old in text
    manifest.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def test_an_imported_bundle_adds_a_campaign_and_never_weakens_one(tmp_path, data_dir, engine):
    """It cannot take a built-in or server campaign's slug (their texts, form and links are their
    organisers'), switch sealing off, or bring a key of its own."""
    builtin = make_bundle(tmp_path, slug="act-on-syria", version=7, title="Act on Syria, changed")
    with pytest.raises(BundleError, match="slug of its own"):
        import_bundle(data_dir, builtin, engine=engine)
    pulled = data_dir / "campaigns" / "vigil" / "v1"  # as if the server had published "vigil"
    import shutil

    shutil.copytree(make_bundle(tmp_path / "server"), pulled)
    with pytest.raises(BundleError, match="slug of its own"):
        import_bundle(data_dir, make_bundle(tmp_path, version=2), engine=engine)
    shutil.rmtree(data_dir / "campaigns")

    off = _with_manifest_line(make_bundle(tmp_path, slug="off"), "[form]", '[sealing]\nmode = "off"\n\n[form]')
    with pytest.raises(BundleError, match="cannot switch sealing off"):
        import_bundle(data_dir, off, engine=engine)
    key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    keyed = _with_manifest_line(make_bundle(tmp_path, slug="keyed"), "[form]",
                                f'[sealing]\nmode = "required"\npublic_key = "{key}"\n\n[form]')
    with pytest.raises(BundleError, match="its own key"):
        import_bundle(data_dir, keyed, engine=engine)
    assert set(installed_bundle_dirs(data_dir)) == {"act-on-syria", "aleppo"}
    assert installed_bundle_dirs(data_dir)["act-on-syria"] == resource_path("campaigns", "act-on-syria")


def test_only_the_bundles_own_files_are_copied(tmp_path, data_dir, engine):
    """A bundle chosen in a folder full of other things brings only its manifest, texts and photo."""
    folder = make_bundle(tmp_path)
    (folder / "signers-export.csv").write_text("given_name,email\nNour,nour@example.org\n", encoding="utf-8")
    (folder / "old").mkdir()
    (folder / "old" / "notes.txt").write_text("private", encoding="utf-8")
    campaign, _ = import_bundle(data_dir, folder / "campaign.toml", engine=engine)
    kept = sorted(p.relative_to(campaign.path).as_posix() for p in campaign.path.rglob("*") if p.is_file())
    expected = sorted(["campaign.toml", *(f"{locale}.toml" for locale in campaign.manifest.locales)]
                      + ([campaign.manifest.photo] if campaign.manifest.photo else []))
    assert kept == expected


def test_a_photo_outside_the_bundle_is_refused(tmp_path, data_dir, engine):
    secret = tmp_path / "id-card.jpg"
    secret.write_bytes(b"\xff\xd8 not for the kiosk")
    for photo in ("../id-card.jpg", str(secret), "C:\\Users\\x\\id.jpg"):
        folder = make_bundle(tmp_path, slug="photo", title=photo)
        _with_manifest_line(folder, 'data_controller', f"photo = '{photo}'\ndata_controller")
        with pytest.raises(BundleError, match="photo"):
            import_bundle(data_dir, folder, engine=engine)


def test_broken_and_unsafe_bundles_are_refused_with_their_reasons(tmp_path, data_dir, engine):
    broken = make_bundle(tmp_path)
    (broken / "de.toml").write_text("title = \n", encoding="utf-8")
    with pytest.raises(BundleError) as refused:
        import_bundle(data_dir, broken, engine=engine)
    assert any("de.toml" in problem for problem in refused.value.problems)

    linked = _with_manifest_line(make_bundle(tmp_path, title="Linked"), "data_controller",
                                 "photo = 'photo.jpg'\ndata_controller")
    os.symlink("/etc/hostname", linked / "photo.jpg")
    with pytest.raises(BundleError, match="links"):
        import_bundle(data_dir, linked, engine=engine)

    escaping = tmp_path / "escape.zip"
    with zipfile.ZipFile(escaping, "w") as zf:
        zf.writestr("../../outside.txt", "x")
    with pytest.raises(BundleError, match="unsafe"):
        import_bundle(data_dir, escaping, engine=engine)
    assert not (data_dir.parent / "outside.txt").exists()

    stray = tmp_path / "notes.txt"
    stray.write_text("not a bundle", encoding="utf-8")
    with pytest.raises(BundleError, match="not a campaign bundle"):
        import_bundle(data_dir, stray, engine=engine)
    assert "vigil" not in installed_bundle_dirs(data_dir)


def test_a_damaged_pin_file_accepts_no_pin_and_asks_for_no_new_one(data_dir):
    """Fail closed: a PIN file that cannot be read is not "no PIN", which would let the next person at
    the kiosk choose one."""
    pin.set_pin(data_dir, "471108")
    pin.pin_path(data_dir).write_text("{ not json", encoding="utf-8")
    assert pin.has_pin(data_dir) and not setup.needs_setup(data_dir)
    for tried in ("471108", "000000"):
        assert not pin.PinGuard(data_dir).check(tried).ok
    pin.pin_path(data_dir).unlink()  # the way back, with the computer's own account
    assert setup.needs_setup(data_dir)
    with pytest.raises(pin.PinError):
        pin.PinGuard(data_dir).check("471108")


def test_each_installation_gets_its_own_id_at_setup_and_the_export_names_it(data_dir, engine, tmp_path):
    """A device that is not enrolled has no server id; its exports still say which device they are from."""
    import csv

    from db.export import export_csv
    from utils.factories import save

    setup.complete(data_dir, setup.SetupChoices("en", "aleppo", "Table 1", "471108"), engine=engine)
    with Session(engine) as session:
        made = settings_store.stored(session=session).installation_id
    assert made is not None and len(made) == 36
    setup.complete(data_dir, setup.SetupChoices("de", "aleppo", "Tisch 2"), engine=engine)  # asked again
    save(engine)
    export_csv(tmp_path / "a.csv", engine=engine)
    export_csv(tmp_path / "b.csv", engine=engine, device_id="0b7c8f5e-2f6a-4a43-9a2e-8f4c1f0d9e11")
    rows = []
    for name in ("a.csv", "b.csv"):
        with (tmp_path / name).open(encoding="utf-8-sig", newline="") as fh:
            rows += list(csv.DictReader(fh))
    assert [r["installation_id"] for r in rows] == [made, made]  # kept, enrolled or not
    assert [r["device_id"] for r in rows] == ["", "0b7c8f5e-2f6a-4a43-9a2e-8f4c1f0d9e11"]


def test_a_device_set_up_before_installation_ids_gets_one_at_its_first_export(engine, tmp_path):
    import csv

    from db.export import export_csv
    from utils.factories import save

    save(engine)
    with Session(engine) as session:
        assert settings_store.stored(session=session).installation_id is None
    export_csv(tmp_path / "first.csv", engine=engine)
    export_csv(tmp_path / "second.csv", engine=engine)
    with Session(engine) as session:
        made = settings_store.stored(session=session).installation_id
    assert made
    for name in ("first.csv", "second.csv"):
        with (tmp_path / name).open(encoding="utf-8-sig", newline="") as fh:
            assert [row["installation_id"] for row in csv.DictReader(fh)] == [made]


def test_the_event_named_in_the_setup_is_stored_and_active(data_dir, engine):
    """The overview then shows today's event, not "No active event", on a fresh device."""
    from datetime import date

    from db import events

    setup.complete(data_dir, setup.SetupChoices("en", "aleppo", "Table 1", "471108", event_name="  Vigil  at the court ",
                                                event_place="Courthouse square", event_date=date(2026, 5, 2)),
                   engine=engine)
    with Session(engine) as session:
        active = events.active_event(session=session)
        assert active is not None
        assert (active.name, active.place, active.date) == ("Vigil at the court", "Courthouse square", date(2026, 5, 2))
        assert len(events.list_events(session=session)) == 1


def test_no_event_is_stored_when_none_was_named(data_dir, engine):
    from db import events

    setup.complete(data_dir, setup.SetupChoices("en", "aleppo", "Table 1", "471108", event_place="Courthouse square"),
                   engine=engine)
    with Session(engine) as session:
        assert events.list_events(session=session) == [] and events.active_event(session=session) is None


def test_an_event_name_too_long_stores_nothing(data_dir, engine):
    from db import events

    with pytest.raises(ValueError):
        setup.complete(data_dir, setup.SetupChoices("en", "aleppo", "Table 1", "471108", event_name="x" * 121),
                       engine=engine)
    assert setup.needs_setup(data_dir)
    with Session(engine) as session:
        assert events.list_events(session=session) == []
        assert settings_store.stored(session=session).device_name == ""
