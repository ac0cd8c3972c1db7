"""The Excel layout of products (Vật tư hàng hóa), which accounting and CRM import alike.

Cells are read as people fill them in: a price typed as a number is the amount it
shows (``12.5``, not a float's digits), a VAT rate may be written ``10``, ``10%``,
a percent-formatted ``0.1`` or in words (``Không chịu thuế``), the kind in words
(``Hàng hóa``, ``Dịch vụ``). Anything else is handed on as it is, so the form's
schema refuses it with the form's message.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from lienthong.kernel.importing import ImportSpec, import_rows
from lienthong.kernel.money import money_text

# field -> accepted header texts; the first is what an export writes.
PRODUCT_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("Mã hàng hóa", "Mã hàng", "code"),
    "name": ("Tên hàng hóa", "Tên hàng", "name"),
    "group_code": ("Nhóm hàng hóa", "Mã nhóm hàng hóa", "group_code"),
    "unit": ("Đơn vị tính", "ĐVT", "unit"),
    "unit_price": ("Đơn giá", "Đơn giá bán", "unit_price"),
    "vat_rate": ("Thuế suất GTGT", "Thuế suất", "vat_rate"),
    "kind": ("Tính chất", "Loại", "kind"),
    "active": ("Đang theo dõi", "active"),
}

_WORDS = {
    "vat_rate": {
        "không chịu thuế": "exempt",
        "kct": "exempt",
        "không kê khai thuế": "not_declared",
        "không kê khai": "not_declared",
        "kkknt": "not_declared",
    },
    "kind": {"hàng hóa": "goods", "vật tư hàng hóa": "goods", "dịch vụ": "service"},
}
_FRACTION_RATES = {Decimal("0"): "0", Decimal("0.05"): "5", Decimal("0.08"): "8", Decimal("0.1"): "10"}


def _word(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).split()).casefold()


def _vat_rate(value: object) -> object:
    if isinstance(value, float):  # a cell formatted as a percentage holds 0.1 for 10 %
        return _FRACTION_RATES.get(Decimal(repr(value)), repr(value))
    if isinstance(value, str):
        word = _word(value)
        return _WORDS["vat_rate"].get(word, word.removesuffix("%").strip())
    return value


def product_cells(cells: dict) -> dict:
    """A product row's cells as the form takes them."""
    out = dict(cells)
    price = out.get("unit_price")
    if isinstance(price, float):
        out["unit_price"] = money_text(Decimal(repr(price))) if price >= 0 else repr(price)
    if "vat_rate" in out:
        out["vat_rate"] = _vat_rate(out["vat_rate"])
    kind = out.get("kind")
    if isinstance(kind, str):
        out["kind"] = _WORDS["kind"].get(_word(kind), kind)
    return out


def product_import(catalog, writers: tuple[str, ...], create_schema, update_schema, group_model):
    """An app's import of products over its catalog and tables: ``import_products(db=, principal=, data=, mode=, progress=)``."""
    spec = ImportSpec(
        catalog=catalog,
        writers=writers,
        columns=PRODUCT_COLUMNS,
        create_schema=create_schema,
        update_schema=update_schema,
        refs={"group_code": ("group_id", group_model, "kind.product-groups")},
        yes_no=("active",),
        cells=product_cells,
        column_key="column.product",
        texts="import.product",
    )

    def import_products(*, db, principal, data, mode: str = "upsert", progress=None):
        """Import a workbook (bytes or a binary file) of products into the principal's tenant."""
        return import_rows(spec, db=db, principal=principal, data=data, mode=mode, progress=progress)

    return import_products
