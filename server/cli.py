"""``petition-server``: run the server and operate it from its host.

Every command takes ``--data-dir DIR`` (default: the user data directory of "petition-server", or
``PETITION_SERVER_DATA_DIR``) and ``--database-url URL`` (or ``PETITION_SERVER_DATABASE_URL``; default an
SQLite file in the data directory). Each applies pending schema migrations first.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from gettext import ngettext  # the operator's English: gettext's rule for one and many, untranslated
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from db.campaigns import BundleError
from db.cli_errors import EXIT_FILE_SYSTEM, file_system_problem
from db.files import write_atomically
from db.schemas import as_utc
from db.wire import enrollment_uri, format_code, handoff_version_read
from server import admins, campaigns, dedupe, devices, export, partners_cli, qr, sealing, web_sign
from server.actionnetwork_cli import add_commands as add_push_commands
from server.database import open_database, write_session
from server.security import ServerKeyFileError
from server.settings import ServerSettings
from server.version import __version__

DEFAULT_PORT = 8000


def _settings(args: argparse.Namespace) -> ServerSettings:
    return ServerSettings.from_env(
        data_dir=args.data_dir, database_url=args.database_url, public_url=getattr(args, "server_url", None),
        openapi=getattr(args, "openapi", None), root_path=getattr(args, "root_path", None),
    )


def _engine(settings: ServerSettings) -> Engine:
    return open_database(settings.effective_database_url)


def _fmt_time(value: object) -> str:
    from datetime import datetime

    if isinstance(value, datetime):
        return as_utc(value).strftime("%Y-%m-%d %H:%M UTC")
    return "-"


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    if bool(args.ssl_certfile) != bool(args.ssl_keyfile):
        print("error: --ssl-certfile and --ssl-keyfile go together", file=sys.stderr)
        return 2
    for pem in filter(None, (args.ssl_certfile, args.ssl_keyfile)):
        Path(pem).open("rb").close()  # missing: main() names the file (the ssl module's error does not)
    settings = _settings(args)
    engine = _engine(settings)  # migrate once, here, before any worker starts
    from server.security import seal_clear_keys, signing_key

    seal_clear_keys(engine, settings.data_dir)  # stored in clear by an older version: encrypted once, here
    signing_key(engine, settings.data_dir)  # made, or opened with this data folder's key file: else stop here
    with Session(engine) as session:
        if sealing.active_public_key(session=session) is None:
            print("note: no sealing key yet: devices enroll without one and campaigns cannot be published "
                  "sealed; run `petition-server keys init`", file=sys.stderr)
    engine.dispose()
    os.environ.update(settings.to_env())
    scheme = "https" if args.ssl_certfile else "http"
    print(f"petition-server {__version__} on {scheme}://{args.host}:{args.port}  database: {_describe_url(settings)}",
          flush=True)
    uvicorn.run("server.app:create_app_from_env", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level=args.log_level, access_log=args.access_log,
                proxy_headers=True, forwarded_allow_ips=args.forwarded_allow_ips, root_path=settings.root_path,
                ssl_certfile=args.ssl_certfile, ssl_keyfile=args.ssl_keyfile)
    return 0


def _describe_url(settings: ServerSettings) -> str:
    from sqlalchemy.engine import make_url

    return make_url(settings.effective_database_url).render_as_string(hide_password=True)


def cmd_migrate(args: argparse.Namespace) -> int:
    _engine(_settings(args))
    print("database schema is up to date")
    return 0


def cmd_add_device(args: argparse.Namespace) -> int:
    settings = _settings(args)
    engine = _engine(settings)
    server_url = settings.public_url
    if args.qr_file:  # a folder that cannot hold the QR code: say so before a device is added
        Path(args.qr_file).parent.mkdir(parents=True, exist_ok=True)
    with write_session(engine) as session:
        try:
            new = devices.add_device(args.name, session=session, ttl=_ttl(settings))
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        session.commit()
    code = format_code(new.code)
    print(f"Device {new.name!r} added (id {new.device_id}).")
    print(f"Enrollment code: {code}   (works once, until {_fmt_time(new.expires_at)})")
    if server_url is None:
        server_url = f"http://127.0.0.1:{DEFAULT_PORT}"
        print(f"note: no --server-url given; the QR code points at {server_url}, which only this machine "
              "reaches. Pass --server-url http://<this machine's address>:<port> (or set "
              "PETITION_SERVER_PUBLIC_URL).", file=sys.stderr)
    text = enrollment_uri(server_url, new.code)
    if not args.no_qr:
        print(qr.terminal(text))
    target = Path(args.qr_file) if args.qr_file else settings.data_dir / "enrollment" / f"device-{new.device_id[:8]}.svg"
    qr.write_svg(text, target)
    print(f"QR code saved to {target} (delete it once the device is enrolled)")
    print(f"QR text: {text}")
    return 0


def _ttl(settings: ServerSettings):  # type: ignore[no-untyped-def]
    from datetime import timedelta

    return timedelta(hours=settings.code_ttl_hours)


def cmd_list_devices(args: argparse.Namespace) -> int:
    engine = _engine(_settings(args))
    with Session(engine) as session:
        rows = devices.all_devices(session=session)
    if not rows:
        print("no devices yet: add one with `petition-server add-device NAME`")
        return 0
    print(f"{'id':36}  {'name':20}  {'state':9}  {'signatures':>10}  {'last seen':20}  clock offset")
    for device, count in rows:
        state = "revoked" if device.revoked_at else ("enrolled" if device.enrolled_at else "waiting")
        if web_sign.is_web_device(device.id, device.name):
            state = "web"
        offset = "-" if device.last_clock_offset_ms is None else f"{device.last_clock_offset_ms / 1000:+.1f} s"
        print(f"{device.id:36}  {device.name[:20]:20}  {state:9}  {count:>10}  {_fmt_time(device.last_seen_at):20}  {offset}")
    return 0


def cmd_revoke_device(args: argparse.Namespace) -> int:
    engine = _engine(_settings(args))
    with write_session(engine) as session:
        found = devices.find(args.device, session=session)
        if len(found) != 1:
            what = "no device" if not found else f"{len(found)} devices"
            print(f"error: {what} match {args.device!r}; give the device id (see list-devices)", file=sys.stderr)
            return 2
        devices.revoke(found[0], session=session)
        session.commit()
        print(f"Device {found[0].name!r} ({found[0].id}) revoked: its token no longer works; its signatures stay.")
    return 0


def cmd_publish_campaign(args: argparse.Namespace) -> int:
    engine = _engine(_settings(args))
    with write_session(engine) as session:
        try:
            done = campaigns.publish(Path(args.path), session=session)
        except BundleError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        session.commit()
    verb = "published" if done.created else "already published, unchanged:"
    print(f"{verb} {done.slug} version {done.version} (bundle sha256 {done.bundle_sha256})")
    return 0


def _cmd_set_closed(args: argparse.Namespace, closed: bool) -> int:
    engine = _engine(_settings(args))
    with write_session(engine) as session:
        if not campaigns.set_closed(args.slug, closed, session=session):
            print(f"error: no published campaign {args.slug!r}", file=sys.stderr)
            return 2
        session.commit()
    print(f"campaign {args.slug} {'closed: devices get campaign_closed' if closed else 'reopened'}")
    return 0


def _cmd_set_web_paused(args: argparse.Namespace, paused: bool) -> int:
    engine = _engine(_settings(args))
    with write_session(engine) as session:
        if not web_sign.set_paused(args.slug, paused, session=session):
            print(f"error: no published campaign {args.slug!r}", file=sys.stderr)
            return 2
        session.commit()
    print(f"the web page of {args.slug} (/s/{args.slug}) {'is paused: it takes no signatures' if paused else 'takes signatures again'}")
    return 0


def cmd_export_bundle(args: argparse.Namespace) -> int:
    from db.wire import SIGNED_BUNDLE_SUFFIX, pack_signed_bundle
    from server import security

    settings = _settings(args)
    engine = _engine(settings)
    with Session(engine) as session:
        found = campaigns.bundle(args.slug, args.version, session=session)
        entry = next((e for e in campaigns.entries(session=session) if (e.slug, e.version) == (args.slug, args.version)),
                     None)
        if found is None or entry is None:
            print(f"error: no published campaign {args.slug} version {args.version}", file=sys.stderr)
            return 2
        entry = campaigns.sign_entry(entry, security.signing_key(engine, settings.data_dir), session=session)
    target = Path(args.out or f"{args.slug}-v{args.version}{SIGNED_BUNDLE_SUFFIX}")
    write_atomically(target, pack_signed_bundle(entry, found[0]))
    print(f"wrote {target}: {args.slug} version {args.version}, signed by this server; a device enrolled with "
          "it installs the file as if it had pulled it (petition-kiosk import-campaign FILE)")
    return 0


def cmd_void(args: argparse.Namespace) -> int:
    from server import voids

    reason = " ".join(args.reason.split())
    if not reason:
        print("error: say why with --reason TEXT (it is kept with the void)", file=sys.stderr)
        return 2
    engine = _engine(_settings(args))
    with write_session(engine) as session:
        done = voids.void_by_operator(args.signature_id, reason[:500], session=session, device_id=args.device)
        if isinstance(done, str):
            print(f"error: no stored signature {args.signature_id!r}" + (" from that device" if args.device else "")
                  if done == "unknown" else
                  f"error: more than one device sent {args.signature_id!r}: say which with --device DEVICE_ID "
                  "(see list-devices)", file=sys.stderr)
            return 2
        void, made = done
        session.commit()
        already = not made
        print(f"signature {void.signature_id} ({void.campaign_slug}, device {void.device_id}) "
              f"{'was already voided' if already else 'voided'} at {void.voided_at:%Y-%m-%d %H:%M:%S} UTC: "
              f"{void.reason}; it no longer counts")
    logging.getLogger("petition_server").info("operator voided signature %s", args.signature_id)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    engine = _engine(_settings(args))
    with Session(engine) as session:
        rows = campaigns.summary(session=session)
        device_rows = devices.all_devices(session=session)
    enrolled = sum(1 for d, _ in device_rows if d.enrolled_at and not d.revoked_at)
    revoked = sum(1 for d, _ in device_rows if d.revoked_at)
    print(f"devices: {len(device_rows)} ({enrolled} enrolled, {revoked} revoked, "
          f"{len(device_rows) - enrolled - revoked} waiting)")
    print(f"{'campaign':24}  {'signatures':>10}  {'voids':>6}  {'counted':>8}")
    for slug, total, voids, counted in rows:
        print(f"{slug:24}  {total:>10}  {voids:>6}  {counted:>8}")
    skewed = [(d, d.last_clock_offset_ms) for d, _ in device_rows if d.last_clock_offset_ms and abs(d.last_clock_offset_ms) > 120_000]
    for d, offset in skewed:
        assert offset is not None
        print(f"warning: device {d.name!r} clock is off by {offset / 1000:+.0f} s (server minus device)")
    if args.dedupe:
        return _print_duplicates(engine, args)
    return 0


def _print_duplicates(engine: Engine, args: argparse.Namespace) -> int:
    keys = _unlock_for_reading(engine, args)
    if keys is None:
        return 2
    found = dedupe.likely_duplicates(engine, keys)
    print("\nlikely duplicate signers (same email or phone, or same name and postal code without either; "
          "sealed and clear signatures alike):")
    print(f"{'campaign':24}  {'signers':>8}  {'signatures':>10}  {'extra':>6}  {'people counted':>14}")
    for slug in sorted(found):
        d = found[slug]
        print(f"{slug:24}  {d.signers:>8}  {d.repeated:>10}  {d.extra:>6}  {d.counted:>14}")
    not_opened = sum(d.not_opened for d in found.values())
    if not_opened:
        print(f"warning: {not_opened} sealed signatures did not open and were not compared "
              "(`petition-server export` names them)", file=sys.stderr)
        return 1
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    if (args.partner is None) == (args.csv is None) or (args.partner is None) != (args.out is None):
        print("error: give either --csv FILE (every signature) or --partner SLUG --out FILE", file=sys.stderr)
        return 2
    if args.partner is not None:
        return int(_with_keys(partners_cli.cmd_export_partner, partners_cli.check_partner)(args))
    engine = _engine(_settings(args))
    keys = _unlock_for_reading(engine, args)
    if keys is None:
        print(f"nothing was written to {args.csv}", file=sys.stderr)
        return 2
    done = export.export_csv(engine, Path(args.csv), keys)
    written = ngettext("{n} signature written", "{n} signatures written", done.count).format(n=done.count)
    print(f"{written} to {args.csv}" + (f" ({done.opened} of them unsealed)" if done.opened else ""))
    if done.not_opened:
        print(f"warning: {len(done.not_opened)} sealed signatures did not open; they are in the file with their "
              "fields empty and sealed_status saying why:", file=sys.stderr)
        for sig_id, why in done.not_opened:
            print(f"  {sig_id}  {why}", file=sys.stderr)
        return 1
    return 0


# --- delivering the petition ------------------------------------------------------------------------

def _date(text: str) -> Any:
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def cmd_deliver(args: argparse.Namespace) -> int:
    from server import delivery

    settings = _settings(args)
    engine = _engine(settings)
    keys = _unlock_for_reading(engine, args)
    if keys is None:
        print(f"nothing was written to {args.out}", file=sys.stderr)
        return 2
    options = delivery.Options(args.slug, since=args.since, until=args.until, by=args.by, names=args.names,
                               lang=args.lang)
    try:
        done = delivery.deliver(engine, options, keys, Path(args.out),
                                Path(args.verification) if args.verification else None, data_dir=settings.data_dir)
    except delivery.DeliveryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print(f"nothing was written to {args.out}", file=sys.stderr)
        return 2
    found = done.delivery
    people = ngettext("{n} person counted", "{n} people counted", found.total).format(n=found.total)
    pages = ngettext("{n} page", "{n} pages", done.pages).format(n=done.pages)
    print(f"{people} ({found.names} names, by {options.by}): {pages} written to {args.out}")
    for code, n in found.region_counts.items():
        print(f"  {code:12}  {n:>8}")
    if found.confirmed is not None:
        print(f"{found.confirmed} of them confirmed by email, {found.unconfirmed} unconfirmed "
              f"(sent a message, no answer yet), {found.total - found.confirmed - (found.unconfirmed or 0)} not asked "
              "(no email)")
    print(f"verification file {done.verification} (SHA-256 {done.verification_sha256}); "
          f"check it with `petition-server verify-delivery {done.verification}`")
    print("The PDF holds the signers' names: it is readable by its owner only; hand it only to its recipient.")
    if found.not_opened:
        n = len(found.not_opened)
        print("warning: " + ngettext("{n} sealed signature did not open and is not in the package:",
                                     "{n} sealed signatures did not open and are not in the package:", n).format(n=n),
              file=sys.stderr)
        for sig_id in found.not_opened:
            print(f"  {sig_id}", file=sys.stderr)
        return 1
    return 0


def cmd_verify_delivery(args: argparse.Namespace) -> int:
    from server import delivery

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        print(f"error: cannot read {args.file}: {type(exc).__name__}", file=sys.stderr)
        return 2
    checked = delivery.verify(data, public_key=args.public_key)
    print(f"{args.file}: SHA-256 {checked.sha256}")
    if not checked.ok:
        for problem in checked.problems:
            print(f"FAILED: {problem}", file=sys.stderr)
        return 1
    signatures = ngettext("{n} signature", "{n} signatures", checked.total).format(n=checked.total)
    regions = ngettext("{n} region", "{n} regions", len(checked.regions)).format(n=len(checked.regions))
    print(f"OK: signed by the server's key {checked.key_id}; {signatures}, no id twice, "
          f"totals match the list ({regions})")
    return 0


# --- email confirmation (server/confirm_send.py) --------------------------------------------------

SMTP_ENV = "PETITION_SERVER_SMTP_"  # HOST, PORT, SECURITY, CREDENTIALS_FILE, FROM: the options' defaults


def cmd_ask_confirmation(args: argparse.Namespace) -> int:
    from server import confirmations

    engine = _engine(_settings(args))
    with write_session(engine) as session:
        done = confirmations.set_asked(args.slug, not args.off, offer_updates=args.updates, session=session)
        if done is False:
            print(f"error: no published campaign {args.slug!r}", file=sys.stderr)
            return 2
        session.commit()
        if done is None:
            print(f"campaign {args.slug} no longer asks its signers to confirm by email "
                  "(confirmations already given stay)")
        else:
            assert not isinstance(done, bool)
            choices = '"confirm" and "confirm and keep me informed"' if done.offer_updates else '"confirm"'
            print(f"campaign {args.slug} asks its signers to confirm by email (the page offers {choices}); "
                  f"send the messages with `petition-server confirm-emails {args.slug}`")
    return 0


def cmd_confirm_emails(args: argparse.Namespace) -> int:
    from server import confirm_send, confirmations

    settings = _settings(args)
    if not settings.public_url:
        print("error: the link needs the address signers reach this server at: give --server-url URL "
              "(or set PETITION_SERVER_PUBLIC_URL)", file=sys.stderr)
        return 2
    if not args.smtp_host or not args.sender:
        print(f"error: give --smtp-host HOST and --from ADDRESS (or set {SMTP_ENV}HOST and {SMTP_ENV}FROM)",
              file=sys.stderr)
        return 2
    engine = _engine(settings)
    try:
        user, password = (confirm_send.SmtpConfig.read_credentials(Path(args.smtp_credentials_file))
                          if args.smtp_credentials_file else (None, None))
        config = confirm_send.SmtpConfig(args.smtp_host, args.smtp_port or (465 if args.smtp_security == "tls" else 587),
                                         args.smtp_security, args.sender, user, password, cafile=args.smtp_cafile)
        config.check()
    except confirm_send.SendError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    keys = _unlock_for_reading(engine, args)
    if keys is None:
        print("nothing was sent", file=sys.stderr)
        return 2
    try:
        report = confirm_send.run(engine, args.slug, keys, mailer=confirm_send.Mailer(config),
                                  link_key=confirmations.link_key(engine, settings.data_dir),
                                  public_url=settings.public_url, per_minute=args.per_minute,
                                  progress=lambda line: print(line, flush=True))
    except confirm_send.SendError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("stopped: what was sent stays sent; run the command again to go on", file=sys.stderr)
        return 130
    sent = ngettext("{n} confirmation message sent", "{n} confirmation messages sent", len(report.sent))
    already = ngettext("{n} person had one already", "{n} people had one already", report.already)
    print(f"{sent.format(n=len(report.sent))} ({report.again} of them again, after an interrupted run); "
          f"{already.format(n=report.already)}, {report.without_email} gave no email")
    if report.refused:
        refused = ngettext("{n} address", "{n} addresses", len(report.refused)).format(n=len(report.refused))
        print(f"warning: the mail server refused {refused} for good "
              f"({'it is' if len(report.refused) == 1 else 'they are'} not tried again): "
              + ", ".join(report.refused), file=sys.stderr)
    if report.invalid:
        print("warning: " + ngettext("{n} signature holds an address that is not one (no message): ",
                                     "{n} signatures hold an address that is not one (no message): ",
                                     len(report.invalid)).format(n=len(report.invalid))
              + ", ".join(report.invalid), file=sys.stderr)
    if report.not_opened:
        print("warning: " + ngettext("{n} sealed signature did not open and got no message",
                                     "{n} sealed signatures did not open and got no message",
                                     report.not_opened).format(n=report.not_opened), file=sys.stderr)
    return 1 if report.refused or report.not_opened else 0


def _per_minute(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value <= 100_000:
        raise argparse.ArgumentTypeError(f"not a number of messages a minute (more than 0): {text!r}")
    return value


def _add_confirmation_commands(sub: Any, common: argparse.ArgumentParser, passphrase: argparse.ArgumentParser) -> None:
    p = sub.add_parser("ask-confirmation", parents=[common],
                       help="ask a campaign's signers to confirm their signature by email (or stop: --off)")
    p.add_argument("slug")
    p.add_argument("--updates", action=argparse.BooleanOptionalAction, default=None,
                   help="offer 'confirm and keep me informed' too (default: when the campaign's form asks for updates)")
    p.add_argument("--off", action="store_true", help="stop asking")
    p.set_defaults(func=cmd_ask_confirmation)

    env = os.environ.get
    p = sub.add_parser("confirm-emails", parents=[common, passphrase],
                       help="send each new signer who gave an email one confirmation message (paced, resumable)")
    p.add_argument("slug")
    p.add_argument("--server-url", default=None, help="the address signers reach this server at (in the link)")
    p.add_argument("--smtp-host", default=env(SMTP_ENV + "HOST"), help=f"the mail server (or ${SMTP_ENV}HOST)")
    p.add_argument("--smtp-port", type=int, default=int(env(SMTP_ENV + "PORT") or 0) or None,
                   help="its port (default 587, or 465 with --smtp-security tls)")
    p.add_argument("--smtp-security", choices=["starttls", "tls", "none"], default=env(SMTP_ENV + "SECURITY") or "starttls",
                   help="STARTTLS (default), TLS from the start, or none (a relay on this machine only)")
    p.add_argument("--smtp-credentials-file", default=env(SMTP_ENV + "CREDENTIALS_FILE"), metavar="FILE",
                   help="user name on the first line, password on the second (no login without it)")
    p.add_argument("--smtp-cafile", default=None, metavar="FILE", help="trust this CA for the mail server's certificate")
    p.add_argument("--from", dest="sender", default=env(SMTP_ENV + "FROM"), metavar="ADDRESS",
                   help="the messages' sender address")
    p.add_argument("--per-minute", type=_per_minute, default=30.0,
                   help="at most this many messages a minute (default: %(default)s)")
    p.set_defaults(func=cmd_confirm_emails)


# --- dashboard admins ------------------------------------------------------------------------------

def cmd_add_admin(args: argparse.Namespace) -> int:
    engine = _engine(_settings(args))
    with write_session(engine) as session:
        try:
            admin, token = admins.add_admin(args.name, session=session, replace=args.replace)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        session.commit()
    print(f"Admin {admin.name!r} can sign in to the dashboard (/admin/) with this token, shown only now:")
    print(token)
    print("Only its hash is stored: keep the token in a password manager. `add-admin --replace` gives a new "
          "one (and ends the old one's sessions); `revoke-admin` ends it.")
    return 0


def cmd_list_admins(args: argparse.Namespace) -> int:
    engine = _engine(_settings(args))
    with Session(engine) as session:
        rows = admins.all_admins(session=session)
    if not rows:
        print("no admins yet: add one with `petition-server add-admin NAME`")
        return 0
    print(f"{'name':24}  {'state':8}  {'created':20}  last login")
    for a in rows:
        print(f"{a.name[:24]:24}  {'revoked' if a.revoked_at else 'active':8}  {_fmt_time(a.created_at):20}  "
              f"{_fmt_time(a.last_login_at)}")
    return 0


def cmd_revoke_admin(args: argparse.Namespace) -> int:
    engine = _engine(_settings(args))
    with write_session(engine) as session:
        if not admins.revoke_admin(args.name, session=session):
            print(f"error: no admin named {args.name!r} (see list-admins)", file=sys.stderr)
            return 2
        session.commit()
    print(f"Admin {args.name!r} revoked: the token no longer works and every session of it has ended.")
    return 0


# --- sealing keys and the operator's passphrase ---------------------------------------------------

PASSPHRASE_ENV = "PETITION_SERVER_PASSPHRASE"
NEW_PASSPHRASE_ENV = "PETITION_SERVER_NEW_PASSPHRASE"


class PassphraseUnavailable(Exception):
    pass


def _passphrase(file: str | None, env: str, prompt: str, *, confirm: bool = False) -> str:
    """From ``file`` (its last line break dropped), else the environment variable ``env``, else asked on
    the terminal (twice when ``confirm``). Never echoed, never logged."""
    if file:
        try:
            value = Path(file).read_text(encoding="utf-8").rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as exc:
            raise PassphraseUnavailable(f"cannot read the passphrase file {file}: {type(exc).__name__}") from None
    elif os.environ.get(env):
        value = os.environ[env]
    else:
        if not sys.stdin.isatty():
            raise PassphraseUnavailable(f"no passphrase: give --passphrase-file FILE or set {env} "
                                        "(no terminal to ask on)")
        import getpass

        value = getpass.getpass(prompt)
        if confirm and getpass.getpass("The same passphrase again: ") != value:
            raise PassphraseUnavailable("the two passphrases differ")
    if not value:
        raise PassphraseUnavailable("the passphrase is empty")
    return value


def _unlock_for_reading(engine: Engine, args: argparse.Namespace) -> dict[str, Any] | None:
    """The sealing keys, unlocked, when sealed signatures are stored ({} when none are: no passphrase
    asked); None after printing why they could not be unlocked."""
    if not export.sealed_count(engine):
        return {}
    with Session(engine) as session:
        if not sealing.key_ids(session=session):
            return {}  # every sealed signature will be reported as sealed to an unknown key
        try:
            secret = _passphrase(args.passphrase_file, PASSPHRASE_ENV, "Passphrase of the sealing keys: ")
            return dict(sealing.unlock(secret, session=session))
        except (PassphraseUnavailable, sealing.SealingKeyError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return None


def _with_keys(cmd: Any, check: Any = None) -> Any:
    """``cmd(args, engine, keys)`` run with the sealing keys unlocked when it reads sealed fields (an erase
    by receipt id reads none: no passphrase asked); ``check(args, engine)``, an exit code when the
    command cannot be done, first, before a passphrase is asked for nothing."""
    def run(args: argparse.Namespace) -> int:
        engine = _engine(_settings(args))
        refused = check(args, engine) if check is not None else None
        if refused:
            return int(refused)
        keys = _unlock_for_reading(engine, args) if getattr(args, "email", "") is not None else {}
        if keys is None:
            return 2
        return int(cmd(args, engine, keys))
    return run


def _cost_note(cost: str) -> str:
    ops, mem = sealing.KDF_COSTS[cost]
    return f"Argon2id {cost}: opslimit {ops}, memlimit {mem // (1024 * 1024)} MiB"


def cmd_keys_init(args: argparse.Namespace) -> int:
    engine = _engine(_settings(args))
    try:
        secret = _passphrase(args.passphrase_file, PASSPHRASE_ENV, "New passphrase for the sealing keys: ",
                             confirm=True)
        with write_session(engine) as session:
            made = sealing.create(secret, session=session, cost=args.kdf_cost)
            session.commit()
    except (PassphraseUnavailable, sealing.SealingKeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"sealing key {made.key_id} created and active ({_cost_note(args.kdf_cost)}).")
    print("Keep the passphrase safe: without it no sealed signature can ever be read, by anyone.")
    return 0


def cmd_keys_rotate(args: argparse.Namespace) -> int:
    engine = _engine(_settings(args))
    try:
        secret = _passphrase(args.passphrase_file, PASSPHRASE_ENV, "Passphrase of the sealing keys: ")
        with write_session(engine) as session:
            made = sealing.rotate(secret, session=session, cost=args.kdf_cost)
            session.commit()
    except (PassphraseUnavailable, sealing.SealingKeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"sealing key {made.key_id} created and active ({_cost_note(args.kdf_cost)}); the older keys stay "
          "for the signatures sealed to them.")
    print("Devices get the new key when they enroll or ask for the server's keys; published campaign versions "
          "keep the key they carry: publish a new version to move them to the new key.")
    return 0


def cmd_keys_list(args: argparse.Namespace) -> int:
    engine = _engine(_settings(args))
    with Session(engine) as session:
        rows = sealing.all_keys(session=session)
        counts = sealing.signatures_per_key(session=session)
    if not rows:
        print("no sealing key yet: make one with `petition-server keys init`")
        return 0
    print(f"{'key id':16}  {'state':7}  {'created':20}  {'signatures':>10}  KDF")
    for row in rows:
        kdf = f"{row.kdf} opslimit {row.kdf_opslimit}, memlimit {row.kdf_memlimit // (1024 * 1024)} MiB"
        print(f"{row.key_id:16}  {'active' if row.active else 'old':7}  {_fmt_time(row.created_at):20}  "
              f"{counts.get(row.key_id, 0):>10}  {kdf}")
    return 0


def cmd_keys_change_passphrase(args: argparse.Namespace) -> int:
    engine = _engine(_settings(args))
    try:
        old = _passphrase(args.passphrase_file, PASSPHRASE_ENV, "Current passphrase: ")
        new = _passphrase(args.new_passphrase_file, NEW_PASSPHRASE_ENV, "New passphrase: ", confirm=True)
        with write_session(engine) as session:
            n = sealing.change_passphrase(old, new, session=session, cost=args.kdf_cost)
            session.commit()
    except (PassphraseUnavailable, sealing.SealingKeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{n} sealing keys now under the new passphrase ({_cost_note(args.kdf_cost)}).")
    return 0


# --- hand-off files (a USB stick instead of a network) ----------------------------------------------

def cmd_import_handoff(args: argparse.Namespace) -> int:
    from server import handoff

    settings = _settings(args)
    engine = _engine(settings)
    source = Path(args.file)
    try:
        data = source.read_bytes()
    except OSError as exc:
        print(f"error: cannot read {source}: {exc.strerror or type(exc).__name__}", file=sys.stderr)
        return 2
    try:
        checked = handoff.check(data, engine=engine, data_dir=settings.data_dir,
                                max_version=handoff_version_read(max(settings.api_versions)))
    except handoff.HandoffRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("nothing was imported", file=sys.stderr)
        return 2
    header = checked.header
    print(f"hand-off file {header.file_id} from device {checked.device_name!r} ({header.device_id}), "
          f"written {_fmt_time(header.created_at)}: the device's signature verifies")
    try:
        secret = _passphrase(args.passphrase_file, PASSPHRASE_ENV, "Passphrase of the sealing keys: ")
        with Session(engine) as session:
            keys = sealing.unlock(secret, session=session)
        payload = handoff.open_payload(checked, keys)
    except (PassphraseUnavailable, sealing.SealingKeyError, handoff.HandoffRefused) as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("nothing was imported", file=sys.stderr)
        return 2
    report = handoff.load(engine, checked, payload, data_dir=settings.data_dir, api_version=max(settings.api_versions))
    target = Path(args.receipt) if args.receipt else handoff.receipt_path(source)
    handoff.write_receipt(target, report.receipt_bytes)
    counts = report.counts
    print(f"{len(payload.signatures)} signatures: created {counts['created']}, already stored {counts['duplicate']}, "
          f"conflict {counts['conflict']}, rejected {counts['rejected']}, campaign closed {counts['campaign_closed']}")
    if payload.events:
        stored = report.events
        named = ngettext("{n} event the signatures name", "{n} events the signatures name",
                         len(payload.events)).format(n=len(payload.events))
        print(f"{named}: new {stored.created}, changed {stored.updated}, unchanged {stored.unchanged}"
              + (f", left out as invalid {report.events_invalid}" if report.events_invalid else ""))
    print(f"receipt written to {target}: take it back to the device "
          "(petition-kiosk import-receipt FILE, or the coordinator's panel)")
    return 0 if report.complete else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="petition-server", description="Petition Kiosk's central server.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, default=None, help="data directory (SQLite file, QR codes)")
    common.add_argument("--database-url", default=None,
                        help="e.g. postgresql+psycopg://user:pass@host/db (default: SQLite in --data-dir)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", parents=[common], help="run the API server")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=DEFAULT_PORT)
    p.add_argument("--workers", type=int, default=1, help="worker processes (they share the database)")
    p.add_argument("--log-level", default="info")
    p.add_argument("--access-log", action=argparse.BooleanOptionalAction, default=True)
    p.add_argument("--forwarded-allow-ips", default="127.0.0.1",
                   help="proxies trusted for X-Forwarded-For (the address enrollment limits count by)")
    p.add_argument("--root-path", default=None, metavar="PATH",
                   help="the path a reverse proxy serves the site under, stripped by the proxy (e.g. /petition)")
    p.add_argument("--ssl-certfile", default=None, help="serve HTTPS with this certificate chain (PEM)")
    p.add_argument("--ssl-keyfile", default=None, help="the certificate's private key (PEM)")
    p.add_argument("--openapi", action="store_true", default=None,
                   help="serve the API's OpenAPI document at /openapi.json (off by default)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("migrate", parents=[common], help="apply pending schema migrations")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("add-device", parents=[common], help="add a device and print its one-time enrollment code")
    p.add_argument("name")
    p.add_argument("--server-url", default=None, help="the URL devices reach this server at (put in the QR code)")
    p.add_argument("--qr-file", default=None, help="where to write the QR code SVG")
    p.add_argument("--no-qr", action="store_true", help="do not print the QR code in the terminal")
    p.set_defaults(func=cmd_add_device)

    p = sub.add_parser("list-devices", parents=[common], help="list devices")
    p.set_defaults(func=cmd_list_devices)

    p = sub.add_parser("revoke-device", parents=[common], help="revoke a device (by id, id prefix or name)")
    p.add_argument("device")
    p.set_defaults(func=cmd_revoke_device)

    p = sub.add_parser("publish-campaign", parents=[common], help="publish a campaign bundle folder")
    p.add_argument("path")
    p.set_defaults(func=cmd_publish_campaign)

    p = sub.add_parser("export-bundle", parents=[common],
                       help="write a published campaign version as a signed bundle file for devices without network")
    p.add_argument("slug")
    p.add_argument("version", type=int)
    p.add_argument("--out", default=None, help="the file to write (default SLUG-vVERSION.bundle)")
    p.set_defaults(func=cmd_export_bundle)

    p = sub.add_parser("void", parents=[common],
                       help="void a stored signature: it no longer counts (recorded with its reason and time)")
    p.add_argument("signature_id")
    p.add_argument("--reason", required=True, help="why (kept with the void)")
    p.add_argument("--device", default=None, help="the device that sent it, when two devices sent the same id")
    p.set_defaults(func=cmd_void)

    p = sub.add_parser("close-campaign", parents=[common], help="stop accepting signatures for a campaign")
    p.add_argument("slug")
    p.set_defaults(func=lambda a: _cmd_set_closed(a, True))

    p = sub.add_parser("reopen-campaign", parents=[common], help="accept signatures for a closed campaign again")
    p.add_argument("slug")
    p.set_defaults(func=lambda a: _cmd_set_closed(a, False))

    p = sub.add_parser("pause-web", parents=[common],
                       help="pause a campaign's web page (/s/SLUG): it takes no signatures; devices are unaffected")
    p.add_argument("slug")
    p.set_defaults(func=lambda a: _cmd_set_web_paused(a, True))

    p = sub.add_parser("resume-web", parents=[common], help="let a paused web page take signatures again")
    p.add_argument("slug")
    p.set_defaults(func=lambda a: _cmd_set_web_paused(a, False))

    p = sub.add_parser("add-admin", parents=[common],
                       help="let a coordinator sign in to the web dashboard: prints a token once")
    p.add_argument("name")
    p.add_argument("--replace", action="store_true", help="give an existing admin a new token (ends the old one)")
    p.set_defaults(func=cmd_add_admin)

    p = sub.add_parser("list-admins", parents=[common], help="list the dashboard's admins")
    p.set_defaults(func=cmd_list_admins)

    p = sub.add_parser("revoke-admin", parents=[common], help="end an admin's token and sessions")
    p.add_argument("name")
    p.set_defaults(func=cmd_revoke_admin)

    passphrase = argparse.ArgumentParser(add_help=False)
    passphrase.add_argument("--passphrase-file", default=None, metavar="FILE",
                            help=f"read the sealing keys' passphrase from FILE (else ${PASSPHRASE_ENV}, else asked)")
    cost = argparse.ArgumentParser(add_help=False)
    cost.add_argument("--kdf-cost", choices=list(sealing.KDF_COSTS), default=sealing.DEFAULT_COST,
                      help="Argon2id cost of the passphrase (default: %(default)s)")

    p = sub.add_parser("stats", parents=[common, passphrase], help="devices and signatures per campaign")
    p.add_argument("--dedupe", action="store_true",
                   help="also count likely duplicate signers (opens sealed signatures: asks for the passphrase)")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("export", parents=[common, passphrase],
                       help="every signature to a CSV (--csv FILE), or one partner's signers (--partner SLUG "
                            "--out FILE); sealed ones opened (asks for the passphrase)")
    p.add_argument("--csv", default=None, metavar="FILE", help="every signature to this CSV file")
    p.add_argument("--partner", default=None, metavar="SLUG",
                   help="only the signers who chose this partner, the fields it needs (with --out)")
    p.add_argument("--out", default=None, metavar="FILE",
                   help="the partner's file (encrypted to its key when the bundle has one)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("deliver", parents=[common, passphrase],
                       help="write the delivery package: a PDF for the recipient and its signed verification file")
    p.add_argument("slug")
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="the PDF to write")
    p.add_argument("--since", type=_date, default=None, metavar="DATE", help="signed on or after DATE (YYYY-MM-DD)")
    p.add_argument("--until", type=_date, default=None, metavar="DATE", help="signed on or before DATE (YYYY-MM-DD)")
    p.add_argument("--by", choices=["country", "region"], default="region",
                   help="count per country, or per region (US states from ZIP codes; default: %(default)s)")
    p.add_argument("--names", choices=["full", "initials", "none"], default=None,
                   help="full names (the default only when the campaign declares signers consented), else initials")
    p.add_argument("--lang", default=None, help="language of the letter and the PDF: en, de or ar "
                   "(default: the campaign's)")
    p.add_argument("--verification", default=None, metavar="FILE",
                   help="where to write the verification file (default: next to the PDF, *.verification.json)")
    p.set_defaults(func=cmd_deliver)

    p = sub.add_parser("verify-delivery",
                       help="check a delivery's verification file: the server's signature, no id twice, totals")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--public-key", default=None, metavar="KEY",
                   help="require this Ed25519 public key (base64), e.g. the one devices pinned")
    p.set_defaults(func=cmd_verify_delivery)

    p = sub.add_parser("import-handoff", parents=[common, passphrase],
                       help="load a device's hand-off file (asks for the passphrase) and write its signed receipt")
    p.add_argument("file", metavar="FILE", help="the hand-off file the device wrote")
    p.add_argument("--receipt", default=None, metavar="FILE",
                   help="where to write the receipt (default: next to FILE, named *.receipt)")
    p.set_defaults(func=cmd_import_handoff)

    _add_confirmation_commands(sub, common, passphrase)

    keys = sub.add_parser("keys", help="the sealing keys signers' data is encrypted to")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    p = keys_sub.add_parser("init", parents=[common, passphrase, cost],
                            help="make the first sealing key (asks for a new passphrase twice)")
    p.set_defaults(func=cmd_keys_init)
    p = keys_sub.add_parser("rotate", parents=[common, passphrase, cost],
                            help="make a new active key; old ones stay to read old signatures")
    p.set_defaults(func=cmd_keys_rotate)
    p = keys_sub.add_parser("list", parents=[common], help="list the sealing keys")
    p.set_defaults(func=cmd_keys_list)
    p = keys_sub.add_parser("change-passphrase", parents=[common, passphrase, cost],
                            help="re-encrypt every key under a new passphrase")
    p.add_argument("--new-passphrase-file", default=None, metavar="FILE",
                   help=f"read the new passphrase from FILE (else ${NEW_PASSPHRASE_ENV}, else asked twice)")
    p.set_defaults(func=cmd_keys_change_passphrase)
    partners_cli.add_commands(sub, common, passphrase, cost, read_passphrase=_passphrase,
                              unavailable=PassphraseUnavailable, with_keys=_with_keys)
    add_push_commands(sub, common, passphrase, with_keys=_with_keys)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING)
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ServerKeyFileError as exc:  # the database's keys and this data folder's key file do not match
        print(f"petition-server {args.command}: {exc}", file=sys.stderr)
        return EXIT_FILE_SYSTEM
    except (OSError, OperationalError) as exc:  # every command: a bad path is one line, never a traceback
        problem = file_system_problem(exc)
        if problem is None:
            raise
        command = " ".join(filter(None, (args.command, getattr(args, "keys_command", None))))
        print(f"petition-server {command}: {problem}", file=sys.stderr)
        return EXIT_FILE_SYSTEM


if __name__ == "__main__":
    sys.exit(main())
