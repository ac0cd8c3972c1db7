"""The owner tools on the CRM customer list: handover, Excel export and import, merge
(the import and the merge are the shared screens of :mod:`lienthong.kernel.excel_screens`
and :mod:`lienthong.kernel.merge_screen`).

Each screen calls the service function the API calls (:mod:`lienthong.crm.owners`,
:mod:`lienthong.crm.customer_excel`, :mod:`lienthong.crm.merge`), so sharing by owner
and the rules hold the same: a sales user's tick on a customer they may not see is a 404.
The routes are installed before the record routes, so ``/handover`` is not read as an id.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from lienthong.crm import customer_excel, merge, owners
from lienthong.crm.customers import CUSTOMERS as CATALOG
from lienthong.crm.customers import customer_data
from lienthong.crm.sharing import visible_many
from lienthong.kernel.excel_screens import ImportScreen
from lienthong.kernel.merge_screen import MergeScreen, ticked
from lienthong.kernel.pages import Ui, UiDep, shown
from lienthong.kernel.problems import Problem
from lienthong.kernel.screens import BulkAction, RecordScreens
from lienthong.kernel.unit_of_work import UnitOfWork

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

BULK = [
    BulkAction("ui.crm.handover.action", "/handover", "handover"),
    BulkAction("ui.crm.export.action", "/export", "export"),
    BulkAction("ui.crm.merge.action", "/merge", "merge"),
]
EXCEL = [{"key": "ui.action.import", "path": "/import", "css": "import"}, {"key": "ui.crm.export.filtered", "path": "/export", "css": "export-filtered", "filtered": True}]


def install(router: APIRouter, s: RecordScreens) -> None:
    """Add the owner tools' routes for the customer screens ``s``."""

    def customers_of(ui: Ui, ids: list[int]) -> list[dict]:
        """The ticked customers (each one the user may see, else 404) as the forms show them."""
        with UnitOfWork(ui.db("crm")) as uow:
            rows = visible_many(uow, ui.principal, CATALOG, ids)
            return [{**customer_data(r), "id": r.id, "owner_name": r.owner.name if r.owner else ""} for r in rows]

    # -- handover ----------------------------------------------------------------------------

    def handover_form(ui: Ui, rows: list, form: dict, problem: Problem | None = None, status: int = 200, done: dict | None = None) -> Response:
        ui.here = s.path
        return ui.render("crm/handover.html", status_code=status, s=s, rows=rows, form=form, kinds=owners.KINDS, problem=shown(problem, ui.lang), done=done)

    @router.post(s.path + "/handover", response_class=HTMLResponse)
    async def handover(ui: UiDep, request: Request):
        """The ticked rows' handover: first the form (assignee, kinds), then, confirmed, the
        owners change and the page lists what changed."""
        if ui.principal is None:
            return ui.sign_in()
        data = await request.form()
        ids = ticked(data)
        if not ids:
            return s.list_view(ui, refused=Problem("ui.form.none_ticked"), status=422)
        try:
            rows = customers_of(ui, ids)
        except Problem as problem:
            return s.list_view(ui, refused=problem, status=problem.status)
        form = {"assignee_code": str(data.get("assignee_code", "")).strip(), "assignee_code_search": str(data.get("assignee_code_search", "")), "kinds": data.getlist("kinds")}
        if data.get("confirm") != "true":
            return handover_form(ui, rows, {**form, "kinds": list(owners.KINDS)})
        try:
            with UnitOfWork(ui.db("crm")) as uow:
                changed = owners.handover(uow=uow, principal=ui.principal, customer_ids=ids, assignee_code=form["assignee_code"], kinds=form["kinds"])
                done = {kind: [(r.code, r.name) for r in found] for kind, found in changed.items()}
        except Problem as problem:
            return handover_form(ui, rows, form, problem, problem.status)
        return handover_form(ui, customers_of(ui, ids), form, done=done)

    # -- export ------------------------------------------------------------------------------

    def export(ui: Ui, ids: list[int] | None, q: str, owner_empty: bool) -> Response:
        try:
            with UnitOfWork(ui.db("crm")) as uow:
                data = customer_excel.export_customers(uow=uow, principal=ui.principal, ids=ids or None, owner_empty_only=owner_empty, q=q or None)
        except Problem as problem:
            return s.list_view(ui, refused=problem, status=problem.status)
        return ui.finish(Response(data, media_type=XLSX, headers={"Content-Disposition": 'attachment; filename="khach-hang.xlsx"'}))

    @router.get(s.path + "/export")
    def export_filtered(ui: UiDep, q: str = "", owner_empty: str = ""):
        """The customers of the current search and filter (nothing ticked) as the workbook."""
        if ui.principal is None:
            return ui.sign_in()
        return export(ui, None, q.strip(), owner_empty == "true")

    @router.post(s.path + "/export")
    async def export_ticked(ui: UiDep, request: Request):
        """The ticked customers as the workbook."""
        if ui.principal is None:
            return ui.sign_in()
        ids = ticked(await request.form())
        if not ids:
            return s.list_view(ui, refused=Problem("ui.form.none_ticked"), status=422)
        return export(ui, ids, "", False)

    # -- import (its progress line and report) and merge: the shared screens --------------------
    ImportScreen(
        s, customer_excel.import_customers, customer_excel.COLUMNS, "ui.crm.import.title",
        options=("owner_from", "owner_code"), defaults={"owner_from": "file"}, options_template="crm/_import_owner.html",
    ).install(router)
    MergeScreen(s, merge.merge_customers, merge.FIELDS, "ui.crm.merge", "ui.crm.field.", shows={"owner_code": lambda ui, row: row.owner.name if row.owner else None}).install(router)
