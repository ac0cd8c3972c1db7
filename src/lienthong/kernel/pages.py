"""What every app's ``pages.py`` needs from the web layer, without knowing the others.

The web layer (``lienthong.web``) puts on ``app.state``: ``templates`` (the Jinja
environment over the shell's and every app's templates), ``page_principal`` (request ->
the signed-in :class:`Principal` or None) and ``page_csrf`` (request -> the session's CSRF
token), and, when the connector runs, ``record_sync`` (what a record page shows about its
counterpart and the latest decisions). An app's pages call their own use cases and render
their own templates with the shared macros (``_ui.html``).
"""

from __future__ import annotations

import math
from decimal import Decimal
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from lienthong.kernel.auth import Principal
from lienthong.kernel.i18n import DEFAULT_LANG, MESSAGES, t
from lienthong.kernel.problems import Problem, ValidationProblem, pydantic_error

LANG_COOKIE = "lang"
LANGS = ("vi", "en")
PAGE_SIZE = 50


@dataclass
class Ui:
    """One page request: its language and the signed-in principal (or None)."""

    request: Request
    lang: str
    principal: Principal | None
    lang_asked: bool = False
    here: str | None = None  # the page shown, when it is not the request's path (after a form post)

    def _(self, key: str, **params) -> str:
        return t(key, self.lang, **params)

    @property
    def csrf(self) -> str:
        """The CSRF token every state-changing form and htmx request of this session carries."""
        return self.request.app.state.page_csrf(self.request)

    def lang_url(self, lang: str) -> str:
        """This page in ``lang`` (after a form post: the page the form belongs to)."""
        if self.request.method == "GET" and self.here is None:
            return f"{self.request.url.path}?{urlencode({**self.request.query_params, 'lang': lang})}"
        return f"{self.here or self.request.url.path}?{urlencode({'lang': lang})}"

    def finish(self, response: Response) -> Response:
        response.headers["Content-Language"] = self.lang
        if self.lang_asked:
            response.set_cookie(LANG_COOKIE, self.lang, max_age=365 * 24 * 3600, samesite="lax", path="/")
        return response

    def render(self, name: str, status_code: int = 200, headers: dict | None = None, **context) -> Response:
        context.update(ui=self, _=self._, lang=self.lang, principal=self.principal)
        templates = self.request.app.state.templates
        return self.finish(templates.TemplateResponse(self.request, name, context, status_code=status_code, headers=headers))

    def redirect(self, url: str) -> Response:
        if self.request.headers.get("HX-Request"):
            return self.finish(Response(status_code=200, headers={"HX-Redirect": url}))
        return self.finish(RedirectResponse(url, status_code=303))

    def sign_in(self) -> Response:
        """Where an unauthenticated page request goes: the sign-in page."""
        here = self.request.url.path
        return self.redirect("/?" + urlencode({"next": here}) if here.startswith("/ui/") and self.request.method == "GET" else "/")

    def db(self, app: str):
        """``app``'s database, or None when this server does not host it."""
        return self.request.app.state.databases.get(app)

    def record_sync(self, app: str, kind: str, record_id: int) -> dict | None:
        """The counterpart and latest decisions of a record (None without a connector)."""
        reader = getattr(self.request.app.state, "record_sync", None)
        return reader(self, app, kind, record_id) if reader else None


def ui(request: Request) -> Ui:
    asked = request.query_params.get("lang")
    cookie = request.cookies.get(LANG_COOKIE)
    lang = asked if asked in LANGS else cookie if cookie in LANGS else DEFAULT_LANG
    return Ui(request, lang, request.app.state.page_principal(request), lang_asked=asked in LANGS)


UiDep = Annotated[Ui, Depends(ui)]


def parse(schema, values: dict):
    """Validate form values with the API's schema: every bad field at once, as the API's 422."""
    try:
        return schema.model_validate(values)
    except ValidationError as exc:
        errs = [pydantic_error(".".join(str(p) for p in e["loc"]) or "body", e) for e in exc.errors()]
        raise ValidationProblem("title.validation_detail", errors=errs, count=len(errs)) from None


def shown(problem: Problem | None, lang: str, prefix: str = "ui.field.") -> dict | None:
    """A problem as the templates show it: its detail, each error with its field's label,
    and ``by_field`` (field -> messages) so each message sits next to its field."""
    if problem is None:
        return None
    items = []
    for err in problem.errors:
        rendered = err.render(lang)
        key = f"{prefix}{rendered['field']}"
        items.append({**rendered, "label": t(key, lang) if key in MESSAGES else rendered["field"]})
    by_field: dict[str, list[str]] = {}
    for e in items:
        by_field.setdefault(e["field"], []).append(e["message"])
    return {"detail": problem.detail(lang), "errors": items, "fields": set(by_field), "by_field": by_field}


def vn_money(value) -> str:
    """An amount as Vietnamese write it: 1.234.567 đ (a comma before the decimals)."""
    if value in (None, ""):
        return ""
    amount = Decimal(str(value))
    whole, _, fraction = f"{abs(amount):f}".partition(".")
    fraction = fraction.rstrip("0")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{'-' if amount < 0 else ''}{grouped}{',' + fraction if fraction else ''} đ"


def form_values(form: dict, names: tuple[str, ...], required: tuple[str, ...] = ("code", "name")) -> dict:
    """Form text as a schema's input: a blank optional field is None (not given)."""
    return {k: (form.get(k) if form.get(k) not in ("", None) or k in required else None) for k in names}


@dataclass
class Pager:
    """Page numbers of a list: the total, this page, and the links to the others."""

    total: int
    number: int
    size: int
    base: str  # the list's URL with its query (search, filters), without ``page``

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    def url(self, number: int) -> str:
        return f"{self.base}{'&' if '?' in self.base else '?'}page={number}"

    @property
    def numbers(self) -> list[int | None]:
        """The page numbers to show: first, last and two around this one; None is a gap."""
        wanted = sorted({1, self.pages, *range(max(1, self.number - 2), min(self.pages, self.number + 2) + 1)})
        out: list[int | None] = []
        for n in wanted:
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        return out


def page_number(value: str | int | None) -> int:
    """A page number from the query: anything but a whole number from 1 up is page 1."""
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def list_url(path: str, **params) -> str:
    kept = {k: v for k, v in params.items() if v not in (None, "", False)}
    return f"{path}?{urlencode(kept)}" if kept else path


@dataclass(frozen=True)
class NavItem:
    """One entry of the menu: where it goes, its label's message key, who sees it (empty: all)."""

    path: str
    key: str
    roles: tuple[str, ...] = ()
