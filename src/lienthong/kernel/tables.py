"""Column helpers shared by every app's tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from lienthong.kernel.outbox import BigId, utcnow

__all__ = ["BigId", "Stamped", "TenantRow", "utcnow"]


class TenantRow:
    """Every business row belongs to one tenant and has an integer id."""

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(36), index=True)


class Stamped:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
