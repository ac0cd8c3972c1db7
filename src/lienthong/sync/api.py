"""HTTP API of the connector: /api/v1/sync/..."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy import select

from lienthong.kernel.auth import require_role
from lienthong.kernel.i18n import current_language, term
from lienthong.kernel.problems import Conflict, NotFound
from lienthong.kernel.records import decode_cursor, page
from lienthong.kernel.schemas import utc_text
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.kernel.web import Cursor, Id, Limit, PrincipalDep
from lienthong.kernel.routing import Route
from lienthong.sync import connections, log, manual
from lienthong.sync.manual_schemas import ManualSyncRead, ManualSyncRequest
from lienthong.sync.visibility import log_scope
from lienthong.sync.connections import ConnectionCreate, ConnectionUpdate, StepRead
from lienthong.sync.tables import Change

router = APIRouter(prefix="/api/v1/sync", tags=["sync"], route_class=Route)
PARKED_ROLES = ("accountant",)  # besides administrators: who sees and retries parked changes


def _connector(request: Request):
    return request.app.state.connector


def _uow(request: Request) -> UnitOfWork:
    return UnitOfWork(_connector(request).db)


def _read(uow, row) -> dict:
    return connections.connection_read(row, connections.steps_of(uow, row.id))


@router.post("/connections", status_code=201)
def connect(body: ConnectionCreate, request: Request, principal: PrincipalDep):
    """Connect two apps (administrator): which data kinds, and the order mapping."""
    with _uow(request) as uow:
        row = connections.connect(uow=uow, principal=principal, data=body)
        _connector(request).connections_changed()
        return _read(uow, row)


@router.get("/connections")
def list_connections(request: Request, principal: PrincipalDep):
    """The tenant's connections; `recommendation` is set while accounting is not connected with CRM."""
    with _uow(request) as uow:
        rows = connections.list_connections(uow, principal)
        rec = connections.recommendation(rows, current_language())
        return {"items": [_read(uow, r) for r in rows], "next_cursor": None, "recommendation": rec}


@router.get("/connections/{connection_id}")
def get_connection(connection_id: Id, request: Request, principal: PrincipalDep):
    """One connection with the state of its three first-sync steps."""
    with _uow(request) as uow:
        return _read(uow, connections.get_connection(uow, principal, connection_id))


@router.patch("/connections/{connection_id}")
def update_connection(connection_id: Id, body: ConnectionUpdate, request: Request, principal: PrincipalDep):
    """Change which kinds are connected, or the order mapping (administrator)."""
    with _uow(request) as uow:
        row = connections.update_connection(uow=uow, principal=principal, connection_id=connection_id, data=body)
        _connector(request).connections_changed()
        return _read(uow, row)


@router.delete("/connections/{connection_id}", status_code=204)
def disconnect(connection_id: Id, request: Request, principal: PrincipalDep):
    """Disconnect (administrator): links and the log are kept."""
    with _uow(request) as uow:
        connections.disconnect(uow=uow, principal=principal, connection_id=connection_id)
    _connector(request).connections_changed()
    return Response(status_code=204)


@router.post("/connections/{connection_id}/steps/{step}", status_code=202, response_model=StepRead, responses={200: {"model": StepRead, "description": "The preview (`?preview=true`): what the step would do; nothing is written"}})
def run_step(connection_id: Id, step: connections.Step, request: Request, principal: PrincipalDep, preview: bool = False):
    """Run first-sync step 1, 2 or 3 (202, runs in the background; poll with GET), or preview it (200, writes nothing)."""
    with _uow(request) as uow:
        body = connections.start_step(connector=_connector(request), uow=uow, principal=principal, connection_id=connection_id, step=step, preview=preview)
    return JSONResponse(jsonable_encoder(body), status_code=200 if preview else 202)


@router.get("/connections/{connection_id}/steps/{step}", response_model=StepRead)
def get_step(connection_id: Id, step: connections.Step, request: Request, principal: PrincipalDep):
    """A first-sync step's state (pending, running, succeeded, failed), progress and summary."""
    with _uow(request) as uow:
        connections.get_connection(uow, principal, connection_id)
        run = next((s for s in connections.steps_of(uow, connection_id) if s.step == step), None)
        return connections.step_read(connection_id, step, run)


@router.get("/log")
def read_log(
    request: Request,
    principal: PrincipalDep,
    app: Literal["system", "accounting", "crm", "process"] | None = None,
    kind: str | None = None,
    code: str | None = None,
    record_id: Id | None = None,
    rule: str | None = None,
    outcome: Literal["applied", "skipped", "parked"] | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
):
    """Every decision of the connector, newest first, with its rule and reason (a sales user: only those about the CRM customers and contacts they own)."""
    scope = log_scope(_connector(request), principal)
    decode_cursor(cursor)
    filters = {"app": app, "kind": kind, "code": code, "record_id": record_id, "rule": rule, "outcome": outcome}
    with _uow(request) as uow:
        rows, nxt = log.search(uow.session, principal.tenant_id, filters=filters, limit=limit, cursor=cursor, where=scope)
        en = current_language() == "en"
        return {"items": [log_read(r, en) for r in rows], "next_cursor": nxt}


def log_read(row, en: bool) -> dict:
    return {
        "id": row.id,
        "at": utc_text(row.at),
        "rule": row.rule,
        "outcome": row.outcome,
        "reason": log.render(row, "en" if en else "vi"),
        "source": {"app": row.source_app, "kind": row.source_kind, "id": row.source_id, "code": row.source_code},
        "target": {"app": row.target_app, "kind": row.target_kind, "id": row.target_id, "code": row.target_code},
        "change_id": row.change_id,
        "event_type": row.event_type,
    }


@router.get("/status")
def status(request: Request, principal: PrincipalDep):
    """How many changes wait (`pending`), are parked, or are held behind a parked change of their record, and which apps are reachable (every role: counts only)."""
    connector = _connector(request)
    apps = {name: {"mode": peer.mode, "url": peer.url, **connector.reachable.get(name, {})} for name, peer in connector.peers.items()}
    return {"pending": connector.pending(principal.tenant_id), "parked": connector.parked(principal.tenant_id), "held": connector.held(principal.tenant_id), "apps": apps}


@router.post("/drain")
def drain(request: Request, principal: PrincipalDep, timeout: Annotated[float, Query(gt=0, le=600)] = 10):
    """Return when nothing is pending (200), or 409 after `timeout` seconds (administrator)."""
    require_role(principal, reason="forbidden.drain")
    connector = _connector(request)
    if not connector.drain(timeout, principal.tenant_id):
        raise Conflict("sync.drain_timeout", timeout=timeout, pending=connector.pending(principal.tenant_id))
    return {"pending": 0, "parked": connector.parked(principal.tenant_id)}


@router.get("/parked")
def list_parked(request: Request, principal: PrincipalDep, limit: Limit = 50, cursor: Cursor = None):
    """Parked changes with their error (administrator, accountant)."""
    require_role(principal, *PARKED_ROLES, reason="forbidden.parked")
    en = current_language() == "en"
    with _uow(request) as uow:
        stmt = select(Change).where(Change.tenant_id == principal.tenant_id, Change.state == "parked")
        rows, nxt = page(uow.session, stmt, Change, limit=limit, cursor=cursor)
        return {"items": [parked_read(r, en) for r in rows], "next_cursor": nxt}


def parked_read(row: Change, en: bool) -> dict:
    return {
        "id": row.id,
        "source": {"app": row.source_app, "kind": row.kind, "id": row.record_id, "code": row.record_code},
        "event_type": row.type,
        "attempts": row.attempts,
        "error": row.error_en if en else row.error_vi,
        "state": row.state,
    }


@router.post("/parked/{change_id}/retry")
def retry(change_id: Id, request: Request, principal: PrincipalDep):
    """Queue a parked change again, after its cause was fixed (administrator, accountant)."""
    require_role(principal, *PARKED_ROLES, reason="forbidden.parked")
    was = _connector(request).retry(principal.tenant_id, change_id)
    if was is None:
        raise NotFound("not_found", what=term("kind.changes"), ident=change_id)
    if was != "parked":
        raise Conflict("sync.not_parked", id=change_id)
    return {"id": change_id, "state": "pending"}


# -- manual sync and pulling on demand ("Lấy về", "Chuẩn hóa dữ liệu") -----------------------
MANUAL_EXAMPLES = {
    "chosen": {"summary": "Chosen records", "value": {"kind": "customers", "from": "crm", "ids": [1, 2]}},
    "all": {"summary": "The whole kind", "value": {"kind": "products", "from": "accounting", "all": True}},
}
Preview = Annotated[bool, Query(description="`true`: report what the run will do, write nothing")]


def _manual(direction: str, body: ManualSyncRequest, request: Request, principal, preview: bool) -> dict:
    return manual.sync_records(_connector(request), principal, direction=direction, kind=body.kind, source=body.from_, ids=body.ids, everything=body.all, preview=preview)


@router.post("/push", response_model=ManualSyncRead)
def push(body: Annotated[ManualSyncRequest, Body(openapi_examples=MANUAL_EXAMPLES)], request: Request, principal: PrincipalDep, preview: Preview = False):
    """Manual sync (administrator): carry records from `from` to the other app now; the outcome per record."""
    return _manual("push", body, request, principal, preview)


@router.post("/pull", response_model=ManualSyncRead)
def pull(body: Annotated[ManualSyncRequest, Body(openapi_examples=MANUAL_EXAMPLES)], request: Request, principal: PrincipalDep, preview: Preview = False):
    """Pull ("Lấy về") records from `from` into the other app: chosen ones (`ids`), or with `all` every record that never reached it (normalisation). Accountants pull from CRM, managers from accounting."""
    return _manual("pull", body, request, principal, preview)
