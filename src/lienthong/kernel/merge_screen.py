"""The merge screen ("Gộp") of a list: 2 or 3 ticked records become one.

The first post shows the form: which record is kept (the survivor) and, field by field,
whose value survives (by default the survivor's own). Confirmed, it calls the app's merge
use case ``merge(uow=, principal=, survivor_id=, merged_ids=, values={field: id})`` and
opens the survivor's page. Every kind that merges (CRM customers, products, product groups)
uses this one screen and the shared template ``merge.html``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from lienthong.kernel.pages import Ui, UiDep, list_url, shown
from lienthong.kernel.problems import Problem
from lienthong.kernel.screens import RecordScreens
from lienthong.kernel.unit_of_work import UnitOfWork

MERGE_MIN, MERGE_MAX = 2, 3


def ticked(data) -> list[int]:
    """The ticked rows' ids of a posted form, in their order, each once."""
    return list(dict.fromkeys(int(v) for v in data.getlist("ids") if str(v).isdigit()))


@dataclass
class MergeScreen:
    s: RecordScreens
    merge: Callable  # (uow, principal, survivor_id, merged_ids, values) -> the survivor
    fields: tuple[str, ...]  # the fields whose surviving value the user picks
    texts: str  # message prefix: <texts>.title, .count, .survivor, .values, .survivors_value, .blank, .confirm
    field_key: str  # message prefix of the fields' labels
    shows: dict[str, Callable] = field(default_factory=dict)  # field -> (ui, row) -> the value in words (a person's name, money)

    @property
    def form_fields(self) -> tuple[str, ...]:
        """The error fields the form shows next to a field (the others are listed above it)."""
        return ("merged_ids", *(f"values.{f}" for f in self.fields))

    def install(self, router: APIRouter) -> None:
        router.add_api_route(self.s.path + "/merge", self.merge_ticked, methods=["POST"], response_class=HTMLResponse)

    def _rows(self, ui: Ui, ids: list[int]) -> list[dict]:
        """The ticked records as the form shows them (each one the user may see, else its Problem)."""
        with UnitOfWork(ui.db(self.s.app)) as uow:
            out = []
            for record_id in ids:
                row = self.s.get(uow=uow, principal=ui.principal, **{self.s.id_name: record_id})
                values = {f: (self.shows[f](ui, row) if f in self.shows else getattr(row, f)) for f in self.fields}
                out.append({"id": row.id, "code": row.code, "name": row.name, "values": values})
            return out

    def _form(self, ui: Ui, rows: list, form: dict, problem: Problem | None = None, status: int = 200) -> Response:
        ui.here = self.s.path
        return ui.render("merge.html", status_code=status, s=self.s, m_=self, rows=rows, form=form, problem=shown(problem, ui.lang))

    async def merge_ticked(self, ui: UiDep, request: Request) -> Response:
        """Merge 2-3 ticked records: first the form, then, confirmed, the merge and the survivor's page."""
        if ui.principal is None:
            return ui.sign_in()
        s = self.s
        data = await request.form()
        ids = ticked(data)
        if not ids:
            return s.list_view(ui, refused=Problem("ui.form.none_ticked"), status=422)
        if not MERGE_MIN <= len(ids) <= MERGE_MAX:
            return s.list_view(ui, refused=Problem(f"{self.texts}.count", n=len(ids)), status=422)
        try:
            rows = self._rows(ui, ids)
        except Problem as problem:
            return s.list_view(ui, refused=problem, status=problem.status)
        chosen = data.get("survivor_id", "")
        survivor = int(chosen) if str(chosen).isdigit() and int(chosen) in ids else ids[0]
        form = {"survivor_id": survivor, **{f: str(data.get(f"value_{f}", "")) for f in self.fields}}
        if data.get("confirm") != "true":
            return self._form(ui, rows, form)
        values = {f: int(form[f]) for f in self.fields if form[f].isdigit() and int(form[f]) != survivor}
        try:
            with UnitOfWork(ui.db(s.app)) as uow:
                kept = self.merge(uow=uow, principal=ui.principal, survivor_id=survivor, merged_ids=[i for i in ids if i != survivor], values=values)
                code = (kept[0] if isinstance(kept, tuple) else kept).code
        except Problem as problem:
            return self._form(ui, rows, form, problem, problem.status)
        return ui.redirect(list_url(f"{s.path}/{survivor}", saved=code))
