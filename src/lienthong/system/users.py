"""Use cases of users (Người dùng) and their access tokens.

A user may be tied to one employee; the connector uses that tie to turn an accounting
salesperson into a CRM owner.
"""

from __future__ import annotations

from sqlalchemy import select

from lienthong.kernel.auth import Principal, hash_token, new_token, require_role
from lienthong.kernel.outbox import emit
from lienthong.kernel.problems import Conflict, Unauthorized, duplicate_code
from lienthong.kernel.records import apply_changes, by_code, get_or_404, page, resolve_code
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.system import events
from lienthong.system.schemas import UserCreate, UserUpdate
from lienthong.system.tables import Employee, Token, User

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
        "employee_code": row.employee.code if row.employee else None,
    }


def _emit(uow: UnitOfWork, row: User, type_: str, changed: dict | None = None) -> None:
    emit(uow, tenant_id=row.tenant_id, kind=KIND, type=type_, record_id=row.id, record_code=row.code, data=user_data(row), changed=changed)


def _check_code_free(uow: UnitOfWork, tenant_id: str, code: str, except_id: int | None = None) -> None:
    existing = by_code(uow.session, User, tenant_id, code)
    if existing is not None and existing.id != except_id:
        raise duplicate_code(code)


def add_user(uow: UnitOfWork, tenant_id: str, data: UserCreate) -> User:
    """Write a user and its event (no permission check: also used at first start)."""
    _check_code_free(uow, tenant_id, data.code)
    employee = resolve_code(uow.session, Employee, tenant_id, data.employee_code, field="employee_code", what="nhân viên")
    row = User(tenant_id=tenant_id, employee=employee, **data.model_dump(exclude={"employee_code"}))
    uow.session.add(row)
    uow.flush()
    _emit(uow, row, events.USER_CREATED)
    return row


def create_user(*, uow: UnitOfWork, principal: Principal, data: UserCreate) -> User:
    require_role(principal)
    row = add_user(uow, principal.tenant_id, data)
    uow.commit()
    return row


def update_user(*, uow: UnitOfWork, principal: Principal, user_id: int, data: UserUpdate) -> User:
    require_role(principal)
    row = get_or_404(uow.session, User, principal.tenant_id, user_id, "user")
    values = data.model_dump(exclude_unset=True)
    if "code" in values:
        _check_code_free(uow, principal.tenant_id, values["code"], row.id)
    if "employee_code" in values:
        employee = resolve_code(uow.session, Employee, principal.tenant_id, values.pop("employee_code"), field="employee_code", what="nhân viên")
        values["employee_id"] = employee.id if employee else None
    if row.id == principal.user_id and (values.get("role", "admin") != "admin" or values.get("active") is False):
        raise Conflict("self_demotion")
    changed = apply_changes(row, values)
    if changed:
        uow.flush()
        uow.session.refresh(row, ["employee"])
        _emit(uow, row, events.USER_UPDATED, changed)
    uow.commit()
    return row


def delete_user(*, uow: UnitOfWork, principal: Principal, user_id: int) -> None:
    require_role(principal)
    row = get_or_404(uow.session, User, principal.tenant_id, user_id, "user")
    if row.id == principal.user_id:
        raise Conflict("self_delete")
    _emit(uow, row, events.USER_DELETED)
    uow.session.delete(row)
    uow.commit()


def get_user(*, uow: UnitOfWork, principal: Principal, user_id: int) -> User:
    return get_or_404(uow.session, User, principal.tenant_id, user_id, "user")


def list_users(*, uow: UnitOfWork, principal: Principal, code: str | None = None, role: str | None = None, q: str | None = None, limit: int = 50, cursor: str | None = None):
    stmt = select(User).where(User.tenant_id == principal.tenant_id)
    if code:
        stmt = stmt.where(User.code == code)
    if role:
        stmt = stmt.where(User.role == role)
    return page(uow.session, stmt, User, limit=limit, cursor=cursor, q=q, q_fields=(User.code, User.name, User.email))


def store_token(uow: UnitOfWork, user: User, token: str | None = None, label: str | None = None) -> str:
    token = token or new_token()
    uow.session.add(Token(tenant_id=user.tenant_id, user_id=user.id, token_hash=hash_token(token), label=label))
    return token


def issue_token(*, uow: UnitOfWork, principal: Principal, user_id: int, label: str | None = None) -> tuple[str, User]:
    """A new access token for a user (shown once; only its hash is kept)."""
    if principal.user_id != user_id:
        require_role(principal)
    user = get_or_404(uow.session, User, principal.tenant_id, user_id, "user")
    if not user.active:
        raise Conflict("user_inactive", code=user.code)
    token = store_token(uow, user, label=label)
    uow.commit()
    return token, user


def resolve_token(*, uow: UnitOfWork, token: str) -> Principal:
    """The principal a bearer token acts as, or 401."""
    row = uow.session.scalar(select(Token).where(Token.token_hash == hash_token(token), Token.revoked_at.is_(None)))
    user = uow.session.get(User, row.user_id) if row else None
    if user is None or not user.active:
        raise Unauthorized("unauthorized")
    return Principal(tenant_id=user.tenant_id, user_id=user.id, user_code=user.code, role=user.role)
