"""The owner tools on the CRM customer list: handover, Excel export and import, merge.

Each screen calls the service function the API calls (:mod:`lienthong.crm.owners`,
:mod:`lienthong.crm.customer_excel`, :mod:`lienthong.crm.merge`), so sharing by owner
and the rules hold the same: a sales user's tick on a customer they may not see is a 404.
The routes are installed before the record routes, so ``/handover`` is not read as an id.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from lienthong.crm import customer_excel, merge, owners
from lienthong.crm.customers import CUSTOMERS as CATALOG
from lienthong.crm.customers import customer_data
from lienthong.crm.sharing import visible_many
from lienthong.kernel.importing import MODES
from lienthong.kernel.pages import Ui, UiDep, list_url, shown
from lienthong.kernel.problems import FieldError, Problem, ValidationProblem
from lienthong.kernel.screens import BulkAction, RecordScreens
from lienthong.kernel.unit_of_work import UnitOfWork

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROW_FIELD = re.compile(r"rows\[(\d+)\]\.(\w+)")  # an import error's field: rows[<excel row>].<field>
MERGE_MIN, MERGE_MAX = 2, merge.MAX_MERGED + 1

BULK = [
    BulkAction("ui.crm.handover.action", "/handover", "handover"),
    BulkAction("ui.crm.export.action", "/export", "export"),
    BulkAction("ui.crm.merge.action", "/merge", "merge"),
]
EXCEL = [{"key": "ui.action.import", "path": "/import", "css": "import"}, {"key": "ui.crm.export.filtered", "path": "/export", "css": "export-filtered", "filtered": True}]


def ticked(data) -> list[int]:
    """The ticked rows' ids of a posted form, in their order, each once."""
    return list(dict.fromkeys(int(v) for v in data.getlist("ids") if str(v).isdigit()))


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

    # -- import ------------------------------------------------------------------------------

    def import_page(ui: Ui, form: dict, problem: Problem | None = None, status: int = 200, result=None) -> Response:
        ui.here = s.path
        return ui.render("crm/import.html", status_code=status, s=s, modes=MODES, form=form, problem=shown(problem, ui.lang), bad_rows=bad_rows(problem, ui.lang), result=result)

    @router.get(s.path + "/import", response_class=HTMLResponse)
    def import_form(ui: UiDep):
        """The import form: the file, the mode and where the owners come from."""
        if ui.principal is None:
            return ui.sign_in()
        return import_page(ui, {"mode": "upsert", "owner_from": "file"})

    @router.post(s.path + "/import", response_class=HTMLResponse)
    async def import_file(
        ui: UiDep,
        file: Annotated[UploadFile | None, File()] = None,
        mode: Annotated[str, Form()] = "upsert",
        owner_from: Annotated[str, Form()] = "file",
        owner_code: Annotated[str, Form()] = "",
        owner_code_search: Annotated[str, Form()] = "",
    ):
        """Import the workbook: its counts, or each bad row (the file then changes nothing)."""
        if ui.principal is None:
            return ui.sign_in()
        form = {"mode": mode, "owner_from": owner_from, "owner_code": owner_code.strip(), "owner_code_search": owner_code_search}
        if file is None or not file.filename:
            return import_page(ui, form, ValidationProblem("title.validation_detail", errors=[FieldError("file", "required", "ui.crm.import.no_file")], count=1), 422)
        try:
            result = customer_excel.import_customers(db=ui.db("crm"), principal=ui.principal, data=await file.read(), mode=mode, owner_from=owner_from, owner_code=form["owner_code"] or None)
        except Problem as problem:
            return import_page(ui, form, problem, problem.status)
        return import_page(ui, form, result=result)

    # -- merge -------------------------------------------------------------------------------

    def merge_form(ui: Ui, rows: list, form: dict, problem: Problem | None = None, status: int = 200) -> Response:
        ui.here = s.path
        return ui.render("crm/merge.html", status_code=status, s=s, rows=rows, form=form, fields=merge.FIELDS, problem=shown(problem, ui.lang))

    @router.post(s.path + "/merge", response_class=HTMLResponse)
    async def merge_ticked(ui: UiDep, request: Request):
        """Merge 2-3 ticked customers: first the form (the survivor, and field by field whose
        value survives), then, confirmed, the merge and the survivor's page."""
        if ui.principal is None:
            return ui.sign_in()
        data = await request.form()
        ids = ticked(data)
        if not ids:
            return s.list_view(ui, refused=Problem("ui.form.none_ticked"), status=422)
        if not MERGE_MIN <= len(ids) <= MERGE_MAX:
            return s.list_view(ui, refused=Problem("ui.crm.merge.count", n=len(ids)), status=422)
        try:
            rows = customers_of(ui, ids)
        except Problem as problem:
            return s.list_view(ui, refused=problem, status=problem.status)
        survivor = int(data["survivor_id"]) if str(data.get("survivor_id", "")).isdigit() else ids[0]
        form = {"survivor_id": survivor, **{f: str(data.get(f"value_{f}", "")) for f in merge.FIELDS}}
        if data.get("confirm") != "true":
            return merge_form(ui, rows, form)
        values = {f: int(form[f]) for f in merge.FIELDS if form[f].isdigit() and int(form[f]) != survivor}
        try:
            with UnitOfWork(ui.db("crm")) as uow:
                kept, _ = merge.merge_customers(uow=uow, principal=ui.principal, survivor_id=survivor, merged_ids=[i for i in ids if i != survivor], values=values)
                code = kept.code
        except Problem as problem:
            return merge_form(ui, rows, form, problem, problem.status)
        return ui.redirect(list_url(f"{s.path}/{survivor}", saved=code))


def bad_rows(problem: Problem | None, lang: str) -> list[dict]:
    """An import's bad cells as the report shows them: row number, column title, reason."""
    out = []
    for err in problem.errors if problem else []:
        found = ROW_FIELD.fullmatch(err.field)
        if found:
            out.append({"row": int(found[1]), "column": customer_excel.COLUMNS.get(found[2], (found[2],))[0], "message": err.render(lang)["message"]})
    return out
