"""The coalition's partners, end to end: signatures saved on a real device database (a kiosk signer who
ticks two of three partners, a paper signer who ticks one, one who ticks none), sent through the server's
upload route, then ``petition-server`` (its own command line) makes the partners' keys, exports each
partner's file, opens it with that partner's key only, and erases; a withdrawal and an erase are
honoured by every later export. Sealed (the server's key) and in clear, SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from server_helpers import (
    PASSPHRASE,
    TEST_KDF_COST,
    EnrolledDevice,
    add_admin,
    enroll,
    ensure_sealing_key,
    post_login,
)
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from db.campaigns import builtin_bundle_dirs, load_bundle
from db.engine import write_session as device_write_session
from db.paper import import_paper
from db.schemas import Mode, parse_partner_optins
from db.sealing import remember_keys
from db.signatures import save_signature, void_signature
from db.sync import store
from db.wire import API_HEADER, API_PREFIX, API_VERSION
from server import campaigns, partners, withdrawals
from server.app import create_app
from server.cli import main
from server.database import write_session
from server.models import StoredSignature
from server.settings import ServerSettings
from utils.factories import make_draft

PARTNERS = ("families-for-freedom", "syrian-british-council", "white-helmets")
WITH_KEYS = PARTNERS[:2]  # the third has no key in the bundle: its file is a plain CSV


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def secrets(tmp_path: Path) -> dict[str, Path]:
    files = {}
    for name, secret in (("operator", PASSPHRASE), *((slug, f"{slug} passphrase, long") for slug in PARTNERS)):
        files[name] = tmp_path / f"{name}.passphrase"
        files[name].write_text(secret + "\n")
    return files


def _bundle_with_keys(tmp_path: Path, keys: dict[str, str], *, sealed: bool) -> Path:
    """The built-in act-on-syria bundle as a coalition publishes it: its partners' public keys added."""
    source = next(p for p in builtin_bundle_dirs() if p.name == "act-on-syria")
    folder = tmp_path / "act-on-syria"
    shutil.copytree(source, folder)
    manifest = (folder / "campaign.toml").read_text()
    for slug, key in keys.items():
        manifest = manifest.replace(f'slug = "{slug}"\n', f'slug = "{slug}"\npublic_key = "{key}"\n', 1)
    if not sealed:
        manifest += '\n[sealing]\nmode = "off"\n'
    (folder / "campaign.toml").write_text(manifest)
    return folder


@pytest.fixture
def client(tmp_path: Path, database_url: str, server_engine: Engine) -> Iterator[TestClient]:
    settings = ServerSettings(data_dir=tmp_path / "server", database_url=database_url)
    with TestClient(create_app(settings, server_engine), raise_server_exceptions=True) as test_client:
        yield test_client


def _send(client: TestClient, device: EnrolledDevice, engine: Engine) -> None:
    """Every pending signature of the device database, through the server's upload route."""
    after = 0
    for _ in range(10):  # bounded
        batch = store.claim_batch(engine, after_seq=after, max_count=100, max_bytes=1_000_000)
        if batch is None:
            return
        answer = client.post(f"{API_PREFIX}/devices/{device.id}/batches",
                             content=batch.body(datetime.now(UTC), "b", want_totals=False),
                             headers={"Authorization": f"Bearer {device.token}",
                                      API_HEADER: str(API_VERSION), "Content-Type": "application/json"})
        assert answer.status_code == 200, answer.text
        results = answer.json()["results"]
        assert all(r["outcome"] == "created" for r in results), results
        after = batch.last_seq
        store.apply_results(engine, batch, [store.SignatureResult.model_validate(r) for r in results], None)


def _only_paper_id(engine: Engine) -> str:
    raw = engine.raw_connection()
    try:
        (found,) = raw.cursor().execute("SELECT id FROM signature WHERE mode = 'paper'").fetchall()
        return str(found[0])
    finally:
        raw.close()


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


@pytest.mark.parametrize("sealed", [True, False], ids=["sealed", "clear"])
def test_each_partner_gets_exactly_its_signers_and_only_its_key_opens_the_file(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, database_url: str, server_engine: Engine,
        client: TestClient, engine: Engine, secrets: dict[str, Path], sealed: bool) -> None:
    common = ["--data-dir", str(tmp_path / "server"), "--database-url", database_url]
    keys_dir = tmp_path / "partner-keys"
    public: dict[str, str] = {}
    for slug in WITH_KEYS:
        code, out, err = _cli(capsys, "partner-key", "new", slug, "--out", str(keys_dir),
                              "--passphrase-file", str(secrets[slug]), "--kdf-cost", TEST_KDF_COST)
        assert code == 0, err
        key_file = keys_dir / f"{slug}.partner-key"
        assert key_file.stat().st_mode & 0o077 == 0
        public[slug] = json.loads(key_file.read_text())["public_key"]
        assert f'public_key = "{public[slug]}"' in out
        assert "private" not in key_file.read_text().lower().replace("private_key_box", "")
    code, _, err = _cli(capsys, "partner-key", "new", WITH_KEYS[0], "--out", str(keys_dir),
                        "--passphrase-file", str(secrets[WITH_KEYS[0]]))
    assert code == 2 and "never overwritten" in err

    server_key = ensure_sealing_key(server_engine)
    with write_session(server_engine) as session:
        campaigns.publish(_bundle_with_keys(tmp_path, public, sealed=sealed), session=session)
        session.commit()
    device = enroll(client, server_engine, "kiosk")
    if sealed:
        with device_write_session(engine) as session:
            remember_keys([{"purpose": "sealing", "public_key": server_key.b64}], server_url=None, session=session)
            session.commit()

    shown = load_bundle(next(p for p in builtin_bundle_dirs() if p.name == "act-on-syria")).localised("en")
    kiosk = save_signature(make_draft(email="kiosk@example.org", partners=frozenset(PARTNERS[1:])),
                           engine=engine, shown=shown)
    sheet = tmp_path / "sheet.csv"  # a paper sheet's transcript: the signer ticked one partner's box
    sheet.write_text(f"sheet,given_name,family_name,email,partner_{PARTNERS[0]},partner_{PARTNERS[2]}\n"
                     f"12,Paper,Signer,paper@example.org,,x\n", encoding="utf-8")
    imported = import_paper(sheet, engine=engine, campaign=shown.campaign)
    assert (imported.saved, imported.errors) == (1, [])
    paper = _only_paper_id(engine)
    save_signature(make_draft(email="nobody@example.org"), engine=engine, shown=shown)
    both = save_signature(make_draft(email="both@example.org", partners=frozenset({PARTNERS[0], PARTNERS[1]})),
                          engine=engine, shown=shown)
    receipt = save_signature(make_draft(email="receipt@example.org", partners=frozenset({PARTNERS[0]}),
                                        receipt_secret="the receipt's secret"), engine=engine, shown=shown)
    _send(client, device, engine)

    with Session(server_engine) as session:
        stored = {s.id: s for s in session.exec(select(StoredSignature)).all()}
    assert (stored[kiosk.id].sealed is not None) == sealed and stored[paper].mode == Mode.PAPER
    if not sealed:  # in clear: each opt-in with the SHA-256 of its own text as shown
        optins = parse_partner_optins(stored[kiosk.id].partner_optins)
        partner = shown.campaign.manifest.partner(PARTNERS[1])
        assert partner is not None and optins == {
            PARTNERS[1]: shown.partner_consent_record_sha256(partner),
            PARTNERS[2]: shown.partner_consent_record_sha256(shown.campaign.manifest.partner(PARTNERS[2]))}  # type: ignore[arg-type]
    else:  # sealed: the opt-ins are in the box, nothing in clear tells which partners a signer chose
        assert stored[kiosk.id].partner_optins is None

    with_passphrase = ["--passphrase-file", str(secrets["operator"])]

    def export(slug: str) -> Path:
        target = tmp_path / f"{slug}.partner"
        code, out, err = _cli(capsys, "export", "--partner", slug, "--out", str(target), *common, *with_passphrase)
        assert code == 0, err
        assert ("NOT encrypted" in out) == (slug not in WITH_KEYS)
        return target

    def emails(slug: str) -> set[str]:
        target = export(slug)
        if slug not in WITH_KEYS:
            return {row["email"] for row in _rows(target)}
        opened = tmp_path / f"{slug}.csv"
        code, _, err = _cli(capsys, "open-partner-file", str(target), "--key", str(keys_dir / f"{slug}.partner-key"),
                            "--out", str(opened), "--passphrase-file", str(secrets[slug]))
        assert code == 0, err
        header = opened.read_text(encoding="utf-8").splitlines()[0]
        assert header.split(",") == list(partners.PARTNER_COLUMNS)  # no comment, no handwriting, no device
        return {row["email"] for row in _rows(opened)}

    assert emails(PARTNERS[0]) == {"both@example.org", "receipt@example.org"}
    assert emails(PARTNERS[1]) == {"kiosk@example.org", "both@example.org"}
    assert emails(PARTNERS[2]) == {"kiosk@example.org", "paper@example.org"}

    # a partner file opens only with that partner's key
    target = export(PARTNERS[0])
    assert b"example.org" not in target.read_bytes()
    code, _, err = _cli(capsys, "open-partner-file", str(target), "--key", str(keys_dir / f"{PARTNERS[1]}.partner-key"),
                        "--passphrase-file", str(secrets[PARTNERS[1]]))
    assert code == 2 and "this key file holds" in err
    code, _, err = _cli(capsys, "open-partner-file", str(target), "--key", str(keys_dir / f"{PARTNERS[0]}.partner-key"),
                        "--passphrase-file", str(secrets[PARTNERS[1]]))
    assert code == 2 and "passphrase does not open" in err

    # a withdrawal at the stand (the device's void) leaves the kiosk signer out of every later export
    void_signature(kiosk.id, engine=engine)
    _send(client, device, engine)
    assert emails(PARTNERS[1]) == {"both@example.org"}
    assert emails(PARTNERS[2]) == {"paper@example.org"}
    # and so does a withdrawal on the receipt page
    with write_session(server_engine) as session:
        assert withdrawals.withdraw(receipt.id, "the receipt's secret", session=session) is not None
        session.commit()
    assert emails(PARTNERS[0]) == {"both@example.org"}

    # an erase by e-mail for every partner: the report names the partners already sent that person
    erase_args = ["erase", "--email", "Paper@Example.org", *common, *with_passphrase]
    code, out, err = _cli(capsys, *erase_args)
    assert code == 0, err
    assert "1 signature(s) of that person left out of every later export to every partner" in out
    assert f"  {PARTNERS[2]}  (1 signature(s))" in out and PARTNERS[0] not in out
    assert "paper@example.org" not in (out + err).lower()
    assert emails(PARTNERS[2]) == set()

    # an erase by receipt id for one partner only: the others still get that signer
    code, out, err = _cli(capsys, "erase", "--receipt-id", both.id, "--partner", PARTNERS[0], *common)
    assert code == 0, err
    assert f"  {PARTNERS[0]}  (1 signature(s))" in out and PARTNERS[1] not in out
    assert emails(PARTNERS[0]) == set()
    assert emails(PARTNERS[1]) == {"both@example.org"}

    code, out, _ = _cli(capsys, "erase", "--receipt-id", "0190c0de-0000-7000-8000-000000000001", *common)
    assert code == 0 and "nothing erased" in out
    code, _, err = _cli(capsys, "export", "--partner", "nobody-here", "--out", str(tmp_path / "x"), *common)
    assert code == 2 and "no published campaign names a partner 'nobody-here'" in err and not (tmp_path / "x").exists()

    with Session(server_engine) as session:
        counts = partners.partner_counts(session=session)
    # the dashboard's numbers: clear opt-ins only (a sealed campaign's open only with the passphrase)
    assert counts == ({slug: 0 for slug in PARTNERS} if sealed else
                      {PARTNERS[0]: 0, PARTNERS[1]: 1, PARTNERS[2]: 0})
    assert post_login(client, add_admin(server_engine)).status_code == 303
    page = client.get("/admin/").text
    assert f'<tr data-partner="{PARTNERS[1]}"><th scope="row">{PARTNERS[1]}</th><td class="num">{counts[PARTNERS[1]]}</td>' in page
    assert "both@example.org" not in page and "kiosk@" not in page  # counts only


def test_a_partner_file_is_refused_clearly_when_damaged_or_newer(tmp_path: Path) -> None:
    data, public = partners.new_key_file("white-helmets", "a long enough passphrase", cost=TEST_KDF_COST)
    key, private = partners.open_key_file(data, "a long enough passphrase")
    packed = partners.pack_partner_file("white-helmets", public, b"signature_id\r\n")
    assert partners.open_partner_file(packed, key, private)[1] == b"signature_id\r\n"
    for damaged, why in ((packed[:-1], "cut short"), (packed + b"x", "cut short"), (b"hello", "not a partner file"),
                         (packed.replace(b'"version":1', b'"version":9'), "update petition-server")):
        with pytest.raises(partners.PartnerError, match=why):
            partners.open_partner_file(damaged, key, private)
    with pytest.raises(partners.PartnerError, match="passphrase does not open"):
        partners.open_key_file(data, "another long passphrase")
    with pytest.raises(partners.SealingKeyError):
        partners.new_key_file("white-helmets", "short")
