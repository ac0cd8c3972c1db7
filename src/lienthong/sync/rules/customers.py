"""Customers and customer groups between accounting and CRM (SPEC sections 3 and 4)."""

from __future__ import annotations

from lienthong.sync.rules.base import (
    VERBS,
    FieldMap,
    Into,
    Lookup,
    On,
    Remark,
    Rule,
    along,
    any_of,
    changed,
    into_kind,
    linked,
    merged_away,
    not_linked,
    same_code,
    same_code_unlinked,
)
from lienthong.sync.rules.people import OWNER_FROM_SALESPERSON

PARTY_FIELDS = ("code", "name", "tax_code", "address", "phone", "email")
GROUP_FIELDS = ("code", "name", "description")
GROUP_KEYS = ("group_id", "group_code", "group")

# rules that explain part of another rule's decision
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
GROUP_ALONG = Rule(
    "CGR-2",
    "Khi khách hàng được đồng bộ mà nhóm của nó chưa có ở ứng dụng kia, nhóm được đồng bộ trước (cả hai chiều).",
    "When a customer is synced and its group is not on the other side yet, the group is synced first, in both directions.",
    applied_vi="Nhóm khách hàng {code} được đồng bộ kèm khách hàng ({how}).",
    applied_en="Customer group {code} went along with the customer ({how}).",
)

# a customer's group goes along: only to a customer, not to a contact
GROUP = along("customer-groups", field="group_id", source="group", fields=GROUP_FIELDS, query="find_customer_group", rule=GROUP_ALONG, changed=GROUP_KEYS, into=("customers",))
# the owner of a customer the sync creates in CRM, from its salesperson's user
OWNER = Lookup("owner_id", "user_for_employee", "salesperson_code", "id", found=OWNER_ON_CREATE, missing=OWNER_FROM_SALESPERSON, blank=OWNER_ON_CREATE, usable=lambda user: user.get("active", True))
TO_CRM = FieldMap(copy=PARTY_FIELDS, along=(GROUP,), lookups=(OWNER,))
FROM_CRM = FieldMap(copy=PARTY_FIELDS, along=(GROUP,))
CONTACT_TO_ACCOUNTING = FieldMap(copy=PARTY_FIELDS, constants={"is_individual": True})
GROUP_MAP = FieldMap(copy=GROUP_FIELDS)
INTO_CRM = Into("customers", flag="is_individual", when_true="contacts")  # an individual becomes a contact
INTO_ACCOUNTING = Into("customers")

AS_CONTACT = Remark(INDIVIDUAL_AS_CONTACT, "applied", into_kind("contacts"))
OWNER_KEPT = Remark(OWNER_ONLY_FIRST, "skipped", changed("salesperson_code"), {"salesperson": "salesperson_code"})


def accounting_customer(*verbs: str) -> On:
    return On("accounting", ("customers",), verbs)


def crm_party(*verbs: str) -> On:
    return On("crm", ("customers", "contacts"), verbs)


TO_CRM_RULE = dict(target="crm", fields=TO_CRM, into=INTO_CRM)

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
    on=accounting_customer("Deleted"),
    target="crm",
)
DUPLICATE_CODE = Rule(
    "CUS-A2",
    "Nếu CRM đã có khách hàng cùng mã chưa liên kết, khách hàng thêm mới trên Kế toán không được đồng bộ.",
    "If CRM already has an unlinked customer with the same code, the new accounting customer is not synced.",
    skipped_vi="Không đồng bộ khách hàng {code}: CRM đã có khách hàng trùng mã.",
    skipped_en="Customer {code} was not synced: CRM already has a customer with that code.",
    on=accounting_customer("Created"),
    when=(not_linked(), same_code()),
    **TO_CRM_RULE,
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
    on=accounting_customer("Updated"),
    when=(any_of(not_linked(), changed("code")), same_code_unlinked()),
    action="link",
    remarks=(OWNER_KEPT, AS_CONTACT),
    **TO_CRM_RULE,
)
MERGED_AWAY = Rule(
    "CUS-C5",
    "Gộp 2–3 khách hàng trên CRM: chọn bản ghi giữ lại và giá trị giữ lại của từng trường; liên hệ chuyển sang bản ghi giữ lại; bản ghi giữ lại cập nhật Kế toán nếu đã liên kết. Bản ghi bị gộp không bị xóa trên Kế toán; bản tương ứng của chúng vẫn trỏ tới bản ghi giữ lại để chứng từ sau này vẫn tìm được, nhưng sửa đổi của chúng không còn chuyển sang CRM.",
    "Merge 2-3 CRM customers: pick the survivor and, field by field, the surviving value; contacts move to the survivor; the survivor updates accounting if linked. Merged-away records are not deleted in accounting; their counterparts keep pointing at the survivor so later documents still resolve, but their edits no longer reach CRM.",
    skipped_vi="Khách hàng {code}: bản tương ứng trên CRM đã được gộp vào một khách hàng khác, nên sửa đổi này không được chuyển sang CRM (khách hàng được giữ lại chỉ nhận dữ liệu từ bản tương ứng của chính nó).",
    skipped_en="Customer {code}: its CRM counterpart was merged into another customer, so this edit is not carried to CRM (the surviving customer takes data only from its own counterpart).",
    on=accounting_customer("Updated"),
    when=(merged_away(),),
    after=(LINK_BY_CODE,),  # taking the code of an unlinked CRM customer still links the two
    **TO_CRM_RULE,
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
    on=accounting_customer("Created", "Updated"),
    when=(linked(),),
    action="update",
    only_changed=True,
    remarks=(OWNER_KEPT, AS_CONTACT),
    after=(DUPLICATE_CODE, LINK_BY_CODE, MERGED_AWAY),  # a linked customer taking an unlinked CRM code is relinked
    **TO_CRM_RULE,
)
CREATE_IN_CRM = Rule(
    "CUS-A1",
    "Thêm khách hàng trên Kế toán (nhập tay hoặc nhập khẩu) tự động tạo khách hàng trên CRM.",
    "Adding a customer in accounting (form or import) creates it in CRM.",
    applied_vi="Đã tạo khách hàng {code} trên CRM.",
    applied_en="Customer {code} was created in CRM.",
    on=accounting_customer("Created"),
    action="create",
    remarks=(AS_CONTACT,),
    after=(DUPLICATE_CODE, UPDATE_LINKED),
    **TO_CRM_RULE,
)
CREATE_ON_EDIT = Rule(
    "CUS-A4",
    "Sửa khách hàng trên Kế toán chưa có trên CRM thì tạo khách hàng đó trên CRM.",
    "Editing an accounting customer that has no CRM counterpart creates it in CRM.",
    applied_vi="Khách hàng {code} chưa có trên CRM nên đã được tạo.",
    applied_en="Customer {code} had no CRM counterpart, so it was created.",
    skipped_vi="Không tạo khách hàng {code} trên CRM: CRM đã có khách hàng trùng mã đang liên kết với bản ghi khác.",
    skipped_en="Customer {code} was not created in CRM: a CRM customer with that code is linked to another record.",
    on=accounting_customer("Updated"),
    skip_when=(same_code(),),
    action="create",
    remarks=(AS_CONTACT,),
    after=(LINK_BY_CODE, UPDATE_LINKED, MERGED_AWAY),
    **TO_CRM_RULE,
)

CRM_TO_ACCOUNTING = dict(target="accounting", fields=FROM_CRM, into=INTO_ACCOUNTING)


CRM_ADD_STAYS = Rule(
    "CUS-C1",
    "Thêm hoặc nhập khẩu khách hàng trên CRM không tạo khách hàng trên Kế toán (khách hàng chưa mua hàng).",
    "Adding or importing a customer in CRM does not create it in accounting (it has not bought anything yet).",
    skipped_vi="Khách hàng {code} mới thêm trên CRM chưa được đưa sang Kế toán: chỉ đồng bộ khi khách hàng phát sinh chứng từ.",
    skipped_en="Customer {code} added in CRM is not sent to accounting until it appears on a document.",
    on=crm_party("Created"),
    **CRM_TO_ACCOUNTING,
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
    on=crm_party("Updated"),
    skip_when=(not_linked(),),
    action="update",
    only_changed=True,
    **CRM_TO_ACCOUNTING,
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
    on=crm_party("Deleted"),
    **CRM_TO_ACCOUNTING,
)

GROUPS_ALONE = Rule(
    "CGR-1",
    "Thêm hoặc sửa nhóm khách hàng ở một ứng dụng không tự đồng bộ.",
    "Adding or editing a customer group in either app does not sync by itself.",
    skipped_vi="Nhóm khách hàng {code} không tự đồng bộ; nhóm sẽ đi kèm khi một khách hàng của nhóm được đồng bộ.",
    skipped_en="Customer group {code} does not sync by itself; it goes along when one of its customers syncs.",
    on=On(("accounting", "crm"), ("customer-groups",), VERBS),
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
    LINK_BY_CODE,
    MERGED_AWAY,
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
