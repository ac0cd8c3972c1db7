"""Use cases of employees (Nhân viên): the system app owns them; the connector copies them to accounting."""

from __future__ import annotations

from sqlalchemy import select, update

from lienthong.kernel.auth import Principal, require_role
from lienthong.kernel.outbox import emit
from lienthong.kernel.problems import duplicate_code
from lienthong.kernel.records import apply_changes, by_code, get_or_404, page
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.system import events
from lienthong.system.schemas import EmployeeCreate, EmployeeUpdate
from lienthong.system.tables import Employee, User

KIND = "employees"


def employee_data(row: Employee) -> dict:
    return {"id": row.id, "code": row.code, "name": row.name, "email": row.email, "phone": row.phone, "title": row.title}


def _emit(uow: UnitOfWork, row: Employee, type_: str, changed: dict | None = None) -> None:
    emit(uow, tenant_id=row.tenant_id, kind=KIND, type=type_, record_id=row.id, record_code=row.code, data=employee_data(row), changed=changed)


def check_code_free(uow: UnitOfWork, tenant_id: str, code: str, *, except_id: int | None = None) -> None:
    existing = by_code(uow.session, Employee, tenant_id, code)
    if existing is not None and existing.id != except_id:
        raise duplicate_code(code)


def create_employee(*, uow: UnitOfWork, principal: Principal, data: EmployeeCreate) -> Employee:
    require_role(principal)
    check_code_free(uow, principal.tenant_id, data.code)
    row = Employee(tenant_id=principal.tenant_id, **data.model_dump())
    uow.session.add(row)
    uow.flush()
    _emit(uow, row, events.EMPLOYEE_CREATED)
    uow.commit()
    return row


def update_employee(*, uow: UnitOfWork, principal: Principal, employee_id: int, data: EmployeeUpdate) -> Employee:
    require_role(principal)
    row = get_or_404(uow.session, Employee, principal.tenant_id, employee_id, "employee")
    values = data.model_dump(exclude_unset=True)
    if "code" in values:
        check_code_free(uow, principal.tenant_id, values["code"], except_id=row.id)
    changed = apply_changes(row, values)
    if changed:
        uow.flush()
        _emit(uow, row, events.EMPLOYEE_UPDATED, changed)
    uow.commit()
    return row


def delete_employee(*, uow: UnitOfWork, principal: Principal, employee_id: int) -> None:
    require_role(principal)
    row = get_or_404(uow.session, Employee, principal.tenant_id, employee_id, "employee")
    uow.session.execute(update(User).where(User.employee_id == row.id).values(employee_id=None))
    _emit(uow, row, events.EMPLOYEE_DELETED)
    uow.session.delete(row)
    uow.commit()


def get_employee(*, uow: UnitOfWork, principal: Principal, employee_id: int) -> Employee:
    return get_or_404(uow.session, Employee, principal.tenant_id, employee_id, "employee")


def list_employees(*, uow: UnitOfWork, principal: Principal, code: str | None = None, q: str | None = None, limit: int = 50, cursor: str | None = None):
    stmt = select(Employee).where(Employee.tenant_id == principal.tenant_id)
    if code:
        stmt = stmt.where(Employee.code == code)
    return page(uow.session, stmt, Employee, limit=limit, cursor=cursor, q=q, q_fields=(Employee.code, Employee.name, Employee.email))
