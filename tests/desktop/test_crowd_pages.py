"""Crowd mode's phone pages through a real ``petition-kiosk crowd`` process on 127.0.0.1: signing,
the rules the kiosk has, and what a phone without the QR code's token, a forged form or a flood gets."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from db import events
from db.campaigns import load_builtin_bundle
from db.engine import write_session
from db.migrate import open_database
from db.models import Signature
from db.paths import resource_path
from db.schemas import Mode
from utils.crowd import crowd_process, form_token, phone, sign
from utils.factories import VALID_FIELDS

FIELDS = dict(VALID_FIELDS)


def stored(data_dir: Path) -> list[Signature]:
    engine = open_database(data_dir)
    try:
        with Session(engine) as session:
            return list(session.exec(select(Signature)).all())
    finally:
        engine.dispose()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    engine = open_database(path)
    with write_session(engine) as session:
        events.create_event("Vigil at the courthouse", "Koblenz", events_day(), session=session)
        session.commit()
    engine.dispose()
    return path


def events_day():  # noqa: ANN201
    from datetime import date

    return date(2026, 12, 6)


def test_a_phone_signs_once_with_the_texts_it_was_shown(data_dir):
    with crowd_process(data_dir, "--campaign", "act-on-syria") as crowd:
        answer = sign(phone(1), crowd.url, FIELDS, lang="de")
        assert answer.status_code == 200
        assert "Thank you" in answer.text or "Danke" in answer.text
        assert crowd.read_lines(timeout=5)[-1] == "signed"
    [row] = stored(data_dir)
    shown = load_builtin_bundle(resource_path("campaigns", "act-on-syria")).localised("de")
    assert row.mode == Mode.PHONE and row.locale == "de" and row.sync_state == "pending"
    assert row.letter_sha256 == shown.letter_sha256
    assert row.consent_text_sha256 == shown.consent_record_sha256
    assert row.event_id is not None and row.given_name == "Ada" and row.email == "ada@example.org"


def test_a_form_sent_twice_is_one_signature_and_a_second_visit_is_empty(data_dir):
    with crowd_process(data_dir) as crowd:
        signer = phone(1)
        page = signer.get(crowd.url).text
        body = {"form": form_token(page), "lang": "en", "consent": "yes", **FIELDS}
        first = signer.post(crowd.url, data=body)
        again = signer.post(crowd.url, data=body)  # a double tap, a reload that sends the form again
        assert first.status_code == again.status_code == 200
        visit = signer.get(crowd.url).text
        assert "Lovelace" not in visit and "ada@example.org" not in visit
        assert form_token(visit) != body["form"]
    assert len(stored(data_dir)) == 1


def test_the_kiosks_rules_and_messages_and_nothing_is_stored(data_dir):
    with crowd_process(data_dir) as crowd:
        answer = sign(phone(1), crowd.url, {**FIELDS, "email": "not-an-address"})
        assert answer.status_code == 422
        assert 'id="e-email"' in answer.text and 'aria-invalid="true"' in answer.text
        assert 'value="Lovelace"' in answer.text  # what was typed stays
        unticked = sign(phone(1), crowd.url, FIELDS, consent=False)
        assert unticked.status_code == 422 and 'class="consent invalid"' in unticked.text
    assert stored(data_dir) == []


def test_without_the_token_nothing_opens_and_nothing_is_stored(data_dir):
    with crowd_process(data_dir) as crowd:
        base = crowd.url.rsplit("/s/", 1)[0]
        stranger = phone(2)
        for path in ("/", "/s/", "/s/wrong-token-0000000000", "/admin", "/s/wrong-token-0000000000/phone.css"):
            answer = stranger.get(base + path)
            assert answer.status_code == 404, path
            assert "Act on Syria" not in answer.text and "Lovelace" not in answer.text
        forged = stranger.post(base + "/s/wrong-token-0000000000", data={"consent": "yes", **FIELDS})
        assert forged.status_code == 404
    assert stored(data_dir) == []


def test_a_forged_or_cross_site_form_is_refused(data_dir):
    with crowd_process(data_dir) as crowd:
        signer = phone(1)
        page = signer.get(crowd.url).text
        token = form_token(page)
        signature_id, expires, mac = token.split(".")
        forged = f"{signature_id}.{int(expires) + 999999}.{mac}"
        answer = signer.post(crowd.url, data={"form": forged, "lang": "en", "consent": "yes", **FIELDS})
        assert answer.status_code == 400 and 'value="Lovelace"' in answer.text  # kept, with a fresh form
        cross = signer.post(crowd.url, data={"form": token, "lang": "en", "consent": "yes", **FIELDS},
                            headers={"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"})
        assert cross.status_code == 403
        huge = signer.post(crowd.url, data={"form": token, "comment": "x" * 40_000, **FIELDS})
        assert huge.status_code == 413
        not_a_form = signer.post(crowd.url, json={"form": token, **FIELDS})
        assert not_a_form.status_code == 400
    assert stored(data_dir) == []


def test_headers_keep_the_pages_private(data_dir):
    with crowd_process(data_dir) as crowd:
        answer = phone(1).get(crowd.url)
    assert answer.headers["cache-control"] == "no-store"
    assert "default-src 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["referrer-policy"] == "same-origin"
    assert answer.headers["x-frame-options"] == "DENY"
    assert "server" not in answer.headers


def test_a_guessing_phone_is_refused_and_nobody_else_is(data_dir):
    with crowd_process(data_dir) as crowd:
        base = crowd.url.rsplit("/s/", 1)[0]
        guesser = phone(7)
        codes = [guesser.get(f"{base}/s/guess-{i:020d}").status_code for i in range(25)]
        assert codes[:20] == [404] * 20 and set(codes[20:]) == {429}
        assert guesser.get(crowd.url).status_code == 429  # even with the token, this phone waits
        for _ in range(30):  # what a browser fetches by itself is no guess
            assert phone(9).get(f"{base}/favicon.ico").status_code == 204
        assert phone(9).get(crowd.url).status_code == 200
        assert sign(phone(8), crowd.url, FIELDS).status_code == 200  # another phone signs
    assert len(stored(data_dir)) == 1


def test_one_phone_signs_a_few_times_then_waits_and_others_still_sign(data_dir):
    with crowd_process(data_dir, "--signatures-per-phone", "6") as crowd:
        family = phone(3)
        codes = [sign(family, crowd.url, {**FIELDS, "given_name": f"Member {i}"}).status_code for i in range(7)]
        assert codes == [200] * 6 + [429]
        assert sign(phone(4), crowd.url, FIELDS).status_code == 200
    assert len(stored(data_dir)) == 7


def test_the_page_shows_every_word_the_signatures_letter_hash_covers(data_dir):
    import html
    import re

    campaign = load_builtin_bundle(resource_path("campaigns", "act-on-syria"))
    with crowd_process(data_dir) as crowd:
        for lang in campaign.manifest.locales:
            page = html.unescape(re.sub(r"<[^>]+>", "\n", phone(1).get(crowd.url, params={"lang": lang}).text))
            text = " ".join(page.split())
            for part in campaign.localised(lang).letter_text.split("\n\n"):
                for line in part.splitlines():
                    words = re.sub(r"^\s*(- |\d+\. )", "", line)
                    assert " ".join(words.split()) in text, (lang, line)


@pytest.mark.parametrize("lang", ["en", "ar", "de"])
def test_the_thank_you_page_rendered_once_is_the_page_a_fresh_render_makes(lang: str) -> None:
    """thanks_page keeps one render per language and kind and puts the receipt's link in: byte for byte
    what rendering the template for that link gives, its characters escaped alike."""
    from db.crowd import app as pages

    config = pages.CrowdConfig(campaign=load_builtin_bundle(resource_path("campaigns", "aleppo")), engine=None,  # type: ignore[arg-type]
                               token="t" * 22)
    for receipt in (f"/receipt/0190-x?k=a&b<c>\"d&lang={lang}", "/receipt/other?k=z", None):
        for online in (True, False):
            fresh = pages.render(config, lang, "thanks.html", 200, receipt=receipt, online=online).body
            assert pages.thanks_page(config, lang, receipt, online=online).body == fresh
            assert pages.thanks_page(config, lang, receipt, online=online).body == fresh  # from the cache
