"""The one rule of who is the same person, and which of a person's signatures counts.

``stats --dedupe``, the dashboard, the public count and the delivery package all ask this module, so
they cannot disagree. Devices never keep a hash of an email or a name (with the device in hand, such a
hash would tell whether a given person signed), so duplicates are found only here, from the fields in
clear or, for sealed signatures, opened with the operator's passphrase.

**Same person.** Two signatures of a campaign are one person when they share the normalised email
(NFC, case-folded) or the phone number (its digits, as stored in E.164). A signer who gave neither is
matched by normalised given + family name + postal code, only against other signers who gave neither:
a name never joins two different contacts (a father and son of the same name at one address, each with
an email, stay two people). The relation is transitive (A shares B's email, B shares C's phone: one
person). Void records are not signatures and take no part; voided and withdrawn signatures still tell
who is who.

**The counted signature** of a person is their earliest by server receive time (ties by device, then
id); if it is voided (by its own device or the operator) or withdrawn on the receipt page, their next
one counts; if all are, the person is not counted.

**Sealed campaigns.** Nothing about groups is ever stored: they are computed in memory, when asked,
from opened fields, and forgotten. A sealed signature that does not open cannot be compared: it is its
own person (reported as ``not_opened``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from nacl.public import PrivateKey
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from db.schemas import as_utc
from server import sealing
from server.models import OperatorVoid, StoredSignature, Withdrawal

Key = tuple[str, str]  # (device id, signature id): ids are scoped to their device


@dataclass(frozen=True)
class Person:
    """What the rule reads of one signature (and the delivery keeps of the counted one)."""

    key: Key
    received_at: datetime
    live: bool  # neither voided nor withdrawn
    fields: Mapping[str, Any]  # the signer's fields, opened when sealed; {} when they did not open
    opened: bool = True


@dataclass
class Counted:
    """The rule's answer for one campaign."""

    counted: list[Person] = field(default_factory=list)  # one per person, in receive order
    live: int = 0  # signatures neither voided nor withdrawn
    signers: int = 0  # people with more than one live signature
    repeated: int = 0  # the live signatures of those people
    not_opened: int = 0  # sealed signatures that did not open: each counted as its own person
    # With ``count_people(..., members=True)``: per counted person's key, all their signatures (live or
    # not) in receive order (the email confirmation sends one message per person: server.confirm_send).
    members: dict[Key, list[Person]] = field(default_factory=dict)

    @property
    def extra(self) -> int:
        return self.repeated - self.signers


@dataclass
class Duplicates:
    """``stats --dedupe``'s figures for one campaign."""

    signatures: int = 0  # signatures looked at (neither voided nor withdrawn)
    signers: int = 0  # signers who signed more than once
    repeated: int = 0  # the signatures of those signers
    not_opened: int = 0  # sealed signatures that did not open: not compared
    counted: int = 0  # people counted once each

    @property
    def extra(self) -> int:
        return self.repeated - self.signers


class _Groups:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, item: int) -> int:
        root = item
        while self.parent.setdefault(root, root) != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)  # the earlier signature stays the root


def _fold(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFKC", text or "").casefold().split())


def normalise_email(email: str | None) -> str | None:
    if not email or not email.strip():
        return None
    return unicodedata.normalize("NFC", email.strip()).casefold()


def normalise_phone(phone: str | None) -> str | None:
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    return digits or None


def normalise_postal_code(postal_code: str | None) -> str | None:
    folded = "".join(unicodedata.normalize("NFKC", postal_code or "").split()).upper()
    return folded or None


def normalise_name_and_postal_code(given: str | None, family: str | None, postal_code: str | None) -> str | None:
    """Given + family name + postal code, folded (NFKC, case, white space); None when the name or the
    postal code is missing: a name alone is too common to make two signatures one person."""
    name = " ".join(part for part in (_fold(given), _fold(family)) if part)
    postal = normalise_postal_code(postal_code)
    return f"{name}|{postal}" if name and postal else None


def identity_keys(fields: Mapping[str, Any]) -> list[str]:
    """The values by which a signature is matched to the same person's others."""
    keys = []
    if email := normalise_email(fields.get("email")):
        keys.append("email:" + email)
    if phone := normalise_phone(fields.get("phone")):
        keys.append("phone:" + phone)
    if not keys and (named := normalise_name_and_postal_code(
            fields.get("given_name"), fields.get("family_name"), fields.get("postal_code"))):
        keys.append("name:" + named)
    return keys


def count_people(signatures: Iterable[Person], *, members: bool = False) -> Counted:
    """Apply the rule to one campaign's signatures (void records left out by the caller); with
    ``members``, also each counted person's signatures."""
    ordered = sorted(signatures, key=lambda p: (p.received_at, p.key))
    groups = _Groups()
    first_with: dict[str, int] = {}
    out = Counted()
    for index, person in enumerate(ordered):
        groups.find(index)
        if not person.opened:
            out.not_opened += 1
            continue
        for value in identity_keys(person.fields):
            seen = first_with.setdefault(value, index)
            if seen != index:
                groups.join(index, seen)
    live_per_root: dict[int, int] = {}
    counted_root: set[int] = set()
    for index, person in enumerate(ordered):
        if not person.live:
            continue
        out.live += 1
        root = groups.find(index)
        live_per_root[root] = live_per_root.get(root, 0) + 1
        if root not in counted_root:  # the person's earliest live signature
            counted_root.add(root)
            out.counted.append(person)
    repeated = [n for n in live_per_root.values() if n > 1]
    out.signers, out.repeated = len(repeated), sum(repeated)
    if members:
        per_root: dict[int, list[Person]] = {}
        for index, person in enumerate(ordered):
            per_root.setdefault(groups.find(index), []).append(person)
        for group in per_root.values():
            counted = next((p for p in group if p.live), None)  # the group's earliest live one: the counted
            if counted is not None:
                out.members[counted.key] = group
    return out


# --- reading the stored signatures -----------------------------------------------------------------

IDENTITY_FIELDS = ("email", "phone", "given_name", "family_name", "postal_code")


def _not_counted(session: Session, slug: str) -> tuple[set[Key], set[str]]:
    """(device, id) pairs that a void names, and ids withdrawn on the receipt page. A void withdraws its
    target only when sent by the target's own device (``server.voids``): keyed by (device, target id),
    a void from elsewhere matches no signature of another device. Read as two flat scans rather than
    ``voids.owned_void_targets``' self-join, which SQLite runs in time quadratic in one device's
    signatures (it walks the device's index for every target)."""
    by_devices = session.exec(
        select(StoredSignature.device_id, StoredSignature.voids).where(col(StoredSignature.voids).is_not(None))
    ).all()
    by_operator = session.exec(
        select(OperatorVoid.device_id, OperatorVoid.signature_id).where(OperatorVoid.campaign_slug == slug)
    ).all()
    voided = {(str(d), str(i)) for d, i in (*by_devices, *by_operator)}
    withdrawn = set(session.exec(select(Withdrawal.signature_id)).all())
    return voided, withdrawn


not_counted = _not_counted  # for server.confirmations' counts: the same voids and withdrawals


def read_people(slug: str, *, session: Session, keys: Mapping[str, PrivateKey] | None = None,
                fields: tuple[str, ...] = IDENTITY_FIELDS, extra: tuple[Any, ...] = ()) -> Iterator[tuple[Person, tuple[Any, ...]]]:
    """Every signature of ``slug`` (void records left out) as the rule reads it, sealed ones opened with
    ``keys``, with the ``extra`` columns asked for beside it. With ``keys`` None, sealed signatures are
    returned as not opened: the caller must not call that deduplicated."""
    voided, withdrawn = _not_counted(session, slug)
    columns = (StoredSignature.device_id, StoredSignature.id, StoredSignature.received_at, StoredSignature.sealed,
               StoredSignature.sealed_key, *(getattr(StoredSignature, name) for name in fields), *extra)
    rows = session.exec(
        select(*columns).where(StoredSignature.campaign_slug == slug, col(StoredSignature.voids).is_(None))
        .execution_options(yield_per=2000)
    )
    n = len(fields)
    for row in rows:
        device_id, sig_id, received_at, sealed, sealed_key = row[:5]
        values = dict(zip(fields, row[5:5 + n], strict=True))
        opened = True
        if sealed is not None:
            found = sealing.open_fields(sealed, sig_id, sealed_key, keys) if keys is not None else sealing.UNKNOWN_KEY
            if isinstance(found, str):
                opened, values = False, {}
            else:
                values.update((name, found.get(name, values.get(name))) for name in fields)
        key = (str(device_id), str(sig_id))
        live = key not in voided and sig_id not in withdrawn
        yield Person(key, received_at, live, values, opened), tuple(row[5 + n:])


def people(slug: str, *, session: Session, keys: Mapping[str, PrivateKey] | None = None) -> Counted:
    """The rule applied to the stored signatures of ``slug``."""
    return count_people(person for person, _ in read_people(slug, session=session, keys=keys))


# A clear campaign's count is computed on the fly, after every batch a device sends. Who is who only
# grows as signatures arrive (a new one can join groups, never split them), and how many people are
# counted does not depend on which of a person's signatures counts; so each process keeps, in memory
# only, the groups of what it has read, reads only the signatures received since (with a margin for
# transactions that committed late), and checks that it now knows exactly as many as are stored
# (else it reads them all again). Voids and withdrawals are applied afresh each time.
_LATE_COMMIT_MARGIN = timedelta(minutes=2)


@dataclass
class _ClearState:
    fingerprint: tuple[Any, ...] = ()
    index: dict[Key, int] = field(default_factory=dict)
    groups: _Groups = field(default_factory=_Groups)
    first_with: dict[str, int] = field(default_factory=dict)
    last_received: datetime | None = None
    count: int = 0

    def add(self, key: Key, received_at: datetime, fields: Mapping[str, Any]) -> None:
        if key in self.index:
            return
        node = self.index[key] = len(self.index)
        self.groups.find(node)
        for value in identity_keys(fields):
            seen = self.first_with.setdefault(value, node)
            if seen != node:
                self.groups.join(node, seen)
        received = as_utc(received_at)
        self.last_received = received if self.last_received is None else max(self.last_received, received)


_CLEAR: dict[tuple[str, str], _ClearState] = {}


def _fingerprint(slug: str, session: Session) -> tuple[Any, ...]:
    stored = session.exec(
        select(func.count(), func.count(col(StoredSignature.voids)), func.max(StoredSignature.received_at))
        .where(StoredSignature.campaign_slug == slug)
    ).one()
    withdrawn = session.exec(select(func.count()).select_from(Withdrawal)).one()
    by_operator = session.exec(select(func.count()).where(OperatorVoid.campaign_slug == slug)).one()
    return (*stored, withdrawn, by_operator)


def _read_into(state: _ClearState, slug: str, session: Session, since: datetime | None) -> None:
    query = select(StoredSignature.device_id, StoredSignature.id, StoredSignature.received_at,
                   *(getattr(StoredSignature, name) for name in IDENTITY_FIELDS)).where(
        StoredSignature.campaign_slug == slug, col(StoredSignature.voids).is_(None))
    if since is not None:
        query = query.where(col(StoredSignature.received_at) >= since)
    for row in session.exec(query.execution_options(yield_per=5000)):
        state.add((str(row[0]), str(row[1])), row[2], dict(zip(IDENTITY_FIELDS, row[3:], strict=True)))


def clear_count(slug: str, *, session: Session) -> int:
    """People counted in a clear campaign (no passphrase needed: nothing of it is sealed)."""
    where = (str(session.get_bind().engine.url), slug)
    fingerprint = _fingerprint(slug, session)
    state = _CLEAR.get(where)
    if state is not None and state.fingerprint == fingerprint:
        return state.count
    stored = int(fingerprint[0]) - int(fingerprint[1])  # signatures, void records left out
    if state is not None and state.last_received is not None:
        _read_into(state, slug, session, state.last_received - _LATE_COMMIT_MARGIN)
    if state is None or len(state.index) != stored:
        state = _ClearState()
        _read_into(state, slug, session, None)
    voided, withdrawn = _not_counted(session, slug)
    state.count = len({state.groups.find(node) for key, node in state.index.items()
                       if key not in voided and key[1] not in withdrawn})
    state.fingerprint = fingerprint
    _CLEAR[where] = state
    return state.count


def likely_duplicates(engine: Engine, keys: Mapping[str, PrivateKey] | None = None) -> dict[str, Duplicates]:
    """Per campaign slug, how many signers signed more than once (sealed signatures opened with ``keys``)."""
    out: dict[str, Duplicates] = {}
    with Session(engine) as session:
        slugs = sorted(set(session.exec(select(StoredSignature.campaign_slug).distinct()).all()))
        for slug in slugs:
            found = people(slug, session=session, keys=keys or {})
            out[slug] = Duplicates(signatures=found.live, signers=found.signers, repeated=found.repeated,
                                   not_opened=found.not_opened, counted=len(found.counted))
    return out
