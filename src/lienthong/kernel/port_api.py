"""The HTTP face of an :class:`~lienthong.kernel.port.AppPort`, for a connector running
elsewhere: ``/api/v1/{app}/_connector/...``, allowed only with the connector token."""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from pydantic import BaseModel

from lienthong.kernel.problems import Unauthorized
from lienthong.kernel.records import MAX_ID
from lienthong.kernel.routing import Route


class ApplyBody(BaseModel):
    tenant_id: str
    source_app: str
    commands: list[dict]


class QueryBody(BaseModel):
    tenant_id: str
    name: str
    params: dict[str, Any] = {}


def port_router(app_name: str) -> APIRouter:
    router = APIRouter(prefix=f"/api/v1/{app_name}/_connector", tags=["connector"], include_in_schema=False, route_class=Route)

    def _port(request: Request, authorization: str | None):
        expected = request.app.state.connector_token
        given = (authorization or "")[7:].strip()
        if not expected or not hmac.compare_digest(given, expected):
            raise Unauthorized("unauthorized")
        return request.app.state.ports[app_name]

    @router.get("/contract")
    def contract(request: Request, authorization: Annotated[str | None, Header()] = None):
        """The names (and versions) of the app's commands, queries and events."""
        return _port(request, authorization).names()

    @router.get("/events")
    def events(request: Request, after: Annotated[int, Query(ge=0, le=MAX_ID)] = 0, limit: Annotated[int, Query(ge=1, le=5000)] = 500, authorization: Annotated[str | None, Header()] = None):
        return _port(request, authorization).events_after(after, limit)

    @router.get("/events/count")
    def count(request: Request, after: Annotated[int, Query(ge=0)] = 0, tenant_id: str | None = None, authorization: Annotated[str | None, Header()] = None):
        return {"count": _port(request, authorization).count_after(after, tenant_id)}

    @router.post("/apply")
    def apply(body: ApplyBody, request: Request, authorization: Annotated[str | None, Header()] = None):
        return {"results": _port(request, authorization).apply(body.tenant_id, body.source_app, body.commands)}

    @router.post("/query")
    def query(body: QueryBody, request: Request, authorization: Annotated[str | None, Header()] = None):
        return {"result": _port(request, authorization).query(body.tenant_id, body.name, body.params)}

    return router
