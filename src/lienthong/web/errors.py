"""Every error as RFC 9457 problem+json, in the request's language."""

from __future__ import annotations

import sqlite3

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from lienthong.kernel.i18n import current_language, pick_language, set_language, t
from lienthong.kernel.problems import Busy, FieldError, MethodNotAllowed, NotFound, Problem, ServerError, TooLarge, TooManyRequests, Unauthorized, ValidationProblem, pydantic_error
from lienthong.kernel.routing import MAX_ERRORS
from lienthong.web.limits import BodyTooLarge

MEDIA = "application/problem+json"
METHODS = ("DELETE", "GET", "HEAD", "PATCH", "POST", "PUT")


def problem_response(problem: Problem, headers: dict | None = None) -> JSONResponse:
    if isinstance(problem, Unauthorized):
        headers = {**(headers or {}), "WWW-Authenticate": "Bearer"}
    if isinstance(problem, (Busy, TooManyRequests)):
        headers = {**(headers or {}), "Retry-After": str(problem.retry_after)}
    return JSONResponse(problem.to_dict(current_language()), status_code=problem.status, media_type=MEDIA, headers=headers)


def database_busy(exc: OperationalError) -> bool:
    """Whether a database error means "locked by another transaction, try again":
    SQLite's "database is locked" after its busy timeout, PostgreSQL's lock_timeout."""
    if isinstance(exc.orig, sqlite3.OperationalError):
        return "locked" in str(exc.orig)
    return getattr(exc.orig, "sqlstate", None) == "55P03"  # lock_not_available


def _field(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "form")]
    return ".".join(parts) or (str(loc[0]) if loc else "body")


def field_error(err: dict) -> FieldError:
    return pydantic_error(_field(err["loc"]), err)


def _allowed(request: Request) -> str:
    """Every method the path accepts (Starlette names only its first matching route's)."""
    routes = request.app.router.routes
    methods = [m for m in METHODS if any(r.matches({**request.scope, "method": m})[0] == Match.FULL for r in routes)]
    return ", ".join(methods)


def install(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem):
        return problem_response(exc)

    @app.exception_handler(OperationalError)
    async def _database(request: Request, exc: OperationalError):
        if not database_busy(exc):
            raise exc
        return problem_response(Busy("db.busy", retry=Busy.retry_after))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        return problem_response(validation_problem(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404:
            return problem_response(NotFound("not_found_route"))
        if exc.status_code == 405:
            return problem_response(MethodNotAllowed("method_not_allowed", method=request.method), headers={"Allow": _allowed(request)})
        if isinstance(exc, BodyTooLarge):
            return problem_response(TooLarge("body_too_large", limit=exc.limit))
        if exc.status_code == 400:  # FastAPI's "error parsing the body": not UTF-8, a broken form
            return problem_response(Problem("body_unreadable", errors=[FieldError("body", "unreadable", "body_unreadable")]))
        body = {"type": "about:blank", "title": t("http_error", status=exc.status_code), "status": exc.status_code, "detail": t("http_error", status=exc.status_code)}
        return JSONResponse(body, status_code=exc.status_code, media_type=MEDIA, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        """The last resort: never a plain-text 500 (the error is still logged by the server)."""
        set_language(pick_language(request.headers.get("accept-language")))  # outside the language middleware here
        return problem_response(ServerError("internal_error"))


def validation_problem(exc: RequestValidationError) -> ValidationProblem:
    """A 422 listing at most MAX_ERRORS field errors; the detail says how many there were."""
    raw = exc.errors()
    total = getattr(exc, "total", len(raw))
    errors = [field_error(e) for e in raw[:MAX_ERRORS]]
    if any(e.key == "malformed_body" for e in errors):
        errors = [FieldError("body", "malformed", "malformed_body")]
        total = 1
    if total > len(errors):
        return ValidationProblem("too_many_errors", errors=errors, count=total, shown=len(errors))
    return ValidationProblem("title.validation_detail", errors=errors, count=total)
