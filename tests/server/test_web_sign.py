"""The petition online (``/s/<slug>``, server/pages/sign.py): a real server process on SQLite and
PostgreSQL; signing in English and Arabic stores each signature once, mode ``web``, with the hashes of
the texts shown; a sealed campaign's row holds no clear field; the refusals (closed, unknown, honeypot,
forged form, cross-site, body cap, rate limit)."""

from __future__ import annotations

import contextlib
import csv
import http.client
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from server_helpers import PASSPHRASE, EnrolledDevice, live_server, publish_builtin, signature
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from db.campaigns import load_bundle
from db.crowd.app import HONEYPOT_FIELD, MAX_BODY_BYTES
from db.paths import resource_path
from db.wire import API_HEADER
from server import campaigns, dashboard, sealing, web_sign
from server.database import make_engine, upgrade, write_session
from server.export import OPENED
from server.models import RateLimitWindow, StoredSignature, Withdrawal
from server.pages.sign import CURRENT_TTL_S, WEB_PAGE_BURST, WEB_SIGN_PER_IP_PER_MINUTE

CLEAR = "aleppo-open"  # the built-in aleppo letter, published without sealing
SEALED = "aleppo"
ROOT = Path(__file__).resolve().parents[2]


def _clear_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "bundles" / CLEAR
    shutil.copytree(resource_path("campaigns", "aleppo"), folder)
    toml = folder / "campaign.toml"
    toml.write_text(toml.read_text().replace('slug = "aleppo"', f'slug = "{CLEAR}"') + '\n[sealing]\nmode = "off"\n')
    return folder


@pytest.fixture
def site(database_url: str, tmp_path: Path) -> Iterator[tuple[str, Engine, Path]]:
    data_dir = tmp_path / "server"
    data_dir.mkdir(exist_ok=True)
    engine = make_engine(database_url)
    upgrade(engine)
    publish_builtin(engine)
    with write_session(engine) as session:
        campaigns.publish(_clear_copy(tmp_path), session=session)
        session.commit()
    with live_server(database_url, data_dir) as server:
        yield server.url, engine, data_dir
    engine.dispose()


def _token(html: str) -> str:
    found = re.search(r'name="form" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def _form(http: httpx.Client, slug: str, lang: str, **fields: str) -> dict[str, str]:
    page = http.get(f"/s/{slug}", params={"lang": lang})
    assert page.status_code == 200, page.text
    return {"form": _token(page.text), "lang": lang, "consent": "yes", HONEYPOT_FIELD: "", **fields}


def _rows(engine: Engine, slug: str) -> list[StoredSignature]:
    with Session(engine) as session:
        return list(session.exec(select(StoredSignature).where(StoredSignature.campaign_slug == slug)))


def test_signing_in_english_and_arabic_stores_each_once_with_mode_web_and_the_texts_shown(
        site: tuple[str, Engine, Path]) -> None:
    url, engine, _ = site
    bundle = load_bundle(resource_path("campaigns", "aleppo"))
    with httpx.Client(base_url=url) as http:
        page = http.get(f"/s/{CLEAR}", params={"lang": "en"})
        assert page.headers["cache-control"] == "no-store"
        assert "default-src 'none'" in page.headers["content-security-policy"]
        assert "script" not in page.headers["content-security-policy"]
        assert page.headers["x-frame-options"] == "DENY"
        assert '<html lang="en" dir="ltr">' in page.text
        assert http.get(f"/s/{CLEAR}/phone.css").status_code == 200

        english = _form(http, CLEAR, "en", given_name="Amal", family_name="Haddad", email="amal@example.org",
                        city="Berlin")
        thanks = http.post(f"/s/{CLEAR}", data=english)
        assert thanks.status_code == 200, thanks.text
        assert "Your signature has reached the campaign." in thanks.text
        receipt = re.search(r'href="(/receipt/[^"]+)"', thanks.text)
        assert receipt, thanks.text
        again = http.post(f"/s/{CLEAR}", data=english)  # a double tap: the same form, one signature
        assert again.status_code == 200 and "/receipt/" not in again.text

        arabic_page = http.get(f"/s/{CLEAR}", params={"lang": "ar"})
        assert '<html lang="ar" dir="rtl">' in arabic_page.text
        arabic = _form(http, CLEAR, "ar", given_name="نور", family_name="الحلبي", city="حلب")
        shukran = http.post(f"/s/{CLEAR}", data=arabic)
        assert shukran.status_code == 200 and "وصل توقيعك إلى الحملة." in shukran.text
        # the receipt page knows the signature arrived
        assert http.get(receipt.group(1).replace("&amp;", "&")).status_code == 200

    rows = {row.locale: row for row in _rows(engine, CLEAR)}
    assert len(_rows(engine, CLEAR)) == 2 and set(rows) == {"en", "ar"}
    for lang, row in rows.items():
        shown = bundle.localised(lang)
        assert row.mode == "web" and row.device_id == web_sign.web_device_id(CLEAR)
        assert row.letter_sha256 == shown.letter_sha256 and row.consent_text_sha256 == shown.consent_record_sha256
        assert row.seq == 1 and row.clock_offset_ms == 0 and row.receipt_sha256 is not None
        assert row.sealed is None
    assert rows["en"].given_name == "Amal" and rows["ar"].family_name == "الحلبي"
    with Session(engine) as session:
        counted = campaigns.public_count(CLEAR, session=session)
        assert counted is not None and counted.count == 2
        assert web_sign.web_count(CLEAR, session=session) == 2


def test_a_sealed_campaign_s_web_signature_is_sealed_on_arrival_and_in_the_export_opened_with_the_passphrase(
        site: tuple[str, Engine, Path], tmp_path: Path) -> None:
    url, engine, data_dir = site
    marker = "Qabbanimarker"
    with httpx.Client(base_url=url) as http:
        sent = _form(http, SEALED, "de", given_name="Zuhair", family_name=marker, email="zq@example.org", city="Köln")
        answer = http.post(f"/s/{SEALED}", data=sent)
        assert answer.status_code == 200, answer.text
    (row,) = _rows(engine, SEALED)
    assert row.mode == "web" and row.sealed is not None
    with Session(engine) as session:
        active = sealing.active_public_key(session=session)
        assert active is not None and row.sealed_key == active.key_id
    assert all(getattr(row, name) is None for name in ("given_name", "family_name", "email", "city", "comment"))
    for path in data_dir.glob("*.sqlite3*"):  # SQLite: the file and its WAL
        assert marker.encode() not in path.read_bytes(), path

    # The operator's export, as the operator runs it: a process of its own, the passphrase from a file.
    secret = tmp_path / "passphrase"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    target = tmp_path / "export.csv"
    database = ["--data-dir", str(data_dir), "--database-url", engine.url.render_as_string(hide_password=False)]
    done = subprocess.run([sys.executable, "-m", "server.cli", "export", "--csv", str(target), "--passphrase-file",
                           str(secret), *database], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "1 of them unsealed" in done.stdout and PASSPHRASE not in done.stdout + done.stderr
    with open(target, newline="", encoding="utf-8") as fh:
        exported = {line["id"]: line for line in csv.DictReader(fh)}
    line = exported[row.id]
    assert line["mode"] == "web" and line["sealed_status"] == OPENED and line["sealed_key"] == active.key_id
    assert (line["given_name"], line["family_name"], line["email"], line["city"]) == (
        "Zuhair", marker, "zq@example.org", "Köln")
    assert line["device_id"] == web_sign.web_device_id(SEALED) and line["consent_processing"] == "true"


def test_closed_unknown_honeypot_forged_cross_site_and_oversized_forms_store_nothing(
        site: tuple[str, Engine, Path]) -> None:
    url, engine, _ = site
    with httpx.Client(base_url=url) as http:
        assert http.get("/s/no-such-petition").status_code == 404
        assert "Petition not found" in http.get("/s/no-such-petition", params={"lang": "en"}).text
        assert http.get("/s/NOT..A..SLUG").status_code == 404
        trap = _form(http, CLEAR, "en", given_name="Bot", family_name="Bot")
        trap[HONEYPOT_FIELD] = "http://spam.example"
        assert http.post(f"/s/{CLEAR}", data=trap).status_code == 400
        forged = _form(http, CLEAR, "en", given_name="Eve", family_name="Forger")
        forged["form"] = forged["form"][:-4] + "0000"
        assert http.post(f"/s/{CLEAR}", data=forged).status_code == 400
        cross = _form(http, CLEAR, "en", given_name="Mallory", family_name="Elsewhere")
        assert http.post(f"/s/{CLEAR}", data=cross, headers={"sec-fetch-site": "cross-site"}).status_code == 403
        assert http.post(f"/s/{CLEAR}", data=cross, headers={"origin": "https://evil.example"}).status_code == 403
        huge = _form(http, CLEAR, "en", given_name="Big", family_name="Body", comment="x" * (MAX_BODY_BYTES + 1))
        assert http.post(f"/s/{CLEAR}", data=huge).status_code == 413
        invalid = _form(http, CLEAR, "en", given_name="", family_name="")
        invalid.pop("consent")
        refused = http.post(f"/s/{CLEAR}", data=invalid)
        assert refused.status_code == 422 and "Please check the marked fields." in refused.text
        assert _rows(engine, CLEAR) == []

        with write_session(engine) as session:
            campaigns.set_closed(CLEAR, True, session=session)
            session.commit()
        closed = http.post(f"/s/{CLEAR}", data={**cross, "given_name": "Late"})  # a form served before closing
        assert closed.status_code == 410 and "This petition is closed" in closed.text  # a POST reads afresh
        assert _soon(lambda: http.get(f"/s/{CLEAR}").status_code) == 410
    assert _rows(engine, CLEAR) == []


def test_a_database_failure_before_the_form_is_counted_gives_the_form_back_and_the_next_try_signs(
        site: tuple[str, Engine, Path]) -> None:
    """The admission (the count and the campaign read, one statement on PostgreSQL on psycopg itself)
    failing: the form comes back with what was typed and a banner, nothing stored; sent again once
    the database is back, it signs once."""
    url, engine, _ = site
    table = RateLimitWindow.__table__.name  # type: ignore[attr-defined]
    with httpx.Client(base_url=url) as http:
        sent = _form(http, CLEAR, "en", given_name="Nour", family_name="Unshaken")
        with engine.begin() as conn:
            conn.execute(text(f"ALTER TABLE {table} RENAME TO {table}_away"))
        try:
            failed = http.post(f"/s/{CLEAR}", data=sent)
        finally:
            with engine.begin() as conn:
                conn.execute(text(f"ALTER TABLE {table}_away RENAME TO {table}"))
        assert failed.status_code == 503, failed.text
        assert "could not be saved" in failed.text and 'value="Unshaken"' in failed.text
        assert _rows(engine, CLEAR) == []
        again = http.post(f"/s/{CLEAR}", data={**sent, "form": _token(failed.text)})
        assert again.status_code == 200 and "/receipt/" in again.text
    assert [r.family_name for r in _rows(engine, CLEAR)] == ["Unshaken"]


def _soon(status: Callable[[], int]) -> int:
    """The page's status once it changed from 200: a GET may answer from what its worker read within
    the last CURRENT_TTL_S (server/pages/sign.py); bounded at twice that and a second."""
    deadline = time.monotonic() + 2 * CURRENT_TTL_S + 1
    while (answer := status()) == 200 and time.monotonic() < deadline:
        time.sleep(0.05)
    return answer


def test_the_rate_limit_stops_one_address_and_locks_no_other_out(site: tuple[str, Engine, Path]) -> None:
    url, engine, _ = site
    if time.time() % 60 > 30:  # the limit counts per clock minute: the 21 forms must land in one
        time.sleep(60.5 - time.time() % 60)
    flood = {"x-forwarded-for": "203.0.113.7"}  # the server trusts 127.0.0.1's forwarded address
    with httpx.Client(base_url=url) as http:
        codes = []
        for i in range(WEB_SIGN_PER_IP_PER_MINUTE + 1):
            sent = _form(http, CLEAR, "en", given_name="Flood", family_name=f"Number {i}")
            codes.append(http.post(f"/s/{CLEAR}", data=sent, headers=flood).status_code)
            if codes[-1] == 429:
                break
        assert codes[-1] == 429 and set(codes[:-1]) == {200}, codes
        refused = http.post(f"/s/{CLEAR}", data=_form(http, CLEAR, "en", given_name="F", family_name="F"), headers=flood)
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
        other = _form(http, CLEAR, "en", given_name="Someone", family_name="Else")
        assert http.post(f"/s/{CLEAR}", data=other, headers={"x-forwarded-for": "198.51.100.9"}).status_code == 200
    assert len(_rows(engine, CLEAR)) == WEB_SIGN_PER_IP_PER_MINUTE + 1  # every 200 stored, the 429s nothing
    # 21 signatures in a minute from the web page: many phones, not a burst from one device
    with Session(engine) as session:
        overview = dashboard.overview(session=session)
    assert overview.bursts == []
    assert [d.state for d in overview.devices if d.id == web_sign.web_device_id(CLEAR)] == ["web"]
    (row,) = [c for c in overview.campaigns if c.slug == CLEAR]
    assert row.gathered == row.on_web == WEB_SIGN_PER_IP_PER_MINUTE + 1


def test_opening_the_page_is_limited_per_address_in_memory_and_locks_no_other_out(
        site: tuple[str, Engine, Path]) -> None:
    url, _, _ = site
    flood = {"x-forwarded-for": "203.0.113.8"}
    with httpx.Client(base_url=url) as http:
        codes = []
        for _ in range(3 * WEB_PAGE_BURST):  # the bucket refills while this runs: a few more than the burst
            codes.append(http.get(f"/s/{CLEAR}", params={"lang": "de"}, headers=flood).status_code)
            if codes[-1] == 429:
                break
        assert codes[-1] == 429 and set(codes[:-1]) == {200} and len(codes) > WEB_PAGE_BURST, codes
        refused = http.get(f"/s/{CLEAR}", params={"lang": "de"}, headers=flood)
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
        assert "Bitte warten Sie kurz" in refused.text  # in the language asked for
        assert http.get(f"/s/{CLEAR}", headers={"x-forwarded-for": "198.51.100.10"}).status_code == 200
        # A form served before the flood is still taken: the POST has its own limit, in the database.
        sent = _form(http, CLEAR, "en", given_name="Ahmad", family_name="Later")
        assert http.post(f"/s/{CLEAR}", data=sent, headers=flood).status_code == 200


def test_a_device_cannot_upload_a_web_signature(client: TestClient, device: EnrolledDevice) -> None:
    answer = client.post(device.batches, headers={**device.headers, API_HEADER: "2"},
                         json={"device_time": "2026-01-01T00:00:00Z", "signatures": [signature(mode="web")]})
    assert answer.status_code == 200, answer.text
    (result,) = answer.json()["results"]
    assert result["outcome"] == "rejected" and result["field"] == "mode"


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic"]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
         "user_agent": "Mozilla/5.0 (Linux; Android 13; Pixel 5) AppleWebKit/537.36 (KHTML, like Gecko) "
                       "Chrome/120.0 Mobile Safari/537.36"}


@pytest.mark.timeout(240)
def test_chromium_on_a_phone_signs_in_english_and_arabic_and_withdraws_from_the_receipt(
        site: tuple[str, Engine, Path], tmp_path: Path) -> None:
    """Set PETITION_WEB_SCREENSHOTS=DIR to keep the screenshots (docs/screenshots has them)."""
    playwright_api = pytest.importorskip("playwright.sync_api", reason="the browser tests need playwright")
    if not CHROMIUM.exists():
        pytest.skip("the browser tests need Debian's chromium")
    url, engine, _ = site
    shots = Path(os.environ.get("PETITION_WEB_SCREENSHOTS") or tmp_path / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    signers = {"en": ("en-GB", {"given_name": "Ada", "family_name": "Lovelace", "email": "ada@example.org",
                                "city": "London"}),
               "ar": ("ar", {"given_name": "سلمى", "family_name": "الحلبي", "city": "حلب"})}
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            for lang, (locale, values) in signers.items():
                context = browser.new_context(locale=locale, **PHONE)
                context.set_default_timeout(20_000)
                page = context.new_page()
                problems: list[str] = []
                page.on("response", lambda r, problems=problems: problems.append(f"{r.status} {r.url}")
                        if r.status >= 400 else None)
                page.on("console", lambda m, problems=problems: problems.append(f"{m.text} {m.location}")
                        if m.type in ("error", "warning") else None)
                page.goto(f"{url}/s/{CLEAR}")  # the language from the phone's own
                assert page.locator("html").get_attribute("lang") == lang
                assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
                page.screenshot(path=str(shots / f"web-letter-{lang}-390x844.png"))
                page.tap("a.button[href='#sign']")
                for name, value in values.items():
                    page.tap(f"[name={name}]")
                    page.fill(f"[name={name}]", value)
                page.tap("input[name=consent]")
                page.locator("form.sign").screenshot(path=str(shots / f"web-form-{lang}-390x844.png"))
                page.tap("button[type=submit]")
                page.wait_for_selector("section.thanks")
                page.screenshot(path=str(shots / f"web-thanks-{lang}-390x844.png"))
                if lang == "en":  # the receipt link opens the server's receipt page; withdrawing there
                    page.tap("p.receipt a")
                    page.check("input[name=confirm]")
                    page.click("button[type=submit]")
                    page.wait_for_load_state()
                assert problems == []
                context.close()
        finally:
            browser.close()
    rows = {row.locale: row for row in _rows(engine, CLEAR)}
    assert set(rows) == {"en", "ar"} and all(row.mode == "web" for row in rows.values())
    with Session(engine) as session:
        assert session.get(Withdrawal, rows["en"].id) is not None
        counted = campaigns.public_count(CLEAR, session=session)
    assert counted is not None and counted.count == 1  # Ada withdrew; Salma counts once


def test_the_operator_pauses_and_resumes_the_web_page(site: tuple[str, Engine, Path],
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from server.cli import main

    url, engine, data_dir = site
    with httpx.Client(base_url=url) as http:
        served = _form(http, CLEAR, "ar", given_name="Rami", family_name="Paused")  # served before the pause
        database = ["--data-dir", str(data_dir), "--database-url", engine.url.render_as_string(hide_password=False)]
        assert main(["pause-web", CLEAR, *database]) == 0
        assert "paused" in capsys.readouterr().out
        assert http.post(f"/s/{CLEAR}", data=served).status_code == 503
        assert _soon(lambda: http.get(f"/s/{CLEAR}", params={"lang": "ar"}).status_code) == 503
        paused = http.get(f"/s/{CLEAR}", params={"lang": "ar"})
        assert paused.status_code == 503 and "التوقيع على هذه الصفحة متوقف مؤقتًا" in paused.text
        assert _rows(engine, CLEAR) == []
        assert http.get(f"/s/{SEALED}").status_code == 200  # the other campaigns' pages are not paused
        assert main(["resume-web", CLEAR, *database]) == 0
        assert http.post(f"/s/{CLEAR}", data=served).status_code == 200
    assert [row.family_name for row in _rows(engine, CLEAR)] == ["Paused"]


PREFIX = "/petition"
_LINK = re.compile(r'(?:href|src|action)="([^"#?][^"]*)"')


@contextlib.contextmanager
def _prefix_proxy(backend: str) -> Iterator[str]:
    """A reverse proxy on 127.0.0.1 that serves ``backend`` under PREFIX and strips it, as
    docs/deploy's nginx.conf and Caddyfile do; anything outside PREFIX is a 404 of its own."""
    target = urlsplit(backend)

    class Forward(http.server.BaseHTTPRequestHandler):
        def _forward(self) -> None:
            if not self.path.startswith(PREFIX + "/"):
                self.send_error(404)
                return
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "x-forwarded-for")}
            headers["X-Forwarded-For"] = self.client_address[0]
            upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            try:
                upstream.request(self.command, self.path[len(PREFIX):], body=body or None, headers=headers)
                answer = upstream.getresponse()
                data = answer.read()
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in ("connection", "transfer-encoding", "content-length", "date", "server"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            finally:
                upstream.close()

        do_GET = do_POST = _forward  # noqa: N815 - the handler's method names

        def log_message(self, *_args: object) -> None:
            pass

    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Forward)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{proxy.server_address[1]}"
    finally:
        proxy.shutdown()
        proxy.server_close()
        thread.join(10)


def _links(html: str) -> list[str]:
    return [link.replace("&amp;", "&") for link in _LINK.findall(html)]


def test_behind_a_proxy_under_a_path_every_link_of_the_page_carries_it(
        database_url: str, tmp_path: Path) -> None:
    """petition-server serve --root-path /petition (here PETITION_SERVER_ROOT_PATH) behind a proxy that
    strips the path: the phone follows the page's own links and form, never guessing an address."""
    data_dir = tmp_path / "server"
    data_dir.mkdir()
    engine = make_engine(database_url)
    upgrade(engine)
    with write_session(engine) as session:
        campaigns.publish(_clear_copy(tmp_path), session=session)
        session.commit()
    with (live_server(database_url, data_dir, extra_env={"PETITION_SERVER_ROOT_PATH": PREFIX}) as server,
          _prefix_proxy(server.url) as proxy, httpx.Client(base_url=proxy) as http):
        page = http.get(f"{PREFIX}/s/{CLEAR}", params={"lang": "en"})
        assert page.status_code == 200, page.text
        assert page.headers["cache-control"] == "no-store"  # the page's headers, found under the prefix
        links = _links(page.text)
        assert f"{PREFIX}/s/{CLEAR}/phone.css" in links and links.count(f"{PREFIX}/s/{CLEAR}") == 1  # the form
        assert all(link.startswith(f"{PREFIX}/") for link in links), links
        for link in links:
            assert http.get(link).status_code == 200, link
        thanks = http.post(f"{PREFIX}/s/{CLEAR}", data={"form": _token(page.text), "lang": "en", "consent": "yes",
                                                         HONEYPOT_FIELD: "", "given_name": "Rasha",
                                                         "family_name": "Prefixed"})
        assert thanks.status_code == 200, thanks.text
        receipt = [link for link in _links(thanks.text) if "/receipt/" in link]
        assert receipt and all(link.startswith(f"{PREFIX}/") for link in _links(thanks.text)), _links(thanks.text)
        opened = http.get(receipt[0])
        assert opened.status_code == 200 and "Prefixed" not in opened.text
        assert all(link.startswith(f"{PREFIX}/") for link in _links(opened.text)), _links(opened.text)
        assert http.get(f"{PREFIX}/api/v1/health").status_code == 200
    assert [row.family_name for row in _rows(engine, CLEAR)] == ["Prefixed"]
    engine.dispose()


def test_the_root_path_setting_keeps_one_leading_slash_and_no_trailing_one(tmp_path: Path) -> None:
    from pydantic import ValidationError

    from server.settings import ServerSettings

    for written in ("petition", "/petition", "/petition/", " petition/ "):
        assert ServerSettings(data_dir=tmp_path, root_path=written).root_path == "/petition"
    assert ServerSettings(data_dir=tmp_path, root_path="/").root_path == ""
    assert ServerSettings.from_env({"PETITION_SERVER_ROOT_PATH": "/a/b/"}, data_dir=tmp_path).root_path == "/a/b"
    with pytest.raises(ValidationError):
        ServerSettings(data_dir=tmp_path, root_path="/a b?")
