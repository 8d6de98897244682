"""``petition-server push actionnetwork``: a partner's signers into its Action Network petition
(server/actionnetwork.py). Registered by server/cli.py, which hands in its ``with_keys`` wrapper (the
passphrase asked when sealed signatures are stored), so this module does not import it back."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from db.fields import SLUG_PATTERN
from server import actionnetwork, partners_cli


def _petition_id(text: str) -> str:
    if not re.fullmatch(actionnetwork.PETITION_ID_PATTERN, text):
        raise argparse.ArgumentTypeError(f"not an Action Network petition id: {text!r}")
    return text


def _slug(text: str) -> str:
    if not re.fullmatch(SLUG_PATTERN, text):
        raise argparse.ArgumentTypeError(f"not a partner slug (lower case letters, digits and -): {text!r}")
    return text


def _read_key(path: str) -> str:
    """The API key, the file's only word (a trailing newline allowed); never printed."""
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except UnicodeDecodeError:
        return ""


def check_push(args: argparse.Namespace, engine: Engine) -> int | None:
    """2, after saying why, when the push cannot start: before any passphrase is asked for nothing."""
    refused = partners_cli.check_partner(args, engine)
    if refused:
        return refused
    try:
        actionnetwork.check_endpoint(args.endpoint)
    except actionnetwork.PushError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not Path(args.api_key_file).is_file():
        print(f"error: no API key file {args.api_key_file}", file=sys.stderr)
        return 2
    return None


def cmd_push_actionnetwork(args: argparse.Namespace, engine: Engine, keys: dict[str, Any]) -> int:
    def progress(report: actionnetwork.PushReport) -> None:
        if report.sent % 100 == 0:
            print(f"  {report.sent} recorded so far", flush=True)

    try:
        report = actionnetwork.push(engine, partner_slug=args.partner, petition_id=args.petition_id,
                                    api_key=_read_key(args.api_key_file), endpoint=args.endpoint,
                                    tags=args.tag, keys=keys, progress=progress)
    except actionnetwork.PushError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    where = f"Action Network petition {report.petition_id}"
    print(f"{report.signers} signers chose {report.partner}: {report.sent} recorded in {where} now"
          + (f" ({report.resent} of them resent after an interrupted run)" if report.resent else "")
          + f", {report.already_sent} recorded by earlier runs")
    if report.retries:
        print(f"{report.retries} requests retried (Action Network busy or rate limiting)")
    code = 0
    if report.without_email:
        print(f"note: {report.without_email} of them gave no e-mail address and were not pushed "
              "(Action Network matches people by e-mail; `export --partner` gives them in the partner's file)")
    if report.not_opened:
        print(f"warning: {report.not_opened} sealed signatures did not open; any of their opt-ins are left out",
              file=sys.stderr)
        code = 1
    if report.stopped:
        print(f"error: stopped at {report.stopped}", file=sys.stderr)
        print(f"{report.remaining} signers not recorded yet: run the same command again to go on from there",
              file=sys.stderr)
        code = 1
    return code


def add_commands(sub: Any, common: argparse.ArgumentParser, passphrase: argparse.ArgumentParser,
                 *, with_keys: Callable[..., Callable[[argparse.Namespace], int]]) -> None:
    push = sub.add_parser("push", help="record a partner's signers in the partner's own tool")
    targets = push.add_subparsers(dest="push_target", required=True)
    p = targets.add_parser("actionnetwork", parents=[common, passphrase],
                           help="record each signer who chose the partner in its Action Network petition "
                                "(resumable; asks for the passphrase when signatures are sealed)")
    p.add_argument("--partner", type=_slug, required=True, metavar="SLUG")
    p.add_argument("--petition-id", type=_petition_id, required=True, metavar="ID",
                   help="the petition's id in Action Network (its API URL's last part)")
    p.add_argument("--api-key-file", required=True, metavar="FILE",
                   help="a file holding the partner's Action Network API key (only that)")
    p.add_argument("--endpoint", default=actionnetwork.DEFAULT_ENDPOINT, metavar="URL",
                   help="Action Network's API (default: %(default)s)")
    p.add_argument("--tag", action="append", default=[], metavar="TAG",
                   help="a tag (existing in Action Network) to add to each person; may be repeated")
    p.set_defaults(func=with_keys(cmd_push_actionnetwork, check_push))
