"""The operators' CLI against a real data directory (SQLite) and PostgreSQL via --database-url."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from server_helpers import PASSPHRASE, batch, public_key, signature
from sqlalchemy.engine import Engine

from db.campaigns import builtin_bundle_dirs
from db.wire import API_PREFIX, parse_enrollment_uri
from server.app import create_app
from server.cli import main
from server.settings import ServerSettings


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_operator_workflow(capsys: pytest.CaptureFixture[str], tmp_path: Path, database_url: str,
                           server_engine: Engine) -> None:
    common = ["--data-dir", str(tmp_path / "server"), "--database-url", database_url]
    aleppo = next(p for p in builtin_bundle_dirs() if p.name == "aleppo")
    code, _, err = _cli(capsys, "publish-campaign", str(aleppo), *common)
    assert code == 2 and "petition-server keys init" in err  # a sealed campaign needs the server's key
    secret = tmp_path / "passphrase"
    secret.write_text(PASSPHRASE + "\n")
    code, out, _ = _cli(capsys, "keys", "init", "--passphrase-file", str(secret), "--kdf-cost", "interactive", *common)
    assert code == 0 and "created and active" in out
    code, out, _ = _cli(capsys, "publish-campaign", str(aleppo), *common)
    assert code == 0 and "published aleppo version 1" in out
    code, out, _ = _cli(capsys, "publish-campaign", str(aleppo), *common)
    assert code == 0 and "unchanged" in out

    # a changed bundle under the same version number is refused
    changed = tmp_path / "aleppo-changed"
    changed.mkdir()
    for f in aleppo.iterdir():
        (changed / f.name).write_bytes(f.read_bytes())
    (changed / "en.toml").write_text((aleppo / "en.toml").read_text().replace("Outrage", "Anger", 1))
    code, _, err = _cli(capsys, "publish-campaign", str(changed), *common)
    assert code == 2 and "immutable" in err

    qr_file = tmp_path / "qr.svg"
    code, out, _ = _cli(capsys, "add-device", "Front desk", "--server-url", "http://10.0.0.5:8000",
                        "--qr-file", str(qr_file), *common)
    assert code == 0 and qr_file.read_text().startswith("<?xml") and qr_file.stat().st_mode & 0o077 == 0
    uri = next(line for line in out.splitlines() if line.startswith("QR text: ")).removeprefix("QR text: ")
    server_url, enroll_code = parse_enrollment_uri(uri)
    assert server_url == "http://10.0.0.5:8000"
    printed = next(line for line in out.splitlines() if line.startswith("Enrollment code: "))
    assert printed.split()[2].replace("-", "") == enroll_code and len(printed.split()[2]) == 14
    assert "█" in out  # the terminal QR code

    app = create_app(ServerSettings(data_dir=tmp_path / "server", database_url=database_url), server_engine)
    with TestClient(app) as client:
        answer = client.post(f"{API_PREFIX}/enroll", json={"code": enroll_code, "device_public_key": public_key()})
        assert answer.status_code == 200
        device_id, token = answer.json()["device_id"], answer.json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        sigs = [signature(seq=1, given_name="=HYPERLINK(\"x\")"), signature(seq=2, event_id="0b5b1c1e-4a8e-4f39-9d7c-2a3f9b1e6c11")]
        results = client.post(f"{API_PREFIX}/devices/{device_id}/batches", json=batch(sigs), headers=headers).json()
        assert [r["outcome"] for r in results["results"]] == ["created", "created"]

        code, out, _ = _cli(capsys, "list-devices", *common)
        assert "Front desk" in out and "enrolled" in out
        code, out, _ = _cli(capsys, "stats", *common)
        assert code == 0 and "aleppo" in out and "1 enrolled" in out

        target = tmp_path / "export.csv"
        code, out, _ = _cli(capsys, "export", "--csv", str(target), *common)
        assert code == 0 and "2 signatures" in out
        with open(target, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        assert len(rows) == 2
        by_id = {r["id"]: r for r in rows}
        first = by_id[sigs[0]["id"]]
        assert first["given_name"].startswith("'=")  # no formula injection into spreadsheets
        assert first["device_name"] == "Front desk" and first["device_id"] == device_id
        assert first["consent_processing"] == "true" and first["consent_text_sha256"] == sigs[0]["consent_text_sha256"]
        assert first["mode"] == "kiosk" and first["received_at"] and first["created_at_corrected"]
        assert by_id[sigs[1]["id"]]["event_id"] == sigs[1]["event_id"]

        code, out, _ = _cli(capsys, "close-campaign", "aleppo", *common)
        assert code == 0
        closed = client.post(f"{API_PREFIX}/devices/{device_id}/batches", json=batch([signature(seq=3)]), headers=headers)
        assert closed.json()["results"][0]["outcome"] == "campaign_closed"
        code, out, _ = _cli(capsys, "reopen-campaign", "aleppo", *common)
        assert code == 0

        code, out, err = _cli(capsys, "revoke-device", "Nobody", *common)
        assert code == 2 and "no device" in err
        code, out, _ = _cli(capsys, "revoke-device", "Front desk", *common)
        assert code == 0 and "revoked" in out
        assert client.get(f"{API_PREFIX}/campaigns", headers=headers).status_code == 403


def test_add_device_without_server_url_warns(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = _cli(capsys, "add-device", "Tablet", "--no-qr", "--data-dir", str(tmp_path / "d"))
    assert code == 0 and "--server-url" in err and "█" not in out
    assert list((tmp_path / "d" / "enrollment").glob("*.svg"))
