"""The process app's own database."""

from __future__ import annotations

from sqlalchemy import Boolean, Index, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from lienthong.kernel.outbox import AppliedEventMixin, OutboxMixin
from lienthong.kernel.tables import IdsNeverReused, Keyed, Stamped, TenantRow


class Base(IdsNeverReused, DeclarativeBase):
    pass


class Outbox(OutboxMixin, Base):
    pass


class AppliedEvent(AppliedEventMixin, Base):
    pass


class User(Keyed, TenantRow, Stamped, Base):
    """The process app's copy of a system user (approvers are users)."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="uq_proc_users_code"), Index("uq_proc_users_code_key", "tenant_id", "code_key", unique=True))

    code: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    employee_code: Mapped[str | None] = mapped_column(String(50))
