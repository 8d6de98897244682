"""What the running app knows: its data directory, database, campaigns and settings. Qt-free."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from db import campaigns as campaign_store
from db import settings as settings_store
from db import signatures
from db.campaigns import Campaign, LocalisedCampaign
from db.migrate import open_database
from db.paths import default_data_dir
from db.settings import Settings


@dataclass
class AppContext:
    data_dir: Path
    engine: Engine
    campaigns: dict[str, Campaign]
    settings: Settings
    locale: str
    campaign_slug: str
    chosen: bool = field(default=False)  # a campaign was chosen explicitly (settings or --campaign)

    @property
    def campaign(self) -> Campaign:
        return self.campaigns[self.campaign_slug]

    @property
    def shown(self) -> LocalisedCampaign:
        return self.campaign.localised(self.locale)

    def count(self) -> int:
        with Session(self.engine) as session:
            return signatures.count_for_campaign(self.campaign_slug, session=session)


def open_context(
    data_dir: Path | None = None, *, locale: str | None = None, campaign: str | None = None,
    overrides: dict[str, Any] | None = None,
) -> AppContext:
    """Open (and migrate) the database, install the built-in campaigns, read settings."""
    data_dir = Path(data_dir) if data_dir else default_data_dir()
    engine = open_database(data_dir)
    loaded = campaign_store.load_builtin()
    with Session(engine) as session:
        for c in loaded:
            campaign_store.register(c, session=session)
        session.commit()
        settings = settings_store.effective(session=session, overrides=overrides)
    by_slug = {c.slug: c for c in loaded}
    slug = campaign or settings.active_campaign
    chosen = slug in by_slug
    if not chosen:
        if campaign:
            raise KeyError(f"no campaign {campaign!r}; installed: {', '.join(by_slug)}")
        slug = next(iter(by_slug))
    assert slug is not None
    return AppContext(
        data_dir=data_dir, engine=engine, campaigns=by_slug, settings=settings,
        locale=locale or settings.default_locale, campaign_slug=slug, chosen=chosen or len(by_slug) == 1,
    )
