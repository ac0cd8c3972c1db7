"""The five routes of a catalog resource, written once: list, create, read, update, delete.

Handlers stay thin (parse, call one use case, render). Use cases are called as
``create(uow=, principal=, data=)``, ``update(uow=, principal=, <id_name>=, data=)``,
``delete(...)``, ``get(...)`` and ``list(uow=, principal=, filters=, q=, limit=, cursor=)``.
"""

# No ``from __future__ import annotations`` here: FastAPI reads the closures' real types.

import inspect
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Query, Response

from lienthong.kernel.web import Cursor, Id, Limit, PrincipalDep


def add_crud_routes(
    router: APIRouter,
    path: str,
    *,
    uow_dep,
    id_name: str,
    read: type,
    page: type,
    create_schema: type,
    update_schema: type,
    create: Callable,
    update: Callable,
    delete: Callable,
    get: Callable,
    list_: Callable,
    filters: tuple[str | tuple[str, object], ...] = (),
    label: str = "record",
) -> None:
    """``filters``: query parameters named after fields, text (``"group_code"``) or typed
    (``("owner_empty", bool | None)``: a value not of the type is a 422 naming it)."""
    def _create(body: create_schema, uow: uow_dep, principal: PrincipalDep):
        return read.model_validate(create(uow=uow, principal=principal, data=body))

    def _get(record_id: Id, uow: uow_dep, principal: PrincipalDep):
        return read.model_validate(get(uow=uow, principal=principal, **{id_name: record_id}))

    def _update(record_id: Id, body: update_schema, uow: uow_dep, principal: PrincipalDep):
        return read.model_validate(update(uow=uow, principal=principal, data=body, **{id_name: record_id}))

    def _delete(record_id: Id, uow: uow_dep, principal: PrincipalDep):
        delete(uow=uow, principal=principal, **{id_name: record_id})
        return Response(status_code=204)

    def _list(uow, principal, q, limit, cursor, **filter_values):
        rows, nxt = list_(uow=uow, principal=principal, filters=filter_values, q=q, limit=limit, cursor=cursor)
        return page(items=[read.model_validate(r) for r in rows], next_cursor=nxt)

    params = [
        inspect.Parameter("uow", inspect.Parameter.KEYWORD_ONLY, annotation=uow_dep),
        inspect.Parameter("principal", inspect.Parameter.KEYWORD_ONLY, annotation=PrincipalDep),
        inspect.Parameter("q", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[str | None, Query(description="Text search")]),
        inspect.Parameter("limit", inspect.Parameter.KEYWORD_ONLY, default=50, annotation=Limit),
        inspect.Parameter("cursor", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Cursor),
    ] + [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=kind)
        for name, kind in (f if isinstance(f, tuple) else (f, str | None) for f in ("code", *filters))
    ]

    def list_endpoint(**kwargs):
        return _list(kwargs.pop("uow"), kwargs.pop("principal"), kwargs.pop("q"), kwargs.pop("limit"), kwargs.pop("cursor"), **kwargs)

    list_endpoint.__signature__ = inspect.Signature(params)

    item = f"{path}/{{record_id}}"
    router.add_api_route(path, list_endpoint, methods=["GET"], response_model=page, summary=f"List {label}s", name=f"list_{label}")
    router.add_api_route(path, _create, methods=["POST"], status_code=201, response_model=read, summary=f"Create a {label}", name=f"create_{label}")
    router.add_api_route(item, _get, methods=["GET"], response_model=read, summary=f"Read a {label}", name=f"get_{label}")
    router.add_api_route(item, _update, methods=["PATCH"], response_model=read, summary=f"Update the given fields of a {label}", name=f"update_{label}")
    router.add_api_route(item, _delete, methods=["DELETE"], status_code=204, summary=f"Delete a {label}", name=f"delete_{label}")


def add_merge_route(router: APIRouter, path: str, *, uow_dep, id_name: str, read: type, body: type, merge: Callable, label: str) -> None:
    """``POST {path}/{id}/merge`` (Gộp): the records of ``merged_ids`` are merged into this one."""

    def _merge(record_id: Id, data: body, uow: uow_dep, principal: PrincipalDep):
        return read.model_validate(merge(uow=uow, principal=principal, data=data, **{id_name: record_id}))

    router.add_api_route(f"{path}/{{record_id}}/merge", _merge, methods=["POST"], response_model=read, summary=f"Merge {label}s into this one", name=f"merge_{label}")
