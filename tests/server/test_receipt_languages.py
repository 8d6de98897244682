"""The receipt page in each language, its words from the signer catalogue (db/signer_text.py): every
state a signer can meet, the problems its handlers report, and nothing left in English."""

from __future__ import annotations

import hashlib
import html
import re
import secrets
import uuid

import pytest
from fastapi.testclient import TestClient
from server_helpers import EnrolledDevice, batch, signature
from sqlalchemy.engine import Engine

from db import signer_text

ARRIVED = {"ar": "وصل توقيعك على «", "de": "Ihre Unterschrift für „"}
WITHDRAW_BUTTON = {"en": "Withdraw my signature", "ar": "اسحب توقيعي", "de": "Unterschrift zurückziehen"}
NOT_A_RECEIPT = {"ar": "هذا ليس رابط إيصال. تحقق من نسخ الرابط كاملًا.",
                 "de": "Das ist kein Link zu einer Quittung. Prüfen Sie, ob der ganze Link kopiert wurde."}
CONFIRM = {"ar": "ضع علامة في المربع لتأكيد رغبتك في سحب توقيعك.",
           "de": "Kreuzen Sie das Kästchen an, um zu bestätigen, dass Sie Ihre Unterschrift zurückziehen möchten."}


def _arrived(client: TestClient, device: EnrolledDevice) -> tuple[dict[str, object], str]:
    key = secrets.token_urlsafe(16)
    sig = signature("aleppo", 1, receipt_sha256=hashlib.sha256(key.encode()).hexdigest())
    answer = client.post(device.batches, json=batch([sig]), headers=device.headers)
    assert answer.status_code == 200, answer.text
    return sig, key


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.mark.parametrize("lang", ["ar", "de"])
def test_an_arrived_signature_s_page_is_all_in_the_signer_s_language(
    client: TestClient, published: Engine, device: EnrolledDevice, lang: str
) -> None:
    sig, key = _arrived(client, device)
    page = client.get(f"/receipt/{sig['id']}?k={key}&lang={lang}")
    assert page.status_code == 200
    text = _text(page.text)
    assert ARRIVED[lang] in text and WITHDRAW_BUTTON[lang] in text
    assert "{campaign}" not in text and "{date}" not in text
    for english in ("Your signature", "arrived on", "Withdraw", "Reference", "personal details"):
        assert english not in text, english
    answer = client.post(f"/receipt/{sig['id']}/withdraw?lang={lang}", data={"k": key, "csrf": "x"})
    assert answer.status_code == 403
    assert signer_text.translate(lang, "This page was open too long or your browser did not send back its cookie. "
                                       "Open the receipt link again and try once more.") in _text(answer.text)


@pytest.mark.parametrize("lang", ["ar", "de"])
def test_the_handlers_problems_are_translated(client: TestClient, published: Engine, device: EnrolledDevice,
                                              lang: str) -> None:
    sig, key = _arrived(client, device)
    page = client.get(f"/receipt/{sig['id']}?k={key}&lang={lang}")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    unconfirmed = client.post(f"/receipt/{sig['id']}/withdraw?lang={lang}", data={"k": key, "csrf": csrf.group(1)})
    assert unconfirmed.status_code == 400 and CONFIRM[lang] in _text(unconfirmed.text)
    not_one = client.get(f"/receipt/not-an-id?lang={lang}")
    assert not_one.status_code == 404 and NOT_A_RECEIPT[lang] in _text(not_one.text)
    assert f'<html lang="{lang}"' in not_one.text


def test_english_stays_the_source(client: TestClient, published: Engine) -> None:
    page = client.get(f"/receipt/{uuid.uuid4()}", headers={"Accept-Language": "fr-FR, es;q=0.5"})
    text = _text(page.text)
    assert '<html lang="en" dir="ltr">' in page.text
    assert "This signature has not arrived yet." in text and "Reference" in text
