"""Accounting's copy of the system employees: written only by the connector."""

from __future__ import annotations

from lienthong.accounting import events
from lienthong.accounting.tables import Employee
from lienthong.kernel.catalog import Catalog
from lienthong.kernel.sync_handlers import CopyUseCase, EmployeeCopy


def employee_data(row: Employee) -> dict:
    return {"id": row.id, "code": row.code, "name": row.name, "email": row.email, "phone": row.phone, "title": row.title}


EMPLOYEES = Catalog(Employee, "employees", "kind.employees", events.EMPLOYEE, employee_data)

# the connector's use case: keep this copy (EmployeeCopy checks the fields as the system form does)
upsert = CopyUseCase(EMPLOYEES, EmployeeCopy)
