"""Tenants (Công ty): made at first start, or by an operator for another company."""

from __future__ import annotations

import unicodedata
import uuid

from sqlalchemy import select

from lienthong.kernel.problems import Conflict, ValidationProblem, invalid
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
    """A new tenant with its administrator (user code ``admin``); returns the admin token.

    The name is trimmed and NFC-normalised; an empty name, or one another tenant already
    has (compared case-insensitively), is refused."""
    name = tenant_name(uow, name)
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


def _folded(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip().casefold()


def tenant_name(uow: UnitOfWork, name: str) -> str:
    """``name`` trimmed and in NFC, or a problem: empty, or taken by another tenant."""
    clean = unicodedata.normalize("NFC", name).strip()
    if not clean:
        raise invalid("name", "too_short", "tenant.name_empty")
    if any(_folded(other) == clean.casefold() for other in uow.session.scalars(select(Tenant.name))):
        raise Conflict("tenant.name_taken", name=clean)
    return clean
