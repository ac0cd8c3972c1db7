"""Use cases of CRM products (Hàng hóa) and product groups (Nhóm hàng hóa).

Every change writes its event in the same transaction. Adding and editing reach accounting
through the connector; deleting and merging (Gộp) write their events too, and the
connector's rules decide that they do not sync.
"""

from __future__ import annotations

from lienthong.crm import events
from lienthong.crm.customers import SELLERS as WRITERS
from lienthong.crm.price_policies import POLICY_GROUPS, POLICY_PRODUCTS
from lienthong.crm.schemas import MergeRequest, ProductCreate, ProductGroupCreate, ProductGroupUpdate, ProductUpdate
from lienthong.crm.tables import PricePolicy, PricePolicyItem, Product, ProductGroup
from lienthong.kernel.auth import Principal
from lienthong.kernel.catalog import Catalog, Ref
from lienthong.kernel.money import money_text
from lienthong.kernel.unit_of_work import UnitOfWork

MONEY_FIELDS = ("unit_price",)


def group_data(row: ProductGroup) -> dict:
    return {"id": row.id, "code": row.code, "name": row.name, "description": row.description}


def product_data(row: Product) -> dict:
    return {
        "id": row.id,
        "code": row.code,
        "name": row.name,
        "group_id": row.group_id,
        "group_code": row.group_code,
        "group": group_data(row.group) if row.group else None,
        "unit": row.unit,
        "unit_price": money_text(row.unit_price),
        "vat_rate": row.vat_rate,
        "kind": row.kind,
        "active": row.active,
    }


GROUPS = Catalog(
    ProductGroup, "product-groups", "kind.product-groups", events.PRODUCT_GROUP, group_data, writers=WRITERS,
    used_by=(Product.group_id, PricePolicy.product_group_id),
)
PRODUCTS = Catalog(
    Product, "products", "kind.products", events.PRODUCT, product_data,
    refs=(Ref("group_code", "group_id", ProductGroup, "kind.product-groups"),), writers=WRITERS, used_by=(PricePolicyItem.product_id,),
    money=MONEY_FIELDS,
)


def create_product(*, uow: UnitOfWork, principal: Principal, data: ProductCreate) -> Product:
    return PRODUCTS.create_by(uow, principal, data.model_dump())


def update_product(*, uow: UnitOfWork, principal: Principal, product_id: int, data: ProductUpdate) -> Product:
    return PRODUCTS.update_by(uow, principal, product_id, data.model_dump(exclude_unset=True))


def delete_product(*, uow: UnitOfWork, principal: Principal, product_id: int) -> None:
    PRODUCTS.delete_by(uow, principal, product_id)


def merge_products(*, uow: UnitOfWork, principal: Principal, product_id: int, data: MergeRequest) -> Product:
    """Merge products into ``product_id``: the price policies that list a merged product list the survivor."""
    return PRODUCTS.merge_by(uow, principal, product_id, data.merged_ids, movers=(POLICY_PRODUCTS,))


def get_product(*, uow: UnitOfWork, principal: Principal, product_id: int) -> Product:
    return PRODUCTS.get(uow, principal.tenant_id, product_id)


def list_products(*, uow: UnitOfWork, principal: Principal, **kwargs):
    return PRODUCTS.list(uow, principal.tenant_id, **kwargs)


def create_group(*, uow: UnitOfWork, principal: Principal, data: ProductGroupCreate) -> ProductGroup:
    return GROUPS.create_by(uow, principal, data.model_dump())


def update_group(*, uow: UnitOfWork, principal: Principal, group_id: int, data: ProductGroupUpdate) -> ProductGroup:
    return GROUPS.update_by(uow, principal, group_id, data.model_dump(exclude_unset=True))


def delete_group(*, uow: UnitOfWork, principal: Principal, group_id: int) -> None:
    GROUPS.delete_by(uow, principal, group_id)


def merge_groups(*, uow: UnitOfWork, principal: Principal, group_id: int, data: MergeRequest) -> ProductGroup:
    """Merge product groups into ``group_id``: their products and price policies move to the survivor
    (see :func:`~lienthong.crm.price_policies.POLICY_GROUPS` for two parts of one accounting policy)."""
    return GROUPS.merge_by(uow, principal, group_id, data.merged_ids, movers=(PRODUCTS.mover("group_id"), POLICY_GROUPS))


def get_group(*, uow: UnitOfWork, principal: Principal, group_id: int) -> ProductGroup:
    return GROUPS.get(uow, principal.tenant_id, group_id)


def list_groups(*, uow: UnitOfWork, principal: Principal, **kwargs):
    return GROUPS.list(uow, principal.tenant_id, **kwargs)
