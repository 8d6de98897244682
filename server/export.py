"""CSV export: one row per signature with its consent record and provenance.

Sealed signatures are opened with the server's sealing keys (``server.sealing.unlock``) and written in
clear like the others; ``sealed_key`` says which key they were sealed to, ``sealed_status`` whether
they opened. One that does not open (sealed to a key this server does not hold, or a box that is not
that signature's) is still written, with its fields empty, and named in the result: never dropped.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from nacl.public import PrivateKey
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from db.fields import SIGNER_FIELDS
from db.files import open_atomic_text
from db.schemas import WIRE_FIELDS, as_utc
from db.spreadsheet import formula_safe
from server import sealing, texts, withdrawals
from server.models import Device, StoredSignature

EXPORTED_FIELDS = tuple(name for name in WIRE_FIELDS if name != "sealed")  # the box itself is of no use in a sheet
PROVENANCE = ("content_hash", "device_id", "device_name", "received_at", "device_clock_offset_s",
              "created_at_corrected", "sealed_status", "withdrawn_at", "texts_unknown")
COLUMNS = EXPORTED_FIELDS + PROVENANCE
OPENED = "opened"  # sealed_status of a sealed signature written in clear


@dataclass
class Exported:
    count: int = 0
    opened: int = 0
    not_opened: list[tuple[str, str]] = field(default_factory=list)  # (signature id, why)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return as_utc(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return formula_safe(value)  # a name like "=HYPERLINK(...)" must not run as a spreadsheet formula


def sealed_count(engine: Engine) -> int:
    """How many stored signatures are sealed: export and dedupe ask for the passphrase only then."""
    with Session(engine) as session:
        return int(session.exec(select(func.count()).where(col(StoredSignature.sealed).is_not(None))).one())


def export_csv(engine: Engine, target: Path, keys: Mapping[str, PrivateKey] | None = None) -> Exported:
    """Write every signature to ``target`` (oldest received first), sealed ones opened with ``keys``.
    ``created_at_corrected`` is the signing time shifted by the device's clock offset at upload, for
    devices with a wrong clock; ``withdrawn_at`` is when the signer withdrew the signature on the
    receipt page (empty otherwise). The file appears only once complete, readable by its owner only."""
    keys = keys or {}
    done = Exported()
    target = Path(target)
    with Session(engine) as session, open_atomic_text(target, newline="") as fh:
        names = dict(session.exec(select(Device.id, Device.name)).all())
        withdrawn = withdrawals.all_withdrawals(session=session)  # few: by signers on the receipt page
        known = texts.known_texts(session=session)
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        rows = session.exec(
            select(StoredSignature).order_by(col(StoredSignature.received_at), col(StoredSignature.id))
            .execution_options(yield_per=1000)
        )
        for sig in rows:
            values = {name: getattr(sig, name) for name in EXPORTED_FIELDS}
            status = ""
            if sig.sealed is not None:
                opened = sealing.open_fields(sig.sealed, sig.id, sig.sealed_key, keys)
                if isinstance(opened, str):
                    status = opened
                    done.not_opened.append((sig.id, opened))
                else:
                    status = OPENED
                    done.opened += 1
                    values.update((name, opened.get(name, values[name])) for name in SIGNER_FIELDS)
            offset = timedelta(milliseconds=sig.clock_offset_ms)
            line = [*values.values(), sig.content_hash, sig.device_id, names.get(sig.device_id, ""),
                    sig.received_at, f"{sig.clock_offset_ms / 1000:.3f}", as_utc(sig.created_at) + offset, status,
                    withdrawn.get(sig.id),
                    known.unknown(sig.campaign_slug, sig.campaign_version, sig.letter_sha256, sig.consent_text_sha256)]
            writer.writerow([_cell(v) for v in line])
            done.count += 1
    return done
