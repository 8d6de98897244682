"""What the running app knows: its data directory, database, campaigns and settings. Qt-free.

Start-up paints the letter before the heavy layers load: importing SQLAlchemy, SQLModel, pydantic
and the campaign models costs more than starting Qt. So an ``AppContext`` opens with what plain
``sqlite3`` reads (schema revision, the two settings the paint needs, counts; ``db/quick.py``) and a
cached letter document (``desktop/letter_cache.py``). The validated settings, the campaign bundles and
the database engine load on first use, which the window asks for right after the first paint
(``warm_up``). A database that is new or needs a migration is opened fully before anything is painted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db import quick
from db.paths import bundle_source, database_path, default_data_dir, installed_bundle_dirs
from desktop import letter_cache

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from db.campaigns import Campaign, LocalisedCampaign
    from db.settings import Settings


@dataclass
class AppContext:
    data_dir: Path
    locale: str
    campaign_slug: str
    bundle_dirs: dict[str, Path]
    chosen: bool = False  # a campaign was chosen (settings, --campaign, or the only one installed)
    kiosk: bool = False   # --kiosk or the kiosk setting, read before the paint (db.quick.early_flag)
    stored_settings: dict[str, Any] | None = field(default=None, repr=False)
    overrides: dict[str, Any] | None = field(default=None, repr=False)
    _settings: Settings | None = field(default=None, repr=False)
    _campaigns: dict[str, Campaign] | None = field(default=None, repr=False)
    _engine: Engine | None = field(default=None, repr=False)

    @property
    def db_file(self) -> Path:
        return database_path(self.data_dir)

    @property
    def settings(self) -> Settings:
        """The validated settings (stored, then environment, then command line), built on first use."""
        if self._settings is None:
            # here, not at the top: the first paint goes without it
            from db import settings as settings_store

            self._settings = settings_store.resolve(
                settings_store.from_stored(self.stored_settings), overrides=self.overrides
            )
        return self._settings

    def reload_settings(self) -> None:
        """Settings were saved (the panel, crowd mode): read the stored layer again; overrides stay."""
        # here, not at the top: the first paint goes without it
        from sqlmodel import Session

        from db import settings as settings_store

        with Session(self.engine) as session:
            stored = settings_store.stored(session=session)
        self.stored_settings = stored.model_dump(mode="json")
        self._settings = None  # rebuilt on next use, with env and command-line overrides on top

    @property
    def campaign_count(self) -> int:
        return len(self.bundle_dirs)

    @property
    def campaigns(self) -> dict[str, Campaign]:
        if self._campaigns is None:
            # here, not at the top: the first paint goes without it
            from db.campaigns import load_builtin_bundle, load_bundle

            self._campaigns = {}
            for slug, path in self.bundle_dirs.items():
                source = bundle_source(path, self.data_dir)
                self._campaigns[slug] = (load_builtin_bundle(path) if source == "builtin"
                                         else load_bundle(path, source=source))
        return self._campaigns

    def rescan_campaigns(self) -> None:
        """Find the installed campaigns again (one was just imported or pulled)."""
        self.bundle_dirs = installed_bundle_dirs(self.data_dir)
        self._campaigns = None

    @property
    def engine(self) -> Engine:
        """The database engine, opened (and the installed campaigns recorded) on first use."""
        if self._engine is None:
            # here, not at the top: the first paint goes without it
            from db import campaigns as campaign_store
            from db import sealing
            from db.engine import write_session
            from db.migrate import open_database
            from db.sync import enrollment

            engine = open_database(self.data_dir)
            enrolled = enrollment.load(self.data_dir)
            with write_session(engine) as session:
                for campaign in self.campaigns.values():
                    campaign_store.register(campaign, session=session)
                if enrolled is not None:  # enrolled before this database existed (headless enroll)
                    sealing.remember_keys(enrolled.server_keys, server_url=enrolled.server_url, session=session)
                session.commit()
            self._engine = engine
        return self._engine

    @property
    def loaded(self) -> bool:
        return self._engine is not None and self._campaigns is not None

    def warm_up(self) -> None:
        """Load what the first paint did without: settings, the campaign layer, the database engine."""
        self.settings  # noqa: B018 (loads on access)
        self.engine  # noqa: B018

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()

    @property
    def campaign(self) -> Campaign:
        return self.campaigns[self.campaign_slug]

    @property
    def shown(self) -> LocalisedCampaign:
        return self.campaign.localised(self.locale)

    def count(self, slug: str | None = None) -> int:
        slug = slug or self.campaign_slug
        if self._engine is None:
            return quick.count_for_campaign(self.db_file, slug)
        # here, not at the top: the first paint goes without it
        from sqlmodel import Session

        from db import signatures

        with Session(self._engine) as session:
            return signatures.count_for_campaign(slug, session=session)

    def live_count(self, slug: str | None = None) -> int:
        """The attract screen's count: the server's last total plus this device's signatures it has
        not acknowledged (``db.signatures.live_count``), read with plain sqlite3 before warm-up."""
        slug = slug or self.campaign_slug
        if self._engine is None:
            return quick.live_count(self.db_file, slug)
        # here, not at the top: the first paint goes without it
        from sqlmodel import Session

        from db import signatures

        with Session(self._engine) as session:
            return signatures.live_count(slug, session=session)

    def letter(self) -> letter_cache.CachedLetter:
        """The letter page's document for the current campaign and language, from the cache when it
        is still fresh, otherwise built from the bundle (and cached)."""
        bundle_dir = self.bundle_dirs[self.campaign_slug]
        if self._campaigns is None:
            cached = letter_cache.load(self.data_dir, self.campaign_slug, self.locale, bundle_dir)
            if cached is not None:
                return cached
        # here, not at the top: the first paint goes without it
        from desktop.letter_html import letter_html

        shown = self.shown
        photo = shown.campaign.photo_path
        letter = letter_cache.CachedLetter(
            html=letter_html(shown), title=shown.texts.title, rtl=shown.rtl, tagline=shown.texts.tagline,
            photo=str(photo.resolve()) if photo is not None else "", goal=shown.campaign.manifest.goal,
        )
        letter_cache.store(self.data_dir, self.campaign_slug, self.locale, bundle_dir, letter)
        return letter


def open_context(
    data_dir: Path | None = None, *, locale: str | None = None, campaign: str | None = None,
    overrides: dict[str, Any] | None = None,
) -> AppContext:
    """Read what the first paint needs; create or migrate the database first when it must be."""
    data_dir = Path(data_dir) if data_dir else default_data_dir()
    state = quick.read_state(database_path(data_dir))
    engine = None
    if state is None:  # no database yet, or one that needs a migration: open it fully now
        # here, not at the top: the first paint goes without it
        from db.migrate import open_database

        engine = open_database(data_dir)
        state = quick.read_state(database_path(data_dir)) or quick.QuickState(settings=None, counts={})
    # The built-in campaigns, those imported on this device and those the enrolled server published
    # (pulled at sync); an imported or pulled version of a built-in campaign is a newer one.
    bundle_dirs = installed_bundle_dirs(data_dir)
    overrides = dict(overrides or {})
    slug = campaign or overrides.get("active_campaign") or quick.early_setting("active_campaign", state.settings)
    chosen = slug in bundle_dirs
    if not chosen:
        if campaign:
            raise KeyError(f"no campaign {campaign!r}; installed: {', '.join(bundle_dirs)}")
        slug = next(iter(bundle_dirs))
    assert slug is not None
    locale = locale or overrides.get("default_locale") or quick.early_setting("default_locale", state.settings)
    kiosk = overrides["kiosk"] if overrides.get("kiosk") is not None else quick.early_flag("kiosk", state.settings)
    ctx = AppContext(
        data_dir=data_dir, locale=locale or "en", campaign_slug=slug, bundle_dirs=bundle_dirs,
        chosen=chosen or len(bundle_dirs) == 1, kiosk=bool(kiosk), stored_settings=state.settings,
        overrides=overrides,
    )
    if engine is not None:
        engine.dispose()
        ctx.warm_up()  # already paid for: record the campaigns now
    return ctx


GOAL_STEPS = (1, 2, 5)


def next_goal(count: int, floor: int = 100) -> int:
    """The goal shown to signers: the next step of 100, 200, 500, 1k, 2k, 5k, 10k, ... above
    ``count``, never below the campaign's own ``floor``. Reaching a goal shows the next one."""
    magnitude = 100
    while True:
        for step in GOAL_STEPS:
            goal = step * magnitude
            if goal > count and goal >= floor:
                return goal
        magnitude *= 10
