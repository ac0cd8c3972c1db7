"""Request and response shapes that products, product groups and price policies have
alike in accounting and CRM (each app's ``schemas.py`` builds on them)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, model_validator

from lienthong.kernel.records import MAX_ID
from lienthong.kernel.money import VAT_RATES, Money, MoneyOut, Percent
from lienthong.kernel.schemas import Code, Input, Name, Output, RefCode, Text, not_null

VatRate = Literal[VAT_RATES]  # type: ignore[valid-type]
ProductKind = Literal["goods", "service"]
MAX_MERGE = 3  # records merged into one at a time, as the source product's Gộp allows


class ProductGroupCreate(Input):
    code: Code = Field(description="Mã nhóm hàng hóa")
    name: Name
    description: Text | None = None


class ProductGroupUpdate(Input):
    code: Code | None = None
    name: Name | None = None
    description: Text | None = None

    check_required = not_null("code", "name")


class ProductGroupRead(Output):
    id: int
    code: str
    name: str
    description: str | None
    created_at: datetime
    updated_at: datetime


class ProductCreate(Input):
    code: Code = Field(description="Mã hàng hóa")
    name: Name
    group_code: RefCode | None = Field(None, description="Code of a product group")
    unit: Name | None = Field(None, description="Đơn vị tính chính (base unit)")
    unit_price: Money = Field(Decimal("0"), description="Đơn giá bán, a decimal string")
    vat_rate: VatRate = Field("not_declared", description="Thuế suất GTGT: 0, 5, 8, 10 (%), exempt (không chịu thuế) or not_declared (không kê khai)")
    kind: ProductKind = Field("goods", description="goods (hàng hóa) or service (dịch vụ)")
    active: bool = True


class ProductUpdate(Input):
    code: Code | None = None
    name: Name | None = None
    group_code: RefCode | None = None
    unit: Name | None = None
    unit_price: Money | None = None
    vat_rate: VatRate | None = None
    kind: ProductKind | None = None
    active: bool | None = None

    check_required = not_null("code", "name", "unit_price", "vat_rate", "kind", "active")


class ProductRead(Output):
    id: int
    code: str
    name: str
    group_id: int | None
    group_code: str | None
    unit: str | None
    unit_price: MoneyOut
    vat_rate: str
    kind: str
    active: bool
    created_at: datetime
    updated_at: datetime


class MergeRequest(Input):
    merged_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(min_length=1, max_length=MAX_MERGE, description="The records merged into this one (deleted afterwards)")


class PricePolicyItemIn(Input):
    product_code: Code
    price: Money | None = Field(None, description="The product's price in this policy")
    discount_percent: Percent | None = Field(None, description="Or a discount off its unit price, in percent")

    @model_validator(mode="after")
    def _price_or_discount(self):
        if (self.price is None) == (self.discount_percent is None):
            raise ValueError("price_policy.price_or_discount")
        return self


class PricePolicyItemRead(Output):
    product_id: int
    product_code: str
    price: MoneyOut | None
    discount_percent: MoneyOut | None


ValidFrom = Field(None, description="First day the policy applies (Hiệu lực từ); the use case checks it is not after `valid_to`")
ValidTo = Field(None, description="Last day it applies (Đến ngày)")


class PricePolicyReadBase(Output):
    id: int
    code: str
    name: str
    valid_from: date | None
    valid_to: date | None
    active: bool
    items: list[PricePolicyItemRead]
    created_at: datetime
    updated_at: datetime
