"""Events both catalog apps (accounting and CRM) tell in the same shape: customer groups,
product groups and products. Each app lists them in its own ``EVENTS``; the record kinds
and fields are the same on both sides, so they are declared once."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from pydantic import Field

from lienthong.kernel.contracts import Event, Money


class GroupData(Event):
    name: str | None = None
    description: str | None = None


class CustomerGroupCreated(GroupData):
    kind: ClassVar[str] = "customer-groups"


class CustomerGroupUpdated(CustomerGroupCreated):
    pass


class CustomerGroupDeleted(CustomerGroupCreated):
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
CUSTOMER_GROUP_EVENTS = (CustomerGroupCreated, CustomerGroupUpdated, CustomerGroupDeleted)
