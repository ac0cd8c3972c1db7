"""Use cases of accounting customers (Khách hàng) and customer groups (Nhóm khách hàng).

Every change writes its event in the same transaction; the connector turns
them into CRM changes by the CUS-A rules.
"""

from __future__ import annotations

from lienthong.accounting import events
from lienthong.accounting.schemas import CustomerCreate, CustomerGroupCreate, CustomerGroupUpdate, CustomerUpdate
from lienthong.accounting.tables import Customer, CustomerGroup, Employee
from lienthong.kernel.auth import Principal
from lienthong.kernel.catalog import Catalog, Ref
from lienthong.kernel.unit_of_work import UnitOfWork

WRITERS = ("accountant",)


def group_data(row: CustomerGroup) -> dict:
    return {"id": row.id, "code": row.code, "name": row.name, "description": row.description}


def customer_data(row: Customer) -> dict:
    return {
        "id": row.id,
        "code": row.code,
        "name": row.name,
        "tax_code": row.tax_code,
        "address": row.address,
        "phone": row.phone,
        "email": row.email,
        "is_individual": row.is_individual,
        "group_id": row.group_id,
        "group_code": row.group_code,
        "group": group_data(row.group) if row.group else None,
        "salesperson_id": row.salesperson_id,
        "salesperson_code": row.salesperson_code,
    }


GROUPS = Catalog(CustomerGroup, "customer-groups", "kind.customer-groups", events.CUSTOMER_GROUP, group_data, writers=WRITERS, used_by=(Customer.group_id,))
CUSTOMERS = Catalog(
    Customer,
    "customers",
    "kind.customers",
    events.CUSTOMER,
    customer_data,
    refs=(
        Ref("group_code", "group_id", CustomerGroup, "kind.customer-groups"),
        Ref("salesperson_code", "salesperson_id", Employee, "kind.employees"),
    ),
    writers=WRITERS,
)


def create_customer(*, uow: UnitOfWork, principal: Principal, data: CustomerCreate) -> Customer:
    return CUSTOMERS.create_by(uow, principal, data.model_dump())


def update_customer(*, uow: UnitOfWork, principal: Principal, customer_id: int, data: CustomerUpdate) -> Customer:
    return CUSTOMERS.update_by(uow, principal, customer_id, data.model_dump(exclude_unset=True))


def delete_customer(*, uow: UnitOfWork, principal: Principal, customer_id: int) -> None:
    CUSTOMERS.delete_by(uow, principal, customer_id)


def get_customer(*, uow: UnitOfWork, principal: Principal, customer_id: int) -> Customer:
    return CUSTOMERS.get(uow, principal.tenant_id, customer_id)


def list_customers(*, uow: UnitOfWork, principal: Principal, **kwargs):
    return CUSTOMERS.list(uow, principal.tenant_id, **kwargs)


def number_customers(*, uow: UnitOfWork, principal: Principal, number: int, size: int, q: str | None = None, filters: dict | None = None):
    """Page ``number`` of the customers and their total (the customer list screen)."""
    return CUSTOMERS.list_numbered(uow, principal.tenant_id, number=number, size=size, q=q, filters=filters)


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
