"""Manual sync and pulling on demand ("Lấy về", "Chuẩn hóa dữ liệu"): a person asks the connector to
carry chosen records, or a whole kind, from one app to the other.

Two rules, each declared once, and their forms per kind and direction (same ID, same
reasons): the field map and ``into`` of each form are the live rules' own
(:mod:`.customers`, :mod:`.products`), so nothing is mapped twice. For one record, in
precedence: a record of the same code in the other app that no record is linked to is
linked and updated (a former counterpart is unlinked and keeps its data); a record
whose code another linked record of the other app has is skipped; otherwise the
counterpart is updated, or created when there is none. A customer's or product's
group comes along first, as in live sync.

Price policies go one way only, from accounting, by the live rule's one-to-many form
(:mod:`.price_policies`: its parts, part key, field map and ``keep_parts`` action): each
part is upserted, a part of a group removed since is marked inactive. The other way is
closed (:data:`CLOSED`), by the rule that keeps CRM's price policies in CRM.

The forms answer made-up verbs (``Pushed``, ``Pulled``) that no app's event has, so
live changes never reach them: :mod:`lienthong.sync.manual` feeds them.
"""

from __future__ import annotations

from dataclasses import replace

from lienthong.sync.rules.base import FieldMap, Into, On, Rule, because, code_taken, same_code_unlinked
from lienthong.sync.rules.customers import FROM_CRM, GROUP_MAP, INTO_ACCOUNTING, INTO_CRM, TO_CRM
from lienthong.sync.rules.price_policies import POLICY_PER_GROUP
from lienthong.sync.rules.products import CRM_POLICIES_STAY, GROUP_MAP as PRODUCT_GROUP_MAP, PRODUCT_MAP

PUSHED, PULLED = "Pushed", "Pulled"

# the field map and target kind of each kind, by the app it comes from
FORMS: dict[tuple[str, str], tuple[FieldMap, Into]] = {
    ("accounting", "customers"): (TO_CRM, INTO_CRM),
    ("crm", "customers"): (FROM_CRM, INTO_ACCOUNTING),
    ("accounting", "customer-groups"): (GROUP_MAP, Into("customer-groups")),
    ("crm", "customer-groups"): (GROUP_MAP, Into("customer-groups")),
    ("accounting", "product-groups"): (PRODUCT_GROUP_MAP, Into("product-groups")),
    ("crm", "product-groups"): (PRODUCT_GROUP_MAP, Into("product-groups")),
    ("accounting", "products"): (PRODUCT_MAP, Into("products")),
    ("crm", "products"): (PRODUCT_MAP, Into("products")),
}
# kinds kept by a live one-to-many rule: its form, with the manual verb instead of its events
PARTS: dict[tuple[str, str], Rule] = {(POLICY_PER_GROUP.source, "price-policies"): POLICY_PER_GROUP}
KINDS = ("customers", "customer-groups", "products", "product-groups", "price-policies")
# the ways a kind does not go by hand: {(from, kind): (the rule that closes it, its message)}
CLOSED: dict[tuple[str, str], tuple[Rule, str]] = {("crm", "price-policies"): (CRM_POLICIES_STAY, "sync.manual.crm_policies_stay")}


def sources(kind: str) -> tuple[str, ...]:
    """The apps a kind can be carried from by hand."""
    return tuple(app for app, k in (*FORMS, *PARTS) if k == kind)


# what the log says of one record (the same words for a push and a pull)
REASONS = {
    "updated": ("Đã cập nhật {kind} {code} trên {target}.", "The {kind} {code} was updated in {target}."),
    "unchanged": (
        "Không cập nhật {kind} {code}: {target} đã có đúng các thông tin này.",
        "Nothing to update for the {kind} {code}: {target} already had these values.",
    ),
    "linked": (
        "Đã liên kết {kind} {code} với bản ghi cùng mã chưa liên kết trên {target} và cập nhật bản ghi đó.",
        "The {kind} {code} was linked to the unlinked record of the same code in {target}, which was updated.",
    ),
    "relinked": (
        "Đã liên kết {kind} {code} với bản ghi cùng mã trên {target} và cập nhật bản ghi đó; {former}, bản tương ứng trước đây, được gỡ liên kết và giữ nguyên dữ liệu.",
        "The {kind} {code} was linked to the record of the same code in {target}, which was updated; {former}, its former counterpart, was unlinked and keeps its data.",
    ),
    "duplicate": (
        "Bỏ qua {kind} {code}: {target} đã có bản ghi mã {code} đang liên kết với bản ghi khác.",
        "The {kind} {code} was skipped: {target} has a record with the code {code} that is linked to another record.",
    ),
    "failed": (
        "Không đồng bộ được {kind} {code}: {target} từ chối — {error}",
        "The {kind} {code} could not be synced: {target} refused it — {error}",
    ),
    # a record kept in parts (a price policy: one part per product group), one outcome per part
    "part_created": (POLICY_PER_GROUP.applied_vi, POLICY_PER_GROUP.applied_en),
    "part_updated": POLICY_PER_GROUP.reasons["part_updated"],
    "part_unchanged": (
        "Không cập nhật chính sách giá {code} trên {target} cho nhóm hàng hóa {part}: đã có đúng các thông tin này.",
        "Nothing to update for price policy {code} in {target} for product group {part}: it already had these values.",
    ),
    "part_linked": (
        "Chính sách giá {code} cho nhóm hàng hóa {part} đã có trên {target} nhưng chưa liên kết: đã liên kết và cập nhật nó.",
        "Price policy {code} for product group {part} was already in {target}, unlinked: it was linked and updated.",
    ),
    "part_inactive": (
        "Chính sách giá {code} không còn áp dụng cho nhóm hàng hóa của {target_code} trên {target}: {target_code} được đánh dấu ngừng sử dụng, không bị xóa.",
        "Price policy {code} no longer applies to the product group of {target_code} in {target}: {target_code} was marked inactive, not deleted.",
    ),
    "part_inactive_unchanged": (
        "Chính sách giá {code} không còn áp dụng cho nhóm hàng hóa của {target_code} trên {target}; {target_code} đã ngừng sử dụng từ trước, không có gì cập nhật.",
        "Price policy {code} no longer applies to the product group of {target_code} in {target}; {target_code} was inactive already: nothing to update.",
    ),
    "part_failed": (
        "Không đồng bộ được chính sách giá {code} cho nhóm hàng hóa {part}: {target} từ chối — {error}",
        "Price policy {code} could not be synced for product group {part}: {target} refused it — {error}",
    ),
    "item_unlinked": POLICY_PER_GROUP.reasons["item_unlinked"],
}

MANUAL_SYNC = Rule(
    "CON-9",
    "Đồng bộ thủ công: với mọi loại dữ liệu, người dùng có thể đẩy hoặc lấy về một bản ghi, các bản ghi được chọn hoặc cả danh mục khi cần, và xem kết quả từng bản ghi.",
    "Manual sync: for every kind, a user can push or pull one record, a selection, or the whole catalog on demand, and see the outcome per record.",
    applied_vi="Đồng bộ thủ công: đã tạo {kind} {code} trên {target}.",
    applied_en="Manual sync: the {kind} {code} was created in {target}.",
    reasons=REASONS,
)
PULL = Rule(
    "CUS-C6",
    "Kế toán có thể lấy về các khách hàng CRM được chọn khi cần; CRM có thể lấy về các khách hàng Kế toán chưa từng được đồng bộ (Chuẩn hóa dữ liệu). Áp dụng cả cho hàng hóa và các nhóm.",
    "Accounting can pull chosen CRM customers on demand; CRM can pull accounting customers that were never synced (data normalisation). Products and groups too.",
    applied_vi="Lấy về: đã tạo {kind} {code} trên {target}.",
    applied_en="Pulled: the {kind} {code} was created in {target}.",
    reasons=REASONS,
)


def _forms(rule: Rule, verb: str) -> list[Rule]:
    """``rule`` for every kind and direction: link by code, else keep (update or create),
    skipping a code another linked record of the target has."""
    out = []
    for (app, kind), (fields, into) in FORMS.items():
        on = On(app, (kind,), (verb,))
        target = "crm" if app == "accounting" else "accounting"
        common = dict(on=on, target=target, fields=fields, into=into)
        out.append(replace(rule, when=(same_code_unlinked(),), action="link", **common))
        out.append(replace(rule, skip_when=(because(code_taken(), "duplicate"),), action="keep", **common))
    for live in PARTS.values():  # the live rule's parts and field map, answering the manual verb
        out.append(replace(
            rule, on=replace(live.on, verbs=(verb,)), target=live.target, action=live.action, cardinality=live.cardinality,
            parts=live.parts, part_key=live.part_key, part_args=live.part_args, fields=live.fields, into=live.into,
        ))
    return out


MANUAL_RULES: dict[str, list[Rule]] = {PUSHED: _forms(MANUAL_SYNC, PUSHED), PULLED: _forms(PULL, PULLED)}

RULES = [MANUAL_SYNC, PULL]
