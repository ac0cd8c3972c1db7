"""The web UI: server-rendered pages (Jinja2 + htmx) over the same use cases the API calls.

Sign in with a password (:mod:`lienthong.web.session`: the session cookie ``lt_session``);
every POST is checked against cross-site forgery (:mod:`lienthong.web.csrf`). The language is
Vietnamese unless the ``lang`` cookie or ``?lang=en`` says English. Handlers parse the
form, call one use case (or the connector on ``app.state``), and render; a
:class:`~lienthong.kernel.problems.Problem` is shown as its readable detail and field errors.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from lienthong.accounting import customers as accounting_customers
from lienthong.accounting.schemas import CustomerCreate
from lienthong.crm import customers as crm_customers
from lienthong.kernel.auth import Principal
from lienthong.kernel.i18n import DEFAULT_LANG, MESSAGES, t
from lienthong.kernel.problems import Problem, ValidationProblem
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.sync import api as sync_api
from lienthong.sync import connections, log
from lienthong.sync.connections import KINDS, ConnectionCreate
from lienthong.sync.rules import RULEBOOK
from lienthong.sync.visibility import log_scope
from lienthong.web import csrf, errors

HERE = Path(__file__).parent
STATIC = HERE / "static"
TOKEN_COOKIE = csrf.SESSION_COOKIE
LANG_COOKIE = "lang"
LANGS = ("vi", "en")
APPS = ("system", "accounting", "crm", "process")
COUNTS = ("created", "linked", "updated", "unchanged", "skipped", "failed")
MAX_REASONS = 20
PAGE_SIZE = 50

# The UI's own strings, added to the shared message table (keys start with "ui.").
UI_MESSAGES: dict[str, tuple[str, str]] = {
    "ui.product": ("Liên thông", "Lienthong"),
    "ui.nav.connections": ("Kết nối", "Connections"),
    "ui.nav.log": ("Nhật ký đồng bộ", "Sync log"),
    "ui.nav.customers": ("Khách hàng", "Customers"),
    "ui.nav.sign_out": ("Đăng xuất", "Sign out"),
    "ui.nav.signed_in": ("{user} ({role})", "{user} ({role})"),
    "ui.connections.title": ("Kết nối ứng dụng", "App connections"),
    "ui.connections.recommendation": ("Khuyến nghị ({rule})", "Recommendation ({rule})"),
    "ui.connections.kinds": ("Loại dữ liệu đồng bộ", "Data kinds to sync"),
    "ui.connections.order_mapping": ("Đơn hàng CRM trở thành", "CRM orders become"),
    "ui.connections.connect_now": ("Kết nối ngay", "Connect now"),
    "ui.connections.pair": ("Kế toán ↔ CRM", "Accounting ↔ CRM"),
    "ui.connections.connected": ("Đã kết nối", "Connected"),
    "ui.connections.first_sync": ("Đồng bộ lần đầu: ba bước, chạy theo thứ tự", "First sync: three steps, run in order"),
    "ui.connections.none_kinds": ("(không có loại dữ liệu nào)", "(no data kinds)"),
    "ui.order_mapping.sales_order": ("Đơn đặt hàng", "Sales orders"),
    "ui.order_mapping.contract": ("Hợp đồng", "Contracts"),
    "ui.step.1": ("Bước 1: Nhân viên và người dùng", "Step 1: employees and users"),
    "ui.step.2": ("Bước 2: Danh mục (khách hàng, nhóm, hàng hóa…)", "Step 2: catalogs (customers, groups, products…)"),
    "ui.step.3": ("Bước 3: Chứng từ", "Step 3: documents"),
    "ui.step.run": ("Chạy bước {n}", "Run step {n}"),
    "ui.step.preview": ("Xem trước", "Preview"),
    "ui.step.reasons": ("Lý do (tối đa {n})", "Reasons (up to {n})"),
    # first-sync conflicts (step summary)
    "ui.step.conflicts": ("Giá trị khác nhau giữa hai bên: {n} (bên thắng ghi đè bên kia)", "Values that differ between the two sides: {n} (the winning side overwrites the other)"),
    "ui.conflict.kind": ("Loại dữ liệu", "Data kind"),
    "ui.conflict.code": ("Mã", "Code"),
    "ui.conflict.field": ("Trường", "Field"),
    "ui.conflict.winner": ("Bên thắng", "Winner"),
    "ui.conflict.field.code": ("Mã", "Code"),
    "ui.conflict.field.name": ("Tên", "Name"),
    "ui.conflict.field.tax_code": ("Mã số thuế", "Tax code"),
    "ui.conflict.field.address": ("Địa chỉ", "Address"),
    "ui.conflict.field.phone": ("Điện thoại", "Phone"),
    "ui.conflict.field.email": ("Email", "Email"),
    "ui.conflict.field.group_code": ("Nhóm", "Group"),
    "ui.conflict.field.description": ("Diễn giải", "Description"),
    "ui.conflict.empty": ("(trống)", "(empty)"),
    "ui.state.pending": ("Chưa chạy", "Not run"),
    "ui.state.running": ("Đang chạy", "Running"),
    "ui.state.succeeded": ("Thành công", "Succeeded"),
    "ui.state.failed": ("Thất bại", "Failed"),
    "ui.state.preview": ("Xem trước (chưa ghi gì)", "Preview (nothing written)"),
    "ui.count.created": ("Tạo mới", "Created"),
    "ui.count.linked": ("Liên kết", "Linked"),
    "ui.count.updated": ("Cập nhật", "Updated"),
    "ui.count.unchanged": ("Không đổi", "Unchanged"),
    "ui.count.skipped": ("Bỏ qua", "Skipped"),
    "ui.count.failed": ("Lỗi", "Failed"),
    "ui.kind.customers": ("Khách hàng", "Customers"),
    "ui.kind.customer-groups": ("Nhóm khách hàng", "Customer groups"),
    "ui.kind.products": ("Hàng hóa, dịch vụ", "Products"),
    "ui.kind.product-groups": ("Nhóm hàng hóa", "Product groups"),
    "ui.kind.price-policies": ("Chính sách giá", "Price policies"),
    "ui.kind.quotes": ("Báo giá", "Quotes"),
    "ui.kind.orders": ("Đơn hàng", "Orders"),
    "ui.kind.invoice-requests": ("Đề nghị xuất hóa đơn", "Invoice requests"),
    "ui.kind.stock": ("Tồn kho", "Stock"),
    "ui.kind.balances": ("Công nợ khách hàng", "Customer balances"),
    "ui.kind.employees": ("Nhân viên", "Employees"),
    "ui.kind.users": ("Người dùng", "Users"),
    "ui.kind.contacts": ("Liên hệ", "Contacts"),
    "ui.app.system": ("Hệ thống", "System"),
    "ui.app.accounting": ("Kế toán", "Accounting"),
    "ui.app.crm": ("CRM", "CRM"),
    "ui.app.process": ("Quy trình", "Process"),
    "ui.not_hosted": ("Máy chủ này không chạy ứng dụng {app}.", "This server does not host the {app} app."),
    "ui.log.title": ("Nhật ký đồng bộ", "Sync log"),
    "ui.log.code": ("Mã bản ghi", "Record code"),
    "ui.log.rule": ("Quy tắc", "Rule"),
    "ui.log.outcome": ("Kết quả", "Outcome"),
    "ui.log.app": ("Ứng dụng", "App"),
    "ui.log.any": ("Tất cả", "Any"),
    "ui.log.filter": ("Lọc", "Filter"),
    "ui.log.clear": ("Bỏ lọc", "Clear"),
    "ui.log.time": ("Thời gian (UTC)", "Time (UTC)"),
    "ui.log.reason": ("Lý do", "Reason"),
    "ui.log.source": ("Nguồn", "Source"),
    "ui.log.target": ("Đích", "Target"),
    "ui.log.empty": ("Không có quyết định nào.", "No decisions."),
    "ui.log.older": ("Cũ hơn →", "Older →"),
    "ui.log.newest": ("← Mới nhất", "← Newest"),
    "ui.outcome.applied": ("Đã áp dụng", "Applied"),
    "ui.outcome.skipped": ("Bỏ qua", "Skipped"),
    "ui.outcome.parked": ("Tạm giữ", "Parked"),
    "ui.status.pending": ("Đang chờ", "Pending"),
    "ui.status.parked": ("Tạm giữ", "Parked"),
    "ui.status.held": ("Chờ sau thay đổi tạm giữ", "Held"),
    "ui.status.reachable": ("truy cập được", "reachable"),
    "ui.status.unreachable": ("không truy cập được", "unreachable"),
    "ui.customers.title": ("Khách hàng", "Customers"),
    "ui.customers.tab.accounting": ("Khách hàng trên Kế toán", "Accounting customers"),
    "ui.customers.tab.crm": ("Khách hàng trên CRM", "CRM customers"),
    "ui.customers.search": ("Tìm", "Search"),
    "ui.customers.search_hint": ("Mã, tên, mã số thuế, điện thoại, email", "Code, name, tax code, phone, email"),
    "ui.customers.empty": ("Không có khách hàng nào.", "No customers."),
    "ui.customers.more": ("Trang sau →", "Next page →"),
    "ui.customers.add": ("Thêm khách hàng", "Add customer"),
    "ui.customers.save": ("Lưu", "Save"),
    "ui.customers.created": (
        "Đã thêm khách hàng {code}. Liên thông sẽ tạo khách hàng này trên CRM.",
        "Customer {code} was added. The connector creates it in CRM.",
    ),
    "ui.customers.not_saved": ("Chưa lưu được. Hãy sửa:", "Not saved. Please fix:"),
    "ui.field.code": ("Mã khách hàng", "Customer code"),
    "ui.field.name": ("Tên khách hàng", "Customer name"),
    "ui.field.tax_code": ("Mã số thuế", "Tax code"),
    "ui.field.phone": ("Điện thoại", "Phone"),
    "ui.field.email": ("Email", "Email"),
    "ui.field.group": ("Nhóm khách hàng", "Customer group"),
    "ui.field.salesperson_code": ("Mã nhân viên bán hàng", "Salesperson code"),
    "ui.field.salesperson": ("Nhân viên bán hàng", "Salesperson"),
    "ui.field.owner": ("Chủ sở hữu", "Owner"),
    "ui.field.is_individual": ("Khách hàng cá nhân", "Individual customer"),
}
MESSAGES.update(UI_MESSAGES)

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.protect)])


@functools.cache
def templates() -> Jinja2Templates:
    return Jinja2Templates(directory=HERE / "templates")


# -- who is asking, in which language ---------------------------------------------------------


@dataclass
class Ui:
    """One page request: its language and the signed-in principal (or None)."""

    request: Request
    lang: str
    principal: Principal | None
    lang_asked: bool = False

    def _(self, key: str, **params) -> str:
        return t(key, self.lang, **params)

    @property
    def csrf(self) -> str:
        """The CSRF token every state-changing form and htmx request of this session carries."""
        session = self.request.cookies.get(TOKEN_COOKIE)
        return csrf.csrf_token(session) if session else ""

    def lang_url(self, lang: str) -> str:
        """This page in ``lang`` (after a form post: the page the form belongs to)."""
        if self.request.method == "GET":
            return f"{self.request.url.path}?{urlencode({**self.request.query_params, 'lang': lang})}"
        page = "/".join(self.request.url.path.split("/")[:3]) or "/"
        return f"{page}?{urlencode({'lang': lang})}"

    def finish(self, response: Response) -> Response:
        response.headers["Content-Language"] = self.lang
        if self.lang_asked:
            response.set_cookie(LANG_COOKIE, self.lang, max_age=365 * 24 * 3600, samesite="lax", path="/")
        return response

    def render(self, name: str, status_code: int = 200, **context) -> Response:
        context.update(ui=self, _=self._, lang=self.lang, principal=self.principal)
        return self.finish(templates().TemplateResponse(self.request, name, context, status_code=status_code))

    def redirect(self, url: str) -> Response:
        if self.request.headers.get("HX-Request"):
            return self.finish(Response(status_code=200, headers={"HX-Redirect": url}))
        return self.finish(RedirectResponse(url, status_code=303))

    def sign_in(self) -> Response:
        """Where an unauthenticated page request goes: the sign-in page."""
        here = self.request.url.path
        return self.redirect("/?" + urlencode({"next": here}) if here.startswith("/ui/") and self.request.method == "GET" else "/")


def ui(request: Request) -> Ui:
    asked = request.query_params.get("lang")
    cookie = request.cookies.get(LANG_COOKIE)
    lang = asked if asked in LANGS else cookie if cookie in LANGS else DEFAULT_LANG
    principal = None
    token = request.cookies.get(TOKEN_COOKIE)
    if token:
        try:
            principal = request.app.state.authenticate(token)
        except Problem:
            principal = None
    return Ui(request, lang, principal, lang_asked=asked in LANGS)


UiDep = Annotated[Ui, Depends(ui)]


def parse(schema, values: dict):
    """Validate form values with the API's schema; a bad value is the same 422 the API gives."""
    try:
        return schema.model_validate(values)
    except ValidationError as exc:
        errs = [errors.field_error(e) for e in exc.errors()]
        raise ValidationProblem("title.validation_detail", errors=errs, count=len(errs)) from None


def shown(problem: Problem, lang: str) -> dict:
    """A problem as the templates show it: its detail and each field error with its label."""
    items = []
    for err in problem.errors:
        rendered = err.render(lang)
        label_key = f"ui.field.{rendered['field']}"
        items.append({**rendered, "label": t(label_key, lang) if label_key in MESSAGES else rendered["field"]})
    return {"detail": problem.detail(lang), "errors": items, "fields": {e["field"] for e in items}}


def _db(request: Request, app: str):
    return request.app.state.databases.get(app)


# -- sign in / out: lienthong.web.session ------------------------------------------------------


# -- connections and first-sync steps ---------------------------------------------------------


def _connector(request: Request):
    return request.app.state.connector


@router.get("/ui/connections", response_class=HTMLResponse)
def connections_page(ui: UiDep):
    """Connections, the recommendation to connect, and the three first-sync steps."""
    if ui.principal is None:
        return ui.sign_in()
    return _connections_view(ui)


def _connections_view(ui: Ui, problem: Problem | None = None, status: int = 200) -> Response:
    connector = _connector(ui.request)
    if connector is None:
        return ui.render("sync/connections.html", hosted=False, items=[], recommendation=None)
    with UnitOfWork(connector.db) as uow:
        rows = connections.list_connections(uow, ui.principal)
        items = [connections.connection_read(r, connections.steps_of(uow, r.id)) for r in rows]
        rec = connections.recommendation(rows, ui.lang)
    return ui.render(
        "sync/connections.html",
        status_code=status,
        hosted=True,
        items=items,
        recommendation=rec,
        kinds=KINDS,
        counts=COUNTS,
        max_reasons=MAX_REASONS,
        problem=shown(problem, ui.lang) if problem else None,
    )


@router.post("/ui/connections", response_class=HTMLResponse)
def connect(ui: UiDep, kinds: Annotated[list[str], Form()] = [], order_mapping: Annotated[str, Form()] = "sales_order"):  # noqa: B006 - FastAPI's form default
    """Connect accounting with CRM (the "Kết nối ngay" form)."""
    if ui.principal is None:
        return ui.sign_in()
    connector = _connector(ui.request)
    try:
        data = parse(ConnectionCreate, {"apps": ["accounting", "crm"], "kinds": kinds, "order_mapping": order_mapping})
        with UnitOfWork(connector.db) as uow:
            connections.connect(uow=uow, principal=ui.principal, data=data)
        connector.connections_changed()
    except Problem as problem:
        return _connections_view(ui, problem, status=problem.status)
    return ui.redirect("/ui/connections")


def _step_view(ui: Ui, connection_id: int, step: int, body: dict | None = None, problem: Problem | None = None) -> Response:
    """The progress line of one step: polls itself every 500 ms while the step runs."""
    if body is None:
        connections.check_step(step)
        with UnitOfWork(_connector(ui.request).db) as uow:
            connections.get_connection(uow, ui.principal, connection_id)
            run = next((s for s in connections.steps_of(uow, connection_id) if s.step == step), None)
            body = connections.step_read(connection_id, step, run)
    return ui.render("sync/_step.html", s=body, cid=connection_id, counts=COUNTS, max_reasons=MAX_REASONS, problem=shown(problem, ui.lang) if problem else None)


@router.get("/ui/connections/{connection_id}/steps/{step}", response_class=HTMLResponse)
def step_progress(ui: UiDep, connection_id: int, step: int):
    """The progress fragment of a step (htmx polls it)."""
    if ui.principal is None:
        return ui.sign_in()
    try:
        return _step_view(ui, connection_id, step)
    except Problem as problem:
        return ui.render("sync/_step.html", s={"step": step, "state": "pending", "progress": {"done": 0, "total": 0}}, cid=connection_id, counts=COUNTS, max_reasons=MAX_REASONS, problem=shown(problem, ui.lang))


@router.post("/ui/connections/{connection_id}/steps/{step}", response_class=HTMLResponse)
def run_step(ui: UiDep, connection_id: int, step: int, preview: bool = False):
    """Start a first-sync step ("Chạy bước N") or preview it ("Xem trước")."""
    if ui.principal is None:
        return ui.sign_in()
    htmx = bool(ui.request.headers.get("HX-Request"))
    try:
        with UnitOfWork(_connector(ui.request).db) as uow:
            body = connections.start_step(connector=_connector(ui.request), uow=uow, principal=ui.principal, connection_id=connection_id, step=step, preview=preview)
    except Problem as problem:
        if not htmx:
            return _connections_view(ui, problem, status=problem.status)
        try:
            return _step_view(ui, connection_id, step, problem=problem)
        except Problem:
            return ui.render("sync/_step.html", s={"step": step, "state": "pending", "progress": {"done": 0, "total": 0}}, cid=connection_id, counts=COUNTS, max_reasons=MAX_REASONS, problem=shown(problem, ui.lang))
    if not htmx:
        return ui.redirect("/ui/connections")
    return _step_view(ui, connection_id, step, body=body)


# -- the decision log -------------------------------------------------------------------------


@router.get("/ui/log", response_class=HTMLResponse)
def log_page(ui: UiDep, code: str = "", rule: str = "", outcome: str = "", app: str = "", cursor: str = ""):
    """The connector's decisions, newest first, with filters; and the queue's status."""
    if ui.principal is None:
        return ui.sign_in()
    connector = _connector(ui.request)
    filters = {"code": code.strip(), "rule": rule.strip().upper(), "outcome": outcome if outcome in log.OUTCOMES else "", "app": app if app in APPS else ""}
    context = {"filters": filters, "outcomes": log.OUTCOMES, "apps": APPS, "rules": RULEBOOK, "items": [], "older": None, "status": None, "problem": None, "hosted": connector is not None}
    if connector is None:
        return ui.render("sync/log.html", **context)
    context["status"] = sync_api.status(ui.request, ui.principal)
    try:
        scope = log_scope(connector, ui.principal)
        with UnitOfWork(connector.db) as uow:
            rows, nxt = log.search(uow.session, ui.principal.tenant_id, filters={k: v or None for k, v in filters.items()}, limit=PAGE_SIZE, cursor=cursor or None, where=scope)
            context["items"] = [sync_api.log_read(r, ui.lang == "en") for r in rows]
    except Problem as problem:
        context["problem"] = shown(problem, ui.lang)
    else:
        kept = {k: v for k, v in filters.items() if v}
        context["older"] = "/ui/log?" + urlencode({**kept, "cursor": nxt}) if nxt else None
        context["newest"] = "/ui/log?" + urlencode(kept) if cursor else None
    return ui.render("sync/log.html", **context)


# -- customers --------------------------------------------------------------------------------

CUSTOMER_LISTS = {"accounting": accounting_customers.list_customers, "crm": crm_customers.list_customers}
FORM_FIELDS = ("code", "name", "tax_code", "phone", "email", "salesperson_code")


def _customers_view(ui: Ui, tab: str, q: str = "", cursor: str = "", form: dict | None = None, problem: Problem | None = None, created: str = "", status: int = 200) -> Response:
    tab = tab if tab in CUSTOMER_LISTS else "accounting"
    context = {"tab": tab, "q": q, "items": [], "more": None, "hosted": True, "created": created, "form": form or {}, "problem": shown(problem, ui.lang) if problem else None, "list_problem": None}
    db = _db(ui.request, tab)
    if db is None:
        context["hosted"] = False
        return ui.render("customers/list.html", status_code=status, **context)
    try:
        with UnitOfWork(db) as uow:
            rows, nxt = CUSTOMER_LISTS[tab](uow=uow, principal=ui.principal, filters={}, q=q.strip() or None, limit=PAGE_SIZE, cursor=cursor or None)
            context["items"] = [
                {"code": r.code, "name": r.name, "tax_code": r.tax_code, "phone": r.phone, "group": r.group_code, "person": r.salesperson_code if tab == "accounting" else r.owner_code}
                for r in rows
            ]
    except Problem as exc:
        context["list_problem"] = shown(exc, ui.lang)
        nxt = None
    context["more"] = "/ui/customers?" + urlencode({"tab": tab, **({"q": q} if q else {}), "cursor": nxt}) if nxt else None
    return ui.render("customers/list.html", status_code=status, **context)


@router.get("/ui/customers", response_class=HTMLResponse)
def customers_page(ui: UiDep, tab: str = "accounting", q: str = "", cursor: str = "", created: str = ""):
    """Accounting and CRM customers, with a search box; the accounting tab can add one."""
    if ui.principal is None:
        return ui.sign_in()
    return _customers_view(ui, tab, q, cursor, created=created)


@router.post("/ui/customers", response_class=HTMLResponse)
def add_customer(
    ui: UiDep,
    code: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    tax_code: Annotated[str, Form()] = "",
    phone: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
    salesperson_code: Annotated[str, Form()] = "",
    is_individual: Annotated[str, Form()] = "",
):
    """Add an accounting customer (the "Thêm khách hàng" form)."""
    if ui.principal is None:
        return ui.sign_in()
    form = {"code": code, "name": name, "tax_code": tax_code, "phone": phone, "email": email, "salesperson_code": salesperson_code, "is_individual": bool(is_individual)}
    values = {k: (v if v != "" else None) for k, v in form.items() if k in FORM_FIELDS}
    values["code"], values["name"] = code, name  # required: an empty one is the schema's error
    values["is_individual"] = form["is_individual"]
    db = _db(ui.request, "accounting")
    try:
        if db is None:
            return _customers_view(ui, "accounting", form=form)
        data = parse(CustomerCreate, values)
        with UnitOfWork(db) as uow:
            row = accounting_customers.create_customer(uow=uow, principal=ui.principal, data=data)
            created = row.code
    except Problem as problem:
        return _customers_view(ui, "accounting", form=form, problem=problem, status=problem.status)
    return ui.redirect("/ui/customers?" + urlencode({"tab": "accounting", "created": created}))
