"""Use cases of employees (Nhân viên): the system app owns them; the connector copies them to accounting."""

from __future__ import annotations

from lienthong.kernel.auth import Principal, require_role
from lienthong.kernel.catalog import Catalog
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.system import events
from lienthong.system.schemas import EmployeeCreate, EmployeeUpdate
from lienthong.system.tables import Employee
from lienthong.system.users import USERS

KIND = "employees"


def employee_data(row: Employee) -> dict:
    return {"id": row.id, "code": row.code, "name": row.name, "email": row.email, "phone": row.phone, "title": row.title}


EMPLOYEES = Catalog(Employee, KIND, "kind.employees", events.EMPLOYEE, employee_data)


def create_employee(*, uow: UnitOfWork, principal: Principal, data: EmployeeCreate) -> Employee:
    require_role(principal)
    row = EMPLOYEES.create(uow, principal.tenant_id, data.model_dump())
    uow.commit()
    return row


def update_employee(*, uow: UnitOfWork, principal: Principal, employee_id: int, data: EmployeeUpdate) -> Employee:
    require_role(principal)
    row = EMPLOYEES.get(uow, principal.tenant_id, employee_id)
    EMPLOYEES.update(uow, row, data.model_dump(exclude_unset=True))
    uow.commit()
    return row


def delete_employee(*, uow: UnitOfWork, principal: Principal, employee_id: int) -> None:
    require_role(principal)
    row = EMPLOYEES.get(uow, principal.tenant_id, employee_id)
    USERS.clear_references(uow, "employee_code", row.id)  # CRM's and process's copies of the users follow
    EMPLOYEES.delete(uow, row)
    uow.commit()


def get_employee(*, uow: UnitOfWork, principal: Principal, employee_id: int) -> Employee:
    return EMPLOYEES.get(uow, principal.tenant_id, employee_id)


def list_employees(*, uow: UnitOfWork, principal: Principal, code: str | None = None, q: str | None = None, limit: int = 50, cursor: str | None = None):
    return EMPLOYEES.list(uow, principal.tenant_id, filters={"code": code or None}, q=q, limit=limit, cursor=cursor)


def number_employees(*, uow: UnitOfWork, principal: Principal, number: int, size: int, q: str | None = None):
    """Page ``number`` of the employees and their total (the employee list screen)."""
    return EMPLOYEES.list_numbered(uow, principal.tenant_id, number=number, size=size, q=q)
