"""Xuất khẩu hàng hóa: products as a workbook in the layout their import reads back
(:data:`lienthong.kernel.product_import.PRODUCT_COLUMNS`), a title row first; the VAT rate
and the kind in the words people write (``10%``, ``Không chịu thuế``, ``Dịch vụ``)."""

from __future__ import annotations

from lienthong.kernel.auth import Principal
from lienthong.kernel.excel import write_table
from lienthong.kernel.money import money_text
from lienthong.kernel.product_import import PRODUCT_COLUMNS
from lienthong.kernel.records import searched
from lienthong.kernel.unit_of_work import UnitOfWork

TITLE = "DANH SÁCH HÀNG HÓA, DỊCH VỤ"
VAT_WORDS = {"exempt": "Không chịu thuế", "not_declared": "Không kê khai thuế"}
KIND_WORDS = {"goods": "Hàng hóa", "service": "Dịch vụ"}


def product_row(row) -> list:
    return [
        row.code,
        row.name,
        row.group_code,
        row.unit,
        money_text(row.unit_price),
        VAT_WORDS.get(row.vat_rate, f"{row.vat_rate}%"),
        KIND_WORDS.get(row.kind, row.kind),
        "Có" if row.active else "Không",
    ]


def product_export(catalog):
    """An app's export over its product catalog: ``export_products(uow=, principal=, ids=, q=)``."""

    def export_products(*, uow: UnitOfWork, principal: Principal, ids: list[int] | None = None, q: str | None = None) -> bytes:
        """The chosen products (``ids``: each must be the tenant's, else 404) or those of the search, in id order."""
        if ids is not None:
            rows = [catalog.get(uow, principal.tenant_id, i) for i in ids]
        else:
            rows = uow.session.scalars(searched(catalog.query(uow, principal.tenant_id), catalog.model, q).order_by(catalog.model.id)).all()
        return write_table([TITLE], [texts[0] for texts in PRODUCT_COLUMNS.values()], [product_row(r) for r in rows])

    return export_products
