"""The connector's screens (administrator): connect apps, run the three first-sync steps with
a live progress line, read the decision log (by record, rule and outcome), retry parked
changes; manual sync, "Lấy về" (accountants) and "Chuẩn hóa dữ liệu" (managers) with the
outcome per record; and what every record page shows about sync (:func:`record_sync`).

They read through the connector's public functions (``connections``, ``log``, ``api``).
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import and_, or_

from lienthong.kernel.i18n import MESSAGES, set_language
from lienthong.kernel.pages import NavItem, Ui, UiDep, list_url, parse, shown
from lienthong.kernel.problems import Problem
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.sync import api as sync_api
from lienthong.sync import connections, links, log, manual
from lienthong.sync.first_sync import read_all
from lienthong.sync.rules.manual import KINDS as MANUAL_KINDS, sources as manual_sources
from lienthong.sync.connections import KINDS, ConnectionCreate
from lienthong.sync.rules import RULEBOOK
from lienthong.sync.tables import LogEntry
from lienthong.sync.visibility import log_scope

TEMPLATES = Path(__file__).parent / "templates"
NAV = [
    NavItem("/ui/connections", "ui.nav.connections", ("admin",)),
    NavItem("/ui/log", "ui.nav.log"),
    NavItem("/ui/parked", "ui.nav.parked", sync_api.PARKED_ROLES),
]
APPS = ("system", "accounting", "crm", "process")
COUNTS = ("created", "linked", "updated", "unchanged", "skipped", "failed")
MAX_REASONS = 20
PAGE_SIZE = 50
RECORD_DECISIONS = 5  # the latest decisions a record page shows
# Where a record's screen is, by (app, kind): the counterpart link of a record page.
RECORD_PAGES = {
    ("accounting", "customers"): "/ui/accounting/customers",
    ("crm", "customers"): "/ui/crm/customers",
    ("accounting", "products"): "/ui/accounting/products",
    ("crm", "products"): "/ui/crm/products",
    ("accounting", "product-groups"): "/ui/accounting/product-groups",
    ("crm", "product-groups"): "/ui/crm/product-groups",
    ("accounting", "price-policies"): "/ui/accounting/price-policies",
    ("crm", "price-policies"): "/ui/crm/price-policies",
    ("system", "employees"): "/ui/system/employees",
    ("system", "users"): "/ui/system/users",
}
# The apps a record's kind may have a counterpart in.
PARTNERS = {
    ("accounting", "customers"): ("crm",),
    ("crm", "customers"): ("accounting",),
    ("accounting", "products"): ("crm",),
    ("crm", "products"): ("accounting",),
    ("accounting", "product-groups"): ("crm",),
    ("crm", "product-groups"): ("accounting",),
    ("accounting", "price-policies"): ("crm",),
    ("crm", "price-policies"): ("accounting",),
    ("system", "employees"): ("accounting",),
    ("system", "users"): ("crm",),
}

UI_MESSAGES: dict[str, tuple[str, str]] = {
    "ui.nav.connections": ("Kết nối", "Connections"),
    "ui.nav.log": ("Nhật ký đồng bộ", "Sync log"),
    "ui.nav.parked": ("Thay đổi tạm giữ", "Parked changes"),
    "ui.connections.title": ("Kết nối ứng dụng", "App connections"),
    "ui.connections.recommendation": ("Khuyến nghị", "Recommendation"),
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
    "ui.step.wait": ("Chạy được khi bước {previous} đã thành công.", "Can run once step {previous} has succeeded."),
    "ui.step.reasons": ("Lý do (tối đa {n})", "Reasons (up to {n})"),
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
    "ui.log.title": ("Nhật ký đồng bộ", "Sync log"),
    "ui.log.code": ("Mã bản ghi", "Record code"),
    "ui.log.rule": ("Quy tắc", "Rule"),
    "ui.log.outcome": ("Kết quả", "Outcome"),
    "ui.log.app": ("Ứng dụng", "App"),
    "ui.log.any": ("Tất cả", "Any"),
    "ui.log.filter": ("Lọc", "Filter"),
    "ui.log.clear": ("Bỏ lọc", "Clear"),
    "ui.log.time": ("Thời gian", "Time"),
    "ui.log.reason": ("Lý do", "Reason"),
    "ui.log.source": ("Nguồn", "Source"),
    "ui.log.target": ("Đích", "Target"),
    "ui.log.detail": ("Chi tiết", "Details"),
    "ui.log.rule_id": ("Mã quy tắc: {rule}", "Rule ID: {rule}"),
    "ui.log.about_record": ("Chỉ các quyết định về một bản ghi", "Only the decisions about one record"),
    "ui.log.all_about": ("Mọi quyết định về bản ghi này", "Every decision about this record"),
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
    "ui.parked.title": ("Thay đổi tạm giữ", "Parked changes"),
    "ui.parked.intro": (
        "Các thay đổi này chưa sang được ứng dụng kia. Sửa nguyên nhân rồi bấm Thử lại.",
        "These changes could not reach the other app. Fix the cause, then press Retry.",
    ),
    "ui.parked.record": ("Bản ghi", "Record"),
    "ui.parked.attempts": ("Số lần thử", "Attempts"),
    "ui.parked.retry": ("Thử lại", "Retry"),
    "ui.parked.retried": ("Đã đưa thay đổi {id} vào hàng chờ lại.", "Change {id} is queued again."),
    "ui.parked.empty": ("Không có thay đổi nào bị tạm giữ.", "No parked changes."),
}
MESSAGES.update(UI_MESSAGES)

router = APIRouter(include_in_schema=False)


def _connector(request: Request):
    return request.app.state.connector


def available_kinds() -> tuple[str, ...]:
    """The data kinds a connection can carry today: those some rule of the rulebook answers."""
    ruled = {kind for rule in RULEBOOK for kind in getattr(rule, "kinds", ())}
    return tuple(k for k in KINDS if k in ruled)


# -- connections and first-sync steps ---------------------------------------------------------


@router.get("/ui/connections", response_class=HTMLResponse)
def connections_page(ui: UiDep):
    """Connections, the recommendation to connect, and the three first-sync steps."""
    if ui.principal is None:
        return ui.sign_in()
    return _connections_view(ui)


def _connections_view(ui: Ui, problem: Problem | None = None, status: int = 200) -> Response:
    with UnitOfWork(_connector(ui.request).db) as uow:
        rows = connections.list_connections(uow, ui.principal)
        items = [connections.connection_read(r, connections.steps_of(uow, r.id)) for r in rows]
        rec = connections.recommendation(rows, ui.lang)
    kinds = available_kinds()
    return ui.render(
        "sync/connections.html",
        status_code=status,
        items=items,
        recommendation=rec,
        kinds=kinds,
        with_orders="orders" in kinds,
        counts=COUNTS,
        max_reasons=MAX_REASONS,
        problem=shown(problem, ui.lang),
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


def _step_body(ui: Ui, connection_id: int, step: int) -> tuple[dict, list[dict]]:
    """A step's state, and the states of the connection's three steps (for its button)."""
    connections.check_step(step)
    with UnitOfWork(_connector(ui.request).db) as uow:
        row = connections.get_connection(uow, ui.principal, connection_id)
        steps = connections.connection_read(row, connections.steps_of(uow, connection_id))["steps"]
    return steps[step - 1], steps


def _step_view(ui: Ui, connection_id: int, step: int, *, body: dict | None = None, problem: Problem | None = None, was: str = "") -> Response:
    """A step's block: its button (enabled only when it may run) and its progress line,
    which polls itself while the step runs; when it ends, the other steps refresh."""
    current, steps = _step_body(ui, connection_id, step)
    s = body or current
    headers = {"HX-Trigger": "steps-changed"} if was == "running" and s["state"] != "running" else None
    return ui.render("sync/_step.html", headers=headers, s=s, steps=steps, cid=connection_id, counts=COUNTS, max_reasons=MAX_REASONS, problem=shown(problem, ui.lang))


@router.get("/ui/connections/{connection_id}/steps/{step}", response_class=HTMLResponse)
def step_progress(ui: UiDep, connection_id: int, step: int, was: str = ""):
    """A step's block (htmx polls it while it runs)."""
    if ui.principal is None:
        return ui.sign_in()
    try:
        return _step_view(ui, connection_id, step, was=was)
    except Problem as problem:
        return ui.render("_problem.html", status_code=problem.status, problem=shown(problem, ui.lang))


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
        except Problem:  # no such connection: the reason, where the step's block was (htmx swaps a 200 only)
            return ui.render("_problem.html", problem=shown(problem, ui.lang))
    if not htmx:
        return ui.redirect("/ui/connections")
    return _step_view(ui, connection_id, step, body=body, was="running")


# -- the decision log -------------------------------------------------------------------------


def _record_where(app: str, kind: str, record_id: int) -> tuple:
    """The log entries about one record, as source or as target."""
    return (
        or_(
            and_(LogEntry.source_app == app, LogEntry.source_kind == kind, LogEntry.source_id == record_id),
            and_(LogEntry.target_app == app, LogEntry.target_kind == kind, LogEntry.target_id == record_id),
        ),
    )


def _log_filters(params) -> dict:
    record_id = params.get("record_id", "")
    return {
        "code": params.get("code", "").strip(),
        "rule": params.get("rule", "").strip().upper(),
        "outcome": params.get("outcome") if params.get("outcome") in log.OUTCOMES else "",
        "app": params.get("app") if params.get("app") in APPS else "",
        "kind": params.get("kind", "").strip(),
        "record_id": int(record_id) if record_id.isdigit() else None,
    }


@router.get("/ui/log", response_class=HTMLResponse)
def log_page(ui: UiDep, cursor: str = ""):
    """The connector's decisions, newest first, filtered by record, rule and outcome; and the queue's status."""
    if ui.principal is None:
        return ui.sign_in()
    connector = _connector(ui.request)
    filters = _log_filters(ui.request.query_params)
    rules = sorted(RULEBOOK, key=lambda r: r.vi if ui.lang == "vi" else r.en)
    context = {"filters": filters, "outcomes": log.OUTCOMES, "apps": APPS, "rules": rules, "items": [], "older": None, "newest": None, "problem": None}
    context["status"] = sync_api.status(ui.request, ui.principal)
    one_record = filters["app"] and filters["kind"] and filters["record_id"]
    try:
        scope = log_scope(connector, ui.principal)
        if one_record:
            scope = (*scope, *_record_where(filters["app"], filters["kind"], filters["record_id"]))
        search = {k: v or None for k, v in filters.items() if k not in ("record_id",) and not (one_record and k in ("app", "kind"))}
        with UnitOfWork(connector.db) as uow:
            rows, nxt = log.search(uow.session, ui.principal.tenant_id, filters=search, limit=PAGE_SIZE, cursor=cursor or None, where=scope)
            context["items"] = [sync_api.log_read(r, ui.lang == "en") for r in rows]
    except Problem as problem:
        context["problem"] = shown(problem, ui.lang)
    else:
        kept = {k: v for k, v in filters.items() if v}
        context["older"] = list_url("/ui/log", **kept, cursor=nxt) if nxt else None
        context["newest"] = list_url("/ui/log", **kept) if cursor else None
    context["one_record"] = bool(one_record)
    return ui.render("sync/log.html", **context)


# -- parked changes ---------------------------------------------------------------------------


@router.get("/ui/parked", response_class=HTMLResponse)
def parked_page(ui: UiDep, cursor: str = "", retried: str = ""):
    """The parked changes with their reason, each with a Retry button."""
    if ui.principal is None:
        return ui.sign_in()
    try:
        body = sync_api.list_parked(ui.request, ui.principal, limit=PAGE_SIZE, cursor=cursor or None)
    except Problem as problem:
        return ui.render("sync/parked.html", status_code=problem.status, items=[], older=None, retried="", problem=shown(problem, ui.lang))
    older = list_url("/ui/parked", cursor=body["next_cursor"]) if body["next_cursor"] else None
    items = [{**item, "url": _record_url(item["source"]["app"], item["source"]["kind"], item["source"]["id"])} for item in body["items"]]
    return ui.render("sync/parked.html", items=items, older=older, retried=retried, problem=None)


@router.post("/ui/parked/{change_id}/retry", response_class=HTMLResponse)
def retry(ui: UiDep, change_id: int):
    """Queue a parked change again."""
    if ui.principal is None:
        return ui.sign_in()
    try:
        sync_api.retry(change_id, ui.request, ui.principal)
    except Problem as problem:
        ui.here = "/ui/parked"
        return ui.render("sync/parked.html", status_code=problem.status, items=[], older=None, retried="", problem=shown(problem, ui.lang))
    return ui.redirect(list_url("/ui/parked", retried=change_id))


# -- what a record page shows about sync ------------------------------------------------------


def _record_url(app: str | None, kind: str | None, record_id: int | None) -> str | None:
    base = RECORD_PAGES.get((app, kind))
    return f"{base}/{record_id}" if base and record_id else None


def record_sync(ui: Ui, app: str, kind: str, record_id: int) -> dict:
    """The record's counterpart in each partner app (a link) and the latest decisions about it."""
    connector = _connector(ui.request)
    tenant = ui.principal.tenant_id
    out = {"counterparts": [], "decisions": [], "log_url": list_url("/ui/log", app=app, kind=kind, record_id=record_id)}
    with UnitOfWork(connector.db) as uow:
        for other in PARTNERS.get((app, kind), ()):
            found = links.find(uow.session, tenant, app, kind, record_id, other)
            url = _record_url(other, found[0], found[1]) if found else None
            out["counterparts"].append({"app": other, "linked": found is not None, "url": url, "label": ui._(f"ui.kind.{found[0]}") if found else ""})
        try:
            scope = (*log_scope(connector, ui.principal), *_record_where(app, kind, record_id))
        except Problem:
            return out
        rows, _ = log.search(uow.session, tenant, filters={}, limit=RECORD_DECISIONS, cursor=None, where=scope)
        out["decisions"] = [sync_api.log_read(r, ui.lang == "en") for r in rows]
    for c in out["counterparts"]:
        code = next((side["code"] for e in out["decisions"] for side in (e["source"], e["target"]) if side["app"] == c["app"] and side["code"]), None)
        c["label"] = f"{c['label']} {code}" if code and c["linked"] else c["label"]
    return out


# -- manual sync, Lấy về and Chuẩn hóa dữ liệu ------------------------------------------------


@dataclass(frozen=True)
class Mode:
    """One of the three screens over :mod:`lienthong.sync.manual`: which way records go,
    from which apps, of which kinds, and whether only records never synced are listed."""

    path: str
    direction: str
    sources: tuple[str, ...]
    kinds: tuple[str, ...]
    only_new: bool
    title: str
    intro: str
    run: str


MODES = {
    "manual": Mode("/ui/sync/manual", "push", ("accounting", "crm"), MANUAL_KINDS, False, "ui.manual.title", "ui.manual.intro", "ui.manual.run"),
    "pull": Mode("/ui/sync/pull", "pull", ("crm",), ("customers",), True, "ui.pull.title", "ui.pull.intro", "ui.pull.run"),
    "normalise": Mode("/ui/sync/normalise", "pull", ("accounting",), MANUAL_KINDS, True, "ui.normalise.title", "ui.normalise.intro", "ui.normalise.run"),
}
SHOWN_ROWS = 500  # rows a screen lists to tick; "all" takes every one
KEPT_JOBS = 50  # finished whole-kind runs whose outcome can still be read
NAV.append(NavItem("/ui/sync/manual", "ui.nav.manual", ("admin",)))
MESSAGES.update(
    {
        "ui.nav.manual": ("Đồng bộ thủ công", "Manual sync"),
        "ui.manual.title": ("Đồng bộ thủ công", "Manual sync"),
        "ui.manual.intro": (
            "Chọn loại dữ liệu và chiều đồng bộ, đánh dấu bản ghi (hoặc chọn tất cả), xem trước rồi chạy. Kết quả từng bản ghi hiện bên dưới và được ghi vào nhật ký đồng bộ.",
            "Choose the kind and the direction, tick records (or take all), preview, then run. Each record's outcome shows below and goes into the sync log.",
        ),
        "ui.manual.run": ("Đồng bộ", "Sync"),
        "ui.pull.title": ("Lấy về từ CRM", "Pull from CRM"),
        "ui.pull.intro": (
            "Các khách hàng CRM chưa có trên Kế toán. Đánh dấu khách hàng cần lấy về, xem trước rồi bấm Lấy về.",
            "CRM customers not yet in accounting. Tick the ones to pull, preview, then press Pull.",
        ),
        "ui.pull.run": ("Lấy về", "Pull"),
        "ui.normalise.title": ("Chuẩn hóa dữ liệu", "Data normalisation"),
        "ui.normalise.intro": (
            "Các bản ghi Kế toán chưa từng được đồng bộ sang CRM. Xem trước rồi lấy về CRM (tất cả, hoặc các bản ghi được đánh dấu).",
            "Accounting records that never reached CRM. Preview, then pull them into CRM (all of them, or the ticked ones).",
        ),
        "ui.normalise.run": ("Lấy về CRM", "Pull into CRM"),
        "ui.manual.kind": ("Loại dữ liệu", "Data kind"),
        "ui.manual.direction": ("Chiều đồng bộ", "Direction"),
        "ui.manual.one_way.price-policies": (
            "Chính sách giá chỉ đồng bộ từ Kế toán sang CRM: chính sách giá trên CRM không đồng bộ sang Kế toán.",
            "Price policies go from Accounting to CRM only: CRM's price policies do not sync to Accounting.",
        ),
        "ui.manual.way": ("{source} → {target}", "{source} → {target}"),
        "ui.manual.show": ("Hiển thị", "Show"),
        "ui.manual.all": ("Tất cả {n} bản ghi trong danh sách", "All {n} records listed"),
        "ui.manual.more": ("Danh sách chỉ hiện {shown} bản ghi đầu; chọn Tất cả để lấy cả {n}.", "Only the first {shown} records are listed; choose All to take all {n}."),
        "ui.manual.preview": ("Xem trước", "Preview"),
        "ui.manual.empty": ("Không có bản ghi nào.", "No records."),
        "ui.manual.linked": ("Đã liên kết", "Linked"),
        "ui.manual.not_linked": ("Chưa có ở ứng dụng kia", "Not in the other app"),
        "ui.manual.code": ("Mã", "Code"),
        "ui.manual.name": ("Tên", "Name"),
        "ui.manual.state": ("Tình trạng", "State"),
        "ui.manual.outcome": ("Kết quả từng bản ghi", "Outcome per record"),
        "ui.manual.previewed": ("Xem trước: chưa ghi gì. Đây là những gì lần chạy sẽ làm.", "Preview: nothing written. This is what the run will do."),
        "ui.manual.result": ("Kết quả", "Outcome"),
        "ui.manual.reason": ("Lý do", "Reason"),
        "ui.manual.counterpart": ("Bản ghi bên kia", "Counterpart"),
        "ui.manual.running": ("Đang đồng bộ…", "Syncing…"),
        "ui.manual.log": ("Xem trong nhật ký đồng bộ", "See the sync log"),
    }
)
_jobs: dict[str, dict] = {}  # the whole-kind runs of this server: {id: {tenant, user, done, total, result, problem}}
_jobs_lock = threading.Lock()


def _mode_view(ui: Ui, name: str, form: dict, *, result: dict | None = None, job: str | None = None, problem: Problem | None = None, status: int = 200) -> Response:
    """A manual-sync screen: the choice of kind and direction, the records to tick, and the
    outcome of the last preview or run."""
    mode = MODES[name]
    kind = form.get("kind") if form.get("kind") in mode.kinds else mode.kinds[0]
    ways = [s for s in mode.sources if s in manual_sources(kind)]  # a kind that goes one way is offered only that way
    source = form.get("from") if form.get("from") in ways else ways[0]
    rows, total, refused = [], 0, None
    try:
        manual.check_role(ui.principal, mode.direction, source)
        rows, total = _rows(ui, mode, kind, source)
    except Problem as exc:
        refused = exc
    options = {
        "kinds": [(k, ui._(f"ui.kind.{k}")) for k in mode.kinds],
        "ways": [(s, ui._("ui.manual.way", source=ui._(f"ui.app.{s}"), target=ui._(f"ui.app.{manual.other(s)}"))) for s in ways],
    }
    chosen = {"kind": kind, "from": source}
    one_way = len(ways) < len(mode.sources)
    return ui.render(
        "sync/manual.html", status_code=status, mode=mode, mode_name=name, form=chosen, options=options, one_way=one_way, rows=rows, total=total, shown_rows=SHOWN_ROWS,
        result=result, job=job, problem=shown(problem, ui.lang), refused=shown(refused, ui.lang),
    )


def _rows(ui: Ui, mode: Mode, kind: str, source: str) -> tuple[list[dict], int]:
    """The records to tick (the first :data:`SHOWN_ROWS`), each with whether it is linked."""
    connector = _connector(ui.request)
    tenant = ui.principal.tenant_id
    if mode.only_new:
        records = manual.candidates(connector, tenant, source, kind)
    else:
        records = read_all(connector.peers[source], tenant, kind.replace("-", "_"))
    shown_rows = records[:SHOWN_ROWS]
    with connector.db.reader() as session:
        known = manual.linked_ids(session, tenant, source, kind, [r["id"] for r in shown_rows])
    return [{"id": r["id"], "code": r["code"], "name": r.get("name"), "linked": r["id"] in known} for r in shown_rows], len(records)


def _mode_page(name: str):
    def page(ui: UiDep, kind: str = "", source: Annotated[str, Query(alias="from")] = ""):
        if ui.principal is None:
            return ui.sign_in()
        return _mode_view(ui, name, {"kind": kind, "from": source})

    page.__doc__ = f"The {name} screen: records to tick, preview, run."
    return page


for _name, _mode in MODES.items():
    router.add_api_route(_mode.path, _mode_page(_name), methods=["GET"], response_class=HTMLResponse)


def _ids(values: list[str]) -> list[int] | None:
    """The ticked ids (a tampered value is left out: the use case names what is wrong)."""
    return [int(v) for v in values if v.isdigit()] or None


@router.post("/ui/sync/run", response_class=HTMLResponse)
def run_manual(
    ui: UiDep,
    mode: Annotated[str, Form()],
    kind: Annotated[str, Form()],
    source: Annotated[str, Form(alias="from")],
    ids: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI's form default
    everything: Annotated[str, Form(alias="all")] = "",
    preview: Annotated[str, Form()] = "",
):
    """Preview or run a push or pull of the ticked records, or of all of them (a whole
    kind runs in the background with a live progress line)."""
    if ui.principal is None:
        return ui.sign_in()
    name = mode if mode in MODES else "manual"
    ui.here = MODES[name].path
    htmx = bool(ui.request.headers.get("HX-Request"))
    form = {"kind": kind, "from": source}
    take_all, chosen = everything == "true", _ids(ids)
    args = dict(direction=MODES[name].direction, kind=kind, source=source, ids=None if take_all else chosen, everything=take_all, preview=preview == "true")
    connector = _connector(ui.request)
    try:
        if take_all and not args["preview"]:
            manual.check_role(ui.principal, args["direction"], source)
            manual.check_request(kind, source, None, True)
            job = _start(connector, ui, args)
            result = None
        else:
            job, result = None, manual.sync_records(connector, ui.principal, **args)
    except Problem as problem:
        if htmx:
            return ui.render("sync/_manual_outcome.html", result=None, job=None, problem=shown(problem, ui.lang), counts=COUNTS)
        return _mode_view(ui, name, form, problem=problem, status=problem.status)
    if htmx:
        return ui.render("sync/_manual_outcome.html", headers=_done(result), result=result, job=_job_read(job) if job else None, problem=None, counts=COUNTS)
    return _mode_view(ui, name, form, result=result, job=_job_read(job) if job else None)


def _start(connector, ui: Ui, args: dict) -> str:
    """Run a whole kind in the background; its progress and outcome are read by its id."""
    job_id = uuid.uuid4().hex
    principal, lang = ui.principal, ui.lang
    with _jobs_lock:
        for old in [k for k, j in _jobs.items() if j["result"] is not None or j["problem"] is not None][:-KEPT_JOBS]:
            del _jobs[old]  # a finished run's outcome stays readable until newer ones push it out
        _jobs[job_id] = {"id": job_id, "tenant": principal.tenant_id, "user": principal.user_code, "done": 0, "total": 0, "result": None, "problem": None}

    def progress(done: int, total: int) -> None:
        _jobs[job_id].update(done=done, total=total)

    def work() -> None:
        set_language(lang)
        try:
            _jobs[job_id]["result"] = manual.sync_records(connector, principal, progress=progress, **args)
        except Problem as problem:
            _jobs[job_id]["problem"] = shown(problem, lang)
        except Exception as exc:  # noqa: BLE001 - the screen shows what went wrong
            _jobs[job_id]["problem"] = {"detail": repr(exc), "errors": []}

    thread = threading.Thread(target=work, name=f"manual-sync-{job_id[:8]}", daemon=True)
    _jobs[job_id]["thread"] = thread
    thread.start()
    return job_id


def _job_read(job_id: str) -> dict:
    job = _jobs[job_id]
    return {**job, "running": job["result"] is None and job["problem"] is None}


@router.get("/ui/sync/jobs/{job_id}", response_class=HTMLResponse)
def manual_progress(ui: UiDep, job_id: str):
    """A whole-kind run's progress line (htmx polls it), then its outcome per record."""
    if ui.principal is None:
        return ui.sign_in()
    job = _jobs.get(job_id)
    if job is None or (job["tenant"], job["user"]) != (ui.principal.tenant_id, ui.principal.user_code):
        return ui.render("_problem.html", status_code=404, problem={"detail": ui._("not_found", what=ui._("ui.manual.title"), ident=job_id), "errors": []})
    read = _job_read(job_id)
    return ui.render("sync/_manual_outcome.html", headers=_done(read["result"]), result=read["result"], job=read, problem=read["problem"], counts=COUNTS)


def _done(result: dict | None) -> dict | None:
    """After a run (not a preview), the screen's list of records refreshes itself."""
    return {"HX-Trigger": "manual-done"} if result and not result["preview"] else None
