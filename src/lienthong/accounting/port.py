"""The accounting app's face to the connector: its contract (the events it tells, the
commands it accepts from other apps, each bound to one of its use cases with a typed
input, and the read-only queries the rules may ask)."""

from __future__ import annotations

from lienthong.accounting import employees, events
from lienthong.accounting.customers import CUSTOMERS, GROUPS, customer_data, group_data
from lienthong.accounting import price_policies, products
from lienthong.accounting.schemas import CustomerCreate, CustomerGroupCreate, CustomerGroupUpdate, CustomerUpdate, ProductCreate, ProductGroupCreate, ProductGroupUpdate, ProductUpdate
from lienthong.accounting.tables import Customer, CustomerGroup, Employee, PricePolicy, Product, ProductGroup
from lienthong.kernel.contracts import Command, Contract
from lienthong.kernel.db import Database
from lienthong.kernel.port import AppPort, catalog_lister, finder, lister
from lienthong.kernel.sync_handlers import CatalogUseCases, EmployeeCopy

# The connector's use cases of accounting's catalogs: the values pass accounting's own form checks.
CUSTOMER = CatalogUseCases(CUSTOMERS, CustomerCreate, CustomerUpdate, ids=("group_id", "salesperson_id"))
CUSTOMER_GROUP = CatalogUseCases(GROUPS, CustomerGroupCreate, CustomerGroupUpdate)
PRODUCT = CatalogUseCases(products.PRODUCTS, ProductCreate, ProductUpdate, ids=("group_id",))
PRODUCT_GROUP = CatalogUseCases(products.GROUPS, ProductGroupCreate, ProductGroupUpdate)

CONTRACT = Contract(
    "accounting",
    events=events.EVENTS,
    commands=(
        Command("upsert_employee", employees.upsert, EmployeeCopy),
        *CUSTOMER.commands("customer"),
        *CUSTOMER_GROUP.commands("customer_group"),
        *PRODUCT.commands("product"),
        *PRODUCT_GROUP.commands("product_group"),
    ),
    queries={
        "employees": catalog_lister(employees.EMPLOYEES),
        "customers": catalog_lister(CUSTOMERS),
        "customer_groups": catalog_lister(GROUPS),
        "find_customer": finder(Customer, customer_data),
        "find_customer_group": finder(CustomerGroup, group_data),
        "find_employee": finder(Employee, employees.employee_data),
        "products": catalog_lister(products.PRODUCTS),
        "product_groups": catalog_lister(products.GROUPS),
        "find_product": finder(Product, products.product_data),
        "find_product_group": finder(ProductGroup, products.group_data),
        "product_by_id": finder(Product, products.product_data, column="id"),
        "product_group_by_id": finder(ProductGroup, products.group_data, column="id"),
        "price_policies": lister(PricePolicy, price_policies.policy_data),
        "find_price_policy": finder(PricePolicy, price_policies.policy_data),
    },
)


def make_port(db: Database) -> AppPort:
    return AppPort.of(CONTRACT, db)
