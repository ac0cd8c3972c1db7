"""CRM sharing: who sees which customers and contacts.

A sales user sees, searches, exports and changes only the customers and contacts they
own; managers and administrators see all (accountants read all too, to choose what
accounting pulls, and change nothing: their role is refused). A record with no owner
is visible to managers and administrators only. A record the user may not see does not
exist for them: 404, never 403 (which would tell it exists).
"""

from __future__ import annotations

from sqlalchemy import false, select

from lienthong.crm.tables import User
from lienthong.kernel.auth import Principal
from lienthong.kernel.catalog import Catalog
from lienthong.kernel.i18n import term
from lienthong.kernel.problems import NotFound
from lienthong.kernel.records import by_code
from lienthong.kernel.unit_of_work import UnitOfWork

SEE_ALL = ("admin", "manager", "accountant", "connector")


def sees_all(principal: Principal) -> bool:
    return principal.role in SEE_ALL


def my_user_id(session, principal: Principal) -> int | None:
    """The id of the principal in CRM's copy of the users (None before the copy exists)."""
    me = by_code(session, User, principal.tenant_id, principal.user_code)
    return me.id if me is not None else None


def scope(uow: UnitOfWork, principal: Principal, model) -> tuple:
    """Conditions on ``model`` (customers, contacts) leaving the rows the principal may see."""
    if sees_all(principal):
        return ()
    me = my_user_id(uow.session, principal)
    return (model.owner_id == me,) if me is not None else (false(),)


def visible(uow: UnitOfWork, principal: Principal, catalog: Catalog, record_id: int):
    """The record if the principal may see it, else the same 404 as for no record at all."""
    row = catalog.get(uow, principal.tenant_id, record_id)
    if not sees_all(principal) and (row.owner_id is None or row.owner_id != my_user_id(uow.session, principal)):
        raise NotFound("not_found", what=term(catalog.what), ident=record_id)
    return row


def visible_many(uow: UnitOfWork, principal: Principal, catalog: Catalog, ids: list[int]) -> list:
    """The records of ``ids`` in that order, each one the principal may see, or a 404
    naming the first that is not (one query, whatever the number)."""
    model = catalog.model
    wanted = list(dict.fromkeys(ids))
    rows = {}
    for start in range(0, len(wanted), 500):
        part = wanted[start : start + 500]
        stmt = select(model).where(model.tenant_id == principal.tenant_id, model.id.in_(part), *scope(uow, principal, model))
        rows.update({r.id: r for r in uow.session.scalars(stmt).unique()})
    missing = next((i for i in wanted if i not in rows), None)
    if missing is not None:
        raise NotFound("not_found", what=term(catalog.what), ident=missing)
    return [rows[i] for i in wanted]
