"""Email confirmation (``petition-server ask-confirmation`` / ``confirm-emails``, the ``/confirm/`` page)
against a real SMTP server on 127.0.0.1 (aiosmtpd, in this process), on SQLite and PostgreSQL: one
message per person in their language, the link confirms once, a second run sends nothing, a SIGKILL of
a real ``confirm-emails`` process mid-run resumes without sending anything twice, and the dashboard and
the delivery package agree on the confirmed count."""

from __future__ import annotations

import email
import email.policy
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from server_helpers import PASSPHRASE, EnrolledDevice, batch, free_port, sealed_signature, signature
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from server import confirmations, dashboard, delivery
from server.cli import PASSPHRASE_ENV, main
from server.models import EmailConfirmation
from server.settings import ServerSettings

ROOT = Path(__file__).resolve().parents[2]
SLUG = "aleppo"
PUBLIC_URL = "https://petition.example.org"
SENDER = "petition@example.org"


@dataclass
class SmtpSink:
    """The handler of the test's SMTP server: keeps each message it accepted. ``delay`` holds every
    message before the server answers (a slow mail server), so a kill lands mid-message."""

    delay: float = 0.0
    messages: list[EmailMessage] = field(default_factory=list)
    started: int = 0  # messages whose DATA began
    refuse: set[str] = field(default_factory=set)  # mailboxes answered "550 no such mailbox"
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,  # noqa: N802
                          rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        import asyncio

        with self.lock:
            self.started += 1
        if self.delay:
            # aiosmtpd cancels this when the client's connection goes: a message whose sender died
            # before the answer is not kept, as a mail server that never said 250 does not deliver it.
            await asyncio.sleep(self.delay)
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        assert envelope.rcpt_tos == [parsed["To"]]
        with self.lock:
            self.messages.append(parsed)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp() -> Iterator[tuple[SmtpSink, int]]:
    sink = SmtpSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


def cli_args(settings: ServerSettings) -> list[str]:
    return ["--data-dir", str(settings.data_dir), "--database-url", str(settings.database_url)]


def send_args(settings: ServerSettings, port: int, per_minute: int = 60_000) -> list[str]:
    return ["confirm-emails", SLUG, *cli_args(settings), "--server-url", PUBLIC_URL, "--smtp-host", "127.0.0.1",
            "--smtp-port", str(port), "--smtp-security", "none", "--from", SENDER, "--per-minute", str(per_minute)]


def upload(client: TestClient, device: EnrolledDevice, items: list[dict[str, Any]]) -> None:
    answer = client.post(device.batches, json=batch(items), headers=device.headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["counts"]["created"] == len(items)


def ask(settings: ServerSettings, *extra: str) -> None:
    assert main(["ask-confirmation", SLUG, *cli_args(settings), *extra]) == 0


def link_of(message: EmailMessage) -> str:
    body = message.get_content()
    found = re.search(re.escape(PUBLIC_URL) + r"(/confirm/\S+)", body)
    assert found, body
    return found.group(1)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def rows(engine: Engine) -> list[EmailConfirmation]:
    with Session(engine) as session:
        return list(session.exec(select(EmailConfirmation)))


def test_one_message_per_person_in_their_language_and_the_link_confirms_once(
        client: TestClient, device: EnrolledDevice, published: Engine, server_settings: ServerSettings,
        smtp: tuple[SmtpSink, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sink, port = smtp
    upload(client, device, [
        signature(SLUG, 1, email="rana@example.org", locale="en", given_name="Rana", family_name="Haddad"),
        signature(SLUG, 2, email="samir@example.org", locale="ar", given_name="Samir", family_name="Khalil"),
        signature(SLUG, 3, email="jonas@example.org", locale="de", given_name="Jonas", family_name="Weber"),
        signature(SLUG, 4, email=None, locale="en"),  # no address: no message
    ])
    # Rana again, later, her address in other case: one person, one message (to her first signature's)
    upload(client, device, [signature(SLUG, 5, email="RANA@example.org", locale="de", given_name="Rana",
                                      family_name="H.")])
    # Not asked yet: nothing is sent, and the operator is told how to ask.
    assert main(send_args(server_settings, port)) == 1
    assert "ask-confirmation" in capsys.readouterr().err and sink.messages == []

    ask(server_settings)
    assert main(send_args(server_settings, port)) == 0
    assert "3 confirmation messages sent" in capsys.readouterr().out
    assert sorted(m["To"] for m in sink.messages) == ["jonas@example.org", "rana@example.org", "samir@example.org"]
    with Session(published) as session:
        titles = confirmations.titles(SLUG, session=session)
    for address, lang, words in (("rana@example.org", "en", "Please confirm your signature"),
                                 ("samir@example.org", "ar", "يرجى تأكيد توقيعك"),
                                 ("jonas@example.org", "de", "Bitte bestätigen Sie Ihre Unterschrift")):
        (message,) = sink.to(address)
        assert message["Content-Language"] == lang
        assert message["Subject"] == f"{words}: {titles[lang]}"
        assert message["From"] == SENDER
        body = message.get_content()
        assert titles[lang] in body and f"lang={lang}" in body
        for name in ("Rana", "Samir", "Jonas", "Haddad", "Khalil", "Weber"):  # never a name to the mail server
            assert name not in body and name not in message["Subject"]
    assert "وقّعت على العريضة" in sink.to("samir@example.org")[0].get_content()

    # The page: the campaign and the day, the two choices, in the link's language.
    link = link_of(sink.to("samir@example.org")[0])
    page = client.get(link)
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert 'dir="rtl"' in page.text and "تأكيد توقيعي" in page.text and "تأكيد وإبقائي على اطّلاع" in page.text
    assert titles["ar"] in page.text and 'data-state="unconfirmed"' in page.text
    assert "samir" not in page.text.lower() and "Khalil" not in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    path, query = urlsplit(link).path, parse_qs(urlsplit(link).query)
    key = query["k"][0]

    # A wrong secret looks like an unknown link; GET never confirms.
    assert client.get(f"{path}?k={'A' * len(key)}").status_code == 404
    assert client.get(path).status_code == 404
    assert all(r.confirmed_at is None for r in rows(published))
    # A POST without the page's token, or marked cross-site, changes nothing.
    assert client.post(path, data={"k": key, "choice": "confirm", "csrf": "1.x"}).status_code == 403
    cross = client.post(path, data={"k": key, "choice": "confirm", "csrf": csrf_of(page.text)},
                        headers={"Origin": "https://evil.example"})
    assert cross.status_code == 403
    assert all(r.confirmed_at is None for r in rows(published))

    done = client.post(f"{path}?lang=ar", data={"k": key, "choice": "inform", "csrf": csrf_of(page.text)})
    assert done.status_code == 200 and 'data-state="confirmed"' in done.text
    assert "تم تأكيد هذا التوقيع من قبل" not in done.text
    again = client.post(f"{path}?lang=en", data={"k": key, "choice": "confirm", "csrf": csrf_of(page.text)})
    assert again.status_code == 200 and "This signature was already confirmed." in again.text
    (confirmed,) = [r for r in rows(published) if r.confirmed_at is not None]
    assert confirmed.keep_informed is True  # the first answer stands

    # A second run sends nothing.
    assert main(send_args(server_settings, port)) == 0
    assert "0 confirmation messages sent" in capsys.readouterr().out and len(sink.messages) == 3

    # A new signer later gets theirs, and only they.
    upload(client, device, [signature(SLUG, 6, email="lina@example.org", locale="en")])
    assert main(send_args(server_settings, port)) == 0
    assert len(sink.messages) == 4 and len(sink.to("lina@example.org")) == 1
    assert "1 confirmation message sent (0 of them again" in capsys.readouterr().out

    # The dashboard and the delivery package agree: 1 confirmed, 3 asked and not (yet), 1 never asked.
    with Session(published) as session:
        (row,) = [c for c in dashboard.campaign_rows(session=session) if c.slug == SLUG]
    assert row.confirmation is not None
    assert (row.confirmation.confirmed, row.confirmation.unconfirmed) == (1, 3)
    pdf = tmp_path / "delivery.pdf"
    assert main(["deliver", SLUG, *cli_args(server_settings), "--out", str(pdf)]) == 0
    assert "1 of them confirmed by email, 3 unconfirmed" in capsys.readouterr().out
    from pypdf import PdfReader

    cover = " ".join(" ".join(page.extract_text() for page in PdfReader(str(pdf)).pages[:2]).split())
    assert "Confirmed by email: 1. Asked to confirm, not (yet) confirmed: 3. No email address given: 1." in cover
    found = delivery.collect(published, delivery.Options(SLUG), {})
    assert found.total == 5  # Rana once
    assert (found.confirmed, found.unconfirmed) == (row.confirmation.confirmed, row.confirmation.unconfirmed)
    # The dashboard page says the same.
    from server_helpers import add_admin, post_login

    post_login(client, add_admin(published))
    html = client.get("/admin/").text
    cell = re.search(rf'data-slug="{SLUG}".*?<span class="confirmed">(\d+)</span>.*?<span class="unconfirmed">(\d+)</span>',
                     html, re.S)
    assert cell and (int(cell.group(1)), int(cell.group(2))) == (1, 3)


def test_a_sealed_campaign_needs_the_passphrase_and_finds_duplicates_with_it(
        client: TestClient, device: EnrolledDevice, published: Engine, server_settings: ServerSettings,
        smtp: tuple[SmtpSink, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from server_helpers import ensure_sealing_key

    sink, port = smtp
    key = ensure_sealing_key(published)
    upload(client, device, [sealed_signature(key, SLUG, 1, email="nour@example.org", locale="de"),
                            sealed_signature(key, SLUG, 2, email="Nour@Example.org", locale="en"),
                            sealed_signature(key, SLUG, 3, email="other@example.org", locale="ar")])
    ask(server_settings, "--no-updates")
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)
    assert main(send_args(server_settings, port)) == 2
    assert "nothing was sent" in capsys.readouterr().err and sink.messages == [] and rows(published) == []
    secret = tmp_path / "passphrase"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    assert main([*send_args(server_settings, port), "--passphrase-file", str(secret)]) == 0
    assert sorted(m["To"].lower() for m in sink.messages) == ["nour@example.org", "other@example.org"]
    assert sink.to("other@example.org")[0]["Content-Language"] == "ar"
    # The campaign offers "confirm" only: the page has one button.
    page = client.get(link_of(sink.to("other@example.org")[0]))
    assert page.status_code == 200 and 'value="confirm"' in page.text and 'value="inform"' not in page.text
    # Nothing of the address is stored.
    for row in rows(published):
        assert "example" not in " ".join(str(v) for v in row.model_dump().values()).lower()


def test_a_killed_run_resumes_without_sending_anything_twice(
        client: TestClient, device: EnrolledDevice, published: Engine, server_settings: ServerSettings,
        smtp: tuple[SmtpSink, int]) -> None:
    sink, port = smtp
    addresses = [f"signer{n}@example.org" for n in range(1, 9)]
    upload(client, device, [signature(SLUG, n, email=a) for n, a in enumerate(addresses, 1)])
    ask(server_settings)
    sink.delay = 1.0  # a slow mail server: the kill lands while a message is in its hands
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "server.cli", *send_args(server_settings, port)],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while sink.started < 4 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert sink.started >= 4, process.communicate(timeout=5)
        time.sleep(0.1)  # the 4th message is inside the server's 1 s
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    time.sleep(sink.delay + 0.2)  # let the server drop the orphaned message
    assert len(sink.messages) == 3
    states = sorted(r.state for r in rows(published))
    assert states == ["sending", "sent", "sent", "sent"]  # the one in flight stays "sending"

    sink.delay = 0.0
    finished = subprocess.run([sys.executable, "-m", "server.cli", *send_args(server_settings, port)],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr
    assert "5 confirmation messages sent (1 of them again" in finished.stdout
    assert sorted(m["To"] for m in sink.messages) == sorted(addresses)  # each exactly once
    assert {r.state for r in rows(published)} == {"sent"} and len(rows(published)) == 8
    # ... with one link per person, the one in flight the same ref as before
    assert len({link_of(m) for m in sink.messages}) == 8


def test_sending_is_paced(published: Engine, server_settings: ServerSettings, client: TestClient,
                          device: EnrolledDevice, smtp: tuple[SmtpSink, int]) -> None:
    sink, port = smtp
    upload(client, device, [signature(SLUG, n, email=f"p{n}@example.org") for n in range(1, 5)])
    ask(server_settings)
    started = time.monotonic()
    assert main(send_args(server_settings, port, per_minute=240)) == 0  # one every 0.25 s
    assert time.monotonic() - started >= 0.7 and len(sink.messages) == 4


def test_a_password_never_goes_unencrypted_to_another_machine(server_settings: ServerSettings, published: Engine,
                                                              tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    credentials = tmp_path / "smtp"
    credentials.write_text("user\nsecret\n", encoding="utf-8")
    args = send_args(server_settings, 25)
    args[args.index("127.0.0.1")] = "mail.example.org"
    assert main([*args, "--smtp-credentials-file", str(credentials)]) == 2
    assert "unencrypted" in capsys.readouterr().err


def test_the_confirmations_table_keeps_no_address(published: Engine) -> None:
    columns = set(EmailConfirmation.__table__.columns.keys())  # type: ignore[attr-defined]
    assert not {"email", "email_sha256", "address"} & columns
    assert confirmations.link_secret(b"k" * 32, "ref") != confirmations.link_secret(b"k" * 32, "reg")
    from server import web

    logged = web.redact_access_line('127.0.0.1 - "GET /confirm/abc?k=SECRETVALUE&lang=ar HTTP/1.1" 200')
    assert "SECRETVALUE" not in logged and "k=[redacted]" in logged



def test_starttls_with_a_login_from_the_credentials_file(
        client: TestClient, device: EnrolledDevice, published: Engine, server_settings: ServerSettings,
        tmp_path: Path) -> None:
    import ssl

    import trustme
    from aiosmtpd.smtp import AuthResult, LoginPassword

    ca = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_context)
    cafile = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(cafile))
    logins: list[tuple[bytes, bool]] = []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        assert isinstance(data, LoginPassword)
        logins.append((data.login, session.ssl is not None))
        return AuthResult(success=data.login == b"petition" and data.password == b"s3cret pass")

    sink, port = SmtpSink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, tls_context=server_context,
                            require_starttls=True, authenticator=authenticator, auth_require_tls=True)
    controller.start()
    try:
        upload(client, device, [signature(SLUG, 1, email="tls@example.org")])
        ask(server_settings)
        credentials = tmp_path / "smtp"
        credentials.write_text("petition\ns3cret pass\n", encoding="utf-8")
        args = send_args(server_settings, port)
        args[args.index("none")] = "starttls"
        # Without the test's CA the certificate is not trusted: nothing is sent, the row waits.
        assert main([*args, "--smtp-credentials-file", str(credentials)]) == 1
        assert sink.messages == [] and logins == []
        assert main([*args, "--smtp-credentials-file", str(credentials), "--smtp-cafile", str(cafile)]) == 0
    finally:
        controller.stop()
    assert logins == [(b"petition", True)]  # the password went only inside TLS
    assert [m["To"] for m in sink.messages] == ["tls@example.org"]
    assert {r.state for r in rows(published)} == {"sent"}


def test_s0011_down_and_up_keeps_signatures(tmp_path: Path) -> None:
    from alembic import command
    from server_helpers import publish_builtin
    from sqlalchemy import inspect, text

    from server.database import _alembic_config, current_revision, make_engine, sqlite_url, upgrade

    engine = make_engine(sqlite_url(tmp_path))
    upgrade(engine)
    publish_builtin(engine)
    with Session(engine) as session:
        assert confirmations.set_asked(SLUG, True, offer_updates=None, session=session)
        session.commit()
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "s0009_device_events")
    assert current_revision(engine) == "s0009_device_events"
    assert not {"email_confirmation", "confirmation_asked"} & set(inspect(engine).get_table_names())
    upgrade(engine)
    assert {"email_confirmation", "confirmation_asked"} <= set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM campaign_version")).scalar() == 2
    with Session(engine) as session:
        assert confirmations.asked(SLUG, session=session) is None  # a downgrade forgets the setting
    engine.dispose()


def test_a_mailbox_refused_for_good_is_reported_once_and_not_tried_again(
        client: TestClient, device: EnrolledDevice, published: Engine, server_settings: ServerSettings,
        smtp: tuple[SmtpSink, int], capsys: pytest.CaptureFixture[str]) -> None:
    sink, port = smtp
    sink.refuse = {"gone@example.org"}
    upload(client, device, [signature(SLUG, 1, email="gone@example.org"), signature(SLUG, 2, email="here@example.org")])
    ask(server_settings)
    assert main(send_args(server_settings, port)) == 1
    assert "refused 1 address for good (it is not tried again)" in capsys.readouterr().err
    assert [m["To"] for m in sink.messages] == ["here@example.org"]
    assert sorted(r.state for r in rows(published)) == ["refused", "sent"]
    assert main(send_args(server_settings, port)) == 0
    assert "0 confirmation messages sent" in capsys.readouterr().out and len(sink.messages) == 1


def test_withdrawn_and_voided_signers_get_no_message_and_an_erase_for_partners_does_not_stop_one(
        client: TestClient, device: EnrolledDevice, published: Engine, server_settings: ServerSettings,
        smtp: tuple[SmtpSink, int], capsys: pytest.CaptureFixture[str]) -> None:
    """A signature withdrawn on its receipt page, voided by its device or voided by the operator gets no
    message. An erase (``petition-server erase``, even for every partner) is about the partners: the
    signer still gets the campaign's own confirmation message (SECURITY.md says so)."""
    from server import partners, voids
    from server.database import write_session
    from server.models import Withdrawal

    sink, port = smtp
    withdrawn, by_device, by_operator, erased, kept = (
        signature(SLUG, i, email=f"{name}@example.org", given_name=name.title(), family_name=f"Signer {i}")
        for i, name in enumerate(("withdrawn", "bydevice", "byoperator", "erased", "kept"), start=1))
    upload(client, device, [withdrawn, by_device, by_operator, erased, kept])
    upload(client, device, [signature(SLUG, 6, voids=by_device["id"], given_name=None, family_name=None, email=None,
                                      city=None)])
    with write_session(published) as session:
        session.add(Withdrawal(signature_id=withdrawn["id"]))
        assert not isinstance(voids.void_by_operator(by_operator["id"], "test", session=session), str)
        session.commit()
    partners.erase(published, signature_id=erased["id"])  # for every partner

    ask(server_settings)
    assert main(send_args(server_settings, port)) == 0
    assert "2 confirmation messages sent" in capsys.readouterr().out
    assert sorted(m["To"] for m in sink.messages) == ["erased@example.org", "kept@example.org"]
