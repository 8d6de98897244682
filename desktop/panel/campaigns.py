"""The panel's campaigns: which one the device collects for and in which language it starts, paper
sheets of it, importing a bundle, how it protects its signers here (sealing), and the installed
versions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QFormLayout, QHBoxLayout, QHeaderView
from sqlmodel import Session

from db import panel as queries
from desktop.i18n import LANGUAGES
from desktop.panel.models import VersionsModel
from desktop.panel.section import Section, set_captions, table
from desktop.widgets import button, label, styled


class CampaignsSection(Section):
    name = "campaigns"

    def build(self) -> None:
        column = self.column
        self.campaign_choice = QComboBox()
        self.language_choice = QComboBox()
        for code, name in LANGUAGES.items():
            self.language_choice.addItem(name, code)
        self.form = QFormLayout()
        self.form.addRow("", self.campaign_choice)
        self.form.addRow("", self.language_choice)
        self.save_button = button(role="panel-primary")
        self.save_button.clicked.connect(self.save_campaign)
        self.message = label(role="muted")
        self.sheets_button = button()  # the active campaign on paper, for when the battery dies (desktop/sheets.py)
        self.sheets_button.clicked.connect(self.print_sheets)
        self.import_button = button()  # a bundle from a folder or a zip file (db/bundle_import.py)
        self.import_button.clicked.connect(self.choose_import)
        self.sealing_state = label()  # how the active campaign protects its signers on this device
        self.versions_title = label(role="field-label")
        self.versions_model = VersionsModel()
        self.versions_view = table(self.versions_model)
        self.versions_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.versions_view.horizontalHeader().setStretchLastSection(False)
        self.versions_view.horizontalHeader().setSectionResizeMode(VersionsModel.TITLE, QHeaderView.ResizeMode.Stretch)
        self.versions_view.setWordWrap(True)
        self.versions_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.versions_warning = label(role="warning")  # a version the server publishes with other texts
        self.versions_warning.hide()
        column.addLayout(self.form)
        column.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignLeading)
        column.addWidget(self.message)
        more = QHBoxLayout()
        more.addWidget(self.sheets_button)
        more.addWidget(self.import_button)
        more.addStretch(1)
        column.addLayout(more)
        column.addWidget(self.sealing_state)
        column.addWidget(self.versions_title)
        column.addWidget(self.versions_warning)
        column.addWidget(self.versions_view, 1)

    def title(self) -> str:
        return self.tr("Campaigns")

    def retranslate(self) -> None:
        self.sheets_button.setText(self.tr("Print paper sheets…"))
        self.import_button.setText(self.tr("Import a campaign…"))
        self.versions_view.setAccessibleName(self.tr("Installed campaign versions"))
        set_captions(self.form, (self.tr("Active campaign"), self.tr("Default language")))
        self.save_button.setText(self.tr("Save"))
        self.versions_title.setText(self.tr("Installed campaign versions"))
        self.versions_model.retranslate()

    def fill(self) -> None:
        settings = self.settings()
        self.campaign_choice.clear()
        for slug, title in self.titles().items():
            self.campaign_choice.addItem(title, slug)
        self.campaign_choice.setCurrentIndex(max(0, self.campaign_choice.findData(self.ctx.campaign_slug)))
        self.language_choice.setCurrentIndex(max(0, self.language_choice.findData(settings.default_locale)))
        with Session(self.ctx.engine) as session:
            versions = queries.installed_versions(session=session)
            notices = queries.campaign_notices(session=session)
        running = {(slug, c.version): c.localised(self.ctx.locale).texts.title for slug, c in self.ctx.campaigns.items()}
        self.versions_model.set_versions(versions, running)
        title_of = {slug: t for (slug, _), t in running.items()}
        lines = [
            self.tr("%1, version %2: the server publishes other texts under this version number. This device "
                    "keeps its own, so every signature still records the text its signer saw. Ask the "
                    "campaign's organisers to publish their texts as a new version.")
            .replace("%1", running.get((v.slug, v.version), v.title)).replace("%2", QLocale().toString(v.version))
            for v in versions if v.differs_from_server]
        lines += [  # what the campaign pull refused or quarantined (db/sync/bundles.py)
            (self.tr("%1, version %2: set aside. The server this device is enrolled with does not vouch for it, "
                     "so no new signatures are taken on it (those made on it are kept and sent). Tell the "
                     "server's operator.") if n.quarantined else
             self.tr("%1, version %2: not installed. The server this device is enrolled with did not vouch for "
                     "it (someone on the network may have added it). Tell the server's operator."))
            .replace("%1", title_of.get(n.slug, n.slug)).replace("%2", QLocale().toString(n.version or 0))
            for n in notices]
        lines += [
            self.tr("%1, version %2: imported from a file and not verified by a server. Check its texts "
                    "before signers use it.")
            .replace("%1", running.get((v.slug, v.version), v.title)).replace("%2", QLocale().toString(v.version))
            for v in versions if v.source == "import"]
        self.versions_warning.setText("\n".join(lines))
        self.versions_warning.setVisible(bool(self.versions_warning.text()))
        self._show_sealing()

    def _show_sealing(self) -> None:
        """Sealed mode (db/sealing.py, SECURITY.md) for the active campaign, in the coordinator's words."""
        # on first use, not at the top: the screen opens without it
        from db import sealing

        campaign = self.ctx.campaign
        held, ever = sealing.device_key(self.ctx.engine)
        try:
            key = sealing.key_for(campaign, held, ever_held=ever)
        except sealing.SealingUnavailable:
            text, role = self.tr(
                "This campaign seals its signers' details and this device has no key for it: nobody can sign "
                "here. Enroll the device with the campaign's server (Settings): the key comes with the "
                "enrollment."), "warning"
        else:
            if key is not None:
                text, role = self.tr(
                    "Sealed: signers' details are encrypted for the server (key %1) as they are saved; this device "
                    "cannot read them back.").replace("%1", key.key_id), "muted"
            elif campaign.sealing_mode == "off":
                text, role = self.tr(
                    "Not sealed: this campaign keeps signers' details readable on this device until they are sent "
                    "and purged."), "warning"
            else:
                text, role = self.tr(
                    "Not sealed yet: signers' details stay readable on this device until it is enrolled with a "
                    "server. Enroll it before the event (Settings)."), "warning"
        if self.sealing_state.property("role") != role:
            styled(self.sealing_state, role)
            self.sealing_state.setStyleSheet(f"/* {role} */")  # restyled whole: padding and border too
        self.sealing_state.setText(text)

    def save_campaign(self) -> None:
        slug = self.campaign_choice.currentData()
        locale = self.language_choice.currentData()
        queries.save_settings(engine=self.ctx.engine, active_campaign=slug, default_locale=locale)
        self.message.setText(self.tr("Saved."))
        self.settings_changed.emit()

    def print_sheets(self) -> None:
        # on first use, not at the top: the screen opens without it
        from desktop.sheets import PrintSheetsDialog

        self.sheets_dialog = PrintSheetsDialog(self.ctx.campaign, self.ctx.locale, self)
        self.sheets_dialog.open()

    # -- importing a bundle (desktop/campaign_import.py) ----------------------------------------

    def choose_import(self) -> None:
        # on first use, not at the top: the screen opens without it
        from desktop import campaign_import

        path = campaign_import.choose_bundle(self)
        if path is not None:
            self.import_campaign(path)

    def import_campaign(self, path: Path) -> None:
        """Check and install a campaign bundle (off the GUI thread); it can then be chosen above."""
        # on first use, not at the top: the screen opens without it
        from desktop import campaign_import

        self.import_button.setEnabled(False)
        self.message.setText(campaign_import.checking_words())
        campaign_import.start_import(self.ctx, path, self._imported, self._import_failed, owner=self)

    def _imported(self, campaign: Any, new: bool) -> None:
        self.import_button.setEnabled(True)
        self.host.refresh()
        self.campaign_choice.setCurrentIndex(max(0, self.campaign_choice.findData(campaign.slug)))
        title = campaign.localised(self.ctx.locale).texts.title
        self.message.setText(
            (self.tr("Imported: %1. Choose it above and save to collect for it.") if new
             else self.tr("Already imported: %1.")).replace("%1", title))

    def _import_failed(self, words: str) -> None:
        self.import_button.setEnabled(True)
        self.message.setText(words)
