"""The coordinator's panel says how the active campaign protects its signers on this device, and why a
CSV export holds sealed signatures without their names."""

from __future__ import annotations

from nacl.public import PrivateKey

from desktop.widgets import label
from utils.factories import save
from utils.sealing import give_key


def test_the_campaigns_page_says_whether_signers_are_sealed(window):
    window.open_panel()
    panel = window.panel
    panel.show_section("campaigns")
    assert panel.campaigns.sealing_state.text().startswith("Not sealed yet")
    assert panel.campaigns.sealing_state.property("role") == "warning"
    # Restyled whole when its role changed: the warning's padding too, as a label made a warning.
    fresh = label(panel.campaigns.sealing_state.text(), role="warning")
    panel.sections["campaigns"].layout().addWidget(fresh)
    fresh.ensurePolished()
    assert panel.campaigns.sealing_state.heightForWidth(500) == fresh.heightForWidth(500)
    assert panel.campaigns.sealing_state.contentsRect().left() > 1  # not only its border

    key = give_key(window.ctx.engine, PrivateKey.generate())
    panel.refresh()  # what opening the panel again does
    assert panel.campaigns.sealing_state.text().startswith("Sealed") and key.key_id in panel.campaigns.sealing_state.text()
    assert panel.campaigns.sealing_state.property("role") == "muted"


def test_the_export_says_why_sealed_rows_have_no_names(qtbot, window, tmp_path):
    ctx = window.ctx
    save(ctx.engine, given_name="In clear")
    give_key(ctx.engine, PrivateKey.generate())
    save(ctx.engine, given_name="Sealed one")
    save(ctx.engine, given_name="Sealed two")
    window.open_panel()
    panel = window.panel
    panel.show_section("settings")
    panel.settings.export_to(tmp_path / "export.csv")
    qtbot.waitUntil(lambda: getattr(panel.settings, "exported_report", None) is not None, timeout=10_000)
    assert (panel.settings.exported_report.rows, panel.settings.exported_report.sealed) == (3, 2)
    assert "3 signatures exported" in panel.settings.data_message.text()
    assert "2 of them are sealed" in panel.settings.data_message.text()
