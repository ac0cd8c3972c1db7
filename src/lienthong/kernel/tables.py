"""Column helpers shared by every app's tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from lienthong.kernel.outbox import BigId, utcnow

__all__ = ["BigId", "IdsNeverReused", "Stamped", "TenantRow", "utcnow"]


class IdsNeverReused:
    """Mixed into every app's declarative base: each of its tables declares
    AUTOINCREMENT on SQLite, so the id of a deleted row is never given to a new one
    (an id the connector links or logs always means the same record). PostgreSQL's
    sequences never reuse an id anyway."""

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        table = cls.__dict__.get("__table__")
        if table is not None:
            table.dialect_kwargs["sqlite_autoincrement"] = True


class TenantRow:
    """Every business row belongs to one tenant and has an integer id."""

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(36), index=True)


class Stamped:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
