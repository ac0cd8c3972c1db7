"""Tenants (Công ty): made at first start, or by an operator for another company."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from lienthong.kernel.problems import ValidationProblem
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.system.schemas import UserCreate
from lienthong.system.tables import Tenant
from lienthong.system.users import add_user, store_token


MIN_ADMIN_TOKEN = 24  # characters of an administrator token chosen by the operator


def check_admin_token(token: str) -> None:
    """Refuse an operator-chosen administrator token too short to resist guessing."""
    if len(token) < MIN_ADMIN_TOKEN:
        raise ValidationProblem("admin_token.too_short", min=MIN_ADMIN_TOKEN, length=len(token))


def create_tenant(*, uow: UnitOfWork, name: str, admin_token: str | None = None) -> tuple[Tenant, str]:
    """A new tenant with its administrator (user code ``admin``); returns the admin token."""
    if admin_token is not None:
        check_admin_token(admin_token)
    tenant = Tenant(id=str(uuid.uuid4()), name=name)
    uow.session.add(tenant)
    uow.flush()
    admin = add_user(uow, tenant.id, UserCreate(code="admin", name="Quản trị", role="admin"))
    token, _ = store_token(uow, admin, admin_token, label="first start")
    uow.commit()
    return tenant, token


def first_tenant(*, uow: UnitOfWork) -> Tenant | None:
    return uow.session.scalar(select(Tenant).order_by(Tenant.created_at).limit(1))


def list_tenants(*, uow: UnitOfWork) -> list[Tenant]:
    return list(uow.session.scalars(select(Tenant).order_by(Tenant.created_at)))
