"""Factories for server tests and the ingest benchmark: wire signatures, enrolled devices, live servers."""

from __future__ import annotations

import base64
import contextlib
import os
import re
import socket
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import nacl.signing
from sqlalchemy.engine import Engine

from db.campaigns import builtin_bundle_dirs, load_bundle
from db.schemas import SignatureCreate, content_hash, wire_payload
from db.sealing import PublicKey, seal
from db.wire import API_HEADER, API_PREFIX, HEALTH_MARKER
from server import admins, campaigns, devices, sealing
from server.database import write_session

ROOT = Path(__file__).resolve().parents[2]


@cache
def _shown(slug: str) -> tuple[int, str, str]:
    for folder in builtin_bundle_dirs():
        bundle = load_bundle(folder)
        if bundle.slug == slug:
            lc = bundle.localised("en")
            return bundle.version, lc.letter_sha256, lc.consent_sha256
    raise KeyError(slug)


def signature(slug: str = "aleppo", seq: int = 1, **overrides: Any) -> dict[str, Any]:
    """A valid signature in its canonical wire form."""
    version, letter, consent = _shown(slug)
    now = datetime.now(UTC)
    data: dict[str, Any] = {
        "id": str(uuid.uuid4()), "seq": seq, "campaign_slug": slug, "campaign_version": version,
        "letter_sha256": letter, "locale": "en", "mode": "kiosk",
        "given_name": "Amal", "family_name": f"Haddad {seq}", "email": f"amal{seq}@example.org", "city": "Berlin",
        "consent_processing": True, "consent_updates": False, "consent_text_sha256": consent,
        "consent_locale": "en", "consent_given_at": now, "utc_offset_minutes": 60, "created_at": now,
    }
    data.update(overrides)
    return wire_payload(SignatureCreate.model_validate(data))


def hash_of(payload: dict[str, Any]) -> str:
    return content_hash(SignatureCreate.model_validate(payload))


def batch(signatures: list[dict[str, Any]], device_time: datetime | None = None) -> dict[str, Any]:
    return {"device_time": (device_time or datetime.now(UTC)).isoformat(), "signatures": signatures}


# The operator's passphrase of the test servers' sealing keys (the cheapest Argon2id cost: tests only).
PASSPHRASE = "correct horse battery staple"
TEST_KDF_COST = "interactive"


def ensure_sealing_key(engine: Engine, passphrase: str = PASSPHRASE) -> PublicKey:
    """The server's active sealing key, made first when it has none."""
    with write_session(engine) as session:
        key = sealing.active_public_key(session=session)
        if key is None:
            sealing.create(passphrase, session=session, cost=TEST_KDF_COST)
            session.commit()
            key = sealing.active_public_key(session=session)
    assert key is not None
    return key


def publish_builtin(engine: Engine) -> None:
    """Publish the built-in campaigns (sealed to the server's key, made first when missing)."""
    ensure_sealing_key(engine)
    with write_session(engine) as session:
        for folder in builtin_bundle_dirs():
            campaigns.publish(folder, session=session)
        session.commit()


def sealed_signature(key: PublicKey, slug: str = "aleppo", seq: int = 1, **overrides: Any) -> dict[str, Any]:
    """A valid signature in its canonical wire form, its signer's fields sealed to ``key`` as a device
    seals them (db.sealing.seal)."""
    clear = SignatureCreate.model_validate(signature(slug, seq, **overrides))
    return wire_payload(seal(clear, key))


def new_code(engine: Engine, name: str = "laptop") -> str:
    with write_session(engine) as session:
        made = devices.add_device(name, session=session, ttl=timedelta(hours=24))
        session.commit()
    return made.code


def public_key() -> str:
    return base64.b64encode(bytes(nacl.signing.SigningKey.generate().verify_key)).decode()


@dataclass(frozen=True)
class EnrolledDevice:
    id: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", API_HEADER: "1"}

    @property
    def batches(self) -> str:
        return f"{API_PREFIX}/devices/{self.id}/batches"


def enroll(client: Any, engine: Engine, name: str = "laptop") -> EnrolledDevice:
    code = new_code(engine, name)
    answer = client.post(f"{API_PREFIX}/enroll", json={"code": code, "device_public_key": public_key()})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    return EnrolledDevice(body["device_id"], body["token"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen[bytes]
    log_file: Path

    def log(self) -> str:
        return self.log_file.read_text(errors="replace")


@contextlib.contextmanager
def live_server(database_url: str, data_dir: Path, *, workers: int = 1, timeout_s: float = 30.0,
                extra_env: dict[str, str] | None = None,
                tls: tuple[Path, Path, Path] | None = None, access_log: bool = False) -> Iterator[LiveServer]:
    """A real ``petition-server serve`` process on 127.0.0.1 and a free port; killed on exit. With
    ``tls`` (certificate chain, its key, the CA that signed it: PEM files) it serves HTTPS."""
    port = free_port()
    log_file = data_dir / f"server-{port}.log"
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **(extra_env or {})}
    cmd = [sys.executable, "-m", "server.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
           "--data-dir", str(data_dir), "--database-url", database_url, "--workers", str(workers),
           *(("--log-level", "info", "--access-log") if access_log else ("--log-level", "warning", "--no-access-log"))]
    if tls is not None:
        cmd += ["--ssl-certfile", str(tls[0]), "--ssl-keyfile", str(tls[1])]
    with open(log_file, "wb") as log:
        process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT,
                                   start_new_session=True)
    server = LiveServer(f"{'https' if tls else 'http'}://127.0.0.1:{port}", process, log_file)
    verify: Any = ssl.create_default_context(cafile=str(tls[2])) if tls else True
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited with {process.returncode}:\n{server.log()}")
            try:
                answer = httpx.get(f"{server.url}{API_PREFIX}/health", timeout=2, verify=verify)
                if answer.status_code == 200 and answer.json().get("marker") == HEALTH_MARKER:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server did not start within {timeout_s} s:\n{server.log()}")
            time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, 15)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, 9)
                process.wait(timeout=10)


def add_admin(engine: Engine, name: str = "coordinator") -> str:
    """A dashboard admin; its token."""
    with write_session(engine) as session:
        _, token = admins.add_admin(name, session=session)
        session.commit()
    return token


def post_login(client: Any, token: str) -> Any:
    """The answer to the login form sent with ``token`` (and the form's own CSRF token)."""
    page = client.get("/admin/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf, page.text
    return client.post("/admin/login", data={"csrf": csrf.group(1), "token": token}, follow_redirects=False)
