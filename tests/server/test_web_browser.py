"""The web pages in a real browser: Debian's Chromium driven by Playwright, against a real
``petition-server serve`` process on 127.0.0.1 (SQLite). Admin login (wrong token refused, attempts
rate-limited), the dashboard's counts against the database, no personal data in its HTML, the security
headers, the burst flag, enrolling a device from the dashboard, and the receipt page's two-step
withdrawal reaching the public count and the export.

Set PETITION_WEB_SCREENSHOTS=DIR to keep the pages' screenshots there (docs/screenshots has the
dashboard's); otherwise they go to the test's temporary folder."""

from __future__ import annotations

import csv
import hashlib
import os
import re
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from server_helpers import LiveServer, batch, live_server, new_code, public_key, publish_builtin, signature
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from db.wire import API_HEADER, API_PREFIX
from server import admins, dashboard, export, web
from server.database import make_engine, sqlite_url, upgrade, write_session
from server.models import StoredSignature, Withdrawal

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic"]
playwright_api = pytest.importorskip("playwright.sync_api", reason="the browser tests need `pip install playwright`")
pytestmark = [
    pytest.mark.timeout(240),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="the browser tests need Debian's chromium (apt-get install chromium)"),
]

# Signers whose names must never reach the dashboard's HTML.
SIGNERS = [("Zainab", "Qasimi", "Homs"), ("Yusuf", "Darwish", "Gaziantep"), ("Leyla", "Nasrallah", "Leipzig"),
           ("Omar", "Khatib", "Amman"), ("Rania", "Sabbagh", "Beirut"), ("Karim", "Haddadin", "Malmö")]


def person(seq: int) -> dict[str, Any]:
    given, family, city = SIGNERS[seq % len(SIGNERS)]
    return {"given_name": given, "family_name": f"{family}", "email": f"{given.lower()}.{seq}@mail.example", "city": city}


@dataclass
class Site:
    server: LiveServer
    engine: Engine
    token: str
    calm_device: str
    burst_device: str
    receipt_ids: list[str]
    receipt_keys: dict[str, str]  # signature id -> the receipt secret its signer's QR code held
    names: list[str]

    @property
    def url(self) -> str:
        return self.server.url


def _enroll(url: str, engine: Engine, name: str) -> tuple[str, dict[str, str]]:
    answer = httpx.post(f"{url}{API_PREFIX}/enroll", json={"code": new_code(engine, name), "device_public_key": public_key()})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    return body["device_id"], {"Authorization": f"Bearer {body['token']}", API_HEADER: "1"}


def _upload(url: str, device_id: str, headers: dict[str, str], items: list[dict[str, Any]]) -> None:
    answer = httpx.post(f"{url}{API_PREFIX}/devices/{device_id}/batches", json=batch(items), headers=headers)
    assert answer.status_code == 200 and answer.json()["counts"]["created"] == len(items), answer.text


def _fresh_server(data_dir: Path) -> tuple[str, Engine]:
    url = sqlite_url(data_dir)
    engine = make_engine(url)
    upgrade(engine)
    publish_builtin(engine)
    return url, engine


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A server with two campaigns and two devices: a stand whose signatures come minutes apart over
    three days, and a tablet that saved eight within twenty seconds (a burst)."""
    data_dir = tmp_path_factory.mktemp("web")
    url, engine = _fresh_server(data_dir)
    with write_session(engine) as session:
        _, token = admins.add_admin("Field coordinator", session=session)
        session.commit()
    with live_server(url, data_dir) as server:
        calm_id, calm_headers = _enroll(server.url, engine, "Stand Old Town")
        burst_id, burst_headers = _enroll(server.url, engine, "Tablet Library")
        # Noon yesterday (UTC): every signature in the past, each day's on its own calendar day.
        now = (datetime.now(UTC) - timedelta(days=1)).replace(hour=12, minute=0, second=0, microsecond=0)
        event = str(uuid.uuid4())
        calm = []
        keys: dict[str, str] = {}
        for day in range(3):
            for i in range(3 + day):
                seq = len(calm) + 1
                at = now - timedelta(days=day, hours=2) + timedelta(minutes=4 * i)
                slug = "act-on-syria" if i == 0 else "aleppo"
                key = secrets.token_urlsafe(16)
                calm.append(signature(slug, seq, created_at=at, consent_given_at=at, event_id=event, **person(seq),
                                      receipt_sha256=hashlib.sha256(key.encode()).hexdigest()))
                keys[calm[-1]["id"]] = key
        _upload(server.url, calm_id, calm_headers, calm)
        named = httpx.put(f"{server.url}{API_PREFIX}/devices/{calm_id}/events", headers={**calm_headers, API_HEADER: "2"},
                          json={"events": [{"id": event, "name": "Vigil for the detained", "place": "Old Town square",
                                            "day": (now - timedelta(days=2)).date().isoformat()}]})
        assert named.status_code == 200, named.text
        burst_at = now - timedelta(hours=1)
        burst = [signature("aleppo", seq, created_at=burst_at + timedelta(seconds=2.5 * seq), consent_given_at=burst_at,
                           **person(seq + 100)) for seq in range(1, 9)]
        _upload(server.url, burst_id, burst_headers, burst)
        names = sorted({p[0] for p in SIGNERS} | {p[1] for p in SIGNERS} | {p[2] for p in SIGNERS}
                       | {s["email"] for s in calm + burst})
        yield Site(server, engine, token, calm_id, burst_id, [s["id"] for s in calm if s["campaign_slug"] == "aleppo"],
                   keys, names)
    engine.dispose()


@pytest.fixture(scope="module")
def playwright() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        yield p


@pytest.fixture
def browser(playwright: Any, tmp_path: Path) -> Iterator[Any]:
    """A Chromium with a fresh user-data directory (no cookies, no cache) for each test."""
    profile = tmp_path / "chromium-profile"
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True,
        viewport={"width": 1280, "height": 900}, locale="en-GB",
    )
    context.set_default_timeout(15_000)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    target = Path(os.environ.get("PETITION_WEB_SCREENSHOTS") or tmp_path / "screenshots")
    target.mkdir(parents=True, exist_ok=True)
    return target


EXPECTED_STATUS = re.compile(r"Failed to load resource: the server responded with a status of (401|403|429)\b")


def open_page(context: Any) -> tuple[Any, list[str]]:
    """The context's page and the browser's complaints about it (a blocked stylesheet or image, a
    Content-Security-Policy violation, a missing file), but for refusals the tests ask for themselves."""
    page = context.pages[0] if context.pages else context.new_page()
    problems: list[str] = []

    def on_console(message: Any) -> None:
        if message.type in ("error", "warning") and not EXPECTED_STATUS.match(message.text):
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return page, problems


def sign_in(page: Any, site: Site, token: str | None = None) -> Any:
    page.goto(f"{site.url}/admin/")
    assert page.url.endswith("/admin/login")
    page.fill("#token", token or site.token)
    with page.expect_navigation():
        page.click("button[type=submit]")
    return page


def assert_security_headers(headers: dict[str, str]) -> None:
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "script-src" not in csp
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cache-control"] == "no-store"


def public_count(site: Site, slug: str = "aleppo") -> int:
    return int(httpx.get(f"{site.url}{API_PREFIX}/campaigns/{slug}/count").json()["count"])


# --- tests ---------------------------------------------------------------------------------------------

def test_login_refuses_a_wrong_token_then_lets_the_right_one_in(site: Site, browser: Any, shots: Path) -> None:
    page, problems = open_page(browser)
    answer = page.goto(f"{site.url}/admin/")
    assert page.url.endswith("/admin/login") and answer is not None
    assert_security_headers(answer.headers)
    page.fill("#token", "pka_" + "x" * 43)
    with page.expect_navigation() as nav:
        page.click("button[type=submit]")
    assert nav.value.status == 401
    assert "not valid" in page.inner_text(".problem")
    assert not [c for c in browser.cookies() if c["name"] == web.SESSION_COOKIE]
    page.screenshot(path=str(shots / "server-login-refused-en.png"))

    page.fill("#token", site.token)
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert page.url == f"{site.url}/admin/"
    session_cookie = next(c for c in browser.cookies() if c["name"] == web.SESSION_COOKIE)
    assert session_cookie["httpOnly"] and session_cookie["sameSite"] == "Strict" and session_cookie["path"] == "/admin"
    assert not session_cookie["secure"]  # plain HTTP on loopback; over HTTPS it is Secure (test_web.py)
    assert page.evaluate("document.cookie") == ""  # HttpOnly: no script ever sees it
    assert "Signed in as" in page.inner_text("header")

    with page.expect_navigation():
        page.click("header button[type=submit]")  # log out (a POST with its token)
    assert page.url.endswith("/admin/login")
    page.goto(f"{site.url}/admin/")
    assert page.url.endswith("/admin/login")
    assert problems == []


def test_dashboard_counts_match_the_database_and_hold_no_personal_data(site: Site, browser: Any, shots: Path) -> None:
    page, problems = open_page(browser)
    sign_in(page, site)
    answer = page.goto(f"{site.url}/admin/")
    assert answer is not None
    assert_security_headers(answer.headers)
    # The stylesheet loaded and applied under the policy (no inline styles, nothing blocked).
    assert page.eval_on_selector("header.bar", "e => getComputedStyle(e).display") == "flex"

    with Session(site.engine) as session:
        gathered = dict(session.exec(select(StoredSignature.campaign_slug, func.count())
                                     .where(col(StoredSignature.voids).is_(None))
                                     .group_by(col(StoredSignature.campaign_slug))).all())
        per_device = dict(session.exec(select(StoredSignature.device_id, func.count())
                                       .group_by(col(StoredSignature.device_id))).all())
        days, _ = dashboard.day_rows(session=session)
    counted = {slug: public_count(site, slug) for slug in gathered}
    for slug in gathered:
        row = page.locator(f"#campaigns tr[data-slug='{slug}']")
        assert int(row.locator("td.gathered").inner_text()) == gathered[slug]
        assert int(row.locator("td.counted").inner_text()) == counted[slug]
    assert int(page.inner_text("#total-counted")) == sum(counted.values())
    assert int(page.inner_text("#total-gathered")) == sum(gathered.values())
    for device_id, n in per_device.items():
        assert int(page.locator(f"#devices tr[data-device='{device_id}'] td.signatures").inner_text()) == n
    assert page.locator("#days tbody tr").count() == len(days) == 3
    for day in days:
        assert int(page.locator(f"#days tr[data-day='{day.day.isoformat()}'] td.total").inner_text()) == day.total
    assert page.locator("#devices td.warn").count() == 0  # both clocks right
    assert "Vigil for the detained" in page.inner_text("#events")  # as its device named it, not an id

    html = page.content()
    leaked = [name for name in site.names if name in html]
    assert leaked == []
    page.screenshot(path=str(shots / "server-dashboard-en-1280x900.png"), full_page=True)
    assert problems == []


def test_bursts_are_flagged_on_the_dashboard(site: Site, browser: Any) -> None:
    page, _ = open_page(browser)
    sign_in(page, site)
    rows = page.locator("#bursts tr.burst")
    assert rows.count() == 1
    cells = rows.first.locator("td").all_inner_texts()
    assert cells[0] == "Tablet Library" and cells[3] == "8" and cells[4] == "18 s"
    assert page.inner_text("#total-bursts") == "1"
    assert "Stand Old Town" not in rows.first.inner_text()


def test_enroll_a_device_from_the_dashboard(site: Site, browser: Any, shots: Path) -> None:
    page, problems = open_page(browser)
    sign_in(page, site)
    page.fill("#device-name", "Tablet <b>5</b>")
    with page.expect_navigation() as nav:
        page.click("#add-device button[type=submit]")
    assert nav.value.status == 200
    assert_security_headers(nav.value.headers)
    assert page.locator("h1").inner_text() == "Enroll “Tablet <b>5</b>”"  # escaped, shown as typed
    assert page.eval_on_selector("img.qr", "e => e.naturalWidth") > 0  # the QR image rendered (data: URI)
    code = page.inner_text("#code")
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    page.screenshot(path=str(shots / "server-enroll-device-en.png"), full_page=True)
    answer = httpx.post(f"{site.url}{API_PREFIX}/enroll", json={"code": code, "device_public_key": public_key()})
    assert answer.status_code == 200 and answer.json()["device_name"] == "Tablet <b>5</b>"
    # Reloading the dashboard lists it; a form posted without its token adds nothing.
    page.goto(f"{site.url}/admin/")
    assert "Tablet <b>5</b>" in page.inner_text("#devices")
    refused = page.request.post(f"{site.url}/admin/devices", form={"name": "Sneaky"})
    assert refused.status == 403
    page.goto(f"{site.url}/admin/")
    assert "Sneaky" not in page.inner_text("#devices")
    assert problems == []


def test_receipt_and_two_step_withdrawal(site: Site, browser: Any, shots: Path, tmp_path: Path) -> None:
    page, problems = open_page(browser)
    mine = site.receipt_ids[0]
    key = site.receipt_keys[mine]
    before = public_count(site)
    url = f"{site.url}/receipt/{mine}"

    # The id alone (kept on the device, in its exports): whether it arrived, and no way to withdraw.
    answer = page.goto(url)
    assert answer is not None and answer.status == 200
    assert page.get_attribute("#status", "data-state") == "arrived" and page.locator("form").count() == 0

    for _ in range(2):  # a prefetch or a second look withdraws nothing
        answer = page.goto(f"{url}?k={key}")
        assert answer is not None and answer.status == 200
    assert_security_headers(answer.headers)
    assert page.get_attribute("#status", "data-state") == "arrived"
    assert "Outrage on Aleppo" in page.inner_text("#status")
    html = page.content()
    assert [name for name in site.names if name in html] == []
    assert public_count(site) == before
    page.screenshot(path=str(shots / "server-receipt-en.png"), full_page=True)

    # The POST without a valid form token (as another site or a script would send it) is refused, and
    # so is one with the page's token but without the receipt's secret, or with a wrong one.
    token = page.get_attribute("input[name=csrf]", "value")
    for form in ({"confirm": "yes", "k": key}, {"confirm": "yes", "csrf": "9999999999." + "0" * 64, "k": key},
                 {"confirm": "yes", "csrf": token}, {"confirm": "yes", "csrf": token, "k": key[:-1]}):
        refused = page.request.post(f"{url}/withdraw", form=form)
        assert refused.status == 403
    assert public_count(site) == before
    with Session(site.engine) as session:
        assert session.exec(select(func.count()).select_from(Withdrawal)).one() == 0

    # The button needs the box ticked (the browser itself refuses to send the form otherwise).
    page.click("button.danger")
    assert page.url == f"{url}?k={key}" and page.get_attribute("#status", "data-state") == "arrived"
    page.check("input[name=confirm]")
    with page.expect_navigation():
        page.click("button.danger")
    assert page.get_attribute("#status", "data-state") == "withdrawn"
    assert page.locator("form").count() == 0
    assert public_count(site) == before - 1
    page.screenshot(path=str(shots / "server-receipt-withdrawn-en.png"), full_page=True)

    target = tmp_path / "export.csv"
    export.export_csv(site.engine, target)
    rows = {r["id"]: r for r in csv.DictReader(target.open(encoding="utf-8"))}
    assert rows[mine]["withdrawn_at"] != ""
    assert all(r["withdrawn_at"] == "" for sid, r in rows.items() if sid != mine)

    # The dashboard shows the withdrawal in the counts.
    sign_in(page, site)
    row = page.locator("#campaigns tr[data-slug='aleppo']")
    assert int(row.locator("td.withdrawn").inner_text()) == 1
    assert int(row.locator("td.counted").inner_text()) == before - 1
    assert problems == []


def test_unknown_receipt_looks_like_one_not_arrived_and_arabic_is_right_to_left(
    site: Site, playwright: Any, tmp_path: Path, shots: Path
) -> None:
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile-ar"), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True,
        viewport={"width": 420, "height": 860}, locale="ar-SY",
    )
    try:
        page, problems = open_page(context)
        page.goto(f"{site.url}/receipt/{uuid.uuid4()}")
        assert page.get_attribute("html", "dir") == "rtl" and page.get_attribute("html", "lang") == "ar"
        assert page.get_attribute("#status", "data-state") == "pending"
        assert page.eval_on_selector("main", "e => getComputedStyle(e).direction") == "rtl"
        page.screenshot(path=str(shots / "server-receipt-pending-ar.png"), full_page=True)
        page.click("nav.languages a[hreflang=en]")
        assert page.get_attribute("html", "dir") == "ltr" and "not arrived yet" in page.inner_text("#status")
        assert problems == []
    finally:
        context.close()


def test_login_attempts_are_rate_limited(browser: Any, tmp_path: Path) -> None:
    """On a server of its own: the limit counts per client address, and every test here is 127.0.0.1."""
    url, engine = _fresh_server(tmp_path / "limits")
    with write_session(engine) as session:
        _, token = admins.add_admin("Field coordinator", session=session)
        session.commit()
    with live_server(url, tmp_path / "limits") as server:
        page, _ = open_page(browser)
        page.goto(f"{server.url}/admin/login")
        limit = web.LOGIN_PER_IP_PER_MINUTE
        statuses: list[int] = []
        # The limit is per fixed minute: should a new minute begin during the attempts, the count
        # starts again, so up to twice the limit may pass before the refusal.
        while len(statuses) <= 2 * limit and 429 not in statuses:
            page.fill("#token", "pka_wrong")
            with page.expect_navigation() as nav:
                page.click("button[type=submit]")
            statuses.append(nav.value.status)
        assert statuses[-1] == 429 and set(statuses[:-1]) == {401} and limit <= len(statuses) - 1 <= 2 * limit
        page.goto(f"{server.url}/admin/login")
        page.fill("#token", token)  # even the right token waits now
        with page.expect_navigation() as nav:
            page.click("button[type=submit]")
        assert nav.value.status == 429 and int(nav.value.headers["retry-after"]) >= 1
        assert "Too many login attempts" in page.inner_text("main")
        assert not [c for c in browser.cookies() if c["name"] == web.SESSION_COOKIE]
    engine.dispose()
