"""The delivery package: ``server.delivery.deliver`` for 100,000 sealed signatures on SQLite.

A server database (SQLite) holds 100,000 signatures of act-on-syria, sealed as devices seal them, from
Arabic, German and English names in Germany and the United States (ZIP codes of several states);
one in ten is the same person signing again (the same email, other case). The figure is the whole
``deliver`` (opening every box, the duplicate rule, regions, the verification file, the PDF), in
seconds (goal: under 60 s on a two-core machine) and in pages per second; the baseline is writing the
same delivered rows (name, city, region, id, day) as a plain CSV file, in the same run.
"""

from __future__ import annotations

import csv
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from time import perf_counter
from typing import Any

from bench.core import Figure

NAME = "deliver"
DESCRIPTION = "delivery package (PDF + verification file) of 100,000 sealed signatures, against a plain CSV of the same rows"

FULL = 100_000
QUICK = 2_000
GOAL_S = 60.0

NAMES = [("رنا", "الحلبي"), ("Jürgen", "Weiß"), ("Emily", "Carter"), ("مريم", "يوسف"), ("Karl", "Müller"),
         ("Noah", "Smith"), ("عمر", "الخطيب"), ("Lena", "Schäfer"), ("Olivia", "Brown")]
PLACES = [("DE", "10115", "Berlin"), ("DE", "80331", "München"), ("US", "10001", "New York"),
          ("US", "94110", "San Francisco"), ("US", "60601", "Chicago"), ("DE", "20095", "Hamburg")]


def _store(engine: Any, device_id: str, key: Any, count: int) -> None:
    from sqlalchemy import insert

    from bench.sync_data import template
    from db.schemas import WIRE_FIELDS, content_hash
    from db.sealing import seal
    from server.database import write_session
    from server.models import StoredSignature

    base = template("act-on-syria")
    table = StoredSignature.__table__  # type: ignore[attr-defined]
    start = datetime(2026, 3, 1, 10, tzinfo=UTC)
    chunk = 5000
    for first in range(0, count, chunk):
        rows = []
        for n in range(first, min(count, first + chunk)):
            person = n - 1 if n % 10 == 0 and n else n  # one in ten signs again: the email of the one before
            given, family = NAMES[person % len(NAMES)]
            country, postal, city = PLACES[person % len(PLACES)]
            email = f"{'Signer' if n % 10 == 0 else 'signer'}.{person}@example.org"
            record = base.model_copy(update={
                "id": str(uuid.uuid4()), "seq": n + 1, "given_name": given, "family_name": f"{family} {person}",
                "email": email, "country": country, "postal_code": postal, "city": city,
                "created_at": start + timedelta(seconds=n * 20), "consent_given_at": start + timedelta(seconds=n * 20),
            })
            record = seal(record, key)
            row = {name: getattr(record, name) for name in WIRE_FIELDS}
            row.update(content_hash=content_hash(record), device_id=device_id, received_at=start + timedelta(seconds=n * 20 + 5),
                       clock_offset_ms=0)
            rows.append(row)
        with write_session(engine) as session:
            session.execute(insert(table), rows)
            session.commit()


def run(quick: bool) -> list[Figure]:
    from sqlmodel import Session

    from bench.sealed_data import PASSPHRASE, add_device, ensure_sealing_key
    from db.paths import builtin_bundle_dirs
    from server import campaigns, delivery, sealing
    from server.database import open_database, sqlite_url, write_session

    count = QUICK if quick else FULL
    with tempfile.TemporaryDirectory(prefix="bench-deliver-") as scratch:
        root = Path(scratch)
        engine = open_database(sqlite_url(root / "server"))
        try:
            with write_session(engine) as session:
                ensure_sealing_key(session)
                session.commit()
                key = sealing.active_public_key(session=session)
                for folder in builtin_bundle_dirs():
                    campaigns.publish(folder, session=session)
                session.commit()
            _store(engine, add_device(engine), key, count)
            with Session(engine) as session:
                keys = sealing.unlock(PASSPHRASE, session=session)

            start = perf_counter()
            done = delivery.deliver(engine, delivery.Options("act-on-syria"), keys, root / "delivery.pdf",
                                    data_dir=root / "server")
            deliver_s = perf_counter() - start
            expected = count - (count - 1) // 10
            assert done.delivery.total == expected, (done.delivery.total, expected)

            start = perf_counter()
            with open(root / "delivery.csv", "w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(("name", "city", "region", "id", "date"))
                for s in done.delivery.signers:
                    writer.writerow((s.name, s.place, s.region, s.id, s.day.isoformat()))
            csv_s = perf_counter() - start
            size_mb = (root / "delivery.pdf").stat().st_size / 2**20
        finally:
            engine.dispose()

    signers = done.delivery.total
    baseline = "writing the same delivered rows as a plain CSV, same run"
    return [
        Figure("deliver.seconds", deliver_s, "s", baseline=csv_s, baseline_name=baseline, goal=f"< {GOAL_S:.0f} s",
               note=f"{count} sealed signatures, {signers} people, {done.pages} pages, {size_mb:.1f} MB; "
                    f"goal under {GOAL_S:.0f} s at 100,000"),
        Figure("deliver.pages_per_s", done.pages / deliver_s, "pages/s"),
        Figure("deliver.rate", count / deliver_s, "signatures/s", baseline=signers / csv_s, baseline_name=baseline),
    ]
