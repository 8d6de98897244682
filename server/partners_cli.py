"""``petition-server`` commands for the coalition's partners (server/partners.py): ``partner-key new``,
``export --partner``, ``open-partner-file`` and ``erase``. Registered by server/cli.py, which hands in its
passphrase readers (so this module does not import it back)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from db.fields import SLUG_PATTERN
from db.files import write_atomically
from server import partners

PARTNER_PASSPHRASE_ENV = "PETITION_PARTNER_PASSPHRASE"

ReadPassphrase = Callable[..., str]
Unlock = Callable[[Engine, argparse.Namespace], "dict[str, Any] | None"]


def _slug(text: str) -> str:
    import re

    if not re.fullmatch(SLUG_PATTERN, text):
        raise argparse.ArgumentTypeError(f"not a partner slug (lower case letters, digits and -): {text!r}")
    return text


def cmd_partner_key_new(args: argparse.Namespace, *, read_passphrase: ReadPassphrase,
                        unavailable: type[Exception]) -> int:
    out = Path(args.out)
    key_path = out / f"{args.slug}{partners.PARTNER_KEY_SUFFIX}"
    if key_path.exists():
        print(f"error: {key_path} exists already; a partner's key is never overwritten", file=sys.stderr)
        return 2
    try:
        secret = read_passphrase(args.passphrase_file, PARTNER_PASSPHRASE_ENV,
                                 f"New passphrase for {args.slug}'s key: ", confirm=True)
        data, public = partners.new_key_file(args.slug, secret, cost=args.kdf_cost)
    except (unavailable, partners.SealingKeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    write_atomically(key_path, data)
    print(f"Key file for partner {args.slug}: {key_path} (for the partner only, with its passphrase)")
    print("Its public key, for the campaign bundle's organisation (campaign.toml):")
    print(f'  slug = "{args.slug}"')
    print(f'  public_key = "{public}"')
    return 0


def check_partner(args: argparse.Namespace, engine: Engine) -> int | None:
    """2, after saying why, when no published bundle names the partner (before any passphrase)."""
    from sqlmodel import Session

    with Session(engine) as session:
        if args.partner in partners.published_partners(session=session):
            return None
    print(f"error: no published campaign names a partner {args.partner!r}", file=sys.stderr)
    return 2


def cmd_export_partner(args: argparse.Namespace, engine: Engine, keys: dict[str, Any]) -> int:
    target = Path(args.out)
    try:
        done = partners.export_partner(engine, args.partner, target, keys)
    except partners.PartnerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    how = "encrypted to the partner's key" if done.encrypted else \
        "NOT encrypted: the partner has no public_key in the bundle; send it by a safe way only"
    print(f"{done.count} signers who chose {args.partner} written to {target} ({how})")
    if done.not_opened:
        print(f"warning: {done.not_opened} sealed signatures did not open; any of their opt-ins are left out",
              file=sys.stderr)
        return 1
    return 0


def cmd_open_partner_file(args: argparse.Namespace, *, read_passphrase: ReadPassphrase,
                          unavailable: type[Exception]) -> int:
    source = Path(args.file)
    target = Path(args.out) if args.out else source.with_suffix(".csv")
    try:
        secret = read_passphrase(args.passphrase_file, PARTNER_PASSPHRASE_ENV, "Passphrase of the partner's key: ")
        key, private = partners.open_key_file(Path(args.key).read_bytes(), secret)
        header, content = partners.open_partner_file(source.read_bytes(), key, private)
    except (unavailable, partners.PartnerError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    write_atomically(target, content)
    print(f"{header.partner}'s file opened: {target}")
    return 0


def cmd_erase(args: argparse.Namespace, engine: Engine, keys: dict[str, Any]) -> int:
    try:
        report = partners.erase(engine, signature_id=args.receipt_id, email=args.email, partner=args.partner,
                                keys=keys)
    except partners.PartnerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    scope = f"partner {args.partner}" if args.partner else "every partner"
    if not report.signatures:
        print(f"no stored signature found for that person: nothing erased ({scope})")
    else:
        print(f"{report.signatures} signature(s) of that person left out of every later export to {scope}")
    if report.already_sent:
        print("already sent to these partners before: ask them to delete that person too:")
        for slug, n in sorted(report.already_sent.items()):
            print(f"  {slug}  ({n} signature(s))")
    elif report.signatures:
        print("no partner had been sent that person yet")
    if report.not_opened:
        print(f"warning: {report.not_opened} sealed signatures did not open and were not searched", file=sys.stderr)
        return 1
    return 0


def add_commands(sub: Any, common: argparse.ArgumentParser, passphrase: argparse.ArgumentParser,
                 cost: argparse.ArgumentParser, *, read_passphrase: ReadPassphrase,
                 unavailable: type[Exception], with_keys: Callable[..., Callable[[argparse.Namespace], int]]) -> None:
    """The partner commands on ``sub``; ``with_keys(cmd)`` wraps a command taking (args, engine, keys)
    so that it runs with the sealing keys unlocked when sealed signatures are stored."""
    key_cmd = sub.add_parser("partner-key", help="a partner's key pair (its export files are encrypted to it)")
    key_sub = key_cmd.add_subparsers(dest="keys_command", required=True)
    p = key_sub.add_parser("new", parents=[cost], help="make a partner's key pair and print its public key")
    p.add_argument("slug", type=_slug)
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the private key file")
    p.add_argument("--passphrase-file", default=None, metavar="FILE",
                   help=f"the new key's passphrase (else ${PARTNER_PASSPHRASE_ENV}, else asked twice)")
    p.set_defaults(func=partial(cmd_partner_key_new, read_passphrase=read_passphrase, unavailable=unavailable))

    p = sub.add_parser("open-partner-file", help="open a partner's export file with its key file")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--key", required=True, metavar="KEYFILE", help="the partner's key file")
    p.add_argument("--out", default=None, metavar="FILE.csv", help="where to write the CSV (default: FILE.csv)")
    p.add_argument("--passphrase-file", default=None, metavar="FILE",
                   help=f"the key's passphrase (else ${PARTNER_PASSPHRASE_ENV}, else asked)")
    p.set_defaults(func=partial(cmd_open_partner_file, read_passphrase=read_passphrase, unavailable=unavailable))

    p = sub.add_parser("erase", parents=[common, passphrase],
                       help="leave one person out of every later partner export and push (asks for the "
                            "passphrase when signatures are sealed)")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--receipt-id", default=None, metavar="ID", help="the signature id on the person's receipt")
    who.add_argument("--email", default=None, metavar="ADDRESS", help="every signature with this e-mail address")
    p.add_argument("--partner", type=_slug, default=None, metavar="SLUG", help="for this partner only (default: all)")
    p.set_defaults(func=with_keys(cmd_erase))
