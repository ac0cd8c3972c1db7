"""The CRM app's face to the connector: its contract (the events it tells, the commands
it accepts, each bound to one of its use cases with a typed input, and the queries the
rules may ask)."""

from __future__ import annotations

from datetime import date

from pydantic import ValidationInfo, field_validator

from lienthong.crm import events, price_policies, products, users
from lienthong.crm.customers import CONTACTS, CUSTOMERS, GROUPS, contact_data, customer_data, group_data, owned_records
from lienthong.crm.schemas import ContactCreate, ContactUpdate, CustomerCreate, CustomerGroupCreate, CustomerGroupUpdate, CustomerUpdate, ProductCreate, ProductGroupCreate, ProductGroupUpdate, ProductUpdate
from lienthong.crm.tables import Contact, Customer, CustomerGroup, PricePolicy, Product, ProductGroup, User
from lienthong.kernel.auth import Principal, require_role
from lienthong.kernel.contracts import CONNECTOR, Command, Contract
from lienthong.kernel.db import Database
from lienthong.kernel.money import Money, Percent
from lienthong.kernel.port import AppPort, catalog_lister, finder, lister
from lienthong.kernel.schemas import Code, Input, Name
from lienthong.kernel.sync_handlers import CatalogUseCases, RecordId, UserCopy
from lienthong.kernel.unit_of_work import UnitOfWork

# The connector's use cases of CRM's catalogs: the values pass CRM's own form checks.
CUSTOMER = CatalogUseCases(CUSTOMERS, CustomerCreate, CustomerUpdate, ids=("group_id", "owner_id"))
CONTACT = CatalogUseCases(CONTACTS, ContactCreate, ContactUpdate, ids=("owner_id", "customer_id"))
CUSTOMER_GROUP = CatalogUseCases(GROUPS, CustomerGroupCreate, CustomerGroupUpdate)
PRODUCT = CatalogUseCases(products.PRODUCTS, ProductCreate, ProductUpdate, ids=("group_id",))
PRODUCT_GROUP = CatalogUseCases(products.GROUPS, ProductGroupCreate, ProductGroupUpdate)


class PolicyPartItem(Input):
    product_id: RecordId
    price: Money | None = None
    discount_percent: Percent | None = None


class PolicyPartValues(Input):
    """A part's header and items, checked as CRM's price policy form checks them."""

    code: Code | None = None
    name: Name | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    active: bool | None = None
    items: list[PolicyPartItem] = []

    @field_validator("valid_to")
    @classmethod
    def _not_before_start(cls, valid_to: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("valid_from")
        if valid_to is not None and start is not None and valid_to < start:
            raise ValueError("price_policy.dates")  # CRM's form refuses it alike (price_policies._check_dates)
        return valid_to


class UpsertPolicyPart(Input):
    source_policy_code: Code
    product_group_id: RecordId
    values: PolicyPartValues
    target_id: RecordId | None = None  # the part the connector linked (found even after the source code changed)


class DeactivatePolicyPart(Input):
    source_policy_code: Code | None = None
    product_group_id: RecordId | None = None
    target_id: RecordId | None = None  # the linked part; else the part of the source code for the group


def upsert_policy_part(uow: UnitOfWork, principal: Principal, data: UpsertPolicyPart, *, origin: str) -> dict:
    require_role(principal, CONNECTOR)
    values = data.values.model_dump(mode="json", exclude_unset=True)
    return price_policies.upsert_policy_part(uow, tenant_id=principal.tenant_id, origin=origin, source_policy_code=data.source_policy_code, product_group_id=data.product_group_id, values=values, target_id=data.target_id)


def deactivate_policy_part(uow: UnitOfWork, principal: Principal, data: DeactivatePolicyPart, *, origin: str) -> dict:
    require_role(principal, CONNECTOR)
    return price_policies.deactivate_policy_part(uow, tenant_id=principal.tenant_id, origin=origin, source_policy_code=data.source_policy_code, product_group_id=data.product_group_id, target_id=data.target_id)


CONTRACT = Contract(
    "crm",
    events=events.EVENTS,
    commands=(
        Command("upsert_user", users.upsert, UserCopy),
        *CUSTOMER.commands("customer"),
        *CONTACT.commands("contact"),
        *CUSTOMER_GROUP.commands("customer_group"),
        *PRODUCT.commands("product"),
        *PRODUCT_GROUP.commands("product_group"),
        Command("upsert_price_policy_part", upsert_policy_part, UpsertPolicyPart),
        Command("deactivate_price_policy_part", deactivate_policy_part, DeactivatePolicyPart),
    ),
    queries={
        "users": catalog_lister(users.USERS),
        "customers": catalog_lister(CUSTOMERS),
        "contacts": catalog_lister(CONTACTS),
        "customer_groups": catalog_lister(GROUPS),
        "find_customer": finder(Customer, customer_data),
        "find_contact": finder(Contact, contact_data),
        "customer_by_id": finder(Customer, customer_data, column="id"),
        "contact_by_id": finder(Contact, contact_data, column="id"),
        "find_customer_group": finder(CustomerGroup, group_data),
        "find_user": finder(User, users.user_data),
        "user_for_employee": finder(User, users.user_data, column="employee_code"),
        "owned_records": owned_records,
        "products": catalog_lister(products.PRODUCTS),
        "product_groups": catalog_lister(products.GROUPS),
        "price_policies": lister(PricePolicy, price_policies.policy_data),
        "price_policy_parts": price_policies.policy_parts,
        "find_product": finder(Product, products.product_data),
        "find_product_group": finder(ProductGroup, products.group_data),
        "product_by_id": finder(Product, products.product_data, column="id"),
        "product_group_by_id": finder(ProductGroup, products.group_data, column="id"),
    },
)


def make_port(db: Database) -> AppPort:
    return AppPort.of(CONTRACT, db)
