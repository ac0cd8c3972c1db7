"""The first sync's passes, in order, as declarations: each carries one catalog in
bulk by the field map of the live rules (see :class:`~lienthong.sync.rules.base.Bulk`)."""

from __future__ import annotations

from lienthong.sync.rules.base import Bulk, Into
from lienthong.sync.rules.connection import THREE_STEPS
from lienthong.sync.rules.customers import CONTACT_TO_ACCOUNTING, FROM_CRM, GROUP_MAP, GROUPS_BULK, INTO_ACCOUNTING, INTO_CRM, TO_CRM
from lienthong.sync.rules.people import EMPLOYEE_MAP, USER_MAP
from lienthong.sync.rules.products import CATALOGS_BULK, GROUP_MAP as PRODUCT_GROUP_MAP, PRODUCT_MAP

GROUP_KINDS = ("customer-groups", "customers")  # connecting customers brings their groups
PRODUCT_GROUP_KINDS = ("product-groups", "products")  # connecting products brings their groups

PASSES: list[Bulk] = [
    Bulk(THREE_STEPS, 1, "system", "employees", "accounting", EMPLOYEE_MAP, Into("employees"), copies=True),
    Bulk(THREE_STEPS, 1, "system", "users", "crm", USER_MAP, Into("users"), copies=True),
    Bulk(THREE_STEPS, 1, "system", "users", "process", USER_MAP, Into("users"), copies=True),
    Bulk(GROUPS_BULK, 2, "accounting", "customer-groups", "crm", GROUP_MAP, Into("customer-groups"), needs=GROUP_KINDS),
    Bulk(GROUPS_BULK, 2, "crm", "customer-groups", "accounting", GROUP_MAP, Into("customer-groups"), needs=GROUP_KINDS, update=False, reverse=True),
    Bulk(THREE_STEPS, 2, "accounting", "customers", "crm", TO_CRM, INTO_CRM, needs=("customers",)),
    Bulk(THREE_STEPS, 2, "crm", "customers", "accounting", FROM_CRM, INTO_ACCOUNTING, needs=("customers",), update=False, reverse=True),
    Bulk(THREE_STEPS, 2, "crm", "contacts", "accounting", CONTACT_TO_ACCOUNTING, INTO_ACCOUNTING, needs=("customers",), update=False, reverse=True),
    Bulk(CATALOGS_BULK, 2, "accounting", "product-groups", "crm", PRODUCT_GROUP_MAP, Into("product-groups"), needs=PRODUCT_GROUP_KINDS),
    Bulk(CATALOGS_BULK, 2, "crm", "product-groups", "accounting", PRODUCT_GROUP_MAP, Into("product-groups"), needs=PRODUCT_GROUP_KINDS, update=False, reverse=True),
    Bulk(CATALOGS_BULK, 2, "accounting", "products", "crm", PRODUCT_MAP, Into("products"), needs=("products",)),
    Bulk(CATALOGS_BULK, 2, "crm", "products", "accounting", PRODUCT_MAP, Into("products"), needs=("products",), update=False, reverse=True),
]


def passes(step: int, kinds: set[str]) -> list[Bulk]:
    """The passes of ``step`` for a connection of ``kinds``, in order."""
    return [p for p in PASSES if p.step == step and (not p.needs or kinds & set(p.needs))]
