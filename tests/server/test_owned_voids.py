"""Voids are owned (server/voids.py), on SQLite and PostgreSQL: a device may void only the signatures
it sent itself; a foreign void stored anyway (before this rule, or written straight into the
database) changes no count, dashboard figure, receipt page or duplicate count; the operator voids
with ``petition-server void ID --reason TEXT``, and that is recorded."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from server_helpers import EnrolledDevice, batch, signature
from sqlalchemy.engine import Engine
from sqlmodel import Session

from db.schemas import SignatureCreate, content_hash
from db.wire import API_PREFIX, REASON_VOID_TARGET_FOREIGN
from server import campaigns, dashboard, dedupe
from server.cli import main
from server.database import write_session
from server.models import OperatorVoid, StoredSignature


def _void(target: str, seq: int) -> dict[str, Any]:
    return signature("aleppo", seq, voids=target, given_name=None, family_name=None, email=None, city=None)


def _with_secret(seq: int) -> tuple[dict[str, Any], str]:
    key = secrets.token_urlsafe(16)
    return signature("aleppo", seq, receipt_sha256=hashlib.sha256(key.encode()).hexdigest()), key


def _upload(client: TestClient, device: EnrolledDevice, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    answer = client.post(device.batches, json=batch(items), headers=device.headers)
    assert answer.status_code == 200, answer.text
    return list(answer.json()["results"])


def _figures(client: TestClient, engine: Engine, sig_id: str, key: str) -> tuple[Any, ...]:
    with Session(engine) as session:
        aleppo = next(c for c in dashboard.overview(session=session).campaigns if c.slug == "aleppo")
        stats = next(row for row in campaigns.summary(session=session) if row[0] == "aleppo")
    page = client.get(f"/receipt/{sig_id}?k={key}").text
    return (client.get(f"{API_PREFIX}/campaigns/aleppo/count").json()["count"],
            (aleppo.gathered, aleppo.voided, aleppo.counted), stats,
            'data-state="withdrawn"' in page, dedupe.likely_duplicates(engine)["aleppo"].signatures)


def test_a_device_cannot_void_another_devices_signature(
        client: TestClient, published: Engine, device: EnrolledDevice, other_device: EnrolledDevice) -> None:
    mine, key = _with_secret(1)
    _upload(client, device, [mine, signature("aleppo", 2)])
    before = _figures(client, published, mine["id"], key)
    assert before[0] == 2 and before[3] is False

    results = _upload(client, other_device, [_void(mine["id"], 1), signature("aleppo", 2)])
    assert [(r["outcome"], r.get("reason"), r.get("field")) for r in results] == [
        ("rejected", REASON_VOID_TARGET_FOREIGN, "voids"), ("created", None, None)]
    after = _figures(client, published, mine["id"], key)
    assert after[0] == before[0] + 1  # the other device's own signature counts; A's is still counted
    assert after[3] is False  # the receipt page does not say "withdrawn at the stand"

    # Its own device may void it.
    assert _upload(client, device, [_void(mine["id"], 3)])[0]["outcome"] == "created"
    assert _figures(client, published, mine["id"], key)[0] == after[0] - 1


def test_a_foreign_void_already_in_the_database_changes_nothing(
        client: TestClient, published: Engine, device: EnrolledDevice, other_device: EnrolledDevice) -> None:
    mine, key = _with_secret(1)
    _upload(client, device, [mine, signature("aleppo", 2)])
    _upload(client, other_device, [signature("aleppo", 1)])
    before = _figures(client, published, mine["id"], key)
    foreign = _void(mine["id"], 7)
    with write_session(published) as session:  # as an older server stored it
        session.add(StoredSignature.model_validate({
            **foreign, "content_hash": content_hash(SignatureCreate.model_validate(foreign)),
            "device_id": other_device.id, "received_at": datetime.now(UTC)}))
        session.commit()
    assert _figures(client, published, mine["id"], key) == before


def test_the_operator_voids_a_signature_and_it_is_recorded(
        client: TestClient, published: Engine, device: EnrolledDevice, capsys: Any) -> None:
    mine, key = _with_secret(1)
    _upload(client, device, [mine, signature("aleppo", 2)])
    url = str(published.url.render_as_string(hide_password=False))
    assert main(["void", mine["id"], "--reason", "signed twice, on paper too", "--database-url", url]) == 0
    assert "voided" in capsys.readouterr().out
    assert main(["void", mine["id"], "--reason", "again", "--database-url", url]) == 0
    assert "already voided" in capsys.readouterr().out
    assert main(["void", "no-such-id", "--reason", "x", "--database-url", url]) == 2
    counted, figures, _stats, withdrawn, _dupes = _figures(client, published, mine["id"], key)
    assert counted == 1 and figures == (2, 1, 1) and withdrawn
    with Session(published) as session:
        row = session.get(OperatorVoid, (mine["id"], device.id))
    assert row is not None and (row.reason, row.device_id, row.campaign_slug) == (
        "signed twice, on paper too", device.id, "aleppo")
