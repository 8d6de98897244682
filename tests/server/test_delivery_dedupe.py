"""The one duplicate rule (server/dedupe.py): who is the same person, which of their signatures counts,
and that the public count, the dashboard and ``stats --dedupe`` say the same, for a clear campaign
(each person once, computed on the fly) and a sealed one (counted "before duplicates")."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from server_helpers import PASSPHRASE, EnrolledDevice, batch, sealed_signature, signature
from sqlalchemy.engine import Engine
from sqlmodel import Session

from db.schemas import SignatureCreate, content_hash
from db.wire import API_PREFIX
from server import admins, campaigns, dashboard, dedupe, delivery, delivery_pdf, sealing
from server.cli import PASSPHRASE_ENV, main
from server.database import write_session
from server.models import StoredSignature, Withdrawal
from utils.factories import copy_bundle, edit

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
CLEAR = "open-letter"


def _person(n: int, *, live: bool = True, opened: bool = True, **fields: Any) -> dedupe.Person:
    return dedupe.Person(("device", f"id-{n:03}"), T0 + timedelta(minutes=n), live, fields, opened)


def _ids(found: dedupe.Counted) -> list[str]:
    return [p.key[1] for p in found.counted]


def test_same_email_phone_or_name_and_postal_code_is_one_person_transitively() -> None:
    found = dedupe.count_people([
        _person(1, email="Nour.Khalil@Example.org"),
        _person(2, email=" nour.khalil@example.org ", phone="+963 11 222 3333"),  # joins 1 by email
        _person(3, phone="+963112223333"),  # joins 2 by phone, so 1 too
        _person(4, given_name="Jürgen", family_name="Weiß", postal_code="10115"),
        _person(5, given_name="JÜRGEN ", family_name="weiß", postal_code=" 10 115"),  # neither contact: by name
        _person(6, given_name="Jürgen", family_name="Weiß", postal_code="10115", email="j@example.de"),
        _person(7, given_name="Jürgen", family_name="Weiß", postal_code="10115", email="jw@example.de"),
        _person(8, given_name="رنا", family_name="الحلبي"),  # no postal code: never matched by name alone
        _person(9, given_name="رنا", family_name="الحلبي"),
    ])
    # 6 and 7 gave an email each: the name never joins two contacts (nor them to 4 and 5).
    assert _ids(found) == ["id-001", "id-004", "id-006", "id-007", "id-008", "id-009"]
    assert (found.live, found.signers, found.repeated, found.extra) == (9, 2, 5, 3)


def test_the_earliest_signature_that_stands_counts() -> None:
    found = dedupe.count_people([
        _person(3, email="a@example.org"),
        _person(1, email="a@example.org", live=False),  # earliest, withdrawn: the next one counts
        _person(2, email="A@example.org"),
        _person(4, email="b@example.org", live=False),
        _person(5, email="b@example.org", live=False),  # all of b's withdrawn: b is not counted
        _person(6, opened=False), _person(7, opened=False),  # did not open: each is its own person
    ])
    assert _ids(found) == ["id-002", "id-006", "id-007"]
    assert found.not_opened == 2


def test_ties_in_receive_time_go_by_device_then_id() -> None:
    same = T0
    found = dedupe.count_people([
        dedupe.Person(("dev-b", "id-1"), same, True, {"email": "x@example.org"}),
        dedupe.Person(("dev-a", "id-9"), same, True, {"email": "x@example.org"}),
    ])
    assert [p.key for p in found.counted] == [("dev-a", "id-9")]


@pytest.fixture
def clear_published(published: Engine, tmp_path: Path) -> Engine:
    """The built-ins (sealed) and a copy of act-on-syria published with sealing off."""
    folder = copy_bundle("act-on-syria", tmp_path / "bundles")
    edit(folder / "campaign.toml", 'slug = "act-on-syria"', f'slug = "{CLEAR}"')
    edit(folder / "campaign.toml", "names_consented = true", "")
    with (folder / "campaign.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[sealing]\nmode = "off"\n')
    with write_session(published) as session:
        campaigns.publish(folder, session=session)
        session.commit()
    return published


def _upload(client: TestClient, device: EnrolledDevice, items: list[dict[str, Any]]) -> None:
    answer = client.post(device.batches, json=batch(items), headers=device.headers)
    assert answer.status_code == 200, answer.text
    assert {r["outcome"] for r in answer.json()["results"]} == {"created"}, answer.text


def _one_campaign(client: TestClient, engine: Engine, slug: str) -> tuple[Any, ...]:
    with Session(engine) as session:
        row = next(c for c in dashboard.overview(session=session).campaigns if c.slug == slug)
        stats = next(r for r in campaigns.summary(session=session) if r[0] == slug)
    api = client.get(f"{API_PREFIX}/campaigns/{slug}/count").json()
    return api["count"], api["before_duplicates"], row.counted, row.before_duplicates, stats[3]


def _clear(seq: int, **fields: Any) -> dict[str, Any]:
    return signature("act-on-syria", seq, campaign_slug=CLEAR, **fields)


def test_public_count_dashboard_and_stats_agree_clear_and_sealed(
    client: TestClient, clear_published: Engine, device: EnrolledDevice, other_device: EnrolledDevice,
    capsys: pytest.CaptureFixture[str], tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = clear_published
    with Session(engine) as session:
        key = sealing.active_public_key(session=session)
    assert key is not None
    nour = {"email": "nour@example.org"}
    # Clear: Nour on two devices (other case), a withdrawn one, a voided one.
    first = _clear(1, **nour)
    withdrawn = _clear(2, email="lea@example.de")
    voided = _clear(3, email="sam@example.com")
    _upload(client, device, [first, withdrawn, voided, _clear(4, email="kim@example.org")])
    _upload(client, other_device, [_clear(1, email="NOUR@example.org")])
    _upload(client, device, [_clear(5, voids=voided["id"], given_name=None, family_name=None, email=None, city=None)])
    with write_session(engine) as session:
        session.add(Withdrawal(signature_id=withdrawn["id"]))
        session.commit()
    # Sealed: the same person twice, sealed.
    _upload(client, device, [sealed_signature(key, "act-on-syria", 6, **nour), sealed_signature(key, "act-on-syria", 7, **nour),
                             sealed_signature(key, "act-on-syria", 8, email="other@example.org")])

    # Clear: Nour once, Kim; Lea withdrew, Sam's was voided.
    assert _one_campaign(client, engine, CLEAR) == (2, False, 2, False, 2)
    # Sealed: three signatures, before duplicates (the same person twice is not known here).
    assert _one_campaign(client, engine, "act-on-syria") == (3, True, 3, True, 3)
    with write_session(engine) as session:
        _, token = admins.add_admin("coordinator", session=session)
        session.commit()
    login = client.get("/admin/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', login)
    assert csrf is not None
    client.post("/admin/login", data={"csrf": csrf.group(1), "token": token}, follow_redirects=False)
    page = client.get("/admin/").text
    rows = {slug: row for slug, row in re.findall(r'<tr data-slug="([^"]+)">(.*?)</tr>', page, re.S)}
    assert "before duplicates" in rows["act-on-syria"] and "before duplicates" not in rows[CLEAR]

    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    code = main(["stats", "--dedupe", "--data-dir", str(tmp_path / "server"), "--database-url", database_url])
    out = capsys.readouterr().out
    assert code == 0
    table = {line.split()[0]: line.split()[1:] for line in out.split("likely duplicate signers")[1].splitlines()[2:]
             if line.strip()}
    assert table[CLEAR] == ["1", "2", "1", "2"]  # signers, their signatures, extra, people counted
    assert table["act-on-syria"] == ["1", "2", "1", "2"]  # with the passphrase: two people

    # The package says the same: the clear campaign's count, the sealed one's people and signatures.
    common = ["--data-dir", str(tmp_path / "server"), "--database-url", database_url]
    for slug, people, standing in ((CLEAR, 2, 2), ("act-on-syria", 2, 3)):
        out_pdf = tmp_path / f"{slug}.pdf"
        assert main(["deliver", slug, "--out", str(out_pdf), *common]) == 0
        found = json.loads(delivery.default_verification_path(out_pdf).read_text(encoding="utf-8"))
        assert found["total"] == people
        text = " ".join(_pdf_text(out_pdf).split())
        assert f"{people} people signed this petition, each counted once." in text
        if standing != people:
            assert f"Signatures that stand: {standing}; {standing - people} of them" in text
    # The copy published in clear does not declare the signers' consent to deliver their names:
    # initials, not names.
    clear_text = _pdf_text(tmp_path / f"{CLEAR}.pdf")
    assert "A. H." in clear_text and "Amal" not in clear_text
    assert "Amal Haddad" in _pdf_text(tmp_path / "act-on-syria.pdf")  # the built-in declares it


def test_deliver_period_and_missing_fonts(
    client: TestClient, clear_published: Engine, device: EnrolledDevice, tmp_path: Path, database_url: str,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    _upload(client, device, [_clear(1, email="a@example.org"), _clear(2, email="b@example.org")])
    common = ["--data-dir", str(tmp_path / "server"), "--database-url", database_url]
    out_pdf = tmp_path / "later.pdf"
    later = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    assert main(["deliver", CLEAR, "--out", str(out_pdf), "--since", later, *common]) == 0
    assert json.loads(delivery.default_verification_path(out_pdf).read_text(encoding="utf-8"))["total"] == 0
    assert main(["deliver", CLEAR, "--out", str(out_pdf), "--until", later, "--names", "full", *common]) == 0
    assert json.loads(delivery.default_verification_path(out_pdf).read_text(encoding="utf-8"))["total"] == 2

    monkeypatch.setattr(delivery_pdf, "FONT_DIRS", (tmp_path / "no-fonts",))
    missing = tmp_path / "missing.pdf"
    capsys.readouterr()
    assert main(["deliver", CLEAR, "--out", str(missing), *common]) == 2
    err = capsys.readouterr().err
    assert "NotoSansArabic-Regular.ttf" in err and "fonts-noto-core" in err
    assert not missing.exists() and not delivery.default_verification_path(missing).exists()
    assert main(["deliver", "no-such-campaign", "--out", str(missing), *common]) == 2
    assert "no published campaign" in capsys.readouterr().err


def _pdf_text(path: Path) -> str:
    return unicodedata.normalize("NFKC", "\n".join(page.extract_text() or "" for page in PdfReader(path).pages))


def test_clear_count_follows_a_new_withdrawal(
    client: TestClient, clear_published: Engine, device: EnrolledDevice,
) -> None:
    a, b = _clear(1, email="a@example.org"), _clear(2, email="a@example.org")
    _upload(client, device, [a, b])
    assert client.get(f"{API_PREFIX}/campaigns/{CLEAR}/count").json()["count"] == 1
    with write_session(clear_published) as session:
        session.add(Withdrawal(signature_id=a["id"]))
        session.commit()
    assert client.get(f"{API_PREFIX}/campaigns/{CLEAR}/count").json()["count"] == 1  # b counts now
    with write_session(clear_published) as session:
        session.add(Withdrawal(signature_id=b["id"]))
        session.commit()
    assert client.get(f"{API_PREFIX}/campaigns/{CLEAR}/count").json()["count"] == 0


def test_clear_count_reads_what_arrived_since_and_notices_a_late_commit(
    client: TestClient, clear_published: Engine, device: EnrolledDevice,
) -> None:
    def count() -> int:
        return int(client.get(f"{API_PREFIX}/campaigns/{CLEAR}/count").json()["count"])

    phone = "+49 30 1234567"
    _upload(client, device, [_clear(1, email="a@example.org"), _clear(2, email="b@example.org", phone=phone,
                                                                      country="DE")])
    assert count() == 2
    _upload(client, device, [_clear(3, email="A@example.org", phone=phone, country="DE")])  # joins a and b
    assert count() == 1
    # A signature whose transaction committed long after its receive time: the groups read so far
    # miss it, the stored count says so, and everything is read again.
    late = SignatureCreate.model_validate(_clear(4, email="d@example.org"))
    with write_session(clear_published) as session:
        session.add(StoredSignature(**late.model_dump(), content_hash=content_hash(late), device_id=device.id,
                                    received_at=datetime.now(UTC) - timedelta(days=1)))
        session.commit()
    assert count() == 2
