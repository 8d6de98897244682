"""``petition-kiosk``: the app, plus headless commands for volunteers, coordinators and scripts.

This module imports nothing heavy at the top so that ``--help`` and headless commands stay quick and
the GUI's start-up is not slowed by what only a subcommand needs.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from pathlib import Path

from db import __version__

# setup-*: the first-run set-up's steps (desktop/setup_wizard.py).
SETUP_PAGES = tuple(f"setup-{name}" for name in ("language", "campaign", "device", "pin", "server", "event"))


def screenshot_pages() -> tuple[str, ...]:
    """Every page ``screenshot`` renders. sign-handwriting: the form scrolled to its signature pad, with
    a signature drawn (a campaign that asks for one, e.g. --campaign aleppo); assisted, paper: the
    volunteers' entry screens, with sample entries; sign-partners: the form scrolled to the partners'
    opt-ins, one ticked (a campaign that offers them, e.g. act-on-syria); panel-*: the panel's sections."""
    from desktop.panel import SECTIONS  # here: a start of the app builds no subcommand's parser

    return ("attract", "picker", "letter", "sign", "thanks", *(f"panel-{name}" for name in SECTIONS),
            "sign-handwriting", "sign-partners", "assisted", "paper", *SETUP_PAGES)


def _common(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--data-dir", type=Path, default=default,
                        help="folder holding the database (default: the user's data folder)")
    parser.add_argument("--lang", default=default, help="language: en, ar or de")
    parser.add_argument("--campaign", default=default, help="campaign slug to show")


COMMAND_NAMES = frozenset({"screenshot", "import-paper", "print-sheets", "import-campaign",
                           "enroll", "sync", "status", "diagnostics", "export", "import-receipt", "crowd"})


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
    shot.add_argument("--page", choices=screenshot_pages(), required=True)
    shot.add_argument("--size", default="1024x600", help="window size, WIDTHxHEIGHT (default 1024x600)")
    shot.add_argument("--errors", action="store_true", help="sign page: show the messages of an empty submit")
    shot.add_argument("--kiosk", action="store_true", default=None, help="render as the kiosk shows it")
    shot.add_argument("--countdown", action="store_true", help="show the idle countdown over the page")
    shot.add_argument("--sample-links", action="store_true",
                      help="give the campaign example links, to show its QR codes (letter, thank-you receipt)")
    shot.add_argument("--crowd-invite", action="store_true",
                      help="attract, letter: crowd mode's two QR codes, with an example address and Wi-Fi")
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

    # here, not at the top: only this command loads it
    from desktop import cli_sync

    cli_sync.add_parsers(sub)
    # here, not at the top: only this command loads it
    from desktop import cli_crowd

    cli_crowd.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    # here, not at the top: only this command loads it
    from desktop.compat import forbid_core_dumps, keep_constants_alive

    keep_constants_alive()  # PySide6 6.12 on Python 3.11 would abort the app after a few thousand calls
    forbid_core_dumps()  # a crash must not write a signer's input to disk
    given = sys.argv[1:] if argv is None else argv
    # The subcommands' parsers only when a subcommand (or the help listing them) may be asked for.
    commands = any(arg in COMMAND_NAMES or arg in ("-h", "--help") or not arg.startswith("-") and i == 0
                   for i, arg in enumerate(given))
    args = build_parser(commands=commands).parse_args(given)
    if args.self_test:
        # here, not at the top: only this command loads it
        from desktop import selftest

        return selftest.run()
    try:
        if args.command == "screenshot":
            # here, not at the top: only this command loads it
            from desktop.screenshot import screenshot

            return screenshot(args)
        if args.command == "import-paper":
            return import_paper(args)
        if args.command == "print-sheets":
            return print_sheets(args)
        if args.command == "import-campaign":
            return import_campaign(args)
        if args.command == "crowd":
            # here, not at the top: only this command loads it
            from desktop import cli_crowd

            return cli_crowd.run(args)
        # here, not at the top: only this command loads it
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
    except Exception as exc:  # every command: a bad path is one line and status 2, never a traceback
        from db.cli_errors import EXIT_FILE_SYSTEM, file_system_problem  # here: start-up imports stay few

        problem = file_system_problem(exc)
        if problem is None:
            raise
        print(f"petition-kiosk{' ' + args.command if args.command else ''}: {problem}", file=sys.stderr)
        return EXIT_FILE_SYSTEM


def setup_logging(data_dir: Path | None) -> None:
    """The commands' logging (desktop/logging_setup.py)."""
    # here, not at the top: only this command loads it
    from desktop.logging_setup import (
        setup_logging as setup,  # here: --help and the GUI's first paint go without
    )

    setup(data_dir)


def _data_dir(args: argparse.Namespace) -> Path:
    # here, not at the top: only this command loads it
    from db.paths import default_data_dir

    given = getattr(args, "data_dir", None)
    return Path(given) if given else default_data_dir()


def gui(args: argparse.Namespace) -> int:
    # here, not at the top: only this command loads it
    from desktop.app import run_gui
    from desktop.context import open_context

    ctx = open_context(args.data_dir, locale=args.lang, campaign=args.campaign, overrides={"kiosk": args.kiosk})
    if args.setup or not (args.demo or args.exit_when_painted or not _needs_setup(ctx.data_dir)):
        # here, not at the top: only this command loads it
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
    # here, not at the top: only this command loads it
    from db.bundle_import import import_bundle
    from db.campaigns import BundleError
    from desktop.context import open_context

    setup_logging(_data_dir(args))
    if not os.path.lexists(args.bundle):  # a path that is not there: a file-system error (main(), status 2)
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(args.bundle))
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


def print_sheets(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # here, not at the top: only this command loads it
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
    # here, not at the top: only this command loads it
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
    # here, not at the top: only this command loads it
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
