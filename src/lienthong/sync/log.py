"""The decision log: every applied, skipped or parked decision, searchable."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from lienthong.kernel.bulk import insert_rows
from lienthong.kernel.records import decode_cursor, encode_cursor
from lienthong.sync.rules.base import Rule
from lienthong.sync.tables import LogEntry

OUTCOMES = ("applied", "skipped", "parked")


def entry(rule: Rule, outcome: str, *, tenant_id: str, params: dict, source: tuple | None = None, target: tuple | None = None, change_id: int | None = None, event_type: str | None = None, named: str | None = None) -> dict:
    """A log row as a dict (written in bulk by :func:`write`). ``source``/``target`` are
    ``(app, kind, id, code)``; the reason (the rule's ``named`` one, if given) is
    rendered now, in both languages."""
    vi, en = rule.reason("skipped" if outcome == "parked" else outcome, named, **params)
    s = source or (None, None, None, None)
    t = target or (None, None, None, None)
    return {
        "tenant_id": tenant_id,
        "rule": rule.id,
        "outcome": outcome,
        "reason_vi": vi,
        "reason_en": en,
        "source_app": s[0],
        "source_kind": s[1],
        "source_id": s[2],
        "source_code": s[3],
        "target_app": t[0],
        "target_kind": t[1],
        "target_id": t[2],
        "target_code": t[3],
        "change_id": change_id,
        "event_type": event_type,
    }


def write(session: Session, rows: list[dict]) -> None:
    if rows:
        insert_rows(session, LogEntry.__table__, rows)


def search(session: Session, tenant_id: str, *, filters: dict, limit: int, cursor: str | None, where: tuple = ()):
    """Newest first; filters: app, kind, code, record_id, rule, outcome; ``where``: what
    the reader may see (see :mod:`lienthong.sync.visibility`)."""
    stmt = select(LogEntry).where(LogEntry.tenant_id == tenant_id, *where)
    if filters.get("app"):
        stmt = stmt.where(or_(LogEntry.source_app == filters["app"], LogEntry.target_app == filters["app"]))
    if filters.get("kind"):
        stmt = stmt.where(or_(LogEntry.source_kind == filters["kind"], LogEntry.target_kind == filters["kind"]))
    if filters.get("code"):
        stmt = stmt.where(or_(LogEntry.source_code == filters["code"], LogEntry.target_code == filters["code"]))
    if filters.get("record_id") is not None:
        stmt = stmt.where(or_(LogEntry.source_id == filters["record_id"], LogEntry.target_id == filters["record_id"]))
    for name in ("rule", "outcome"):
        if filters.get(name):
            stmt = stmt.where(getattr(LogEntry, name) == filters[name])
    before = decode_cursor(cursor)
    if before:
        stmt = stmt.where(LogEntry.id < before)
    rows = list(session.scalars(stmt.order_by(LogEntry.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (encode_cursor(rows[-1].id) if more and rows else None)

