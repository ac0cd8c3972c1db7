"""Sign-in with a password (Đăng nhập), sessions and one-time password links.

- A password is kept as an argon2id hash (:mod:`lienthong.kernel.passwords`). The
  administrator sets it (creating or editing the user), or gives the user a one-time
  link (:func:`issue_password_link`) with which they set it themself.
- Signing in with user code and password opens a session: a random secret for the
  cookie, only its SHA-256 kept here, valid :data:`SESSION_HOURS`. Signing out, a new
  password, deactivating or deleting the user ends it at once (every request asks).
- Five wrong passwords in a row slow the account down: each wrong password from the
  fifth on locks sign-in for :func:`lock_seconds` (30 s, then doubling, at most an
  hour); meanwhile sign-in answers 429 with ``Retry-After``. A right password resets it.

A user code is unique within a tenant, not across tenants (every tenant has ``admin``):
without ``tenant_id`` sign-in tries the users of every tenant with that code, and the
password tells them apart (two that match: 409 asking for ``tenant_id``).
"""

from __future__ import annotations

import math
import secrets
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from lienthong.kernel.auth import Principal, hash_token, require_role
from lienthong.kernel.passwords import hash_password, verify
from lienthong.kernel.problems import Conflict, FieldError, NotFound, TooManyRequests, Unauthorized
from lienthong.kernel.tables import utcnow
from lienthong.kernel.text import code_key
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.system.tables import PasswordLink, Session, User

SESSION_HOURS = 12
LINK_HOURS = 72
FREE_TRIES = 5  # wrong passwords in a row before the account is slowed down
FIRST_LOCK_SECONDS = 30
MAX_LOCK_SECONDS = 3600


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite gives back naive datetimes: they are UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment is not None and moment.tzinfo is None else moment


def lock_seconds(failures: int) -> int:
    """How long sign-in stays locked after ``failures`` wrong passwords in a row (0: not locked)."""
    if failures < FREE_TRIES:
        return 0
    return min(FIRST_LOCK_SECONDS * 2 ** (failures - FREE_TRIES), MAX_LOCK_SECONDS)


def end_sessions(uow: UnitOfWork, user_id: int) -> None:
    """End every session of a user (a new password, deactivation)."""
    for session in uow.session.scalars(select(Session).where(Session.user_id == user_id)):
        uow.session.delete(session)


def set_password(uow: UnitOfWork, user: User, password: str) -> None:
    """Store a new password's hash; the user's sessions end and the wrong-password count resets."""
    user.password_hash = hash_password(password)
    user.failed_sign_ins = 0
    user.locked_until = None
    end_sessions(uow, user.id)


# -- one-time links -----------------------------------------------------------------------


def issue_password_link(*, uow: UnitOfWork, principal: Principal, user: User) -> tuple[str, PasswordLink]:
    """A one-time token with which ``user`` sets their password (administrator); the
    user's older unused links stop working."""
    require_role(principal, reason="forbidden.password_link")
    if not user.active:
        raise Conflict("user_inactive", code=user.code)
    now = utcnow()
    for older in uow.session.scalars(select(PasswordLink).where(PasswordLink.user_id == user.id, PasswordLink.used_at.is_(None))):
        older.used_at = now
    secret = secrets.token_urlsafe(32)
    link = PasswordLink(tenant_id=user.tenant_id, user_id=user.id, secret_hash=hash_token(secret), created_at=now, expires_at=now + timedelta(hours=LINK_HOURS))
    uow.session.add(link)
    uow.commit()
    return secret, link


def set_password_with_link(*, uow: UnitOfWork, token: str, password: str) -> User:
    """Set a password with a one-time link's token; the link is then used up."""
    link = uow.session.scalar(select(PasswordLink).where(PasswordLink.secret_hash == hash_token(token)))
    user = uow.session.get(User, link.user_id) if link is not None else None
    if link is None or link.used_at is not None or _aware(link.expires_at) <= utcnow() or user is None or not user.active:
        raise NotFound("password_link.invalid", errors=[FieldError("token", "unknown", "password_link.invalid")])
    link.used_at = utcnow()
    set_password(uow, user, password)
    uow.commit()
    return user


# -- sign in, sign out, who a session is ----------------------------------------------------


def sign_in(*, uow: UnitOfWork, code: str, password: str, tenant_id: str | None = None) -> tuple[str, Session, User]:
    """Open a session for the user with this code and password: ``(secret, session, user)``.

    401 for an unknown code, an inactive user or a wrong password alike (the answer does
    not tell which); 429 while the account is slowed down."""
    stmt = select(User).where(User.code_key == code_key(code), User.active.is_(True), User.password_hash.is_not(None))
    if tenant_id:
        stmt = stmt.where(User.tenant_id == tenant_id)
    candidates = list(uow.session.scalars(stmt.order_by(User.id)))
    now = utcnow()
    locked = [u for u in candidates if _aware(u.locked_until) is not None and _aware(u.locked_until) > now]
    open_ = [u for u in candidates if u not in locked]
    if locked and not open_:
        wait = min(_aware(u.locked_until) for u in locked) - now
        raise TooManyRequests("sign_in.slowed_down", retry_after=max(1, math.ceil(wait.total_seconds())))
    if not open_:
        verify(None, password)  # as slow as a wrong password
        raise Unauthorized("sign_in.failed")
    matched = []
    for user in open_:
        ok, rehash = verify(user.password_hash, password)
        if ok:
            matched.append(user)
            if rehash:
                user.password_hash = hash_password(password)
    if len(matched) > 1:
        raise Conflict("sign_in.ambiguous", errors=[FieldError("tenant_id", "ambiguous", "sign_in.ambiguous")])
    if not matched:
        for user in open_:
            user.failed_sign_ins = (user.failed_sign_ins or 0) + 1
            wait = lock_seconds(user.failed_sign_ins)
            user.locked_until = now + timedelta(seconds=wait) if wait else None
        uow.commit()
        raise Unauthorized("sign_in.failed")
    user = matched[0]
    user.failed_sign_ins, user.locked_until = 0, None
    secret, session = open_session(uow, user)
    uow.commit()
    return secret, session, user


def open_session(uow: UnitOfWork, user: User) -> tuple[str, Session]:
    """A new session of ``user`` (not committed): its secret, shown once, and its row."""
    secret = "ls_" + secrets.token_urlsafe(32)
    now = utcnow()
    session = Session(tenant_id=user.tenant_id, user_id=user.id, secret_hash=hash_token(secret), created_at=now, expires_at=now + timedelta(hours=SESSION_HOURS))
    uow.session.add(session)
    uow.flush()
    return secret, session


def sign_out(*, uow: UnitOfWork, secret: str) -> None:
    """End the session of this secret (nothing to do for an unknown one)."""
    session = uow.session.scalar(select(Session).where(Session.secret_hash == hash_token(secret)))
    if session is not None:
        uow.session.delete(session)
        uow.commit()


def session_user(uow: UnitOfWork, secret: str) -> User | None:
    """The active user of a live session, or None."""
    session = uow.session.scalar(select(Session).where(Session.secret_hash == hash_token(secret)))
    if session is None or _aware(session.expires_at) <= utcnow():
        return None
    user = uow.session.get(User, session.user_id)
    return user if user is not None and user.active else None
