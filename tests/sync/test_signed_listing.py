"""Signed campaign listings (db/sync/bundles.py): a man in the middle on a plain-http local network
adds campaign versions of their own to the server's listing. None installs; the server's own entries
still do; signatures made afterwards reach the real server and open there; a version such a man
installed before listings were signed is quarantined at the next pull."""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import shutil
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from nacl.public import PrivateKey
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from db import audit, campaigns
from db.models import CampaignVersion
from db.panel import campaign_notices
from db.paths import PULLED_BUNDLES_DIR, QUARANTINE_FILE, installed_bundle_dirs
from db.sync import bundles, runner
from server import campaigns as server_campaigns
from server import sealing as server_sealing
from server.database import write_session
from server.models import StoredSignature
from utils.bundles import make_bundle
from utils.factories import save
from utils.mitm_proxy import MitmProxy
from utils.sync_env import SyncServer, enroll_device, sync_server

pytestmark = pytest.mark.timeout(180)

from server_helpers import PASSPHRASE  # noqa: E402 (on the path through utils.sync_env)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncServer]:
    with sync_server(tmp_path_factory.mktemp("server")) as running:
        published = make_bundle(tmp_path_factory.mktemp("published"), slug="vigil", title="Vigil for the detained")
        with write_session(running.engine) as session:
            server_campaigns.publish(published, session=session)
            session.commit()
        yield running


ATTACKER = PrivateKey.generate()


def _attacker_bundle(tmp_path: Path, version: int, sealing: str) -> bytes:
    """Aleppo under a new version number, with the attacker's sealing.toml (their key, or sealing off)."""
    folder = make_bundle(tmp_path, slug="aleppo", version=version, title="Aleppo")
    (folder / campaigns.SEALING_FILE).write_text(sealing, encoding="utf-8")
    return server_campaigns.pack_bundle(folder)


def _attacker_key_sealing() -> str:
    raw = bytes(ATTACKER.public_key)
    return (f'mode = "required"\npublic_key = "{base64.b64encode(raw).decode()}"\n'
            f'key_id = "{hashlib.sha256(raw).hexdigest()[:16]}"\n')


def _entry(real: dict[str, Any], version: int, data: bytes, **changes: Any) -> dict[str, Any]:
    entry = {**real, "version": version, "bundle_sha256": hashlib.sha256(data).hexdigest(), "bundle_size": len(data),
             "sealing_mode": None, "sealing_key_id": None, "signature": None}
    entry.update(changes)
    return entry


def _sync(data_dir: Path, engine: Engine) -> runner.SyncReport:
    syncer = runner.Syncer(data_dir, engine, pull_every_s=0)
    try:
        return syncer.run()
    finally:
        syncer.close()


def _aleppo(real: list[dict[str, Any]]) -> dict[str, Any]:
    return next(e for e in real if e["slug"] == "aleppo")


def test_a_man_in_the_middle_cannot_add_a_version_with_his_key_or_without_sealing(
        server: SyncServer, data_dir: Path, engine: Engine, tmp_path: Path) -> None:
    with MitmProxy(server.url) as mitm:
        v2 = _attacker_bundle(tmp_path / "v2", 2, _attacker_key_sealing())
        v3 = _attacker_bundle(tmp_path / "v3", 3, 'mode = "off"\n')
        v4 = _attacker_bundle(tmp_path / "v4", 4, _attacker_key_sealing())
        mitm.extra_bundles = {("aleppo", 2): v2, ("aleppo", 3): v3, ("aleppo", 4): v4}
        key_id = hashlib.sha256(bytes(ATTACKER.public_key)).hexdigest()[:16]
        mitm.extra_entries = lambda real: [
            _entry(_aleppo(real), 2, v2),  # unsigned, with the attacker's key
            _entry(_aleppo(real), 3, v3),  # unsigned, sealing off
            # the server's real signature copied onto the attacker's facts
            _entry(_aleppo(real), 4, v4, sealing_mode="required", sealing_key_id=key_id,
                   signature=_aleppo(real)["signature"]),
        ]
        enroll_device(data_dir, server, via=mitm.url)
        report = _sync(data_dir, engine)

        assert report.outcome == runner.OK, report.message
        assert sorted(report.campaigns_refused) == [("aleppo", 2, bundles.KEY_UNKNOWN),
                                                    ("aleppo", 3, bundles.SEALING_LOWERED),
                                                    ("aleppo", 4, bundles.SIGNATURE_INVALID)]
        assert report.campaigns_installed == [("vigil", 1)]  # the server's own entry after them installs
        assert "/api/v1/campaigns/aleppo/versions/4/bundle" not in mitm.served  # refused before download
        assert not list((data_dir / PULLED_BUNDLES_DIR).glob("aleppo/v*"))
        with Session(engine) as session:
            assert {(v.slug, v.version) for v in session.exec(select(CampaignVersion))} == {
                ("aleppo", 1), ("act-on-syria", 1), ("vigil", 1)}
            refused = audit.recent(session=session, kind=bundles.REFUSED)
            notices = campaign_notices(session=session)
        assert sorted((e.detail["version"], e.detail["reason"]) for e in refused) == [
            (2, bundles.KEY_UNKNOWN), (3, bundles.SEALING_LOWERED), (4, bundles.SIGNATURE_INVALID)]
        assert sorted((n.slug, n.version, n.quarantined) for n in notices) == [
            ("aleppo", 2, False), ("aleppo", 3, False), ("aleppo", 4, False)]

        # A second pull refuses them again and writes nothing new to the audit log.
        again = _sync(data_dir, engine)
        assert len(again.campaigns_refused) == 3 and again.campaigns_installed == []
        with Session(engine) as session:
            assert len(audit.recent(session=session, kind=bundles.REFUSED)) == 3

        # The campaign the app chooses seals to the real server's key: a signature made now reaches
        # the real server through the man in the middle, and opens there with the operator's passphrase.
        aleppo = campaigns.load_bundle(installed_bundle_dirs(data_dir)["aleppo"])
        vigil = campaigns.load_bundle(installed_bundle_dirs(data_dir)["vigil"], source="server")
        saved = [save(engine, shown=c.localised("en"), given_name="Rana", email="rana@example.org", postal_code=None, country=None) for c in (aleppo, vigil)]
        assert _sync(data_dir, engine).sent == 2
    with Session(server.engine) as session:
        keys = server_sealing.unlock(PASSPHRASE, session=session)
        for one in saved:
            row = session.exec(select(StoredSignature).where(StoredSignature.id == one.id)).one()
            assert row is not None and row.sealed is not None
            fields = server_sealing.open_fields(row.sealed, row.id, row.sealed_key, keys)
            assert fields["given_name"] == "Rana"


def test_the_sync_command_says_what_was_refused(server: SyncServer, data_dir: Path, engine: Engine,
                                                tmp_path: Path) -> None:
    from desktop import cli_sync

    with MitmProxy(server.url) as mitm:
        v3 = _attacker_bundle(tmp_path, 3, 'mode = "off"\n')
        mitm.extra_bundles = {("aleppo", 3): v3}
        mitm.extra_entries = lambda real: [_entry(_aleppo(real), 3, v3)]
        enroll_device(data_dir, server, via=mitm.url)
        out = io.StringIO()
        args = argparse.Namespace(data_dir=str(data_dir), quiet=True, batch_size=None, read_timeout=30.0,
                                  no_pull=False)
        with redirect_stdout(out):
            cli_sync.sync(args)
    refused = ("campaign aleppo version 3: REFUSED - it would protect signers less than the campaign's previous "
               "version, and the server did not sign it")
    assert refused in out.getvalue()
    assert "campaign vigil version 1: installed" in out.getvalue()
    # status says it too, later, without the panel: from the audit log
    out = io.StringIO()
    with redirect_stdout(out):
        cli_sync.status(argparse.Namespace(data_dir=str(data_dir)))
    assert refused in out.getvalue().splitlines()
    assert "vigil" not in out.getvalue()


def test_an_unreadable_entry_before_a_good_one(server: SyncServer, data_dir: Path, engine: Engine) -> None:
    with MitmProxy(server.url) as mitm:
        mitm.extra_entries = lambda real: [{"slug": "../escape", "version": "two"}, "not even an object"]
        enroll_device(data_dir, server, via=mitm.url)
        report = _sync(data_dir, engine)
    assert report.campaigns_installed == [("vigil", 1)]
    assert [r[2] for r in report.campaigns_refused] == [bundles.UNREADABLE, bundles.UNREADABLE]


def test_a_version_installed_before_listings_were_signed_is_quarantined(
        server: SyncServer, data_dir: Path, engine: Engine, tmp_path: Path) -> None:
    """What the attack left behind on a device: aleppo v2 with the attacker's key, pulled before this
    version of the app, is newest and so in use. The next pull from the real server quarantines it."""
    import zipfile

    planted = data_dir / PULLED_BUNDLES_DIR / "aleppo" / "v2"
    planted.mkdir(parents=True)
    with zipfile.ZipFile(io.BytesIO(_attacker_bundle(tmp_path, 2, _attacker_key_sealing()))) as zf:
        zf.extractall(planted)
    with write_session(engine) as session:
        campaigns.register(campaigns.load_bundle(planted, source="server"), session=session)
        session.commit()
    old = save(engine, shown=campaigns.load_bundle(planted, source="server").localised("en"), given_name="Old", postal_code=None, country=None)
    assert installed_bundle_dirs(data_dir)["aleppo"] == planted

    enroll_device(data_dir, server)
    report = _sync(data_dir, engine)

    assert report.campaigns_quarantined == [("aleppo", 2, bundles.NOT_PUBLISHED)]
    assert (planted / QUARANTINE_FILE).exists()
    assert installed_bundle_dirs(data_dir)["aleppo"].name == "aleppo"  # the built-in version again
    # The server's own pulled version was re-checked and found as published: it stays in use.
    assert (data_dir / PULLED_BUNDLES_DIR / "vigil" / "v1" / bundles.VERIFIED_FILE).exists()
    with Session(engine) as session:
        kept = session.get(__import__("db.models", fromlist=["Signature"]).Signature, old.id)
        notices = campaign_notices(session=session)
    assert kept is not None  # its signature is kept (and was offered to the server like any other)
    assert [(n.slug, n.version, n.quarantined, n.reason) for n in notices] == [
        ("aleppo", 2, True, bundles.NOT_PUBLISHED)]
    assert json.dumps(report.campaigns_quarantined)  # plain values, for the CLI and the panel
    assert _sync(data_dir, engine).campaigns_quarantined == []  # said once
    from desktop import cli_sync

    out = io.StringIO()
    with redirect_stdout(out):
        cli_sync.status(argparse.Namespace(data_dir=str(data_dir)))  # but status lists it every time
    assert ("campaign aleppo version 2: QUARANTINED (no new signatures on it; those made on it are kept and sent) "
            "- the server does not publish it (someone between this device and the server may have added it)"
            ) in out.getvalue().splitlines()


def test_a_pulled_version_that_differs_from_the_signed_one_is_quarantined(
        server: SyncServer, data_dir: Path, engine: Engine) -> None:
    enroll_device(data_dir, server)
    assert _sync(data_dir, engine).campaigns_installed == [("vigil", 1)]
    folder = data_dir / PULLED_BUNDLES_DIR / "vigil" / "v1"
    (folder / bundles.VERIFIED_FILE).unlink()  # as pulled by an older app
    shutil.copyfile(folder / "en.toml", folder / "en.toml.bak")
    report = _sync(data_dir, engine)
    assert report.campaigns_quarantined == [("vigil", 1, bundles.BUNDLE_MISMATCH)]
    assert "vigil" not in installed_bundle_dirs(data_dir)


def test_a_signed_bundle_file_installs_as_if_pulled(server: SyncServer, data_dir: Path, engine: Engine,
                                                    tmp_path: Path, capsys: Any) -> None:
    """``petition-server export-bundle`` on a USB stick: a device enrolled with that server installs it
    with its sealing key; altered, or for a device enrolled elsewhere, it is refused."""
    from db.bundle_import import import_bundle
    from server.cli import main
    from utils.sync_env import sync_server

    target = tmp_path / "vigil.bundle"
    server_dir = Path(str(server.engine.url.database)).parent  # its key file opens the server's keys
    assert main(["export-bundle", "vigil", "1", "--out", str(target), "--database-url", str(server.engine.url),
                 "--data-dir", str(server_dir)]) == 0
    assert "signed by this server" in capsys.readouterr().out
    with pytest.raises(campaigns.BundleError, match="not enrolled"):
        import_bundle(data_dir, target, engine=engine)
    enroll_device(data_dir, server)

    altered = tmp_path / "altered.bundle"
    data = bytearray(target.read_bytes())
    data[-30] ^= 1
    altered.write_bytes(bytes(data))
    with pytest.raises(campaigns.BundleError, match="not the one its signature names"):
        import_bundle(data_dir, altered, engine=engine)

    campaign, new = import_bundle(data_dir, target, engine=engine)
    assert new and campaign.source == "server" and campaign.sealing_mode == "required"
    assert campaign.path == data_dir / PULLED_BUNDLES_DIR / "vigil" / "v1"
    assert (campaign.path / bundles.VERIFIED_FILE).exists() and (campaign.path / campaigns.SEALING_FILE).exists()
    assert import_bundle(data_dir, target, engine=engine)[1] is False  # the same file again: nothing new
    assert _sync(data_dir, engine).campaigns_installed == []  # the pull finds it installed, as published

    other_dir = tmp_path / "other-device"
    with sync_server(tmp_path / "other-server") as other:
        from db.migrate import open_database

        other_engine = open_database(other_dir)
        try:
            enroll_device(other_dir, other)
            with pytest.raises(campaigns.BundleError, match="not signed by the server this device is enrolled"):
                import_bundle(other_dir, target, engine=other_engine)
        finally:
            other_engine.dispose()


def test_an_unsigned_bundle_may_carry_its_servers_key_but_never_a_slug_the_server_publishes(
        server: SyncServer, data_dir: Path, engine: Engine, tmp_path: Path) -> None:
    """A bundle downloaded from the server and copied by hand (unsigned) keeps its sealing.toml when the
    key in it is the server's; a slug the server lists is never taken by a file, even one this device
    refused; the panel marks an imported version as not verified."""
    import zipfile

    from db.bundle_import import import_bundle
    from db.panel import installed_versions

    with MitmProxy(server.url) as mitm:  # the pull refuses vigil (altered in transit) but learns the list
        enroll_device(data_dir, server, via=mitm.url)
        mitm.extra_bundles = {("vigil", 1): b"not the bundle the server signed"}
        assert _sync(data_dir, engine).campaigns_refused == [("vigil", 1, bundles.BUNDLE_MISMATCH)]
    assert "vigil" not in installed_bundle_dirs(data_dir)
    assert bundles.listed_slugs(data_dir) == {"aleppo", "act-on-syria", "vigil"}
    with pytest.raises(campaigns.BundleError, match="slug of its own"):
        import_bundle(data_dir, make_bundle(tmp_path / "v", slug="vigil", version=5), engine=engine)

    # "rally", published by the server after that pull, downloaded as a zip and carried by hand.
    with write_session(server.engine) as session:
        published = server_campaigns.publish(make_bundle(tmp_path / "p", slug="rally", title="Rally"), session=session)
        session.commit()
        zipped, _digest = server_campaigns.bundle("rally", 1, session=session)  # type: ignore[misc]
    assert published.created
    (tmp_path / "rally.zip").write_bytes(zipped)
    campaign, new = import_bundle(data_dir, tmp_path / "rally.zip", engine=engine)
    assert new and campaign.source == "import" and campaign.sealing_mode == "required"
    assert (campaign.path / campaigns.SEALING_FILE).exists()  # the server's key travelled with it

    # The same with another key in its sealing.toml is refused.
    foreign = tmp_path / "foreign"
    with zipfile.ZipFile(io.BytesIO(zipped)) as zf:
        zf.extractall(foreign)
    (foreign / campaigns.SEALING_FILE).write_text(_attacker_key_sealing(), encoding="utf-8")
    (foreign / "campaign.toml").write_text((foreign / "campaign.toml").read_text(encoding="utf-8").replace(
        'slug = "rally"', 'slug = "rally-two"'), encoding="utf-8")
    with pytest.raises(campaigns.BundleError, match="its own key"):
        import_bundle(data_dir, foreign, engine=engine)
    with Session(engine) as session:
        imported = [(v.slug, v.source) for v in installed_versions(session=session) if v.source == "import"]
    assert imported == [("rally", "import")]
