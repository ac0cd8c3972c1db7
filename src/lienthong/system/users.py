"""Use cases of users (Người dùng) and their access tokens.

A user may be tied to one employee; the connector uses that tie to turn an accounting
salesperson into a CRM owner.
"""

from __future__ import annotations

from sqlalchemy import select

from lienthong.kernel.auth import USER_READERS, Principal, hash_token, new_token, require_role
from lienthong.kernel.catalog import Catalog, Ref
from lienthong.kernel.problems import Conflict, NotFound, Unauthorized
from lienthong.kernel.tables import utcnow
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.system import events
from lienthong.system.schemas import UserCreate, UserUpdate
from lienthong.system.sessions import end_sessions, open_session, session_user, set_password
from lienthong.system.tables import Employee, Session, Token, User

KIND = "users"


def user_data(row: User) -> dict:
    return {
        "id": row.id,
        "code": row.code,
        "name": row.name,
        "email": row.email,
        "role": row.role,
        "active": row.active,
        "employee_id": row.employee_id,
        "employee_code": row.employee_code,
    }


USERS = Catalog(User, KIND, "kind.users", events.USER, user_data, refs=(Ref("employee_code", "employee_id", Employee, "kind.employees"),))


def add_user(uow: UnitOfWork, tenant_id: str, data: UserCreate) -> User:
    """Write a user and its event (no permission check: also used at first start). The
    password, if given, is kept as a hash and is in no event."""
    row = USERS.create(uow, tenant_id, data.model_dump(exclude={"password"}))
    if data.password is not None:
        set_password(uow, row, data.password)
    return row


def create_user(*, uow: UnitOfWork, principal: Principal, data: UserCreate) -> User:
    require_role(principal)
    row = add_user(uow, principal.tenant_id, data)
    uow.commit()
    return row


def update_user(*, uow: UnitOfWork, principal: Principal, user_id: int, data: UserUpdate) -> User:
    require_role(principal)
    row = USERS.get(uow, principal.tenant_id, user_id)
    values = data.model_dump(exclude_unset=True)
    password = values.pop("password", None)
    if row.id == principal.user_id and (values.get("role", "admin") != "admin" or values.get("active") is False):
        raise Conflict("self_demotion")
    USERS.update(uow, row, values)
    if password is not None:
        set_password(uow, row, password)
    if values.get("active") is False:
        end_sessions(uow, row.id)  # a deactivated user is signed out at once
    uow.commit()
    return row


def delete_user(*, uow: UnitOfWork, principal: Principal, user_id: int) -> None:
    require_role(principal)
    row = USERS.get(uow, principal.tenant_id, user_id)
    if row.id == principal.user_id:
        raise Conflict("self_delete")
    USERS.delete(uow, row)
    uow.commit()


def get_user(*, uow: UnitOfWork, principal: Principal, user_id: int) -> User:
    if principal.user_id != user_id:
        require_role(principal, *USER_READERS, reason="forbidden.users")
    return USERS.get(uow, principal.tenant_id, user_id)


def list_users(*, uow: UnitOfWork, principal: Principal, code: str | None = None, role: str | None = None, q: str | None = None, limit: int = 50, cursor: str | None = None):
    require_role(principal, *USER_READERS, reason="forbidden.users")
    return USERS.list(uow, principal.tenant_id, filters={"code": code or None, "role": role or None}, q=q, limit=limit, cursor=cursor)


def number_users(*, uow: UnitOfWork, principal: Principal, number: int, size: int, q: str | None = None):
    """Page ``number`` of the users and their total (the user list screen)."""
    require_role(principal, *USER_READERS, reason="forbidden.users")
    return USERS.list_numbered(uow, principal.tenant_id, number=number, size=size, q=q)


def store_token(uow: UnitOfWork, user: User, token: str | None = None, label: str | None = None) -> tuple[str, Token]:
    token = token or new_token()
    row = Token(tenant_id=user.tenant_id, user_id=user.id, token_hash=hash_token(token), label=label)
    uow.session.add(row)
    uow.flush()
    return token, row


def _token_owner(uow: UnitOfWork, principal: Principal, user_id: int) -> User:
    """The user whose tokens are asked for: oneself, or anybody of the tenant for an administrator."""
    if principal.user_id != user_id:
        require_role(principal, reason="forbidden.tokens")
    return USERS.get(uow, principal.tenant_id, user_id)


def issue_token(*, uow: UnitOfWork, principal: Principal, user_id: int, label: str | None = None) -> tuple[str, Token, User]:
    """A new access token for a user (shown once; only its hash is kept)."""
    user = _token_owner(uow, principal, user_id)
    if not user.active:
        raise Conflict("user_inactive", code=user.code)
    token, row = store_token(uow, user, label=label)
    uow.commit()
    return token, row, user


def list_tokens(*, uow: UnitOfWork, principal: Principal, user_id: int) -> list[Token]:
    """A user's tokens that still work, oldest first (never the secret: only its hash is kept)."""
    user = _token_owner(uow, principal, user_id)
    stmt = select(Token).where(Token.tenant_id == principal.tenant_id, Token.user_id == user.id, Token.revoked_at.is_(None)).order_by(Token.id)
    return list(uow.session.scalars(stmt))


def revoke_token(*, uow: UnitOfWork, principal: Principal, user_id: int, token_id: int) -> None:
    """Revoke one token: every server refuses it from the next request on."""
    user = _token_owner(uow, principal, user_id)
    row = uow.session.get(Token, token_id)
    if row is None or row.tenant_id != principal.tenant_id or row.user_id != user.id or row.revoked_at is not None:
        raise NotFound("token.not_found", id=token_id)
    row.revoked_at = utcnow()
    uow.commit()


def _token_user(uow: UnitOfWork, token: str) -> User | None:
    row = uow.session.scalar(select(Token).where(Token.token_hash == hash_token(token), Token.revoked_at.is_(None)))
    user = uow.session.get(User, row.user_id) if row else None
    return user if user is not None and user.active else None


def resolve_token(*, uow: UnitOfWork, token: str) -> Principal:
    """The principal an access token, or a session's secret (the cookie), acts as; or 401."""
    user = _token_user(uow, token) or session_user(uow, token)
    if user is None:
        raise Unauthorized("unauthorized")
    return Principal(tenant_id=user.tenant_id, user_id=user.id, user_code=user.code, role=user.role)


def session_for_token(*, uow: UnitOfWork, token: str) -> tuple[str, Session, User]:
    """A session opened with an access token (the web sign-in page's "access token"
    way, for the administrator's first start): the cookie never holds the token itself."""
    user = _token_user(uow, token)
    if user is None:
        raise Unauthorized("unauthorized")
    secret, session = open_session(uow, user)
    uow.commit()
    return secret, session, user
