"""Start-up and the letter page's count with a million signatures, against an empty database.

Both data directories are made the same way (``open_database``, the built-in campaigns registered)
and the app is started on the same campaign in both; the large one then gets its rows by plain
``sqlite3`` executemany in one transaction (the count trigger keeps ``signature_count`` right).
Start-ups alternate between the two, and the count is timed in alternating blocks, each call in its
own short session as the letter page does it. The generated database lives in a temporary directory
for this run only."""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from time import perf_counter
from typing import Any

from bench.core import Figure, median
from bench.spawn import alternate, app_command

NAME = "large-db"
DESCRIPTION = "start-up and letter-page count with 1,000,000 signatures vs an empty database"

# Every column of the signature table that generate() fills, in its row order.
COLUMNS = (
    "id", "seq", "campaign_slug", "campaign_version", "letter_sha256", "locale", "event_id", "mode",
    "paper_sheet", "given_name", "family_name", "email", "phone", "postal_code", "city", "country",
    "comment", "consent_processing", "consent_updates", "consent_text_sha256", "consent_locale",
    "consent_given_at", "utc_offset_minutes", "created_at", "voids", "content_hash", "sync_state",
    "sync_reason", "acked_at",
)
GIVEN = ("Amira", "Jonas", "Sara", "Zoë", "Mehmet", "Léa", "Rami", "Hana", "Omar", "Marie")
FAMILY = ("Haddad", "Müller", "Khatib", "Okafor", "Yılmaz", "Nguyen", "Al-Hassan", "Schmidt", "Dubois", "Ali")
COUNT_BLOCK = 100


def prepare(data_dir: Path) -> tuple[str, Any]:
    """A data directory at the newest schema with the built-in campaigns registered; returns the
    first one's slug and that campaign shown in English."""
    from db.campaigns import load_builtin, register
    from db.engine import write_session
    from db.migrate import open_database

    engine = open_database(data_dir)
    campaigns = load_builtin()
    with write_session(engine) as session:
        for campaign in campaigns:
            register(campaign, session=session)
        session.commit()
    engine.dispose()
    return campaigns[0].slug, campaigns[0].localised("en")


def generate(db_file: Path, rows: int, shown: Any) -> None:
    """``rows`` valid-looking signatures for ``shown``'s campaign, in one transaction."""
    con = sqlite3.connect(db_file, isolation_level=None)
    try:
        table = {r[1]: r for r in con.execute("PRAGMA table_info(signature)")}
        unfilled = sorted(name for name, r in table.items() if r[3] and r[4] is None and name not in COLUMNS)
        if unfilled:
            raise RuntimeError(f"signature has NOT NULL columns bench_large_db does not fill: {', '.join(unfilled)}")
        # Our own throw-away file: no journal and no fsync while filling it (WAL again afterwards),
        # which halves the time; the count trigger still fires for every row.
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        con.execute("PRAGMA cache_size=-200000")
        slug, version = shown.campaign.slug, shown.campaign.version
        letter, consent, locale = shown.letter_sha256, shown.consent_sha256, shown.locale
        start = datetime(2025, 3, 1, 9, 0, 0)
        acked_below = rows - rows // 20  # most of a big device's signatures have been synced

        def row(i: int) -> tuple[Any, ...]:
            at = (start + timedelta(seconds=7 * i)).isoformat(sep=" ", timespec="microseconds")
            given, family = GIVEN[i % 10], FAMILY[(i // 10) % 10]
            acked = i < acked_below
            return (
                # UUIDv7-shaped and increasing like the app's ids, so the primary key grows in order.
                f"{0x01955000 + (i >> 16):08x}-{i & 0xFFFF:04x}-7000-8000-{i:012x}",
                i + 1, slug, version, letter, locale, None, "kiosk",
                None, given, family, f"{given.lower()}.{i}@example.org", None, f"{10115 + i % 2000}", None, "DE",
                None, 1, i % 3 == 0, consent, locale,
                at, 60, at, None, f"{i:064x}", "acked" if acked else "pending",
                None, at if acked else None,
            )

        insert = f"INSERT INTO signature ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
        con.execute("BEGIN")
        con.executemany(insert, (row(i) for i in range(rows)))
        con.execute("COMMIT")
        mode = con.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if mode != "wal":
            raise RuntimeError(f"could not put the generated database back into WAL mode ({mode})")
    finally:
        con.close()


def time_counts(engines: dict[str, Any], slug: str, calls: int) -> dict[str, list[float]]:
    """Seconds per ``count_for_campaign`` call, each in a new short session, in alternating blocks."""
    from db.engine import read_session
    from db.signatures import count_for_campaign

    times: dict[str, list[float]] = {name: [] for name in engines}
    names = list(engines)
    for block in range(-1, calls // COUNT_BLOCK):  # block -1 warms up and is not kept
        shift = block % len(names)
        for name in names[shift:] + names[:shift]:
            engine = engines[name]
            for _ in range(COUNT_BLOCK):
                start = perf_counter()
                with read_session(engine) as session:
                    count_for_campaign(slug, session=session)
                elapsed = perf_counter() - start
                if block >= 0:
                    times[name].append(elapsed)
    return times


def run(quick: bool) -> list[Figure]:
    from db.engine import make_engine, read_session
    from db.paths import database_path
    from db.signatures import count_for_campaign

    rows = 20_000 if quick else 1_000_000
    rounds = 3 if quick else 10
    calls = 2_000 if quick else 20_000
    with tempfile.TemporaryDirectory(prefix="petition-bench-large-db-") as tmp:
        dirs = {"empty": Path(tmp) / "empty", "large": Path(tmp) / "large"}
        slug, shown = prepare(dirs["empty"])
        prepare(dirs["large"])
        started = perf_counter()
        generate(database_path(dirs["large"]), rows, shown)
        generation_s = perf_counter() - started
        size_mb = database_path(dirs["large"]).stat().st_size / 1e6

        engines = {name: make_engine(database_path(d)) for name, d in dirs.items()}
        try:
            with read_session(engines["large"]) as session:
                found = count_for_campaign(slug, session=session)
            if found != rows:
                raise RuntimeError(f"the large database counts {found} signatures for {slug}, expected {rows}")
            counts = time_counts(engines, slug, calls)
        finally:
            for engine in engines.values():
                engine.dispose()

        starts = alternate({name: app_command(d, slug) for name, d in dirs.items()}, rounds)

    start_ms = {name: [t * 1000 for t in ts] for name, ts in starts.items()}
    count_us = {name: [t * 1e6 for t in ts] for name, ts in counts.items()}
    setup = f"{rows:,} signatures for {slug} ({size_mb:.0f} MB), generated in {generation_s:.1f} s"
    return [
        Figure(
            name="large-db.startup.median",
            value=median(start_ms["large"]),
            unit="ms",
            baseline=median(start_ms["empty"]),
            baseline_name="the same app start on an empty database",
            goal="ratio <= 1.2",
            note=f"{setup}; {rounds} starts each, alternating, after one untimed start of each; "
                 f"large {min(start_ms['large']):.0f}-{max(start_ms['large']):.0f} ms, "
                 f"empty {min(start_ms['empty']):.0f}-{max(start_ms['empty']):.0f} ms",
        ),
        Figure(
            name="large-db.count.median",
            value=median(count_us["large"]),
            unit="us",
            baseline=median(count_us["empty"]),
            baseline_name="the same count on an empty database",
            goal="ratio <= 1.2",
            note=f"count_for_campaign in a new read session per call; {calls:,} calls each, "
                 f"in alternating blocks of {COUNT_BLOCK}",
        ),
    ]
