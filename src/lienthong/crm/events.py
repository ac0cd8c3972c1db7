"""What the CRM app tells the others. Types are ``<Prefix><Verb>``,
verbs ``Created`` / ``Updated`` / ``Deleted``, and ``Merged`` for products and product groups."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel

from lienthong.kernel.catalog_events import CUSTOMER_GROUP_EVENTS, PRODUCT_EVENTS, GroupData
from lienthong.kernel.contracts import Event, Money

CUSTOMER = "Customer"
CONTACT = "Contact"
CUSTOMER_GROUP = "CustomerGroup"
USER = "User"  # copies from system
PRODUCT = "Product"              # ProductCreated, ProductUpdated, ProductDeleted, ProductMerged
PRODUCT_GROUP = "ProductGroup"
PRICE_POLICY = "PricePolicy"      # CRM's own and the parts of accounting policies


class ContactData(Event):
    name: str | None = None
    tax_code: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    owner_id: int | None = None
    owner_code: str | None = None


class ContactCreated(ContactData):
    kind: ClassVar[str] = "contacts"


class ContactUpdated(ContactCreated):
    pass


class ContactDeleted(ContactCreated):
    pass


class CustomerCreated(ContactData):
    kind: ClassVar[str] = "customers"
    group_id: int | None = None
    group_code: str | None = None
    group: GroupData | None = None  # the group as it was, to bring along


class CustomerUpdated(CustomerCreated):
    pass


class CustomerDeleted(CustomerCreated):
    pass


class UserCreated(Event):
    """A copy of system's user was made or changed."""

    kind: ClassVar[str] = "users"
    name: str | None = None
    email: str | None = None
    role: str | None = None
    active: bool = True
    employee_code: str | None = None


class UserUpdated(UserCreated):
    pass



class PricePolicyLine(BaseModel):
    """One product of a price policy: its price, or a discount."""

    product_id: int | None = None
    product_code: str | None = None
    price: Money | None = None
    discount_percent: Money | None = None


class PricePolicyCreated(Event):
    """CRM's own policy, or a part of an accounting policy (``source_policy_code``)."""

    kind: ClassVar[str] = "price-policies"
    name: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    active: bool = True
    source_policy_code: str | None = None
    product_group_id: int | None = None
    product_group_code: str | None = None
    items: list[PricePolicyLine] = []


class PricePolicyUpdated(PricePolicyCreated):
    pass


class PricePolicyDeleted(PricePolicyCreated):
    pass

EVENTS = (UserCreated, UserUpdated, CustomerCreated, CustomerUpdated, CustomerDeleted, ContactCreated, ContactUpdated, ContactDeleted, *CUSTOMER_GROUP_EVENTS, *PRODUCT_EVENTS, PricePolicyCreated, PricePolicyUpdated, PricePolicyDeleted)
