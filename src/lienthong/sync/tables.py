"""The connector's own database: connections, first-sync steps, read positions,
the queue of changes, the link store and the decision log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from lienthong.kernel.tables import BigId, IdsNeverReused, utcnow


class Base(IdsNeverReused, DeclarativeBase):
    pass


class Connection(Base):
    __tablename__ = "connections"
    __table_args__ = (UniqueConstraint("tenant_id", "app_a", "app_b", name="uq_connection_apps"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(36), index=True)
    app_a: Mapped[str] = mapped_column(String(20))
    app_b: Mapped[str] = mapped_column(String(20))
    kinds: Mapped[list] = mapped_column(JSON)
    order_mapping: Mapped[str] = mapped_column(String(20))
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StepRun(Base):
    """The latest run of one first-sync step of a connection."""

    __tablename__ = "step_runs"
    __table_args__ = (UniqueConstraint("connection_id", "step", name="uq_step_run"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    connection_id: Mapped[int] = mapped_column(BigId, index=True)
    step: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20), default="pending")
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ReadPosition(Base):
    """How far the connector has read each app's outbox."""

    __tablename__ = "read_positions"

    app: Mapped[str] = mapped_column(String(20), primary_key=True)
    position: Mapped[int] = mapped_column(BigId, default=0)


class Change(Base):
    """One event of a source app, queued for the rulebook. Its state goes
    pending -> decided -> done, or to parked after repeated failures."""

    __tablename__ = "changes"
    __table_args__ = (
        UniqueConstraint("source_app", "event_id", name="uq_change_event"),
        Index("ix_changes_state_tenant", "state", "tenant_id", "id"),  # each tenant's queue, in order
        Index("ix_changes_record", "record_key", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(36), index=True)
    source_app: Mapped[str] = mapped_column(String(20))
    source_position: Mapped[int] = mapped_column(BigId)
    event_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(40))
    type: Mapped[str] = mapped_column(String(60))
    record_id: Mapped[int] = mapped_column(BigId)
    record_code: Mapped[str | None] = mapped_column(String(64))
    record_key: Mapped[str] = mapped_column(String(120))
    data: Mapped[dict] = mapped_column(JSON)
    changed: Mapped[dict | None] = mapped_column(JSON)
    occurred_at: Mapped[str | None] = mapped_column(String(40))
    origin_app: Mapped[str | None] = mapped_column(String(20))  # a change the connector caused: the app it came from
    state: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[float] = mapped_column(Float, default=0.0)
    decision: Mapped[list | None] = mapped_column(JSON)
    error_vi: Mapped[str | None] = mapped_column(Text)
    error_en: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[float] = mapped_column(Float, default=0.0)
    done_at: Mapped[float | None] = mapped_column(Float)


class Link(Base):
    """Record ``a_id`` of ``a_app`` is record ``b_id`` of ``b_app``; with a ``part`` (a
    one-to-many rule's part key, such as a product group), ``b_id`` is that part of it.
    A document line linked to its counterpart line is a link of their line kinds."""

    __tablename__ = "links"
    __table_args__ = (
        UniqueConstraint("tenant_id", "a_app", "a_kind", "a_id", "b_app", "part", name="uq_link_a_part"),
        Index("ix_links_b", "tenant_id", "b_app", "b_kind", "b_id", "a_app"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(36))
    a_app: Mapped[str] = mapped_column(String(20))
    a_kind: Mapped[str] = mapped_column(String(40))
    a_id: Mapped[int] = mapped_column(BigId)
    b_app: Mapped[str] = mapped_column(String(20))
    b_kind: Mapped[str] = mapped_column(String(40))
    b_id: Mapped[int] = mapped_column(BigId)
    part: Mapped[str] = mapped_column(String(64), default="", server_default="")  # "": the whole record (one-to-one)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LogEntry(Base):
    """One decision: applied, skipped or parked, with its rule and the name and
    parameters of its reason (rendered in the reader's language when read)."""

    __tablename__ = "log"
    # a tenant's entries newest first, all of them or of one rule
    __table_args__ = (Index("ix_log_tenant_id", "tenant_id", "id"), Index("ix_log_tenant_rule", "tenant_id", "rule", "id"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(36))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    rule: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(String(40))  # applied | skipped | one of the rule's named reasons
    params: Mapped[dict | None] = mapped_column(JSON)  # the reason's parameters, rendered when read (sync.log)
    source_app: Mapped[str | None] = mapped_column(String(20))
    source_kind: Mapped[str | None] = mapped_column(String(40))
    source_id: Mapped[int | None] = mapped_column(BigId)
    source_code: Mapped[str | None] = mapped_column(String(64))
    target_app: Mapped[str | None] = mapped_column(String(20))
    target_kind: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[int | None] = mapped_column(BigId)
    target_code: Mapped[str | None] = mapped_column(String(64))
    change_id: Mapped[int | None] = mapped_column(BigId)
    event_type: Mapped[str | None] = mapped_column(String(60))
