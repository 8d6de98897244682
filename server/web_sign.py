"""Signatures made on the server's own page (``/s/<slug>``, ``server/pages/sign.py``): stored like a
device's upload, through the same ingest (``server/ingest.py``), with mode ``web``.

**Their source: a server-owned pseudo-device per campaign.** The signature table's primary key is
(``id``, ``device_id``) and its foreign key names a device: every count, void, dedupe, export and
status query already works per device. A row in ``device`` per campaign (id ``web_device_id(slug)``,
a UUIDv5, named ``web: <slug>``) keeps all of that true without a migration on SQLite and
PostgreSQL, and without a nullable key whose NULLs would make ``ON CONFLICT (id, device_id)`` never
fire (NULLs are distinct), i.e. lose the idempotency. The pseudo-device has no token and no public
key: nothing can authenticate as it (``server.devices.authenticate`` looks devices up by token
hash), so no device can upload as the web page, and a device's upload naming mode ``web`` is refused
by the ingest (``db.schemas.SERVER_MODES``).

**Idempotency.** The signature id is made when the form is served and carried by its HMAC token
(``db/crowd/app.py``), so a double tap or a form sent again has the same id under the same
pseudo-device: the ingest stores it once. A re-sent form is built anew (another time, another seal),
so the ingest calls it a ``conflict``; for the web page that is the same form sent twice and the first
signature stays, which is all ``store`` reports (``already``).

**``seq`` and the clock offset.** There is no device counter: ``seq`` is 1 on every web signature
(it must be at least 1; order them by ``created_at``). The server's own clock made ``created_at`` and
``consent_given_at``, so the clock offset is 0 by definition.

**Sealed campaigns** are sealed here, before anything is written, with the server's active sealing
public key (``server.sealing``): the database never holds a clear field of them, and serving needs no
passphrase.
"""

from __future__ import annotations

import io
import logging
import tempfile
import threading
import time
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import bindparam, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col, select

from db import sealing as seals
from db.campaigns import Campaign as Bundle
from db.campaigns import load_bundle
from db.schemas import SignatureCreate, wire_payload
from db.sealing import PublicKey, SealingUnavailable
from db.wire import Outcome
from server import campaigns, ingest, ratelimit, sealing
from server.database import autocommit_driver, is_psycopg, write_connection, write_session
from server.models import Campaign, CampaignVersion, Device, SealingKeyRow, StoredSignature, utcnow

log = logging.getLogger("petition_server.web")

# The namespace of the pseudo-devices' ids: fixed, so every worker and host names the same device.
WEB_DEVICE_NAMESPACE = uuid.UUID("5d1c0f52-1f0e-4b8e-9a57-2f3c1d7e9b10")


def web_device_id(slug: str) -> str:
    return str(uuid.uuid5(WEB_DEVICE_NAMESPACE, f"web-page:{slug}"))


WEB_DEVICE_PREFIX = "web: "


def is_web_device(device_id: str, name: str) -> bool:
    """Whether a ``device`` row is a campaign's pseudo-device (listed as state ``web``, not ``waiting``)."""
    # The name may be cut to the column's 64 characters; the id's UUID version tells (devices get UUIDv4).
    return name.startswith(WEB_DEVICE_PREFIX) and uuid.UUID(device_id).version == 5


@dataclass(frozen=True)
class Current:
    """The newest published version of a campaign, and whether the campaign is closed."""

    slug: str
    version: int
    bundle_sha256: str
    closed: bool
    paused: bool = False  # the operator paused the web page (``set_paused``)


# Built once: SQLAlchemy memoizes a statement's cache key on the statement object, so a statement built
# anew on every request (as this one was, on every POST) pays for its cache key each time.
_CURRENT = (
    select(CampaignVersion.version, CampaignVersion.bundle_sha256, Campaign.closed_at, Campaign.web_paused_at)
    .join(Campaign, col(Campaign.slug) == col(CampaignVersion.slug))
    .where(col(CampaignVersion.slug) == bindparam("slug"))
    .order_by(col(CampaignVersion.version).desc()).limit(1)
)


def current(slug: str, *, session: Session | Connection) -> Current | None:
    row = session.execute(_CURRENT, {"slug": slug}).first()
    return None if row is None else Current(slug, int(row[0]), row[1], row[2] is not None, row[3] is not None)


@dataclass(frozen=True)
class Admission:
    """What a form sent to the web page may do, read in one transaction (``admit``)."""

    found: Current | None  # the campaign's newest version, read afresh; None: no such campaign
    wait: int | None = None  # counted past the rate limits: the seconds before the client may send again
    key: PublicKey | None = None  # the server's active sealing key (None: it has none)

    @property
    def open(self) -> bool:
        return self.found is not None and not self.found.closed and not self.found.paused


def admit(engine: Engine, slug: str, attempts: ratelimit.Limits, *, now: float | None = None) -> Admission:
    """One transaction for a form sent: the campaign's state read afresh (closing or pausing refuses
    the next form at once), and, when it is open, the attempt counted against the rate limits and the
    active sealing key read (a campaign that seals is sealed with it on arrival, ``store``). A form to a
    closed or unknown campaign counts nothing.

    On PostgreSQL that is one statement on the driver, its own transaction (``_ADMIT_POSTGRESQL``): every
    trip through SQLAlchemy and psycopg costs a worker's CPU, and this runs for every form. On SQLite
    the same work as separate statements on a Core connection, whose transaction takes the write lock
    from its start (``write_connection``): a read that turns into a write could not wait for another
    writer."""
    now = time.time() if now is None else now
    if is_psycopg(engine):
        return _admit_postgresql(engine, slug, attempts, now)
    with write_connection(engine) as conn:
        found = current(slug, session=conn)
        admission = Admission(found)
        if admission.open:
            wait = ratelimit.take_in(conn, attempts, now=now)
            admission = Admission(found, wait, sealing.active_public_key(session=conn))
    return admission


_version = CampaignVersion.__table__.name  # type: ignore[attr-defined]
_campaign = Campaign.__table__.name  # type: ignore[attr-defined]
_key = SealingKeyRow.__table__.name  # type: ignore[attr-defined]
# current(), ratelimit.take_in() and sealing.active_public_key() in one statement, its own transaction.
# Its commit does not wait for the disk (set_config(..., true) is SET LOCAL, for this statement's
# transaction): counters need not outlive a crash, and the overall row, which every form updates, is
# then locked for the statement, not for a disk write.
_ADMIT_POSTGRESQL = f"""
WITH cur AS (
    SELECT v.version, v.bundle_sha256, c.closed_at IS NOT NULL AS closed, c.web_paused_at IS NOT NULL AS paused
    FROM {_version} v JOIN {_campaign} c ON c.slug = v.slug
    WHERE v.slug = %(slug)s ORDER BY v.version DESC LIMIT 1
), go AS (SELECT 1 FROM cur WHERE NOT cur.closed AND NOT cur.paused),
{ratelimit.TAKE_CTES_POSTGRESQL}
SELECT cur.version, cur.bundle_sha256, cur.closed, cur.paused, (SELECT hits FROM own), (SELECT hits FROM overall),
       (SELECT public_key FROM {_key} WHERE active LIMIT 1), set_config('synchronous_commit', 'off', true)
FROM cur"""


def _admit_postgresql(engine: Engine, slug: str, attempts: ratelimit.Limits, now: float) -> Admission:
    with autocommit_driver(engine) as driver:  # the statement is its own transaction: one round trip
        row = driver.execute(_ADMIT_POSTGRESQL, {"slug": slug, **ratelimit.take_parameters(attempts, now)}).fetchone()
        before = ratelimit.purge_due(now)
        if before is not None:
            try:  # the attempt is counted and committed already: a failed clean-up is for the next minute
                driver.execute(ratelimit.PURGE_POSTGRESQL, {"before": before})
            except engine.dialect.loaded_dbapi.Error as exc:
                log.warning("old rate-limit windows were not dropped: %s", type(exc).__name__)
    if row is None:
        return Admission(None)
    version, bundle_sha256, closed, paused, own, overall, public_key = row[:7]
    found = Current(slug, int(version), bundle_sha256, bool(closed), bool(paused))
    if own is None:  # closed or paused: nothing counted
        return Admission(found)
    return Admission(found, ratelimit.verdict(attempts, own, overall, now), sealing.public_key_of(public_key))


def set_paused(slug: str, paused: bool, *, session: Session) -> bool:
    """Pause or resume the campaign's web page (the operator's switch); False: no such campaign."""
    row = session.get(Campaign, slug)
    if row is None:
        return False
    row.web_paused_at = (row.web_paused_at or utcnow()) if paused else None
    session.add(row)
    return True


_bundles: dict[tuple[str, int, str], tuple[Bundle, tempfile.TemporaryDirectory[str]]] = {}
_bundles_lock = threading.Lock()


def bundle_of(found: Current, *, session: Session) -> Bundle:
    """The published version's bundle as devices get it (its own zip, with the server's
    ``sealing.toml``), unpacked once per process: published versions never change. The folder lives as
    long as the process (its photo is served from it)."""
    key = (found.slug, found.version, found.bundle_sha256)
    with _bundles_lock:
        cached = _bundles.get(key)
        if cached is not None:
            return cached[0]
        stored = campaigns.bundle(found.slug, found.version, session=session)
        if stored is None:  # pragma: no cover - current() found it
            raise LookupError(f"{found.slug} v{found.version}")
        folder = tempfile.TemporaryDirectory(prefix="petition-web-")
        with zipfile.ZipFile(io.BytesIO(stored[0])) as zf:
            zf.extractall(folder.name)  # the server's own zip, made by pack_bundle
        loaded = load_bundle(Path(folder.name), source="server")
        _bundles[key] = (loaded, folder)
        return loaded


_known_devices: set[str] = set()


def ensure_web_device(engine: Engine, slug: str) -> str:
    """The campaign's pseudo-device, made on its first web signature (racing workers insert it once)."""
    device_id = web_device_id(slug)
    if device_id in _known_devices:
        return device_id
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    table = Device.__table__  # type: ignore[attr-defined]
    with write_session(engine) as session:
        session.execute(dialect.insert(table).values(
            id=device_id, name=f"{WEB_DEVICE_PREFIX}{slug}"[:64], created_at=utcnow(),
        ).on_conflict_do_nothing())
        session.commit()
    _known_devices.add(device_id)
    return device_id


@dataclass(frozen=True)
class Stored:
    outcome: Outcome  # created, or campaign_closed; a form sent again is ``already``
    already: bool = False


def store(engine: Engine, record: SignatureCreate, campaign: Bundle, *, admitted: Admission | None = None) -> Stored:
    """Seal ``record`` when the campaign seals (raises SealingUnavailable when the server has no
    active key), then store it through the ingest under the campaign's pseudo-device. ``admitted``:
    the sealing key as ``admit`` read it for this form (read here when not given)."""
    if campaign.sealing_mode != "off":
        if admitted is not None:
            key = admitted.key
        else:
            with Session(engine) as session:
                key = sealing.active_public_key(session=session)
        if key is None:
            raise SealingUnavailable(campaign.slug)
        record = seals.seal(record, key, clear_postal_code=campaign.manifest.sealing.clear_postal_code)
    device_id = ensure_web_device(engine, record.campaign_slug)
    now = utcnow()
    known = keys = None
    if admitted is not None and admitted.found is not None:
        # What the ingest would read again in a transaction of its own: this form's campaign as
        # ``admit`` read it (the page served is of that version), and the key it was sealed with.
        found = admitted.found
        known = {found.slug: campaigns.CampaignState(found.closed, frozenset({found.version}))}
        keys = frozenset() if admitted.key is None else frozenset({admitted.key.key_id})
    result = ingest.ingest(engine, device_id, now, [wire_payload(record)], now=now, made_by_server=True,
                           known=known, sealing_keys=keys)
    outcome = result.results[0].outcome
    if outcome in (Outcome.DUPLICATE, Outcome.CONFLICT):
        return Stored(outcome, already=True)
    if outcome is Outcome.REJECTED:  # built and validated here: a bug, not the signer's doing
        raise ValueError(f"the web signature was refused: {result.results[0].reason} ({result.results[0].field})")
    return Stored(outcome)


def web_count(slug: str, *, session: Session) -> int:
    """Signatures of ``slug`` stored from the web page (voids and withdrawals not subtracted)."""
    return int(session.exec(select(func.count()).where(
        StoredSignature.campaign_slug == slug, StoredSignature.device_id == web_device_id(slug))).one())
