"""The server's own secret keys (Ed25519 signing key, the forms' CSRF key) are stored encrypted under a
key file in the data folder: a copy of the database alone opens neither. Keys an older version stored
in clear are encrypted at start-up and stay the same keys."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import nacl.signing
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from server import confirmations, security, web
from server.app import create_app
from server.database import write_session
from server.models import ServerKeyRow, utcnow
from server.settings import ServerSettings


def _stored(engine: Engine) -> dict[str, str]:
    with Session(engine) as session:
        return {row.purpose: row.private_key for row in session.exec(select(ServerKeyRow))}


def test_the_keys_are_stored_encrypted_and_the_database_alone_opens_neither(
        server_settings: ServerSettings, server_engine: Engine, tmp_path: Path) -> None:
    with TestClient(create_app(server_settings, server_engine)):
        pass
    stored = _stored(server_engine)
    assert set(stored) == {security.SIGNING, web.CSRF_KEY_PURPOSE, confirmations.KEY_PURPOSE}
    assert all(value.startswith(security.SEALED_PREFIX) for value in stored.values())
    key_file = security.key_file(server_settings.data_dir)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    signing = security.signing_key(server_engine, server_settings.data_dir)
    csrf = web.csrf_secret(server_engine, server_settings.data_dir)
    links = confirmations.link_key(server_engine, server_settings.data_dir)
    database = server_settings.data_dir / "petition-server.sqlite3"
    if database.exists():  # SQLite: not one of the raw keys is anywhere in the file
        content = database.read_bytes()
        for raw in (bytes(signing), csrf, links):
            assert raw not in content and base64.b64encode(raw) not in content
    # A thief with the database and without the key file: no key file, or a key file of their own.
    elsewhere = tmp_path / "thief"
    with pytest.raises(security.ServerKeyFileError, match="is missing"):
        security.signing_key(server_engine, elsewhere)
    assert not security.key_file(elsewhere).exists()  # opening never makes a key file
    security.seal_secret(b"x", elsewhere)  # makes one
    with pytest.raises(security.ServerKeyFileError, match="do not open"):
        security.signing_key(server_engine, elsewhere)
    with pytest.raises(security.ServerKeyFileError, match="do not open"):
        web.csrf_secret(server_engine, elsewhere)


def test_keys_stored_in_clear_by_an_older_version_are_encrypted_at_start_and_stay_the_same(
        server_settings: ServerSettings, server_engine: Engine) -> None:
    old_signing = nacl.signing.SigningKey.generate()
    old_csrf = bytes(range(32))
    with write_session(server_engine) as session:
        for purpose, algorithm, public, private in (
                (security.SIGNING, "Ed25519", security.b64(bytes(old_signing.verify_key)), bytes(old_signing)),
                (web.CSRF_KEY_PURPOSE, "HMAC-SHA256", "", old_csrf)):
            session.execute(text("INSERT INTO server_key (purpose, algorithm, public_key, private_key, created_at) "
                                 "VALUES (:p, :a, :pub, :priv, :at)"),
                            {"p": purpose, "a": algorithm, "pub": public, "priv": security.b64(private), "at": utcnow()})
        session.commit()
    with TestClient(create_app(server_settings, server_engine)):
        pass
    assert all(value.startswith(security.SEALED_PREFIX) for value in _stored(server_engine).values())
    assert bytes(security.signing_key(server_engine, server_settings.data_dir)) == bytes(old_signing)
    assert web.csrf_secret(server_engine, server_settings.data_dir) == old_csrf
    assert security.seal_clear_keys(server_engine, server_settings.data_dir) == 0  # once only
