"""What every app's ``api.py`` needs from the web layer, without knowing the others.

``bootstrap`` puts on ``app.state``: ``databases`` (app name -> Database) and
``authenticate`` (token -> Principal), so an app's router never imports another app.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Query, Request

from lienthong.kernel.auth import Principal
from lienthong.kernel.db import Database
from lienthong.kernel.problems import Unauthorized
from lienthong.kernel.unit_of_work import UnitOfWork


def get_principal(request: Request, authorization: Annotated[str | None, Header()] = None) -> Principal:
    if not authorization or not authorization[:7].lower() == "bearer ":
        raise Unauthorized("unauthorized")
    return request.app.state.authenticate(authorization[7:].strip())


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


Limit = Annotated[int, Query(ge=1, le=500, description="Page size")]
Cursor = Annotated[str | None, Query(description="`next_cursor` of the previous page")]
Q = Annotated[str | None, Query(description="Text search over code, name and contact fields")]
