"""The sales staff's screens in CRM: customers (list with the "owner is empty" filter, add,
edit, delete), owners picked by name."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from lienthong.crm import customers, owner_pages, price_policies, product_import, products
from lienthong.crm.schemas import CustomerCreate, CustomerUpdate, PricePolicyCreate, PricePolicyUpdate
from lienthong.crm.users import USERS
from lienthong.kernel.auth import USER_READERS, require_role
from lienthong.kernel.i18n import MESSAGES
from lienthong.kernel.pages import NavItem, UiDep
from lienthong.kernel.policy_pages import PLACED, policy_form, policy_input, read_policy_form
from lienthong.kernel.problems import Problem
from lienthong.kernel.product_pages import install_product_screens
from lienthong.kernel.screens import RecordScreens
from lienthong.kernel.unit_of_work import UnitOfWork

TEMPLATES = Path(__file__).parent / "templates"
NAV = [NavItem("/ui/crm/customers", "ui.crm.nav.customers")]
PICKS = 8  # people a picker shows

UI_MESSAGES: dict[str, tuple[str, str]] = {
    "ui.crm.nav.customers": ("Khách hàng (CRM)", "Customers (CRM)"),
    "ui.crm.customers.title": ("Khách hàng trên CRM", "CRM customers"),
    "ui.crm.customers.add": ("Thêm khách hàng", "Add customer"),
    "ui.crm.customers.search_hint": ("Mã, tên, mã số thuế, điện thoại, email", "Code, name, tax code, phone, email"),
    "ui.crm.customers.empty": ("Không có khách hàng nào.", "No customers."),
    "ui.crm.filter.owner_empty": ("Chưa có chủ sở hữu", "Owner is empty"),
    "ui.crm.field.code": ("Mã khách hàng", "Customer code"),
    "ui.crm.field.name": ("Tên khách hàng", "Customer name"),
    "ui.crm.field.tax_code": ("Mã số thuế", "Tax code"),
    "ui.crm.field.address": ("Địa chỉ", "Address"),
    "ui.crm.field.phone": ("Điện thoại", "Phone"),
    "ui.crm.field.email": ("Email", "Email"),
    "ui.crm.field.group_code": ("Nhóm khách hàng", "Customer group"),
    "ui.crm.field.owner_code": ("Chủ sở hữu", "Owner"),
    "ui.crm.owner_hint": ("Để trống: bạn là chủ sở hữu", "Left empty: you are the owner"),
    # the owner tools on the list (owner_pages)
    "ui.crm.handover.action": ("Bàn giao công việc", "Hand over work"),
    "ui.crm.handover.title": ("Bàn giao công việc", "Hand over work"),
    "ui.crm.handover.ticked": ("Khách hàng được bàn giao", "Customers to hand over"),
    "ui.crm.handover.assignee": ("Người nhận bàn giao", "Assignee"),
    "ui.crm.handover.kinds": ("Bàn giao", "Hand over"),
    "ui.crm.handover.kind.customers": ("Khách hàng", "Customers"),
    "ui.crm.handover.kind.contacts": ("Liên hệ của khách hàng", "Their contacts"),
    "ui.crm.handover.confirm": ("Xác nhận bàn giao", "Confirm the handover"),
    "ui.crm.handover.done": ("Đã bàn giao: {customers} khách hàng, {contacts} liên hệ.", "Handed over: {customers} customers, {contacts} contacts."),
    "ui.crm.handover.changed_customers": ("Khách hàng đã đổi chủ sở hữu", "Customers with a new owner"),
    "ui.crm.handover.changed_contacts": ("Liên hệ đã đổi chủ sở hữu", "Contacts with a new owner"),
    "ui.crm.export.action": ("Xuất khẩu", "Export"),
    "ui.crm.export.filtered": ("Xuất khẩu danh sách này", "Export this list"),
    "ui.crm.import.title": ("Nhập khẩu khách hàng từ Excel", "Import customers from Excel"),
    "ui.crm.import.owner_from": ("Chủ sở hữu", "Owner"),
    "ui.crm.import.owner_from.file": ("Lấy từ cột Chủ sở hữu của tệp", "From the file's Owner column"),
    "ui.crm.import.owner_from.user": ("Một người cho mọi dòng", "One user for every row"),
    "ui.crm.merge.action": ("Gộp", "Merge"),
    "ui.crm.merge.title": ("Gộp khách hàng", "Merge customers"),
    "ui.crm.merge.count": ("Hãy chọn 2 hoặc 3 khách hàng để gộp (đang chọn {n}).", "Tick 2 or 3 customers to merge ({n} ticked)."),
    "ui.crm.merge.survivor": ("Khách hàng được giữ lại", "Customer kept"),
    "ui.crm.merge.values": ("Giá trị được giữ lại", "Values kept"),
    "ui.crm.merge.survivors_value": ("Của khách hàng được giữ lại", "The kept customer's"),
    "ui.crm.merge.blank": ("(trống)", "(blank)"),
    "ui.crm.merge.confirm": ("Xác nhận gộp", "Confirm the merge"),
}
MESSAGES.update(UI_MESSAGES)

router = APIRouter(include_in_schema=False)


def _values(row) -> dict:
    return {**customers.customer_data(row), "owner_code_search": row.owner.name if row.owner else ""}


CUSTOMERS = RecordScreens(
    app="crm",
    kind="customers",
    path="/ui/crm/customers",
    templates="crm/customers",
    fields=("code", "name", "tax_code", "address", "phone", "email", "group_code", "owner_code"),
    create_schema=CustomerCreate,
    update_schema=CustomerUpdate,
    create=customers.create_customer,
    update=customers.update_customer,
    delete=customers.delete_customer,
    get=customers.get_customer,
    number=customers.number_customers,
    id_name="customer_id",
    filters=("owner_empty",),
    bulk=owner_pages.BULK,  # handover, export, merge (besides delete)
    excel=owner_pages.EXCEL,
    values=_values,
)


@router.get("/ui/crm/people", response_class=HTMLResponse)
def people(ui: UiDep, request: Request, field: str = "owner_code"):
    """CRM users whose name (or code) holds the typed text: the owner picker's list."""
    if ui.principal is None:
        return ui.sign_in()
    q = request.query_params.get(f"{field}_search", "").strip()
    found = []
    try:
        require_role(ui.principal, *USER_READERS, reason="forbidden.users")
        with UnitOfWork(ui.db("crm")) as uow:
            rows, _ = USERS.list(uow, ui.principal.tenant_id, q=q or None, limit=PICKS, filters={"active": True})
            found = [{"code": r.code, "name": r.name, "hint": ui._(f"ui.role.{r.role}")} for r in rows]
    except Problem:
        found = []  # who may not list users picks nobody; the owner stays the default (the creator)
    return ui.render("_picker.html", people=found, clearable=True)


owner_pages.install(router, CUSTOMERS)  # before the record routes: /handover is no id
CUSTOMERS.install(router)
PRODUCTS = install_product_screens(router, "crm", products.USE_CASES, product_import.import_products)


def _policy_values(row) -> dict:
    group = row.product_group
    return {**policy_form(row), "product_group_code": group.code if group else "", "product_group_code_search": group.name if group else ""}


# CRM's own price policies are edited here; a part of an accounting policy is edited in accounting only.
POLICIES = RecordScreens(
    app="crm",
    kind="price-policies",
    path="/ui/crm/price-policies",
    templates="catalog/policies",
    fields=("code", "name", "valid_from", "valid_to", "product_group_code"),
    checks=("active",),
    create_schema=PricePolicyCreate,
    update_schema=PricePolicyUpdate,
    create=price_policies.create_policy,
    update=price_policies.update_policy,
    delete=price_policies.delete_policy,
    get=price_policies.get_policy,
    number=price_policies.number_policies,
    id_name="policy_id",
    values=_policy_values,
    initial={"active": True},
    read_form=read_policy_form,
    prepare=policy_input,
    placed=PLACED,
    edit_guard=price_policies.check_editable,
)
POLICIES.install(router)
NAV += [*PRODUCTS.nav, NavItem(POLICIES.path, "ui.policies.nav.crm")]
