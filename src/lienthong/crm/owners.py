"""Owners of CRM customers and contacts: handover and the log of owner changes.

Handover ("Bàn giao công việc"): the user ticks customers, chooses the assignee
("Người thực hiện") and the kinds of work to hand over: ``customers`` (the customer
records themselves) and ``contacts`` (the contacts working for them); later kinds
(opportunities, quotes, orders) join :data:`KINDS` as they are built. The owner of each
chosen record becomes the assignee; each change is written with its Updated event
(``changed`` holds the old owner) and a row of :class:`OwnerChange` saying who handed
what to whom, in one transaction. A record already owned by the assignee is left as it is.
"""

from __future__ import annotations

from sqlalchemy import select

from lienthong.crm.customers import CONTACTS, CUSTOMERS
from lienthong.crm.sharing import scope, sees_all, visible_many
from lienthong.crm.tables import Contact, OwnerChange, User
from lienthong.kernel.auth import Principal, require_role
from lienthong.kernel.bulk import insert_rows
from lienthong.kernel.problems import invalid, unknown_code
from lienthong.kernel.records import by_code, page
from lienthong.kernel.tables import utcnow
from lienthong.kernel.unit_of_work import UnitOfWork

KINDS = ("customers", "contacts")


def log_owner_changes(uow: UnitOfWork, principal: Principal, kind: str, rows: list[tuple[int, str, str | None, str | None]], *, via: str) -> None:
    """One :class:`OwnerChange` per ``(record id, record code, former owner code, new owner code)``."""
    if not rows:
        return
    now = utcnow()
    insert_rows(uow.session, OwnerChange.__table__, [
        {"tenant_id": principal.tenant_id, "kind": kind, "record_id": rid, "record_code": code, "from_owner_code": old, "to_owner_code": new, "by_user_code": principal.user_code, "via": via, "at": now}
        for rid, code, old, new in rows
    ])


def set_owner_many(uow: UnitOfWork, principal: Principal, catalog, rows: list, owner: User, via: str) -> list:
    """Give ``rows`` (of ``catalog``) the owner ``owner``: the rows, an Updated event each
    (``changed``: the old owner) and the owner log, written together; returns the rows
    that changed."""
    before = {r.id: r.owner_code for r in rows}
    done = catalog.update_many(uow, [(r, {"owner_id": owner.id}) for r in rows])
    log_owner_changes(uow, principal, catalog.kind, [(row.id, row.code, before[row.id], owner.code) for row, _ in done], via=via)
    return [row for row, _ in done]


def handover(*, uow: UnitOfWork, principal: Principal, customer_ids: list[int], assignee_code: str, kinds: list[str]) -> dict[str, list]:
    """Handover: the chosen customers (and, with ``contacts``, their contacts) go to the
    assignee. Returns the changed records by kind."""
    require_role(principal, *CUSTOMERS.writers)
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise invalid("kinds", "invalid_choice", "invalid_choice", choices=", ".join(KINDS))
    if not customer_ids:
        raise invalid("customer_ids", "too_short", "too_short")
    customers = visible_many(uow, principal, CUSTOMERS, customer_ids)
    assignee = by_code(uow.session, User, principal.tenant_id, assignee_code)
    if assignee is None:
        raise unknown_code("assignee_code", "kind.users", assignee_code)
    if not assignee.active:
        raise invalid("assignee_code", "inactive", "handover.assignee_inactive", code=assignee.code)
    changed = {"customers": [], "contacts": []}
    if "customers" in kinds:
        changed["customers"] = set_owner_many(uow, principal, CUSTOMERS, customers, assignee, "handover")
    if "contacts" in kinds:
        contacts = []
        ids = [c.id for c in customers]
        for start in range(0, len(ids), 500):
            stmt = select(Contact).where(Contact.tenant_id == principal.tenant_id, Contact.customer_id.in_(ids[start : start + 500]), *scope(uow, principal, Contact))
            contacts.extend(uow.session.scalars(stmt).unique())
        changed["contacts"] = set_owner_many(uow, principal, CONTACTS, contacts, assignee, "handover")
    uow.commit()
    return changed


def list_owner_changes(*, uow: UnitOfWork, principal: Principal, kind: str | None = None, record_id: int | None = None, limit: int = 50, cursor: str | None = None):
    """The owner log, newest last; a sales user reads the changes they made or that
    gave them or took from them a record."""
    stmt = select(OwnerChange).where(OwnerChange.tenant_id == principal.tenant_id)
    if kind is not None:
        if kind not in KINDS:
            raise invalid("kind", "invalid_choice", "invalid_choice", choices=", ".join(KINDS))
        stmt = stmt.where(OwnerChange.kind == kind)
    if record_id is not None:
        stmt = stmt.where(OwnerChange.record_id == record_id)
    if not sees_all(principal):
        me = principal.user_code
        stmt = stmt.where((OwnerChange.by_user_code == me) | (OwnerChange.to_owner_code == me) | (OwnerChange.from_owner_code == me))
    return page(uow.session, stmt, OwnerChange, limit=limit, cursor=cursor)

