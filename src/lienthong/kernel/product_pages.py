"""The screens of products (Hàng hóa, dịch vụ) and product groups (Nhóm hàng hóa), the same
in accounting and in CRM: each app's ``pages.py`` calls :func:`install_product_screens`
with its own use cases, so the lists, forms, merge, Excel import and export look and
behave the same in both (the templates are the shell's ``catalog/``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from lienthong.kernel.excel_screens import ExportScreen, ImportScreen
from lienthong.kernel.i18n import MESSAGES
from lienthong.kernel.merge_screen import MergeScreen
from lienthong.kernel.pages import NavItem, UiDep, vn_money
from lienthong.kernel.product_catalog import GROUP_MERGE_FIELDS, PRODUCT_MERGE_FIELDS, ProductUseCases, group_data, product_data
from lienthong.kernel.product_export import product_export
from lienthong.kernel.product_import import PRODUCT_COLUMNS
from lienthong.kernel.product_schemas import ProductCreate, ProductGroupCreate, ProductGroupUpdate, ProductUpdate
from lienthong.kernel.screens import BulkAction, RecordScreens
from lienthong.kernel.unit_of_work import UnitOfWork

PICKS = 8  # groups the group picker shows
VN_AMOUNT = re.compile(r"-?\d{1,3}(\.\d{3})+(,\d+)?|-?\d+,\d+")  # 1.234.567 or 12,5: Vietnamese writing

UI_MESSAGES: dict[str, tuple[str, str]] = {
    "ui.products.nav.accounting": ("Hàng hóa (Kế toán)", "Products (accounting)"),
    "ui.products.nav.crm": ("Hàng hóa (CRM)", "Products (CRM)"),
    "ui.products.title.accounting": ("Hàng hóa, dịch vụ trên Kế toán", "Accounting products"),
    "ui.products.title.crm": ("Hàng hóa, dịch vụ trên CRM", "CRM products"),
    "ui.products.add": ("Thêm hàng hóa", "Add product"),
    "ui.products.search_hint": ("Mã, tên hàng hóa", "Product code or name"),
    "ui.products.empty": ("Không có hàng hóa nào.", "No products."),
    "ui.products.import": ("Nhập khẩu hàng hóa từ Excel", "Import products from Excel"),
    "ui.product.field.code": ("Mã hàng hóa", "Product code"),
    "ui.product.field.name": ("Tên hàng hóa", "Product name"),
    "ui.product.field.group_code": ("Nhóm hàng hóa", "Product group"),
    "ui.product.field.unit": ("Đơn vị tính", "Unit"),
    "ui.product.field.unit_price": ("Đơn giá", "Unit price"),
    "ui.product.field.vat_rate": ("Thuế suất GTGT", "VAT rate"),
    "ui.product.field.kind": ("Tính chất", "Kind"),
    "ui.product.field.active": ("Đang theo dõi", "Active"),
    "ui.product.price_hint": ("Ví dụ: 1.234.567", "For example: 1,234,567 (typed as 1.234.567)"),
    "ui.product.vat.0": ("0%", "0%"),
    "ui.product.vat.5": ("5%", "5%"),
    "ui.product.vat.8": ("8%", "8%"),
    "ui.product.vat.10": ("10%", "10%"),
    "ui.product.vat.exempt": ("Không chịu thuế", "Exempt"),
    "ui.product.vat.not_declared": ("Không kê khai thuế", "Not declared"),
    "ui.product.kind.goods": ("Hàng hóa", "Goods"),
    "ui.product.kind.service": ("Dịch vụ", "Service"),
    "ui.products.merge.title": ("Gộp hàng hóa", "Merge products"),
    "ui.products.merge.count": ("Hãy chọn 2 hoặc 3 hàng hóa để gộp (đang chọn {n}).", "Tick 2 or 3 products to merge ({n} ticked)."),
    "ui.products.merge.survivor": ("Hàng hóa được giữ lại", "Product kept"),
    "ui.products.merge.values": ("Giá trị được giữ lại", "Values kept"),
    "ui.products.merge.survivors_value": ("Của hàng hóa được giữ lại", "The kept product's"),
    "ui.products.merge.blank": ("(trống)", "(blank)"),
    "ui.products.merge.confirm": ("Xác nhận gộp", "Confirm the merge"),
    "ui.product_groups.nav.accounting": ("Nhóm hàng hóa (Kế toán)", "Product groups (accounting)"),
    "ui.product_groups.nav.crm": ("Nhóm hàng hóa (CRM)", "Product groups (CRM)"),
    "ui.product_groups.title.accounting": ("Nhóm hàng hóa trên Kế toán", "Accounting product groups"),
    "ui.product_groups.title.crm": ("Nhóm hàng hóa trên CRM", "CRM product groups"),
    "ui.product_groups.add": ("Thêm nhóm hàng hóa", "Add product group"),
    "ui.product_groups.search_hint": ("Mã, tên nhóm", "Group code or name"),
    "ui.product_groups.empty": ("Không có nhóm hàng hóa nào.", "No product groups."),
    "ui.product_group.field.code": ("Mã nhóm hàng hóa", "Group code"),
    "ui.product_group.field.name": ("Tên nhóm hàng hóa", "Group name"),
    "ui.product_group.field.description": ("Diễn giải", "Description"),
    "ui.product_groups.merge.title": ("Gộp nhóm hàng hóa", "Merge product groups"),
    "ui.product_groups.merge.count": ("Hãy chọn 2 hoặc 3 nhóm hàng hóa để gộp (đang chọn {n}).", "Tick 2 or 3 product groups to merge ({n} ticked)."),
    "ui.product_groups.merge.survivor": ("Nhóm được giữ lại", "Group kept"),
    "ui.product_groups.merge.values": ("Giá trị được giữ lại", "Values kept"),
    "ui.product_groups.merge.survivors_value": ("Của nhóm được giữ lại", "The kept group's"),
    "ui.product_groups.merge.blank": ("(trống)", "(blank)"),
    "ui.product_groups.merge.confirm": ("Xác nhận gộp", "Confirm the merge"),
}
MESSAGES.update(UI_MESSAGES)

MERGE = BulkAction("ui.action.merge", "/merge", "merge")
EXPORT = BulkAction("ui.action.export", "/export", "export")
EXCEL = [{"key": "ui.action.import", "path": "/import", "css": "import"}, {"key": "ui.action.export_list", "path": "/export", "css": "export-filtered", "filtered": True}]


def amount_input(text: str | None) -> str | None:
    """An amount typed in the form: Vietnamese writing (``1.234.567``, ``12,5``, a trailing
    ``đ``) as the API's decimal text; anything else as it is, for the schema to judge."""
    if text is None:
        return None
    plain = text.replace("đ", "").replace(" ", "").strip()
    if VN_AMOUNT.fullmatch(plain):
        plain = plain.replace(".", "").replace(",", ".")
    return plain


def _product_values(values: dict, form: dict) -> dict:
    price = amount_input(values.get("unit_price"))
    return {**values, "unit_price": price if price else "0"}


def _product_form(row) -> dict:
    data = product_data(row)
    return {**data, "unit_price": vn_money(row.unit_price).removesuffix(" đ"), "group_code_search": row.group.name if row.group else ""}


@dataclass
class ProductScreens:
    """The product and product-group screens of one app, with the menu entries."""

    products: RecordScreens
    groups: RecordScreens
    nav: list[NavItem]


def install_product_screens(router: APIRouter, app: str, uc: ProductUseCases, import_products) -> ProductScreens:
    """Add the product and product-group screens of ``app`` (its use cases ``uc`` and its
    product import) to ``router``; returns them."""
    base = f"/ui/{app}"
    products = RecordScreens(
        app=app, kind="products", path=f"{base}/products", templates="catalog/products",
        fields=("code", "name", "group_code", "unit", "unit_price", "vat_rate", "kind"), checks=("active",),
        create_schema=ProductCreate, update_schema=ProductUpdate,
        create=uc.create_product, update=uc.update_product, delete=uc.delete_product, get=uc.get_product, number=uc.number_products,
        id_name="product_id", bulk=[EXPORT, MERGE], excel=EXCEL, values=_product_form, prepare=_product_values,
        initial={"vat_rate": "not_declared", "kind": "goods", "active": True},
    )
    groups = RecordScreens(
        app=app, kind="product-groups", path=f"{base}/product-groups", templates="catalog/groups",
        fields=("code", "name", "description"), create_schema=ProductGroupCreate, update_schema=ProductGroupUpdate,
        create=uc.create_group, update=uc.update_group, delete=uc.delete_group, get=uc.get_group, number=uc.number_groups,
        id_name="group_id", bulk=[MERGE], values=group_data,
    )

    @router.get(f"{groups.path}/picks", response_class=HTMLResponse)
    def group_picks(ui: UiDep, request: Request, field: str = "group_code"):
        """Product groups whose code or name holds the typed text: the group picker's list."""
        if ui.principal is None:
            return ui.sign_in()
        q = request.query_params.get(f"{field}_search", "").strip()
        with UnitOfWork(ui.db(app)) as uow:
            rows, _ = uc.list_groups(uow=uow, principal=ui.principal, q=q or None, limit=PICKS)
            found = [{"code": r.code, "name": r.name, "hint": r.code} for r in rows]
        return ui.render("_picker.html", people=found, clearable=True)

    words = {"unit_price": lambda ui, row: vn_money(row.unit_price), "vat_rate": lambda ui, row: ui._(f"ui.product.vat.{row.vat_rate}"), "kind": lambda ui, row: ui._(f"ui.product.kind.{row.kind}"), "active": lambda ui, row: ui._("ui.yes" if row.active else "ui.no")}
    ImportScreen(products, import_products, PRODUCT_COLUMNS, "ui.products.import").install(router)
    ExportScreen(products, product_export(uc.products), "hang-hoa.xlsx").install(router)
    MergeScreen(products, uc.merge_products_choosing, PRODUCT_MERGE_FIELDS, "ui.products.merge", "ui.product.field.", shows=words).install(router)
    MergeScreen(groups, uc.merge_groups_choosing, GROUP_MERGE_FIELDS, "ui.product_groups.merge", "ui.product_group.field.").install(router)
    products.install(router)
    groups.install(router)
    return ProductScreens(products, groups, [NavItem(products.path, f"ui.products.nav.{app}"), NavItem(groups.path, f"ui.product_groups.nav.{app}")])

