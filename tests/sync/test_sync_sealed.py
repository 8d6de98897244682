"""Sealed mode end to end, with a real server process: a device enrolled with the server seals what it
saves, the server stores the boxes as received (exactly once), the operator's export opens every field
exactly with the passphrase, and a rotated key reaches the device at its next sync."""

from __future__ import annotations

import base64
import csv
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from nacl.public import PrivateKey
from nacl.signing import SigningKey
from sqlalchemy.engine import Engine
from sqlmodel import Session

from db import sealing
from db.sync import enrollment, runner
from db.wire import ServerKey, sealing_key_statement
from server import sealing as server_sealing
from server.database import write_session
from utils.factories import builtin_campaign, save
from utils.sync_env import SyncServer, device_set, enroll_device, server_set, sync_server

pytestmark = pytest.mark.timeout(180)
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "server"))
from server_helpers import PASSPHRASE, TEST_KDF_COST  # noqa: E402

SIGNERS = [("رنا", "الحلبي", "rana@example.org"), ("Jan", "Özdemir", "jan.o@example.de"),
           ("Mariam", "", "mariam@example.org")]


@pytest.fixture
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncServer]:
    with sync_server(tmp_path_factory.mktemp("server")) as running:
        yield running


def _export(server: SyncServer, tmp_path: Path, passphrase: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    secret = tmp_path / "passphrase"
    secret.write_text(passphrase + "\n", encoding="utf-8")
    target = tmp_path / "export.csv"
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", "export", "--csv", str(target), "--passphrase-file", str(secret),
         "--database-url", str(server.engine.url)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    return done, target


def _sync(data_dir: Path, engine: Engine) -> runner.SyncReport:
    syncer = runner.Syncer(data_dir, engine)
    try:
        return syncer.run()
    finally:
        syncer.close()


def test_sealed_signatures_reach_the_server_once_and_open_only_with_the_passphrase(
    server: SyncServer, data_dir: Path, engine: Engine, tmp_path: Path,
) -> None:
    enrolled = enroll_device(data_dir, server)
    held, _ = sealing.device_key(engine)
    assert held is not None and any(k["key_id"] == held.key_id for k in enrolled.server_keys)
    campaign = builtin_campaign("act-on-syria")
    ids = [save(engine, given_name=g, family_name=f or None, email=e).id for g, f, e in SIGNERS]

    first, again = _sync(data_dir, engine), _sync(data_dir, engine)
    assert first.outcome == runner.OK and first.sent == 3 and again.sent == 0
    assert server_set(server.engine, enrolled.device_id) == device_set(engine)

    done, target = _export(server, tmp_path, PASSPHRASE)
    assert done.returncode == 0, done.stderr
    with target.open(encoding="utf-8-sig", newline="") as fh:
        by_id = {row["id"]: row for row in csv.DictReader(fh)}
    assert [(by_id[i]["given_name"], by_id[i]["family_name"], by_id[i]["email"]) for i in ids] == SIGNERS
    assert all(by_id[i]["campaign_slug"] == campaign.slug and by_id[i]["postal_code"] == "10115" for i in ids)

    target.unlink()
    refused, target = _export(server, tmp_path, "not the operator's passphrase")
    assert refused.returncode != 0 and "passphrase" in refused.stderr.lower()
    assert not target.exists()


def test_a_rotated_key_reaches_the_device_at_its_next_sync(
    server: SyncServer, data_dir: Path, engine: Engine, tmp_path: Path,
) -> None:
    enroll_device(data_dir, server)
    old, _ = sealing.device_key(engine)
    before = save(engine, given_name="Before rotation").id
    assert _sync(data_dir, engine).sent == 1

    with write_session(server.engine) as session:
        new = server_sealing.rotate(PASSPHRASE, session=session, cost=TEST_KDF_COST)
        session.commit()
    assert _sync(data_dir, engine).outcome == runner.OK  # picks up the server's keys
    held, _ = sealing.device_key(engine)
    assert held is not None and old is not None and held.key_id == new.key_id != old.key_id
    reloaded = enrollment.load(data_dir)
    assert reloaded is not None and new.key_id in {k["key_id"] for k in reloaded.server_keys}

    after = save(engine, given_name="After rotation").id
    assert _sync(data_dir, engine).sent == 1
    with Session(server.engine) as session:
        per_key = server_sealing.signatures_per_key(session=session)
    assert per_key == {old.key_id: 1, new.key_id: 1}
    done, target = _export(server, tmp_path, PASSPHRASE)
    assert done.returncode == 0, done.stderr
    with target.open(encoding="utf-8-sig", newline="") as fh:
        names = {row["id"]: row["given_name"] for row in csv.DictReader(fh)}
    assert names == {before: "Before rotation", after: "After rotation"}


class _Answer:
    """What a man in the middle of a plain-http connection could answer to GET /keys."""

    def __init__(self, keys: list[ServerKey]) -> None:
        self.keys = keys

    def server_keys(self) -> _Answer:
        return self


def test_a_sealing_key_not_signed_by_the_enrolled_server_is_ignored(
    server: SyncServer, data_dir: Path, engine: Engine,
) -> None:
    enrolled = enroll_device(data_dir, server)
    held, _ = sealing.device_key(engine)
    pinned = next(k for k in enrolled.server_keys if k["purpose"] == "signing")
    attacker_seal, attacker_sign = PrivateKey.generate(), SigningKey.generate()
    raw = base64.b64encode(bytes(attacker_seal.public_key)).decode()
    kid = sealing.key_id(bytes(attacker_seal.public_key))
    forged = [
        ServerKey(purpose="signing", algorithm="Ed25519", key_id="0" * 16,
                  public_key=base64.b64encode(bytes(attacker_sign.verify_key)).decode()),
        ServerKey(purpose="sealing", algorithm="X25519", key_id=kid, public_key=raw,
                  signature=base64.b64encode(attacker_sign.sign(sealing_key_statement(kid, raw)).signature).decode()),
        ServerKey(purpose="sealing", algorithm="X25519", key_id=kid, public_key=raw),  # unsigned
    ]
    syncer = runner.Syncer(data_dir, engine)
    try:
        syncer._maybe_refresh_keys(_Answer(forged), enrolled)  # type: ignore[arg-type]
    finally:
        syncer.close()
    assert sealing.device_key(engine)[0] == held
    reloaded = enrollment.load(data_dir)
    assert reloaded is not None and reloaded.server_keys == enrolled.server_keys
    assert next(k for k in reloaded.server_keys if k["purpose"] == "signing") == pinned


def test_a_campaign_the_server_publishes_is_collected_sealed_to_its_key(
    server: SyncServer, data_dir: Path, engine: Engine, tmp_path: Path,
) -> None:
    """A new version published on the server reaches the device at its next sync, replaces the
    built-in one on the letter page, and is `required`: sealed to the key in its bundle."""
    from desktop.context import open_context
    from server import campaigns as server_campaigns
    from utils.factories import copy_bundle, edit

    folder = copy_bundle("act-on-syria", tmp_path / "v2")
    edit(folder / "campaign.toml", "version = 1", "version = 2")
    with write_session(server.engine) as session:
        server_campaigns.publish(folder, session=session)
        session.commit()
    enroll_device(data_dir, server)
    syncer = runner.Syncer(data_dir, engine, pull_every_s=0)
    try:
        assert syncer.run().done
    finally:
        syncer.close()

    ctx = open_context(data_dir, locale="en", campaign="act-on-syria")
    try:
        ctx.warm_up()
        campaign = ctx.campaign
        assert (campaign.version, campaign.source, campaign.sealing_mode) == (2, "server", "required")
        assert campaign.manifest.sealing.key_id is not None
        saved = save(ctx.engine, ctx.shown, given_name="Published")
    finally:
        ctx.close()
    raw = engine.raw_connection()
    try:
        row = raw.cursor().execute("SELECT campaign_version, sealed_key, given_name FROM signature WHERE id = ?",
                                   (saved.id,)).fetchone()
    finally:
        raw.close()
    assert row == (2, campaign.manifest.sealing.key_id, None)
    assert _sync(data_dir, engine).sent == 1
