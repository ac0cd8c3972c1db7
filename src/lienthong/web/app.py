"""The FastAPI application: every hosted app's router, the connector's, errors, language."""

from __future__ import annotations

from fastapi import Depends, FastAPI, Request
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from lienthong import __version__
from lienthong.accounting import api as accounting_api
from lienthong.accounting import pages as accounting_pages
from lienthong.crm import api as crm_api
from lienthong.crm import pages as crm_pages
from lienthong.kernel.i18n import pick_language, set_language
from lienthong.kernel.port_api import port_router
from lienthong.sync.guards import guard_router
from lienthong.kernel.routing import describe_query_text
from lienthong.kernel.schemas import problem_responses
from lienthong.process import api as process_api
from lienthong.sync import api as sync_api
from lienthong.sync import pages as sync_pages
from lienthong.system import api as system_api
from lienthong.system import pages as system_pages
from lienthong.web import csrf, errors, pages, session
from lienthong.web.limits import BodyLimitMiddleware, BodyLimits

PROBLEMS = problem_responses(400, 401, 403, 404, 409, 413, 422, 500)
ROUTERS = {"system": system_api.router, "accounting": accounting_api.router, "crm": crm_api.router, "process": process_api.router}
PAGES = {"system": system_pages, "accounting": accounting_pages, "crm": crm_pages}  # each app's screens (process has none yet)

DESCRIPTION = """lienthong: system, accounting, CRM and process apps, and the connector that keeps them consistent.

Authenticate with `Authorization: Bearer <token>` (scripts), or as a person with the session cookie
`lt_session` that `POST /api/v1/system/sign-in` sets; a state-changing request made with the cookie
also sends the header `X-CSRF-Token` (the sign-in answer's `csrf_token`). Errors are `application/problem+json` (RFC 9457)
with `errors: [{field, code, message}]`; messages are Vietnamese by default, English with
`Accept-Language: en`. Lists take `limit` and `cursor` and return `{items, next_cursor}`.

Ids are whole numbers from 1 to 2^63-1: an id (in a path or a query) out of that range or
not a number is a 422 naming the parameter; a well-formed id of no record is a 404.
A JSON body over its size limit is a 413 (`LIENTHONG_MAX_JSON_BYTES`, default 1 MiB;
uploads `LIENTHONG_MAX_UPLOAD_BYTES`, default 32 MiB). Timestamps are UTC, written with `Z`.
"""


def create_app(suite, limits: BodyLimits | None = None) -> FastAPI:
    """The web app; ``limits`` default to the environment's (see :mod:`lienthong.web.limits`).

    ``/docs`` serves Swagger UI from the installed ``fastapi-offline`` package (no CDN);
    ``/redoc`` likewise."""
    app = FastAPIOffline(title="lienthong", version=__version__, description=DESCRIPTION, static_url="/docs-static", swagger_ui_parameters={"validatorUrl": None})  # no call to an outside validator
    app.add_middleware(BodyLimitMiddleware, limits=limits or BodyLimits.from_env())
    app.state.suite = suite
    app.state.databases = suite.databases
    app.state.ports = suite.ports
    app.state.connector = suite.connector
    app.state.connector_token = suite.connector_token
    app.state.authenticate = suite.authenticate
    errors.install(app)

    @app.middleware("http")
    async def language(request: Request, call_next):
        set_language(pick_language(request.headers.get("accept-language")))
        response = await call_next(request)
        response.headers.setdefault("Content-Language", pick_language(request.headers.get("accept-language")))
        # No page of this server may be framed by another site (clickjacking of the signed-in UI).
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Content-Security-Policy", "frame-ancestors 'none'")
        return response

    for name, router in ROUTERS.items():
        if name in suite.databases:
            app.include_router(router, responses=PROBLEMS)
            app.include_router(port_router(name))
    if suite.connector is not None:
        app.include_router(sync_api.router, responses=PROBLEMS)
        app.include_router(guard_router())

    install_pages(app, suite)

    describe = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            app.openapi_schema = describe_query_text(describe())
        return app.openapi_schema

    app.openapi = openapi

    @app.get("/healthz", include_in_schema=False)
    def health():
        return {"ok": True, "apps": sorted(suite.databases)}

    return app


def install_pages(app: FastAPI, suite) -> None:
    """The UI: the shell, the screens of every hosted app and of the connector, one template
    environment over their templates, and the menu in that order."""
    screens = [module for name, module in PAGES.items() if name in suite.databases]
    if suite.connector is not None:
        screens.append(sync_pages)
        app.state.record_sync = sync_pages.record_sync
    app.state.templates = pages.make_templates([m.TEMPLATES for m in screens])
    app.state.page_principal = pages.page_principal
    app.state.page_csrf = pages.page_csrf
    app.state.nav = [item for m in screens for item in m.NAV]
    app.include_router(session.router)
    app.include_router(pages.router)
    for module in screens:
        app.include_router(module.router, dependencies=[Depends(csrf.protect)])
    app.mount("/static", StaticFiles(directory=pages.STATIC), name="static")
