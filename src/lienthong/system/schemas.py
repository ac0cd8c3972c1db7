"""Request and response shapes of the system app."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from lienthong.kernel.schemas import Code, Email, Input, Name, Output, Page, Phone, RefCode, Text, not_null

Role = Literal["admin", "manager", "sales", "accountant"]


class EmployeeCreate(Input):
    code: Code = Field(description="Mã nhân viên, unique in the tenant")
    name: Name
    email: Email = None
    phone: Phone | None = None
    title: Text | None = None


class EmployeeUpdate(Input):
    code: Code | None = None
    name: Name | None = None
    email: Email = None
    phone: Phone | None = None
    title: Text | None = None

    check_required = not_null("code", "name")


class EmployeeRead(Output):
    id: int
    code: str
    name: str
    email: str | None
    phone: str | None
    title: str | None
    created_at: datetime
    updated_at: datetime


class UserCreate(Input):
    code: Code = Field(description="Mã người dùng (user code), unique in the tenant")
    name: Name
    email: Email = None
    role: Role = "sales"
    employee_code: RefCode | None = Field(None, description="The employee this user is tied to")
    active: bool = True


class UserUpdate(Input):
    code: Code | None = None
    name: Name | None = None
    email: Email = None
    role: Role | None = None
    employee_code: RefCode | None = None
    active: bool | None = None

    check_required = not_null("code", "name", "role", "active")


class UserRead(Output):
    id: int
    code: str
    name: str
    email: str | None
    role: str
    active: bool
    employee_id: int | None
    employee_code: str | None
    created_at: datetime
    updated_at: datetime


class TokenCreate(Input):
    label: Text | None = None


class TokenRead(Output):
    id: int = Field(description="The token's id, to revoke it with DELETE .../tokens/{id}")
    token: str = Field(description="Shown once; keep it secret")
    user_id: int
    user_code: str
    label: str | None = None
    created_at: datetime


class TokenInfo(Output):
    """A token as listed: never its secret (only a hash is kept)."""

    id: int
    label: str | None
    created_at: datetime


class TokenList(Output):
    """Every list is ``{items, next_cursor}``; a user's tokens fit in one page (``next_cursor`` is null)."""

    items: list[TokenInfo]
    next_cursor: str | None = None


EmployeePage = Page[EmployeeRead]
UserPage = Page[UserRead]
