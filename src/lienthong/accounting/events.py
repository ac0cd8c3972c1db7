"""What the accounting app tells the others. Types are ``<Prefix><Verb>``,
verbs ``Created`` / ``Updated`` / ``Deleted``, and ``Merged`` for products and product groups (see :class:`lienthong.kernel.catalog.Catalog`)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel

from lienthong.kernel.catalog_events import CUSTOMER_GROUP_EVENTS, PRODUCT_EVENTS, GroupData
from lienthong.kernel.contracts import Event, Money

CUSTOMER = "Customer"            # CustomerCreated, CustomerUpdated, CustomerDeleted
CUSTOMER_GROUP = "CustomerGroup"  # CustomerGroupCreated, ...
EMPLOYEE = "Employee"            # EmployeeCreated, EmployeeUpdated (copies from system)
PRODUCT = "Product"              # ProductCreated, ProductUpdated, ProductDeleted, ProductMerged
PRODUCT_GROUP = "ProductGroup"    # ProductGroupCreated, ...
PRICE_POLICY = "PricePolicy"      # PricePolicyCreated, PricePolicyUpdated, PricePolicyDeleted


class CustomerData(Event):
    name: str | None = None
    tax_code: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    is_individual: bool = False
    group_id: int | None = None
    group_code: str | None = None
    group: GroupData | None = None  # the group as it was, to bring along
    salesperson_id: int | None = None
    salesperson_code: str | None = None


class CustomerCreated(CustomerData):
    kind: ClassVar[str] = "customers"


class CustomerUpdated(CustomerCreated):
    pass


class CustomerDeleted(CustomerCreated):
    pass


class EmployeeCreated(Event):
    """A copy of system's employee was made or changed (it travels no further today)."""

    kind: ClassVar[str] = "employees"
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    title: str | None = None


class EmployeeUpdated(EmployeeCreated):
    pass


class PricePolicyGroup(BaseModel):
    """A product group a price policy applies to (each becomes a CRM policy of its own)."""

    id: int
    code: str
    name: str | None = None


class PricePolicyItem(BaseModel):
    """One product of a price policy, with its group: its price, or a discount off its unit price."""

    product_id: int
    product_code: str | None = None
    group_code: str | None = None
    price: Money | None = None
    discount_percent: Money | None = None


class PricePolicyCreated(Event):
    kind: ClassVar[str] = "price-policies"
    name: str | None = None
    valid_from: str | None = None  # ISO dates
    valid_to: str | None = None
    active: bool = True
    product_group_codes: list[str] = []
    groups: list[PricePolicyGroup] = []
    items: list[PricePolicyItem] = []


class PricePolicyUpdated(PricePolicyCreated):
    pass


class PricePolicyDeleted(PricePolicyCreated):
    pass


PRICE_POLICY_EVENTS = (PricePolicyCreated, PricePolicyUpdated, PricePolicyDeleted)

EVENTS = (EmployeeCreated, EmployeeUpdated, CustomerCreated, CustomerUpdated, CustomerDeleted, *CUSTOMER_GROUP_EVENTS, *PRODUCT_EVENTS, *PRICE_POLICY_EVENTS)
