"""Factories: valid signature drafts and records, campaign bundles to break, CSV files to import."""

from __future__ import annotations

import csv
import shutil
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session
from uuid6 import uuid7

from db import campaigns
from db.campaigns import Campaign, LocalisedCampaign
from db.paths import resource_path
from db.schemas import PERSONAL_FIELDS
from db.signatures import SavedSignature, SignatureDraft, save_signature

# Valid for the act-on-syria form (given/family name, email, postal code, country).
VALID_FIELDS: dict[str, str] = {
    "given_name": "Ada",
    "family_name": "Lovelace",
    "email": "ada@example.org",
    "postal_code": "10115",
    "country": "DE",
}
SHA = "0" * 64


@cache
def builtin_campaign(slug: str) -> Campaign:
    return campaigns.load_bundle(resource_path("campaigns", slug))


def register_builtin(engine: Engine) -> None:
    with Session(engine) as session:
        for campaign in campaigns.load_builtin():
            campaigns.register(campaign, session=session)
        session.commit()


def make_draft(**overrides: Any) -> SignatureDraft:
    """A draft the act-on-syria form accepts. Keyword arguments naming a personal field replace that
    field (None removes it); the others set SignatureDraft attributes."""
    fields: dict[str, str | None] = dict(VALID_FIELDS)
    attributes: dict[str, Any] = {"consent_processing": True}
    for name, value in overrides.items():
        if name in PERSONAL_FIELDS:
            fields[name] = value
        else:
            attributes[name] = value
    return SignatureDraft(fields={k: v for k, v in fields.items() if v is not None}, **attributes)


def save(engine: Engine, shown: LocalisedCampaign | None = None, **overrides: Any) -> SavedSignature:
    shown = shown or builtin_campaign("act-on-syria").localised("en")
    return save_signature(make_draft(**overrides), engine=engine, shown=shown)


def acknowledge(engine: Engine, ids: list[str], at: datetime | None = None) -> None:
    """What a sync does when the server acknowledges signatures (db/sync/store.apply_results), at ``at``
    (default now): the state a retention purge needs."""
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("BEGIN IMMEDIATE")
        cur.execute(f"UPDATE signature SET sync_state = 'acked', acked_at = ? WHERE id IN ({','.join('?' * len(ids))})",
                    ((at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M:%S.%f"), *ids))
        cur.execute("COMMIT")
    finally:
        raw.close()


def record_input(**overrides: Any) -> dict[str, Any]:
    """Input for SignatureCreate.model_validate that passes, independent of any campaign bundle."""
    now = datetime.now(UTC)
    data: dict[str, Any] = {
        "id": str(uuid7()), "seq": 1, "campaign_slug": "test", "campaign_version": 1,
        "letter_sha256": SHA, "locale": "en", "consent_processing": True, "consent_text_sha256": SHA,
        "consent_locale": "en", "consent_given_at": now, "utc_offset_minutes": 0, "created_at": now,
        "given_name": "Ada",
    }
    data.update(overrides)
    return data


def copy_bundle(slug: str, dest: Path) -> Path:
    """A writable copy of a built-in bundle, to break or change."""
    target = dest / slug
    shutil.copytree(resource_path("campaigns", slug), target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (which must be there) with ``new`` in a text file."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def bundle_with_form(dest: Path, fields: str, *, slug: str = "form-test", extra: str = "") -> Campaign:
    """act-on-syria with another form: ``fields`` is the TOML inline-table list, e.g.
    '{ name = "phone", required = true }'; ``extra`` adds keys to the [form] table."""
    path = copy_bundle("act-on-syria", dest)
    manifest = path / "campaign.toml"
    text = manifest.read_text(encoding="utf-8")
    head, rest = text.split("[form]", 1)
    _, tail = rest.split("[links]", 1)
    head = head.replace('slug = "act-on-syria"', f'slug = "{slug}"')
    form = f"[form]\n{extra}\nfields = [{fields}]\n\n"
    manifest.write_text(head + form + "[links]" + tail, encoding="utf-8")
    return campaigns.load_bundle(path)


def write_csv(path: Path, rows: list[list[str]], *, bom: bool = False, delimiter: str = ",") -> Path:
    """``rows`` includes the header row."""
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path
