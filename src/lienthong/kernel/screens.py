"""The screens of one kind of record: a list (search, filters, tick boxes, bulk actions, page
numbers, the add form above it), a record page, an edit form, and delete.

An app declares one :class:`RecordScreens` per kind in its ``pages.py`` with its own use
cases, schemas and templates (which extend the shell's ``_list.html``, ``_record.html`` and
``_form.html``); the handlers here parse, call one use case and render, as the API's do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from lienthong.kernel.pages import PAGE_SIZE, Pager, Ui, UiDep, form_values, list_url, page_number, parse, shown
from lienthong.kernel.problems import Problem
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.kernel.web import Id


@dataclass
class BulkAction:
    """A button of the bulk-action bar: it posts the ticked ids (``ids``) to ``path``."""

    key: str  # message key of its label
    path: str  # under the list's path, e.g. "/delete"
    css: str = ""
    confirm: str | None = None  # message key of the question asked first


@dataclass
class RecordScreens:
    app: str  # "accounting"
    kind: str  # "customers": the log's and the links' name of the kind
    path: str  # "/ui/accounting/customers"
    templates: str  # "accounting/customers": <templates>.html (list), _record.html, _form.html
    fields: tuple[str, ...]  # the form's text fields, in order
    create_schema: type
    update_schema: type
    create: Callable
    update: Callable
    delete: Callable | None
    get: Callable
    number: Callable  # (uow, principal, number, size, q, filters) -> (rows, total)
    id_name: str  # the use cases' keyword for the id: customer_id
    checks: tuple[str, ...] = ()  # the form's tick boxes (booleans)
    filters: tuple[str, ...] = ()  # query filters of the list (e.g. owner_empty)
    bulk: list[BulkAction] = field(default_factory=list)  # besides delete
    excel: list[dict] = field(default_factory=list)  # {key, path, css, filtered}: the import/export buttons; a filtered one's link carries the list's search and filters
    values: Callable[[Any], dict] | None = None  # a row as the edit form's values
    initial: dict = field(default_factory=dict)  # the add form's values before any typing
    notices: dict[str, tuple[str, str]] = field(default_factory=dict)  # query name -> (message key, its parameter), besides saved/deleted
    read_form: Callable[[Any], dict] | None = None  # the posted form's other parts (lists, rows) as the form's values
    prepare: Callable[[dict, dict], dict] | None = None  # (schema input, form) -> the schema input (words to codes, blank rows dropped)
    edit_guard: Callable[[Any], None] | None = None  # raises the Problem of a record that may not be edited here
    context: Callable[[Ui], dict] | None = None  # what the add and edit forms also show (the choices of a field)
    placed: tuple[str, ...] = ()  # prefixes of error fields the form shows next to a field of its own (items.0.price)

    def error_fields(self, problem: dict | None) -> tuple[str, ...]:
        """The error fields shown next to their field; the form lists the others above it."""
        found = tuple(e["field"] for e in problem["errors"] if e["field"].startswith(self.placed)) if problem and self.placed else ()
        return (*self.fields, *self.checks, *found)

    def more(self, ui: Ui) -> dict:
        return self.context(ui) if self.context is not None else {}

    def can_edit(self, row) -> bool:
        """Whether the screens offer to edit ``row`` (the use case checks again on save)."""
        try:
            if self.edit_guard is not None:
                self.edit_guard(row)
        except Problem:
            return False
        return True

    def install(self, router: APIRouter) -> None:
        p = self.path
        router.add_api_route(p, self.list_page, methods=["GET"], response_class=HTMLResponse)
        router.add_api_route(p, self.add, methods=["POST"], response_class=HTMLResponse)
        if self.delete is not None:
            router.add_api_route(p + "/delete", self.delete_ticked, methods=["POST"], response_class=HTMLResponse)
            router.add_api_route(p + "/{record_id}/delete", self.delete_one, methods=["POST"], response_class=HTMLResponse)
        router.add_api_route(p + "/{record_id}", self.record_page, methods=["GET"], response_class=HTMLResponse)
        router.add_api_route(p + "/{record_id}/edit", self.edit_page, methods=["GET"], response_class=HTMLResponse)
        router.add_api_route(p + "/{record_id}/edit", self.save, methods=["POST"], response_class=HTMLResponse)

    # -- the list and the add form --------------------------------------------------------

    def bulk_actions(self, ui: Ui) -> list[dict]:
        actions = list(self.bulk)
        if self.delete is not None:
            actions.append(BulkAction("ui.action.delete_ticked", "/delete", "danger", "ui.action.confirm_delete_ticked"))
        return [{"label": ui._(a.key), "url": self.path + a.path, "css": a.css, "confirm": ui._(a.confirm) if a.confirm else None} for a in actions]

    def list_view(self, ui: Ui, *, form: dict | None = None, problem: Problem | None = None, refused: Problem | None = None, status: int = 200, notice: str = "") -> Response:
        """The list page; ``problem`` is the add form's (shown in the form), ``refused`` an
        action's on the rows (shown above the list)."""
        ui.here = self.path
        params = ui.request.query_params
        q = params.get("q", "").strip()
        filters = {name: params.get(name) for name in self.filters if params.get(name)}
        number = page_number(params.get("page"))
        context = {"s": self, "q": q, "filters": filters, "form": form if form is not None else dict(self.initial), "problem": shown(problem, ui.lang), "notice": notice, "items": [], "pager": None, "list_problem": shown(refused, ui.lang)}
        context["bulk_actions"] = self.bulk_actions(ui)
        context.update(self.more(ui))  # before the list's unit of work: one at a time
        context["excel"] = [{"label": ui._(b["key"]), "url": list_url(self.path + b["path"], q=q, **filters) if b.get("filtered") else self.path + b["path"], "css": b.get("css", "")} for b in self.excel]
        try:
            with UnitOfWork(ui.db(self.app)) as uow:
                extra = {"filters": dict(filters)} if self.filters else {}
                rows, total = self.number(uow=uow, principal=ui.principal, number=number, size=PAGE_SIZE, q=q or None, **extra)
                context["pager"] = Pager(total, number, PAGE_SIZE, list_url(self.path, q=q, **filters))
                context["items"] = rows
                return ui.render(f"{self.templates}.html", status_code=status, **context)
        except Problem as exc:
            context["list_problem"] = shown(exc, ui.lang)
            return ui.render(f"{self.templates}.html", status_code=status if problem or refused else exc.status, **context)

    def list_page(self, ui: UiDep) -> Response:
        """The list, its search and filters, and the add form."""
        if ui.principal is None:
            return ui.sign_in()
        notices = {"saved": ("ui.form.saved", "code"), "deleted": ("ui.form.deleted", "n"), **self.notices}
        for name, (key, param) in notices.items():
            if value := ui.request.query_params.get(name):
                return self.list_view(ui, notice=ui._(key, **{param: value}))
        return self.list_view(ui)

    async def _form(self, request: Request) -> dict:
        data = await request.form()
        form = {name: str(data.get(name, "")).strip() for name in self.fields}
        form.update({name: data.get(name) == "true" for name in self.checks})
        form.update({f"{name}_search": str(data.get(f"{name}_search", "")) for name in self.fields})  # a picker's shown name
        if self.read_form is not None:
            form.update(self.read_form(data))
        return form

    def _values(self, form: dict) -> dict:
        """The form as the schema's input: code and name always given (blank is their error),
        another blank field is None."""
        values = form_values(form, self.fields)
        values.update({name: form[name] for name in self.checks})
        return self.prepare(values, form) if self.prepare is not None else values

    async def add(self, ui: UiDep, request: Request) -> Response:
        """Add a record (the add form above the list)."""
        if ui.principal is None:
            return ui.sign_in()
        form = await self._form(request)
        try:
            data = parse(self.create_schema, self._values(form))
            with UnitOfWork(ui.db(self.app)) as uow:
                row = self.create(uow=uow, principal=ui.principal, data=data)
                code = row.code
        except Problem as problem:
            return self.list_view(ui, form=form, problem=problem, status=problem.status)
        return ui.redirect(list_url(self.path, saved=code))

    # -- one record -------------------------------------------------------------------------

    def _get(self, ui: Ui, uow: UnitOfWork, record_id: int):
        return self.get(uow=uow, principal=ui.principal, **{self.id_name: record_id})

    def record_page(self, ui: UiDep, record_id: Id) -> Response:
        """One record, its counterpart in the other app and the latest sync decisions about it."""
        if ui.principal is None:
            return ui.sign_in()
        try:
            with UnitOfWork(ui.db(self.app)) as uow:
                row = self._get(ui, uow, record_id)
                sync = ui.record_sync(self.app, self.kind, record_id)
                return ui.render(f"{self.templates}_record.html", s=self, r=row, sync=sync)
        except Problem as problem:
            return ui.render("_gone.html", status_code=problem.status, s=self, problem=shown(problem, ui.lang))

    def edit_page(self, ui: UiDep, record_id: Id) -> Response:
        """The edit form of one record."""
        if ui.principal is None:
            return ui.sign_in()
        more = self.more(ui)
        try:
            with UnitOfWork(ui.db(self.app)) as uow:
                row = self._get(ui, uow, record_id)
                if self.edit_guard is not None:
                    self.edit_guard(row)
                return ui.render(f"{self.templates}_form.html", s=self, r=row, form=self.values(row), problem=None, **more)
        except Problem as problem:
            return ui.render("_gone.html", status_code=problem.status, s=self, problem=shown(problem, ui.lang))

    async def save(self, ui: UiDep, request: Request, record_id: Id) -> Response:
        """Save the edit form: every field is sent, a blank one clears it."""
        if ui.principal is None:
            return ui.sign_in()
        form = await self._form(request)
        try:
            data = parse(self.update_schema, self._values(form))
            with UnitOfWork(ui.db(self.app)) as uow:
                row = self.update(uow=uow, principal=ui.principal, data=data, **{self.id_name: record_id})
                code = row.code
        except Problem as problem:
            more = self.more(ui)
            try:
                with UnitOfWork(ui.db(self.app)) as uow:
                    row = self._get(ui, uow, record_id)
                    return ui.render(f"{self.templates}_form.html", status_code=problem.status, s=self, r=row, form=form, problem=shown(problem, ui.lang), **more)
            except Problem as gone:
                return ui.render("_gone.html", status_code=gone.status, s=self, problem=shown(gone, ui.lang))
        return ui.redirect(f"{self.path}/{record_id}?" + f"saved={code}")

    # -- delete ------------------------------------------------------------------------------

    def _delete(self, ui: Ui, ids: list[int]) -> tuple[int, Problem | None]:
        done = 0
        for record_id in ids:
            try:
                with UnitOfWork(ui.db(self.app)) as uow:
                    self.delete(uow=uow, principal=ui.principal, **{self.id_name: record_id})
                done += 1
            except Problem as problem:
                return done, problem
        return done, None

    def delete_one(self, ui: UiDep, record_id: Id) -> Response:
        """Delete one record (the row's "Xóa")."""
        if ui.principal is None:
            return ui.sign_in()
        done, problem = self._delete(ui, [record_id])
        if problem is not None:
            return self.list_view(ui, refused=problem, status=problem.status)
        return ui.redirect(list_url(self.path, deleted=done))

    async def delete_ticked(self, ui: UiDep, request: Request) -> Response:
        """Delete the ticked rows; it stops at the first one that may not go and says why."""
        if ui.principal is None:
            return ui.sign_in()
        data = await request.form()
        ids = [int(v) for v in data.getlist("ids") if str(v).isdigit()]
        if not ids:
            return self.list_view(ui, refused=Problem("ui.form.none_ticked"), status=422)
        done, problem = self._delete(ui, ids)
        if problem is not None:
            return self.list_view(ui, refused=problem, status=problem.status, notice=ui._("ui.form.deleted", n=done) if done else "")
        return ui.redirect(list_url(self.path, deleted=done))
