"""A campaign version imported from a file before the server published its own under the same number
(db/sync/bundles.py): the device keeps what it signed on and says, once, that the server's differs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from db import audit
from db.bundle_import import import_bundle
from db.campaigns import DIFFERS
from db.migrate import open_database
from db.models import CampaignVersion
from db.panel import installed_versions
from db.sync import runner
from db.sync.bundles import differing_locales
from server import campaigns as server_campaigns
from server.database import write_session
from utils.bundles import make_bundle
from utils.sync_env import SyncServer, enroll_device, sync_server

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncServer]:
    with sync_server(tmp_path_factory.mktemp("server")) as running:
        published = make_bundle(tmp_path_factory.mktemp("published"), slug="vigil", title="Vigil for the detained")
        with write_session(running.engine) as session:
            server_campaigns.publish(published, session=session)
            session.commit()
        yield running


def _sync(data_dir: Path, engine) -> None:  # type: ignore[no-untyped-def]
    syncer = runner.Syncer(data_dir, engine, pull_every_s=0)
    try:
        assert syncer.run().done
    finally:
        syncer.close()


def test_a_version_imported_with_other_texts_is_kept_and_flagged_once(server: SyncServer, tmp_path: Path) -> None:
    data_dir = tmp_path / "device"
    engine = open_database(data_dir)
    try:
        local, _new = import_bundle(data_dir, make_bundle(tmp_path, slug="vigil", title="Vigil, as printed here"),
                                    engine=engine)
        enroll_device(data_dir, server)
        _sync(data_dir, engine)
        _sync(data_dir, engine)  # a second pull says nothing new
        with Session(engine) as session:
            row = session.exec(select(CampaignVersion).where(CampaignVersion.slug == "vigil")).one()
            entries = audit.recent(session=session, kind=DIFFERS)
            versions = {(v.slug, v.version): v for v in installed_versions(session=session)}
        # What signers saw stays what the device signs on.
        assert (row.source, row.locale_hashes) == ("import", local.locale_hashes())
        assert [e.detail for e in entries] == [{"slug": "vigil", "version": 1, "locales": "en"}]
        # The server's other campaigns came with the same texts as its listing: nothing said of them.
        assert {key for key, v in versions.items() if v.source == "server"} == {("aleppo", 1), ("act-on-syria", 1)}
        assert [key for key, v in versions.items() if v.differs_from_server] == [("vigil", 1)]
    finally:
        engine.dispose()


def test_the_built_in_campaigns_and_an_identical_import_are_no_difference(server: SyncServer, data_dir: Path,
                                                                          engine) -> None:  # type: ignore[no-untyped-def]
    """The server publishes the built-in campaigns unchanged (sealed to its key): a device holding them
    built in, and a bundle imported with the server's very texts, have nothing to be told."""
    import_bundle(data_dir, make_bundle(data_dir.parent, slug="vigil", title="Vigil for the detained"), engine=engine)
    enroll_device(data_dir, server)
    _sync(data_dir, engine)
    with Session(engine) as session:
        assert audit.recent(session=session, kind=DIFFERS) == []
        versions = installed_versions(session=session)
    assert {(v.slug, v.source) for v in versions} == {("act-on-syria", "builtin"), ("aleppo", "builtin"),
                                                      ("vigil", "import")}
    assert not any(v.differs_from_server for v in versions)


def test_which_languages_differ() -> None:
    one = {"en": {"letter": "a", "consent": "b", "reviewed": True}, "ar": {"letter": "c", "consent": "d"}}
    assert differing_locales(one, one) == []
    assert differing_locales(one, {**one, "en": {"letter": "a", "consent": "b", "reviewed": False}}) == []
    assert differing_locales(one, {**one, "ar": {"letter": "c", "consent": "x"}}) == ["ar"]
    assert differing_locales(one, {"en": one["en"]}) == ["ar"]
    assert differing_locales({}, {"de": {"letter": "e", "consent": "f"}}) == ["de"]
