"""Failure limits (server/ratelimit.py) never lock others out: each lock-out the security review
reproduced, from two client addresses (127.0.0.1 hammering, 127.0.0.2 with a valid code, token or
receipt secret), plus the rules themselves with an injected clock."""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from server_helpers import add_admin, batch, new_code, post_login, public_key, publish_builtin, signature
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from db.wire import API_PREFIX
from server import ratelimit, sealing, web, web_sign
from server.database import write_session
from server.models import Campaign, RateLimitWindow, utcnow

ATTACKER, SIGNER = "127.0.0.1", "127.0.0.2"


@pytest.fixture(autouse=True)
def early_in_a_window() -> None:
    """The limits count per clock minute: start early in one, so a test's requests stay in it."""
    if time.time() % 60 > 40:
        time.sleep(60.5 - time.time() % 60)


@pytest.fixture
def clients(client: TestClient) -> Iterator[dict[str, TestClient]]:
    app: FastAPI = client.app  # type: ignore[assignment]
    made = {address: TestClient(app, client=(address, 50000 + n)) for n, address in enumerate((ATTACKER, SIGNER))}
    yield made
    for each in made.values():
        each.close()


def wrong_enrollment(client: TestClient) -> int:
    answer = client.post(f"{API_PREFIX}/enroll", json={"code": "AAAA-BBBB-CCCC", "device_public_key": public_key()})
    return answer.status_code


def valid_enrollment(client: TestClient, engine: Engine) -> int:
    answer = client.post(f"{API_PREFIX}/enroll", json={"code": new_code(engine), "device_public_key": public_key()})
    return answer.status_code


def test_61_wrong_codes_from_one_address_do_not_stop_enrollment_from_another(
    clients: dict[str, TestClient], published: Engine
) -> None:
    statuses = [wrong_enrollment(clients[ATTACKER]) for _ in range(61)]
    assert statuses[:10] == [403] * 10 and 429 in statuses
    assert valid_enrollment(clients[SIGNER], published) == 200
    assert valid_enrollment(clients[ATTACKER], published) == 429  # its own failures: it waits


def test_a_valid_enrollment_is_not_counted(clients: dict[str, TestClient], published: Engine) -> None:
    assert [valid_enrollment(clients[SIGNER], published) for _ in range(12)] == [200] * 12


def test_wrong_codes_from_many_addresses_lock_out_no_one_who_did_not_fail(client: TestClient, published: Engine) -> None:
    app: FastAPI = client.app  # type: ignore[assignment]
    for n in range(7):  # 70 failures, each address within its own limit of 10: the overall 60 is exceeded
        with TestClient(app, client=(f"127.0.1.{n}", 50000)) as attacker:
            assert {wrong_enrollment(attacker) for _ in range(10)} <= {403, 429}
    with TestClient(app, client=("127.0.2.1", 50000)) as newcomer:
        assert valid_enrollment(newcomer, published) == 200
    with TestClient(app, client=("127.0.1.0", 50000)) as attacker:  # failed in this window: waits
        assert valid_enrollment(attacker, published) == 429


def login_status(client: TestClient, token: str) -> int:
    return int(post_login(client, token).status_code)


def test_121_wrong_logins_from_one_address_do_not_refuse_a_valid_token_from_another(
    clients: dict[str, TestClient], published: Engine
) -> None:
    token = add_admin(published)
    statuses = [login_status(clients[ATTACKER], "pka_wrong") for _ in range(121)]
    assert statuses[:web.LOGIN_PER_IP_PER_MINUTE] == [401] * web.LOGIN_PER_IP_PER_MINUTE and 429 in statuses
    assert login_status(clients[SIGNER], token) == 303
    assert clients[SIGNER].get("/admin/", follow_redirects=False).status_code == 200
    assert login_status(clients[ATTACKER], token) == 429


def test_601_wrong_receipt_secrets_from_one_address_do_not_refuse_a_signer_s_secret_from_another(
    clients: dict[str, TestClient], published: Engine, device: object
) -> None:
    secret = secrets.token_urlsafe(16)
    mine = signature("aleppo", 1, receipt_sha256=hashlib.sha256(secret.encode()).hexdigest())
    answer = clients[SIGNER].post(device.batches, json=batch([mine]), headers=device.headers)  # type: ignore[attr-defined]
    assert answer.status_code == 200, answer.text
    url = f"/receipt/{mine['id']}"
    statuses = [clients[ATTACKER].get(f"{url}?k=wrong{n}").status_code for n in range(601)]
    assert statuses[:web.RECEIPT_PER_IP_PER_MINUTE] == [200] * web.RECEIPT_PER_IP_PER_MINUTE and 429 in statuses
    page = clients[SIGNER].get(f"{url}?k={secret}")
    assert page.status_code == 200 and "withdraw" in page.text.lower() and 'name="k"' in page.text
    assert clients[ATTACKER].get(f"{url}?k={secret}").status_code == 429  # its own failures: it waits
    for _ in range(web.RECEIPT_PER_IP_PER_MINUTE + 1):  # a signer's own secret is never counted
        assert clients[SIGNER].get(f"{url}?k={secret}").status_code == 200
    assert clients[SIGNER].get(f"/receipt/{uuid.uuid4()}").status_code == 200


# --- the rules, with an injected clock -------------------------------------------------------------------

def limits_of(address: str, per_client: int = 3, overall: int = 5) -> ratelimit.Limits:
    return ratelimit.Limits.of("test", address, per_client, overall)


def test_a_client_waits_only_for_its_own_failures(server_engine: Engine) -> None:
    now = 60.0 * 20_000 + 20  # 20 s into a window
    a, b = limits_of(ATTACKER), limits_of(SIGNER)
    for _ in range(3):
        assert ratelimit.wait_before(server_engine, a, now=now) is None
        ratelimit.count_failure(server_engine, a, now=now)
    assert ratelimit.wait_before(server_engine, a, now=now) == 40
    for _ in range(50):  # over its own limit: not counted overall any more
        ratelimit.count_failure(server_engine, a, now=now)
    assert ratelimit.wait_before(server_engine, b, now=now) is None
    ratelimit.count_failure(server_engine, b, now=now)
    assert ratelimit.wait_before(server_engine, b, now=now) is None  # overall 4 of 5
    assert ratelimit.wait_before(server_engine, a, now=now + 40) is None  # the next window


def test_over_the_overall_limit_only_clients_that_failed_wait(server_engine: Engine) -> None:
    now = 60.0 * 30_000  # the start of a window
    for n in range(5):
        ratelimit.count_failure(server_engine, limits_of(f"127.0.1.{n}"), now=now)
    assert ratelimit.wait_before(server_engine, limits_of("127.0.1.0"), now=now) == 60
    assert ratelimit.wait_before(server_engine, limits_of("127.0.2.0"), now=now) is None


Take = Callable[[ratelimit.Limits, float], "int | None"]


@pytest.fixture(params=["take", "web_sign.admit"])
def take(request: pytest.FixtureRequest, server_engine: Engine) -> Take:
    """``ratelimit.take``, and the web page's admission (server/web_sign.py), which counts the same way
    in a statement of its own on PostgreSQL."""
    if request.param == "take":
        return lambda limits, now: ratelimit.take(server_engine, limits, now=now)
    publish_builtin(server_engine)
    return lambda limits, now: web_sign.admit(server_engine, "aleppo", limits, now=now).wait


def test_take_counts_and_checks_in_one_go_by_the_same_rules(take: Take) -> None:
    now = 60.0 * 40_000 + 15  # 15 s into a window
    a = limits_of(ATTACKER)
    assert [take(a, now) for _ in range(4)] == [None, None, None, 45]
    for _ in range(20):  # past its own limit: counted against itself only, never overall
        assert take(a, now) == 45
    assert take(limits_of(SIGNER), now) is None  # overall 4 of 5
    assert take(limits_of("127.0.3.1"), now) is None  # overall 5 of 5
    # Over the overall limit: a client new in this window still goes ahead, one that came before waits.
    assert take(limits_of("127.0.3.2"), now) is None
    assert take(limits_of(SIGNER), now) == 45
    assert take(a, now + 45) is None  # the next window


def test_a_form_to_a_closed_campaign_counts_nothing_and_an_open_one_gets_the_sealing_key(server_engine: Engine) -> None:
    publish_builtin(server_engine)
    now = 60.0 * 50_000
    with Session(server_engine) as session:
        key = sealing.active_public_key(session=session)
    admitted = web_sign.admit(server_engine, "aleppo", limits_of(ATTACKER, per_client=1), now=now)
    assert admitted.open and admitted.wait is None and admitted.key == key and key is not None
    with write_session(server_engine) as session:
        session.exec(update(Campaign).where(col(Campaign.slug) == "aleppo").values(closed_at=utcnow()))
        session.commit()
    for _ in range(3):  # over a limit of 1 were they counted
        closed = web_sign.admit(server_engine, "aleppo", limits_of(ATTACKER, per_client=1), now=now)
        assert closed.found is not None and closed.found.closed and closed.wait is None and closed.key is None
    assert web_sign.admit(server_engine, "no-such-petition", limits_of(ATTACKER), now=now).found is None
    with Session(server_engine) as session:
        hits = session.exec(select(RateLimitWindow.hits).where(RateLimitWindow.key == limits_of(ATTACKER).client.key)).all()
    assert hits == [1]


def test_token_buckets_hold_each_address_to_its_own_allowance() -> None:
    clock = [1000.0]
    buckets = ratelimit.TokenBuckets(per_minute=60, burst=5, max_clients=3, clock=lambda: clock[0])
    assert [buckets.take(ATTACKER) for _ in range(6)] == [None] * 5 + [1]
    assert buckets.take(SIGNER) is None  # another address's bucket is full
    clock[0] += 1.0  # one token a second
    assert buckets.take(ATTACKER) is None and buckets.take(ATTACKER) == 1
    clock[0] += 30.0
    assert [buckets.take(ATTACKER) for _ in range(6)] == [None] * 5 + [1]  # refilled to the burst, no more
    # Bounded: past max_clients the refilled buckets are dropped; an address that must wait stays.
    assert buckets.take("127.0.4.1") is None and buckets.take("127.0.4.2") is None
    assert len(buckets._buckets) <= 3 and buckets.take(ATTACKER) == 1
