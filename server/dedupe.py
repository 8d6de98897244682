"""Likely duplicate signers per campaign: the same person signing on two devices, or twice at one.

Devices never keep a hash of an email or a name (with the device in hand, such a hash would tell
whether a given person signed), so duplicates are found only here, with the sealed signatures opened.
Two signatures of a campaign are the same signer when they share the normalised email (case-folded)
or the phone number (E.164 digits); the relation is transitive (A shares B's email, B shares C's
phone: one signer). Voids and the signatures they withdrew are left out.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from nacl.public import PrivateKey
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from server import sealing, voids
from server.models import StoredSignature


@dataclass
class Duplicates:
    signatures: int = 0  # signatures looked at (not voided)
    signers: int = 0  # signers who signed more than once
    repeated: int = 0  # the signatures of those signers
    not_opened: int = 0  # sealed signatures that did not open: not compared

    @property
    def extra(self) -> int:
        return self.repeated - self.signers


@dataclass
class _Groups:
    parent: dict[str, str] = field(default_factory=dict)

    def find(self, item: str) -> str:
        root = item
        while self.parent.setdefault(root, root) != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def join(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


def normalise_email(email: str | None) -> str | None:
    if not email or not email.strip():
        return None
    return unicodedata.normalize("NFC", email.strip()).casefold()


def normalise_phone(phone: str | None) -> str | None:
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    return digits or None


def likely_duplicates(engine: Engine, keys: Mapping[str, PrivateKey] | None = None) -> dict[str, Duplicates]:
    """Per campaign slug, how many signers signed more than once (sealed signatures opened with ``keys``)."""
    keys = keys or {}
    out: dict[str, Duplicates] = {}
    groups: dict[str, _Groups] = {}
    first_with: dict[tuple[str, str, str], str] = {}  # (slug, "email"/"phone", value) -> signature id
    columns = (StoredSignature.id, StoredSignature.device_id, StoredSignature.campaign_slug, StoredSignature.email, StoredSignature.phone,
               StoredSignature.sealed, StoredSignature.sealed_key)
    with Session(engine) as session:
        voided = {tuple(pair) for pair in session.execute(voids.owned_void_targets()).all()}  # voids count from their own device only
        rows = session.exec(
            select(*columns).where(col(StoredSignature.voids).is_(None)).execution_options(yield_per=1000)  # type: ignore[call-overload]
        )
        for sig_id, device_id, slug, email, phone, sealed, sealed_key in rows:
            if (device_id, sig_id) in voided:
                continue
            summary = out.setdefault(slug, Duplicates())
            summary.signatures += 1
            if sealed is not None:
                opened = sealing.open_fields(sealed, sig_id, sealed_key, keys)
                if isinstance(opened, str):
                    summary.not_opened += 1
                    continue
                email, phone = opened.get("email"), opened.get("phone")
            campaign_groups = groups.setdefault(slug, _Groups())
            node = f"{device_id}/{sig_id}"  # ids are scoped to their device
            campaign_groups.find(node)
            for kind, value in (("email", normalise_email(email)), ("phone", normalise_phone(phone))):
                if value is None:
                    continue
                seen = first_with.setdefault((slug, kind, value), node)
                if seen != node:
                    campaign_groups.join(node, seen)
    for slug, campaign_groups in groups.items():
        sizes: dict[str, int] = {}
        for node in campaign_groups.parent:
            root = campaign_groups.find(node)
            sizes[root] = sizes.get(root, 0) + 1
        repeated = [n for n in sizes.values() if n > 1]
        out[slug].signers = len(repeated)
        out[slug].repeated = sum(repeated)
    return out
