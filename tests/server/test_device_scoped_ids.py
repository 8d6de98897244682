"""Signature ids are scoped to their device on the server (primary key (id, device_id), migration
s0007), on SQLite and PostgreSQL: a device uploading under another device's pending id blocks
nothing; the receipt page finds the signer's signature by its id and receipt secret."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from fastapi.testclient import TestClient
from server_helpers import EnrolledDevice, batch, signature
from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bench.scratch_db import drop_database
from db.wire import API_PREFIX
from server import withdrawals
from server.database import write_session
from server.models import StoredSignature


def _upload(client: TestClient, device: EnrolledDevice, items: list[dict[str, Any]]) -> list[str]:
    answer = client.post(device.batches, json=batch(items), headers=device.headers)
    assert answer.status_code == 200, answer.text
    return [r["outcome"] for r in answer.json()["results"]]


def _count(client: TestClient) -> int:
    return int(client.get(f"{API_PREFIX}/campaigns/aleppo/count").json()["count"])


def test_the_key_is_the_id_and_its_device(server_engine: Engine) -> None:
    assert sorted(inspect(server_engine).get_pk_constraint("signature")["constrained_columns"]) == ["device_id", "id"]


def test_another_device_uploading_under_a_pending_id_blocks_nothing(
        client: TestClient, published: Engine, device: EnrolledDevice, other_device: EnrolledDevice) -> None:
    key = secrets.token_urlsafe(16)
    real = signature("aleppo", 1, receipt_sha256=hashlib.sha256(key.encode()).hexdigest())
    forged = signature("aleppo", 1, id=real["id"], given_name="Someone", family_name="Else")
    before = _count(client)

    assert _upload(client, other_device, [forged]) == ["created"]  # C takes A's id while A is offline
    assert _upload(client, device, [real]) == ["created"]  # A's signature is still stored...
    assert _upload(client, device, [real]) == ["duplicate"]  # ...exactly once
    assert _count(client) == before + 2  # and counted
    with Session(published) as session:
        stored = dict(session.exec(select(StoredSignature.device_id, StoredSignature.given_name)
                                   .where(col(StoredSignature.id) == real["id"])).all())
    assert stored == {device.id: "Amal", other_device.id: "Someone"}

    # The receipt page finds the signer's own signature by its secret, and withdraws that one.
    page = client.get(f"/receipt/{real['id']}?k={key}")
    assert page.status_code == 200 and 'data-state="arrived"' in page.text
    with write_session(published) as session:
        assert withdrawals.withdraw(real["id"], "wrong" + key, session=session) is None
        assert withdrawals.withdraw(real["id"], key, session=session) is not None
        session.commit()
    assert 'data-state="withdrawn"' in client.get(f"/receipt/{real['id']}?k={key}").text

    # A void from C names C's own signature under that id, not A's.
    void = signature("aleppo", 2, voids=real["id"], given_name=None, family_name=None, email=None, city=None)
    assert _upload(client, other_device, [void]) == ["created"]
    with Session(published) as session:
        from server import dashboard

        aleppo = next(c for c in dashboard.overview(session=session).campaigns if c.slug == "aleppo")
    assert (aleppo.voided, aleppo.withdrawn) == (1, 2)  # C's own voided; the withdrawal names the id


def test_migrating_signatures_stored_under_the_old_key_keeps_every_row(
        client: TestClient, published: Engine, device: EnrolledDevice, other_device: EnrolledDevice,
        database_url: str, backend: str) -> None:
    """s0006 -> s0007 on a database holding signatures (a database of its own on PostgreSQL: the shared
    one must stay at the newest schema for the other tests)."""
    import os
    import uuid

    from alembic import command
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from server.database import _alembic_config, current_revision, make_engine, upgrade

    stored = [signature("aleppo", seq) for seq in range(1, 4)]
    assert _upload(client, device, stored) == ["created"] * 3
    client.close()
    published.dispose()  # no session may stay open on the database copied below
    admin = None
    if backend == "postgresql":
        name = f"petition_server_migrate_{uuid.uuid4().hex[:10]}"
        admin = create_engine(os.environ["PETITION_TEST_DATABASE_URL"], isolation_level="AUTOCOMMIT")
        source = make_url(database_url).database
        with admin.connect() as conn:
            # A template must have no other session: pooled connections that other tests' engines keep
            # on the shared database are ended (a connection idle for 2 s is pinged and replaced when dead).
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :db AND pid <> pg_backend_pid()"), {"db": source})
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source}"'))
        url = make_url(database_url).set(database=name).render_as_string(hide_password=False)
    else:
        url = database_url
    engine = make_engine(url)
    try:
        config = _alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "s0006_operator_voids")
        assert current_revision(engine) == "s0006_operator_voids"
        assert inspect(engine).get_pk_constraint("signature")["constrained_columns"] == ["id"]
        upgrade(engine)
        assert sorted(inspect(engine).get_pk_constraint("signature")["constrained_columns"]) == ["device_id", "id"]
        with Session(engine) as session:
            rows = dict(session.exec(select(StoredSignature.id, StoredSignature.device_id)).all())
        assert rows == {s["id"]: device.id for s in stored}
    finally:
        engine.dispose()
        if admin is not None:
            drop_database(admin, name)
            admin.dispose()
