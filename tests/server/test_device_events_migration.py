"""Migration s0009 (devices' events) on SQLite and PostgreSQL: down to s0008 the table goes, the
signatures stay; up again it is back, and events are stored and updated per device through
server/events.py."""

from __future__ import annotations

import os
import uuid
from datetime import date

from alembic import command
from fastapi.testclient import TestClient
from server_helpers import EnrolledDevice, signature
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, func, select

from bench.scratch_db import drop_database
from db.wire import API_PREFIX, DeviceEvent
from server import events
from server.database import _alembic_config, current_revision, make_engine, upgrade, write_session
from server.models import StoredSignature


def test_s0009_down_and_up_keeps_signatures_and_the_events_table_works(
        client: TestClient, published: Engine, device: EnrolledDevice, database_url: str, backend: str) -> None:
    answer = client.post(f"{API_PREFIX}/devices/{device.id}/batches", headers=device.headers, json={
        "device_time": "2026-12-06T10:00:00Z", "signatures": [signature("aleppo", 1)]})
    assert [r["outcome"] for r in answer.json()["results"]] == ["created"]
    client.close()
    published.dispose()
    admin = None
    if backend == "postgresql":  # a database of its own: the shared one stays at the newest schema
        name = f"petition_server_migrate_{uuid.uuid4().hex[:10]}"
        admin = create_engine(os.environ["PETITION_TEST_DATABASE_URL"], isolation_level="AUTOCOMMIT")
        source = make_url(database_url).database
        with admin.connect() as conn:
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
            command.downgrade(config, "s0008_web_page_pause")
        assert current_revision(engine) == "s0008_web_page_pause"
        assert "device_event" not in inspect(engine).get_table_names()
        upgrade(engine)
        assert "device_event" in inspect(engine).get_table_names()
        with Session(engine) as session:
            assert session.exec(select(func.count()).select_from(StoredSignature)).one() == 1
        rally = DeviceEvent(id=str(uuid.uuid4()), name="Kundgebung", place="Berlin", day=date(2026, 11, 28))
        with write_session(engine) as session:
            first = events.store_events(device.id, [rally], session=session)
            session.commit()
        with write_session(engine) as session:
            again = events.store_events(device.id, [rally, rally.model_copy(update={"name": "Vigil"})], session=session)
            session.commit()
        assert (first.created, again.updated, again.unchanged) == (1, 1, 0)
        with Session(engine) as session:
            named = events.named_events([(device.id, rally.id), ("another-device", rally.id)], session=session)
        assert named == {(device.id, rally.id): events.NamedEvent("Vigil", "Berlin", date(2026, 11, 28))}
    finally:
        engine.dispose()
        if admin is not None:
            drop_database(admin, name)
            admin.dispose()
