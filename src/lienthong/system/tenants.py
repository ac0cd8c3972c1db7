"""Tenants (Công ty): made at first start, or by an operator for another company."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.system.schemas import UserCreate
from lienthong.system.tables import Tenant
from lienthong.system.users import add_user, store_token


def create_tenant(*, uow: UnitOfWork, name: str, admin_token: str | None = None) -> tuple[Tenant, str]:
    """A new tenant with its administrator (user code ``admin``); returns the admin token."""
    tenant = Tenant(id=str(uuid.uuid4()), name=name)
    uow.session.add(tenant)
    uow.flush()
    admin = add_user(uow, tenant.id, UserCreate(code="admin", name="Quản trị", role="admin"))
    token = store_token(uow, admin, admin_token, label="first start")
    uow.commit()
    return tenant, token


def first_tenant(*, uow: UnitOfWork) -> Tenant | None:
    return uow.session.scalar(select(Tenant).order_by(Tenant.created_at).limit(1))


def list_tenants(*, uow: UnitOfWork) -> list[Tenant]:
    return list(uow.session.scalars(select(Tenant).order_by(Tenant.created_at)))
