"""Customers and customer groups between accounting and CRM (SPEC sections 3 and 4)."""

from __future__ import annotations

from lienthong.kernel.i18n import term
from lienthong.sync.rules.base import Action, Note, Rule
from lienthong.sync.rules.people import OWNER_FROM_SALESPERSON

PARTY_FIELDS = ("code", "name", "tax_code", "address", "phone", "email")
GROUP_FIELDS = ("code", "name", "description")
GROUP_KEYS = ("group_id", "group_code", "group")


def crm_kind(ctx) -> str:
    return "contacts" if ctx.data.get("is_individual") else "customers"


def crm_name(ctx) -> str:
    return "contact" if crm_kind(ctx) == "contacts" else "customer"


def _values(ctx, fields: tuple[str, ...], only_changed: bool) -> dict:
    keys = [f for f in fields if not only_changed or f in (ctx.changed or {})]
    return {f: ctx.data.get(f) for f in keys}


def _group_ref(ctx, target: str, actions: list) -> dict:
    """The target's id of the customer's group, bringing the group along first (GROUP_ALONG)."""
    group = ctx.data.get("group")
    if not group:
        return {"group_id": None}
    linked = ctx.link(target, source=(ctx.source, "customer-groups", group["id"]))
    if linked:
        return {"group_id": linked[1]}
    pending = ctx.batch_ref(target, "customer-groups", group["id"])
    if pending:
        return {"group_id": {"$ref": pending}}
    source = (ctx.source, "customer-groups", group["id"])
    same_code = ctx.find(target, "find_customer_group", group["code"])
    if same_code and not ctx.linked_elsewhere(target, "customer-groups", same_code["id"]):
        actions.append(Note(GROUP_ALONG, "applied", target, "customer-groups", same_code["id"], same_code["code"], {"code": group["code"], "how": term("how.linked")}, link=True, link_source=source))
        return {"group_id": same_code["id"]}
    key = ctx.key(f"group:{group['id']}")
    ctx.remember_ref(target, "customer-groups", group["id"], key)
    actions.append(
        Action(GROUP_ALONG, target, "customer-groups", "create_customer_group", key, {"values": {f: group.get(f) for f in GROUP_FIELDS}}, {"code": group["code"], "how": term("how.created")}, link=True, link_source=source)
    )
    return {"group_id": {"$ref": key}}


def _owner(ctx) -> tuple[dict, list[Note]]:
    """OWNER_ON_CREATE through OWNER_FROM_SALESPERSON: the owner of a customer the sync creates."""
    salesperson = ctx.data.get("salesperson_code")
    if not salesperson:
        return {"owner_id": None}, [Note(OWNER_ON_CREATE, "applied", params={"owner": None, "salesperson": None})]
    user = ctx.find("crm", "user_for_employee", salesperson)
    if user is None or not user.get("active", True):
        return {"owner_id": None}, [Note(OWNER_FROM_SALESPERSON, "skipped", params={"salesperson": salesperson})]
    return {"owner_id": user["id"]}, [Note(OWNER_ON_CREATE, "applied", params={"owner": user["code"], "salesperson": salesperson})]


def _owner_kept(ctx, target: tuple[str, int] | None = None) -> list[Note]:
    if "salesperson_code" in (ctx.changed or {}):
        kind, target_id = target or (None, None)
        return [Note(OWNER_ONLY_FIRST, "skipped", "crm" if target else None, kind, target_id, params={"salesperson": ctx.data.get("salesperson_code")})]
    return []


def _individual(ctx) -> list[Note]:
    return [Note(INDIVIDUAL_AS_CONTACT, "applied")] if crm_kind(ctx) == "contacts" else []


def create_in_crm(ctx) -> list:
    actions: list = []
    values = _values(ctx, PARTY_FIELDS, only_changed=False)
    if crm_kind(ctx) == "customers":
        values.update(_group_ref(ctx, "crm", actions))
    owner, notes = _owner(ctx)
    values.update(owner)
    actions.append(Action(ctx.rule, "crm", crm_kind(ctx), f"create_{crm_name(ctx)}", ctx.key("create"), {"values": values}, link=True, notes=notes + _individual(ctx)))
    return actions


def update_in_crm(ctx, target_id: int, *, only_changed: bool, link: bool = False) -> list:
    actions: list = []
    values = _values(ctx, PARTY_FIELDS, only_changed)
    if crm_kind(ctx) == "customers" and (not only_changed or any(k in (ctx.changed or {}) for k in GROUP_KEYS)):
        values.update(_group_ref(ctx, "crm", actions))
    kind = ctx.link("crm")[0] if ctx.link("crm") and not link else crm_kind(ctx)  # relinking: the record found by code
    if only_changed and not values:  # nothing CRM keeps changed (e.g. only the salesperson)
        return actions + (_owner_kept(ctx, (kind, target_id)) or [Note(ctx.rule, "skipped", "crm", kind, target_id, reason="unchanged")])
    name = "contact" if kind == "contacts" else "customer"
    actions.append(
        Action(ctx.rule, "crm", kind, f"update_{name}", ctx.key("update"), {"target_id": target_id, "values": values}, link=link, notes=_owner_kept(ctx) + _individual(ctx))
    )
    return actions


def _same_code_in_crm(ctx):
    return ctx.find("crm", f"find_{crm_name(ctx)}", ctx.data["code"])


def _unlinked_same_code(ctx) -> dict | None:
    found = _same_code_in_crm(ctx)
    if found and not ctx.linked_elsewhere("crm", crm_kind(ctx), found["id"]):
        return found
    return None


def _takes_unlinked_code(ctx) -> bool:
    """LINK_BY_CODE's condition: the code (of an unlinked customer, or just changed) is an unlinked CRM customer's."""
    return (ctx.link("crm") is None or "code" in ctx.changed) and _unlinked_same_code(ctx) is not None


def link_by_code(ctx) -> list:
    """LINK_BY_CODE: link to the CRM customer with the same code and update it; a former
    counterpart is unlinked (a record keeps one link per app) and keeps its data."""
    former = ctx.link("crm")
    actions = update_in_crm(ctx, _unlinked_same_code(ctx)["id"], only_changed=False, link=True)
    if former:
        kept = ctx.get("crm", f"{'contact' if former[0] == 'contacts' else 'customer'}_by_id", former[1])
        actions[-1].reason = "relinked"
        actions[-1].params["former"] = kept["code"] if kept else former[1]
    return actions


ACC_CUSTOMERS = dict(source="accounting", target="crm", kinds=("customers",))

DELETE_NOT_SYNCED = Rule(
    "CUS-A6",
    "Xóa khách hàng trên Kế toán không xóa khách hàng trên CRM.",
    "Deleting a customer in accounting does not delete it in CRM.",
    skipped_vi="Khách hàng {code} bị xóa trên Kế toán; CRM giữ nguyên khách hàng này.",
    skipped_en="Customer {code} was deleted in accounting; CRM keeps it.",
    reasons={
        "unlinked": (
            "Khách hàng {code} bị xóa trên Kế toán; CRM giữ nguyên khách hàng tương ứng, liên kết giữa hai bản ghi đã được gỡ.",
            "Customer {code} was deleted in accounting; CRM keeps its counterpart, and the link between them was removed.",
        ),
    },
    verbs=("Deleted",),
    **ACC_CUSTOMERS,
)
DUPLICATE_CODE = Rule(
    "CUS-A2",
    "Nếu CRM đã có khách hàng cùng mã chưa liên kết, khách hàng thêm mới trên Kế toán không được đồng bộ.",
    "If CRM already has an unlinked customer with the same code, the new accounting customer is not synced.",
    skipped_vi="Không đồng bộ khách hàng {code}: CRM đã có khách hàng trùng mã.",
    skipped_en="Customer {code} was not synced: CRM already has a customer with that code.",
    verbs=("Created",),
    when=lambda ctx: not ctx.link("crm") and _same_code_in_crm(ctx) is not None,
    **ACC_CUSTOMERS,
)
UPDATE_LINKED = Rule(
    "CUS-A3",
    "Sửa khách hàng trên Kế toán (nhập tay hoặc nhập khẩu) cập nhật khách hàng đã liên kết trên CRM.",
    "Editing a customer in accounting (form or import) updates the linked CRM customer.",
    applied_vi="Đã cập nhật khách hàng {code} trên CRM.",
    applied_en="Customer {code} was updated in CRM.",
    reasons={
        "unchanged": (
            "Khách hàng {code}: không thông tin nào CRM lưu bị thay đổi, nên không cập nhật gì trên CRM.",
            "Customer {code}: nothing CRM keeps changed, so nothing was updated in CRM.",
        ),
        "gone": (
            "Khách hàng tương ứng của {code} trên CRM không còn nữa (đã bị xóa); liên kết đã được gỡ và thay đổi được xét lại như khách hàng chưa có trên CRM.",
            "The CRM counterpart of customer {code} no longer exists (it was deleted); the link was removed and the edit is decided again as one with no CRM counterpart.",
        ),
    },
    verbs=("Created", "Updated"),
    when=lambda ctx: ctx.link("crm") is not None,
    then=lambda ctx: update_in_crm(ctx, ctx.link("crm")[1], only_changed=ctx.verb == "Updated"),
    **ACC_CUSTOMERS,
)
CREATE_IN_CRM = Rule(
    "CUS-A1",
    "Thêm khách hàng trên Kế toán (nhập tay hoặc nhập khẩu) tự động tạo khách hàng trên CRM.",
    "Adding a customer in accounting (form or import) creates it in CRM.",
    applied_vi="Đã tạo khách hàng {code} trên CRM.",
    applied_en="Customer {code} was created in CRM.",
    verbs=("Created",),
    then=create_in_crm,
    **ACC_CUSTOMERS,
)
LINK_BY_CODE = Rule(
    "CUS-A5",
    "Sửa mã khách hàng trên Kế toán trùng mã một khách hàng chưa liên kết trên CRM thì liên kết hai bản ghi và cập nhật khách hàng CRM.",
    "Editing an accounting customer so that its code equals an unlinked CRM customer's code links the two and updates that CRM customer.",
    applied_vi="Đã liên kết khách hàng {code} với khách hàng cùng mã trên CRM và cập nhật nó.",
    applied_en="Customer {code} was linked to the CRM customer with the same code, which was updated.",
    reasons={
        "relinked": (
            "Đã liên kết khách hàng {code} với khách hàng {code} trên CRM và cập nhật nó; khách hàng {former} trên CRM, bản tương ứng trước đây, được gỡ liên kết và giữ nguyên dữ liệu.",
            "Customer {code} is now linked to CRM customer {code}, which was updated; CRM customer {former}, its former counterpart, was unlinked and keeps its data.",
        ),
    },
    verbs=("Updated",),
    when=_takes_unlinked_code,
    then=link_by_code,
    **ACC_CUSTOMERS,
)
CREATE_ON_EDIT = Rule(
    "CUS-A4",
    "Sửa khách hàng trên Kế toán chưa có trên CRM thì tạo khách hàng đó trên CRM.",
    "Editing an accounting customer that has no CRM counterpart creates it in CRM.",
    applied_vi="Khách hàng {code} chưa có trên CRM nên đã được tạo.",
    applied_en="Customer {code} had no CRM counterpart, so it was created.",
    skipped_vi="Không tạo khách hàng {code} trên CRM: CRM đã có khách hàng trùng mã đang liên kết với bản ghi khác.",
    skipped_en="Customer {code} was not created in CRM: a CRM customer with that code is linked to another record.",
    verbs=("Updated",),
    then=lambda ctx: [] if _same_code_in_crm(ctx) else create_in_crm(ctx),
    **ACC_CUSTOMERS,
)
INDIVIDUAL_AS_CONTACT = Rule(
    "CUS-A7",
    "Khách hàng cá nhân trên Kế toán được đồng bộ thành Liên hệ trên CRM, theo cùng quy tắc thêm/sửa/xóa.",
    "An accounting customer marked as an individual syncs to a CRM contact, by the same add/edit/delete rules.",
    applied_vi="Khách hàng {code} là khách hàng cá nhân nên được đồng bộ thành Liên hệ trên CRM.",
    applied_en="Customer {code} is an individual, so it syncs to a CRM contact.",
)
OWNER_ON_CREATE = Rule(
    "CUS-OWN-1",
    "Khi đồng bộ tạo khách hàng trên CRM, Chủ sở hữu lấy theo Nhân viên bán hàng trên Kế toán; để trống nhân viên bán hàng thì Chủ sở hữu trống.",
    "When the sync creates a customer in CRM, its owner comes from the accounting salesperson; a blank salesperson gives a blank owner.",
    applied_vi="Chủ sở hữu của {code} trên CRM: {owner} (nhân viên bán hàng: {salesperson}).",
    applied_en="Owner of {code} in CRM: {owner} (salesperson: {salesperson}).",
)
OWNER_ONLY_FIRST = Rule(
    "CUS-OWN-2",
    "Chủ sở hữu chỉ được đồng bộ ở lần tạo đầu tiên; đổi Nhân viên bán hàng trên Kế toán sau đó không đổi Chủ sở hữu trên CRM.",
    "The owner is synced only on first creation; later salesperson changes in accounting never change the CRM owner.",
    skipped_vi="Nhân viên bán hàng của {code} đổi thành {salesperson} nhưng Chủ sở hữu trên CRM giữ nguyên: chủ sở hữu chỉ được đồng bộ ở lần đầu vì nó quyết định quy tắc chia sẻ trên CRM. Dùng Bàn giao công việc trên CRM để đổi.",
    skipped_en="The salesperson of {code} changed to {salesperson} but the CRM owner stays: the owner is only set on the first sync because it drives CRM sharing. Use handover in CRM to change it.",
)

CRM_CUSTOMERS = dict(source="crm", target="accounting", kinds=("customers", "contacts"))


def update_in_accounting(ctx) -> list:
    actions: list = []
    values = _values(ctx, PARTY_FIELDS, only_changed=True)
    if ctx.kind == "customers" and any(k in (ctx.changed or {}) for k in GROUP_KEYS):
        values.update(_group_ref(ctx, "accounting", actions))
    if not values:
        return [Note(ctx.rule, "skipped", "accounting", "customers", ctx.link("accounting")[1], reason="unchanged")]
    actions.append(Action(ctx.rule, "accounting", "customers", "update_customer", ctx.key("update"), {"target_id": ctx.link("accounting")[1], "values": values}))
    return actions


CRM_ADD_STAYS = Rule(
    "CUS-C1",
    "Thêm hoặc nhập khẩu khách hàng trên CRM không tạo khách hàng trên Kế toán (khách hàng chưa mua hàng).",
    "Adding or importing a customer in CRM does not create it in accounting (it has not bought anything yet).",
    skipped_vi="Khách hàng {code} mới thêm trên CRM chưa được đưa sang Kế toán: chỉ đồng bộ khi khách hàng phát sinh chứng từ.",
    skipped_en="Customer {code} added in CRM is not sent to accounting until it appears on a document.",
    verbs=("Created",),
    **CRM_CUSTOMERS,
)
CRM_EDIT_LINKED = Rule(
    "CUS-C3",
    "Sửa khách hàng trên CRM đã liên kết thì cập nhật khách hàng trên Kế toán; chưa liên kết thì không làm gì.",
    "Editing a linked CRM customer updates the accounting customer; editing an unlinked one does nothing.",
    applied_vi="Đã cập nhật khách hàng {code} trên Kế toán.",
    applied_en="Customer {code} was updated in accounting.",
    skipped_vi="Khách hàng {code} trên CRM chưa liên kết với Kế toán nên không cập nhật gì.",
    skipped_en="CRM customer {code} is not linked to accounting, so nothing was updated.",
    reasons={
        "unchanged": (
            "Khách hàng {code} trên CRM đã liên kết với Kế toán nhưng không thông tin nào Kế toán lưu bị thay đổi, nên không cập nhật gì.",
            "CRM customer {code} is linked to accounting, but nothing accounting keeps changed, so nothing was updated.",
        ),
        "gone": (
            "Khách hàng Kế toán liên kết với khách hàng {code} trên CRM không còn nữa (đã bị xóa); liên kết đã được gỡ, không có gì để cập nhật.",
            "The accounting customer linked to CRM customer {code} no longer exists (it was deleted); the link was removed and there is nothing to update.",
        ),
    },
    verbs=("Updated",),
    when=lambda ctx: ctx.link("accounting") is not None,
    then=update_in_accounting,
    **CRM_CUSTOMERS,
)
CRM_DELETE_STAYS = Rule(
    "CUS-C4",
    "Xóa khách hàng trên CRM không xóa khách hàng trên Kế toán.",
    "Deleting a customer in CRM does not delete it in accounting.",
    skipped_vi="Khách hàng {code} bị xóa trên CRM; Kế toán giữ nguyên khách hàng này.",
    skipped_en="Customer {code} was deleted in CRM; accounting keeps it.",
    reasons={
        "unlinked": (
            "Khách hàng {code} bị xóa trên CRM; Kế toán giữ nguyên khách hàng tương ứng, liên kết giữa hai bản ghi đã được gỡ.",
            "Customer {code} was deleted in CRM; accounting keeps its counterpart, and the link between them was removed.",
        ),
    },
    verbs=("Deleted",),
    **CRM_CUSTOMERS,
)

GROUPS_ALONE = Rule(
    "CGR-1",
    "Thêm hoặc sửa nhóm khách hàng ở một ứng dụng không tự đồng bộ.",
    "Adding or editing a customer group in either app does not sync by itself.",
    skipped_vi="Nhóm khách hàng {code} không tự đồng bộ; nhóm sẽ đi kèm khi một khách hàng của nhóm được đồng bộ.",
    skipped_en="Customer group {code} does not sync by itself; it goes along when one of its customers syncs.",
    source=("accounting", "crm"),
    kinds=("customer-groups",),
    verbs=("Created", "Updated", "Deleted"),
)
GROUP_ALONG = Rule(
    "CGR-2",
    "Khi khách hàng được đồng bộ mà nhóm của nó chưa có ở ứng dụng kia, nhóm được đồng bộ trước (cả hai chiều).",
    "When a customer is synced and its group is not on the other side yet, the group is synced first, in both directions.",
    applied_vi="Nhóm khách hàng {code} được đồng bộ kèm khách hàng ({how}).",
    applied_en="Customer group {code} went along with the customer ({how}).",
)
GROUPS_BULK = Rule(
    "CGR-3",
    "Khi kết nối, nhóm khách hàng được đồng bộ hàng loạt; có thể đồng bộ thủ công danh mục nhóm.",
    "At connection, customer groups sync in bulk; the group catalog can be synced by hand.",
    applied_vi="Nhóm khách hàng {code}: {how}.",
    applied_en="Customer group {code}: {how}.",
)

RULES = [
    DELETE_NOT_SYNCED,
    DUPLICATE_CODE,
    LINK_BY_CODE,  # before UPDATE_LINKED: a linked customer taking an unlinked CRM code is relinked
    UPDATE_LINKED,
    CREATE_IN_CRM,
    CREATE_ON_EDIT,
    INDIVIDUAL_AS_CONTACT,
    OWNER_ON_CREATE,
    OWNER_ONLY_FIRST,
    CRM_ADD_STAYS,
    CRM_EDIT_LINKED,
    CRM_DELETE_STAYS,
    GROUPS_ALONE,
    GROUP_ALONG,
    GROUPS_BULK,
]
