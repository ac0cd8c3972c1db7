"""The accountant's screens: customers (list, add, edit, delete) and their Excel import;
products and product groups (:mod:`lienthong.kernel.product_pages`); price policies."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from lienthong.accounting import customer_import, customers, price_policies, product_import, products
from lienthong.accounting.employees import EMPLOYEES
from lienthong.accounting.schemas import CustomerCreate, CustomerUpdate, PricePolicyCreate, PricePolicyUpdate
from lienthong.kernel.excel_screens import ImportScreen
from lienthong.kernel.i18n import MESSAGES
from lienthong.kernel.pages import NavItem, Ui, UiDep
from lienthong.kernel.policy_pages import PLACED, policy_form, policy_input, read_policy_form
from lienthong.kernel.product_pages import install_product_screens
from lienthong.kernel.screens import RecordScreens
from lienthong.kernel.unit_of_work import UnitOfWork

TEMPLATES = Path(__file__).parent / "templates"
NAV = [NavItem("/ui/accounting/customers", "ui.accounting.nav.customers")]
PICKS = 8  # people a picker shows
GROUP_CHOICES = 500  # product groups a price policy form offers

UI_MESSAGES: dict[str, tuple[str, str]] = {
    "ui.accounting.nav.customers": ("Khách hàng (Kế toán)", "Customers (accounting)"),
    "ui.accounting.customers.title": ("Khách hàng trên Kế toán", "Accounting customers"),
    "ui.accounting.customers.add": ("Thêm khách hàng", "Add customer"),
    "ui.accounting.customers.search_hint": ("Mã, tên, mã số thuế, điện thoại, email", "Code, name, tax code, phone, email"),
    "ui.accounting.customers.empty": ("Không có khách hàng nào.", "No customers."),
    "ui.accounting.import.title": ("Nhập khẩu khách hàng từ Excel", "Import customers from Excel"),
    "ui.accounting.field.code": ("Mã khách hàng", "Customer code"),
    "ui.accounting.field.name": ("Tên khách hàng", "Customer name"),
    "ui.accounting.field.tax_code": ("Mã số thuế", "Tax code"),
    "ui.accounting.field.address": ("Địa chỉ", "Address"),
    "ui.accounting.field.phone": ("Điện thoại", "Phone"),
    "ui.accounting.field.email": ("Email", "Email"),
    "ui.accounting.field.group_code": ("Nhóm khách hàng", "Customer group"),
    "ui.accounting.field.salesperson_code": ("Nhân viên bán hàng", "Salesperson"),
    "ui.accounting.field.is_individual": ("Khách hàng cá nhân", "Individual customer"),
}
MESSAGES.update(UI_MESSAGES)

router = APIRouter(include_in_schema=False)


def _values(row) -> dict:
    return {**customers.customer_data(row), "salesperson_code_search": row.salesperson.name if row.salesperson else ""}


CUSTOMERS = RecordScreens(
    app="accounting",
    kind="customers",
    path="/ui/accounting/customers",
    templates="accounting/customers",
    fields=("code", "name", "tax_code", "address", "phone", "email", "group_code", "salesperson_code"),
    checks=("is_individual",),
    create_schema=CustomerCreate,
    update_schema=CustomerUpdate,
    create=customers.create_customer,
    update=customers.update_customer,
    delete=customers.delete_customer,
    get=customers.get_customer,
    number=customers.number_customers,
    id_name="customer_id",
    excel=[{"key": "ui.action.import", "path": "/import", "css": "import"}],
    values=_values,
)

# -- the Excel import, with its progress line and report ------------------------------------
# (installed before the record routes, so /import is not read as a record id)

CUSTOMER_IMPORT = ImportScreen(CUSTOMERS, customer_import.import_customers, customer_import.COLUMNS, "ui.accounting.import.title")


# -- the salesperson picker -------------------------------------------------------------------


@router.get("/ui/accounting/people", response_class=HTMLResponse)
def people(ui: UiDep, request: Request, field: str = "salesperson_code"):
    """Employees whose name (or code) holds the typed text: the salesperson picker's list."""
    if ui.principal is None:
        return ui.sign_in()
    q = request.query_params.get(f"{field}_search", "").strip()
    with UnitOfWork(ui.db("accounting")) as uow:
        rows, _ = EMPLOYEES.list(uow, ui.principal.tenant_id, q=q or None, limit=PICKS)
        found = [{"code": r.code, "name": r.name, "hint": r.title} for r in rows]
    return ui.render("_picker.html", people=found, clearable=True)


CUSTOMER_IMPORT.install(router)
CUSTOMERS.install(router)
PRODUCTS = install_product_screens(router, "accounting", products.USE_CASES, product_import.import_products)


def _groups(ui: Ui) -> dict:
    """The product groups a policy may apply to (the form's tick boxes)."""
    with UnitOfWork(ui.db("accounting")) as uow:
        rows, _ = products.list_groups(uow=uow, principal=ui.principal, limit=GROUP_CHOICES)
        return {"groups": [{"code": g.code, "name": g.name} for g in rows]}


POLICIES = RecordScreens(
    app="accounting",
    kind="price-policies",
    path="/ui/accounting/price-policies",
    templates="catalog/policies",
    fields=("code", "name", "valid_from", "valid_to"),
    checks=("active",),
    create_schema=PricePolicyCreate,
    update_schema=PricePolicyUpdate,
    create=price_policies.create_policy,
    update=price_policies.update_policy,
    delete=price_policies.delete_policy,
    get=price_policies.get_policy,
    number=price_policies.number_policies,
    id_name="policy_id",
    values=lambda row: {**policy_form(row), "product_group_codes": row.product_group_codes},
    initial={"active": True},
    read_form=read_policy_form,
    prepare=policy_input,
    context=_groups,
    placed=PLACED,
)
POLICIES.install(router)
NAV += [*PRODUCTS.nav, NavItem(POLICIES.path, "ui.policies.nav.accounting")]
