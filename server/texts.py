"""Which signatures name a letter or consent text the server does not know for their campaign version.

A signature records the SHA-256 of the letter and of the consent text its signer was shown. The server
knows, for every published version, each language's letter hash and consent hash, and the consent
hash of an unreviewed translation shown beside the English (``locale_hashes``: ``letter``, ``consent``,
``consent_shown``; db/campaigns.py). A signature whose letter or consent hash is none of its version's
is **flagged, never refused**: a device may keep its own texts under a version number the server
publishes with others (``campaign_differs``), and its signatures still count. All-zero hashes (or any
made-up value) are flagged the same way. The coordinator sees the count on the dashboard and the flag
in the export (``texts_unknown``) and decides.

Computed when read, not stored: ingest's fast path stays as it is, and a campaign version published
after its signatures arrived (or re-read after a bug fix) flags them right. The dashboard's count is
one grouped scan; the export checks each row against sets in memory.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from server.models import CampaignVersion, StoredSignature


@dataclass(frozen=True)
class KnownTexts:
    """Per (campaign slug, version): the letter hashes and the consent hashes any language shows."""
    letters: dict[tuple[str, int], frozenset[str]]
    consents: dict[tuple[str, int], frozenset[str]]

    def unknown(self, slug: str, version: int, letter_sha256: str, consent_sha256: str) -> bool:
        """Whether a signature with these hashes names a text its campaign version does not have."""
        key = (slug, version)
        return letter_sha256 not in self.letters.get(key, ()) or consent_sha256 not in self.consents.get(key, ())


def known_texts(*, session: Session) -> KnownTexts:
    letters: dict[tuple[str, int], set[str]] = defaultdict(set)
    consents: dict[tuple[str, int], set[str]] = defaultdict(set)
    for slug, version, hashes in session.exec(
            select(CampaignVersion.slug, CampaignVersion.version, CampaignVersion.locale_hashes)):
        for texts in (hashes or {}).values():
            letters[slug, version].add(texts.get("letter"))
            consents[slug, version].update((texts.get("consent"), texts.get("consent_shown")))
    return KnownTexts({k: frozenset(v) - {None} for k, v in letters.items()},
                      {k: frozenset(v) - {None} for k, v in consents.items()})


def unknown_text_counts(*, session: Session, where: Any = True) -> dict[str, int]:
    """Per campaign slug: stored signatures (matching ``where``) whose letter or consent hash is not
    one of their campaign version's. One scan grouped by hash pair: the pairs are few (languages x
    versions), and each is judged once in Python."""
    known = known_texts(session=session)
    out: dict[str, int] = defaultdict(int)
    for slug, version, letter, consent, n in session.exec(
        select(StoredSignature.campaign_slug, StoredSignature.campaign_version, StoredSignature.letter_sha256,  # type: ignore[call-overload]
               StoredSignature.consent_text_sha256, func.count()).where(where)
        .group_by(col(StoredSignature.campaign_slug), col(StoredSignature.campaign_version),
                  col(StoredSignature.letter_sha256), col(StoredSignature.consent_text_sha256))
    ):
        if known.unknown(slug, version, letter, consent):
            out[slug] += int(n)
    return dict(out)
