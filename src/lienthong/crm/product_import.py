"""Nhập khẩu hàng hóa: importing CRM products from an Excel file.

How an import checks and writes is the kernel's (:mod:`lienthong.kernel.importing`);
this module says what a product row is. Each imported product reaches accounting as a product
added or edited in the form does.
"""

from __future__ import annotations

from lienthong.crm.customers import SELLERS as WRITERS
from lienthong.crm.products import PRODUCTS
from lienthong.crm.schemas import ProductCreate, ProductUpdate
from lienthong.crm.tables import ProductGroup
from lienthong.kernel.product_import import product_import

import_products = product_import(PRODUCTS, WRITERS, ProductCreate, ProductUpdate, ProductGroup)
