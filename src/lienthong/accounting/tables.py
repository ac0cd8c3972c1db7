"""The accounting app's own database: its employee copy, customer groups, customers,
product groups, products and price policies."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from lienthong.kernel.money import MoneyColumn
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


class ProductGroup(Keyed, TenantRow, Stamped, Base):
    """Nhóm hàng hóa, dịch vụ."""

    __tablename__ = "product_groups"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="uq_acc_product_groups_code"), Index("uq_acc_product_groups_code_key", "tenant_id", "code_key", unique=True))

    code: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(String(500))


class Product(Keyed, TenantRow, Stamped, Base):
    """Vật tư hàng hóa: goods or a service, with its base unit, unit price and VAT rate."""

    __tablename__ = "products"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="uq_acc_products_code"), Index("uq_acc_products_code_key", "tenant_id", "code_key", unique=True))

    code: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(200))
    group_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("product_groups.id", ondelete="RESTRICT"), index=True)
    unit: Mapped[str | None] = mapped_column(String(200))
    unit_price: Mapped[Decimal] = mapped_column(MoneyColumn, default="0")
    vat_rate: Mapped[str] = mapped_column(String(20), default="not_declared")
    kind: Mapped[str] = mapped_column(String(20), default="goods")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    group: Mapped[ProductGroup | None] = relationship(lazy="joined")

    @property
    def group_code(self) -> str | None:
        return self.group.code if self.group else None


class PricePolicy(Keyed, TenantRow, Stamped, Base):
    """Chính sách giá: prices or discounts of products, for one or more product groups."""

    __tablename__ = "price_policies"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="uq_acc_price_policies_code"), Index("uq_acc_price_policies_code_key", "tenant_id", "code_key", unique=True))

    code: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    groups: Mapped[list[ProductGroup]] = relationship(secondary="price_policy_groups", lazy="selectin", order_by="ProductGroup.id")
    items: Mapped[list[PricePolicyItem]] = relationship(lazy="selectin", cascade="all, delete-orphan", order_by="PricePolicyItem.id")

    @property
    def product_group_codes(self) -> list[str]:
        return [g.code for g in self.groups]


class PricePolicyGroup(Base):
    """A product group a price policy applies to (once: the use cases see to it)."""

    __tablename__ = "price_policy_groups"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    policy_id: Mapped[int] = mapped_column(BigId, ForeignKey("price_policies.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(BigId, ForeignKey("product_groups.id", ondelete="RESTRICT"), index=True)


class PricePolicyItem(Base):
    """One product of a price policy: its price, or a discount off its unit price (a
    product is listed once per policy: the use cases refuse or fold a second item)."""

    __tablename__ = "price_policy_items"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    policy_id: Mapped[int] = mapped_column(BigId, ForeignKey("price_policies.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("products.id", ondelete="RESTRICT"), index=True)
    price: Mapped[Decimal | None] = mapped_column(MoneyColumn)
    discount_percent: Mapped[Decimal | None] = mapped_column(MoneyColumn)

    product: Mapped[Product] = relationship(lazy="joined")

    @property
    def product_code(self) -> str:
        return self.product.code
