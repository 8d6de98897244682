"""The campaign pull's refusals and quarantines (db/sync/bundles.py, tests/sync/test_signed_listing.py)
reach the coordinator on the panel's campaigns page, named by the campaign's title."""

from __future__ import annotations

from db import audit
from db.engine import write_session
from db.sync.bundles import NOT_PUBLISHED, QUARANTINED, REFUSED, SIGNATURE_INVALID


def test_refused_and_quarantined_versions_are_shown(window):
    window.open_panel()
    panel = window.panel
    panel.show_section("campaigns")
    assert panel.campaigns.versions_warning.isHidden()
    with write_session(window.ctx.engine) as session:
        audit.record(REFUSED, session=session, slug="aleppo", version=2, reason=SIGNATURE_INVALID)
        audit.record(QUARANTINED, session=session, slug="aleppo", version=3, reason=NOT_PUBLISHED)
        session.commit()
    panel.refresh()
    assert panel.campaigns.versions_warning.isVisible()
    assert panel.campaigns.versions_warning.text().splitlines() == [
        "Outrage on Aleppo is No Longer Enough, version 2: not installed. The server this device is enrolled "
        "with did not vouch for it (someone on the network may have added it). Tell the server's operator.",
        "Outrage on Aleppo is No Longer Enough, version 3: set aside. The server this device is enrolled with "
        "does not vouch for it, so no new signatures are taken on it (those made on it are kept and sent). "
        "Tell the server's operator.",
    ]


def test_an_imported_version_is_marked_unverified(window, tmp_path):
    from db.bundle_import import import_bundle
    from utils.bundles import make_bundle

    import_bundle(window.ctx.data_dir, make_bundle(tmp_path, slug="vigil", title="Vigil for the detained"),
                  engine=window.ctx.engine)
    window.ctx.rescan_campaigns()
    window.open_panel()
    panel = window.panel
    panel.show_section("campaigns")
    panel.refresh()
    assert panel.campaigns.versions_warning.text() == (
        "Vigil for the detained, version 1: imported from a file and not verified by a server. Check its texts "
        "before signers use it.")
