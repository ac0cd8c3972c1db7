"""The CRM app's own database: its user copy, customer groups, customers, contacts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from lienthong.kernel.outbox import AppliedEventMixin, OutboxMixin
from lienthong.kernel.tables import BigId, IdsNeverReused, Keyed, Stamped, TenantRow, utcnow


class Base(IdsNeverReused, DeclarativeBase):
    pass


class Outbox(OutboxMixin, Base):
    pass


class AppliedEvent(AppliedEventMixin, Base):
    pass


class User(Keyed, TenantRow, Stamped, Base):
    """CRM's copy of a system user: owners are users."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="uq_crm_users_code"), Index("uq_crm_users_code_key", "tenant_id", "code_key", unique=True))

    code: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    employee_code: Mapped[str | None] = mapped_column(String(50), index=True)


class CustomerGroup(Keyed, TenantRow, Stamped, Base):
    __tablename__ = "customer_groups"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="uq_crm_customer_groups_code"), Index("uq_crm_customer_groups_code_key", "tenant_id", "code_key", unique=True))

    code: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(String(500))


class _Party:
    """What customers and contacts have in common."""

    code: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(200))
    tax_code: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(200))

    @property
    def owner_code(self) -> str | None:
        return self.owner.code if self.owner else None


class Customer(_Party, Keyed, TenantRow, Stamped, Base):
    __tablename__ = "customers"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="uq_crm_customers_code"), Index("uq_crm_customers_code_key", "tenant_id", "code_key", unique=True))
    search_fields = ("code", "name", "tax_code", "phone", "email")

    group_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("customer_groups.id", ondelete="RESTRICT"), index=True)
    owner_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id", ondelete="SET NULL"), index=True)

    group: Mapped[CustomerGroup | None] = relationship(lazy="joined")
    owner: Mapped[User | None] = relationship(lazy="joined")

    @property
    def group_code(self) -> str | None:
        return self.group.code if self.group else None


class Contact(_Party, Keyed, TenantRow, Stamped, Base):
    """Liên hệ: an individual customer of accounting lands here."""

    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="uq_crm_contacts_code"), Index("uq_crm_contacts_code_key", "tenant_id", "code_key", unique=True))
    search_fields = ("code", "name", "phone", "email")

    owner_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id", ondelete="SET NULL"), index=True)
    owner: Mapped[User | None] = relationship(lazy="joined")
    # The customer this person works for (their contacts move with a customer's handover and merge).
    customer_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("customers.id", ondelete="SET NULL"), index=True)
    customer: Mapped[Customer | None] = relationship(lazy="joined")

    @property
    def customer_code(self) -> str | None:
        return self.customer.code if self.customer else None


class OwnerChange(Base):
    """Who handed which record to whom, by handover, import or merge."""

    __tablename__ = "owner_changes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # customers | contacts
    record_id: Mapped[int] = mapped_column(BigId, index=True)
    record_code: Mapped[str] = mapped_column(String(50))
    from_owner_code: Mapped[str | None] = mapped_column(String(50))
    to_owner_code: Mapped[str | None] = mapped_column(String(50))
    by_user_code: Mapped[str] = mapped_column(String(50))
    via: Mapped[str] = mapped_column(String(20))  # handover | import | merge
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
