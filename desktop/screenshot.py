"""``petition-kiosk screenshot``: one page rendered to a PNG file without a screen (README, Headless
commands). Without ``--data-dir`` the picture is made from a throw-away database, filled with made-up
signers where the page would be empty."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.logging_setup import setup_logging

if TYPE_CHECKING:
    from db.crowd.invite import Invite


def screenshot(args: argparse.Namespace) -> int:
    # here, not at the top: only this command loads it
    import tempfile

    data_dir = getattr(args, "data_dir", None)
    setup_logging(Path(data_dir) if data_dir else None)  # a throw-away database keeps no log
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # here, not at the top: only this command loads it
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
        if args.page.startswith("setup-"):
            return _setup_screenshot(app, ctx, args.page.removeprefix("setup-"), (width, height), args.output)
        window = build_window(app, ctx)
        window.resize(width, height)
        if args.sample_links:
            _sample_links(ctx)
        if getattr(args, "crowd_invite", False):
            window.set_crowd_invite(example_invite())
        if args.page in ("sign-handwriting", "sign-partners", "assisted", "paper"):
            if not _volunteer_or_pad_page(window, args.page, sample=not data_dir):
                return 2
        elif args.page == "thanks" and not data_dir:
            _sign_as_sample_signer(window)  # the page only ever follows a real save
        elif args.page.startswith("panel-"):
            if not data_dir:
                _sample_day(window.ctx)  # a throw-away day of signing, so the panel has something to show
            if args.page == "panel-phones":  # the service as the app has it, never started for a picture
                # here, not at the top: only this page needs it
                from desktop.crowd.service import CrowdService

                window.crowd = CrowdService(window.ctx, parent=window)
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
    # here, not at the top: only this command loads it
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
    # here, not at the top: only this command loads it
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
    # here, not at the top: only this command loads it
    import dataclasses

    from db.campaigns import Links

    ctx.warm_up()
    campaign = ctx.campaign
    links = Links(online_petition=f"https://petitions.example.org/{campaign.slug}",
                  receipt="https://petitions.example.org/receipt/{id}")
    manifest = campaign.manifest.model_copy(update={"links": links})
    ctx.campaigns[campaign.slug] = dataclasses.replace(campaign, manifest=manifest)


def example_invite() -> Invite:
    """Crowd mode's codes as a stand's hotspot makes them, with made-up values (screenshots, tests)."""
    # here, not at the top: only this command loads it
    from db.crowd.invite import Invite, petition_url

    return Invite(url=petition_url("10.42.0.1", 8470, "Xq7vR2mK9pLw4tZb8nYc3d"), wifi_name="Petition-AC3D",
                  wifi_password="kmtq-7hzr-w4xp", security="wpa3")


def _sample_signature() -> str:
    """Path data of a made-up handwritten signature: a looping scrawl and a stroke under it."""
    # here, not at the top: only this command loads it
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
    # here, not at the top: only this command loads it
    from desktop.flow import Event, Page

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
        form.scroll_area.ensureWidgetVisible(form.pad, 0, form.fontMetrics().height() * 4)
        return True
    if page == "sign-partners":
        window.ctx.warm_up()
        window.go_to(Page.SIGN)
        form = window.sign
        if form.partners is None:
            print(f"petition-kiosk: {window.ctx.campaign_slug} offers no partners' opt-ins "
                  "(try --campaign act-on-syria)", file=sys.stderr)
            return False
        if sample:
            form.editors["given_name"].setText("Nour")
            form.consent.box.setChecked(True)
            next(iter(form.partners.rows.values())).box.setChecked(True)
        window.show()
        window.layout().activate()
        # the opt-ins from their top, with the consent boxes above them
        top = form.partners.mapTo(form.scroll_area.widget(), form.partners.rect().topLeft()).y()
        form.scroll_area.verticalScrollBar().setValue(top - form.fontMetrics().height() * 6)
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
    # here, not at the top: only this command loads it
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
        fields: dict[str, str | None] = {"given_name": given, "family_name": family}
        if slug == "act-on-syria":
            fields.update({"email": f"s{i}@example.org", "postal_code": "10115", "country": "DE"})
        draft = SignatureDraft(fields=fields, consent_processing=True, event_id=event_id, given_at=at)
        shown = ctx.campaigns[slug].localised("en")
        # here, not at the top: only this command loads it
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
    # here, not at the top: only this command loads it
    from desktop.flow import Page

    window.go_to(Page.SIGN)
    form = window.sign
    for name, value in (("given_name", "Nour"), ("family_name", "Haddad")):
        if name in form.editors:
            form.editors[name].setText(value)
    form.consent.box.setChecked(True)
    window.submit()


