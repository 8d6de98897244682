"""Assisted entry: a volunteer types the signatures of people waiting in a queue.

Opened from the coordinator's panel (behind the PIN), because the screen shows the last entries, with
names. The person in front of the volunteer hears or reads the consent text; the volunteer ticks the
box for them once they agree. Signatures saved here carry ``mode = assisted`` and the active event.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from db.campaigns import LocalisedCampaign
from db.schemas import Mode
from db.signatures import SignatureDraft
from desktop.pages.entry import EntryPage


class AssistedPage(EntryPage):
    with_consent = True

    def __init__(self, ctx: Any, languages: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(ctx, languages, parent)
        self.retranslate()

    def retranslate(self) -> None:
        self.intro.setText(self.tr(
            "Type what each person tells you and tick the consent box once they agree. Enter saves and "
            "starts the next person; Shift+Tab from the first field reaches Undo."))
        super().retranslate()

    def heading(self, shown: LocalisedCampaign) -> str:
        return self.tr("Typing for signers: %1").replace("%1", shown.texts.title)

    def save(self) -> None:
        self.clear_messages()
        values = self.form.values()
        draft = SignatureDraft(
            fields=values,
            consent_processing=self.form.consent_given(),
            consent_updates=self.form.updates_ticked(),
            partners=self.form.partners_ticked(),
            mode=Mode.ASSISTED,
            event_id=self.ctx.settings.active_event_id,
        )
        saved = self.save_draft(draft)
        if saved is not None:
            self.entered(saved, values)
