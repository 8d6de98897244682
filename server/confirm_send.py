"""``petition-server confirm-emails SLUG``: one confirmation message per person of a campaign that asks
for confirmation, in their language, through the operator's SMTP server, paced, idempotent and
resumable by signature id.

**Who gets a message.** The campaign's signatures are read (sealed ones opened with the passphrase,
in memory only) and grouped by the one duplicate rule (``server.dedupe``). Each person counted gets
one message, at the address of their counted signature (or, if it has none, of their earliest
standing one with an address), recorded under their counted signature. A person any of whose
signatures already has a message gets none: a person who signs again is not written to again.
Withdrawn and voided signatures get none.

**Order of writes, and the crash window.** For each message: a row in state ``sending`` is committed,
then the message goes to the mail server, then the row becomes ``sent`` (committed). A run killed
at any point leaves every message it finished as ``sent`` (never sent again) and at most one row in
``sending``. The next run sends that one again: *at least once*. A signer who gets no message can
never confirm and stays unconfirmed for good, whereas a second copy is harmless: it carries the same
link (the link's secret is derived from the row, ``server.confirmations``) and the same Message-ID,
which lets mail systems drop the copy, and the page confirms once. So the only double a crash can
cause is one message, when the process dies after the mail server accepted it and before the
``sent`` commit (milliseconds); every other crash point sends nothing twice.

**Failures.** A mail server that refuses a recipient for good (5xx) marks that row ``refused``
(never tried again, reported). Anything else (connection, login, a temporary 4xx) stops the run
with the reason; the row stays ``sending`` and the next run tries it again.

**What reaches the mail server** (SECURITY.md): the signer's address, the campaign's title in their
language, the day they signed and the link. Never their name or any other field.
"""

from __future__ import annotations

import contextlib
import ipaddress
import smtplib
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Any, Literal

from nacl.public import PrivateKey
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from db.schemas import as_utc
from db.signer_text import LANGUAGES, N_, translate
from server import confirmations, dedupe
from server.database import write_session
from server.models import EmailConfirmation, StoredSignature, utcnow

Security = Literal["starttls", "tls", "none"]
REFUSED = "refused"

SUBJECT = N_("Please confirm your signature: {campaign}")
GREETING = N_("Hello,")
SIGNED_ON = N_("you signed the petition “{campaign}” on {date}. Please confirm that it was you: open this link "
               "and choose on the page.")
IGNORE = N_("If you did not sign this petition, ignore this message: your address is not used for "
            "anything else and no other message about this signature will follow.")
SAME_LINK = N_("If this message reached you twice, either copy's link works.")


class SendError(Exception):
    """The run stopped (said to the operator as it is); what was sent stays sent."""


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: Security
    sender: str
    username: str | None = None
    password: str | None = None
    timeout: float = 30.0
    cafile: str | None = None  # a private CA (a test's, an organisation's); the system's otherwise

    @staticmethod
    def read_credentials(path: Path) -> tuple[str, str]:
        """The file's first line is the user name, its second the password (nothing else is read)."""
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise SendError(f"cannot read the SMTP credentials file {path}: {type(exc).__name__}") from None
        if len(lines) < 2 or not lines[0].strip() or not lines[1]:
            raise SendError(f"the SMTP credentials file {path} must hold the user name on its first line "
                            "and the password on its second")
        return lines[0].strip(), lines[1]

    def check(self) -> None:
        if self.username and self.security == "none" and not _loopback(self.host):
            raise SendError("refusing to send the SMTP password unencrypted to another machine: "
                            "use --smtp-security starttls or tls")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Mailer:
    """One SMTP connection for the run, opened on first use and again after the server dropped it."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self._smtp: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        c = self.config
        context = ssl.create_default_context(cafile=c.cafile)
        smtp: smtplib.SMTP
        if c.security == "tls":
            smtp = smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout, context=context)
        else:
            smtp = smtplib.SMTP(c.host, c.port, timeout=c.timeout)
            if c.security == "starttls":
                smtp.starttls(context=context)
        if c.username:
            smtp.login(c.username, c.password or "")
        return smtp

    def send(self, message: EmailMessage) -> None:
        if self._smtp is not None:
            try:
                self._smtp.noop()  # a connection the server closed while idle: open another first
            except (smtplib.SMTPException, OSError):
                self._smtp = None
        if self._smtp is None:
            self._smtp = self._open()
        # Once: a failure from here on may come after the server took the message (the next run sends
        # it again, at least once, as the module says).
        self._smtp.send_message(message)

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()
            self._smtp = None


# --- the message -----------------------------------------------------------------------------------------

def message_language(locale: str | None) -> str:
    base = (locale or "").replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else "en"


def _day(moment: datetime, lang: str) -> str:
    return as_utc(moment).strftime("%d.%m.%Y") if lang == "de" else as_utc(moment).date().isoformat()


def compose(*, lang: str, to: str, sender: str, campaign: str, signed_at: datetime, link: str,
            ref: str) -> EmailMessage:
    """The message, plain text in the signer's language (UTF-8; mail clients lay Arabic out right to left
    by its own characters)."""
    day = _day(signed_at, lang)
    message = EmailMessage()
    message["Subject"] = translate(lang, SUBJECT, campaign=campaign)
    message["From"] = sender
    message["To"] = to
    message["Date"] = formatdate(localtime=False, usegmt=True)
    domain = sender.rpartition("@")[2] or "petition.invalid"
    message["Message-ID"] = f"<confirm-{ref}@{domain}>"  # the same for a copy sent again after a crash
    message["Auto-Submitted"] = "auto-generated"
    body = "\n\n".join((
        translate(lang, GREETING) + "\n" + translate(lang, SIGNED_ON, campaign=campaign, date=day),
        link,
        translate(lang, IGNORE),
        translate(lang, SAME_LINK),
    ))
    message.set_content(body + "\n", charset="utf-8")
    message["Content-Language"] = lang  # after set_content, which drops Content-* headers
    return message


# --- the run ---------------------------------------------------------------------------------------------

@dataclass
class Report:
    sent: list[str] = field(default_factory=list)  # signature ids, in sending order
    again: int = 0  # of ``sent``: left in ``sending`` by an interrupted run, sent again
    already: int = 0  # people with a message from an earlier run
    without_email: int = 0
    refused: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)  # signatures whose address is not one: no message
    not_opened: int = 0


@dataclass(frozen=True)
class _Job:
    key: dedupe.Key
    email: str
    lang: str
    signed_at: datetime
    ref: str | None  # a row left in ``sending``: its ref (the same link again)
    attempts: int


def _jobs(slug: str, keys: Mapping[str, PrivateKey], engine: Engine, report: Report) -> list[_Job]:
    """Who gets a message in this run, in receive order."""
    with Session(engine) as session:
        extras: dict[dedupe.Key, tuple[Any, ...]] = {}
        people = []
        for person, extra in dedupe.read_people(slug, session=session, keys=keys,
                                                extra=(StoredSignature.locale, StoredSignature.created_at)):
            people.append(person)
            extras[person.key] = extra
        rows = {(r.device_id, r.signature_id): r for r in session.exec(
            select(EmailConfirmation).where(EmailConfirmation.campaign_slug == slug))}
        found = dedupe.count_people(people, members=True)
    jobs = []
    for person in found.counted:
        if not person.opened:
            report.not_opened += 1
            continue
        group = found.members[person.key]
        earlier = next((rows[p.key] for p in group if p.key in rows), None)
        if earlier is not None and earlier.state != confirmations.SENDING:
            report.already += 1
            continue
        with_email = [p for p in (person, *group) if p.live and (p.fields.get("email") or "").strip()]
        if not with_email:
            report.without_email += 1
            continue
        address = _address(str(with_email[0].fields["email"]))
        if address is None:  # devices validate addresses; a sealed one is checked only here
            report.invalid.append(person.key[1])
            continue
        locale, created_at = extras[person.key]
        key = (earlier.device_id, earlier.signature_id) if earlier is not None else person.key
        lang = earlier.lang if earlier is not None else message_language(locale)
        jobs.append(_Job(key, address, lang, as_utc(created_at),
                         earlier.ref if earlier is not None else None, earlier.attempts if earlier is not None else 0))
    return jobs


def _address(text: str) -> str | None:
    """The address as a mail header may carry it (no line breaks, one address), or None."""
    from email_validator import EmailNotValidError, validate_email

    try:
        return str(validate_email(text.strip(), check_deliverability=False).normalized)
    except EmailNotValidError:
        return None


def _claim(engine: Engine, slug: str, job: _Job) -> str | None:
    """Commit the row in state ``sending`` before the message leaves: its ref, or None when another run
    took this person meanwhile (an insert that met a row, an attempt count that moved)."""
    table = EmailConfirmation.__table__  # type: ignore[attr-defined]
    with write_session(engine) as session:
        if job.ref is None:
            ref = confirmations.new_ref()
            dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
            done = session.execute(dialect.insert(table).values(
                device_id=job.key[0], signature_id=job.key[1], campaign_slug=slug, ref=ref, lang=job.lang,
                state=confirmations.SENDING, attempts=1, started_at=utcnow(),
            ).on_conflict_do_nothing().returning(table.c.ref)).first()
        else:
            ref = job.ref
            done = session.execute(table.update().where(
                table.c.device_id == job.key[0], table.c.signature_id == job.key[1],
                table.c.state == confirmations.SENDING, table.c.attempts == job.attempts,
            ).values(attempts=job.attempts + 1, started_at=utcnow()).returning(table.c.ref)).first()
        session.commit()
    return ref if done is not None else None  # RETURNING, not rowcount: psycopg's is -1 here


def _mark(engine: Engine, job: _Job, state: str) -> None:
    table = EmailConfirmation.__table__  # type: ignore[attr-defined]
    with write_session(engine) as session:
        session.execute(table.update().where(table.c.device_id == job.key[0], table.c.signature_id == job.key[1])
                        .values(state=state, sent_at=utcnow() if state == confirmations.SENT else None))
        session.commit()


def run(engine: Engine, slug: str, keys: Mapping[str, PrivateKey], *, mailer: Mailer, link_key: bytes,
        public_url: str, per_minute: float, progress: Callable[[str], None] = lambda _line: None,
        clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> Report:
    """Send the campaign's confirmation messages, at most ``per_minute`` a minute."""
    with Session(engine) as session:
        if confirmations.asked(slug, session=session) is None:
            raise SendError(f"campaign {slug!r} does not ask for confirmation: "
                            f"run `petition-server ask-confirmation {slug}` first")
    with Session(engine) as session:
        titles = confirmations.titles(slug, session=session)
    report = Report()
    jobs = _jobs(slug, keys, engine, report)
    gap = 60.0 / per_minute
    next_at = clock()
    try:
        for job in jobs:
            wait = next_at - clock()
            if wait > 0:
                sleep(wait)
            ref = _claim(engine, slug, job)
            if ref is None:
                report.already += 1
                continue
            message = compose(lang=job.lang, to=job.email, sender=mailer.config.sender, campaign=titles[job.lang],
                              signed_at=job.signed_at, link=confirmations.link(public_url, link_key, ref, job.lang),
                              ref=ref)
            next_at = clock() + gap
            try:
                mailer.send(message)
            except smtplib.SMTPRecipientsRefused as exc:
                codes = [code for code, _ in exc.recipients.values()]
                if codes and all(500 <= code < 600 for code in codes):
                    _mark(engine, job, REFUSED)
                    report.refused.append(job.key[1])
                    continue
                raise SendError(f"the mail server refused a recipient for now ({', '.join(map(str, codes))}); "
                                "run again later to go on") from None
            except smtplib.SMTPNotSupportedError:
                if job.email.isascii():
                    raise SendError("the mail server does not support what this needs (STARTTLS?)") from None
                _mark(engine, job, REFUSED)  # an address in non-Latin letters, and no SMTPUTF8 on the server
                report.refused.append(job.key[1])
                continue
            except (smtplib.SMTPException, OSError) as exc:
                raise SendError(f"the mail server failed: {_describe(exc)}; what was sent stays sent, "
                                "run again to go on") from None
            _mark(engine, job, confirmations.SENT)
            report.sent.append(job.key[1])
            report.again += job.ref is not None
            progress(f"sent {len(report.sent)} of {len(jobs)}")
    finally:
        mailer.close()
    return report


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {text}"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return type(exc).__name__
