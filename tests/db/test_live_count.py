"""The live count: server total + this device's unacknowledged signatures, never one counted twice."""

from __future__ import annotations

from sqlmodel import Session, select

from db.models import Signature, SignatureCount, SyncState
from db.signatures import SignatureDraft, live_count, record_server_count, save_signature, void_signature


def _sign(engine, shown, name="Nour"):
    return save_signature(SignatureDraft(fields={"given_name": name}, consent_processing=True),
                          engine=engine, shown=shown)


def _refuse(engine, signature_id, reason):
    """What a sync does with a signature the server refused."""
    with Session(engine) as session:
        row = session.get(Signature, signature_id)
        row.sync_state = SyncState.NEEDS_ATTENTION
        row.sync_reason = reason
        session.add(row)
        session.commit()


def _ack(engine, ids, *, server_total, slug):
    """What a sync does in one transaction: mark acknowledged and remember the server's total."""
    with Session(engine) as session:
        for row in session.exec(select(Signature).where(Signature.id.in_(ids))):  # type: ignore[attr-defined]
            row.sync_state = SyncState.ACKED
            session.add(row)
        record_server_count(slug, server_total, session=session)
        session.commit()


def test_before_any_report_it_is_this_devices_count(engine, campaign):
    shown = campaign.localised("en")
    for _ in range(3):
        _sign(engine, shown)
    with Session(engine) as session:
        assert live_count(campaign.slug, session=session) == 3


def test_acknowledged_signatures_are_not_counted_twice(engine, campaign):
    shown = campaign.localised("en")
    first = [_sign(engine, shown).id for _ in range(3)]
    # The server has 10 from other devices; ours arrive and it reports 13.
    _ack(engine, first, server_total=13, slug=campaign.slug)
    with Session(engine) as session:
        assert live_count(campaign.slug, session=session) == 13
    _sign(engine, shown)  # one more, not yet sent
    with Session(engine) as session:
        assert live_count(campaign.slug, session=session) == 14
        counts = session.get(SignatureCount, campaign.slug)
        assert (counts.total, counts.acked) == (4, 3)


def test_a_void_lowers_the_count_whether_sent_or_not(engine, campaign):
    shown = campaign.localised("en")
    kept, withdrawn = _sign(engine, shown).id, _sign(engine, shown).id
    _ack(engine, [kept, withdrawn], server_total=2, slug=campaign.slug)
    void = void_signature(withdrawn, engine=engine)
    with Session(engine) as session:
        assert live_count(campaign.slug, session=session) == 1  # the void is pending: -1
    _ack(engine, [void.id], server_total=1, slug=campaign.slug)  # the server applied the withdrawal
    with Session(engine) as session:
        assert live_count(campaign.slug, session=session) == 1


def test_leaving_acked_takes_it_back_out(engine, campaign):
    """A state correction (e.g. acked -> needs_attention) moves the signature back to 'ours'."""
    shown = campaign.localised("en")
    sid = _sign(engine, shown).id
    _ack(engine, [sid], server_total=1, slug=campaign.slug)
    with Session(engine) as session:
        row = session.get(Signature, sid)
        row.sync_state = SyncState.NEEDS_ATTENTION
        session.add(row)
        session.commit()
        assert session.get(SignatureCount, campaign.slug).acked == 0


def test_refused_signatures_count_nowhere(engine, campaign, data_dir):
    """A conflict's id is already in the server's total (another content); an invalid one is in no
    total. Neither may be counted on the device too — and both count paths agree."""
    from db import quick
    from db.paths import database_path

    shown = campaign.localised("en")
    ids = [_sign(engine, shown).id for _ in range(4)]
    _ack(engine, ids[:2], server_total=10, slug=campaign.slug)
    _refuse(engine, ids[2], "conflict")
    with Session(engine) as session:
        assert live_count(campaign.slug, session=session) == 11  # 10 + the one still pending
    assert quick.live_count(database_path(data_dir), campaign.slug) == 11


def test_a_signature_is_withdrawn_once_and_a_withdrawal_never(engine, campaign):
    import pytest

    from db.signatures import VoidRefused

    shown = campaign.localised("en")
    kept, withdrawn = _sign(engine, shown).id, _sign(engine, shown).id
    void = void_signature(withdrawn, engine=engine)
    with pytest.raises(VoidRefused):
        void_signature(withdrawn, engine=engine)
    with pytest.raises(VoidRefused):
        void_signature(void.id, engine=engine)
    with Session(engine) as session:
        assert live_count(campaign.slug, session=session) == 1
        assert session.get(Signature, kept) is not None


def test_signatures_refused_for_now_still_count_as_ours(engine, campaign, data_dir):
    """Refused because the campaign was not published yet: they will be offered again, so until then
    they are this device's unacknowledged signatures."""
    from db import quick
    from db.paths import database_path

    shown = campaign.localised("en")
    ids = [_sign(engine, shown).id for _ in range(3)]
    _ack(engine, ids[:1], server_total=5, slug=campaign.slug)
    _refuse(engine, ids[1], "rejected: campaign_unknown (campaign_slug)")
    with Session(engine) as session:
        assert live_count(campaign.slug, session=session) == 7
    assert quick.live_count(database_path(data_dir), campaign.slug) == 7
