"""The API in-process, on SQLite and PostgreSQL: health, enrollment, upload outcomes, counts, errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from server_helpers import EnrolledDevice, batch, enroll, hash_of, new_code, public_key, signature
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from db.wire import (
    API_PREFIX,
    HEALTH_MARKER,
    MAX_BATCH_BYTES,
    BatchResult,
    EnrollResponse,
    Health,
    Outcome,
    enrollment_uri,
    parse_enrollment_uri,
)
from server import campaigns
from server.database import write_session
from server.models import Device, StoredSignature


def test_health_is_genuine_and_states_versions(client: TestClient) -> None:
    answer = client.get(f"{API_PREFIX}/health", headers={"X-Petition-Api": "0"})
    assert answer.status_code == 200
    health = Health.model_validate(answer.json())
    assert health.is_genuine() and health.marker == HEALTH_MARKER
    assert health.api_versions == [1, 2]


def test_old_client_gets_426_and_new_client_400(client: TestClient, device: EnrolledDevice) -> None:
    old = client.get(f"{API_PREFIX}/campaigns", headers={**device.headers, "X-Petition-Api": "0"})
    assert old.status_code == 426 and old.json()["error"] == "client_too_old"
    assert "Update" in old.json()["message"]
    new = client.get(f"{API_PREFIX}/campaigns", headers={**device.headers, "X-Petition-Api": "7"})
    assert new.status_code == 400 and new.json()["error"] == "api_version_unsupported"
    junk = client.get(f"{API_PREFIX}/campaigns", headers={**device.headers, "X-Petition-Api": "one"})
    assert junk.status_code == 400


def test_enroll_returns_token_and_server_key_and_code_works_once(client: TestClient, published: Engine) -> None:
    code = new_code(published, "tablet")
    typed = f" {code[:4].lower()}-{code[4:8]} {code[8:]} "  # people type codes in every style
    answer = client.post(f"{API_PREFIX}/enroll", json={"code": typed, "device_public_key": public_key()})
    assert answer.status_code == 200, answer.text
    body = EnrollResponse.model_validate(answer.json())
    assert body.device_name == "tablet" and len(body.token) >= 43
    assert [(k.purpose, k.algorithm) for k in body.server_keys] == [("signing", "Ed25519"), ("sealing", "X25519")]
    with Session(published) as session:
        stored = session.get(Device, body.device_id)
        assert stored is not None and stored.token_hash is not None and body.token not in stored.token_hash
    again = client.post(f"{API_PREFIX}/enroll", json={"code": code, "device_public_key": public_key()})
    assert again.status_code == 403 and again.json()["error"] == "invalid_code"


def test_enroll_refuses_bad_key_and_expired_code(client: TestClient, published: Engine) -> None:
    from server import devices

    code = new_code(published)
    bad = client.post(f"{API_PREFIX}/enroll", json={"code": code, "device_public_key": "AAAA"})
    assert bad.status_code == 400 and bad.json()["error"] == "bad_public_key"
    with write_session(published) as session:
        expired = devices.add_device("old", session=session, ttl=timedelta(seconds=-1))
        session.commit()
    late = client.post(f"{API_PREFIX}/enroll", json={"code": expired.code, "device_public_key": public_key()})
    assert late.status_code == 403


def test_enroll_attempts_are_rate_limited(client: TestClient, published: Engine) -> None:
    statuses = [
        client.post(f"{API_PREFIX}/enroll", json={"code": "AAAA-BBBB-CCCC", "device_public_key": public_key()}).status_code
        for _ in range(12)
    ]
    assert statuses[:10] == [403] * 10
    assert statuses[10:] == [429, 429]
    limited = client.post(f"{API_PREFIX}/enroll", json={"code": new_code(published), "device_public_key": public_key()})
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1


def test_upload_outcomes(client: TestClient, device: EnrolledDevice, published: Engine) -> None:
    first = signature(seq=1)
    second = signature(seq=2)
    answer = client.post(device.batches, json=batch([first, second]), headers=device.headers)
    assert answer.status_code == 200, answer.text
    result = BatchResult.model_validate(answer.json())
    assert [r.outcome for r in result.results] == [Outcome.CREATED, Outcome.CREATED]
    assert result.counts["created"] == 2

    changed = {**first, "city": "Hamburg"}
    invalid = signature(seq=3)
    invalid["email"] = "not an email"
    unknown = signature(seq=4)
    unknown["campaign_slug"] = "no-such-campaign"
    unknown_version = signature(seq=5)
    unknown_version["campaign_version"] = 99
    answer = client.post(device.batches, json=batch([first, changed, invalid, unknown, unknown_version, "x"]),
                         headers=device.headers)
    result = BatchResult.model_validate(answer.json())
    got = [(r.outcome, r.reason, r.field) for r in result.results]
    assert got == [
        (Outcome.DUPLICATE, None, None),
        (Outcome.CONFLICT, None, None),
        (Outcome.REJECTED, "email_invalid", "email"),
        (Outcome.REJECTED, "campaign_unknown", "campaign_slug"),
        (Outcome.REJECTED, "campaign_version_unknown", "campaign_version"),
        (Outcome.REJECTED, "invalid", None),
    ]
    assert result.results[0].id == first["id"]
    with Session(published) as session:
        kept = session.get(StoredSignature, (first["id"], device.id))
        assert kept is not None and kept.city == "Berlin" and kept.content_hash == hash_of(first)
        assert kept.device_id == device.id
        assert session.exec(select(func.count()).select_from(StoredSignature)).one()[0] == 2  # type: ignore[call-overload]


def test_same_id_twice_in_one_batch(client: TestClient, device: EnrolledDevice) -> None:
    one = signature()
    answer = client.post(device.batches, json=batch([one, one, {**one, "city": "Paris"}]), headers=device.headers)
    assert [r["outcome"] for r in answer.json()["results"]] == ["created", "duplicate", "conflict"]


def test_closed_campaign(client: TestClient, device: EnrolledDevice, published: Engine) -> None:
    before = signature()
    client.post(device.batches, json=batch([before]), headers=device.headers)
    with write_session(published) as session:
        assert campaigns.set_closed("aleppo", True, session=session)
        session.commit()
    after = signature(seq=2)
    answer = client.post(device.batches, json=batch([before, after]), headers=device.headers)
    # a retry of what was stored before closing is still a success
    assert [r["outcome"] for r in answer.json()["results"]] == ["duplicate", "campaign_closed"]
    listing = client.get(f"{API_PREFIX}/campaigns", headers=device.headers).json()["campaigns"]
    assert {c["slug"]: c["closed"] for c in listing}["aleppo"] is True


def test_clock_offset_is_recorded(client: TestClient, device: EnrolledDevice, published: Engine) -> None:
    wrong_clock = datetime.now(UTC) - timedelta(hours=3)
    answer = client.post(device.batches, json=batch([signature()], device_time=wrong_clock), headers=device.headers)
    offset = answer.json()["clock_offset_s"]
    assert 3 * 3600 - 60 < offset < 3 * 3600 + 60
    status = client.get(f"{API_PREFIX}/devices/{device.id}", headers=device.headers).json()
    assert status["signatures"] == 1 and abs(status["clock_offset_s"] - offset) < 1
    with Session(published) as session:
        row = session.exec(select(StoredSignature)).one()[0]  # type: ignore[call-overload]
        assert abs(row.clock_offset_ms / 1000 - offset) < 1 and row.received_at is not None


def test_public_count_subtracts_voids(client: TestClient, device: EnrolledDevice) -> None:
    signed = [signature(seq=i) for i in range(1, 4)]
    void = signature(seq=4, voids=signed[0]["id"], mode="assisted", given_name=None, family_name=None,
                     email=None, city=None, consent_processing=False, consent_updates=None)
    void_again = signature(seq=5, voids=signed[0]["id"], mode="assisted", given_name=None, family_name=None,
                           email=None, city=None, consent_processing=False, consent_updates=None)
    other = signature("act-on-syria", seq=6, email="x@example.org", postal_code="10115", country="DE", city=None)
    answer = client.post(device.batches, json=batch([*signed, void, void_again, other]), headers=device.headers)
    assert all(r["outcome"] == "created" for r in answer.json()["results"]), answer.text
    count = client.get(f"{API_PREFIX}/campaigns/aleppo/count")
    assert count.status_code == 200 and count.json()["count"] == 2
    assert client.get(f"{API_PREFIX}/campaigns/act-on-syria/count").json()["count"] == 1
    assert client.get(f"{API_PREFIX}/campaigns/nope/count").status_code == 404


def test_campaign_list_and_bundle_download(client: TestClient, device: EnrolledDevice) -> None:
    import hashlib
    import io
    import zipfile

    listing = client.get(f"{API_PREFIX}/campaigns", headers=device.headers)
    assert listing.status_code == 200
    entries = {c["slug"]: c for c in listing.json()["campaigns"]}
    assert set(entries) == {"aleppo", "act-on-syria"}
    entry = entries["aleppo"]
    assert entry["locale_hashes"]["en"]["letter"] == signature()["letter_sha256"]
    zipped = client.get(f"{API_PREFIX}/campaigns/aleppo/versions/{entry['version']}/bundle", headers=device.headers)
    assert zipped.status_code == 200 and zipped.headers["content-type"] == "application/zip"
    assert hashlib.sha256(zipped.content).hexdigest() == entry["bundle_sha256"] == zipped.headers["X-Bundle-SHA256"]
    assert "campaign.toml" in zipfile.ZipFile(io.BytesIO(zipped.content)).namelist()
    missing = client.get(f"{API_PREFIX}/campaigns/aleppo/versions/99/bundle", headers=device.headers)
    assert missing.status_code == 404 and missing.json()["error"] == "campaign_unknown"


def test_bad_requests_get_json_4xx(client: TestClient, device: EnrolledDevice) -> None:
    h = {**device.headers, "Content-Type": "application/json"}
    cases = [
        (client.post(device.batches, content=b"{not json", headers=h), 400, "malformed_json"),
        (client.post(device.batches, json={"device_time": "yesterday", "signatures": []}, headers=h), 422, "invalid_request"),
        (client.post(device.batches, json={"device_time": datetime.now(UTC).isoformat(), "signatures": {}}, headers=h), 422, "invalid_request"),
        (client.post(device.batches, json=[1, 2], headers=h), 422, "invalid_request"),
        (client.post(device.batches, json=batch([signature(seq=i) for i in range(1, 502)]), headers=h), 413, None),
        (client.post(device.batches, content=b"[" + b" " * MAX_BATCH_BYTES + b"]", headers=h), 413, "payload_too_large"),
        (client.post(f"{API_PREFIX}/enroll", content=b"{", headers=h), 400, "malformed_json"),
        (client.post(f"{API_PREFIX}/enroll", json={"code": 5}, headers=h), 422, "invalid_request"),
        (client.get(f"{API_PREFIX}/nowhere", headers=h), 404, "not_found"),
        (client.delete(f"{API_PREFIX}/health", headers=h), 405, "method_not_allowed"),
    ]
    for answer, status, error in cases:
        assert answer.status_code == status, (answer.request.url, answer.text[:200])
        assert answer.headers["content-type"].startswith("application/json")
        if error:
            assert answer.json()["error"] == error


def test_validation_errors_do_not_echo_personal_data(client: TestClient, device: EnrolledDevice) -> None:
    answer = client.post(device.batches, json={"device_time": "Amal Haddad secret", "signatures": []},
                         headers=device.headers)
    assert answer.status_code == 422 and "Amal" not in answer.text


def test_enrollment_uri_round_trip() -> None:
    text = enrollment_uri("http://192.168.1.10:8000/", "k7qm2xpa9rtf")
    assert text == "petition-kiosk://enroll?v=1&server=http%3A%2F%2F192.168.1.10%3A8000&code=K7QM-2XPA-9RTF"
    assert parse_enrollment_uri(text) == ("http://192.168.1.10:8000", "K7QM2XPA9RTF")
    for bad in ("http://example.org", "petition-kiosk://enroll?v=2&server=http%3A%2F%2Fa&code=K7QM-2XPA-9RTF",
                "petition-kiosk://enroll?v=1&server=ftp%3A%2F%2Fa&code=K7QM-2XPA-9RTF"):
        with pytest.raises(ValueError):
            parse_enrollment_uri(bad)


def test_second_enrolled_device_is_separate(client: TestClient, published: Engine, device: EnrolledDevice) -> None:
    other = enroll(client, published, "laptop 2")
    assert other.id != device.id and other.token != device.token
