"""The system app's face to the connector: it tells employees and users, and takes no commands."""

from __future__ import annotations

from lienthong.kernel.contracts import Contract
from lienthong.kernel.db import Database
from lienthong.kernel.port import AppPort, lister
from lienthong.system import events
from lienthong.system.employees import employee_data
from lienthong.system.tables import Employee, User
from lienthong.system.users import user_data

CONTRACT = Contract(
    "system",
    events=events.EVENTS,
    queries={
        "employees": lister(Employee, employee_data),
        "users": lister(User, user_data),
    },
)


def make_port(db: Database) -> AppPort:
    return AppPort.of(CONTRACT, db)
