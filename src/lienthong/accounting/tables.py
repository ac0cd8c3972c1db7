"""The accounting app's own database: its employee copy, customer groups, customers."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from lienthong.kernel.outbox import AppliedEventMixin, OutboxMixin
from lienthong.kernel.tables import BigId, IdsNeverReused, Keyed, Stamped, TenantRow


class Base(IdsNeverReused, DeclarativeBase):
    pass


class Outbox(OutboxMixin, Base):
    pass


class AppliedEvent(AppliedEventMixin, Base):
    pass


class Employee(Keyed, TenantRow, Stamped, Base):
    """Accounting's copy of a system employee: the salespeople of customers."""

    __tablename__ = "employees"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="uq_acc_employees_code"), Index("uq_acc_employees_code_key", "tenant_id", "code_key", unique=True))

    code: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    title: Mapped[str | None] = mapped_column(String(200))


class CustomerGroup(Keyed, TenantRow, Stamped, Base):
    __tablename__ = "customer_groups"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="uq_acc_customer_groups_code"), Index("uq_acc_customer_groups_code_key", "tenant_id", "code_key", unique=True))

    code: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(String(500))


class Customer(Keyed, TenantRow, Stamped, Base):
    __tablename__ = "customers"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="uq_acc_customers_code"), Index("uq_acc_customers_code_key", "tenant_id", "code_key", unique=True))
    search_fields = ("code", "name", "tax_code", "phone", "email")

    code: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(200))
    tax_code: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(200))
    is_individual: Mapped[bool] = mapped_column(Boolean, default=False)
    group_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("customer_groups.id", ondelete="RESTRICT"), index=True)
    salesperson_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("employees.id", ondelete="SET NULL"), index=True)

    group: Mapped[CustomerGroup | None] = relationship(lazy="joined")
    salesperson: Mapped[Employee | None] = relationship(lazy="joined")

    @property
    def group_code(self) -> str | None:
        return self.group.code if self.group else None

    @property
    def salesperson_code(self) -> str | None:
        return self.salesperson.code if self.salesperson else None
