"""Dashboard admins and their login sessions.

An admin token (``pka_`` and 256 random bits) is printed once by ``petition-server add-admin`` and
stored only as a SHA-256 hash, like device tokens: a token that long needs no salt or slow hash, and a
stolen database gives no token that works. Logging in exchanges it for a session (another random
token, in an HttpOnly cookie; the table keeps only its hash) that ends after ``SESSION_TTL``, at
logout, or when the admin is revoked or given a new token.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from db.schemas import as_utc
from server import security
from server.models import Admin, AdminSession, utcnow

TOKEN_PREFIX = "pka_"
SESSION_TTL = timedelta(hours=8)
NAME_MAX = 64


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return security.sha256_hex("admin:" + token)


def session_hash(token: str) -> str:
    return security.sha256_hex("admin-session:" + token)


def clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not 1 <= len(name) <= NAME_MAX:
        raise ValueError(f"an admin name has 1 to {NAME_MAX} characters")
    return name


def add_admin(name: str, *, session: Session, replace: bool = False) -> tuple[Admin, str]:
    """A new admin and its token (to be shown once). With ``replace``, an existing admin of that name
    (revoked or not) gets a new token instead: the old token and every session of it stop working."""
    name = clean_name(name)
    token = new_token()
    admin = session.exec(select(Admin).where(Admin.name == name)).first()
    if admin is not None:
        if not replace:
            raise ValueError(f"an admin named {name!r} exists: pass --replace to give it a new token")
        _end_sessions(admin, session=session)
        admin.token_hash = token_hash(token)
        admin.revoked_at = None
    else:
        admin = Admin(name=name, token_hash=token_hash(token))
    session.add(admin)
    session.flush()
    return admin, token


def revoke_admin(name: str, *, session: Session) -> bool:
    admin = session.exec(select(Admin).where(Admin.name == " ".join(name.split()))).first()
    if admin is None:
        return False
    if admin.revoked_at is None:
        admin.revoked_at = utcnow()
    # A token nobody knows: the hash column stays unique and the old token stops matching.
    admin.token_hash = token_hash(new_token())
    _end_sessions(admin, session=session)
    session.add(admin)
    return True


def all_admins(*, session: Session) -> list[Admin]:
    return list(session.exec(select(Admin).order_by(col(Admin.name))))


def _end_sessions(admin: Admin, *, session: Session) -> None:
    session.execute(delete(AdminSession).where(col(AdminSession.admin_id) == admin.id))


@dataclass(frozen=True)
class SignedIn:
    admin_id: int
    name: str
    session_hash: str
    expires_at: datetime


def login(token: str, *, session: Session, now: datetime | None = None) -> tuple[str, SignedIn] | None:
    """A new session for the admin holding ``token`` (its cookie value and who it is), else None."""
    now = now or utcnow()
    digest = token_hash(token)
    admin = session.exec(select(Admin).where(Admin.token_hash == digest)).first()
    if admin is None or admin.id is None or admin.revoked_at is not None or not security.hashes_equal(admin.token_hash, digest):
        return None
    # Expired sessions are of no use to anyone: drop them at each login so the table stays small.
    session.execute(delete(AdminSession).where(col(AdminSession.expires_at) < now))
    cookie = secrets.token_urlsafe(32)
    row = AdminSession(id_hash=session_hash(cookie), admin_id=admin.id, created_at=now, expires_at=now + SESSION_TTL)
    admin.last_login_at = now
    session.add(row)
    session.add(admin)
    return cookie, SignedIn(admin.id, admin.name, row.id_hash, row.expires_at)


def signed_in(cookie: str, *, session: Session, now: datetime | None = None) -> SignedIn | None:
    """Who holds the session cookie ``cookie``, read from the database on every request (so logout
    and revocation take effect at once); None for an unknown or expired session."""
    now = now or utcnow()
    digest = session_hash(cookie)
    row = session.exec(
        select(AdminSession.id_hash, AdminSession.expires_at, Admin.id, Admin.name, Admin.revoked_at)  # type: ignore[call-overload]
        .join(Admin, col(Admin.id) == col(AdminSession.admin_id))
        .where(AdminSession.id_hash == digest)
    ).first()
    if row is None or row[4] is not None or as_utc(row[1]) <= now or not security.hashes_equal(row[0], digest):
        return None
    return SignedIn(int(row[2]), row[3], row[0], as_utc(row[1]))


def logout(cookie: str, *, session: Session) -> None:
    session.execute(delete(AdminSession).where(col(AdminSession.id_hash) == session_hash(cookie)))
