"""Request and response shapes of the CRM app."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from lienthong.kernel.schemas import Code, Email, Input, Name, Output, Page, Phone, RefCode, TaxCode, Text, not_null


class ContactCreate(Input):
    code: Code
    name: Name
    tax_code: TaxCode | None = None
    address: Text | None = None
    phone: Phone | None = None
    email: Email = None
    owner_code: RefCode | None = Field(None, description="User code of the owner (Chủ sở hữu); defaults to the creator")


class ContactUpdate(Input):
    code: Code | None = None
    name: Name | None = None
    tax_code: TaxCode | None = None
    address: Text | None = None
    phone: Phone | None = None
    email: Email = None
    owner_code: RefCode | None = None

    check_required = not_null("code", "name")


class ContactRead(Output):
    id: int
    code: str
    name: str
    tax_code: str | None
    address: str | None
    phone: str | None
    email: str | None
    owner_id: int | None
    owner_code: str | None
    created_at: datetime
    updated_at: datetime


class CustomerCreate(ContactCreate):
    group_code: RefCode | None = Field(None, description="Code of a CRM customer group")


class CustomerUpdate(ContactUpdate):
    group_code: RefCode | None = None


class CustomerRead(ContactRead):
    group_id: int | None
    group_code: str | None


class CustomerGroupCreate(Input):
    code: Code
    name: Name
    description: Text | None = None


class CustomerGroupUpdate(Input):
    code: Code | None = None
    name: Name | None = None
    description: Text | None = None

    check_required = not_null("code", "name")


class CustomerGroupRead(Output):
    id: int
    code: str
    name: str
    description: str | None
    created_at: datetime
    updated_at: datetime


class UserRead(Output):
    id: int
    code: str
    name: str
    email: str | None
    role: str
    active: bool
    employee_code: str | None


CustomerPage = Page[CustomerRead]
ContactPage = Page[ContactRead]
CustomerGroupPage = Page[CustomerGroupRead]
UserPage = Page[UserRead]
