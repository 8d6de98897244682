"""TLS between a device and a real server process: ``petition-server serve --ssl-certfile --ssl-keyfile``
on 127.0.0.1 with a certificate from a throw-away test CA (trustme). The Qt-free client accepts the
server only when told to trust that CA, and refuses it otherwise, or under a name the certificate does
not carry. Loopback only; every call has short timeouts."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import nacl.signing
import pytest
import trustme
from sqlmodel import Session

from db.sync.client import ApiClient, Offline
from server import sealing
from utils.sync_env import SyncServer, new_code, sync_server

TIMEOUTS = {"connect_timeout": 3.0, "read_timeout": 10.0}


def _pem_files(ca: trustme.CA, cert: trustme.LeafCert, folder: Path) -> tuple[Path, Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    chain, key, ca_file = folder / "chain.pem", folder / "key.pem", folder / "ca.pem"
    chain.write_bytes(b"".join(blob.bytes() for blob in cert.cert_chain_pems))
    cert.private_key_pem.write_to_path(str(key))
    ca.cert_pem.write_to_path(str(ca_file))
    return chain, key, ca_file


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SyncServer, Path]]:
    """A server whose certificate names only 127.0.0.1, and the CA file that signed it."""
    root = tmp_path_factory.mktemp("tls")
    ca = trustme.CA()
    files = _pem_files(ca, ca.issue_cert("127.0.0.1"), root / "pki")
    with sync_server(root / "server", tls=files) as server:
        assert server.url.startswith("https://127.0.0.1:")
        yield server, files[2]


def test_the_client_accepts_the_server_with_its_ca_configured(tls_server: tuple[SyncServer, Path]) -> None:
    server, ca_file = tls_server
    client = ApiClient(server.url, ca_file=str(ca_file), **TIMEOUTS)
    try:
        assert client.health().is_genuine()
        device_key = base64.b64encode(bytes(nacl.signing.SigningKey.generate().verify_key)).decode()
        enrolled = client.enroll(new_code(server.engine, "tls laptop"), device_key)
    finally:
        client.close()
    authed = ApiClient(server.url, enrolled.token, ca_file=str(ca_file), **TIMEOUTS)
    try:
        keys = authed.server_keys().keys
        assert authed.campaigns().campaigns
    finally:
        authed.close()
    with Session(server.engine) as session:
        active = sealing.active_public_key(session=session)
    assert active is not None
    sealing_keys = [k for k in keys if k.purpose == "sealing"]
    assert [(k.key_id, k.public_key) for k in sealing_keys] == [(active.key_id, active.b64)]
    assert sealing_keys == [k for k in enrolled.server_keys if k.purpose == "sealing"]


def test_the_client_refuses_the_server_without_its_ca(tls_server: tuple[SyncServer, Path], tmp_path: Path) -> None:
    server, _ = tls_server
    client = ApiClient(server.url, **TIMEOUTS)  # the system's CAs only
    with pytest.raises(Offline, match="SSLError"):
        client.health()
    client.close()

    stranger = trustme.CA()  # a CA file, but not the one that signed the server's certificate
    other_ca = tmp_path / "other-ca.pem"
    stranger.cert_pem.write_to_path(str(other_ca))
    client = ApiClient(server.url, ca_file=str(other_ca), **TIMEOUTS)
    with pytest.raises(Offline, match="SSLError"):
        client.health()
    client.close()


def test_the_client_refuses_a_certificate_for_another_host_name(tls_server: tuple[SyncServer, Path]) -> None:
    server, ca_file = tls_server
    # The same loopback server under the name "localhost", which its certificate (127.0.0.1) does not carry.
    client = ApiClient(server.url.replace("://127.0.0.1:", "://localhost:"), ca_file=str(ca_file), **TIMEOUTS)
    with pytest.raises(Offline, match="SSLError"):
        client.health()
    client.close()


def test_serve_refuses_half_a_tls_configuration(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from server.cli import main

    code = main(["serve", "--data-dir", str(tmp_path), "--ssl-certfile", str(tmp_path / "chain.pem")])
    assert code == 2 and "go together" in capsys.readouterr().err
