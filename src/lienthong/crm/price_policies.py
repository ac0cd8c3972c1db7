"""Use cases of CRM price policies (Chính sách giá).

CRM holds two sorts: its own policies, which stay in CRM (their events are written, and
the connector's rules do not send them to accounting), and the parts of accounting
policies, one per product group (``source_policy_code`` and ``product_group_code``).
A part is kept by the connector through :func:`upsert_policy_part` and
:func:`deactivate_policy_part`; people cannot edit it in CRM (403, the message says
to edit the accounting policy).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from lienthong.crm import events
from lienthong.crm.customers import SELLERS
from lienthong.crm.schemas import PricePolicyCreate, PricePolicyUpdate
from lienthong.crm.tables import PricePolicy, PricePolicyItem, Product, ProductGroup
from lienthong.kernel.auth import Principal, require_role
from lienthong.kernel.catalog import Catalog, Ref
from lienthong.kernel.i18n import term
from lienthong.kernel.money import amounts_of, money_text
from lienthong.kernel.outbox import utcnow
from lienthong.kernel.problems import Forbidden, NotFound, invalid
from lienthong.kernel.records import resolve_code
from lienthong.kernel.unit_of_work import UnitOfWork

HEADER = ("code", "name", "valid_from", "valid_to", "active")


def item_data(item: PricePolicyItem) -> dict:
    return {
        "product_id": item.product_id,
        "product_code": item.product.code,
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
        "source_policy_code": row.source_policy_code,
        "product_group_id": row.product_group_id,
        "product_group_code": row.product_group_code,
        "items": [item_data(i) for i in row.items],
    }


POLICIES = Catalog(
    PricePolicy, "price-policies", "kind.price-policies", events.PRICE_POLICY, policy_data,
    refs=(Ref("product_group_code", "product_group_id", ProductGroup, "kind.product-groups"),), writers=SELLERS,
)


def _check_dates(valid_from, valid_to) -> None:
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        raise invalid("valid_to", "before_start", "price_policy.dates")


def _items(uow: UnitOfWork, tenant_id: str, items: list[dict], group_id: int | None) -> list[PricePolicyItem]:
    """The items as rows; each product must exist, be listed once and, when the policy
    has a product group, belong to it."""
    rows: list[PricePolicyItem] = []
    seen: set[int] = set()
    for index, item in enumerate(items):
        field = f"items.{index}.product_code"
        product = resolve_code(uow.session, Product, tenant_id, item["product_code"], field=field, what="kind.products")
        if product.id in seen:
            raise invalid(field, "duplicate", "price_policy.product_twice", code=product.code)
        if group_id is not None and product.group_id != group_id:
            raise invalid(field, "outside_groups", "price_policy.product_outside_groups", code=product.code)
        seen.add(product.id)
        rows.append(PricePolicyItem(product=product, price=item.get("price"), discount_percent=item.get("discount_percent")))
    return rows


def _save_changes(uow: UnitOfWork, row: PricePolicy, before: dict, *, origin: str | None = None) -> dict:
    """Flush ``row``; emit its Updated event with ``{field: old}`` if anything changed."""
    uow.flush()
    uow.session.expire(row)
    after = policy_data(row)
    changed = {k: before[k] for k in after if k != "id" and before[k] != after[k]}
    if changed:
        row.updated_at = utcnow()  # also when only its items changed
        POLICIES.emit(uow, row, "Updated", changed=changed, origin=origin)
    return changed


def check_editable(row: PricePolicy) -> None:
    """A part of an accounting policy is edited in accounting only (edit and quick edit alike)."""
    if row.source_policy_code is not None:
        raise Forbidden("price_policy.from_accounting", code=row.code, source=row.source_policy_code)


# -- what CRM's users do --------------------------------------------------------------
def create_policy(*, uow: UnitOfWork, principal: Principal, data: PricePolicyCreate) -> PricePolicy:
    """A CRM price policy of CRM's own (it stays in CRM)."""
    require_role(principal, *SELLERS)
    values = data.model_dump()
    tenant = principal.tenant_id
    POLICIES.check_code_free(uow, tenant, values["code"])
    _check_dates(values["valid_from"], values["valid_to"])
    group = resolve_code(uow.session, ProductGroup, tenant, values["product_group_code"], field="product_group_code", what="kind.product-groups")
    group_id = group.id if group else None
    row = PricePolicy(tenant_id=tenant, **{k: values[k] for k in HEADER}, product_group_id=group_id, items=_items(uow, tenant, values["items"], group_id))
    uow.session.add(row)
    uow.flush()
    POLICIES.emit(uow, row, "Created")
    uow.commit()
    return row


def update_policy(*, uow: UnitOfWork, principal: Principal, policy_id: int, data: PricePolicyUpdate) -> PricePolicy:
    """Change the given fields of a CRM policy of CRM's own; new items replace the old."""
    require_role(principal, *SELLERS)
    row = POLICIES.get(uow, principal.tenant_id, policy_id)
    check_editable(row)
    values = data.model_dump(exclude_unset=True)
    if "code" in values:
        POLICIES.check_code_free(uow, row.tenant_id, values["code"], row.id)
    _check_dates(values.get("valid_from", row.valid_from), values.get("valid_to", row.valid_to))
    before = policy_data(row)
    for name in HEADER:
        if name in values:
            setattr(row, name, values[name])
    if "product_group_code" in values:
        group = resolve_code(uow.session, ProductGroup, row.tenant_id, values["product_group_code"], field="product_group_code", what="kind.product-groups")
        row.product_group = group
    group_id = row.product_group.id if row.product_group else None
    if "items" in values:
        new_items = _items(uow, row.tenant_id, values["items"], group_id)
        row.items.clear()
        uow.flush()  # the old items go first: a product listed again must not clash with itself
        row.items.extend(new_items)
    elif group_id is not None and any(i.product.group_id != group_id for i in row.items):
        raise invalid("product_group_code", "outside_groups", "price_policy.product_outside_groups", code=next(i.product.code for i in row.items if i.product.group_id != group_id))
    _save_changes(uow, row, before)
    uow.commit()
    return row


def delete_policy(*, uow: UnitOfWork, principal: Principal, policy_id: int) -> None:
    POLICIES.delete_by(uow, principal, policy_id)


def get_policy(*, uow: UnitOfWork, principal: Principal, policy_id: int) -> PricePolicy:
    return POLICIES.get(uow, principal.tenant_id, policy_id)


def list_policies(*, uow: UnitOfWork, principal: Principal, **kwargs):
    return POLICIES.list(uow, principal.tenant_id, **kwargs)


# -- the connector's commands: the parts of accounting policies --------------------------
def _part(uow: UnitOfWork, tenant_id: str, source_policy_code: str, product_group_id: int) -> PricePolicy | None:
    return uow.session.scalar(
        select(PricePolicy).where(PricePolicy.tenant_id == tenant_id, PricePolicy.source_policy_code == source_policy_code, PricePolicy.product_group_id == product_group_id)
    )


def _part_items(uow: UnitOfWork, tenant_id: str, items: list[dict]) -> list[PricePolicyItem]:
    """Items as the connector sends them: ``product_id`` of CRM's own product, amounts as
    text. Two accounting products linked to one CRM product (merged in CRM) give one
    item: the first."""
    rows = []
    seen: set[int] = set()
    for item in items:
        product = uow.session.get(Product, item["product_id"])
        if product is None or product.tenant_id != tenant_id:
            raise NotFound("not_found", what=term("kind.products"), ident=item["product_id"])
        if product.id in seen:
            continue
        seen.add(product.id)
        rows.append(PricePolicyItem(product=product, **amounts_of({k: item.get(k) for k in ("price", "discount_percent")}, ("price", "discount_percent"))))
    return rows


def policy_parts(session, tenant_id: str, value: str) -> list[dict]:
    """The parts CRM keeps of the accounting policy of code ``value`` (one per product
    group; what :func:`upsert_policy_part` finds a part by when it is given no ``target_id``)."""
    rows = session.scalars(select(PricePolicy).where(PricePolicy.tenant_id == tenant_id, PricePolicy.source_policy_code == value).order_by(PricePolicy.id))
    return [policy_data(r) for r in rows]


def _linked_part(uow: UnitOfWork, tenant_id: str, target_id: int) -> PricePolicy:
    """The part the connector has linked (a 404 when it is gone: the connector drops its link)."""
    row = uow.session.get(PricePolicy, target_id)
    if row is None or row.tenant_id != tenant_id or row.source_policy_code is None:
        raise NotFound("not_found", what=term("kind.price-policies"), ident=target_id)
    return row


def upsert_policy_part(uow: UnitOfWork, *, tenant_id: str, origin: str, source_policy_code: str, product_group_id: int, values: dict, target_id: int | None = None) -> dict:
    """Create or update the part of accounting policy ``source_policy_code`` for CRM's
    product group ``product_group_id``: ``values`` has ``name``, ``valid_from``,
    ``valid_to``, ``active`` (any may be left out) and ``items`` (``product_id``, ``price``,
    ``discount_percent``), which replace the part's items. ``target_id``: the part the
    connector has linked, updated even if the accounting policy's code changed since
    (it takes the new source code). A new part's code is the source code and the
    group's (``CS01.NH01``) unless ``values`` gives one."""
    group = uow.session.get(ProductGroup, product_group_id)
    if group is None or group.tenant_id != tenant_id:
        raise NotFound("not_found", what=term("kind.product-groups"), ident=product_group_id)
    header = {k: values[k] for k in ("name", "valid_from", "valid_to", "active") if k in values}
    for name in ("valid_from", "valid_to"):
        if isinstance(header.get(name), str):
            header[name] = date.fromisoformat(header[name])
    items = _part_items(uow, tenant_id, values.get("items", []))
    row = _linked_part(uow, tenant_id, target_id) if target_id is not None else _part(uow, tenant_id, source_policy_code, product_group_id)
    if row is None:
        code = values.get("code") or f"{source_policy_code}.{group.code}"
        POLICIES.check_code_free(uow, tenant_id, code)
        row = PricePolicy(tenant_id=tenant_id, code=code, source_policy_code=source_policy_code, product_group=group, items=items, **{"active": True, **header})
        uow.session.add(row)
        uow.flush()
        POLICIES.emit(uow, row, "Created", origin=origin)
        return {"id": row.id, "code": row.code, "created": True}
    before = policy_data(row)
    for name, value in header.items():
        setattr(row, name, value)
    row.source_policy_code = source_policy_code
    if row.product_group_id != group.id and _part(uow, tenant_id, source_policy_code, group.id) is None:
        row.product_group = group  # its group merged into another in CRM: the part follows
    if "items" in values:
        row.items.clear()
        uow.flush()
        row.items.extend(items)
    changed = _save_changes(uow, row, before, origin=origin)
    return {"id": row.id, "code": row.code, "created": False, "changed": sorted(changed)}


def deactivate_policy_part(uow: UnitOfWork, *, tenant_id: str, origin: str, source_policy_code: str | None = None, product_group_id: int | None = None, target_id: int | None = None) -> dict:
    """Mark a part of an accounting policy inactive (its group was removed from the
    policy, or the policy was deleted in accounting): the linked part ``target_id``, or
    the part of ``source_policy_code`` for product group ``product_group_id``. It is not deleted."""
    row = _linked_part(uow, tenant_id, target_id) if target_id is not None else _part(uow, tenant_id, source_policy_code, product_group_id)
    if row is None:
        raise NotFound("not_found", what=term("kind.price-policies"), ident=f"{source_policy_code} / {product_group_id}")
    before = policy_data(row)
    row.active = False
    changed = _save_changes(uow, row, before, origin=origin)
    return {"id": row.id, "code": row.code, "changed": sorted(changed)}


# -- merging products and product groups ----------------------------------------------------
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
    """Merging product groups: a policy of the merged group is of the survivor, with its
    Updated event; when the survivor already has a part of the same accounting policy,
    the merged group's part is deleted (its Deleted event written): the accounting
    policy's next change updates the survivor's part."""
    survivor = uow.session.get(ProductGroup, new_id)
    for row in uow.session.scalars(select(PricePolicy).where(PricePolicy.product_group_id == old_id).order_by(PricePolicy.id)).all():
        if row.source_policy_code is not None and _part(uow, row.tenant_id, row.source_policy_code, new_id) is not None:
            POLICIES.delete(uow, row)
            continue
        before = policy_data(row)
        row.product_group = survivor
        _save_changes(uow, row, before)


POLICY_PRODUCTS = _move_product
POLICY_GROUPS = _move_group


def number_policies(*, uow: UnitOfWork, principal: Principal, number: int, size: int, q: str | None = None):
    """Page ``number`` of the price policies and their total (the price policy list screen)."""
    return POLICIES.list_numbered(uow, principal.tenant_id, number=number, size=size, q=q)
