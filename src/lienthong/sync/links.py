"""Which record in app A is which record in app B. Links are symmetric:
one row answers both ways."""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from lienthong.kernel.bulk import insert_rows
from lienthong.sync.tables import Link


def find(session: Session, tenant_id: str, app: str, kind: str, record_id: int, other_app: str) -> tuple[str, int] | None:
    """The ``(kind, id)`` in ``other_app`` linked to ``app``'s record, if any.
    Two lookups, each along its own index (an OR of both would scan the table)."""
    row = session.execute(
        select(Link.b_kind, Link.b_id)
        .where(Link.tenant_id == tenant_id, Link.a_app == app, Link.a_kind == kind, Link.a_id == record_id, Link.b_app == other_app)
        .limit(1)
    ).first()
    if row is not None:
        return (row.b_kind, row.b_id)
    row = session.execute(
        select(Link.a_kind, Link.a_id)
        .where(Link.tenant_id == tenant_id, Link.b_app == app, Link.b_kind == kind, Link.b_id == record_id, Link.a_app == other_app)
        .limit(1)
    ).first()
    return (row.a_kind, row.a_id) if row is not None else None


def of_records(session: Session, tenant_id: str, app: str, kind: str, record_ids: list[int]) -> dict[tuple[int, str], tuple[str, int]]:
    """Every link of these records of ``app``: {(record id, other app): (other kind, other id)}."""
    out: dict[tuple[int, str], tuple[str, int]] = {}
    if not record_ids:
        return out
    for row in session.execute(select(Link.a_id, Link.b_app, Link.b_kind, Link.b_id).where(Link.tenant_id == tenant_id, Link.a_app == app, Link.a_kind == kind, Link.a_id.in_(record_ids))):
        out[(row.a_id, row.b_app)] = (row.b_kind, row.b_id)
    for row in session.execute(select(Link.b_id, Link.a_app, Link.a_kind, Link.a_id).where(Link.tenant_id == tenant_id, Link.b_app == app, Link.b_kind == kind, Link.b_id.in_(record_ids))):
        out.setdefault((row.b_id, row.a_app), (row.a_kind, row.a_id))
    return out


def add_many(session: Session, tenant_id: str, pairs: list[tuple[tuple[str, str, int], tuple[str, str, int]]]) -> None:
    """Link many pairs at once; the caller knows none of the ``a`` records is linked yet
    (the connector decides under its lock, and only it writes links)."""
    rows, seen = [], set()
    for a, b in pairs:
        if (a, b[0]) in seen:
            continue
        seen.add((a, b[0]))
        rows.append({"tenant_id": tenant_id, "a_app": a[0], "a_kind": a[1], "a_id": a[2], "b_app": b[0], "b_kind": b[1], "b_id": b[2]})
    if rows:
        insert_rows(session, Link.__table__, rows)


def all_for(session: Session, tenant_id: str, app: str, kinds: tuple[str, ...], other_app: str) -> dict[tuple[str, int], tuple[str, int]]:
    """Every link of ``app``'s records of ``kinds`` to ``other_app``: {(kind, id): (other kind, other id)}."""
    out: dict[tuple[str, int], tuple[str, int]] = {}
    for row in session.execute(select(Link).where(Link.tenant_id == tenant_id, Link.a_app == app, Link.a_kind.in_(kinds), Link.b_app == other_app)).scalars():
        out[(row.a_kind, row.a_id)] = (row.b_kind, row.b_id)
    for row in session.execute(select(Link).where(Link.tenant_id == tenant_id, Link.b_app == app, Link.b_kind.in_(kinds), Link.a_app == other_app)).scalars():
        out[(row.b_kind, row.b_id)] = (row.a_kind, row.a_id)
    return out
