"""Deployment settings (db/settings.py): defaults, one stored row, environment and command-line
overrides that are never written back, invalid values refused."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlmodel import Session, func, select

from db import settings
from db.models import SettingsRow
from db.settings import Settings


def _rows(engine) -> list[SettingsRow]:
    with Session(engine) as session:
        return list(session.exec(select(SettingsRow)))


def test_defaults(engine) -> None:
    with Session(engine) as session:
        stored = settings.stored(session=session)
        assert stored == Settings()
        assert settings.effective(session=session, environ={}) == Settings()
    assert (stored.idle_timeout_s, stored.thank_you_s, stored.kiosk, stored.theme) == (90, 8, False, "default")
    assert stored.server_url is None and stored.active_campaign is None
    assert _rows(engine) == []  # reading defaults writes nothing


def test_saved_settings_round_trip_in_one_row(engine) -> None:
    with Session(engine) as session:
        settings.update(session=session, device_name="Stall 1", idle_timeout_s=120, kiosk=True)
        session.commit()
    with Session(engine) as session:
        settings.update(session=session, theme="outdoor")
        session.commit()
    with Session(engine) as session:
        loaded = settings.stored(session=session)
        assert session.exec(select(func.count()).select_from(SettingsRow)).one() == 1
    assert (loaded.device_name, loaded.idle_timeout_s, loaded.kiosk, loaded.theme) == ("Stall 1", 120, True, "outdoor")
    (row,) = _rows(engine)
    assert row.id == 1 and row.data["idle_timeout_s"] == 120


def test_environment_overrides(engine, monkeypatch) -> None:
    with Session(engine) as session:
        settings.update(session=session, idle_timeout_s=120)
        session.commit()
    monkeypatch.setenv("PETITION_KIOSK_IDLE_TIMEOUT_S", "300")
    monkeypatch.setenv("PETITION_KIOSK_KIOSK", "true")
    with Session(engine) as session:
        current = settings.effective(session=session)
    assert current.idle_timeout_s == 300 and current.kiosk is True


def test_command_line_overrides_win_over_the_environment(engine) -> None:
    environ = {"PETITION_KIOSK_IDLE_TIMEOUT_S": "300", "PETITION_KIOSK_THEME": "outdoor"}
    with Session(engine) as session:
        current = settings.effective(session=session, environ=environ, overrides={"idle_timeout_s": 60,
                                                                                  "theme": None})
    assert current.idle_timeout_s == 60  # the command line wins
    assert current.theme == "outdoor"  # an option not given (None) leaves the environment's value


def test_overrides_are_not_written_back(engine) -> None:
    environ = {"PETITION_KIOSK_IDLE_TIMEOUT_S": "300"}
    with Session(engine) as session:
        effective = settings.effective(session=session, environ=environ, overrides={"kiosk": True})
        assert effective.idle_timeout_s == 300 and effective.kiosk
        settings.update(session=session, device_name="Stall 2")  # a coordinator changes one thing
        session.commit()
    with Session(engine) as session:
        stored = settings.stored(session=session)
    assert stored.device_name == "Stall 2"
    assert stored.idle_timeout_s == 90 and stored.kiosk is False
    (row,) = _rows(engine)
    assert row.data["idle_timeout_s"] == 90 and row.data["kiosk"] is False


@pytest.mark.parametrize("changes", [
    {"idle_timeout_s": 5}, {"idle_timeout_s": 100_000}, {"thank_you_s": 0}, {"theme": "neon"},
    {"default_locale": "english"}, {"device_name": "x" * 65}, {"retention_days": -1},
])
def test_invalid_values_are_refused_and_not_stored(engine, changes) -> None:
    with pytest.raises(ValidationError):
        Settings(**changes)
    with Session(engine) as session:
        with pytest.raises(ValidationError):
            settings.update(session=session, **changes)
        session.commit()
    assert _rows(engine) == []


def test_an_invalid_environment_value_is_refused(engine) -> None:
    with Session(engine) as session, pytest.raises(ValidationError):
        settings.effective(session=session, environ={"PETITION_KIOSK_IDLE_TIMEOUT_S": "soon"})


def test_a_stored_value_no_longer_valid_keeps_the_others(engine) -> None:
    """A row written by another version of the app: the fields this version refuses fall back to
    their defaults, the rest survive."""
    with Session(engine) as session:
        session.add(SettingsRow(id=1, data={"device_name": "Stall 3", "idle_timeout_s": 1, "theme": "neon",
                                            "a_setting_from_the_future": True}))
        session.commit()
    with Session(engine) as session:
        stored = settings.stored(session=session)
    assert stored.device_name == "Stall 3"
    assert stored.idle_timeout_s == 90 and stored.theme == "default"
