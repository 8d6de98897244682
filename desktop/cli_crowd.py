"""``petition-kiosk crowd``: phones sign through this device's local page, until Ctrl+C.

Headless, for servers and tests, and the very process the app starts when the coordinator turns
"Phones can sign" on (``--for-app``: lines for the app on standard output, stop when its standard
input closes; desktop/crowd/service.py). On a data folder not set up yet it serves the built-in demo
campaigns, as ``--demo`` does.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path
from typing import Any

DEFAULT_HOST = "127.0.0.1"


def add_parser(sub: Any) -> None:
    crowd = sub.add_parser("crowd", help="serve the petition to phones on the local network, until Ctrl+C")
    crowd.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                       help="folder holding the database (default: the user's data folder)")
    crowd.add_argument("--campaign", default=argparse.SUPPRESS, help="campaign slug (default: the active one)")
    crowd.add_argument("--host", help="the one address to serve on (default: the panel's choice, else 127.0.0.1); "
                                      "0.0.0.0 serves every network this computer is on")
    crowd.add_argument("--port", type=int, help="port (default: the panel's choice, 8470)")
    crowd.add_argument("--new-token", action="store_true",
                       help="make a new access token first (phones holding the old address see 'not found')")
    crowd.add_argument("--signatures-per-phone", type=int, metavar="N",
                       help="signatures one phone may send in 10 minutes (default: the setting, 10: a family "
                            "passing one phone around); more wait, other phones are never held up")
    crowd.add_argument("--for-app", action="store_true", help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from db.crowd import invite
    from db.crowd.app import CrowdConfig, make_app
    from db.crowd.limits import Policy, RateLimits
    from db.crowd.serve import BindError, LineReporter, bind, serve
    from db.engine import write_session
    from db.logs import setup_logging
    from desktop.context import open_context

    if args.for_app and hasattr(os, "nice"):
        # The screen's signer first: the phones' server yields the processor to the app when both want it.
        with contextlib.suppress(OSError):
            os.nice(5)
    data_dir = getattr(args, "data_dir", None)
    ctx = open_context(data_dir, campaign=getattr(args, "campaign", None))
    setup_logging(ctx.data_dir)
    report = LineReporter()
    slug = getattr(args, "campaign", None) or ctx.campaign_slug
    if slug not in ctx.campaigns:
        return _fail(args, report, "no_campaign", f"no campaign {slug!r} (installed: {', '.join(ctx.campaigns)})")
    campaign = ctx.campaigns[slug]
    with write_session(ctx.engine) as session:
        token = invite.access_token(session=session, reset=args.new_token)
        session.commit()
    with Session(ctx.engine) as session:
        from db import settings as settings_store

        settings = settings_store.effective(session=session)
    host = args.host or settings.crowd_host or DEFAULT_HOST
    port = settings.crowd_port if args.port is None else args.port
    if not 0 <= port <= 65535:
        return _fail(args, report, "bad_port", f"port {port} is not between 1 and 65535")
    try:
        sock = bind(host, port)
    except BindError as exc:
        return _fail(args, report, exc.code, str(exc))
    port = sock.getsockname()[1]  # --port 0: the one the system chose
    url = invite.petition_url(host, port, token)
    signed = 0

    def on_signed() -> None:
        nonlocal signed
        signed += 1
        report("signed" if args.for_app else f"a phone signed ({signed} since start)")

    per_phone = settings.crowd_signatures_per_phone if args.signatures_per_phone is None else args.signatures_per_phone
    if per_phone < 1:
        return _fail(args, report, "bad_limit", "--signatures-per-phone must be at least 1")
    limits = RateLimits(Policy(signatures_per_phone=per_phone))
    config = CrowdConfig(engine=ctx.engine, campaign=campaign, token=token, event_id=settings.active_event_id,
                         on_signed=on_signed, limits=limits)

    def started() -> None:
        if args.for_app:
            report(f"ready {url}")
        else:
            title = campaign.localised(campaign.manifest.default_locale).texts.title
            report(f"Phones can sign “{title}” at\n  {url}\n"
                   "Anyone holding this address can open the petition: share it only by the QR code at the stand. "
                   "Press Ctrl+C to stop.")

    try:
        serve(make_app(config), sock, stop_on_stdin_eof=args.for_app, started=started)
    finally:
        ctx.close()
    if not args.for_app:
        print(f"Stopped. {signed} signature(s) from phones were saved on this device.")
    return 0


def _fail(args: argparse.Namespace, report: Any, code: str, text: str) -> int:
    if args.for_app:
        report(f"error {code} {text}")
    print(f"petition-kiosk crowd: {text}", file=sys.stderr)
    return 2
