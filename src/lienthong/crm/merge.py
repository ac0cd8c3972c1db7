"""Merging customers ("Gộp"): 2 or 3 customers become one.

The user picks the surviving customer and, field by field, whose value survives (by
default the survivor's own). The merged customers' contacts move to the survivor, then
the merged customers are deleted and the survivor takes the chosen values, all in one
transaction with the events the connector follows: an Updated event per moved contact,
a Deleted event per merged customer whose ``changed`` names the survivor
(``{"merged_into": {"id", "code"}}``: accounting keeps its counterpart, and the connector
may point its links at the survivor), and the survivor's Updated event (which updates
accounting if the survivor is linked).
"""

from __future__ import annotations

from sqlalchemy import select

from lienthong.crm.customers import CONTACTS, CUSTOMERS
from lienthong.crm.owners import log_owner_changes
from lienthong.crm.sharing import scope, visible_many
from lienthong.crm.tables import Contact, Customer
from lienthong.kernel.auth import Principal, require_role
from lienthong.kernel.problems import FieldError, ValidationProblem, invalid
from lienthong.kernel.unit_of_work import UnitOfWork

FIELDS = ("code", "name", "tax_code", "address", "phone", "email", "group_code", "owner_code")
MAX_MERGED = 2  # with the survivor: at most 3 customers


def merge_customers(*, uow: UnitOfWork, principal: Principal, survivor_id: int, merged_ids: list[int], values: dict[str, int]) -> tuple[Customer, list[Contact]]:
    """Merge ``merged_ids`` into ``survivor_id``; returns the survivor and the contacts that moved."""
    require_role(principal, *CUSTOMERS.writers)
    ids = [survivor_id, *merged_ids]
    survivor, *merged = visible_many(uow, principal, CUSTOMERS, ids)  # 404 first: nothing is told of a record one may not see
    if not 1 <= len(set(merged_ids)) <= MAX_MERGED or len(set(merged_ids)) != len(merged_ids):
        raise invalid("merged_ids", "count", "merge.count")
    if survivor_id in merged_ids:
        raise invalid("merged_ids", "survivor", "merge.survivor_merged")
    errors = [FieldError(f"values.{f}", "unknown_field", "unknown_field") for f in values if f not in FIELDS]
    errors += [FieldError(f"values.{f}", "invalid_choice", "merge.value_from", {"ids": ", ".join(map(str, ids))}) for f, i in values.items() if f in FIELDS and i not in ids]
    if errors:
        raise ValidationProblem("title.validation_detail", errors=errors, count=len(errors))
    by_id = {r.id: r for r in (survivor, *merged)}
    chosen = {f: getattr(by_id[i], f) for f, i in values.items() if i != survivor.id}
    old_owner = survivor.owner_code

    moved = []
    merged_ids_set = [r.id for r in merged]
    stmt = select(Contact).where(Contact.tenant_id == principal.tenant_id, Contact.customer_id.in_(merged_ids_set), *scope(uow, principal, Contact))
    for contact in uow.session.scalars(stmt.order_by(Contact.id)).unique().all():
        CONTACTS.update(uow, contact, {"customer_code": survivor.code})
        moved.append(contact)
    for row in merged:
        CUSTOMERS.emit(uow, row, "Deleted", changed={"merged_into": {"id": survivor.id, "code": survivor.code}})
        uow.session.delete(row)
    uow.flush()
    CUSTOMERS.update(uow, survivor, chosen)
    if "owner_code" in chosen and chosen["owner_code"] != old_owner:
        log_owner_changes(uow, principal, "customers", [(survivor.id, survivor.code, old_owner, chosen["owner_code"])], via="merge")
    uow.commit()
    return survivor, moved
