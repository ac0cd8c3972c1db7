"""Request and response shapes of the CRM app."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

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
from lienthong.kernel.records import MAX_ID
from lienthong.kernel.schemas import Code, Email, Input, Name, Output, Page, Phone, RefCode, TaxCode, Text, not_null

RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]


class _PartyCreate(Input):
    code: Code
    name: Name
    tax_code: TaxCode | None = None
    address: Text | None = None
    phone: Phone | None = None
    email: Email = None
    owner_code: RefCode | None = Field(None, description="User code of the owner (Chủ sở hữu); defaults to the creator")


class _PartyUpdate(Input):
    code: Code | None = None
    name: Name | None = None
    tax_code: TaxCode | None = None
    address: Text | None = None
    phone: Phone | None = None
    email: Email = None
    owner_code: RefCode | None = None

    check_required = not_null("code", "name")


class _PartyRead(Output):
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


class ContactCreate(_PartyCreate):
    customer_code: RefCode | None = Field(None, description="Code of the CRM customer this person works for")


class ContactUpdate(_PartyUpdate):
    customer_code: RefCode | None = None


class ContactRead(_PartyRead):
    customer_id: int | None
    customer_code: str | None


class CustomerCreate(_PartyCreate):
    group_code: RefCode | None = Field(None, description="Code of a CRM customer group")


class CustomerUpdate(_PartyUpdate):
    group_code: RefCode | None = None


class CustomerRead(_PartyRead):
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
class HandoverRequest(Input):
    """Handover ("Bàn giao công việc"): the ticked customers go to the assignee."""

    customer_ids: list[RecordId] = Field(min_length=1, max_length=10_000, description="The ticked customers")
    assignee_code: Code = Field(description="User code of the assignee (Người thực hiện), the new owner")
    kinds: list[Literal["customers", "contacts"]] = Field(
        ["customers"], min_length=1, description="The kinds of work handed over: the customers themselves; their contacts"
    )


class HandoverResult(Output):
    """The records whose owner changed (those the assignee already owned are left out)."""

    customers: list[CustomerRead]
    contacts: list[ContactRead]


class ExportFilter(Input):
    owner_empty: bool = Field(False, description="Only customers with no owner")
    q: Text | None = Field(None, description="Text search, as the list's `q`")


class ExportRequest(Input):
    """The ticked customers (`ids`), those of a filter, or the ticked ones the filter keeps;
    neither: every customer the user sees."""

    ids: list[RecordId] | None = Field(None, min_length=1, max_length=100_000)
    filter: ExportFilter | None = None


class CustomerMergeValues(Input):
    """Field -> the id (the survivor's or a merged customer's) whose value survives; a field
    left out keeps the survivor's own."""

    code: RecordId | None = None
    name: RecordId | None = None
    tax_code: RecordId | None = None
    address: RecordId | None = None
    phone: RecordId | None = None
    email: RecordId | None = None
    group_code: RecordId | None = None
    owner_code: RecordId | None = None


class CustomerMergeRequest(Input):
    """Merge ("Gộp"): 2-3 customers become the survivor."""

    survivor_id: RecordId
    merged_ids: list[RecordId] = Field(min_length=1, max_length=2, description="The customers merged into the survivor, then deleted")
    values: CustomerMergeValues | None = None


class CustomerMergeResult(Output):
    customer: CustomerRead
    merged_ids: list[int]
    moved_contacts: list[ContactRead]


class OwnerChangeRead(Output):
    """Who handed which record to whom: by handover, import or merge."""

    id: int
    kind: str
    record_id: int
    record_code: str
    from_owner_code: str | None
    to_owner_code: str | None
    by_user_code: str
    via: Literal["handover", "import", "merge"]
    at: datetime


CustomerPage = Page[CustomerRead]
OwnerChangePage = Page[OwnerChangeRead]
ContactPage = Page[ContactRead]
CustomerGroupPage = Page[CustomerGroupRead]
UserPage = Page[UserRead]
ProductPage = Page[ProductRead]
ProductGroupPage = Page[ProductGroupRead]
PricePolicyPage = Page[PricePolicyRead]
