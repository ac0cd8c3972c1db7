"""The CRM app's own database: its user copy, customer groups, customers, contacts,
product groups, products and price policies."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from lienthong.kernel.money import MoneyColumn
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


class ProductGroup(Keyed, TenantRow, Stamped, Base):
    """Nhóm hàng hóa, dịch vụ."""

    __tablename__ = "product_groups"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="uq_crm_product_groups_code"), Index("uq_crm_product_groups_code_key", "tenant_id", "code_key", unique=True))

    code: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(String(500))


class Product(Keyed, TenantRow, Stamped, Base):
    """Hàng hóa: goods or a service, with its base unit, unit price and VAT rate."""

    __tablename__ = "products"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="uq_crm_products_code"), Index("uq_crm_products_code_key", "tenant_id", "code_key", unique=True))

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
    """Chính sách giá of CRM: its own, or one product group's part of an accounting policy
    (``source_policy_code`` set; such a part is read-only in CRM)."""

    __tablename__ = "price_policies"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code", name="uq_crm_price_policies_code"),
        Index("uq_crm_price_policies_code_key", "tenant_id", "code_key", unique=True),
        Index("uq_crm_price_policies_part", "tenant_id", "source_policy_code", "product_group_id", unique=True),
    )

    code: Mapped[str] = mapped_column(String(120))  # a part's code is the source code and its group's
    name: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    source_policy_code: Mapped[str | None] = mapped_column(String(50))
    product_group_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("product_groups.id", ondelete="RESTRICT"), index=True)

    product_group: Mapped[ProductGroup | None] = relationship(lazy="joined")
    items: Mapped[list[PricePolicyItem]] = relationship(lazy="selectin", cascade="all, delete-orphan", order_by="PricePolicyItem.id")

    @property
    def product_group_code(self) -> str | None:
        return self.product_group.code if self.product_group else None


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
