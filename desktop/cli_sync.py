"""Headless sync commands: ``enroll``, ``sync``, ``status``, ``diagnostics``, and the hand-off file's
``export --handoff`` and ``import-receipt`` (registered by desktop/cli.py).

Qt-free: they run on a server-less kiosk over SSH and in scripts. The token is never printed. Each one
logs to the data directory's log file (db/logs.py), like the app."""

from __future__ import annotations

import argparse
import logging
import sys
from gettext import ngettext  # the command line's English: gettext's rule for one and many, untranslated
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_INCOMPLETE = 1  # something is still pending or needs attention
EXIT_USAGE = 2
EXIT_BUSY = 3  # another process is sending from this data directory
EXIT_ENROLL = 4  # not enrolled, or the server refused the device: enroll again

COMMANDS = ("enroll", "sync", "status", "diagnostics", "export", "import-receipt")

log = logging.getLogger(__name__)


def add_parsers(sub: Any) -> None:
    def data_dir(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                            help="folder holding the database (default: the user's data folder)")

    enroll = sub.add_parser("enroll", help="enroll this device with a server (code or pasted QR text)")
    data_dir(enroll)
    enroll.add_argument("--server", help="the server's address, e.g. https://petitions.example.org")
    enroll.add_argument("--ca-file", help="PEM file of the certificate authority the server's TLS uses")
    enroll.add_argument("code", metavar="CODE_OR_QR_TEXT",
                        help="the 12-character code (with --server), or the text of the QR code")

    sync = sub.add_parser("sync", help="send pending signatures to the server now")
    data_dir(sync)
    sync.add_argument("--batch-size", type=int, default=None, help=argparse.SUPPRESS)
    sync.add_argument("--read-timeout", type=float, default=60.0, help=argparse.SUPPRESS)
    sync.add_argument("--no-pull", action="store_true", help="do not pull new campaign versions")
    sync.add_argument("--quiet", action="store_true", help="print the summary only")

    status = sub.add_parser("status", help="signatures per sync state, last sync, server")
    data_dir(status)

    diagnostics = sub.add_parser("diagnostics", help="a report to send to whoever helps you: version, settings "
                                 "without secrets, sync history, the log's last lines (no personal data)")
    data_dir(diagnostics)

    export = sub.add_parser("export", help="write every unacknowledged signature into a hand-off file "
                            "(encrypted to the server, signed by this device) to carry to the server")
    data_dir(export)
    export.add_argument("--handoff", type=Path, required=True, metavar="FILE",
                        help="the hand-off file to write (a folder: a new file named by the time in it)")

    receipt = sub.add_parser("import-receipt", help="mark signatures sent from the server's receipt of a hand-off file")
    data_dir(receipt)
    receipt.add_argument("file", type=Path, metavar="FILE", help="the receipt petition-server import-handoff wrote")


def _data_dir(args: argparse.Namespace) -> Path:
    from db.paths import default_data_dir

    given = getattr(args, "data_dir", None)
    return Path(given) if given else default_data_dir()


def run(args: argparse.Namespace) -> int:
    from db.logs import setup_logging

    setup_logging(_data_dir(args))
    log.info("command: %s", args.command)
    if args.command == "diagnostics":
        return diagnostics(args)
    if args.command == "enroll":
        return enroll(args)
    if args.command == "sync":
        return sync(args)
    if args.command == "export":
        return export_handoff(args)
    if args.command == "import-receipt":
        return import_receipt(args)
    return status(args)


def enroll(args: argparse.Namespace) -> int:
    from db.sync import enrollment
    from db.sync.client import AuthRejected, SyncError

    data_dir = _data_dir(args)
    try:
        server, code = enrollment.parse_target(args.server or args.code, args.code if args.server else None)
    except enrollment.EnrollmentError as exc:
        print(f"petition-kiosk enroll: {enrollment.explain(exc)}", file=sys.stderr)
        return EXIT_USAGE
    try:
        enrolled = enrollment.enroll(data_dir, server, code, ca_file=args.ca_file)
    except enrollment.EnrollmentError as exc:
        print(f"petition-kiosk enroll: {enrollment.explain(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except AuthRejected as exc:
        print(f"petition-kiosk enroll: {enrollment.explain(exc)}", file=sys.stderr)
        return EXIT_ENROLL
    except SyncError as exc:
        print(f"petition-kiosk enroll: {enrollment.explain(exc)}", file=sys.stderr)
        return EXIT_INCOMPLETE
    from db import settings as settings_store
    from db.engine import write_session
    from db.migrate import open_database

    engine = open_database(data_dir)
    try:
        with write_session(engine) as session:
            settings_store.update(session=session, server_url=enrolled.server_url)
            session.commit()
    finally:
        engine.dispose()
    log.info("enrolled as device %s with %s", enrolled.device_id, _host(enrolled.server_url))
    print(f"enrolled as {enrolled.device_name} ({enrolled.device_id}) with {enrolled.server_url}")
    return EXIT_OK


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).netloc or url


def sync(args: argparse.Namespace) -> int:
    from db.migrate import open_database
    from db.sync import runner
    from db.wire import MAX_BATCH_SIGNATURES

    data_dir = _data_dir(args)
    engine = open_database(data_dir)

    def progress(report: runner.SyncReport) -> None:
        if not args.quiet:
            print(f"  sent {report.sent} (duplicates {report.duplicates}), "
                  f"needing attention {report.attention}", flush=True)

    syncer = runner.Syncer(data_dir, engine, max_count=args.batch_size or MAX_BATCH_SIGNATURES,
                           read_timeout=args.read_timeout, pull_every_s=None if args.no_pull else 0.0,
                           progress=progress)
    try:
        report = syncer.run()
        from db.sync import store

        attention_total = store.counts(engine)["needs_attention"]
    finally:
        syncer.close()
        engine.dispose()
    log.info("sync: %s, sent %d (duplicates %d), needing attention %d (all: %d), still pending %d%s", report.outcome,
             report.sent, report.duplicates, report.attention, attention_total, report.pending,
             f" - {report.message}" if report.message else "")
    print(f"{report.outcome}: sent {report.sent}, duplicates {report.duplicates}, "
          f"needing attention {report.attention} (all: {attention_total}), still pending {report.pending}"
          + (f" - {report.message}" if report.message else ""))
    if report.retry_after is not None:  # a busy server (503) said when it has room; nothing was lost
        print(f"the server is busy: what was not sent stays pending; run sync again in {round(report.retry_after)} s or later")
    for line in campaign_news(report):
        print(line)
    for line in runner.held_words(report.held, report.server_api_version):
        log.info("sync: %s", line)
        print(line)
    if report.outcome == runner.BUSY:
        return EXIT_BUSY
    if report.outcome in (runner.AUTH, runner.NOT_ENROLLED):
        return EXIT_ENROLL
    return EXIT_OK if report.done and attention_total == 0 else EXIT_INCOMPLETE


CAMPAIGN_REASONS = {  # db/sync/bundles.py's reason keys, in the coordinator's words
    "unreadable": "this app cannot read its listing entry (damaged, or made by a newer server)",
    "signature_invalid": "its listing entry is not signed by the server this device was enrolled with "
                         "(someone between this device and the server may have added it)",
    "bundle_mismatch": "the bundle downloaded is not the one the server's signed listing names",
    "bundle_invalid": "the bundle is damaged or incomplete",
    "sealing_lowered": "it would protect signers less than the campaign's previous version, and the server "
                       "did not sign it",
    "key_unknown": "it would seal signatures to a key the server never gave this device, and the server did "
                   "not sign it",
    "not_published": "the server does not publish it (someone between this device and the server may have "
                     "added it)",
}


def campaign_news(report: Any) -> list[str]:
    """What the campaign pull installed, refused and quarantined, one line each."""
    lines = [f"campaign {slug} version {version}: installed" for slug, version in report.campaigns_installed]
    lines += [campaign_trouble(slug, version, reason, quarantined=False)
              for slug, version, reason in report.campaigns_refused]
    lines += [campaign_trouble(slug, version, reason, quarantined=True)
              for slug, version, reason in report.campaigns_quarantined]
    return lines


def campaign_trouble(slug: str, version: int | None, reason: str, *, quarantined: bool) -> str:
    """A refused listing entry or a quarantined version, in one line."""
    what = ("QUARANTINED (no new signatures on it; those made on it are kept and sent)" if quarantined
            else "REFUSED")
    return (f"campaign {slug} version {version if version is not None else '?'}: {what} - "
            f"{CAMPAIGN_REASONS.get(reason, reason)}")


def status(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from db.migrate import open_database
    from db.panel import campaign_notices
    from db.sync import enrollment, runner, store

    data_dir = _data_dir(args)
    engine = open_database(data_dir)
    enrolled = enrollment.load(data_dir)
    api_version = enrolled.api_version if enrolled is not None else None
    try:
        counts = store.counts(engine)
        reasons = store.attention_reasons(engine)
        last = store.last_runs(engine, 1)
        ok = store.last_success(engine)
        held = store.held_back(engine, api_version) if api_version is not None else {}
        with Session(engine) as session:
            notices = campaign_notices(session=session)
    finally:
        engine.dispose()
    if enrolled is None:
        print("server: not enrolled (petition-kiosk enroll --server URL CODE)")
    else:
        state = " - ENROLL AGAIN: the server refused this device" if enrolled.needs_enrollment else ""
        print(f"server: {enrolled.server_url} as {enrolled.device_name} ({enrolled.device_id}){state}")
    for name in ("pending", "sending", "acked", "needs_attention"):
        print(f"{name}: {counts[name]}")
    for reason, n in sorted(reasons.items()):
        print(f"  {reason}: {n}")
    if last:
        run = last[0]
        print(f"last sync: {run.finished_at:%Y-%m-%d %H:%M:%S} UTC, {run.outcome}, sent {run.sent}"
              + (f" ({run.message})" if run.message else ""))
        if ok is not None and ok.id != run.id:
            print(f"last successful sync: {ok.finished_at:%Y-%m-%d %H:%M:%S} UTC")
    else:
        print("last sync: never")
    for line in runner.held_words(held, api_version):
        print(line)
    for notice in notices:  # what campaign pulls refused or quarantined (the audit log), as sync said it
        print(campaign_trouble(notice.slug, notice.version, notice.reason, quarantined=notice.quarantined))
    return EXIT_OK


def diagnostics(args: argparse.Namespace) -> int:
    from db import diagnostics as report
    from db.migrate import open_database

    data_dir = _data_dir(args)
    engine = open_database(data_dir)
    try:
        from PySide6.QtCore import qVersion  # QtCore alone: no window, no display needed

        print(report.collect(data_dir, engine, qt_version=qVersion()))
    finally:
        engine.dispose()
    return EXIT_OK


def export_handoff(args: argparse.Namespace) -> int:
    from db.migrate import open_database
    from db.sync import handoff

    data_dir = _data_dir(args)
    engine = open_database(data_dir)
    try:
        done = handoff.export_handoff(args.handoff, data_dir=data_dir, engine=engine)
    except handoff.HandoffError as exc:
        print(f"petition-kiosk export: {exc}", file=sys.stderr)
        return EXIT_ENROLL if exc.key in (handoff.NOT_ENROLLED, handoff.ENROLL_AGAIN) else EXIT_USAGE
    except OSError as exc:
        print(f"petition-kiosk export: cannot write {args.handoff}: {exc.strerror or type(exc).__name__}",
              file=sys.stderr)
        return EXIT_USAGE
    finally:
        engine.dispose()
    log.info("hand-off file %s: %d signatures", done.file_id, done.signatures)
    from db.sync.runner import held_words

    for line in held_words(done.held, done.server_api_version):  # left out of the file, still waiting here
        print(f"{line}: not in the file, still waiting here")
    if done.path is None:
        print("nothing else is waiting to be sent: no file written" if done.held else
              "nothing is waiting to be sent: no file written")
        return EXIT_OK
    written = ngettext("{n} signature written", "{n} signatures written", done.signatures).format(n=done.signatures)
    print(f"{written} to {done.path} ({done.size / 1e6:.1f} MB, file {done.file_id})")
    print("Encrypted to the server and signed by this device. "
          + ngettext("It stays", "They stay", done.signatures)
          + " waiting here until the server's receipt is read back: petition-kiosk import-receipt FILE")
    return EXIT_OK


def import_receipt(args: argparse.Namespace) -> int:
    from db.migrate import open_database
    from db.sync import enrollment, handoff, runner, store

    data_dir = _data_dir(args)
    engine = open_database(data_dir)
    try:
        done = handoff.import_receipt(args.file, data_dir=data_dir, engine=engine)
        waiting = store.counts(engine)
        api_version = getattr(enrollment.load(data_dir), "api_version", None)
        held = store.held_back(engine, api_version) if api_version is not None else {}
    except handoff.HandoffError as exc:
        print(f"petition-kiosk import-receipt: {exc}", file=sys.stderr)
        return EXIT_BUSY if exc.key == handoff.BUSY else EXIT_USAGE
    except OSError as exc:
        print(f"petition-kiosk import-receipt: cannot read {args.file}: {exc.strerror or type(exc).__name__}",
              file=sys.stderr)
        return EXIT_USAGE
    finally:
        engine.dispose()
    log.info("receipt of hand-off file %s: acknowledged %d, needing attention %d, purged %d", done.file_id,
             done.acked, done.attention, done.purged)
    print(f"receipt of file {done.file_id}: acknowledged {done.acked} (created {done.created}, already on the "
          f"server {done.duplicates}), needing attention {done.attention}, unchanged {done.unchanged + done.unknown}")
    if done.purged:
        print(ngettext("personal data of {n} acknowledged signature purged (retention)",
                       "personal data of {n} acknowledged signatures purged (retention)", done.purged).format(n=done.purged))
    left = waiting["pending"] + waiting["sending"]
    print(f"still waiting to be sent: {left}, needing attention: {waiting['needs_attention']}")
    for line in runner.held_words(held, api_version):
        print(line)
    return EXIT_OK if left == 0 and waiting["needs_attention"] == 0 else EXIT_INCOMPLETE
