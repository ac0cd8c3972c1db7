"""Request and response shapes of the system app."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, WithJsonSchema

from lienthong.kernel.schemas import Code, Email, Input, Name, Output, Page, Phone, RefCode, Text, not_null
from lienthong.kernel.text import LINE_PATTERN

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


MIN_PASSWORD = 8


def _check_password(value: str) -> str:
    if len(value) < MIN_PASSWORD:
        raise ValueError("password.too_short")
    return value


Password = Annotated[
    str,
    StringConstraints(max_length=256),
    AfterValidator(_check_password),
    WithJsonSchema({"type": "string", "format": "password", "minLength": MIN_PASSWORD, "maxLength": 256, "pattern": LINE_PATTERN, "writeOnly": True}),
]
# A password as typed at sign-in: any one-line text (a wrong one is a 401, not a 422).
GivenPassword = Annotated[str, StringConstraints(max_length=256), WithJsonSchema({"type": "string", "format": "password", "maxLength": 256, "pattern": LINE_PATTERN, "writeOnly": True})]


class UserCreate(Input):
    code: Code = Field(description="Mã người dùng (user code), unique in the tenant")
    name: Name
    email: Email = None
    role: Role = "sales"
    employee_code: RefCode | None = Field(None, description="The employee this user is tied to")
    active: bool = True
    password: Password | None = Field(None, description="The password to sign in with (kept as an argon2id hash, never shown); or give the user a one-time link")


class UserUpdate(Input):
    code: Code | None = None
    name: Name | None = None
    email: Email = None
    role: Role | None = None
    employee_code: RefCode | None = None
    active: bool | None = None
    password: Password | None = Field(None, description="A new password: the user's sessions end")

    check_required = not_null("code", "name", "role", "active", "password")


class UserRead(Output):
    id: int
    code: str
    name: str
    email: str | None
    role: str
    active: bool
    employee_id: int | None
    employee_code: str | None
    has_password: bool = Field(description="Whether the user can sign in with a password")
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


class SignIn(Input):
    code: Code = Field(description="Mã người dùng (user code)")
    password: GivenPassword
    tenant_id: Annotated[str, StringConstraints(pattern=r"^[0-9a-f-]{36}$")] | None = Field(
        None, description="Needed only when users of two tenants have this code and this password"
    )


class SignedInUser(Output):
    id: int
    code: str
    name: str
    role: str


class SessionRead(Output):
    """The answer of a sign-in; the session itself is the HttpOnly cookie ``lt_session``."""

    tenant_id: str
    user: SignedInUser
    csrf_token: str = Field(description="Send it as the header `X-CSRF-Token` on state-changing requests made with the cookie")
    expires_at: datetime


class PasswordLinkRead(Output):
    token: str = Field(description="Shown once: the user sets a password with it (`POST /api/v1/system/password`), once, before `expires_at`")
    url: str = Field(description="The page where the user sets the password with this token")
    user_id: int
    expires_at: datetime


class PasswordSet(Input):
    token: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,200}$")] = Field(description="The one-time token of `POST /api/v1/system/users/{id}/password-link`")
    password: Password
