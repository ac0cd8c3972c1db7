"""Request and response shapes of the accounting app."""

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
from lienthong.kernel.schemas import Code, ImportResult, Email, Input, Name, Output, Page, Phone, RefCode, TaxCode, Text, not_null

__all__ = ["ImportResult", "MergeRequest", "ProductCreate", "ProductGroupCreate", "ProductGroupRead", "ProductGroupUpdate", "ProductRead", "ProductUpdate"]


class CustomerCreate(Input):
    code: Code = Field(description="Mã khách hàng, unique in accounting")
    name: Name
    tax_code: TaxCode | None = None
    address: Text | None = None
    phone: Phone | None = None
    email: Email = None
    is_individual: bool = Field(False, description="Khách hàng cá nhân: syncs to a CRM contact")
    group_code: RefCode | None = Field(None, description="Code of an accounting customer group")
    salesperson_code: RefCode | None = Field(None, description="Code of an employee (Nhân viên bán hàng)")


class CustomerUpdate(Input):
    code: Code | None = None
    name: Name | None = None
    tax_code: TaxCode | None = None
    address: Text | None = None
    phone: Phone | None = None
    email: Email = None
    is_individual: bool | None = None
    group_code: RefCode | None = None
    salesperson_code: RefCode | None = None

    check_required = not_null("code", "name", "is_individual")


class CustomerRead(Output):
    id: int
    code: str
    name: str
    tax_code: str | None
    address: str | None
    phone: str | None
    email: str | None
    is_individual: bool
    group_id: int | None
    group_code: str | None
    salesperson_id: int | None
    salesperson_code: str | None
    created_at: datetime
    updated_at: datetime


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


class EmployeeRead(Output):
    id: int
    code: str
    name: str
    email: str | None
    phone: str | None
    title: str | None


class PricePolicyCreate(Input):
    code: Code = Field(description="Mã chính sách giá")
    name: Name
    valid_from: date | None = ValidFrom
    valid_to: date | None = ValidTo
    active: bool = True
    product_group_codes: list[RefCode] = Field(min_length=1, max_length=200, description="Codes of the product groups it applies to")
    items: list[PricePolicyItemIn] = Field([], max_length=5000, description="Products of those groups, each with a price or a discount")


class PricePolicyUpdate(Input):
    code: Code | None = None
    name: Name | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    active: bool | None = None
    product_group_codes: list[RefCode] | None = Field(None, min_length=1, max_length=200)
    items: list[PricePolicyItemIn] | None = Field(None, max_length=5000)

    check_required = not_null("code", "name", "active", "product_group_codes", "items")


class PricePolicyRead(PricePolicyReadBase):
    product_group_codes: list[str]


CustomerPage = Page[CustomerRead]
CustomerGroupPage = Page[CustomerGroupRead]
EmployeePage = Page[EmployeeRead]
ProductPage = Page[ProductRead]
ProductGroupPage = Page[ProductGroupRead]
PricePolicyPage = Page[PricePolicyRead]
