"""The accountant's screens: customers (list, add, edit, delete) and their Excel import."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse

from lienthong.kernel.importing import MODES
from lienthong.accounting import customer_import, customers
from lienthong.accounting.employees import EMPLOYEES
from lienthong.accounting.schemas import CustomerCreate, CustomerUpdate
from lienthong.kernel.i18n import MESSAGES
from lienthong.kernel.jobs import jobs_of
from lienthong.kernel.pages import NavItem, UiDep, shown
from lienthong.kernel.problems import Problem
from lienthong.kernel.screens import RecordScreens
from lienthong.kernel.unit_of_work import UnitOfWork

TEMPLATES = Path(__file__).parent / "templates"
NAV = [NavItem("/ui/accounting/customers", "ui.accounting.nav.customers")]
PICKS = 8  # people a picker shows
ROW_FIELD = re.compile(r"rows\[(\d+)\]\.(\w+)")  # an import error's field: rows[<excel row>].<field>

UI_MESSAGES: dict[str, tuple[str, str]] = {
    "ui.accounting.nav.customers": ("Khách hàng (Kế toán)", "Customers (accounting)"),
    "ui.accounting.customers.title": ("Khách hàng trên Kế toán", "Accounting customers"),
    "ui.accounting.customers.add": ("Thêm khách hàng", "Add customer"),
    "ui.accounting.customers.search_hint": ("Mã, tên, mã số thuế, điện thoại, email", "Code, name, tax code, phone, email"),
    "ui.accounting.customers.empty": ("Không có khách hàng nào.", "No customers."),
    "ui.accounting.import.title": ("Nhập khẩu khách hàng từ Excel", "Import customers from Excel"),
    "ui.accounting.import.file": ("Tệp Excel (.xlsx)", "Excel file (.xlsx)"),
    "ui.accounting.import.mode": ("Kiểu nhập khẩu", "Import mode"),
    "ui.accounting.import.mode.insert": ("Thêm mới", "Insert new"),
    "ui.accounting.import.mode.update": ("Cập nhật", "Update"),
    "ui.accounting.import.mode.upsert": ("Cả hai", "Both"),
    "ui.accounting.import.start": ("Nhập khẩu", "Import"),
    "ui.accounting.import.no_file": ("Hãy chọn một tệp Excel.", "Please choose an Excel file."),
    "ui.accounting.import.phase.check": ("Đang kiểm tra các dòng", "Checking the rows"),
    "ui.accounting.import.phase.write": ("Đang ghi", "Writing"),
    "ui.accounting.import.done": ("Đã nhập khẩu xong.", "The import is done."),
    "ui.accounting.import.failed": ("Không nhập khẩu được.", "The import failed."),
    "ui.accounting.import.created": ("Tạo mới", "Created"),
    "ui.accounting.import.updated": ("Cập nhật", "Updated"),
    "ui.accounting.import.unchanged": ("Không đổi", "Unchanged"),
    "ui.accounting.import.row": ("Dòng", "Row"),
    "ui.accounting.import.column": ("Cột", "Column"),
    "ui.accounting.import.reason": ("Lý do", "Reason"),
    "ui.accounting.import.ignored": ("Cột không dùng đến: {columns}", "Columns not used: {columns}"),
    "ui.accounting.import.gone": ("Không còn thấy lần nhập khẩu này.", "This import is no longer known."),
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
# (declared before the record routes, so /import is not read as a record id)


@router.get("/ui/accounting/customers/import", response_class=HTMLResponse)
def import_page(ui: UiDep):
    """The import form: the file and the mode (Thêm mới, Cập nhật, Cả hai)."""
    if ui.principal is None:
        return ui.sign_in()
    return ui.render("accounting/import.html", s=CUSTOMERS, modes=MODES, mode="upsert", job=None, problem=None)


@router.post("/ui/accounting/customers/import", response_class=HTMLResponse)
async def start_import(ui: UiDep, file: Annotated[UploadFile | None, File()] = None, mode: Annotated[str, Form()] = "upsert"):
    """Start an import; the page then follows its progress line to the report."""
    if ui.principal is None:
        return ui.sign_in()
    if file is None or not file.filename:
        problem = Problem("ui.accounting.import.no_file")
        return ui.render("accounting/import.html", status_code=422, s=CUSTOMERS, modes=MODES, mode=mode, job=None, problem=shown(problem, ui.lang))
    data = await file.read()
    db, principal = ui.db("accounting"), ui.principal
    job = jobs_of(ui.request.app).start(principal, lambda progress: customer_import.import_customers(db=db, principal=principal, data=data, mode=mode, progress=progress))
    return ui.render("accounting/import.html", status_code=202, s=CUSTOMERS, modes=MODES, mode=mode, problem=None, **_job_context(job.view(), ui.lang))


@router.get("/ui/accounting/customers/import/{job_id}", response_class=HTMLResponse)
def import_progress(ui: UiDep, job_id: str):
    """The progress line of an import (htmx polls it), then its report."""
    if ui.principal is None:
        return ui.sign_in()
    job = jobs_of(ui.request.app).get(ui.principal, job_id)
    if job is None:
        return ui.render("_problem.html", status_code=404, problem=shown(Problem("ui.accounting.import.gone"), ui.lang))
    return ui.render("accounting/_import_job.html", **_job_context(job.view(), ui.lang))


def _job_context(job: dict, lang: str) -> dict:
    """What the progress line (or the report) shows of an import at this moment."""
    return {"job": job, "job_problem": shown(job["problem"], lang), "bad_rows": _bad_rows(job["problem"], lang)}


def _bad_rows(problem: Problem | None, lang: str) -> list[dict]:
    """An import's bad cells as the report shows them: row number, column title, reason."""
    out = []
    for err in problem.errors if problem else []:
        found = ROW_FIELD.fullmatch(err.field)
        row, name = (int(found[1]), found[2]) if found else (None, err.field)
        column = customer_import.COLUMNS.get(name, (name,))[0]
        out.append({"row": row, "column": column, "message": err.render(lang)["message"]})
    return out


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


CUSTOMERS.install(router)
