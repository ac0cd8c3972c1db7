"""The Excel buttons of a list: the import (file, mode, a live progress line, then the
report) and the export of the ticked rows or of the current search.

An import runs as a :mod:`lienthong.kernel.jobs` job; the page polls its progress line
(``_import_job.html``) until it ends, then the whole import section is drawn again
(``_import_section.html``): the counts, or each bad row with its row number, column and
reason, and the errors about the form (the file, the mode, the owner) next to their fields.
Every list with an import uses :class:`ImportScreen` and the shared ``import.html``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from lienthong.kernel.importing import MODES
from lienthong.kernel.jobs import jobs_of
from lienthong.kernel.pages import Ui, UiDep, shown
from lienthong.kernel.problems import FieldError, Problem, ValidationProblem
from lienthong.kernel.screens import RecordScreens
from lienthong.kernel.unit_of_work import UnitOfWork

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROW_FIELD = re.compile(r"rows\[(\d+)\]\.(\w+)")  # an import error's field: rows[<excel row>].<field>


@dataclass
class ImportScreen:
    s: RecordScreens
    run: Callable  # (db=, principal=, data=, mode=, progress=, **options) -> ImportResult
    columns: dict[str, tuple[str, ...]]  # field -> header texts; the report names a column by the first
    title: str  # message key of the page's title
    options: tuple[str, ...] = ()  # other fields of the form handed to ``run`` (owner_from, owner_code)
    defaults: dict = field(default_factory=dict)  # the form's values before any choice
    options_template: str | None = None  # the template of the other fields

    @property
    def path(self) -> str:
        return self.s.path + "/import"

    def install(self, router: APIRouter) -> None:
        router.add_api_route(self.path, self.form_page, methods=["GET"], response_class=HTMLResponse)
        router.add_api_route(self.path, self.start, methods=["POST"], response_class=HTMLResponse)
        router.add_api_route(self.path + "/{job_id}", self.follow, methods=["GET"], response_class=HTMLResponse)

    def _render(self, ui: Ui, name: str, form: dict, job: dict | None = None, problem: Problem | None = None, status: int = 200, headers: dict | None = None) -> Response:
        ui.here = self.s.path
        if job is not None and job["state"] != "running":
            problem = job["problem"]
        form_problem, bad_rows = self.split(problem, ui.lang)
        return ui.render(name, status_code=status, headers=headers, s=self.s, imp=self, modes=MODES, form=form, job=job, problem=form_problem, bad_rows=bad_rows)

    def form_page(self, ui: UiDep) -> Response:
        """The import form: the file, the mode (Thêm mới, Cập nhật, Cả hai) and the options."""
        if ui.principal is None:
            return ui.sign_in()
        return self._render(ui, "import.html", {"mode": "upsert", **self.defaults})

    async def start(self, ui: UiDep, request: Request) -> Response:
        """Start the import; the page then follows its progress line to the report."""
        if ui.principal is None:
            return ui.sign_in()
        data = await request.form()
        form = {"mode": str(data.get("mode") or "upsert"), **{k: str(data.get(k, "")).strip() for k in self.options}}
        form.update({f"{k}_search": str(data.get(f"{k}_search", "")) for k in self.options})
        upload = data.get("file")
        if upload is None or isinstance(upload, str) or not upload.filename:
            problem = ValidationProblem("title.validation_detail", errors=[FieldError("file", "required", "ui.import.no_file")], count=1)
            return self._render(ui, "import.html", form, problem=problem, status=422)
        content = await upload.read()
        db, principal = ui.db(self.s.app), ui.principal
        options = {k: form[k] or self.defaults.get(k) for k in self.options}
        job = jobs_of(ui.request.app).start(principal, lambda progress: self.run(db=db, principal=principal, data=content, mode=form["mode"], progress=progress, **options))
        return self._render(ui, "import.html", form, job=job.view(), status=202)

    def follow(self, ui: UiDep, job_id: str) -> Response:
        """The progress line (htmx polls it); once the import ends, the whole section again
        (its report, and the form's errors next to their fields)."""
        if ui.principal is None:
            return ui.sign_in()
        job = jobs_of(ui.request.app).get(ui.principal, job_id)
        if job is None:
            return ui.render("_problem.html", status_code=404, problem=shown(Problem("ui.import.gone"), ui.lang))
        view = job.view()
        if view["state"] == "running":
            return self._render(ui, "_import_job.html", {}, job=view)
        return self._render(ui, "_import_section.html", {"mode": "upsert", **self.defaults}, job=view, headers={"HX-Retarget": "#import", "HX-Reswap": "outerHTML"})

    def split(self, problem: Problem | None, lang: str) -> tuple[dict | None, list[dict]]:
        """An import's problem as the page shows it: the form's errors (next to their fields)
        and the bad cells of the file (row number, column title, reason)."""
        view = shown(problem, lang, prefix="ui.import.field.")
        if view is None:
            return None, []
        rows, others = [], []
        for err in view["errors"]:
            found = ROW_FIELD.fullmatch(err["field"])
            if found:
                rows.append({"row": int(found[1]), "column": self.columns.get(found[2], (found[2],))[0], "message": err["message"]})
            else:
                others.append(err)
        by_field: dict[str, list[str]] = {}
        for err in others:
            by_field.setdefault(err["field"], []).append(err["message"])
        return {**view, "errors": others, "fields": set(by_field), "by_field": by_field}, rows


@dataclass
class ExportScreen:
    """The workbook of the ticked rows (POST ``ids``) or of the list's search (GET ``q``)."""

    s: RecordScreens
    export: Callable  # (uow=, principal=, ids=, q=) -> the workbook's bytes
    filename: str

    def install(self, router: APIRouter) -> None:
        router.add_api_route(self.s.path + "/export", self.export_searched, methods=["GET"])
        router.add_api_route(self.s.path + "/export", self.export_ticked, methods=["POST"])

    def _answer(self, ui: Ui, ids: list[int] | None, q: str) -> Response:
        try:
            with UnitOfWork(ui.db(self.s.app)) as uow:
                data = self.export(uow=uow, principal=ui.principal, ids=ids, q=q or None)
        except Problem as problem:
            return self.s.list_view(ui, refused=problem, status=problem.status)
        return ui.finish(Response(data, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{self.filename}"'}))

    def export_searched(self, ui: UiDep, q: str = "") -> Response:
        """The records of the list's search (nothing ticked) as the workbook."""
        if ui.principal is None:
            return ui.sign_in()
        return self._answer(ui, None, q.strip())

    async def export_ticked(self, ui: UiDep, request: Request) -> Response:
        """The ticked records as the workbook."""
        if ui.principal is None:
            return ui.sign_in()
        data = await request.form()
        ids = list(dict.fromkeys(int(v) for v in data.getlist("ids") if str(v).isdigit()))
        if not ids:
            return self.s.list_view(ui, refused=Problem("ui.form.none_ticked"), status=422)
        return self._answer(ui, ids, "")
