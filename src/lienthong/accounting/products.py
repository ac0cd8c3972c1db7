"""Use cases of accounting products (Vật tư hàng hóa) and product groups (Nhóm hàng hóa).

The use cases are the kernel's (:mod:`lienthong.kernel.product_catalog`) over this app's tables.
"""

from __future__ import annotations

from lienthong.accounting import events
from lienthong.accounting.customers import WRITERS
from lienthong.accounting.price_policies import POLICY_GROUPS, POLICY_PRODUCTS
from lienthong.accounting.tables import PricePolicyGroup, PricePolicyItem, Product, ProductGroup
from lienthong.kernel.product_catalog import ProductUseCases, group_data, product_data

__all__ = ["GROUPS", "PRODUCTS", "group_data", "product_data"]

USE_CASES = ProductUseCases(
    Product, ProductGroup, events.PRODUCT, events.PRODUCT_GROUP, WRITERS,
    group_used_by=(Product.group_id, PricePolicyGroup.group_id), product_used_by=(PricePolicyItem.product_id,),
    product_movers=(POLICY_PRODUCTS,), group_movers=(POLICY_GROUPS,),
)
GROUPS, PRODUCTS = USE_CASES.groups, USE_CASES.products

create_product, update_product, delete_product = USE_CASES.create_product, USE_CASES.update_product, USE_CASES.delete_product
merge_products, get_product, list_products = USE_CASES.merge_products, USE_CASES.get_product, USE_CASES.list_products
create_group, update_group, delete_group = USE_CASES.create_group, USE_CASES.update_group, USE_CASES.delete_group
merge_groups, get_group, list_groups = USE_CASES.merge_groups, USE_CASES.get_group, USE_CASES.list_groups
