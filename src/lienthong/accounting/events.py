"""What the accounting app tells the others. Types are ``<Prefix><Verb>``,
verbs ``Created`` / ``Updated`` / ``Deleted``, and ``Merged`` for products and product groups (see :class:`lienthong.kernel.catalog.Catalog`)."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from pydantic import Field

from lienthong.kernel.contracts import Event, Money

CUSTOMER = "Customer"            # CustomerCreated, CustomerUpdated, CustomerDeleted
CUSTOMER_GROUP = "CustomerGroup"  # CustomerGroupCreated, ...
EMPLOYEE = "Employee"            # EmployeeCreated, EmployeeUpdated (copies from system)
PRODUCT = "Product"              # ProductCreated, ProductUpdated, ProductDeleted, ProductMerged
PRODUCT_GROUP = "ProductGroup"    # ProductGroupCreated, ...
PRICE_POLICY = "PricePolicy"      # PricePolicyCreated, PricePolicyUpdated, PricePolicyDeleted


class GroupData(Event):
    name: str | None = None
    description: str | None = None


class CustomerGroupCreated(GroupData):
    kind: ClassVar[str] = "customer-groups"


class CustomerGroupUpdated(CustomerGroupCreated):
    pass


class CustomerGroupDeleted(CustomerGroupCreated):
    pass


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



class ProductGroupCreated(GroupData):
    kind: ClassVar[str] = "product-groups"


class ProductGroupUpdated(ProductGroupCreated):
    pass


class ProductGroupDeleted(ProductGroupCreated):
    pass


class ProductGroupMerged(ProductGroupCreated):
    """Merged (Gộp) into the survivor, then deleted."""

    survivor_id: int | None = None
    survivor_code: str | None = None


class ProductCreated(Event):
    kind: ClassVar[str] = "products"
    name: str | None = None
    group_id: int | None = None
    group_code: str | None = None
    group: GroupData | None = None  # the group as it was, to bring along
    unit: str | None = None
    unit_price: Money = Decimal(0)
    vat_rate: str | None = None
    kind_: str | None = Field(default=None, alias="kind")  # goods | service (``kind`` names the event's record kind)
    active: bool = True


class ProductUpdated(ProductCreated):
    pass


class ProductDeleted(ProductCreated):
    pass


class ProductMerged(ProductCreated):
    """Merged (Gộp) into the survivor, then deleted."""

    survivor_id: int | None = None
    survivor_code: str | None = None


PRODUCT_EVENTS = (ProductGroupCreated, ProductGroupUpdated, ProductGroupDeleted, ProductGroupMerged, ProductCreated, ProductUpdated, ProductDeleted, ProductMerged)

EVENTS = (EmployeeCreated, EmployeeUpdated, CustomerCreated, CustomerUpdated, CustomerDeleted, CustomerGroupCreated, CustomerGroupUpdated, CustomerGroupDeleted, *PRODUCT_EVENTS)
