"""Commands an app accepts from the connector for a catalog kind: create and update.

``create_<name>`` makes a record; ``update_<name>`` changes a linked record (by id)
with the given fields. Both answer ``{"id", "code"}`` for the connector's link store.
Field values arrive already mapped to the target's names; references arrive as ids
of the target's own records (``group_id``), resolved by the connector's links.
"""

from __future__ import annotations

from lienthong.kernel.catalog import Catalog
from lienthong.kernel.contracts import Command
from lienthong.kernel.i18n import term
from lienthong.kernel.problems import NotFound
from lienthong.kernel.unit_of_work import UnitOfWork


def catalog_commands(name: str, catalog: Catalog) -> tuple[Command, ...]:
    """``create_<name>``, ``update_<name>`` and ``create_<name>_many``, bound to the
    catalog's own create and update."""
    return tuple(Command(n, fn) for n, fn in catalog_handlers(name, catalog).items())


def catalog_handlers(name: str, catalog: Catalog) -> dict:
    def create(uow: UnitOfWork, *, tenant_id: str, origin: str, values: dict) -> dict:
        row = catalog.create(uow, tenant_id, values, origin=origin)
        return {"id": row.id, "code": row.code, "created": True}

    def update(uow: UnitOfWork, *, tenant_id: str, origin: str, target_id: int, values: dict) -> dict:
        row = uow.session.get(catalog.model, target_id)
        if row is None or row.tenant_id != tenant_id:
            raise NotFound("not_found", what=term(catalog.what), ident=target_id)
        changed = catalog.update(uow, row, values, origin=origin)
        return {"id": row.id, "code": row.code, "changed": sorted(changed)}

    def create_many(uow: UnitOfWork, *, tenant_id: str, origin: str, items: list[dict]) -> dict:
        rows = catalog.create_many(uow, tenant_id, items, origin=origin)
        return {"items": [{"id": r.id, "code": r.code} for r in rows]}

    return {f"create_{name}": create, f"update_{name}": update, f"create_{name}_many": create_many}


def upsert_handler(catalog: Catalog, fields: tuple[str, ...]):
    """A command keeping an app's copy of another app's record (users, employees):
    updates the linked copy (``target_id``) or creates it."""

    def upsert(uow: UnitOfWork, *, tenant_id: str, origin: str, target_id: int | None = None, **values) -> dict:
        values = {k: values[k] for k in fields if k in values}
        row = uow.session.get(catalog.model, target_id) if target_id else None
        if row is not None and row.tenant_id == tenant_id:
            changed = catalog.update(uow, row, values, origin=origin)
            return {"id": row.id, "code": row.code, "created": False, "changed": sorted(changed)}
        row = catalog.create(uow, tenant_id, values, origin=origin)
        return {"id": row.id, "code": row.code, "created": True}

    return upsert
