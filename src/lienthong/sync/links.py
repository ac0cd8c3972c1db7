"""Which record in app A is which record in app B. Links are symmetric:
one row answers both ways.

A link has a shape: one-to-one (part "", the whole record), or one-to-many, where the
``a`` record has one counterpart per part key (a price policy split by product group).
A counterpart answers for its one ``a`` record whatever its part. The one-to-one
questions (:func:`find`, :func:`of_records`, :func:`all_for`) ask about whole records;
:func:`parts` answers a one-to-many record's counterparts. A pair given to
:func:`add_many`/:func:`put_many` may carry its part as a third item."""

from __future__ import annotations

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.orm import Session

from lienthong.kernel.bulk import Same, insert_columns
from lienthong.sync.tables import Link

# The part of a kept link of a merged-away record (a customer merge): the other app's record still
# points at the survivor (so later documents resolve), but is not its counterpart: no
# one-to-one question answers with it, and :func:`merged_into` finds it.
MERGED_PART = "merged"


def find(session: Session, tenant_id: str, app: str, kind: str, record_id: int, other_app: str, part: str = "") -> tuple[str, int] | None:
    """The ``(kind, id)`` in ``other_app`` linked to ``app``'s record (its ``part`` of it),
    if any. Two lookups, each along its own index (an OR of both would scan the table)."""
    row = session.execute(
        select(Link.b_kind, Link.b_id)
        .where(Link.tenant_id == tenant_id, Link.a_app == app, Link.a_kind == kind, Link.a_id == record_id, Link.b_app == other_app, Link.part == part)
        .limit(1)
    ).first()
    if row is not None:
        return (row.b_kind, row.b_id)
    row = session.execute(
        select(Link.a_kind, Link.a_id)
        .where(Link.tenant_id == tenant_id, Link.b_app == app, Link.b_kind == kind, Link.b_id == record_id, Link.a_app == other_app, Link.part != MERGED_PART)
        .limit(1)
    ).first()
    return (row.a_kind, row.a_id) if row is not None else None


def of_records(session: Session, tenant_id: str, app: str, kind: str, record_ids: list[int]) -> dict[tuple[int, str], tuple[str, int]]:
    """Every link of these records of ``app``: {(record id, other app): (other kind, other id)}."""
    out: dict[tuple[int, str], tuple[str, int]] = {}
    if not record_ids:
        return out
    for row in session.execute(select(Link.a_id, Link.b_app, Link.b_kind, Link.b_id).where(Link.tenant_id == tenant_id, Link.a_app == app, Link.a_kind == kind, Link.a_id.in_(record_ids), Link.part == "")):
        out[(row.a_id, row.b_app)] = (row.b_kind, row.b_id)
    for row in session.execute(select(Link.b_id, Link.a_app, Link.a_kind, Link.a_id).where(Link.tenant_id == tenant_id, Link.b_app == app, Link.b_kind == kind, Link.b_id.in_(record_ids), Link.part != MERGED_PART)):
        out.setdefault((row.b_id, row.a_app), (row.a_kind, row.a_id))
    return out


def with_parts(session: Session, tenant_id: str, app: str, kind: str, record_ids: list[int], other_app: str) -> set[int]:
    """Which of these one-to-many records of ``app`` have a counterpart of a part in ``other_app``."""
    if not record_ids:
        return set()
    query = select(Link.a_id).where(Link.tenant_id == tenant_id, Link.a_app == app, Link.a_kind == kind, Link.a_id.in_(record_ids), Link.b_app == other_app, Link.part.not_in(("", MERGED_PART)))
    return set(session.scalars(query.distinct()))


def parts(session: Session, tenant_id: str, app: str, kind: str, record_id: int, other_app: str) -> dict[str, tuple[str, int]]:
    """A one-to-many record's counterparts in ``other_app``: {part: (kind, id)}."""
    rows = session.execute(select(Link.part, Link.b_kind, Link.b_id).where(Link.tenant_id == tenant_id, Link.a_app == app, Link.a_kind == kind, Link.a_id == record_id, Link.b_app == other_app, Link.part.not_in(("", MERGED_PART))))
    return {row.part: (row.b_kind, row.b_id) for row in rows}


def add_many(session: Session, tenant_id: str, pairs: list[tuple]) -> None:
    """Link many pairs ``(a, b)`` or ``(a, b, part)`` at once; the caller knows none of
    the ``a`` records is linked yet for that part (the connector decides under its lock,
    and only it writes links)."""
    rows = {}  # by (a, b's app, part): a pair given twice is linked once
    for pair in pairs:
        a, b = pair[0], pair[1]
        part = pair[2] if len(pair) > 2 else ""
        rows.setdefault((a, b[0], part), (a[0], a[1], a[2], b[0], b[1], b[2], part))
    rows = list(rows.values())
    if rows:  # column by column (a first sync links 100,000 pairs): no dict per row
        columns = dict(zip(("a_app", "a_kind", "a_id", "b_app", "b_kind", "b_id", "part"), zip(*rows)))
        insert_columns(session, Link.__table__, len(rows), {"tenant_id": Same(tenant_id), **columns})


def put_many(session: Session, tenant_id: str, pairs: list[tuple]) -> None:
    """Link many pairs; a record keeps one link per other app (per part), so an ``a``
    record's former link to ``b``'s app goes (an accounting customer relinked by code),
    and so does its pointer at a survivor it was merged into."""
    whole = [(a, b) for a, b, *part in pairs if not part or not part[0]]
    for (a_app, a_kind, b_app), ids in _grouped((a[0], a[1], b[0], a[2]) for a, b in whole).items():
        session.execute(delete(Link).where(_side(tenant_id, a_app, a_kind, ids, "a"), Link.b_app == b_app, Link.part.in_(("", MERGED_PART))))
        session.execute(delete(Link).where(_side(tenant_id, a_app, a_kind, ids, "b"), Link.a_app == b_app))
    for a, b, part in (p for p in pairs if len(p) > 2 and p[2]):
        session.execute(delete(Link).where(_side(tenant_id, a[0], a[1], [a[2]], "a"), Link.b_app == b[0], Link.part == part))
    add_many(session, tenant_id, pairs)


def remove_records(session: Session, tenant_id: str, app: str, kind: str, record_ids: list[int]) -> None:
    """Drop every link of these records of ``app`` (they were deleted: a link never
    outlives what it joins)."""
    if record_ids:
        session.execute(delete(Link).where(or_(_side(tenant_id, app, kind, record_ids, "a"), _side(tenant_id, app, kind, record_ids, "b"))))


def move_to_survivor(session: Session, tenant_id: str, app: str, kind: str, merged_id: int, survivor_id: int, *, keep: bool = False) -> list[tuple[tuple[str, str, int], str]]:
    """A merged record's links (it was merged into ``survivor_id`` and deleted): each
    points at the survivor when the survivor has no link to that app (and part) yet
    ("moved"). Otherwise the other record is kept pointing at the survivor as a merged-away
    record (``keep``: "kept", see :data:`MERGED_PART`) or its link is dropped
    ("dropped"). Returns each counterpart ``(app, kind, id)`` and what became of its link."""
    rows = session.scalars(select(Link).where(or_(_side(tenant_id, app, kind, [merged_id], "a"), _side(tenant_id, app, kind, [merged_id], "b"))).order_by(Link.id)).all()
    out = []
    for row in rows:
        on_a = (row.a_app, row.a_kind, row.a_id) == (app, kind, merged_id)
        other = (row.b_app, row.b_kind, row.b_id) if on_a else (row.a_app, row.a_kind, row.a_id)
        if row.part == MERGED_PART and not on_a:  # a record merged away before now points at this survivor too
            row.b_id, what = survivor_id, "kept"
        elif find(session, tenant_id, app, kind, survivor_id, other[0], part=row.part if on_a else "") is None:
            what = "moved"
            if on_a:
                row.a_id = survivor_id
            else:
                row.b_id = survivor_id
        elif keep and row.part == "":  # turned round: the other record points at the survivor
            row.a_app, row.a_kind, row.a_id = other
            row.b_app, row.b_kind, row.b_id = app, kind, survivor_id
            row.part, what = MERGED_PART, "kept"
        else:
            session.delete(row)
            what = "dropped"
        session.flush()
        out.append((other, what))
    return out


def merged_into(session: Session, tenant_id: str, app: str, kind: str, record_id: int, other_app: str) -> tuple[str, int] | None:
    """The record of ``other_app`` that ``app``'s record's counterpart was merged into
    (a customer merge), if it was."""
    row = session.execute(
        select(Link.b_kind, Link.b_id).where(Link.tenant_id == tenant_id, Link.a_app == app, Link.a_kind == kind, Link.a_id == record_id, Link.b_app == other_app, Link.part == MERGED_PART).limit(1)
    ).first()
    return (row.b_kind, row.b_id) if row is not None else None


def remove(session: Session, tenant_id: str, a: tuple[str, str, int], b: tuple[str, str, int]) -> bool:
    """Drop the link between ``a`` and ``b``, whichever way it was stored; False if there was none."""
    return session.execute(delete(Link).where(Link.tenant_id == tenant_id, or_(_pair(a, b), _pair(b, a)))).rowcount > 0


def _pair(a: tuple[str, str, int], b: tuple[str, str, int]):
    return and_(Link.a_app == a[0], Link.a_kind == a[1], Link.a_id == a[2], Link.b_app == b[0], Link.b_kind == b[1], Link.b_id == b[2])


def _grouped(rows) -> dict[tuple[str, str, str], list[int]]:
    out: dict[tuple[str, str, str], list[int]] = {}
    for app, kind, other, rid in rows:
        out.setdefault((app, kind, other), []).append(rid)
    return out


def _side(tenant_id: str, app: str, kind: str, ids: list[int], side: str):
    """Links whose ``side`` ("a" or "b") is one of these records of ``app``."""
    cols = (Link.a_app, Link.a_kind, Link.a_id) if side == "a" else (Link.b_app, Link.b_kind, Link.b_id)
    return and_(Link.tenant_id == tenant_id, cols[0] == app, cols[1] == kind, cols[2].in_(ids))


def all_for(session: Session, tenant_id: str, app: str, kinds: tuple[str, ...], other_app: str) -> dict[tuple[str, int], tuple[str, int]]:
    """Every link of ``app``'s records of ``kinds`` to ``other_app``: {(kind, id): (other kind, other id)}."""
    out: dict[tuple[str, int], tuple[str, int]] = {}
    for row in session.execute(select(Link).where(Link.tenant_id == tenant_id, Link.a_app == app, Link.a_kind.in_(kinds), Link.b_app == other_app, Link.part == "")).scalars():
        out[(row.a_kind, row.a_id)] = (row.b_kind, row.b_id)
    for row in session.execute(select(Link).where(Link.tenant_id == tenant_id, Link.b_app == app, Link.b_kind.in_(kinds), Link.a_app == other_app)).scalars():
        out[(row.b_kind, row.b_id)] = (row.a_kind, row.a_id)
    return out
