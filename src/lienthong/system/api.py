"""HTTP API of the system app: /api/v1/system/..."""

from __future__ import annotations

from fastapi import APIRouter, Response

from lienthong.kernel.web import Cursor, Id, Limit, PrincipalDep, Q, uow_dependency
from lienthong.kernel.routing import Route
from lienthong.system import employees, users
from lienthong.system.schemas import (
    EmployeeCreate,
    EmployeePage,
    EmployeeRead,
    EmployeeUpdate,
    TokenCreate,
    TokenInfo,
    TokenList,
    TokenRead,
    UserCreate,
    UserPage,
    UserRead,
    UserUpdate,
)

Uow = uow_dependency("system")
router = APIRouter(prefix="/api/v1/system", tags=["system"], route_class=Route)


@router.post("/employees", status_code=201, response_model=EmployeeRead)
def create_employee(body: EmployeeCreate, uow: Uow, principal: PrincipalDep):
    """Create an employee (administrator)."""
    return EmployeeRead.model_validate(employees.create_employee(uow=uow, principal=principal, data=body))


@router.get("/employees", response_model=EmployeePage)
def list_employees(uow: Uow, principal: PrincipalDep, code: str | None = None, q: Q = None, limit: Limit = 50, cursor: Cursor = None):
    """List employees."""
    rows, nxt = employees.list_employees(uow=uow, principal=principal, code=code, q=q, limit=limit, cursor=cursor)
    return EmployeePage(items=[EmployeeRead.model_validate(r) for r in rows], next_cursor=nxt)


@router.get("/employees/{employee_id}", response_model=EmployeeRead)
def get_employee(employee_id: Id, uow: Uow, principal: PrincipalDep):
    """Read one employee."""
    return EmployeeRead.model_validate(employees.get_employee(uow=uow, principal=principal, employee_id=employee_id))


@router.patch("/employees/{employee_id}", response_model=EmployeeRead)
def update_employee(employee_id: Id, body: EmployeeUpdate, uow: Uow, principal: PrincipalDep):
    """Change the given fields of an employee (administrator)."""
    return EmployeeRead.model_validate(employees.update_employee(uow=uow, principal=principal, employee_id=employee_id, data=body))


@router.delete("/employees/{employee_id}", status_code=204)
def delete_employee(employee_id: Id, uow: Uow, principal: PrincipalDep):
    """Delete an employee (administrator). Accounting keeps its copy."""
    employees.delete_employee(uow=uow, principal=principal, employee_id=employee_id)
    return Response(status_code=204)


@router.post("/users", status_code=201, response_model=UserRead)
def create_user(body: UserCreate, uow: Uow, principal: PrincipalDep):
    """Create a user, optionally tied to an employee (administrator)."""
    return UserRead.model_validate(users.create_user(uow=uow, principal=principal, data=body))


@router.get("/users", response_model=UserPage)
def list_users(uow: Uow, principal: PrincipalDep, code: str | None = None, role: str | None = None, q: Q = None, limit: Limit = 50, cursor: Cursor = None):
    """List users (administrator, manager)."""
    rows, nxt = users.list_users(uow=uow, principal=principal, code=code, role=role, q=q, limit=limit, cursor=cursor)
    return UserPage(items=[UserRead.model_validate(r) for r in rows], next_cursor=nxt)


@router.get("/users/{user_id}", response_model=UserRead)
def get_user(user_id: Id, uow: Uow, principal: PrincipalDep):
    """Read one user (administrator, manager, or the user itself)."""
    return UserRead.model_validate(users.get_user(uow=uow, principal=principal, user_id=user_id))


@router.patch("/users/{user_id}", response_model=UserRead)
def update_user(user_id: Id, body: UserUpdate, uow: Uow, principal: PrincipalDep):
    """Change the given fields of a user (administrator)."""
    return UserRead.model_validate(users.update_user(uow=uow, principal=principal, user_id=user_id, data=body))


@router.delete("/users/{user_id}", status_code=204)
def delete_user(user_id: Id, uow: Uow, principal: PrincipalDep):
    """Delete a user and its tokens (administrator)."""
    users.delete_user(uow=uow, principal=principal, user_id=user_id)
    return Response(status_code=204)


@router.post("/users/{user_id}/tokens", status_code=201, response_model=TokenRead)
def create_token(user_id: Id, uow: Uow, principal: PrincipalDep, body: TokenCreate | None = None):
    """Give a user a new access token (administrator, or the user itself)."""
    token, row, user = users.issue_token(uow=uow, principal=principal, user_id=user_id, label=body.label if body else None)
    return TokenRead(id=row.id, token=token, user_id=user.id, user_code=user.code, label=row.label, created_at=row.created_at)


@router.get("/users/{user_id}/tokens", response_model=TokenList)
def list_tokens(user_id: Id, uow: Uow, principal: PrincipalDep):
    """A user's tokens that still work: id, label, when made; never the secret (administrator, or the user itself)."""
    return TokenList(items=[TokenInfo.model_validate(r) for r in users.list_tokens(uow=uow, principal=principal, user_id=user_id)])


@router.delete("/users/{user_id}/tokens/{token_id}", status_code=204)
def revoke_token(user_id: Id, token_id: Id, uow: Uow, principal: PrincipalDep):
    """Revoke one token, at once on every server (administrator, or the user itself)."""
    users.revoke_token(uow=uow, principal=principal, user_id=user_id, token_id=token_id)
    return Response(status_code=204)


@router.get("/me")
def me(principal: PrincipalDep):
    """Who the token is: tenant, user and role (other apps' servers ask this)."""
    return {"tenant_id": principal.tenant_id, "id": principal.user_id, "code": principal.user_code, "role": principal.role}
