"""Request and response shapes of the CRM app."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from lienthong.kernel.product_schemas import (
    MergeRequest,
    PricePolicyItemIn,
    PricePolicyReadBase,
    ProductCreate,
    ProductGroupCreate,
    ProductGroupRead,
    ProductGroupUpdate,
    ProductRead,
    ProductUpdate,
    ValidFrom,
    ValidTo,
)
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


__all__ = ["MergeRequest", "ProductCreate", "ProductGroupCreate", "ProductGroupRead", "ProductGroupUpdate", "ProductRead", "ProductUpdate"]


class PricePolicyCreate(Input):
    """A price policy of CRM's own (the parts of accounting policies come from the connector)."""

    code: Code = Field(description="Mã chính sách giá")
    name: Name
    valid_from: date | None = ValidFrom
    valid_to: date | None = ValidTo
    active: bool = True
    product_group_code: RefCode | None = Field(None, description="The product group it applies to; its items must be of that group")
    items: list[PricePolicyItemIn] = Field([], max_length=5000, description="Products, each with a price or a discount")


class PricePolicyUpdate(Input):
    code: Code | None = None
    name: Name | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    active: bool | None = None
    product_group_code: RefCode | None = None
    items: list[PricePolicyItemIn] | None = Field(None, max_length=5000)

    check_required = not_null("code", "name", "active", "items")


class PricePolicyRead(PricePolicyReadBase):
    source_policy_code: str | None = Field(description="The accounting policy this is a part of (read-only in CRM); null for CRM's own")
    product_group_id: int | None
    product_group_code: str | None


CustomerPage = Page[CustomerRead]
ContactPage = Page[ContactRead]
CustomerGroupPage = Page[CustomerGroupRead]
UserPage = Page[UserRead]
ProductPage = Page[ProductRead]
ProductGroupPage = Page[ProductGroupRead]
PricePolicyPage = Page[PricePolicyRead]
