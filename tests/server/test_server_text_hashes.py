"""Text hashes: a signature whose letter or consent hash is none its campaign version publishes is
stored and counted, and flagged on the dashboard and in the export (all-zero hashes too)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from fastapi.testclient import TestClient
from server_helpers import EnrolledDevice, batch, signature
from sqlalchemy.engine import Engine
from sqlmodel import Session
from test_web import add_admin, login, public_count

from db.campaigns import builtin_bundle_dirs, load_bundle
from server import dashboard, export

ZEROS = "0" * 64


def _hashes(slug: str) -> dict[str, dict[str, str]]:
    return next(load_bundle(d) for d in builtin_bundle_dirs() if d.name == slug).locale_hashes()


def test_unknown_text_hashes_are_flagged_not_refused(client: TestClient, published: Engine, device: EnrolledDevice,
                                                     tmp_path: Path) -> None:
    aleppo, other = _hashes("aleppo"), _hashes("act-on-syria")
    known = [
        signature("aleppo", 1),  # English, as published
        # German not reviewed yet: the consent hash covers the translation and the English beside it
        signature("aleppo", 2, locale="de", consent_locale="de", letter_sha256=aleppo["de"]["letter"],
                  consent_text_sha256=aleppo["de"]["consent_shown"]),
        signature("aleppo", 3, locale="ar", consent_locale="ar", letter_sha256=aleppo["ar"]["letter"],
                  consent_text_sha256=aleppo["ar"]["consent"]),  # as registered before a review
    ]
    flagged = [
        signature("aleppo", 4, letter_sha256=ZEROS, consent_text_sha256=ZEROS),
        signature("aleppo", 5, letter_sha256=ZEROS),
        signature("aleppo", 6, consent_text_sha256=ZEROS),
        signature("aleppo", 7, letter_sha256=other["en"]["letter"]),  # another campaign's letter
        signature("aleppo", 8, consent_text_sha256="ab" * 32),  # a device that kept its own texts
    ]
    answer = client.post(device.batches, json=batch(known + flagged), headers=device.headers).json()
    assert answer["counts"]["created"] == 8  # none refused
    assert public_count(client) == 8  # and every one counts

    with Session(published) as session:
        row = next(c for c in dashboard.overview(session=session).campaigns if c.slug == "aleppo")
    assert (row.gathered, row.unknown_texts) == (8, 5)
    login(client, add_admin(published))
    html = client.get("/admin/").text
    assert re.search(r'data-slug="aleppo">.*?class="num unknown-texts warn">5<', html, re.S)
    assert re.search(r'id="unknown-texts">5 signatures name\s+a letter or consent text', html)

    target = tmp_path / "export.csv"
    export.export_csv(published, target)
    with target.open(encoding="utf-8", newline="") as fh:
        rows = {r["id"]: r["texts_unknown"] for r in csv.DictReader(fh)}
    assert rows == {**{s["id"]: "false" for s in known}, **{s["id"]: "true" for s in flagged}}


def test_the_dashboard_says_nothing_when_every_text_is_known(client: TestClient, published: Engine,
                                                              device: EnrolledDevice) -> None:
    client.post(device.batches, json=batch([signature("aleppo", 1)]), headers=device.headers)
    login(client, add_admin(published))
    html = client.get("/admin/").text
    assert 'class="num unknown-texts">0<' in html and 'id="unknown-texts"' not in html
