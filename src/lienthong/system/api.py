"""HTTP API of the system app: /api/v1/system/..."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request, Response
from fastapi.responses import JSONResponse

from lienthong.kernel.problems import Forbidden
from lienthong.kernel.schemas import problem_responses
from lienthong.kernel.session_cookie import CSRF_HEADER, SESSION_COOKIE, check_origin, clear_session_cookie, csrf_matches, csrf_token, set_session_cookie
from lienthong.kernel.web import Cursor, Id, Limit, PrincipalDep, Q, uow_dependency
from lienthong.kernel.routing import Route
from lienthong.system import employees, sessions, users
from lienthong.system.schemas import (
    EmployeeCreate,
    EmployeePage,
    EmployeeRead,
    EmployeeUpdate,
    PasswordLinkRead,
    PasswordSet,
    SessionRead,
    SignedInUser,
    SignIn,
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


# -- sign-in with a password (issue 9) ---------------------------------------------------------


@router.post("/users/{user_id}/password-link", status_code=201, response_model=PasswordLinkRead)
def password_link(user_id: Id, uow: Uow, principal: PrincipalDep):
    """A one-time token (and the page's link) with which the user sets their own password,
    valid 72 hours; a newer link replaces it (administrator)."""
    user = users.get_user(uow=uow, principal=principal, user_id=user_id)
    token, link = sessions.issue_password_link(uow=uow, principal=principal, user=user)
    return PasswordLinkRead(token=token, url=f"/password?token={token}", user_id=user.id, expires_at=link.expires_at)


@router.post("/password", status_code=204)
def set_password(body: PasswordSet, uow: Uow):
    """Set one's password with a one-time token (no sign-in needed); the token is used up and
    the user's open sessions end. An unknown, used or expired token is a 404 naming `token`."""
    sessions.set_password_with_link(uow=uow, token=body.token, password=body.password)
    return Response(status_code=204)


@router.post("/sign-in", response_model=SessionRead, responses=problem_responses(429))
def sign_in(body: SignIn, request: Request, uow: Uow):
    """Sign in with user code and password: sets the session cookie `lt_session` (HttpOnly,
    SameSite=Lax, Secure over https) that authenticates the API and the web pages.

    A wrong code or password is a 401 (the same for both). After five wrong passwords in a
    row the account is slowed down: 429 with `Retry-After` (30 s, doubling with each
    further wrong password, at most an hour)."""
    check_origin(request)
    secret, session, user = sessions.sign_in(uow=uow, code=body.code, password=body.password, tenant_id=body.tenant_id)
    answer = SessionRead(tenant_id=user.tenant_id, user=SignedInUser.model_validate(user), csrf_token=csrf_token(secret), expires_at=session.expires_at)
    response = JSONResponse(answer.model_dump(mode="json"))
    set_session_cookie(request, response, secret)
    return response


@router.post("/sign-out", status_code=204)
def sign_out(request: Request, uow: Uow, csrf: Annotated[str | None, Header(alias=CSRF_HEADER, max_length=64)] = None):
    """End the session of the cookie and clear it (with the header `X-CSRF-Token`)."""
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        check_origin(request)
        if not csrf_matches(secret, csrf):
            raise Forbidden("forbidden.csrf")
        sessions.sign_out(uow=uow, secret=secret)
    response = Response(status_code=204)
    clear_session_cookie(response)
    return response
