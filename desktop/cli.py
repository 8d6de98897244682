"""``petition-kiosk``: the app, plus headless commands for volunteers, coordinators and scripts.

This module imports nothing heavy at the top so that ``--help`` and headless commands stay quick and
the GUI's start-up is not slowed by what only a subcommand needs.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from db import __version__
from desktop.panel import SECTIONS

PANEL_PAGES = tuple(f"panel-{name}" for name in SECTIONS)
# sign-handwriting: the form scrolled to its signature pad, with a signature drawn (a campaign that asks
# for one, e.g. --campaign aleppo); assisted, paper: the volunteers' entry screens, with sample entries.
# setup-*: the first-run set-up's steps (desktop/setup_wizard.py).
SETUP_PAGES = tuple(f"setup-{name}" for name in ("language", "campaign", "device", "pin", "server"))
PAGES = ("attract", "picker", "letter", "sign", "thanks", *PANEL_PAGES, "sign-handwriting", "assisted", "paper",
         *SETUP_PAGES)


def _common(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--data-dir", type=Path, default=default,
                        help="folder holding the database (default: the user's data folder)")
    parser.add_argument("--lang", default=default, help="language: en, ar or de")
    parser.add_argument("--campaign", default=default, help="campaign slug to show")


COMMAND_NAMES = frozenset({"screenshot", "import-paper", "print-sheets", "import-campaign",
                           "enroll", "sync", "status", "diagnostics", "export", "import-receipt"})


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The whole command line; without ``commands``, only the app's own options (what a start of the
    app needs: building every subcommand's parser costs a start-up 20 ms)."""
    parser = argparse.ArgumentParser(
        prog="petition-kiosk",
        description="Gather petition signatures offline. Without a command, starts the app.",
    )
    parser.add_argument("--version", action="version", version=f"petition-kiosk {__version__}")
    _common(parser, suppress=False)
    parser.add_argument("--kiosk", action="store_true", default=None,
                        help="kiosk mode: full screen, locked, attract screen, idle reset (also a setting)")
    parser.add_argument("--exit-when-painted", action="store_true", help=argparse.SUPPRESS)
    first_run = parser.add_mutually_exclusive_group()
    first_run.add_argument("--setup", action="store_true",
                           help="show the set-up screens (language, campaign, device name, coordinator PIN, "
                                "server) even though this device is set up")
    first_run.add_argument("--demo", action="store_true",
                           help="skip the first-run set-up and open the campaign at once (a try-out; the "
                                "coordinator PIN is then asked for when the panel first opens)")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation on a throw-away database (every campaign, language and "
                             "page, one signature saved and read back); exit status 0 when it works")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    if not commands:
        return parser

    shot = sub.add_parser("screenshot", help="render one page to a PNG file, headless")
    _common(shot, suppress=True)
    shot.add_argument("--page", choices=PAGES, required=True)
    shot.add_argument("--size", default="1024x600", help="window size, WIDTHxHEIGHT (default 1024x600)")
    shot.add_argument("--errors", action="store_true", help="sign page: show the messages of an empty submit")
    shot.add_argument("--kiosk", action="store_true", default=None, help="render as the kiosk shows it")
    shot.add_argument("--countdown", action="store_true", help="show the idle countdown over the page")
    shot.add_argument("--sample-links", action="store_true",
                      help="give the campaign example links, to show its QR codes (letter, thank-you receipt)")
    shot.add_argument("--theme", choices=("default", "outdoor"), help="the theme (default: the setting)")
    shot.add_argument("--keyboard", action="store_true",
                      help="sign page: the on-screen keyboard open on the first field")
    shot.add_argument("output", type=Path, metavar="OUT.png")

    paper = sub.add_parser("import-paper", help="import paper sheets transcribed into a CSV file")
    _common(paper, suppress=True)
    paper.add_argument("file", type=Path, metavar="FILE.csv")
    paper.add_argument("--sheet-column", default="sheet", help="column holding the sheet number (default: sheet)")
    paper.add_argument("--skip-bad", action="store_true", help="save the good rows even if some rows are bad")

    sheets = sub.add_parser("print-sheets", help="a PDF of the letter and numbered paper signature sheets")
    _common(sheets, suppress=True)
    sheets.add_argument("--count", type=int, required=True, help="how many signature sheets")
    sheets.add_argument("--first", type=int, default=1,
                        help="number of the first sheet (default 1): a second batch goes on from the first")
    sheets.add_argument("--page-size", choices=("a4", "letter"), default="a4", help="paper size (default a4)")
    sheets.add_argument("output", type=Path, metavar="OUT.pdf")

    bundle = sub.add_parser("import-campaign", help="install a campaign bundle: its folder, its campaign.toml or a .zip")
    _common(bundle, suppress=True)
    bundle.add_argument("bundle", type=Path, metavar="PATH")

    from desktop import cli_sync

    cli_sync.add_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from desktop.compat import forbid_core_dumps, keep_constants_alive

    keep_constants_alive()  # PySide6 6.12 on Python 3.11 would abort the app after a few thousand calls
    forbid_core_dumps()  # a crash must not write a signer's input to disk
    given = sys.argv[1:] if argv is None else argv
    # The subcommands' parsers only when a subcommand (or the help listing them) may be asked for.
    commands = any(arg in COMMAND_NAMES or arg in ("-h", "--help") or not arg.startswith("-") and i == 0
                   for i, arg in enumerate(given))
    args = build_parser(commands=commands).parse_args(given)
    if args.self_test:
        from desktop import selftest

        return selftest.run()
    try:
        if args.command == "screenshot":
            return screenshot(args)
        if args.command == "import-paper":
            return import_paper(args)
        if args.command == "print-sheets":
            return print_sheets(args)
        if args.command == "import-campaign":
            return import_campaign(args)
        from desktop import cli_sync

        if args.command in cli_sync.COMMANDS:
            return cli_sync.run(args)
        return gui(args)
    except KeyError as exc:
        print(f"petition-kiosk: {exc.args[0]}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `petition-kiosk status | head`: the reader left, which is not a crash
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's own flush at exit would fail on the pipe again
        return 1


def setup_logging(data_dir: Path | None = None, *, ctx: Any = None) -> None:
    """Warnings on the console; with a data directory, also its log file (db/logs.py). With the GUI's
    ``ctx``, a line saying what the app shows (never anything about a signer)."""
    from db.logs import setup_logging as setup

    setup(data_dir)
    if ctx is not None:
        import logging

        logging.getLogger("desktop").info("GUI: campaign %s, language %s%s", ctx.campaign_slug, ctx.locale,
                                          ", kiosk mode" if ctx.kiosk else "")


def _data_dir(args: argparse.Namespace) -> Path:
    from db.paths import default_data_dir

    given = getattr(args, "data_dir", None)
    return Path(given) if given else default_data_dir()


def gui(args: argparse.Namespace) -> int:
    from desktop.app import run_gui
    from desktop.context import open_context

    ctx = open_context(args.data_dir, locale=args.lang, campaign=args.campaign, overrides={"kiosk": args.kiosk})
    if args.setup or not (args.demo or args.exit_when_painted or not _needs_setup(ctx.data_dir)):
        from desktop.setup_wizard import run_setup

        setup_logging(ctx.data_dir)  # the letter's start-up waits with it until after its first paint

        choices = run_setup(ctx)
        ctx.close()
        if choices is None:
            print("petition-kiosk: set-up closed before the end; nothing was changed.", file=sys.stderr)
            return 1
        ctx = open_context(args.data_dir, locale=choices.locale, campaign=choices.campaign,
                           overrides={"kiosk": args.kiosk})
    return run_gui(ctx, exit_when_painted=args.exit_when_painted)


def _needs_setup(data_dir: Path) -> bool:
    from db.paths import pin_file_present  # not db.setup: its hashing is not needed before the paint

    return not pin_file_present(data_dir)


def import_campaign(args: argparse.Namespace) -> int:
    from db.bundle_import import import_bundle
    from db.campaigns import BundleError
    from desktop.context import open_context

    setup_logging(_data_dir(args))
    ctx = open_context(getattr(args, "data_dir", None))
    try:
        campaign, new = import_bundle(ctx.data_dir, args.bundle, engine=ctx.engine)
    except BundleError as exc:
        print(f"petition-kiosk import-campaign: {exc}", file=sys.stderr)
        return 1
    finally:
        ctx.close()
    title = campaign.localised(campaign.manifest.default_locale).texts.title
    state = "imported" if new else "already installed"
    print(f"{campaign.slug} version {campaign.version} ({title}): {state}. "
          f"Choose it in the coordinator's panel, or start with --campaign {campaign.slug}.")
    return 0


def screenshot(args: argparse.Namespace) -> int:
    import tempfile

    data_dir = getattr(args, "data_dir", None)
    setup_logging(Path(data_dir) if data_dir else None)  # a throw-away database keeps no log
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop.app import build_window, make_application
    from desktop.context import open_context
    from desktop.flow import Event, Page

    try:
        width, height = (int(n) for n in args.size.lower().split("x"))
    except ValueError:
        print(f"petition-kiosk: --size must look like 1024x600, not {args.size!r}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="petition-kiosk-shot-") as scratch:
        # Without --data-dir the picture is made from a throw-away database, never the real one.
        ctx = open_context(Path(data_dir) if data_dir else Path(scratch),
                           locale=getattr(args, "lang", None), campaign=getattr(args, "campaign", None),
                           overrides={"kiosk": getattr(args, "kiosk", None), "theme": args.theme})
        app = make_application(on_screen_keyboard="on" if args.keyboard else None)
        if args.page in SETUP_PAGES:
            return _setup_screenshot(app, ctx, args.page.removeprefix("setup-"), (width, height), args.output)
        window = build_window(app, ctx)
        window.resize(width, height)
        if args.sample_links:
            _sample_links(ctx)
        if args.page in ("sign-handwriting", "assisted", "paper"):
            if not _volunteer_or_pad_page(window, args.page, sample=not data_dir):
                return 2
        elif args.page == "thanks" and not data_dir:
            _sign_as_sample_signer(window)  # the page only ever follows a real save
        elif args.page.startswith("panel-"):
            if not data_dir:
                _sample_day(window.ctx)  # a throw-away day of signing, so the panel has something to show
            window.warm_up = lambda: None  # type: ignore[method-assign]
            window.send(Event.OPEN_PANEL)  # not open_panel(): a picture is no coordinator, and writes no audit entry
            window.panel.show_section(args.page.removeprefix("panel-"))
        else:
            window.go_to(Page[args.page.upper()])
        if args.page == "sign" and args.errors:
            window.submit()
        if args.countdown:
            window.start_countdown()
            window.countdown.ticker.stop()
        window.show()
        app.processEvents()
        if args.keyboard and window.ensure_keyboard() is not None:
            _open_keyboard(window)
        image = window.grab()
        window.close()
        ctx.engine.dispose()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(args.output)):
        print(f"petition-kiosk: could not write {args.output}", file=sys.stderr)
        return 1
    print(args.output)
    return 0


def _setup_screenshot(app, ctx, step: str, size: tuple[int, int], output: Path) -> int:  # type: ignore[no-untyped-def]
    """One step of the first-run set-up, answered as far as that step (a made-up device name)."""
    from desktop.i18n import Translators, apply_language
    from desktop.setup_wizard import STEPS, SetupWizard

    translators = Translators()
    apply_language(app, translators, ctx.locale)
    wizard = SetupWizard(ctx, translators)
    wizard.resize(*size)
    if STEPS.index(step) > STEPS.index("device"):
        wizard.device_name.setText("Courthouse table 1")
    wizard.show_step(STEPS.index(step))
    if step == "device":
        wizard.device_name.setText("Courthouse table 1")
    wizard.show()
    app.processEvents()
    image = wizard.grab()
    wizard.close()
    ctx.engine.dispose()
    output.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(output)):
        print(f"petition-kiosk: could not write {output}", file=sys.stderr)
        return 1
    print(output)
    return 0


def _open_keyboard(window) -> None:  # type: ignore[no-untyped-def]
    """Focus the form's first field and wait until the on-screen keyboard has taken its place."""
    from PySide6.QtCore import QDeadlineTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    window.sign.focus_first_field()
    deadline = QDeadlineTimer(3000)
    loop = QEventLoop()
    while not deadline.hasExpired() and not window.keyboard.showing():
        QTimer.singleShot(20, loop.quit)
        loop.exec()
    for _ in range(5):  # its size settles in a few turns (desktop/keyboard.py, KeyboardDock._fit)
        QTimer.singleShot(20, loop.quit)
        loop.exec()
    QApplication.processEvents()


def _sample_links(ctx) -> None:  # type: ignore[no-untyped-def]
    """The shown campaign with example links (screenshots only): the letter's QR code, the receipt's."""
    import dataclasses

    from db.campaigns import Links

    ctx.warm_up()
    campaign = ctx.campaign
    links = Links(online_petition=f"https://petitions.example.org/{campaign.slug}",
                  receipt="https://petitions.example.org/receipt/{id}")
    manifest = campaign.manifest.model_copy(update={"links": links})
    ctx.campaigns[campaign.slug] = dataclasses.replace(campaign, manifest=manifest)


def _sample_signature() -> str:
    """Path data of a made-up handwritten signature: a looping scrawl and a stroke under it."""
    import math

    from desktop.signature_pad import to_path_data

    scrawl = [(int(80 + t * 5.2 + 22 * math.sin(t * 0.55)), int(150 - 55 * math.sin(t * 0.35) * math.cos(t * 0.09)
                                                               + 18 * math.cos(t * 0.55)))
              for t in range(0, 130)]
    underline = [(int(90 + t * 11), int(215 - t * 0.6 + 4 * math.sin(t / 6))) for t in range(60)]
    dot = [(520, 55)]
    return to_path_data([scrawl, underline, dot])


def _volunteer_or_pad_page(window, page: str, *, sample: bool) -> bool:  # type: ignore[no-untyped-def]
    """Show the form's signature pad or a volunteers' entry screen; with ``sample`` (a throw-away
    database), filled as in use: a signature drawn, two people entered and a third being typed."""
    from desktop.flow import Event, Page

    window.warm_up = lambda: None  # type: ignore[method-assign]
    if page == "sign-handwriting":
        window.ctx.warm_up()
        if window.ctx.campaign.manifest.form.handwriting == "off":
            print(f"petition-kiosk: {window.ctx.campaign_slug} asks for no handwritten signature "
                  "(try --campaign aleppo)", file=sys.stderr)
            return False
        window.go_to(Page.SIGN)
        form = window.sign
        if sample:
            form.editors["given_name"].setText("Nour")
            form.editors["family_name"].setText("Haddad")
            assert form.pad is not None
            form.pad.set_path_data(_sample_signature())
        window.show()
        window.layout().activate()
        form.scroll.ensureWidgetVisible(form.pad, 0, form.fontMetrics().height() * 4)
        return True
    window.send(Event.OPEN_PANEL)  # as above: no audit entry for a picture
    window.send(Event.OPEN_ASSISTED if page == "assisted" else Event.OPEN_PAPER)
    entry = window.pages[Page.ASSISTED if page == "assisted" else Page.PAPER]
    if not sample:
        return True
    people = [("Nour", "Haddad", "nour@example.org", "10115"), ("Jonas", "Weber", "", "56068"),
              ("سلمى", "الإدلبي", "salma@example.org", "")]
    if page == "paper":
        entry.sheet.setText("14")
    for given, family, email, postal in people[:2]:
        for name, value in (("given_name", given), ("family_name", family), ("email", email), ("postal_code", postal)):
            if name in entry.form.editors:
                entry.form.editors[name].setText(value)
        if entry.form.consent is not None:
            entry.form.consent.box.setChecked(True)
        entry.save()
    entry.form.editors["given_name"].setText(people[2][0])
    return True


def _sample_day(ctx) -> None:  # type: ignore[no-untyped-def]
    """Throw-away screenshot database only: an event, a day of signatures at several hours, a few the
    server acknowledged, two it refused, and a sync run."""
    from datetime import UTC, date, datetime, timedelta

    from sqlmodel import Session

    from db import events
    from db.engine import write_session
    from db.models import SyncRun
    from db.signatures import SignatureDraft, save_signature
    from db.sync import store

    with write_session(ctx.engine) as session:
        events.create_event("Vigil at the courthouse", "Koblenz", date.today(), session=session)
        session.commit()
    with Session(ctx.engine) as session:
        active = events.active_event(session=session)
    event_id = active.id if active else None
    names = [("Nour", "Haddad"), ("Jonas", "Weber"), ("سلمى", "الإدلبي"), ("Amal", "Khoury"), ("Lena", "Fischer")]
    now_local = datetime.now().astimezone()
    start = max(now_local.replace(hour=0, minute=5, second=0, microsecond=0), now_local - timedelta(minutes=11 * 50))
    ids = []
    for i in range(46):
        slug = "act-on-syria" if i % 3 else "aleppo"
        given, family = names[i % len(names)]
        at = min(start + timedelta(minutes=11 * i + (i % 7) * 3), now_local)
        fields = {"given_name": given, "family_name": family}
        if slug == "act-on-syria":
            fields.update({"email": f"s{i}@example.org", "postal_code": "10115", "country": "DE"})
        draft = SignatureDraft(fields=fields, consent_processing=True, event_id=event_id, given_at=at)
        shown = ctx.campaigns[slug].localised("en")
        from db.signatures import build_record, save_record

        record = build_record(draft, shown, now=at.astimezone(UTC))
        ids.append(save_record(record, engine=ctx.engine).id)
    raw = ctx.engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("BEGIN IMMEDIATE")
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        cur.execute(f"UPDATE signature SET sync_state = 'acked', acked_at = ? WHERE id IN ({','.join('?' * 30)})",
                    (now, *ids[:30]))
        cur.execute("COMMIT")
    finally:
        raw.close()
    store.set_aside(ctx.engine, ids[30:31], "rejected: email_invalid (email)")
    store.set_aside(ctx.engine, ids[31:32], "rejected: campaign_version_unknown (campaign_version)")
    finished = datetime.now(UTC)
    store.record_run(ctx.engine, SyncRun(started_at=finished - timedelta(seconds=4), finished_at=finished,
                                         outcome="ok", server_url="https://petitions.example.org", sent=30,
                                         duplicates=2, attention=2, pending=14))
    _ = save_signature  # the real save path is exercised by the other pages' screenshots


def _sign_as_sample_signer(window) -> None:  # type: ignore[no-untyped-def]
    """Fill the real form with a sample signer and press Sign (throw-away screenshot database only)."""
    from desktop.flow import Page

    window.go_to(Page.SIGN)
    form = window.sign
    for name, value in (("given_name", "Nour"), ("family_name", "Haddad")):
        if name in form.editors:
            form.editors[name].setText(value)
    form.consent.box.setChecked(True)
    window.submit()


def print_sheets(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from desktop.context import open_context
    from desktop.sheets import write_sheets

    setup_logging(_data_dir(args))
    slug = getattr(args, "campaign", None)
    if not slug:
        print("petition-kiosk print-sheets: --campaign SLUG is required", file=sys.stderr)
        return 2
    if args.count < 1 or args.first < 1:
        print("petition-kiosk print-sheets: --count and --first must be at least 1", file=sys.stderr)
        return 2
    ctx = open_context(getattr(args, "data_dir", None), campaign=slug)
    if slug not in ctx.campaigns:
        print(f"petition-kiosk print-sheets: no campaign {slug!r} (installed: {', '.join(ctx.campaigns)})",
              file=sys.stderr)
        return 2
    _app = QGuiApplication.instance() or QGuiApplication([])  # fonts
    report = write_sheets(args.output, ctx.campaigns[slug].localised(getattr(args, "lang", None)),
                          count=args.count, first=args.first, page_size=args.page_size)
    print(f"{report.path}: {report.letter_pages} page(s) of letter, sheets {report.first}–"
          f"{report.first + report.sheets - 1} with {report.rows_per_sheet} rows each")
    return 0


def import_paper(args: argparse.Namespace) -> int:
    from db.paper import PaperImportError
    from db.paper import import_paper as run_import
    from desktop.context import open_context

    setup_logging(_data_dir(args))
    slug = getattr(args, "campaign", None)
    if not slug:
        print("petition-kiosk import-paper: --campaign SLUG is required", file=sys.stderr)
        return 2
    ctx = open_context(getattr(args, "data_dir", None), campaign=slug)
    try:
        report = run_import(args.file, engine=ctx.engine, campaign=ctx.campaign,
                            locale=getattr(args, "lang", None), sheet_column=args.sheet_column,
                            skip_bad=args.skip_bad)
    except PaperImportError as exc:
        print(f"petition-kiosk import-paper: {exc}", file=sys.stderr)
        return 2
    import logging

    from desktop.messages import validation_message

    logging.getLogger("desktop").info("paper import (%s): %d rows, %d saved, %d duplicates, %d bad rows%s", slug,
                                      report.rows, report.saved, report.duplicates, report.bad_rows,
                                      ", nothing saved" if report.refused else "")
    summary, *_ = report.format().splitlines()
    print(summary)
    for err in report.errors:
        print(f"line {err.line}: {err.field}: {validation_message(err.key)} ({err.key})")
    return 1 if report.refused else 0
