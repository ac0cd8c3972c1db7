"""The route class of every API router: strict query strings, and a large JSON body
parsed and checked off the event loop.

FastAPI parses a JSON body and validates it on the event loop, so a body of hundreds of
thousands of keys would hold every other request (``/healthz`` included) for seconds.
:class:`Route` reads the body (already bounded by the body-size limit) and, when it is
larger than :data:`OFFLOAD_BYTES`, parses and validates it in a worker thread: a bad
body is refused from there, a good one is handed to FastAPI already parsed.

A refusal lists at most :data:`MAX_ERRORS` field errors and says how many there were
(:class:`BoundedValidationError`), however many keys the body had.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Coroutine
from typing import Any

import anyio
from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.params import Form
from fastapi.routing import APIRoute

from lienthong.kernel import text

MAX_ERRORS = 50
OFFLOAD_BYTES = 64 * 1024


class BoundedValidationError(RequestValidationError):
    """The first :data:`MAX_ERRORS` errors of a request, and how many there were in all."""

    def __init__(self, errors: list[dict], total: int):
        super().__init__(errors[:MAX_ERRORS])
        self.total = total


class Route(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        field = self.body_field
        json_body = field is not None and not isinstance(field.field_info, Form) and not self._embed_body_fields
        query_names = _query_names(self.dependant)

        async def checking_handler(request: Request) -> Response:
            _check_query(request, query_names)
            if json_body and request.headers.get("content-type", "").startswith("application/json"):
                body = await request.body()
                if len(body) > OFFLOAD_BYTES:
                    await anyio.to_thread.run_sync(_parse_and_check, request, body, field)
                else:
                    _parsed(request, body)
            return await handler(request)

        return checking_handler


def _query_names(dependant) -> set[str]:
    """The query parameters an operation takes, its dependencies' included."""
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def _check_query(request: Request, names: set[str]) -> None:
    """A query parameter the operation does not take, one given twice (FastAPI would
    silently keep the last), or one holding a control character (NUL: PostgreSQL cannot
    even compare it) is a 422 naming it, like a bad field of a body. The OpenAPI says so
    (see :func:`describe_query_text`)."""
    errors, seen = [], set()
    for name, value in request.query_params.multi_items():
        if name not in names:
            errors.append({"type": "extra_forbidden", "loc": ("query", name), "msg": "Extra inputs are not permitted", "input": value})
        elif name in seen:
            errors.append(_value_error(name, value, "query.repeated"))
        elif not re.fullmatch(text.LINE_PATTERN, value):
            errors.append(_value_error(name, value, "text.control_chars"))
        seen.add(name)
    if errors:
        raise BoundedValidationError(errors, total=len(errors))


def _value_error(name: str, value: str, key: str) -> dict:
    return {"type": "value_error", "loc": ("query", name), "msg": key, "input": value, "ctx": {"error": key}}


def describe_query_text(openapi: dict) -> dict:
    """Give every text query parameter of an OpenAPI description the pattern
    :func:`_check_query` holds it to (no control characters), unless it has its own."""
    for item in openapi.get("paths", {}).values():
        for operation in item.values():
            for param in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if param.get("in") != "query":
                    continue
                schema = param["schema"]
                for variant in schema.get("anyOf", [schema]):
                    if variant.get("type") == "string" and "pattern" not in variant and "enum" not in variant:
                        variant["pattern"] = text.LINE_PATTERN
    return openapi


_UNPARSED = object()


def _parsed(request: Request, body: bytes) -> Any:
    """``body`` parsed for FastAPI (``request.json()`` then returns it). Malformed JSON is
    left to FastAPI's own error; JSON nested deeper than the parser goes (``[[[[...``) is
    malformed too, not a crash of the request."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return _UNPARSED
    except RecursionError:
        raise BoundedValidationError([{"type": "json_invalid", "loc": ("body",), "msg": "nested too deeply", "input": None, "ctx": {"error": "nested too deeply"}}], total=1) from None
    request._json = parsed  # Starlette's cache of request.json(): FastAPI will not parse it again
    return parsed


def _parse_and_check(request: Request, body: bytes, field) -> None:
    """Parse ``body`` and refuse it if the body model refuses it."""
    parsed = _parsed(request, body)
    if parsed is _UNPARSED:
        return
    checked, skipped = _without_most_unknown_keys(parsed, field.field_info.annotation)
    _, errors = field.validate(checked, {}, loc=("body",))
    if errors:
        raise BoundedValidationError(errors, total=len(errors) + skipped)


def _without_most_unknown_keys(body: Any, model: Any) -> tuple[Any, int]:
    """``body`` with only the first MAX_ERRORS keys a model refusing unknown keys does not
    know (each is an error; building 400,000 of them holds the interpreter for a second),
    and how many were left out."""
    config = getattr(model, "model_config", None)
    if not isinstance(body, dict) or config is None or config.get("extra") != "forbid":
        return body, 0
    unknown = [key for key in body if key not in model.model_fields]
    if len(unknown) <= MAX_ERRORS:
        return body, 0
    dropped = set(unknown[MAX_ERRORS:])
    return {k: v for k, v in body.items() if k not in dropped}, len(dropped)
