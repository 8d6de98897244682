"""The partners' opt-ins on the petition online (``/s/<slug>``) and the phone page, which share their form
(db/crowd/app.py, resources/phone/templates/page.html): one check box per offered partner, each with its
own text naming it, never ticked; more than three fold into one list (a <details>, no script); the ticked
ones are stored with the hash of the text shown. A real server process; Chromium on a phone for the
screenshots when it is there (PETITION_WEB_SCREENSHOTS=DIR keeps them)."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from server_helpers import live_server, publish_builtin
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from db.campaigns import load_bundle
from db.crowd.app import HONEYPOT_FIELD
from db.paths import resource_path
from db.schemas import parse_partner_optins
from server import campaigns
from server.database import make_engine, upgrade, write_session
from server.models import StoredSignature

THREE = "partners-three"  # the built-in act-on-syria's three partners, published without sealing
FIVE = "partners-five"  # two more offered: the list folds
PARTNERS = ("families-for-freedom", "syrian-british-council", "white-helmets")


def _copy(tmp_path: Path, slug: str, more: bool) -> Path:
    folder = tmp_path / "bundles" / slug
    shutil.copytree(resource_path("campaigns", "act-on-syria"), folder)
    toml = folder / "campaign.toml"
    text = toml.read_text().replace('slug = "act-on-syria"', f'slug = "{slug}"', 1) + '\n[sealing]\nmode = "off"\n'
    if more:
        for name, partner in (("Baytna", "baytna"), ("Damma", "damma")):
            text = text.replace(f'name = "{name}"\n', f'name = "{name}"\nslug = "{partner}"\noffers_opt_in = true\n', 1)
    toml.write_text(text)
    return folder


@pytest.fixture
def site(database_url: str, tmp_path: Path) -> Iterator[tuple[str, Engine, Path]]:
    data_dir = tmp_path / "server"
    data_dir.mkdir(exist_ok=True)
    engine = make_engine(database_url)
    upgrade(engine)
    publish_builtin(engine)
    with write_session(engine) as session:
        for slug, more in ((THREE, False), (FIVE, True)):
            campaigns.publish(_copy(tmp_path, slug, more), session=session)
        session.commit()
    with live_server(database_url, data_dir) as server:
        yield server.url, engine, tmp_path / "bundles"
    engine.dispose()


def _form(http: httpx.Client, slug: str, lang: str, **fields: str) -> dict[str, str]:
    page = http.get(f"/s/{slug}", params={"lang": lang})
    assert page.status_code == 200, page.text
    token = re.search(r'name="form" value="([^"]+)"', page.text)
    assert token, page.text
    return {"form": token.group(1), "lang": lang, "consent": "yes", HONEYPOT_FIELD: "", **fields}


def _optins(engine: Engine, slug: str) -> dict[str, dict[str, str]]:
    with Session(engine) as session:
        return {str(r.given_name): parse_partner_optins(r.partner_optins) for r in session.exec(
            select(StoredSignature).where(StoredSignature.campaign_slug == slug))}


def test_each_partner_has_its_own_unticked_box_and_the_ticked_ones_are_stored(
        site: tuple[str, Engine, Path]) -> None:
    url, engine, bundles = site
    three = load_bundle(bundles / THREE)
    with httpx.Client(base_url=url) as http:
        page = http.get(f"/s/{THREE}", params={"lang": "de"}).text
        boxes = re.findall(r'<input type="checkbox" name="partner_([a-z-]+)" value="yes"( checked)?>', page)
        assert boxes == [(slug, "") for slug in PARTNERS]  # one each, in the bundle's order, none ticked
        shown = three.localised("de")
        for partner in three.manifest.partners:
            assert shown.partner_consent(partner) in page
        assert "<details" not in page  # three: one under the other

        sent = _form(http, THREE, "de", given_name="Jonas", **{f"partner_{PARTNERS[0]}": "yes",
                                                               f"partner_{PARTNERS[2]}": "yes",
                                                               "partner_not-offered": "yes"})
        assert http.post(f"/s/{THREE}", data=sent).status_code == 200
        # a form sent without consent comes back with the partners still ticked
        again = _form(http, THREE, "en", given_name="Lea", **{f"partner_{PARTNERS[1]}": "yes"})
        del again["consent"]
        refused = http.post(f"/s/{THREE}", data=again)
        assert refused.status_code == 422
        assert f'name="partner_{PARTNERS[1]}" value="yes" checked' in refused.text

        folded = http.get(f"/s/{FIVE}", params={"lang": "ar"}).text
        assert "<details><summary>المنظمات الشريكة التي يمكنها التواصل معك</summary>" in folded
        assert len(re.findall(r'name="partner_', folded)) == 5
        sent = _form(http, FIVE, "ar", given_name="نور", **{"partner_damma": "yes"})
        assert http.post(f"/s/{FIVE}", data=sent).status_code == 200

    partners = {p.slug: p for p in three.manifest.partners}
    assert _optins(engine, THREE) == {"Jonas": {
        slug: shown.partner_consent_record_sha256(partners[slug]) for slug in (PARTNERS[0], PARTNERS[2])}}
    five = load_bundle(bundles / FIVE)
    damma = five.manifest.partner("damma")
    assert damma is not None
    # an unreviewed translation: the hash covers the Arabic text and the English one shown under it
    assert _optins(engine, FIVE) == {"نور": {"damma": five.localised("ar").partner_consent_record_sha256(damma)}}


def test_a_sealed_campaign_s_web_signature_keeps_its_opt_ins_in_the_box_and_the_partner_export_finds_them(
        site: tuple[str, Engine, Path]) -> None:
    """The built-in act-on-syria seals: the web page seals the opt-ins on arrival with the signer's other
    fields, so the server's database holds none in clear (nor does the dashboard count them), and the
    partner's selection, opened with the passphrase, finds the signer."""
    from server_helpers import PASSPHRASE

    from server import partners, sealing

    url, engine, _ = site
    slug = "act-on-syria"
    with httpx.Client(base_url=url) as http:
        sent = _form(http, slug, "en", given_name="Sealed", email="sealed.web@example.org",
                     **{f"partner_{PARTNERS[2]}": "yes"})
        assert http.post(f"/s/{slug}", data=sent).status_code == 200
    with Session(engine) as session:
        (stored,) = session.exec(select(StoredSignature).where(StoredSignature.campaign_slug == slug)).all()
        assert stored.mode == "web" and stored.sealed is not None
        assert (stored.partner_optins, stored.given_name, stored.email) == (None, None, None)
        assert partners.partner_counts(session=session).get(PARTNERS[2], 0) == 0
        keys = sealing.unlock(PASSPHRASE, session=session)
        chosen = {p: [s.values["email"] for s in partners.partner_signers(session, partner, keys) if s is not None]
                  for p, partner in partners.published_partners(session=session).items()}
    assert chosen[PARTNERS[2]] == ["sealed.web@example.org"]
    assert chosen[PARTNERS[0]] == [] and chosen[PARTNERS[1]] == []


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic"]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@pytest.mark.timeout(240)
def test_chromium_on_a_phone_ticks_a_partner_in_the_folded_list(site: tuple[str, Engine, Path], tmp_path: Path) -> None:
    playwright_api = pytest.importorskip("playwright.sync_api", reason="the browser tests need playwright")
    if not CHROMIUM.exists():
        pytest.skip("the browser tests need Debian's chromium")
    url, engine, _ = site
    shots = Path(os.environ.get("PETITION_WEB_SCREENSHOTS") or tmp_path / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            for lang, slug, name in (("en", THREE, "Ada"), ("ar", FIVE, "سلمى")):
                context = browser.new_context(locale=lang, **PHONE)
                context.set_default_timeout(20_000)
                page = context.new_page()
                page.goto(f"{url}/s/{slug}?lang={lang}")
                page.fill("[name=given_name]", name)
                page.tap("input[name=consent]")
                if slug == FIVE:
                    page.tap("fieldset.partners summary")  # the folded list opens with a tap
                page.tap(f"input[name=partner_{PARTNERS[1]}]")
                page.locator("fieldset.partners").screenshot(path=str(shots / f"web-partners-{lang}-390x844.png"))
                page.tap("button[type=submit]")
                page.wait_for_selector("section.thanks")
                context.close()
        finally:
            browser.close()
    assert list(_optins(engine, THREE)["Ada"]) == [PARTNERS[1]]
    assert list(_optins(engine, FIVE)["سلمى"]) == [PARTNERS[1]]
