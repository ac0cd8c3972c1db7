"""What every app's ``api.py`` needs from the web layer, without knowing the others.

``bootstrap`` puts on ``app.state``: ``databases`` (app name -> Database) and
``authenticate`` (token -> Principal), so an app's router never imports another app.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import AfterValidator, WithJsonSchema

from lienthong.kernel.auth import Principal
from lienthong.kernel.db import Database
from lienthong.kernel.problems import Forbidden, Unauthorized
from lienthong.kernel.records import CURSOR_PATTERN, MAX_ID
from lienthong.kernel.session_cookie import CSRF_HEADER, SAFE_METHODS, SESSION_COOKIE, check_origin, csrf_matches
from lienthong.kernel.unit_of_work import UnitOfWork

# Declares the bearer scheme in the OpenAPI ("Authorize" in /docs); a missing or
# non-bearer header is our own 401 problem, not FastAPI's.
bearer = HTTPBearer(auto_error=False, description="An access token: `Authorization: Bearer <token>`")


def get_principal(request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Principal:
    """The bearer token's principal; without one, the session cookie's (a person signed in
    with a password: ``POST /api/v1/system/sign-in``), whose state-changing requests must
    pass the CSRF checks of :mod:`lienthong.kernel.session_cookie`."""
    if credentials is not None and credentials.credentials:
        return request.app.state.authenticate(credentials.credentials.strip())
    session = request.cookies.get(SESSION_COOKIE)
    if not session:
        raise Unauthorized("unauthorized")
    principal = request.app.state.authenticate(session)
    if request.method not in SAFE_METHODS:
        check_origin(request)
        if not csrf_matches(session, request.headers.get(CSRF_HEADER)):
            raise Forbidden("forbidden.csrf")
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def uow_dependency(app_name: str):
    """A FastAPI dependency giving a unit of work on ``app_name``'s database."""

    def _uow(request: Request) -> Iterator[UnitOfWork]:
        with UnitOfWork(request.app.state.databases[app_name]) as uow:
            yield uow

    return Annotated[UnitOfWork, Depends(_uow)]


def database_dependency(app_name: str):
    """A FastAPI dependency giving ``app_name``'s :class:`Database` itself, for a use case
    that runs its own transactions (a big import writes in many short ones)."""

    def _db(request: Request) -> Database:
        return request.app.state.databases[app_name]

    return Annotated[Database, Depends(_db)]


def _check_id(value: int) -> int:
    if not 1 <= value <= MAX_ID:
        raise ValueError("invalid_id")
    return value


# A record id in a path or a query: out of range is a 422 naming the parameter, never a 500.
Id = Annotated[int, AfterValidator(_check_id), WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MAX_ID})]

Limit = Annotated[int, Query(ge=1, le=500, description="Page size")]


def _check_cursor(value: str | None) -> str | None:
    if value and not re.fullmatch(CURSOR_PATTERN, value):
        raise ValueError("invalid_cursor")
    return value


# A page's cursor (see kernel.records.CURSOR_PATTERN); anything else is a 422 naming it.
Cursor = Annotated[
    str | None,
    Query(description="`next_cursor` of the previous page"),
    AfterValidator(_check_cursor),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": CURSOR_PATTERN}, {"type": "null"}]}),
]
Q = Annotated[str | None, Query(description="Text search over code, name and contact fields")]
