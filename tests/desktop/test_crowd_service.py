"""Crowd mode in the running app: the service starts its child, fifty phones sign at once while the
window runs, the counts follow, and the child goes when it is turned off or the app quits."""

from __future__ import annotations

import socket
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import Session, select

from db import settings as settings_store
from db.engine import write_session
from db.models import Signature
from db.schemas import Mode
from utils.crowd import phone, sign
from utils.factories import VALID_FIELDS

PHONES = 50
EACH = 10


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def configure(ctx, **changes) -> None:  # noqa: ANN001
    with write_session(ctx.engine) as session:
        settings_store.update(session=session, **changes)
        session.commit()
    ctx.reload_settings()


@pytest.fixture
def service(window, qtbot):  # noqa: ANN001, ANN201
    from desktop.warm_up import start_crowd_service

    configure(window.ctx, crowd_host="127.0.0.1", crowd_port=free_port())
    start_crowd_service(window)
    yield window.crowd
    window.crowd.shutdown()


def wait_for(qtbot, service, state) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: service.state is state, timeout=60_000)


def test_fifty_phones_sign_through_the_running_app_and_the_count_follows(qtbot, window, service):
    from desktop.crowd.service import CrowdState
    from desktop.flow import Page

    service.start()
    wait_for(qtbot, service, CrowdState.ON)
    invite = service.invite()
    assert invite is not None and invite.url.startswith("http://127.0.0.1:")
    assert invite.url.endswith(window.ctx.settings.crowd_token)
    window.go_to(Page.ATTRACT)
    done = threading.Event()
    answers: list[int] = []

    def crowd() -> None:
        def one_phone(n: int) -> list[int]:
            session = phone(n)
            return [sign(session, invite.url, {**VALID_FIELDS, "given_name": f"P{n}-{i}"}).status_code
                    for i in range(EACH)]

        try:
            with ThreadPoolExecutor(max_workers=PHONES) as pool:
                for codes in pool.map(one_phone, range(1, PHONES + 1)):
                    answers.extend(codes)
        finally:
            done.set()

    signed: list[int] = []
    service.signed.connect(lambda: signed.append(1))
    threading.Thread(target=crowd, daemon=True).start()
    qtbot.waitUntil(done.is_set, timeout=240_000)
    qtbot.waitUntil(lambda: len(signed) == PHONES * EACH, timeout=30_000)
    assert answers == [200] * (PHONES * EACH)
    with Session(window.ctx.engine) as session:
        rows = session.exec(select(Signature)).all()
    assert len(rows) == PHONES * EACH
    assert len({row.id for row in rows}) == len({row.given_name for row in rows}) == PHONES * EACH
    assert {row.mode for row in rows} == {Mode.PHONE}
    assert window.ctx.live_count() == PHONES * EACH

    service.stop()
    wait_for(qtbot, service, CrowdState.OFF)
    assert window.ctx.settings.crowd_on is False
    with pytest.raises(OSError):
        phone(1).get(invite.url, timeout=3)


def test_left_on_it_serves_again_after_a_restart_and_a_taken_port_is_said(qtbot, window, service):
    from desktop.crowd.service import CrowdService, CrowdState

    service.start()
    wait_for(qtbot, service, CrowdState.ON)
    url = service.invite().url
    service.shutdown()  # the app quits: the choice stays
    qtbot.waitUntil(lambda: service._process is None, timeout=10_000)
    assert window.ctx.settings.crowd_on is True

    again = CrowdService(window.ctx, parent=window)
    again.resume()
    wait_for(qtbot, again, CrowdState.ON)
    assert again.invite().url == url  # same event, same token: the poster still works
    taken = CrowdService(window.ctx, parent=window)  # a second server on the same port
    taken.start()
    wait_for(qtbot, taken, CrowdState.FAILED)
    assert "port" in taken.error
    again.shutdown()


def test_a_new_token_closes_the_old_code(qtbot, window, service):
    from desktop.crowd.service import CrowdState

    service.start()
    wait_for(qtbot, service, CrowdState.ON)
    old = service.invite().url
    service.reset_token()
    qtbot.waitUntil(lambda: service.state is CrowdState.ON and service.invite().url != old, timeout=60_000)
    assert phone(1).get(old, timeout=10).status_code == 404
    assert phone(1).get(service.invite().url, timeout=10).status_code == 200
