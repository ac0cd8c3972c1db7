"""Use cases of CRM customers, contacts (Liên hệ) and customer groups.

A customer added here stays in CRM; editing a linked one updates
accounting; the connector decides, from the events written here. Customers and
contacts are shared by owner (:mod:`lienthong.crm.sharing`): every read and
change here sees only what the user may see.
"""

from __future__ import annotations

from sqlalchemy import select

from lienthong.crm import events
from lienthong.crm.sharing import scope, visible
from lienthong.crm.schemas import ContactCreate, ContactUpdate, CustomerCreate, CustomerGroupCreate, CustomerGroupUpdate, CustomerUpdate
from lienthong.crm.tables import Contact, Customer, CustomerGroup, User
from lienthong.kernel.auth import Principal, require_role
from lienthong.kernel.catalog import Catalog, Ref
from lienthong.kernel.records import by_code
from lienthong.kernel.unit_of_work import UnitOfWork

SELLERS = ("manager", "sales")


def group_data(row: CustomerGroup) -> dict:
    return {"id": row.id, "code": row.code, "name": row.name, "description": row.description}


def _party_data(row) -> dict:
    return {
        "id": row.id,
        "code": row.code,
        "name": row.name,
        "tax_code": row.tax_code,
        "address": row.address,
        "phone": row.phone,
        "email": row.email,
        "owner_id": row.owner_id,
        "owner_code": row.owner_code,
    }


def contact_data(row: Contact) -> dict:
    return {**_party_data(row), "customer_id": row.customer_id, "customer_code": row.customer_code}


def customer_data(row: Customer) -> dict:
    return {
        **_party_data(row),
        "group_id": row.group_id,
        "group_code": row.group_code,
        "group": group_data(row.group) if row.group else None,
    }


OWNER = Ref("owner_code", "owner_id", User, "kind.users")
GROUPS = Catalog(CustomerGroup, "customer-groups", "kind.customer-groups", events.CUSTOMER_GROUP, group_data, writers=SELLERS, used_by=(Customer.group_id,))
CUSTOMERS = Catalog(
    Customer,
    "customers",
    "kind.customers",
    events.CUSTOMER,
    customer_data,
    refs=(Ref("group_code", "group_id", CustomerGroup, "kind.customer-groups"), OWNER),
    writers=SELLERS,
)
CONTACTS = Catalog(
    Contact,
    "contacts",
    "kind.contacts",
    events.CONTACT,
    contact_data,
    refs=(OWNER, Ref("customer_code", "customer_id", Customer, "kind.customers")),
    writers=SELLERS,
)


def _with_default_owner(uow: UnitOfWork, principal: Principal, values: dict) -> dict:
    """A record made in CRM belongs to its creator unless an owner is given."""
    if "owner_code" not in values or values["owner_code"] is None:
        me = by_code(uow.session, User, principal.tenant_id, principal.user_code)
        values["owner_code"] = me.code if me else None
    return values


def _update(catalog: Catalog, uow: UnitOfWork, principal: Principal, record_id: int, values: dict):
    require_role(principal, *catalog.writers)
    row = visible(uow, principal, catalog, record_id)
    catalog.update(uow, row, values)
    uow.commit()
    return row


def _delete(catalog: Catalog, uow: UnitOfWork, principal: Principal, record_id: int) -> None:
    require_role(principal, *catalog.writers)
    row = visible(uow, principal, catalog, record_id)
    catalog.delete(uow, row)
    uow.commit()


def _list(catalog: Catalog, uow: UnitOfWork, principal: Principal, filters: dict | None, where: tuple = (), **kwargs):
    return catalog.list(uow, principal.tenant_id, filters=filters, where=(*where, *scope(uow, principal, catalog.model)), **kwargs)


def owner_empty(filters: dict) -> tuple:
    """The filter "owner is empty": ``owner_empty=true`` keeps the customers with no owner (a filter of the list and the export)."""
    return (Customer.owner_id.is_(None),) if filters.pop("owner_empty", None) in (True, "true", "1") else ()


def create_customer(*, uow: UnitOfWork, principal: Principal, data: CustomerCreate) -> Customer:
    return CUSTOMERS.create_by(uow, principal, _with_default_owner(uow, principal, data.model_dump()))


def update_customer(*, uow: UnitOfWork, principal: Principal, customer_id: int, data: CustomerUpdate) -> Customer:
    return _update(CUSTOMERS, uow, principal, customer_id, data.model_dump(exclude_unset=True))


def delete_customer(*, uow: UnitOfWork, principal: Principal, customer_id: int) -> None:
    """Delete a customer; its contacts stay, no longer working for it (each with its event)."""
    require_role(principal, *CUSTOMERS.writers)
    row = visible(uow, principal, CUSTOMERS, customer_id)
    CONTACTS.clear_references(uow, "customer_code", row.id)
    CUSTOMERS.delete(uow, row)
    uow.commit()


def get_customer(*, uow: UnitOfWork, principal: Principal, customer_id: int) -> Customer:
    return visible(uow, principal, CUSTOMERS, customer_id)


def list_customers(*, uow: UnitOfWork, principal: Principal, filters: dict, **kwargs):
    filters = dict(filters)
    return _list(CUSTOMERS, uow, principal, filters, owner_empty(filters), **kwargs)


def number_customers(*, uow: UnitOfWork, principal: Principal, number: int, size: int, q: str | None = None, filters: dict | None = None):
    """Page ``number`` of the customers the user may see, and their total (the customer list screen)."""
    filters = dict(filters or {})
    where = (*owner_empty(filters), *scope(uow, principal, Customer))
    return CUSTOMERS.list_numbered(uow, principal.tenant_id, number=number, size=size, q=q, filters=filters, where=where)


def create_contact(*, uow: UnitOfWork, principal: Principal, data: ContactCreate) -> Contact:
    return CONTACTS.create_by(uow, principal, _with_default_owner(uow, principal, data.model_dump()))


def update_contact(*, uow: UnitOfWork, principal: Principal, contact_id: int, data: ContactUpdate) -> Contact:
    return _update(CONTACTS, uow, principal, contact_id, data.model_dump(exclude_unset=True))


def delete_contact(*, uow: UnitOfWork, principal: Principal, contact_id: int) -> None:
    _delete(CONTACTS, uow, principal, contact_id)


def get_contact(*, uow: UnitOfWork, principal: Principal, contact_id: int) -> Contact:
    return visible(uow, principal, CONTACTS, contact_id)


def list_contacts(*, uow: UnitOfWork, principal: Principal, filters: dict | None = None, **kwargs):
    return _list(CONTACTS, uow, principal, filters, **kwargs)


def create_group(*, uow: UnitOfWork, principal: Principal, data: CustomerGroupCreate) -> CustomerGroup:
    return GROUPS.create_by(uow, principal, data.model_dump())


def update_group(*, uow: UnitOfWork, principal: Principal, group_id: int, data: CustomerGroupUpdate) -> CustomerGroup:
    return GROUPS.update_by(uow, principal, group_id, data.model_dump(exclude_unset=True))


def delete_group(*, uow: UnitOfWork, principal: Principal, group_id: int) -> None:
    GROUPS.delete_by(uow, principal, group_id)


def get_group(*, uow: UnitOfWork, principal: Principal, group_id: int) -> CustomerGroup:
    return GROUPS.get(uow, principal.tenant_id, group_id)


def list_groups(*, uow: UnitOfWork, principal: Principal, **kwargs):
    return GROUPS.list(uow, principal.tenant_id, **kwargs)


def owned_records(session, tenant_id: str, owner_code: str) -> dict[str, list[int]]:
    """The ids of the customers and contacts ``owner_code`` owns (CRM sharing: what a sales
    user may see); the connector asks it to show a sales user their part of the log."""
    out = {}
    for kind, model in (("customers", Customer), ("contacts", Contact)):
        stmt = select(model.id).join(User, model.owner_id == User.id).where(model.tenant_id == tenant_id, User.tenant_id == tenant_id, User.code == owner_code)
        out[kind] = list(session.scalars(stmt.order_by(model.id)))
    return out
