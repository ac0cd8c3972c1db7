"""The sales staff's screens in CRM: customers (list with the "owner is empty" filter, add,
edit, delete), owners picked by name."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from lienthong.crm import customers
from lienthong.crm.schemas import CustomerCreate, CustomerUpdate
from lienthong.crm.users import USERS
from lienthong.kernel.auth import USER_READERS, require_role
from lienthong.kernel.i18n import MESSAGES
from lienthong.kernel.pages import NavItem, UiDep
from lienthong.kernel.problems import Problem
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
    # The bulk-action bar's buttons besides "delete": handover, export and merge go here as
    # BulkAction(label key, path under /ui/crm/customers, css, confirm key), each posting the
    # ticked ``ids``; the Excel buttons go in ``excel`` ({key, path, css}).
    bulk=[],
    excel=[],
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


CUSTOMERS.install(router)
