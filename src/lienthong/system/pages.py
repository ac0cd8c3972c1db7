"""The administrator's screens in system: employees and users (list, add, edit, deactivate,
roles), people picked by name."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from lienthong.kernel.i18n import MESSAGES
from lienthong.kernel.pages import NavItem, UiDep, list_url
from lienthong.kernel.problems import Problem
from lienthong.kernel.screens import BulkAction, RecordScreens
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.system import employees, users
from lienthong.system.schemas import EmployeeCreate, EmployeeUpdate, UserCreate, UserUpdate

TEMPLATES = Path(__file__).parent / "templates"
NAV = [NavItem("/ui/system/employees", "ui.system.nav.employees", ("manager",)), NavItem("/ui/system/users", "ui.system.nav.users", ("manager",))]
PICKS = 8  # people a picker shows

UI_MESSAGES: dict[str, tuple[str, str]] = {
    "ui.system.nav.employees": ("Nhân viên", "Employees"),
    "ui.system.nav.users": ("Người dùng", "Users"),
    "ui.system.employees.title": ("Nhân viên", "Employees"),
    "ui.system.employees.add": ("Thêm nhân viên", "Add employee"),
    "ui.system.employees.search_hint": ("Mã, tên, email, điện thoại", "Code, name, e-mail, phone"),
    "ui.system.users.title": ("Người dùng", "Users"),
    "ui.system.users.add": ("Thêm người dùng", "Add user"),
    "ui.system.users.search_hint": ("Mã, tên, email", "Code, name, e-mail"),
    "ui.system.users.deactivate": ("Ngừng hoạt động", "Deactivate"),
    "ui.system.users.deactivate_ticked": ("Ngừng hoạt động các dòng đã chọn", "Deactivate the ticked rows"),
    "ui.system.users.confirm_deactivate": ("Người dùng này sẽ không đăng nhập được nữa. Tiếp tục?", "This user will no longer be able to sign in. Go on?"),
    "ui.system.users.reactivate": ("Cho hoạt động lại", "Reactivate"),
    "ui.system.users.deactivated": ("Đã ngừng hoạt động {n} người dùng.", "{n} users were deactivated."),
    "ui.system.users.state.active": ("Đang hoạt động", "Active"),
    "ui.system.users.state.inactive": ("Ngừng hoạt động", "Inactive"),
    "ui.system.field.code": ("Mã", "Code"),
    "ui.system.field.name": ("Họ và tên", "Full name"),
    "ui.system.field.email": ("Email", "E-mail"),
    "ui.system.field.phone": ("Điện thoại", "Phone"),
    "ui.system.field.title": ("Chức danh", "Job title"),
    "ui.system.field.role": ("Vai trò", "Role"),
    "ui.system.field.employee_code": ("Nhân viên", "Employee"),
    "ui.system.field.active": ("Đang hoạt động", "Active"),
}
MESSAGES.update(UI_MESSAGES)

router = APIRouter(include_in_schema=False)

EMPLOYEES = RecordScreens(
    app="system",
    kind="employees",
    path="/ui/system/employees",
    templates="system/employees",
    fields=("code", "name", "email", "phone", "title"),
    create_schema=EmployeeCreate,
    update_schema=EmployeeUpdate,
    create=employees.create_employee,
    update=employees.update_employee,
    delete=employees.delete_employee,
    get=employees.get_employee,
    number=employees.number_employees,
    id_name="employee_id",
    values=employees.employee_data,
)


def _user_values(row) -> dict:
    return {**users.user_data(row), "employee_code_search": row.employee.name if row.employee else ""}


USERS = RecordScreens(
    app="system",
    kind="users",
    path="/ui/system/users",
    templates="system/users",
    fields=("code", "name", "email", "role", "employee_code"),
    checks=("active",),
    create_schema=UserCreate,
    update_schema=UserUpdate,
    create=users.create_user,
    update=users.update_user,
    delete=users.delete_user,
    get=users.get_user,
    number=users.number_users,
    id_name="user_id",
    bulk=[BulkAction("ui.system.users.deactivate_ticked", "/deactivate", "deactivate", "ui.system.users.confirm_deactivate")],
    values=_user_values,
    initial={"role": "sales", "active": True},
    notices={"deactivated": ("ui.system.users.deactivated", "n")},
)


@router.post("/ui/system/users/deactivate", response_class=HTMLResponse)
async def deactivate(ui: UiDep, request: Request):
    """Deactivate the ticked users (they keep their records; their tokens stop working)."""
    if ui.principal is None:
        return ui.sign_in()
    ids = [int(v) for v in (await request.form()).getlist("ids") if str(v).isdigit()]
    if not ids:
        return USERS.list_view(ui, refused=Problem("ui.form.none_ticked"), status=422)
    done = 0
    for user_id in ids:
        try:
            with UnitOfWork(ui.db("system")) as uow:
                users.update_user(uow=uow, principal=ui.principal, user_id=user_id, data=UserUpdate(active=False))
            done += 1
        except Problem as problem:
            return USERS.list_view(ui, refused=problem, status=problem.status, notice=ui._("ui.system.users.deactivated", n=done) if done else "")
    return ui.redirect(list_url(USERS.path, deactivated=done))


@router.post("/ui/system/users/{user_id}/active", response_class=HTMLResponse)
async def set_active(ui: UiDep, request: Request, user_id: int):
    """Deactivate or reactivate one user (the record page's button)."""
    if ui.principal is None:
        return ui.sign_in()
    active = (await request.form()).get("active") == "true"
    try:
        with UnitOfWork(ui.db("system")) as uow:
            row = users.update_user(uow=uow, principal=ui.principal, user_id=user_id, data=UserUpdate(active=active))
            code = row.code
    except Problem as problem:
        return USERS.list_view(ui, refused=problem, status=problem.status)
    return ui.redirect(f"{USERS.path}/{user_id}?saved={code}")


@router.get("/ui/system/people", response_class=HTMLResponse)
def people(ui: UiDep, request: Request, field: str = "employee_code"):
    """Employees whose name (or code) holds the typed text: the employee picker's list."""
    if ui.principal is None:
        return ui.sign_in()
    q = request.query_params.get(f"{field}_search", "").strip()
    with UnitOfWork(ui.db("system")) as uow:
        rows, _ = employees.list_employees(uow=uow, principal=ui.principal, q=q or None, limit=PICKS)
        found = [{"code": r.code, "name": r.name, "hint": r.title} for r in rows]
    return ui.render("_picker.html", people=found, clearable=True)


EMPLOYEES.install(router)
USERS.install(router)
