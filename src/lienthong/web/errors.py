"""Every error as RFC 9457 problem+json, in the request's language."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from lienthong.kernel.i18n import MESSAGES, current_language, pick_language, set_language, t
from lienthong.kernel.problems import FieldError, NotFound, Problem, ServerError, TooLarge, Unauthorized, ValidationProblem
from lienthong.kernel.routing import MAX_ERRORS
from lienthong.web.limits import BodyTooLarge

MEDIA = "application/problem+json"

# Pydantic error types -> our message keys.
PYDANTIC = {
    "missing": "required",
    "string_too_long": "too_long",
    "string_too_short": "too_short",
    "extra_forbidden": "unknown_field",
    "literal_error": "invalid_choice",
    "enum": "invalid_choice",
    "json_invalid": "malformed_body",
    "string_pattern_mismatch": "invalid_format",
}


def problem_response(problem: Problem) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(problem, Unauthorized) else None
    return JSONResponse(problem.to_dict(current_language()), status_code=problem.status, media_type=MEDIA, headers=headers)


def _field(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "form")]
    return ".".join(parts) or (str(loc[0]) if loc else "body")


def field_error(err: dict) -> FieldError:
    kind = err.get("type", "invalid")
    ctx = err.get("ctx") or {}
    if kind == "value_error":
        message = str(ctx.get("error", err.get("msg", "")))
        key, _, param = message.partition(":")
        if key in MESSAGES:
            return FieldError(_field(err["loc"]), key.split(".")[-1], key, {"kind": param, "detail": param})
    key = PYDANTIC.get(kind)
    if key is None:
        key = "invalid_type" if kind.endswith("_type") or kind.endswith("_parsing") else "invalid"
    params = {"max": ctx.get("max_length"), "choices": ctx.get("expected"), "detail": err.get("msg", "")}
    return FieldError(_field(err["loc"]), kind, key, params)


def install(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem):
        return problem_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        return problem_response(validation_problem(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404:
            return problem_response(NotFound("not_found_route"))
        if isinstance(exc, BodyTooLarge):
            return problem_response(TooLarge("body_too_large", limit=exc.limit))
        if exc.status_code == 400:  # FastAPI's "error parsing the body": not UTF-8, a broken form
            return problem_response(Problem("body_unreadable", errors=[FieldError("body", "unreadable", "body_unreadable")]))
        body = {"type": "about:blank", "title": str(exc.detail), "status": exc.status_code, "detail": t("http_error", status=exc.status_code)}
        return JSONResponse(body, status_code=exc.status_code, media_type=MEDIA)

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
