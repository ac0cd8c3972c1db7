"""What the system app tells the others. Types are ``<Prefix><Verb>``, verbs
``Created`` / ``Updated`` / ``Deleted`` (see :class:`lienthong.kernel.catalog.Catalog`)."""

from __future__ import annotations

from typing import ClassVar

from lienthong.kernel.contracts import Event

EMPLOYEE = "Employee"  # EmployeeCreated, EmployeeUpdated, EmployeeDeleted
USER = "User"          # UserCreated, UserUpdated, UserDeleted


class EmployeeCreated(Event):
    kind: ClassVar[str] = "employees"
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    title: str | None = None


class EmployeeUpdated(EmployeeCreated):
    pass


class EmployeeDeleted(EmployeeCreated):
    pass


class UserCreated(Event):
    kind: ClassVar[str] = "users"
    name: str | None = None
    email: str | None = None
    role: str | None = None
    active: bool = True
    employee_id: int | None = None
    employee_code: str | None = None


class UserUpdated(UserCreated):
    pass


class UserDeleted(UserCreated):
    pass


EVENTS = (EmployeeCreated, EmployeeUpdated, EmployeeDeleted, UserCreated, UserUpdated, UserDeleted)
