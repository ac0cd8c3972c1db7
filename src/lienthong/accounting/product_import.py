"""Nhập khẩu hàng hóa: importing accounting products from an Excel file.

How an import checks and writes is the kernel's (:mod:`lienthong.kernel.importing`);
this module says what a product row is. Each imported product reaches CRM as a product
added or edited in the form does.
"""

from __future__ import annotations

from lienthong.accounting.customers import WRITERS
from lienthong.accounting.products import PRODUCTS
from lienthong.accounting.schemas import ProductCreate, ProductUpdate
from lienthong.accounting.tables import ProductGroup
from lienthong.kernel.product_import import product_import

import_products = product_import(PRODUCTS, WRITERS, ProductCreate, ProductUpdate, ProductGroup)
