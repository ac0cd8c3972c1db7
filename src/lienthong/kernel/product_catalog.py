"""The use cases of products (Hàng hóa) and product groups (Nhóm hàng hóa), the same in
every app that keeps them (accounting and CRM each over their own tables).

Every change writes its event in the same transaction. Adding and editing reach the
other app through the connector; deleting and merging (Gộp) write their events too, and
the connector's rules decide that they do not sync. An app builds one
:class:`ProductUseCases` over its tables and exposes its methods as its use cases.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lienthong.kernel.auth import Principal, require_role
from lienthong.kernel.catalog import Catalog, Ref
from lienthong.kernel.problems import FieldError, ValidationProblem, invalid
from lienthong.kernel.money import money_text
from lienthong.kernel.unit_of_work import UnitOfWork

MONEY_FIELDS = ("unit_price",)
# The fields a merge screen lets the user take from any of the merged records.
PRODUCT_MERGE_FIELDS = ("code", "name", "group_code", "unit", "unit_price", "vat_rate", "kind", "active")
GROUP_MERGE_FIELDS = ("code", "name", "description")


def group_data(row) -> dict:
    return {"id": row.id, "code": row.code, "name": row.name, "description": row.description}


def product_data(row) -> dict:
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


@dataclass
class ProductUseCases:
    """Products and product groups of one app.

    ``group_used_by`` / ``product_used_by``: the columns that refer to a group or a
    product (a record still referred to cannot be deleted); ``product_movers`` /
    ``group_movers``: what a merge moves to the survivor besides the products of a group."""

    product_model: type
    group_model: type
    product_event: str
    group_event: str
    writers: tuple[str, ...]
    group_used_by: tuple
    product_used_by: tuple
    product_movers: tuple[Callable, ...] = ()
    group_movers: tuple[Callable, ...] = ()

    def __post_init__(self) -> None:
        self.groups = Catalog(
            self.group_model, "product-groups", "kind.product-groups", self.group_event, group_data, writers=self.writers, used_by=self.group_used_by
        )
        self.products = Catalog(
            self.product_model, "products", "kind.products", self.product_event, product_data,
            refs=(Ref("group_code", "group_id", self.group_model, "kind.product-groups"),), writers=self.writers,
            used_by=self.product_used_by, money=MONEY_FIELDS,
        )

    def create_product(self, *, uow: UnitOfWork, principal: Principal, data):
        return self.products.create_by(uow, principal, data.model_dump())

    def update_product(self, *, uow: UnitOfWork, principal: Principal, product_id: int, data):
        return self.products.update_by(uow, principal, product_id, data.model_dump(exclude_unset=True))

    def delete_product(self, *, uow: UnitOfWork, principal: Principal, product_id: int) -> None:
        self.products.delete_by(uow, principal, product_id)

    def merge_products(self, *, uow: UnitOfWork, principal: Principal, product_id: int, data):
        """Merge products into ``product_id``: the price policies that list a merged product list the survivor."""
        return self.products.merge_by(uow, principal, product_id, data.merged_ids, movers=self.product_movers)

    def merge_products_choosing(self, *, uow: UnitOfWork, principal: Principal, survivor_id: int, merged_ids: list[int], values: dict[str, int]):
        """The merge screen's merge: as :meth:`merge_products`, and the survivor then takes,
        field by field, the value of the record ``values`` names (all in one transaction)."""
        return self._merge_choosing(self.products, PRODUCT_MERGE_FIELDS, self.product_movers, uow, principal, survivor_id, merged_ids, values)

    def merge_groups_choosing(self, *, uow: UnitOfWork, principal: Principal, survivor_id: int, merged_ids: list[int], values: dict[str, int]):
        """The merge screen's merge of product groups, with the values chosen field by field."""
        movers = (self.products.mover("group_id"), *self.group_movers)
        return self._merge_choosing(self.groups, GROUP_MERGE_FIELDS, movers, uow, principal, survivor_id, merged_ids, values)

    def _merge_choosing(self, catalog: Catalog, fields: tuple[str, ...], movers: tuple, uow: UnitOfWork, principal: Principal, survivor_id: int, merged_ids: list[int], values: dict[str, int]):
        require_role(principal, *self.writers)
        ids = [survivor_id, *merged_ids]
        if len(set(ids)) != len(ids):
            raise invalid("merged_ids", "invalid", "merge.same_record", ident=survivor_id)
        rows = {i: catalog.get(uow, principal.tenant_id, i) for i in ids}  # 404 for a record of no one or another tenant
        errors = [FieldError(f"values.{f}", "unknown_field", "unknown_field") for f in values if f not in fields]
        errors += [FieldError(f"values.{f}", "invalid_choice", "merge.value_from", {"ids": ", ".join(map(str, ids))}) for f, i in values.items() if f in fields and i not in rows]
        if errors:
            raise ValidationProblem("title.validation_detail", errors=errors, count=len(errors))
        chosen = {f: getattr(rows[i], f) for f, i in values.items() if i != survivor_id}
        survivor = rows[survivor_id]
        catalog.merge(uow, survivor, [rows[i] for i in merged_ids], movers)
        if chosen:
            catalog.update(uow, survivor, chosen)
        uow.commit()
        return survivor

    def number_products(self, *, uow: UnitOfWork, principal: Principal, number: int, size: int, q: str | None = None):
        """Page ``number`` of the products and their total (the product list screen)."""
        return self.products.list_numbered(uow, principal.tenant_id, number=number, size=size, q=q)

    def number_groups(self, *, uow: UnitOfWork, principal: Principal, number: int, size: int, q: str | None = None):
        """Page ``number`` of the product groups and their total (the group list screen)."""
        return self.groups.list_numbered(uow, principal.tenant_id, number=number, size=size, q=q)

    def get_product(self, *, uow: UnitOfWork, principal: Principal, product_id: int):
        return self.products.get(uow, principal.tenant_id, product_id)

    def list_products(self, *, uow: UnitOfWork, principal: Principal, **kwargs):
        return self.products.list(uow, principal.tenant_id, **kwargs)

    def create_group(self, *, uow: UnitOfWork, principal: Principal, data):
        return self.groups.create_by(uow, principal, data.model_dump())

    def update_group(self, *, uow: UnitOfWork, principal: Principal, group_id: int, data):
        return self.groups.update_by(uow, principal, group_id, data.model_dump(exclude_unset=True))

    def delete_group(self, *, uow: UnitOfWork, principal: Principal, group_id: int) -> None:
        self.groups.delete_by(uow, principal, group_id)

    def merge_groups(self, *, uow: UnitOfWork, principal: Principal, group_id: int, data):
        """Merge product groups into ``group_id``: their products and price policies move to the survivor."""
        return self.groups.merge_by(uow, principal, group_id, data.merged_ids, movers=(self.products.mover("group_id"), *self.group_movers))

    def get_group(self, *, uow: UnitOfWork, principal: Principal, group_id: int):
        return self.groups.get(uow, principal.tenant_id, group_id)

    def list_groups(self, *, uow: UnitOfWork, principal: Principal, **kwargs):
        return self.groups.list(uow, principal.tenant_id, **kwargs)
