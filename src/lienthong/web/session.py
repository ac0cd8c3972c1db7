"""The web sign-in: a person signs in with user code and password (the administrator,
before having a password, with the access token printed at the first start), gets
the session cookie (:mod:`lienthong.kernel.session_cookie`) and signs out; a user sets
their password from a one-time link (``/password?token=...``).

Every POST here passes :func:`lienthong.web.csrf.protect` like the other pages: the
origin check always, the CSRF token while a session cookie is set.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form
from fastapi.responses import HTMLResponse

from lienthong.kernel.i18n import MESSAGES
from lienthong.kernel.problems import Problem
from lienthong.kernel.session_cookie import SESSION_COOKIE, clear_session_cookie, set_session_cookie
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.system import sessions, users
from lienthong.system.schemas import PasswordSet
from lienthong.web import csrf
from lienthong.kernel.pages import Ui, UiDep, parse, shown

SESSION_MESSAGES: dict[str, tuple[str, str]] = {
    "ui.sign_in.title": ("Đăng nhập", "Sign in"),
    "ui.sign_in.intro": ("Đăng nhập bằng mã người dùng và mật khẩu.", "Sign in with your user code and password."),
    "ui.sign_in.code": ("Mã người dùng", "User code"),
    "ui.sign_in.password": ("Mật khẩu", "Password"),
    "ui.sign_in.submit": ("Đăng nhập", "Sign in"),
    "ui.sign_in.missing": ("Hãy nhập mã người dùng và mật khẩu.", "Please enter your user code and password."),
    "ui.sign_in.with_token": ("Đăng nhập bằng mã truy cập", "Sign in with an access token"),
    "ui.sign_in.token_intro": (
        "Dùng khi chưa có mật khẩu: mã của quản trị viên được in ra ở lần khởi động đầu tiên.",
        "For when you have no password yet: the administrator's token is printed at the first start.",
    ),
    "ui.sign_in.token": ("Mã truy cập", "Access token"),
    "ui.sign_in.not_hosted": ("Máy chủ này không chạy ứng dụng Hệ thống: hãy đăng nhập trên máy chủ của Hệ thống.", "This server does not host the system app: sign in on the system app's server."),
    "ui.password.title": ("Đặt mật khẩu", "Set your password"),
    "ui.password.intro": ("Chọn mật khẩu (ít nhất 8 ký tự). Liên kết chỉ dùng được một lần.", "Choose a password (at least 8 characters). The link works once."),
    "ui.password.new": ("Mật khẩu mới", "New password"),
    "ui.password.submit": ("Lưu mật khẩu", "Save the password"),
    "ui.password.done": ("Đã lưu mật khẩu. Hãy đăng nhập.", "Your password was saved. Please sign in."),
}
MESSAGES.update(SESSION_MESSAGES)

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.protect)])


# Where each role starts its day, in order of preference (the first page this server hosts
# and the role may open): the administrator on the connections, the accountant on
# accounting's customers, sales staff and managers on CRM's customers.
LANDING = {
    "admin": ("/ui/connections", "/ui/system/users"),
    "accountant": ("/ui/accounting/customers",),
    "manager": ("/ui/crm/customers",),
    "sales": ("/ui/crm/customers",),
}


def _landing(ui: Ui, role: str) -> str:
    """The role's first page among the menu entries this server shows it (any it may open
    when none of its preferred ones is hosted)."""
    allowed = [item.path for item in ui.request.app.state.nav if not item.roles or role in item.roles]
    preferred = [path for path in LANDING.get(role, ()) if path in allowed]
    return (preferred or allowed or ["/ui/log"])[0]


def _next(ui: Ui, value: str | None, role: str) -> str:
    """The page asked for (a local ``/ui/`` path only: never an open redirect), or the role's own first page."""
    return value if value and value.startswith("/ui/") and "//" not in value else _landing(ui, role)


def _form(ui: Ui, status: int = 200, *, error: str | None = None, next: str = "", code: str = "", notice: str | None = None):
    return ui.render("sign_in.html", status_code=status, error=error, next=next, code=code, notice=notice)


@router.get("/", response_class=HTMLResponse)
def sign_in_page(ui: UiDep, next: str | None = None, password_set: str | None = None):
    """The sign-in page (or the next page when already signed in)."""
    if ui.principal is not None:
        return ui.redirect(_next(ui, next, ui.principal.role))
    return _form(ui, next=next or "", notice=ui._("ui.password.done") if password_set else None)


@router.post("/", response_class=HTMLResponse)
def sign_in(
    ui: UiDep,
    code: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
):
    """Check the code and password (or the access token) and keep the session in an HttpOnly cookie."""
    db = ui.request.app.state.databases.get("system")
    code, token = code.strip(), token.strip()
    if db is None:
        return _form(ui, 503, error=ui._("ui.sign_in.not_hosted"), next=next, code=code)
    if not token and not (code and password):
        return _form(ui, 401, error=ui._("ui.sign_in.missing"), next=next, code=code)
    try:
        with UnitOfWork(db) as uow:
            if token:
                secret, _, user = users.session_for_token(uow=uow, token=token)
            else:
                secret, _, user = sessions.sign_in(uow=uow, code=code, password=password)
    except Problem as problem:
        response = _form(ui, problem.status, error=problem.detail(ui.lang), next=next, code=code)
        if getattr(problem, "retry_after", None):
            response.headers["Retry-After"] = str(problem.retry_after)
        return response
    response = ui.redirect(_next(ui, next, user.role))
    set_session_cookie(ui.request, response, secret)
    return response


@router.post("/sign-out")
def sign_out(ui: UiDep):
    """End the session and forget the cookie (a form post: a link on a foreign page cannot sign anybody out)."""
    secret = ui.request.cookies.get(SESSION_COOKIE)
    db = ui.request.app.state.databases.get("system")
    if secret and db is not None:
        with UnitOfWork(db) as uow:
            sessions.sign_out(uow=uow, secret=secret)
    response = ui.redirect("/")
    clear_session_cookie(response)
    return response


@router.get("/password", response_class=HTMLResponse)
def password_page(ui: UiDep, token: str = ""):
    """The page of a one-time password link."""
    return ui.render("set_password.html", token=token, problem=None)


@router.post("/password", response_class=HTMLResponse)
def set_password(ui: UiDep, token: Annotated[str, Form()] = "", password: Annotated[str, Form()] = ""):
    """Set the password with the link's token, then go to the sign-in page."""
    db = ui.request.app.state.databases.get("system")
    if db is None:
        return _form(ui, 503, error=ui._("ui.sign_in.not_hosted"))
    try:
        data = parse(PasswordSet, {"token": token, "password": password})
        with UnitOfWork(db) as uow:
            sessions.set_password_with_link(uow=uow, token=data.token, password=data.password)
    except Problem as problem:
        return ui.render("set_password.html", status_code=problem.status, token=token, problem=shown(problem, ui.lang))
    return ui.redirect("/?password_set=1")
