"""Accounting price policies in CRM (SPEC section 6): one CRM price policy per product group.

An accounting policy applies to several product groups; CRM holds one part per group
(``source_policy_code``, ``product_group_code``, only that group's items), linked per
part (the part key is the accounting group's id, so a group's code may change). Each
add or edit of the policy upserts every part through CRM's part command; a group
removed from the policy marks its part inactive, never deleted (SPEC's decision).

Decision (deleting): the seeds sync only add and edit. A deleted accounting policy can no
longer be edited, and its CRM parts cannot be edited in CRM either, so parts
left active would keep prices nobody can change: deleting the policy marks every part
inactive, as removing its groups one by one would, and the log says so per part. The
parts stay in CRM; the links go with the deleted policy.
"""

from __future__ import annotations

from lienthong.sync.rules.base import FieldMap, Into, Nested, On, Rule, along
from lienthong.sync.rules.products import GROUP_FIELDS, GROUPS_BOTH_WAYS


def policy_parts(data: dict) -> list[dict]:
    """The policy's parts: one per product group, with that group's items only."""
    items = data.get("items") or []
    return [
        {"group_id": g["id"], "part_code": g["code"], "group": g, "items": [i for i in items if i.get("group_code") == g["code"]]}
        for g in data.get("groups") or []
    ]


POLICY_PER_GROUP = Rule(
    "PRC-2",
    "Chính sách giá áp dụng cho nhiều nhóm hàng hóa trên Kế toán trở thành một chính sách giá trên CRM cho mỗi nhóm.",
    "A price policy that applies to several product groups in accounting becomes one CRM price policy per group.",
    applied_vi="Đã tạo chính sách giá {code} trên {target} cho nhóm hàng hóa {part}.",
    applied_en="Price policy {code} was created in {target} for product group {part}.",
    reasons={
        "part_updated": (
            "Đã cập nhật chính sách giá {code} trên {target} cho nhóm hàng hóa {part}.",
            "Price policy {code} was updated in {target} for product group {part}.",
        ),
        "part_inactive": (
            "Chính sách giá {code} không còn áp dụng cho một nhóm hàng hóa (nhóm bị bỏ hoặc chính sách bị xóa trên Kế toán); chính sách tương ứng trên {target} được đánh dấu ngừng sử dụng, không bị xóa.",
            "Price policy {code} no longer applies to a product group (the group was removed or the policy deleted in accounting); its counterpart in {target} was marked inactive, not deleted.",
        ),
        "item_unlinked": (
            "Chính sách giá {code}: hàng hóa {item} chưa có trên {target} nên không có trong chính sách giá bên đó.",
            "Price policy {code}: product {item} is not in {target}, so it is left out of the policy there.",
        ),
    },
    on=On("accounting", ("price-policies",), ("Created", "Updated", "Deleted")),
    target="crm",
    action="keep_parts",
    cardinality="many",
    parts=policy_parts,
    part_key="group_id",
    part_args=("source_policy_code", "product_group_id"),
    into=Into("price-policies"),
    fields=FieldMap(
        copy=("name", "valid_from", "valid_to", "active"),
        rename={"code": "source_policy_code"},
        # a group not in CRM yet goes along first (groups are kept alike both ways, so it rarely is)
        along=(along("product-groups", field="product_group_id", source="group", fields=GROUP_FIELDS, query="find_product_group", rule=GROUPS_BOTH_WAYS, reason="along"),),
        nested=(Nested("items", "product_id", "products", "product_code", ("price", "discount_percent"), "item_unlinked"),),
    ),
)

RULES = [POLICY_PER_GROUP]
