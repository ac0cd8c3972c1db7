"""Which record in app A is which record in app B. Links are symmetric:
one row answers both ways."""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from lienthong.sync.tables import Link


def find(session: Session, tenant_id: str, app: str, kind: str, record_id: int, other_app: str) -> tuple[str, int] | None:
    """The ``(kind, id)`` in ``other_app`` linked to ``app``'s record, if any."""
    row = session.execute(
        select(Link.a_app, Link.a_kind, Link.a_id, Link.b_kind, Link.b_id).where(
            Link.tenant_id == tenant_id,
            or_(
                and_(Link.a_app == app, Link.a_kind == kind, Link.a_id == record_id, Link.b_app == other_app),
                and_(Link.b_app == app, Link.b_kind == kind, Link.b_id == record_id, Link.a_app == other_app),
            ),
        ).limit(1)
    ).first()
    if row is None:
        return None
    return (row.b_kind, row.b_id) if row.a_app == app else (row.a_kind, row.a_id)


def add(session: Session, tenant_id: str, a: tuple[str, str, int], b: tuple[str, str, int]) -> None:
    """Link ``a`` = (app, kind, id) with ``b``; a record already linked keeps its link."""
    if find(session, tenant_id, a[0], a[1], a[2], b[0]) is not None:
        return
    session.add(Link(tenant_id=tenant_id, a_app=a[0], a_kind=a[1], a_id=a[2], b_app=b[0], b_kind=b[1], b_id=b[2]))
    session.flush()


def all_for(session: Session, tenant_id: str, app: str, kinds: tuple[str, ...], other_app: str) -> dict[tuple[str, int], tuple[str, int]]:
    """Every link of ``app``'s records of ``kinds`` to ``other_app``: {(kind, id): (other kind, other id)}."""
    out: dict[tuple[str, int], tuple[str, int]] = {}
    for row in session.execute(select(Link).where(Link.tenant_id == tenant_id, Link.a_app == app, Link.a_kind.in_(kinds), Link.b_app == other_app)).scalars():
        out[(row.a_kind, row.a_id)] = (row.b_kind, row.b_id)
    for row in session.execute(select(Link).where(Link.tenant_id == tenant_id, Link.b_app == app, Link.b_kind.in_(kinds), Link.a_app == other_app)).scalars():
        out[(row.b_kind, row.b_id)] = (row.a_kind, row.a_id)
    return out
