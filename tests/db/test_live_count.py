"""The live count: server total + this device's unacknowledged signatures, never one counted twice."""

from __future__ import annotations

from sqlmodel import Session, select

from db.models import Signature, SignatureCount, SyncState
from db.signatures import SignatureDraft, live_count, record_server_count, save_signature, void_signature


def _sign(engine, shown, name="Nour"):
    return save_signature(SignatureDraft(fields={"given_name": name}, consent_processing=True),
                          engine=engine, shown=shown)


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
