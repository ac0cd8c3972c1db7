"""Nhập khẩu hàng hóa: importing CRM products from an Excel file.

How an import checks and writes is the kernel's (:mod:`lienthong.kernel.importing`);
this module says what a product row is. Each imported product reaches accounting as a product
added or edited in the form does.
"""

from __future__ import annotations

from typing import BinaryIO

from lienthong.crm.customers import SELLERS as WRITERS
from lienthong.crm.products import PRODUCTS
from lienthong.crm.schemas import ProductCreate, ProductUpdate
from lienthong.crm.tables import ProductGroup
from lienthong.kernel.auth import Principal
from lienthong.kernel.db import Database
from lienthong.kernel.importing import ImportResult, ImportSpec, Progress, import_rows
from lienthong.kernel.product_import import PRODUCT_COLUMNS, product_cells

SPEC = ImportSpec(
    catalog=PRODUCTS,
    writers=WRITERS,
    columns=PRODUCT_COLUMNS,
    create_schema=ProductCreate,
    update_schema=ProductUpdate,
    refs={"group_code": ("group_id", ProductGroup, "kind.product-groups")},
    yes_no=("active",),
    cells=product_cells,
    column_key="column.product",
    texts="import.product",
)


def import_products(
    *, db: Database, principal: Principal, data: bytes | BinaryIO, mode: str = "upsert", progress: Progress | None = None
) -> ImportResult:
    """Import a workbook (bytes or a binary file) of products into the principal's tenant."""
    return import_rows(SPEC, db=db, principal=principal, data=data, mode=mode, progress=progress)
