"""Crowd mode on a phone: Debian's Chromium in phone emulation (390x844, touch) signs through a real
``petition-kiosk crowd`` process, in English and in Arabic; a wrong e-mail address gets the translated
message; ``petition-kiosk status`` counts the signatures, and a real server receives them on sync
exactly once, with mode ``phone`` and the hashes of the texts the page showed.

Set PETITION_WEB_SCREENSHOTS=DIR to keep the phone pages' screenshots there (docs/screenshots has them)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, select

from db import signer_text
from db.campaigns import load_builtin_bundle
from db.migrate import open_database
from db.paths import resource_path
from db.sync import runner
from server.models import StoredSignature
from utils.crowd import ROOT, crowd_process
from utils.sync_env import enroll_device, sync_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic"]
playwright_api = pytest.importorskip("playwright.sync_api", reason="the browser tests need `pip install playwright`")
pytestmark = [
    pytest.mark.timeout(300),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="the browser tests need Debian's chromium (apt-get install chromium)"),
]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
         "user_agent": "Mozilla/5.0 (Linux; Android 13; Pixel 5) AppleWebKit/537.36 (KHTML, like Gecko) "
                       "Chrome/120.0 Mobile Safari/537.36"}


@pytest.fixture(scope="module")
def playwright() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        yield p


@pytest.fixture
def browser(playwright: Any) -> Iterator[Any]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    target = Path(os.environ.get("PETITION_WEB_SCREENSHOTS") or tmp_path / "screenshots")
    target.mkdir(parents=True, exist_ok=True)
    return target


def phone_page(browser: Any, locale: str) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(locale=locale, **PHONE)
    context.set_default_timeout(20_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text)
            if m.type in ("error", "warning") and "status of 422" not in m.text else None)  # the form's own answer
    return context, page, problems


def fill(page: Any, values: dict[str, str]) -> None:
    for name, value in values.items():
        if name == "country":
            page.select_option("select[name=country]", value)
        else:
            page.tap(f"[name={name}]")
            page.fill(f"[name={name}]", value)


def test_phones_sign_in_english_and_arabic_and_a_server_gets_each_once(browser, tmp_path, shots):
    data_dir = tmp_path / "kiosk"
    data_dir.mkdir()
    engine = open_database(data_dir)
    with sync_server(tmp_path / "server") as server:
        enrolled = enroll_device(data_dir, server)
        engine.dispose()
        with crowd_process(data_dir, "--campaign", "act-on-syria") as crowd:
            # English: the letter, a wrong address and its message, then the thank-you page.
            context, page, problems = phone_page(browser, "en-GB")
            page.goto(crowd.url)
            assert page.locator("h1").first.inner_text() == "Act on Syria"
            assert page.locator("ol.demands li").count() == 5
            page.screenshot(path=str(shots / "phone-letter-en-390x844.png"))
            page.tap("a.button[href='#sign']")
            fill(page, {"given_name": "Ada", "family_name": "Lovelace", "email": "ada@", "postal_code": "10115",
                        "country": "DE"})
            page.locator("form.sign").screenshot(path=str(shots / "phone-form-en-390x844.png"))
            page.tap("input[name=consent]")
            page.tap("button[type=submit]")
            message = signer_text.validation_message("en", "email_invalid")
            assert page.locator("#e-email").inner_text() == message
            page.locator("form.sign").screenshot(path=str(shots / "phone-errors-en-390x844.png"))
            page.fill("[name=email]", "ada@example.org")
            page.tap("button[type=submit]")
            page.wait_for_selector("section.thanks")
            page.screenshot(path=str(shots / "phone-thanks-en-390x844.png"))
            assert problems == []
            context.close()

            # Arabic: right to left, the Arabic message, the Arabic letter's hashes.
            context, page, problems = phone_page(browser, "ar")
            page.goto(crowd.url)
            assert page.locator("html").get_attribute("dir") == "rtl"
            assert page.locator("html").get_attribute("lang") == "ar"
            page.screenshot(path=str(shots / "phone-letter-ar-390x844.png"))
            fill(page, {"given_name": "سلمى", "family_name": "الحلبي", "email": "salma@", "postal_code": "٥٠٦٦٧",
                        "country": "DE"})
            page.tap("input[name=consent]")
            page.tap("button[type=submit]")
            assert page.locator("#e-email").inner_text() == signer_text.validation_message("ar", "email_invalid")
            page.locator("form.sign").screenshot(path=str(shots / "phone-errors-ar-390x844.png"))
            page.fill("[name=email]", "salma@example.org")
            page.tap("button[type=submit]")
            page.wait_for_selector("section.thanks")
            page.screenshot(path=str(shots / "phone-thanks-ar-390x844.png"))
            assert problems == []
            context.close()
            assert crowd.read_lines(timeout=5).count("signed") == 2

        status = subprocess.run([sys.executable, "-m", "desktop", "status", "--data-dir", str(data_dir)],
                                cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert status.returncode == 0 and "pending: 2" in status.stdout, status.stdout

        engine = open_database(data_dir)
        try:
            for _ in range(2):  # a second run sends nothing again
                syncer = runner.Syncer(data_dir, engine)
                try:
                    report = syncer.run()
                finally:
                    syncer.close()
                assert report.outcome == runner.OK
        finally:
            engine.dispose()
        with Session(server.engine) as session:
            rows = session.exec(select(StoredSignature).where(col(StoredSignature.device_id) == enrolled.device_id)).all()
    campaign = load_builtin_bundle(resource_path("campaigns", "act-on-syria"))
    assert sorted((row.mode, row.locale) for row in rows) == [("phone", "ar"), ("phone", "en")]
    for row in rows:
        shown = campaign.localised(row.locale)
        assert row.letter_sha256 == shown.letter_sha256
        assert row.consent_text_sha256 == shown.consent_record_sha256
