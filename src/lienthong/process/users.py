"""The process app's copy of the system users: written only by the connector."""

from __future__ import annotations

from lienthong.kernel.catalog import Catalog
from lienthong.process import events
from lienthong.kernel.sync_handlers import CopyUseCase, UserCopy
from lienthong.process.tables import User


def user_data(row: User) -> dict:
    return {"id": row.id, "code": row.code, "name": row.name, "email": row.email, "role": row.role, "active": row.active, "employee_code": row.employee_code}


USERS = Catalog(User, "users", "kind.users", events.USER, user_data)
# the connector's use case: keep this copy (UserCopy checks the fields as the system form does)
upsert = CopyUseCase(USERS, UserCopy)
