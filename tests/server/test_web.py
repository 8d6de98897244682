"""The web pages in-process (SQLite and PostgreSQL): admin login and sessions, CSRF, security headers,
the dashboard's counts and burst flag, the receipt page and withdrawals reaching counts and exports.
The same flows in a real browser against a real server process are in test_web_browser.py."""

from __future__ import annotations

import csv
import hashlib
import logging
import re
import secrets
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from server_helpers import EnrolledDevice, batch, public_key, signature
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from db.wire import API_PREFIX, parse_enrollment_uri
from server import admins, dashboard, export, web, withdrawals
from server.app import create_app
from server.cli import main
from server.database import write_session
from server.models import Admin, AdminSession, StoredSignature, Withdrawal
from server.settings import ServerSettings

NAMES = ("Amal", "Haddad")  # server_helpers.signature's signer; must never show on the dashboard


def add_admin(engine: Engine, name: str = "coordinator") -> str:
    with write_session(engine) as session:
        _, token = admins.add_admin(name, session=session)
        session.commit()
    return token


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def login(client: TestClient, token: str) -> None:
    page = client.get("/admin/login")
    answer = client.post("/admin/login", data={"csrf": csrf_of(page.text), "token": token}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/admin/"


def upload(client: TestClient, device: EnrolledDevice, items: list[dict[str, object]]) -> None:
    answer = client.post(device.batches, json=batch(items), headers=device.headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["counts"]["created"] == len(items)


def public_count(client: TestClient, slug: str = "aleppo") -> int:
    return int(client.get(f"{API_PREFIX}/campaigns/{slug}/count").json()["count"])


# --- headers ---------------------------------------------------------------------------------------------

def test_every_page_has_the_security_headers_and_the_api_keeps_its_own(client: TestClient, published: Engine) -> None:
    token = add_admin(published)
    pages = [client.get("/admin/login"), client.get(f"/receipt/{uuid.uuid4()}"), client.get("/receipt/not-an-id")]
    login(client, token)
    pages.append(client.get("/admin/"))
    for page in pages:
        assert page.headers["content-type"].startswith("text/html")
        csp = page.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "script-src" not in csp
        assert "'unsafe-inline'" not in csp and "http" not in csp
        assert page.headers["x-frame-options"] == "DENY"
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["referrer-policy"] == "same-origin"
        assert page.headers["cache-control"] == "no-store"
        assert "<script" not in page.text and " style=" not in page.text and "http://" not in page.text
    assert pages[2].status_code == 404
    css = client.get("/static/web.css")
    assert css.status_code == 200 and css.headers["x-content-type-options"] == "nosniff"
    health = client.get(f"{API_PREFIX}/health")
    assert health.headers["content-security-policy"] == web.CONTENT_SECURITY_POLICY  # the API's JSON too
    assert "cache-control" not in health.headers  # the API keeps its own caching


def test_https_adds_hsts_and_secure_cookies(server_settings: ServerSettings, server_engine: Engine) -> None:
    token = add_admin(server_engine)
    with TestClient(create_app(server_settings, server_engine), base_url="https://testserver") as client:
        page = client.get("/admin/login")
        assert "strict-transport-security" in page.headers
        assert "secure" in page.headers["set-cookie"].lower()
        answer = client.post("/admin/login", data={"csrf": csrf_of(page.text), "token": token}, follow_redirects=False)
        cookie = answer.headers["set-cookie"]
        assert cookie.startswith(f"{web.SESSION_COOKIE}=")
        for flag in ("HttpOnly", "Secure", "SameSite=strict", "Path=/admin"):
            assert flag.lower() in cookie.lower(), cookie


# --- login ------------------------------------------------------------------------------------------------

def test_login_refuses_wrong_and_revoked_tokens_and_forms_without_their_token(client: TestClient, published: Engine) -> None:
    token = add_admin(published)
    assert client.get("/admin/", follow_redirects=False).headers["location"] == "/admin/login"
    page = client.get("/admin/login")
    csrf = csrf_of(page.text)
    wrong = client.post("/admin/login", data={"csrf": csrf, "token": token[:-2] + "xx"}, follow_redirects=False)
    assert wrong.status_code == 401 and "not valid" in wrong.text and web.SESSION_COOKIE not in wrong.headers.get("set-cookie", "")
    no_csrf = client.post("/admin/login", data={"token": token}, follow_redirects=False)
    assert no_csrf.status_code == 403 and web.SESSION_COOKIE not in no_csrf.headers.get("set-cookie", "")
    cross = client.post("/admin/login", data={"csrf": csrf, "token": token}, headers={"Sec-Fetch-Site": "cross-site"},
                        follow_redirects=False)
    assert cross.status_code == 403
    other_origin = client.post("/admin/login", data={"csrf": csrf, "token": token},
                               headers={"Origin": "https://evil.example"}, follow_redirects=False)
    assert other_origin.status_code == 403

    login(client, token)
    assert client.get("/admin/").status_code == 200
    with write_session(published) as session:
        assert admins.revoke_admin("coordinator", session=session)
        session.commit()
    assert client.get("/admin/", follow_redirects=False).status_code == 303  # the session ended with the token
    page = client.get("/admin/login")
    again = client.post("/admin/login", data={"csrf": csrf_of(page.text), "token": token}, follow_redirects=False)
    assert again.status_code == 401


def test_tokens_and_sessions_are_stored_only_as_hashes(client: TestClient, published: Engine) -> None:
    token = add_admin(published)
    login(client, token)
    cookie = client.cookies[web.SESSION_COOKIE]
    with Session(published) as session:
        stored = [(a.token_hash,) for a in session.exec(select(Admin))] + [(s.id_hash,) for s in session.exec(select(AdminSession))]
    flat = repr(stored)
    assert token not in flat and cookie not in flat
    assert admins.token_hash(token) in flat and admins.session_hash(cookie) in flat


def test_logout_needs_its_token_and_ends_the_session(client: TestClient, published: Engine) -> None:
    login(client, add_admin(published))
    page = client.get("/admin/")
    refused = client.post("/admin/logout", data={"csrf": "1.abc"}, follow_redirects=False)
    assert refused.status_code == 403
    assert client.get("/admin/").status_code == 200
    done = client.post("/admin/logout", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    assert done.status_code == 303
    with Session(published) as session:
        assert session.exec(select(func.count()).select_from(AdminSession)).one() == 0
    assert client.get("/admin/", follow_redirects=False).status_code == 303


def test_login_attempts_are_rate_limited(client: TestClient, published: Engine) -> None:
    token = add_admin(published)
    csrf = csrf_of(client.get("/admin/login").text)
    for _ in range(web.LOGIN_PER_IP_PER_MINUTE):
        assert client.post("/admin/login", data={"csrf": csrf, "token": "pka_wrong"}).status_code == 401
    limited = client.post("/admin/login", data={"csrf": csrf, "token": token}, follow_redirects=False)
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    assert web.SESSION_COOKIE not in limited.headers.get("set-cookie", "")  # even the right token waits


def test_csrf_tokens_are_bound_and_expire() -> None:
    secret = b"k" * 32
    later = datetime.now(UTC) + timedelta(minutes=5)
    token = web.make_token(secret, "withdraw", "a|n", later)
    assert web.check_token(secret, "withdraw", "a|n", token)
    assert not web.check_token(secret, "withdraw", "b|n", token)
    assert not web.check_token(secret, "logout", "a|n", token)
    assert not web.check_token(b"x" * 32, "withdraw", "a|n", token)
    assert not web.check_token(secret, "withdraw", "a|n", token, now=later.timestamp() + 1)
    assert not web.check_token(secret, "withdraw", "a|n", None)
    assert not web.check_token(secret, "withdraw", "", token)


# --- the dashboard ------------------------------------------------------------------------------------

def test_dashboard_counts_match_the_database_and_show_no_personal_data(
    client: TestClient, published: Engine, device: EnrolledDevice, other_device: EnrolledDevice
) -> None:
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    calm = [signature("aleppo", i, created_at=start + timedelta(minutes=2 * i), consent_given_at=start,
                      event_id=str(uuid.UUID(int=7))) for i in range(1, 5)]
    calm.append(signature("act-on-syria", 5, created_at=start + timedelta(days=1)))
    upload(client, device, calm)
    upload(client, other_device, [signature("aleppo", i, created_at=start + timedelta(days=1, minutes=i))
                                  for i in range(1, 3)])
    void = signature("aleppo", 6, voids=calm[0]["id"], given_name=None, family_name=None, email=None, city=None)
    upload(client, device, [void])
    login(client, add_admin(published))
    html = client.get("/admin/").text

    with Session(published) as session:
        data = dashboard.overview(session=session)
        gathered = session.exec(select(func.count()).where(col(StoredSignature.voids).is_(None))).one()
    assert data.gathered == gathered == 7
    assert data.counted == 6 == public_count(client) + public_count(client, "act-on-syria")
    aleppo = next(c for c in data.campaigns if c.slug == "aleppo")
    assert (aleppo.gathered, aleppo.voided, aleppo.withdrawn, aleppo.counted) == (6, 1, 0, 5)
    assert re.search(r'data-slug="aleppo">.*?class="num counted"><strong>5</strong>', html, re.S)
    assert f'id="total-counted">{data.counted}<' in html
    per_device = {d.id: d.signatures for d in data.devices}
    assert per_device == {device.id: 5, other_device.id: 2}
    days = {d.day.isoformat(): d.total for d in data.days}
    assert days == {"2026-03-01": 4, "2026-03-02": 3}
    assert re.search(r'data-day="2026-03-02">.*?<strong>3</strong>', html, re.S)
    events = {e.event_id: e.signatures for e in data.events}
    assert events == {str(uuid.UUID(int=7)): 4, None: 3}
    assert data.bursts == []
    for name in (*NAMES, "amal1@example.org", "Berlin"):
        assert name not in html


def test_the_dashboard_names_events_as_their_devices_sent_them(
    client: TestClient, published: Engine, device: EnrolledDevice, other_device: EnrolledDevice
) -> None:
    """An event shows with the name, place and day its device sent (the events route, or a hand-off
    file), never as an id prefix; until it was sent it says so, with its id; a device that gathered
    nothing under that id cannot name the row."""
    rally, vigil = str(uuid.UUID(int=7)), str(uuid.UUID(int=8))
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    upload(client, device, [signature("aleppo", 1, event_id=rally, created_at=start),
                            signature("aleppo", 2, event_id=vigil, created_at=start + timedelta(hours=1))])
    login(client, add_admin(published))
    row = re.compile(r'<tr data-event="{}"><th scope="row">(.*?)</th>', re.S)
    html = client.get("/admin/").text
    for event_id in (rally, vigil):
        cell = row.pattern.format(event_id)
        found = re.search(cell, html, re.S)
        assert found and "not named yet" in found.group(1) and event_id[:8] in found.group(1)

    v2 = {**device.headers, "X-Petition-Api": "2"}
    sent = client.put(f"{API_PREFIX}/devices/{device.id}/events", headers=v2, json={"events": [
        {"id": rally, "name": "Kundgebung <Syrien>", "place": "Alexanderplatz, Berlin", "day": "2026-03-01"}]})
    assert sent.status_code == 200, sent.text
    forged = client.put(f"{API_PREFIX}/devices/{other_device.id}/events", headers={**other_device.headers, "X-Petition-Api": "2"},
                        json={"events": [{"id": rally, "name": "Hijacked", "day": "2026-03-01"}]})
    assert forged.status_code == 200, forged.text  # stored as the other device's own, which gathered nothing there
    html = client.get("/admin/").text
    named = re.search(row.pattern.format(rally), html, re.S)
    assert named is not None
    assert named.group(1).count('class="event-name"') == 1
    assert "Kundgebung &lt;Syrien&gt;</span><br><span class=\"small event-where\">Alexanderplatz, Berlin · 2026-03-01" in named.group(1) and "2026-03-01" in named.group(1)
    assert rally[:8] not in named.group(1) and "Hijacked" not in html
    unnamed = re.search(row.pattern.format(vigil), html, re.S)
    assert unnamed and "not named yet" in unnamed.group(1)
    with Session(published) as session:
        rows = {e.event_id: e for e in dashboard.overview(session=session).events}
    assert [(n.name, n.place) for n in rows[rally].named] == [("Kundgebung <Syrien>", "Alexanderplatz, Berlin")]
    assert rows[vigil].named == ()


def test_bursts_flag_more_than_five_signatures_a_minute_from_one_device(
    client: TestClient, published: Engine, device: EnrolledDevice, other_device: EnrolledDevice
) -> None:
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    # one device: 5 within a minute (a busy stand, not flagged), then 6 within 50 s (flagged), then 8 spread
    # so that every 6 consecutive span just over a minute (not flagged)
    items = [signature("aleppo", 1 + i, created_at=start + timedelta(seconds=10 * i)) for i in range(5)]
    items += [signature("aleppo", 10 + i, created_at=start + timedelta(hours=1, seconds=10 * i)) for i in range(6)]
    items += [signature("aleppo", 20 + i, created_at=start + timedelta(hours=2, seconds=13 * i)) for i in range(8)]
    upload(client, device, items)
    # the other: 10 paper rows typed in at once (back-entry is fast by nature) and a burst of 7 in the kiosk
    paper = [signature("aleppo", i, mode="paper", paper_sheet="3", created_at=start) for i in range(1, 11)]
    kiosk = [signature("aleppo", 20 + i, created_at=start + timedelta(days=1, seconds=i)) for i in range(7)]
    upload(client, other_device, paper + kiosk)

    with Session(published) as session:
        found, more = dashboard.bursts(session=session)
    assert not more
    assert [(b.device_id, b.signatures) for b in found] == [(other_device.id, 7), (device.id, 6)]
    assert found[1].start == start + timedelta(hours=1) and found[1].end == start + timedelta(hours=1, seconds=50)
    login(client, add_admin(published))
    html = client.get("/admin/").text
    assert html.count('class="burst"') == 2 and 'id="total-bursts">2<' in html


def test_signatures_made_on_phones_count_on_the_dashboard_and_never_make_a_burst(
    client: TestClient, published: Engine, device: EnrolledDevice
) -> None:
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    # a crowd signing on 20 phones through one device within 20 s (crowd mode), then 6 kiosk signatures in 30 s
    phones = [signature("aleppo", i, mode="phone", created_at=start + timedelta(seconds=i)) for i in range(1, 21)]
    kiosk = [signature("aleppo", 30 + i, created_at=start + timedelta(hours=1, seconds=5 * i)) for i in range(6)]
    upload(client, device, phones + kiosk)

    with Session(published) as session:
        found, _ = dashboard.bursts(session=session)
        data = dashboard.overview(session=session)
        stored = session.exec(select(func.count()).where(col(StoredSignature.mode) == "phone")).one()
    assert stored == 20
    assert [(b.device_id, b.signatures) for b in found] == [(device.id, 6)]  # the kiosk's, no phone in it
    aleppo = next(c for c in data.campaigns if c.slug == "aleppo")
    assert aleppo.gathered == aleppo.counted == 26 == public_count(client)
    assert {d.id: d.signatures for d in data.devices} == {device.id: 26}


def test_add_device_from_the_dashboard_needs_the_form_token(client: TestClient, published: Engine) -> None:
    login(client, add_admin(published))
    page = client.get("/admin/")
    tokens = re.findall(r'name="csrf" value="([^"]+)"', page.text)
    logout_token, device_token = tokens
    assert client.post("/admin/devices", data={"name": "Tablet 4"}).status_code == 403
    assert client.post("/admin/devices", data={"name": "Tablet 4", "csrf": logout_token}).status_code == 403
    made = client.post("/admin/devices", data={"name": "Tablet 4", "csrf": device_token})
    assert made.status_code == 200 and made.headers["cache-control"] == "no-store"
    assert 'src="data:image/svg+xml;base64,' in made.text
    uri = re.search(r"petition-kiosk://enroll\?[^\"<\s]+", made.text)
    assert uri is not None
    server_url, code = parse_enrollment_uri(uri.group(0).replace("&amp;", "&"))
    assert server_url == "http://testserver"  # no public URL set: the one the browser used
    answer = client.post(f"{API_PREFIX}/enroll", json={"code": code, "device_public_key": public_key()})
    assert answer.status_code == 200 and answer.json()["device_name"] == "Tablet 4"


# --- receipts and withdrawals -------------------------------------------------------------------------

def _page_without_tokens(html: str, signature_id: str) -> str:
    return re.sub(r'name="csrf" value="[^"]+"', "", html).replace(signature_id, "ID")


def test_unknown_ids_look_exactly_like_signatures_not_arrived(client: TestClient, published: Engine) -> None:
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    page_a, page_b = client.get(f"/receipt/{a}"), client.get(f"/receipt/{b}")
    assert page_a.status_code == page_b.status_code == 200
    assert _page_without_tokens(page_a.text, a) == _page_without_tokens(page_b.text, b)
    assert 'data-state="pending"' in page_a.text
    assert client.get(f"/receipt/{a.upper()}").status_code == 200  # the same id however it is written
    assert client.get("/receipt/x' OR 1=1").status_code == 404


def with_secret(slug: str = "aleppo", seq: int = 1, **overrides: object) -> tuple[dict[str, object], str]:
    """A signature carrying a receipt hash, and the secret the signer's QR code holds."""
    secret = secrets.token_urlsafe(16)
    return signature(slug, seq, receipt_sha256=hashlib.sha256(secret.encode()).hexdigest(), **overrides), secret


def withdrawal_count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(Withdrawal)).one()


def test_withdrawal_takes_the_page_with_its_secret_then_a_post_with_its_token(
    client: TestClient, published: Engine, device: EnrolledDevice, tmp_path: Path
) -> None:
    (mine, key), (other, other_key) = with_secret("aleppo", 1), with_secret("aleppo", 2)
    upload(client, device, [mine, other])
    before = public_count(client)
    url = f"/receipt/{mine['id']}"
    for _ in range(3):  # a mail client's or link scanner's prefetch changes nothing
        page = client.get(f"{url}?k={key}")
    assert 'data-state="arrived"' in page.text and "Outrage on Aleppo" in page.text
    assert "/withdraw" in page.text and f'name="k" value="{key}"' in page.text
    assert f"k={key}" not in page.text.split("<form")[1]  # the secret goes in the form's body, not its URL
    for name in (*NAMES, "amal1@example.org", "Berlin"):
        assert name not in page.text
    assert public_count(client) == before

    form = {"confirm": "yes", "csrf": csrf_of(page.text), "k": key}
    refused = [
        client.post(f"{url}/withdraw", data={"confirm": "yes", "k": key}),
        client.post(f"{url}/withdraw", data={**form, "csrf": "9999999999.00"}),
        client.post(f"/receipt/{other['id']}/withdraw", data=form),
        client.post(f"{url}/withdraw", data=form, headers={"Sec-Fetch-Site": "cross-site"}),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403, 403]
    unconfirmed = client.post(f"{url}/withdraw", data={"csrf": csrf_of(page.text), "k": key})
    assert unconfirmed.status_code == 400
    assert withdrawal_count(published) == 0
    assert public_count(client) == before

    done = client.post(f"{url}/withdraw", data=form, follow_redirects=False)
    assert done.status_code == 303 and key not in done.headers["location"]
    after = client.get(done.headers["location"])
    assert 'data-state="withdrawn"' in after.text and "/withdraw" not in after.text
    assert public_count(client) == before - 1
    again = client.post(f"{url}/withdraw", data=form, follow_redirects=False)
    assert again.status_code == 303 and public_count(client) == before - 1  # once only
    assert other_key != key

    target = tmp_path / "export.csv"
    export.export_csv(published, target)
    rows = {r["id"]: r for r in csv.DictReader(target.open(encoding="utf-8"))}
    assert rows[mine["id"]]["withdrawn_at"].startswith(datetime.now(UTC).strftime("%Y-"))
    assert rows[other["id"]]["withdrawn_at"] == ""


def withdraw_token(client: TestClient, engine: Engine, signature_id: str) -> str:
    """A valid form token for ``signature_id`` (pages without the secret show no form to take it from)."""
    nonce = client.cookies.get(web.NONCE_COOKIE)
    assert nonce
    return web.make_token(web.csrf_secret(engine, client.app.state.settings.data_dir), "withdraw", f"{signature_id}|{nonce}",
                          datetime.now(UTC) + web.FORM_TTL)


def test_knowing_the_id_alone_withdraws_nothing(client: TestClient, published: Engine, device: EnrolledDevice) -> None:
    (mine, key), old = with_secret("aleppo", 1), signature("aleppo", 2)  # old: saved before receipt secrets
    upload(client, device, [mine, old])
    before = public_count(client)
    for sig in (mine, old):
        url = f"/receipt/{sig['id']}"
        plain = client.get(url)  # the id alone: whether it arrived, and no way to withdraw
        assert plain.status_code == 200 and 'data-state="arrived"' in plain.text
        assert "/withdraw" not in plain.text and "<button" not in plain.text
        for wrong in (None, "", "x" * 22, key + "x", key.upper(), "k" * 200):
            form = {"confirm": "yes", "csrf": withdraw_token(client, published, sig["id"])}
            if wrong is not None:
                form["k"] = wrong
            answer = client.post(f"{url}/withdraw", data=form, follow_redirects=False)
            assert answer.status_code == 403 and 'data-state="pending"' in answer.text, wrong
            assert "/withdraw" not in answer.text
    # the right secret of another signature does not withdraw this one
    answer = client.post(f"/receipt/{old['id']}/withdraw",
                         data={"confirm": "yes", "csrf": withdraw_token(client, published, old["id"]), "k": key})
    assert answer.status_code == 403
    with write_session(published) as session:
        assert withdrawals.withdraw(mine["id"], None, session=session) is None
        assert withdrawals.withdraw(mine["id"], "wrong", session=session) is None
        assert withdrawals.withdraw(old["id"], key, session=session) is None
        session.commit()
    assert withdrawal_count(published) == 0 and public_count(client) == before


def test_a_wrong_secret_looks_exactly_like_an_unknown_id(client: TestClient, published: Engine, device: EnrolledDevice) -> None:
    mine, key = with_secret("aleppo", 1)
    upload(client, device, [mine])
    unknown = str(uuid.uuid4())
    wrong = client.get(f"/receipt/{mine['id']}?k={'A' * 22}")
    never = client.get(f"/receipt/{unknown}?k={'A' * 22}")
    assert wrong.status_code == never.status_code == 200
    assert _page_without_tokens(wrong.text, mine["id"]) == _page_without_tokens(never.text, unknown)
    assert 'data-state="pending"' in wrong.text and "<button" not in wrong.text
    right = client.get(f"/receipt/{mine['id']}?k={key}&lang=de")
    assert 'data-state="arrived"' in right.text and "<button" in right.text
    assert f"?lang=en&amp;k={key}" in right.text  # the language links keep the secret


def test_a_withdrawal_cannot_come_before_the_signature(
    client: TestClient, published: Engine, device: EnrolledDevice
) -> None:
    early, key = with_secret("aleppo", 1)
    page = client.get(f"/receipt/{early['id']}?k={key}")
    assert 'data-state="pending"' in page.text and "<button" not in page.text
    form = {"confirm": "yes", "csrf": withdraw_token(client, published, early["id"]), "k": key}
    done = client.post(f"/receipt/{early['id']}/withdraw", data=form)
    assert done.status_code == 403 and withdrawal_count(published) == 0
    before = public_count(client)
    upload(client, device, [early, signature("aleppo", 2)])
    assert public_count(client) == before + 2


def test_a_device_void_and_a_withdrawal_subtract_once(client: TestClient, published: Engine, device: EnrolledDevice) -> None:
    sig, key = with_secret("aleppo", 1)
    upload(client, device, [sig, signature("aleppo", 2)])
    upload(client, device, [signature("aleppo", 3, voids=sig["id"], given_name=None, family_name=None, email=None, city=None)])
    assert public_count(client) == 1
    page = client.get(f"/receipt/{sig['id']}?k={key}")
    assert 'data-state="withdrawn"' in page.text and "at the stand" in page.text and "<button" not in page.text
    with write_session(published) as session:
        withdrawals.withdraw(sig["id"], key, session=session)
        session.commit()
    assert public_count(client) == 1


def test_the_access_log_never_records_a_receipt_or_its_secret(
    client: TestClient, published: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    key, sid = secrets.token_urlsafe(16), str(uuid.uuid4())
    access = logging.getLogger(web.ACCESS_LOGGER)
    assert any(isinstance(f, web.AccessLogRedaction) for f in access.filters)  # installed with the app
    with caplog.at_level(logging.INFO, logger=web.ACCESS_LOGGER):
        # as uvicorn's HTTP protocols write it
        for path in (f"/receipt/{sid}?k={key}&lang=de", f"/receipt/{sid}/withdraw?lang=en", f"/receipt/{sid}",
                     f"/prefix/receipt/{sid.upper()}?lang=ar&k={key}", f"/api/v1/anything?k={key}"):
            access.info('%s - "%s %s HTTP/%s" %d', "203.0.113.9:51234", "GET", path, "1.1", 200)
        access.info(f'203.0.113.9:1 - "GET /receipt/{sid}?k={key} HTTP/1.1" 200')  # already formatted
        access.info('%s - "%s %s HTTP/%s" %d', "203.0.113.9:51234", "GET", "/admin/", "1.1", 200)
    lines = [record.getMessage() for record in caplog.records if record.name == web.ACCESS_LOGGER]
    assert len(lines) == 7
    for line in lines:
        assert key not in line and sid not in line and sid.upper() not in line, line
    assert '"GET /receipt/[redacted] HTTP/1.1" 200' in lines[0] and "/api/v1/anything?k=[redacted]" in lines[4]
    assert '"GET /admin/ HTTP/1.1" 200' in lines[-1]


def test_receipt_page_speaks_arabic_right_to_left(client: TestClient, published: Engine) -> None:
    page = client.get(f"/receipt/{uuid.uuid4()}", headers={"Accept-Language": "ar-SY,ar;q=0.9,en;q=0.5"})
    assert '<html lang="ar" dir="rtl">' in page.text and "لم يصل هذا التوقيع بعد" in page.text
    german = client.get(f"/receipt/{uuid.uuid4()}?lang=de", headers={"Accept-Language": "ar"})
    assert '<html lang="de" dir="ltr">' in german.text


def test_receipt_routes_are_rate_limited(client: TestClient, published: Engine) -> None:
    import time

    # The limits count per clock minute (server/ratelimit.py): start early in one, so the requests
    # do not straddle two windows on a slow machine (at most a 20-second wait).
    if time.time() % 60 > 40:
        time.sleep(60.5 - time.time() % 60)
    url = f"/receipt/{uuid.uuid4()}"
    codes = [client.get(url).status_code for _ in range(web.RECEIPT_PER_IP_PER_MINUTE + 1)]
    assert codes[:-1] == [200] * web.RECEIPT_PER_IP_PER_MINUTE and codes[-1] == 429
    assert client.post(f"{url}/withdraw", data={"confirm": "yes"}).status_code == 429


def test_a_real_server_s_access_log_holds_no_receipt_id_or_secret(tmp_path: Path, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("one real server process is enough")
    from server_helpers import live_server, publish_builtin

    from server.database import make_engine, sqlite_url, upgrade

    data_dir = tmp_path / "server"
    data_dir.mkdir()
    url = sqlite_url(data_dir)
    engine = make_engine(url)
    upgrade(engine)
    publish_builtin(engine)
    engine.dispose()
    sid, key = str(uuid.uuid4()), secrets.token_urlsafe(16)
    with live_server(url, data_dir, workers=2, access_log=True) as server:
        import httpx

        with httpx.Client(base_url=server.url) as http:
            assert http.get(f"/receipt/{sid}?k={key}&lang=de").status_code == 200
            assert http.post(f"/receipt/{sid}/withdraw?lang=en&k={key}", data={"k": key}).status_code == 403
            assert http.get(f"{API_PREFIX}/health?k={key}").status_code == 200
        time.sleep(0.5)
        log_text = server.log()
    assert "/receipt/[redacted]" in log_text and "k=[redacted]" in log_text, log_text
    assert sid not in log_text and key not in log_text, log_text


# --- the operator's commands ----------------------------------------------------------------------------

def test_add_admin_prints_the_token_once_and_replace_or_revoke_ends_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, database_url: str, server_engine: Engine
) -> None:
    common = ["--data-dir", str(tmp_path / "server"), "--database-url", database_url]
    assert main(["add-admin", "Field office", *common]) == 0
    first = re.search(r"^(pka_\S+)$", capsys.readouterr().out, re.M)
    assert first is not None
    assert main(["add-admin", "Field office", *common]) == 2
    assert "--replace" in capsys.readouterr().err
    with Session(server_engine) as session:
        assert admins.login(first.group(1), session=session) is not None
    assert main(["add-admin", "Field office", "--replace", *common]) == 0
    second = re.search(r"^(pka_\S+)$", capsys.readouterr().out, re.M)
    assert second is not None and second.group(1) != first.group(1)
    with Session(server_engine) as session:
        assert admins.login(first.group(1), session=session) is None
        assert admins.login(second.group(1), session=session) is not None
    assert main(["list-admins", *common]) == 0
    listed = capsys.readouterr().out
    assert "Field office" in listed and "active" in listed and second.group(1) not in listed
    assert main(["revoke-admin", "Field office", *common]) == 0
    capsys.readouterr()
    with Session(server_engine) as session:
        assert admins.login(second.group(1), session=session) is None
    assert main(["revoke-admin", "Nobody", *common]) == 2


def test_the_web_tables_migrate_on_a_database_of_the_previous_schema(
    client: TestClient, published: Engine, device: EnrolledDevice, backend: str, database_url: str
) -> None:
    if backend != "sqlite":
        pytest.skip("downgrades the shared PostgreSQL schema")
    from alembic import command

    from server.database import _alembic_config, current_revision, make_engine, upgrade

    stored = [signature("aleppo", i) for i in range(1, 4)]
    upload(client, device, stored)
    engine = make_engine(database_url)
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "s0003")
    assert current_revision(engine) == "s0003"
    upgrade(engine)
    with Session(engine) as session:
        assert {s["id"] for s in stored} <= set(session.exec(select(StoredSignature.id)).all())
        assert session.exec(select(func.count()).select_from(Withdrawal)).one() == 0
    assert public_count(client) == 3
    engine.dispose()
