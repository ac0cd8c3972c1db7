"""HTTP API of the process app: /api/v1/process/..."""

from __future__ import annotations

from fastapi import APIRouter

from lienthong.kernel.auth import USER_READERS, require_role
from lienthong.kernel.schemas import Page
from lienthong.kernel.web import Cursor, Limit, PrincipalDep, Q, uow_dependency
from lienthong.kernel.routing import Route
from lienthong.process.users import USERS
from lienthong.process.schemas import UserRead

Uow = uow_dependency("process")
router = APIRouter(prefix="/api/v1/process", tags=["process"], route_class=Route)


@router.get("/users", response_model=Page[UserRead])
def list_users(uow: Uow, principal: PrincipalDep, code: str | None = None, q: Q = None, limit: Limit = 50, cursor: Cursor = None):
    """The process app's copy of the users (kept by the connector from system; administrator, manager)."""
    require_role(principal, *USER_READERS, reason="forbidden.users")
    rows, nxt = USERS.list(uow, principal.tenant_id, filters={"code": code}, q=q, limit=limit, cursor=cursor)
    return Page[UserRead](items=[UserRead.model_validate(r) for r in rows], next_cursor=nxt)
