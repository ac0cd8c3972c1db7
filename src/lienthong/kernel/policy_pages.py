"""What the price policy forms (Chính sách giá) of accounting and CRM share: the item rows
(a product, and its price or a discount), the validity dates, the messages.

Each app declares its :class:`~lienthong.kernel.screens.RecordScreens` in its ``pages.py``
with :func:`read_policy_form`, :func:`policy_input` and :func:`policy_form`; the shared
templates are the shell's ``catalog/_policy_*.html``.
"""

from __future__ import annotations

from lienthong.kernel.i18n import MESSAGES
from lienthong.kernel.pages import vn_money
from lienthong.kernel.product_pages import amount_input

BLANK_ROWS = 3  # empty item rows the form offers below the filled ones
ITEM_FIELDS = ("product_code", "price", "discount_percent")
PLACED = ("items.", "product_group_codes")  # errors shown next to an item's cell or the groups

UI_MESSAGES: dict[str, tuple[str, str]] = {
    "ui.policies.nav.accounting": ("Chính sách giá (Kế toán)", "Price policies (accounting)"),
    "ui.policies.nav.crm": ("Chính sách giá (CRM)", "Price policies (CRM)"),
    "ui.policies.title.accounting": ("Chính sách giá trên Kế toán", "Accounting price policies"),
    "ui.policies.title.crm": ("Chính sách giá trên CRM", "CRM price policies"),
    "ui.policies.add": ("Thêm chính sách giá", "Add price policy"),
    "ui.policies.search_hint": ("Mã, tên chính sách giá", "Policy code or name"),
    "ui.policies.empty": ("Không có chính sách giá nào.", "No price policies."),
    "ui.policy.field.code": ("Mã chính sách giá", "Policy code"),
    "ui.policy.field.name": ("Tên chính sách giá", "Policy name"),
    "ui.policy.field.valid_from": ("Hiệu lực từ", "Valid from"),
    "ui.policy.field.valid_to": ("Đến ngày", "Valid to"),
    "ui.policy.field.active": ("Đang áp dụng", "Active"),
    "ui.policy.field.product_group_codes": ("Áp dụng cho nhóm hàng hóa", "Product groups it applies to"),
    "ui.policy.field.product_group_code": ("Nhóm hàng hóa", "Product group"),
    "ui.policy.field.source_policy_code": ("Lấy từ chính sách trên Kế toán", "From the accounting policy"),
    "ui.policy.field.items": ("Giá theo hàng hóa", "Prices by product"),
    "ui.policy.item.product_code": ("Mã hàng hóa", "Product code"),
    "ui.policy.item.price": ("Đơn giá", "Price"),
    "ui.policy.item.discount_percent": ("Chiết khấu (%)", "Discount (%)"),
    "ui.policy.items_hint": (
        "Mỗi dòng: mã hàng hóa và hoặc đơn giá, hoặc tỷ lệ chiết khấu. Dòng để trống được bỏ qua.",
        "Each row: a product code and either a price or a discount. Empty rows are left out.",
    ),
    "ui.policy.no_groups": ("Chưa có nhóm hàng hóa nào.", "There are no product groups yet."),
    "ui.policy.own": ("Của CRM", "CRM's own"),
    "ui.policy.validity": ("Hiệu lực", "Validity"),
}
MESSAGES.update(UI_MESSAGES)


def read_policy_form(data) -> dict:
    """The posted item rows (each a product code, a price, a discount) and ticked groups."""
    columns = [data.getlist(f"item_{name}") for name in ITEM_FIELDS]
    rows = [dict(zip(ITEM_FIELDS, (str(v).strip() for v in cells))) for cells in zip(*columns)]
    return {"items": rows, "product_group_codes": [str(v) for v in data.getlist("product_group_codes") if str(v).strip()]}


def policy_input(values: dict, form: dict) -> dict:
    """The form as the schema's input: the empty item rows left out (the form then shows
    the rows as sent, so an error's row number is the row on screen), amounts as decimal text."""
    form["items"] = [r for r in form.get("items", []) if any(r.values())]
    items = [{"product_code": r["product_code"], "price": amount_input(r["price"]) or None, "discount_percent": amount_input(r["discount_percent"]) or None} for r in form["items"]]
    out = {**values, "items": items}
    if "product_group_codes" in form and "product_group_code" not in values:
        out["product_group_codes"] = form["product_group_codes"]
    return out


def policy_form(row) -> dict:
    """A policy as its edit form's values."""
    items = [
        {"product_code": i.product.code, "price": vn_money(i.price).removesuffix(" đ"), "discount_percent": vn_money(i.discount_percent).removesuffix(" đ")}
        for i in row.items
    ]
    return {
        "code": row.code,
        "name": row.name,
        "valid_from": row.valid_from.isoformat() if row.valid_from else "",
        "valid_to": row.valid_to.isoformat() if row.valid_to else "",
        "active": row.active,
        "items": items,
    }
