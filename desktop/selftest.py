"""``petition-kiosk --self-test``: does this installation work? (a built folder above all)

Everything a signing day depends on, on a throw-away database in a temporary folder, never the
user's: the database is created and migrated (the Alembic scripts are there), every built-in campaign
loads in every language it has, every page is rendered offscreen in every language (stylesheet, icons,
translations, fonts, the Qt plugins the pages need), and a signature goes through the real form into
the database and is read back. Prints one line per check; exits 0 when all pass, 1 with the reasons
otherwise.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

SAMPLE = {"given_name": "Nour", "family_name": "Haddad", "email": "self-test@example.org",
          "phone": "+49 30 1234567", "postal_code": "10115", "city": "Berlin", "country": "DE",
          "comment": "self-test"}


class Failed(Exception):
    """A check that did not pass, with a reason a person can act on."""


class SelfTest:
    def __init__(self, out: Callable[[str], None]) -> None:
        self.out = out
        self.failures: list[str] = []

    def check(self, what: str, step: Callable[[], str | None]) -> Any:
        try:
            detail = step()
        except Failed as exc:
            self.failures.append(f"{what}: {exc}")
            self.out(f"FAIL {what}: {exc}")
            return None
        except Exception as exc:  # anything at all: the self-test reports, it does not crash
            self.failures.append(f"{what}: {type(exc).__name__}: {exc}")
            self.out(f"FAIL {what}: {type(exc).__name__}: {exc}")
            self.out(traceback.format_exc().rstrip())
            return None
        self.out(f"ok   {what}" + (f" ({detail})" if detail else ""))
        return True


def run(out: Callable[[str], None] | None = None) -> int:
    """Run every check; 0 when all passed, 1 otherwise."""
    if out is None:
        def out(line: str) -> None:
            if sys.stdout is not None:  # a windowed Windows build has no console
                print(line, flush=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    test = SelfTest(out)
    frozen = getattr(sys, "frozen", False)
    # here, not at the top: only this command loads it
    from db import __version__

    out(f"petition-kiosk {__version__} self-test ({'built' if frozen else 'from source'}, {sys.platform})")
    with tempfile.TemporaryDirectory(prefix="petition-kiosk-selftest-") as scratch:
        _run_checks(test, Path(scratch) / "data")
    if test.failures:
        out(f"self-test FAILED: {len(test.failures)} problem(s)")
        for failure in test.failures:
            out(f"  - {failure}")
        return 1
    out("self-test passed")
    return 0


def _run_checks(test: SelfTest, data_dir: Path) -> None:
    # here, not at the top: only this command loads it
    from db.paths import resource_path

    state: dict[str, Any] = {}

    def resources() -> str:
        missing = [p for p in ("styles/kiosk.qss", "icons", "campaigns", "translations", "phone/templates/page.html")
                   if not resource_path(*p.split("/")).exists()]
        qm = sorted(p.name for p in resource_path("translations").glob("*.qm"))
        if missing or not qm:
            raise Failed(f"missing under {resource_path()}: {', '.join(missing) or 'compiled translations (.qm)'}")
        return f"{len(qm)} translations under {resource_path()}"

    def database() -> str:
        # here, not at the top: only this command loads it
        from desktop.context import open_context

        ctx = open_context(data_dir)
        ctx.warm_up()
        state["ctx"] = ctx
        # here, not at the top: only this command loads it
        from sqlalchemy import text

        with ctx.engine.connect() as conn:
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if not revision:
            raise Failed("the database has no Alembic revision: the migrations did not run")
        return f"created and migrated to {revision} in a temporary folder"

    def campaigns() -> str:
        # here, not at the top: only this command loads it
        from db.campaigns import load_builtin

        loaded = load_builtin()
        if not loaded:
            raise Failed(f"no built-in campaign under {resource_path('campaigns')}")
        problems = []
        count = 0
        for campaign in loaded:
            for locale in campaign.manifest.locales:
                shown = campaign.localised(locale)
                if shown.locale != locale:
                    problems.append(f"{campaign.slug}/{locale}: falls back to {shown.locale}")
                if not shown.texts.title.strip() or not shown.letter_sha256:
                    problems.append(f"{campaign.slug}/{locale}: empty title or letter")
                count += 1
        if problems:
            raise Failed("; ".join(problems))
        state["campaigns"] = loaded
        return f"{len(loaded)} campaigns, {count} campaign languages"

    test.check("resources", resources)
    if not test.check("database", database):
        return
    if not test.check("campaigns", campaigns):
        return
    ctx = state["ctx"]
    try:
        if test.check("Qt application", lambda: _make_window(state)):
            test.check("fonts", _fonts)
            for campaign in state["campaigns"]:
                for locale in campaign.manifest.locales:
                    test.check(f"pages {campaign.slug} {locale}",
                               partial(_render_pages, state["window"], campaign.slug, locale))
            test.check("save and read back a signature", lambda: _save_and_read_back(state["window"]))
            test.check("first-run set-up", lambda: _set_up(ctx))
        test.check("phone pages (crowd mode)", lambda: _phone_pages(ctx))
    finally:
        window = state.get("window")
        if window is not None:
            window.close()
            window.deleteLater()
        ctx.close()


def _make_window(state: dict[str, Any]) -> str:
    # here, not at the top: only this command loads it
    from desktop.app import build_window, make_application

    app = make_application()
    window = build_window(app, state["ctx"])
    window.resize(1024, 600)
    window.show()
    app.processEvents()
    state["app"], state["window"] = app, window
    return f"Qt {_qt_version()}, platform {app.platformName()}"


def _qt_version() -> str:
    # here, not at the top: only this command loads it
    from PySide6.QtCore import qVersion

    return qVersion()


def _fonts() -> str:
    # here, not at the top: only this command loads it
    from PySide6.QtGui import QFontDatabase

    families = set(QFontDatabase.families())
    wanted = ["Noto Sans", "Noto Sans Arabic"]
    missing = [f for f in wanted if f not in families]
    if not families:
        raise Failed("Qt finds no fonts at all (is fontconfig installed?)")
    if missing:
        # Not a failure: Qt falls back to other fonts (Windows and macOS have Arabic in theirs).
        return f"{len(families)} families; not found, a fallback is used: {', '.join(missing)}"
    return f"{len(families)} families, Noto Sans and Noto Sans Arabic among them"


def _render_pages(window: Any, slug: str, locale: str) -> str:
    # here, not at the top: only this command loads it
    from PySide6.QtWidgets import QApplication

    from desktop.flow import Page

    window.ctx.campaign_slug = slug
    window.set_language(locale)
    if Page.SIGN in window.pages:
        window.sign.show_campaign(window.ctx.shown)
    rendered = []
    problems = []
    for page in Page:
        window.go_to(page)
        QApplication.processEvents()
        image = window.grab().toImage()
        if image.isNull() or image.width() < 100:
            problems.append(f"{page.name.lower()}: nothing rendered")
        elif _one_colour(image):
            problems.append(f"{page.name.lower()}: rendered as a blank picture")
        else:
            rendered.append(page.name.lower())
    if window.isRightToLeft() != (locale == "ar"):
        problems.append(f"layout direction is {'right to left' if window.isRightToLeft() else 'left to right'}")
    if problems:
        raise Failed("; ".join(problems))
    return ", ".join(rendered)


def _one_colour(image: Any) -> bool:
    """True when a grid of sample points over the picture all have the same colour."""
    first = image.pixel(0, 0)
    step_x, step_y = max(1, image.width() // 40), max(1, image.height() // 40)
    return all(image.pixel(x, y) == first
               for x in range(0, image.width(), step_x) for y in range(0, image.height(), step_y))


def _save_and_read_back(window: Any) -> str:
    # here, not at the top: only this command loads it
    from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit
    from sqlmodel import Session

    from db import signatures
    from desktop.flow import Page

    ctx = window.ctx
    window.set_language(ctx.campaign.manifest.default_locale)
    window.go_to(Page.SIGN)
    form = window.sign
    form.show_campaign(ctx.shown)
    for name, editor in form.editors.items():
        value = SAMPLE.get(name, "")
        if isinstance(editor, QLineEdit):
            editor.setText(value)
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText(value)
        elif isinstance(editor, QComboBox):
            index = editor.findData(value)
            editor.setCurrentIndex(index if index >= 0 else max(0, editor.count() - 1))
    if form.consent is not None:
        form.consent.box.setChecked(True)
    if form.pad is not None:
        # here, not at the top: only this command loads it
        from desktop.signature_pad import to_path_data

        form.pad.set_path_data(to_path_data([[(10, 40), (60, 10), (110, 45), (160, 15)]]))
    saved_ids: list[str] = []
    window.saved.connect(saved_ids.append)
    window.submit()
    QApplication.processEvents()
    if not saved_ids:
        shown = [f"{name}: {label.text()}" for name, label in form.errors.items()
                 if label is not None and label.isVisible() and label.text()]
        raise Failed("the form did not save" + (f": {'; '.join(shown)}" if shown else ""))
    if window.flow.page is not Page.THANKS:
        raise Failed(f"saved, but the flow went to {window.flow.page.name} instead of the thank-you page")
    with Session(ctx.engine) as session:
        row = signatures.get(saved_ids[0], session=session)
        if row is None:
            raise Failed(f"signature {saved_ids[0]} was saved but cannot be read back")
        got = {name: getattr(row, name) for name in ("campaign_slug", "given_name", "family_name", "sealed_key")}
    # Names are stored as typed (other fields may be normalised, e.g. phone numbers); a sealed row has none.
    wrong = [name for name in ("given_name", "family_name")
             if name in form.editors and got.get(name) not in (SAMPLE[name], None)]
    if got.get("campaign_slug", ctx.campaign_slug) != ctx.campaign_slug or wrong:
        raise Failed(f"read back differs: {', '.join(wrong) or 'campaign'}")
    sealed = " (sealed)" if got.get("sealed_key") else ""
    return f"{ctx.campaign_slug}, id {saved_ids[0]}{sealed}"


def _set_up(ctx: Any) -> str:
    """Every step of the first-run set-up rendered in every language, then answered to the end: the
    answers stored and the PIN in place (all in the throw-away data directory)."""
    # here, not at the top: only this command loads it
    from PySide6.QtCore import QDeadlineTimer
    from PySide6.QtWidgets import QApplication

    from db import setup
    from desktop.i18n import LANGUAGES, Translators
    from desktop.setup_wizard import STEPS, SetupWizard

    translators = Translators()
    wizard = SetupWizard(ctx, translators)
    wizard.resize(1024, 600)
    wizard.show()
    blank = []
    try:
        for locale in LANGUAGES:
            wizard.choose_language(locale)
            for index, step in enumerate(STEPS):
                wizard.show_step(index)
                QApplication.processEvents()
                if _one_colour(wizard.grab().toImage()):
                    blank.append(f"{step} ({locale})")
        if blank:
            raise Failed(f"blank set-up steps: {', '.join(blank)}")
        wizard.choose_campaign(ctx.campaign_slug)
        wizard.device_name.setText("Self-test")
        for _ in range(2):
            for digit in "258046":
                wizard.pin_pad.press(digit)
            wizard.pin_pad._submit()
        done: list[object] = []
        wizard.finished.connect(done.append)
        wizard.finish()
        deadline = QDeadlineTimer(10_000)
        while not done and not deadline.hasExpired():
            QApplication.processEvents()
        if not done or setup.needs_setup(ctx.data_dir):
            raise Failed(wizard.bar_message.text() or "the answers were not stored within 10 s")
    finally:
        wizard.close()
        wizard.deleteLater()
        translators.uninstall(QApplication.instance())
    return f"{len(STEPS)} steps in {len(LANGUAGES)} languages, answers stored"


def _phone_pages(ctx: Any) -> str:
    """Crowd mode as the app runs it: its child process serves the phone pages on 127.0.0.1, each of
    the campaign's languages opens, and one signature is saved with mode phone."""
    # here, not at the top: only this command loads it
    import re
    import selectors
    import subprocess
    import urllib.parse
    import urllib.request

    from desktop.crowd.service import child_command

    program, arguments = child_command()
    process = subprocess.Popen(
        [program, *arguments, "crowd", "--for-app", "--data-dir", str(ctx.data_dir), "--campaign", ctx.campaign_slug,
         "--host", "127.0.0.1", "--port", "0"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    stdout, stdin = process.stdout, process.stdin
    assert stdout is not None and stdin is not None
    lines: list[str] = []

    def next_line(timeout: float) -> str:
        with selectors.DefaultSelector() as selector:
            selector.register(stdout, selectors.EVENT_READ)
            if not selector.select(timeout):
                raise Failed(f"the phone service said nothing for {timeout:.0f} s")
        line = stdout.readline().decode("utf-8", "replace").strip()
        lines.append(line)
        return line

    try:
        ready = next_line(60)
        if not ready.startswith("ready "):
            raise Failed(f"the phone service did not start: {ready or 'it exited'}")
        url = ready.split(" ", 1)[1]
        campaign = ctx.campaigns[ctx.campaign_slug]
        page = ""
        for locale in campaign.manifest.locales:
            with urllib.request.urlopen(f"{url}?lang={locale}", timeout=30) as answer:
                page = answer.read().decode("utf-8")
            if campaign.localised(locale).texts.title not in page:
                raise Failed(f"the {locale} page does not show the campaign's title")
        found = re.search(r'name="form" value="([^"]+)"', page)
        if found is None:
            raise Failed("the phone page has no form")
        body = {"form": found.group(1), "consent": "yes",
                **{f.name: SAMPLE[f.name] for f in campaign.manifest.form.fields}}
        request = urllib.request.Request(url, data=urllib.parse.urlencode(body).encode(), method="POST")
        with urllib.request.urlopen(request, timeout=30) as answer:
            if answer.status != 200:
                raise Failed(f"signing from a phone answered {answer.status}")
        if next_line(30) != "signed":
            raise Failed(f"the phone's signature was not reported saved: {lines}")
        return f"{len(campaign.manifest.locales)} languages served, one signature saved"
    finally:
        stdin.close()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
