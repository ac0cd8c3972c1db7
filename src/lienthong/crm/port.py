"""The CRM app's face to the connector: its contract (the events it tells, the commands
it accepts, the queries the rules may ask)."""

from __future__ import annotations

from lienthong.crm import events, price_policies, products, users
from lienthong.crm.customers import CONTACTS, CUSTOMERS, GROUPS, contact_data, customer_data, group_data, owned_records
from lienthong.crm.tables import Contact, Customer, CustomerGroup, PricePolicy, Product, ProductGroup, User
from lienthong.kernel.contracts import Command, Contract
from lienthong.kernel.db import Database
from lienthong.kernel.port import AppPort, catalog_lister, finder, lister
from lienthong.kernel.sync_handlers import catalog_commands

CONTRACT = Contract(
    "crm",
    events=events.EVENTS,
    commands=(
        Command("upsert_user", users.upsert),
        *catalog_commands("customer", CUSTOMERS),
        *catalog_commands("contact", CONTACTS),
        *catalog_commands("customer_group", GROUPS),
        *catalog_commands("product", products.PRODUCTS),
        *catalog_commands("product_group", products.GROUPS),
        Command("upsert_price_policy_part", price_policies.upsert_policy_part),
        Command("deactivate_price_policy_part", price_policies.deactivate_policy_part),
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
        "find_product": finder(Product, products.product_data),
        "find_product_group": finder(ProductGroup, products.group_data),
        "product_by_id": finder(Product, products.product_data, column="id"),
        "product_group_by_id": finder(ProductGroup, products.group_data, column="id"),
    },
)


def make_port(db: Database) -> AppPort:
    return AppPort.of(CONTRACT, db)
