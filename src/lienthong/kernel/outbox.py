"""The outbox every app writes in the same transaction as its change,
and the record of events applied from other apps.

Each app's ``tables.py`` makes its own ``Outbox`` and ``AppliedEvent`` classes from
these mixins, so the tables live in that app's database.
"""

from __future__ import annotations

import os
import time
from datetime import datetime, timezone

from sqlalchemy import JSON, BigInteger, DateTime, Integer, String, UniqueConstraint, func, select, text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from lienthong.kernel.bulk import Same, insert_columns
from lienthong.kernel.unit_of_work import UnitOfWork

BigId = BigInteger().with_variant(Integer, "sqlite")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class OutboxMixin:
    """One row per committed change: what changed, to which record, by whom."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    tenant_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    type: Mapped[str] = mapped_column(String(60))
    record_id: Mapped[int] = mapped_column(BigId)
    record_code: Mapped[str | None] = mapped_column(String(64))
    data: Mapped[dict] = mapped_column(JSON)
    changed: Mapped[dict | None] = mapped_column(JSON)
    origin_app: Mapped[str | None] = mapped_column(String(20))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AppliedEventMixin:
    """A change received from another app, kept with its result so that a second
    delivery returns the same result and changes nothing."""

    __tablename__ = "applied_events"

    @declared_attr.directive
    def __table_args__(cls):
        return (UniqueConstraint("source_app", "event_id", name="uq_applied_source_event"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    source_app: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[str] = mapped_column(String(200))
    tenant_id: Mapped[str] = mapped_column(String(36))
    outcome: Mapped[dict] = mapped_column(JSON)
    applied_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def emit(
    uow: UnitOfWork,
    *,
    tenant_id: str,
    kind: str,
    type: str,
    record_id: int,
    record_code: str | None,
    data: dict,
    changed: dict | None = None,
    origin_app: str | None = None,
) -> None:
    """Append an event to the app's outbox inside the current transaction."""
    session = uow.session
    assert session is not None
    outbox = uow.db.base.registry._class_registry["Outbox"]
    if uow.db.dialect == "postgresql":
        # Outbox ids must become visible in id order, or a reader could skip one that
        # commits late; one writer per app database at a time keeps them in order.
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(current_schema()))"))
    session.add(
        outbox(
            event_id=event_ids(1)[0],
            tenant_id=tenant_id,
            kind=kind,
            type=type,
            record_id=record_id,
            record_code=record_code,
            data=data,
            changed=changed,
            origin_app=origin_app,
            occurred_at=utcnow(),
        )
    )


def emit_many(uow: UnitOfWork, events: list[dict]) -> None:
    """Append many events at once (bulk writes); each dict has :func:`emit`'s arguments."""
    if events:
        emit_columns(uow, len(events), {name: [e.get(name) for e in events] for name in set().union(*events)})


def emit_columns(uow: UnitOfWork, count: int, columns: dict[str, list | Same]) -> None:
    """Append ``count`` events given column by column (:func:`emit`'s arguments, each a
    list of ``count`` values or :class:`~lienthong.kernel.bulk.Same`), as a bulk create
    writes them: no dict per event."""
    if not count:
        return
    outbox = uow.db.base.registry._class_registry["Outbox"]
    if uow.db.dialect == "postgresql":
        uow.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(current_schema()))"))
    given = {"changed": Same(None), "origin_app": Same(None), **columns, "event_id": event_ids(count), "occurred_at": Same(utcnow())}
    insert_columns(uow.session, outbox.__table__, count, given)


def event_ids(count: int) -> list[str]:
    """``count`` new event ids: time-ordered UUIDs (version 7, RFC 9562: the time in
    milliseconds, then random bits), from one read of the system's randomness.

    Ordered by time, a batch's ids go to the end of the outbox's unique index instead
    of all over it (as random version 4 ids do): a bulk write touches a few index
    pages rather than most of them, and a random id per event cost more than its row."""
    millis = f"{time.time_ns() // 1_000_000:012x}"
    digits = os.urandom(16 * count).hex()
    ids = []
    for i in range(0, 32 * count, 32):
        h = digits[i : i + 32]
        # version 7 in the 13th digit; the variant (RFC 9562: binary 10..) in the 17th
        ids.append(f"{millis[:8]}-{millis[8:]}-7{h[13:16]}-{_VARIANT[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}")
    return ids


_VARIANT = "89ab"


def read_after(db, cursor: int, limit: int) -> dict:
    """The app's events after ``cursor`` and the position to read from next. Events the
    connector caused carry the app the change came from (``origin_app``): the connector
    sends them on, never back there."""
    table = db.base.registry._class_registry["Outbox"].__table__
    with db.reader() as session:
        rows = session.execute(select(table).where(table.c.id > cursor).order_by(table.c.id).limit(limit)).all()
        position = rows[-1].id if rows else cursor
        return {"items": [event_dict(r) for r in rows], "position": position}


def count_after(db, cursor: int, tenant_id: str | None = None) -> int:
    """How many of the app's events (of ``tenant_id``, if given) lie after ``cursor``:
    those the connector has not read yet. Only the unread tail is counted."""
    table = db.base.registry._class_registry["Outbox"].__table__
    stmt = select(func.count()).select_from(table).where(table.c.id > cursor)
    if tenant_id is not None:
        stmt = stmt.where(table.c.tenant_id == tenant_id)
    with db.reader() as session:
        return session.scalar(stmt) or 0


def event_dict(row) -> dict:
    return {
        "id": row.id,
        "event_id": row.event_id,
        "tenant_id": row.tenant_id,
        "kind": row.kind,
        "type": row.type,
        "record_id": row.record_id,
        "record_code": row.record_code,
        "data": row.data,
        "changed": row.changed,
        "origin_app": row.origin_app,
        "occurred_at": row.occurred_at.isoformat() if row.occurred_at else None,
    }
