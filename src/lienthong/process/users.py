"""The process app's copy of the system users: written only by the connector."""

from __future__ import annotations

from lienthong.kernel.catalog import Catalog
from lienthong.process import events
from lienthong.kernel.sync_handlers import upsert_handler
from lienthong.process.tables import User


def user_data(row: User) -> dict:
    return {"id": row.id, "code": row.code, "name": row.name, "email": row.email, "role": row.role, "active": row.active, "employee_code": row.employee_code}


USERS = Catalog(User, "users", "kind.users", events.USER, user_data)
upsert = upsert_handler(USERS, ("code", "name", "email", "role", "active", "employee_code"))
