"""What the CRM app tells the others. Types are ``<Prefix><Verb>``,
verbs ``Created`` / ``Updated`` / ``Deleted``."""

from __future__ import annotations

from typing import ClassVar

from lienthong.kernel.contracts import Event

CUSTOMER = "Customer"
CONTACT = "Contact"
CUSTOMER_GROUP = "CustomerGroup"
USER = "User"  # copies from system
PRODUCT = "Product"              # ProductCreated, ProductUpdated, ProductDeleted, ProductMerged
PRODUCT_GROUP = "ProductGroup"
PRICE_POLICY = "PricePolicy"      # CRM's own and the parts of accounting policies


class GroupData(Event):
    name: str | None = None
    description: str | None = None


class CustomerGroupCreated(GroupData):
    kind: ClassVar[str] = "customer-groups"


class CustomerGroupUpdated(CustomerGroupCreated):
    pass


class CustomerGroupDeleted(CustomerGroupCreated):
    pass


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


EVENTS = (UserCreated, UserUpdated, CustomerCreated, CustomerUpdated, CustomerDeleted, ContactCreated, ContactUpdated, ContactDeleted, CustomerGroupCreated, CustomerGroupUpdated, CustomerGroupDeleted)
