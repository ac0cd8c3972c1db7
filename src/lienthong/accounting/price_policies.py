"""Use cases of accounting price policies (Chính sách giá).

A policy applies to one or more product groups and lists products of those groups,
each with its price or a discount off its unit price, optionally between two dates.
Every change writes its event in the same transaction; the event carries the policy's
groups and its items, each with its product's group, so that the connector can make
one CRM price policy per group and mark the part of a removed group inactive.
"""

from __future__ import annotations

from sqlalchemy import select

from lienthong.accounting import events
from lienthong.accounting.customers import WRITERS
from lienthong.accounting.schemas import PricePolicyCreate, PricePolicyUpdate
from lienthong.accounting.tables import PricePolicy, PricePolicyItem, Product, ProductGroup
from lienthong.kernel.auth import Principal, require_role
from lienthong.kernel.catalog import Catalog
from lienthong.kernel.money import money_text
from lienthong.kernel.outbox import utcnow
from lienthong.kernel.problems import invalid
from lienthong.kernel.records import by_code, resolve_code
from lienthong.kernel.unit_of_work import UnitOfWork


def item_data(item: PricePolicyItem) -> dict:
    return {
        "product_id": item.product_id,
        "product_code": item.product.code,
        "group_code": item.product.group_code,
        "price": money_text(item.price),
        "discount_percent": money_text(item.discount_percent),
    }


def policy_data(row: PricePolicy) -> dict:
    return {
        "id": row.id,
        "code": row.code,
        "name": row.name,
        "valid_from": row.valid_from.isoformat() if row.valid_from else None,
        "valid_to": row.valid_to.isoformat() if row.valid_to else None,
        "active": row.active,
        "product_group_codes": row.product_group_codes,
        "groups": [{"id": g.id, "code": g.code, "name": g.name} for g in row.groups],
        "items": [item_data(i) for i in row.items],
    }


POLICIES = Catalog(PricePolicy, "price-policies", "kind.price-policies", events.PRICE_POLICY, policy_data, writers=WRITERS)
HEADER = ("code", "name", "valid_from", "valid_to", "active")


def _groups(uow: UnitOfWork, tenant_id: str, codes: list[str]) -> list[ProductGroup]:
    out: list[ProductGroup] = []
    for index, code in enumerate(codes):
        group = resolve_code(uow.session, ProductGroup, tenant_id, code, field=f"product_group_codes.{index}", what="kind.product-groups")
        if group is not None and group not in out:
            out.append(group)
    return out


def _items(uow: UnitOfWork, tenant_id: str, items: list[dict], groups: list[ProductGroup]) -> list[PricePolicyItem]:
    """The items as rows; each product must exist, belong to one of ``groups``, and be listed once."""
    rows: list[PricePolicyItem] = []
    seen: set[int] = set()
    for index, item in enumerate(items):
        field = f"items.{index}.product_code"
        product = resolve_code(uow.session, Product, tenant_id, item["product_code"], field=field, what="kind.products")
        if product.id in seen:
            raise invalid(field, "duplicate", "price_policy.product_twice", code=product.code)
        if product.group_id not in {g.id for g in groups}:
            raise invalid(field, "outside_groups", "price_policy.product_outside_groups", code=product.code)
        seen.add(product.id)
        rows.append(PricePolicyItem(product=product, price=item.get("price"), discount_percent=item.get("discount_percent")))
    return rows


def _check_dates(valid_from, valid_to) -> None:
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        raise invalid("valid_to", "before_start", "price_policy.dates")


def create_policy(*, uow: UnitOfWork, principal: Principal, data: PricePolicyCreate) -> PricePolicy:
    require_role(principal, *WRITERS)
    values = data.model_dump()
    tenant = principal.tenant_id
    POLICIES.check_code_free(uow, tenant, values["code"])
    _check_dates(values["valid_from"], values["valid_to"])
    groups = _groups(uow, tenant, values["product_group_codes"])
    row = PricePolicy(tenant_id=tenant, **{k: values[k] for k in HEADER}, groups=groups, items=_items(uow, tenant, values["items"], groups))
    uow.session.add(row)
    uow.flush()
    POLICIES.emit(uow, row, "Created")
    uow.commit()
    return row


def update_policy(*, uow: UnitOfWork, principal: Principal, policy_id: int, data: PricePolicyUpdate) -> PricePolicy:
    """Change the given fields. New groups replace the old; new items replace the old, and
    without new items the items of a removed group go with it."""
    require_role(principal, *WRITERS)
    row = POLICIES.get(uow, principal.tenant_id, policy_id)
    values = data.model_dump(exclude_unset=True)
    if "code" in values:
        POLICIES.check_code_free(uow, row.tenant_id, values["code"], row.id)
    _check_dates(values.get("valid_from", row.valid_from), values.get("valid_to", row.valid_to))
    before = policy_data(row)
    for name in HEADER:
        if name in values:
            setattr(row, name, values[name])
    groups = _groups(uow, row.tenant_id, values["product_group_codes"]) if "product_group_codes" in values else list(row.groups)
    if "items" in values:
        new_items = _items(uow, row.tenant_id, values["items"], groups)
        row.items.clear()
        uow.flush()  # the old items go first: a product listed again must not clash with itself
        row.items.extend(new_items)
    else:
        row.items[:] = [i for i in row.items if i.product.group_id in {g.id for g in groups}]
    row.groups = groups
    _save_changes(uow, row, before)
    uow.commit()
    return row


def _save_changes(uow: UnitOfWork, row: PricePolicy, before: dict) -> None:
    """Flush ``row`` and emit its Updated event with ``{field: old}``, if anything changed."""
    uow.flush()
    uow.session.expire(row)
    after = policy_data(row)
    changed = {k: before[k] for k in after if k != "id" and before[k] != after[k]}
    if changed:
        row.updated_at = utcnow()  # also when only its groups or items changed
        POLICIES.emit(uow, row, "Updated", changed=changed)


def delete_policy(*, uow: UnitOfWork, principal: Principal, policy_id: int) -> None:
    POLICIES.delete_by(uow, principal, policy_id)


def get_policy(*, uow: UnitOfWork, principal: Principal, policy_id: int) -> PricePolicy:
    return POLICIES.get(uow, principal.tenant_id, policy_id)


def list_policies(*, uow: UnitOfWork, principal: Principal, filters: dict, **kwargs):
    where = ()
    group_code = filters.pop("product_group_code", None)
    if group_code is not None:
        group = by_code(uow.session, ProductGroup, principal.tenant_id, group_code)
        where = (PricePolicy.groups.any(ProductGroup.id == (group.id if group else -1)),)
    return POLICIES.list(uow, principal.tenant_id, filters=filters, where=where, **kwargs)


def _move_product(uow: UnitOfWork, old_id: int, new_id: int) -> None:
    """Merging products: a policy listing the merged product lists the survivor instead
    (keeping its own item if it already lists the survivor), with its Updated event."""
    survivor = uow.session.get(Product, new_id)
    for row in uow.session.scalars(select(PricePolicy).where(PricePolicy.items.any(PricePolicyItem.product_id == old_id)).order_by(PricePolicy.id)).all():
        before = policy_data(row)
        has_survivor = any(i.product_id == new_id for i in row.items)
        for item in list(row.items):
            if item.product_id == old_id:
                if has_survivor:
                    row.items.remove(item)
                else:
                    item.product = survivor
        _save_changes(uow, row, before)


def _move_group(uow: UnitOfWork, old_id: int, new_id: int) -> None:
    """Merging product groups: a policy of the merged group applies to the survivor, with its Updated event."""
    survivor = uow.session.get(ProductGroup, new_id)
    for row in uow.session.scalars(select(PricePolicy).where(PricePolicy.groups.any(ProductGroup.id == old_id)).order_by(PricePolicy.id)).all():
        before = policy_data(row)
        row.groups = [g for g in row.groups if g.id != old_id] + ([survivor] if survivor not in row.groups else [])
        _save_changes(uow, row, before)


POLICY_PRODUCTS = _move_product
POLICY_GROUPS = _move_group


def number_policies(*, uow: UnitOfWork, principal: Principal, number: int, size: int, q: str | None = None):
    """Page ``number`` of the price policies and their total (the price policy list screen)."""
    return POLICIES.list_numbered(uow, principal.tenant_id, number=number, size=size, q=q)
