"""What the accounting app tells the others. Types are ``<Prefix><Verb>``,
verbs ``Created`` / ``Updated`` / ``Deleted``, and ``Merged`` for products and product groups (see :class:`lienthong.kernel.catalog.Catalog`)."""

from __future__ import annotations

from typing import ClassVar

from lienthong.kernel.catalog_events import CUSTOMER_GROUP_EVENTS, PRODUCT_EVENTS, GroupData
from lienthong.kernel.contracts import Event

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


EVENTS = (EmployeeCreated, EmployeeUpdated, CustomerCreated, CustomerUpdated, CustomerDeleted, *CUSTOMER_GROUP_EVENTS, *PRODUCT_EVENTS)
