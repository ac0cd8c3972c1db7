"""Products, product groups and price policies between accounting and CRM (SPEC sections 5 and 6).

Products and their groups are kept alike both ways (``keep``: update the counterpart,
else create it). The duplicate-code decision of customers holds both ways: a new record
whose code the other app already has is not synced; an edited record whose code equals
an unlinked record's of the other app is linked to it and updates it (a former
counterpart keeps its data); a code changed to one a record linked elsewhere has is not
synced. Deleting and merging do not sync.
"""

from __future__ import annotations

from lienthong.sync.rules.base import (
    EVENT_VERBS,
    VERBS,
    FieldMap,
    Into,
    On,
    Rule,
    all_of,
    along,
    any_of,
    because,
    changed,
    code_taken,
    deleted,
    edited,
    merged,
    not_,
    not_linked,
    same_code_unlinked,
)

APPS = ("accounting", "crm")
GROUP_FIELDS = ("code", "name", "description")
PRODUCT_FIELDS = ("code", "name", "unit", "unit_price", "vat_rate", "kind", "active")
GROUP_KEYS = ("group_id", "group_code", "group")

# the duplicate-code decision of customers, both ways: an edited record with no
# counterpart, or whose code changed, is linked to the other app's unlinked record of that
# code, which it updates (a former counterpart is unlinked and keeps its data); a new
# record, or a code changed, whose code a record linked elsewhere has is skipped
RELINK = all_of(edited(), any_of(not_linked(), changed("code")), same_code_unlinked())
GONE = because(any_of(deleted(), merged()), "gone")
CODE_TAKEN = because(all_of(any_of(not_linked(), changed("code")), code_taken(), not_(RELINK)), "duplicate")

GROUP_ALONG = Rule(
    "PRD-3",
    "Hàng hóa có nhóm chưa có ở ứng dụng kia thì nhóm được đồng bộ trước.",
    "A product whose group is not yet on the other side brings its group along first.",
    applied_vi="Nhóm hàng hóa {code} được đồng bộ kèm hàng hóa ({how}).",
    applied_en="Product group {code} went along with the product ({how}).",
)
GROUP = along("product-groups", field="group_id", source="group", fields=GROUP_FIELDS, query="find_product_group", rule=GROUP_ALONG, changed=GROUP_KEYS)
PRODUCT_MAP = FieldMap(copy=PRODUCT_FIELDS, along=(GROUP,))
GROUP_MAP = FieldMap(copy=GROUP_FIELDS)

GROUPS_BOTH_WAYS = Rule(
    "PGR-1",
    "Thêm hoặc sửa nhóm hàng hóa ở một ứng dụng tự động cập nhật ứng dụng kia; xóa không đồng bộ.",
    "Adding or editing a product group in either app updates the other app automatically; delete does not sync.",
    applied_vi="Đã tạo nhóm hàng hóa {code} trên {target}.",
    applied_en="Product group {code} was created in {target}.",
    reasons={
        "updated": ("Đã cập nhật nhóm hàng hóa {code} trên {target}.", "Product group {code} was updated in {target}."),
        "unchanged": (
            "Nhóm hàng hóa {code}: không thông tin nào ứng dụng kia lưu bị thay đổi, nên không cập nhật gì.",
            "Product group {code}: nothing the other app keeps changed, so nothing was updated.",
        ),
        "gone": (
            "Nhóm hàng hóa {code} bị xóa hoặc gộp; {target} giữ nguyên nhóm tương ứng.",
            "Product group {code} was deleted or merged; {target} keeps its counterpart.",
        ),
        "duplicate": (
            "Không đồng bộ nhóm hàng hóa {code}: {target} đã có nhóm hàng hóa trùng mã.",
            "Product group {code} was not synced: {target} already has a product group with that code.",
        ),
        "along": (
            "Nhóm hàng hóa {code} được đồng bộ kèm chính sách giá ({how}).",
            "Product group {code} went along with the price policy ({how}).",
        ),
        "linked": (
            "Đã liên kết nhóm hàng hóa {code} với nhóm hàng hóa cùng mã trên {target} và cập nhật nó.",
            "Product group {code} was linked to the product group with the same code in {target}, which was updated.",
        ),
        "relinked": (
            "Đã liên kết nhóm hàng hóa {code} với nhóm hàng hóa {code} trên {target} và cập nhật nó; nhóm {former} trên {target}, bản tương ứng trước đây, được gỡ liên kết và giữ nguyên dữ liệu.",
            "Product group {code} is now linked to product group {code} in {target}, which was updated; product group {former} in {target}, its former counterpart, was unlinked and keeps its data.",
        ),
    },
    on=On(APPS, ("product-groups",), EVENT_VERBS),
    skip_when=(GONE, CODE_TAKEN),
    link_when=(RELINK,),
    action="keep",
    only_changed=True,
    into=Into("product-groups"),
    fields=GROUP_MAP,
)
PRODUCTS_BOTH_WAYS = Rule(
    "PRD-1",
    "Thêm (nhập tay hoặc nhập khẩu) hoặc sửa hàng hóa ở một ứng dụng tự động cập nhật ứng dụng kia.",
    "Adding (form or import) or editing a product in either app updates the other app automatically.",
    applied_vi="Đã tạo hàng hóa {code} trên {target}.",
    applied_en="Product {code} was created in {target}.",
    reasons={
        "updated": ("Đã cập nhật hàng hóa {code} trên {target}.", "Product {code} was updated in {target}."),
        "unchanged": (
            "Hàng hóa {code}: không thông tin nào ứng dụng kia lưu bị thay đổi, nên không cập nhật gì.",
            "Product {code}: nothing the other app keeps changed, so nothing was updated.",
        ),
        "duplicate": (
            "Không đồng bộ hàng hóa {code}: {target} đã có hàng hóa trùng mã.",
            "Product {code} was not synced: {target} already has a product with that code.",
        ),
        "linked": (
            "Đã liên kết hàng hóa {code} với hàng hóa cùng mã trên {target} và cập nhật nó.",
            "Product {code} was linked to the product with the same code in {target}, which was updated.",
        ),
        "relinked": (
            "Đã liên kết hàng hóa {code} với hàng hóa {code} trên {target} và cập nhật nó; hàng hóa {former} trên {target}, bản tương ứng trước đây, được gỡ liên kết và giữ nguyên dữ liệu.",
            "Product {code} is now linked to product {code} in {target}, which was updated; product {former} in {target}, its former counterpart, was unlinked and keeps its data.",
        ),
    },
    on=On(APPS, ("products",), ("Created", "Updated")),
    skip_when=(CODE_TAKEN,),
    link_when=(RELINK,),
    action="keep",
    only_changed=True,
    into=Into("products"),
    fields=PRODUCT_MAP,
)
PRODUCTS_GONE_STAY = Rule(
    "PRD-2",
    "Xóa hoặc gộp hàng hóa không đồng bộ.",
    "Deleting or merging products does not sync.",
    skipped_vi="Hàng hóa {code} bị xóa hoặc gộp; ứng dụng kia giữ nguyên hàng hóa này.",
    skipped_en="Product {code} was deleted or merged; the other app keeps it.",
    on=On(APPS, ("products",), ("Deleted", "Merged")),
)
CRM_POLICIES_STAY = Rule(
    "PRC-1",
    "Thêm hoặc sửa chính sách giá trên Kế toán tự động cập nhật CRM; thay đổi trên CRM không bao giờ đồng bộ sang Kế toán.",
    "Adding or editing a price policy in accounting updates CRM automatically. CRM-side changes never sync to accounting.",
    skipped_vi="Chính sách giá {code} thay đổi trên CRM; thay đổi trên CRM không đồng bộ sang Kế toán.",
    skipped_en="Price policy {code} changed in CRM; CRM-side changes do not sync to accounting.",
    on=On("crm", ("price-policies",), VERBS),
    target="accounting",
)

CATALOGS_BULK = Rule(
    "PRD-4",
    "Danh mục có sẵn trên Kế toán đến CRM bằng chuẩn hóa dữ liệu (áp dụng cho cả hàng hóa và nhóm hàng hóa); khi kết nối, đồng bộ hàng loạt cả hai chiều.",
    "Pre-existing accounting catalogs reach CRM by data normalisation (for products and groups too); at connection, bulk sync in both directions.",
    applied_vi="Khi kết nối, {kind} {code}: {how}.",
    applied_en="At connection, {kind} {code}: {how}.",
)

RULES = [GROUP_ALONG, GROUPS_BOTH_WAYS, PRODUCTS_BOTH_WAYS, PRODUCTS_GONE_STAY, CRM_POLICIES_STAY, CATALOGS_BULK]
