"""The Sign button's save path against the cheapest durable write of the same row.

Each sample of the app is one ``db.signatures.save_signature`` call (validation, sequence number,
content hash, insert, durable commit), exactly what the Sign button runs. Each baseline sample is
one plain ``sqlite3`` INSERT + COMMIT of a row the app has just written (read back, untimed, so the
columns and values are the same) into a separate fresh database with the same schema and the same
settings (WAL, synchronous=FULL). The two alternate sample by sample, the order flipping each time,
so that disk and CPU noise hit both alike.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from time import perf_counter

from bench.core import Figure, median, percentile

NAME = "save"
DESCRIPTION = "Sign-button save (db.signatures.save_signature) vs plain sqlite3 INSERT+COMMIT of the same row"

WARMUP = 5

# Signers whose names exercise the normalisation the real form sees (accents, Arabic, one name only).
SIGNERS = [
    ("Amira", "Haddad"), ("Jonas", "Müller"), ("سارة", "الخطيب"), ("Zoë", "Okafor"),
    ("Mehmet", "Yılmaz"), ("Léa", None), (None, "Nguyen"), ("Rami", "Al-Hassan"),
]
SAMPLE_VALUES = {
    "phone": "+49 30 12345678", "postal_code": "10115", "city": "Berlin", "country": "DE",
    "comment": "Protect civilians now.",
}


def _fields(i: int, form_fields: Sequence[str]) -> dict[str, str | None]:
    given, family = SIGNERS[i % len(SIGNERS)]
    values: dict[str, str | None] = {
        **SAMPLE_VALUES,
        "given_name": given,
        "family_name": family,
        "email": f"signer{i}@example.org",
    }
    return {name: values.get(name) for name in form_fields}


def _plain_connection(db_file: Path) -> sqlite3.Connection:
    """The same file settings as db.engine: WAL, synchronous=FULL, foreign keys on."""
    con = sqlite3.connect(db_file, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("PRAGMA foreign_keys=ON")
    return con


def _filesystem(path: Path) -> str:
    """The file system type holding ``path`` (Linux only; on tmpfs an fsync costs nothing)."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return "unknown file system"
    best, kind = "", "unknown file system"
    resolved = str(path.resolve())
    for line in mounts:
        parts = line.split()
        if len(parts) >= 3 and resolved.startswith(parts[1]) and len(parts[1]) > len(best):
            best, kind = parts[1], parts[2]
    return kind


def run(quick: bool) -> list[Figure]:
    from db.campaigns import load_builtin, register
    from db.engine import write_session
    from db.migrate import open_database
    from db.paths import database_path
    from db.signatures import SignatureDraft, save_signature

    samples = 200 if quick else 1000
    with tempfile.TemporaryDirectory(prefix="petition-bench-save-") as tmp:
        engine = open_database(Path(tmp) / "app")
        campaigns = load_builtin()
        with write_session(engine) as session:
            for campaign in campaigns:
                register(campaign, session=session)
            session.commit()
        shown = campaigns[0].localised("en")
        form_fields = [f.name for f in shown.campaign.manifest.form.fields]

        base_engine = open_database(Path(tmp) / "baseline")  # the same schema, created the same way
        base_engine.dispose()
        base = _plain_connection(database_path(Path(tmp) / "baseline"))
        reader = sqlite3.connect(database_path(Path(tmp) / "app"))
        columns = [row[1] for row in reader.execute("PRAGMA table_info(signature)")]
        select_row = f"SELECT {', '.join(columns)} FROM signature WHERE id = ?"
        insert_row = f"INSERT INTO signature ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"

        def app_save(i: int) -> float:
            draft = SignatureDraft(
                fields=_fields(i, form_fields), consent_processing=True, consent_updates=i % 3 == 0
            )
            start = perf_counter()
            saved = save_signature(draft, engine=engine, shown=shown)
            elapsed = perf_counter() - start
            # fetchall() runs the statement to its end, so no read snapshot stays open on the app's WAL.
            rows.append(reader.execute(select_row, (saved.id,)).fetchall()[0])
            return elapsed

        def plain_insert() -> float:
            row = rows.popleft()
            start = perf_counter()
            base.execute("BEGIN IMMEDIATE")
            base.execute(insert_row, row)
            base.execute("COMMIT")
            return perf_counter() - start

        # Rows the app wrote and the baseline has yet to write; one spare lets the order flip.
        rows: deque[tuple[object, ...]] = deque()
        for i in range(WARMUP):
            app_save(-1 - i)
        for _ in range(WARMUP - 1):
            plain_insert()

        app_s: list[float] = []
        base_s: list[float] = []
        for i in range(samples):
            if i % 2 == 0:
                app_s.append(app_save(i))
                base_s.append(plain_insert())
            else:
                base_s.append(plain_insert())
                app_s.append(app_save(i))

        reader.close()
        base.close()
        engine.dispose()
        where = _filesystem(Path(tmp))

    app_ms = [t * 1000 for t in app_s]
    base_ms = [t * 1000 for t in base_s]
    baseline_name = "plain sqlite3 INSERT+COMMIT of the same row, same schema, WAL, synchronous=FULL"
    note = f"{samples} saves each, alternating; campaign {shown.campaign.slug}; databases on {where}"
    if where == "tmpfs":
        note += " (fsync is free there, so the ratio shows the Python overhead alone)"
    return [
        Figure("save.median", median(app_ms), "ms", median(base_ms), baseline_name, "ratio <= 2", note),
        Figure("save.p99", percentile(app_ms, 99), "ms", percentile(base_ms, 99), baseline_name, "< 25 ms"),
        Figure("save.max", max(app_ms), "ms", max(base_ms), baseline_name),
    ]
