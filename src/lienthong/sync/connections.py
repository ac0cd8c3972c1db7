"""Connecting two apps and running their first-sync steps."""

from __future__ import annotations

import json
import logging
import threading
from types import SimpleNamespace
from datetime import datetime, timezone

from pydantic import AfterValidator, BaseModel, Field, WithJsonSchema
from sqlalchemy import select
from typing import Annotated, Any, Literal

from lienthong.kernel.auth import Principal, require_role
from lienthong.kernel.i18n import both, current_language, term
from lienthong.kernel.problems import Conflict, Problem, FieldError, NotFound, ValidationProblem, invalid
from lienthong.kernel.schemas import Input, utc_text
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.sync.first_sync import StepRunner, check_order, in_language
from lienthong.sync.rules.connection import CONNECT
from lienthong.sync.tables import Connection, StepRun

logger = logging.getLogger(__name__)

KINDS = ("customers", "customer-groups", "products", "product-groups", "price-policies", "quotes", "orders", "invoice-requests", "stock", "balances")
PAIRS = ({"accounting", "crm"},)


def _known_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"sync.bad_kind:{kind}")
    return kind


Kind = Annotated[str, AfterValidator(_known_kind), WithJsonSchema({"type": "string", "enum": list(KINDS)})]


class ConnectionCreate(Input):
    apps: list[str] = Field(description='The two apps, e.g. ["accounting", "crm"]')
    kinds: list[Kind] | None = Field(None, description="Connected data kinds (resource names); left out: every kind the two apps share")
    order_mapping: Literal["sales_order", "contract"] = Field("sales_order", description="CRM orders become accounting sales orders or contracts")


class ConnectionUpdate(Input):
    kinds: list[Kind] | None = None
    order_mapping: Literal["sales_order", "contract"] | None = None


class StepConflict(BaseModel):
    """A field whose value differs between two records the step matched (same code, or
    already linked). The winner's value is written to the other side."""

    kind: str = Field(description="The data kind, e.g. customers", examples=["customers"])
    code: str = Field(description="The record's code", examples=["X1"])
    field: str = Field(description="The field that differs", examples=["name"])
    values: dict[str, Any] = Field(description="The field's value in each app, by app name", examples=[{"accounting": "Công ty An Phát", "crm": "An Phát cũ"}])
    winner: str = Field(description="The app whose value is kept: the side that owns the kind (accounting for catalogs)", examples=["accounting"])


class StepReason(BaseModel):
    kind: str
    code: str | None
    outcome: str
    reason: str


class StepSummary(BaseModel):
    """What a step did (or, previewed, would do): each record counted once; a pair of
    records matched across the two apps counts as one."""

    created: int
    linked: int
    updated: int
    unchanged: int
    skipped: int
    failed: int
    by_kind: dict[str, dict[str, int]]
    reasons: list[StepReason] = Field(description="Why records were skipped or failed (the first 200)")
    conflicts: list[StepConflict] = Field([], description="Every field the step overwrites (the first 1000), with both values and the side that wins")
    conflicts_total: int = Field(0, description="How many fields the step overwrites in all")


class StepProgress(BaseModel):
    done: int
    total: int


class StepRead(BaseModel):
    """A first-sync step: its state (pending, running, succeeded, failed; preview for a
    preview), progress and summary."""

    connection_id: int
    step: int
    state: str
    summary: StepSummary | None = None
    error: str | None = None
    progress: StepProgress | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None


def connection_read(row: Connection, steps: list[StepRun]) -> dict:
    by_step = {s.step: s for s in steps}
    return {
        "id": row.id,
        "apps": [row.app_a, row.app_b],
        "kinds": row.kinds,
        "order_mapping": row.order_mapping,
        "created_at": utc_text(row.created_at),
        "steps": [step_read(row.id, n, by_step.get(n)) for n in (1, 2, 3)],
    }


def _error_text(vi: str, en: str) -> str:
    """A step's error as stored: the reason in both languages, picked when read."""
    return json.dumps({"vi": vi, "en": en}, ensure_ascii=False)


def _error_in(stored: str | None, lang: str) -> str | None:
    """A stored step error in the reader's language (an error stored before both languages
    were kept is shown as it was stored)."""
    try:
        texts = json.loads(stored) if stored else None
    except ValueError:
        return stored
    return texts[lang] if isinstance(texts, dict) else stored


def step_read(connection_id: int, step: int, run: StepRun | None) -> dict:
    if run is None:
        return {"connection_id": connection_id, "step": step, "state": "pending", "summary": None, "progress": {"done": 0, "total": 0}}
    return {
        "connection_id": connection_id,
        "step": step,
        "state": run.state,
        "summary": in_language(run.summary, current_language()),
        "error": _error_in(run.error, current_language()),
        "progress": {"done": run.done, "total": run.total},
        "started_at": utc_text(run.started_at),
        "finished_at": utc_text(run.finished_at),
    }


def connect(*, uow: UnitOfWork, principal: Principal, data: ConnectionCreate) -> Connection:
    require_role(principal)
    apps = sorted(set(data.apps))
    if set(apps) not in PAIRS:
        raise invalid("apps", "invalid", "sync.bad_apps")
    existing = uow.session.scalar(select(Connection).where(Connection.tenant_id == principal.tenant_id, Connection.app_a == apps[0], Connection.app_b == apps[1]))
    if existing is not None:
        raise Conflict("sync.already_connected", errors=[FieldError("apps", "duplicate", "sync.already_connected", {"id": existing.id})], id=existing.id)
    row = Connection(tenant_id=principal.tenant_id, app_a=apps[0], app_b=apps[1], kinds=list(data.kinds if data.kinds is not None else KINDS), order_mapping=data.order_mapping, created_by=principal.user_code)
    uow.session.add(row)
    uow.commit()
    return row


def get_connection(uow: UnitOfWork, principal: Principal, connection_id: int) -> Connection:
    row = uow.session.get(Connection, connection_id)
    if row is None or row.tenant_id != principal.tenant_id:
        raise NotFound("not_found", what=term("kind.connections"), ident=connection_id)
    return row


def update_connection(*, uow: UnitOfWork, principal: Principal, connection_id: int, data: ConnectionUpdate) -> Connection:
    require_role(principal)
    row = get_connection(uow, principal, connection_id)
    values = data.model_dump(exclude_unset=True, exclude_none=True)
    for name, value in values.items():
        setattr(row, name, value)
    uow.commit()
    return row


def disconnect(*, uow: UnitOfWork, principal: Principal, connection_id: int) -> None:
    require_role(principal)
    uow.session.delete(get_connection(uow, principal, connection_id))
    uow.commit()


def list_connections(uow: UnitOfWork, principal: Principal) -> list[Connection]:
    return list(uow.session.scalars(select(Connection).where(Connection.tenant_id == principal.tenant_id).order_by(Connection.id)))


def recommendation(rows: list[Connection], lang: str = "vi") -> dict | None:
    """While accounting is connected with nothing, it recommends connecting."""
    if any({r.app_a, r.app_b} == {"accounting", "crm"} for r in rows):
        return None
    vi, en = CONNECT.reason("applied")
    return {"rule": CONNECT.id, "message": en if lang == "en" else vi}


def steps_of(uow: UnitOfWork, connection_id: int) -> list[StepRun]:
    return list(uow.session.scalars(select(StepRun).where(StepRun.connection_id == connection_id)))


def check_step(step: int) -> None:
    if step not in (1, 2, 3):
        raise ValidationProblem("sync.bad_step", errors=[FieldError("step", "invalid", "sync.bad_step")])


def _step_number(step: int) -> int:
    if step not in (1, 2, 3):
        raise ValueError("sync.bad_step")
    return step


# A step in a path: 1, 2 or 3 (anything else is a 422 naming it).
Step = Annotated[int, AfterValidator(_step_number), WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 3})]


def start_step(*, connector, uow: UnitOfWork, principal: Principal, connection_id: int, step: int, preview: bool = False, background: bool = True, progress=None) -> dict:
    """Run a first-sync step. With ``preview`` it runs now and writes nothing; otherwise it
    starts (in the background, pausing live sync meanwhile) and its state can be read."""
    require_role(principal)
    check_step(step)
    row = get_connection(uow, principal, connection_id)
    connection = SimpleNamespace(id=row.id, tenant_id=row.tenant_id, kinds=list(row.kinds), apps=(row.app_a, row.app_b))
    check_order(uow.session, connection_id, step)
    if preview:
        uow.session.rollback()  # end this read before the runner opens its own sessions
        summary = StepRunner(connector, connection, step, preview=True).run()
        return {"connection_id": connection_id, "step": step, "state": "preview", "summary": in_language(summary, current_language())}
    run = uow.session.scalar(select(StepRun).where(StepRun.connection_id == connection_id, StepRun.step == step))
    if run is not None and run.state == "running":
        raise Conflict("sync.step_running", step=step)
    if run is None:
        run = StepRun(connection_id=connection_id, step=step)
        uow.session.add(run)
    run.state, run.done, run.total, run.summary, run.error = "running", 0, 0, None, None
    run.started_at, run.finished_at = datetime.now(timezone.utc), None
    uow.commit()
    job = threading.Thread(target=_run_step, args=(connector, connection, step, run.id, progress), daemon=True)
    if background:
        job.start()
    else:
        job.run()
    with UnitOfWork(connector.db) as fresh:
        return step_read(connection_id, step, fresh.session.get(StepRun, run.id))


def _run_step(connector, connection: Connection, step: int, run_id: int, progress=None) -> None:
    last = [0.0]

    def report(done: int, total: int) -> None:
        if progress:
            progress(done, total)
        import time

        if time.monotonic() - last[0] > 0.2 or done == total:
            last[0] = time.monotonic()
            with UnitOfWork(connector.db) as uow:
                run = uow.session.get(StepRun, run_id)
                run.done, run.total = done, total
                uow.commit()

    state, summary, error = "succeeded", None, None
    try:
        with connector.lock:  # live sync waits while a step runs, so the two never race
            summary = StepRunner(connector, connection, step, progress=report).run()
        if summary["failed"]:
            state = "failed"
    except Problem as problem:  # a reason the apps gave (an app unreachable, a refusal): shown as it is
        state, error = "failed", _error_text(problem.detail("vi"), problem.detail("en"))
    except Exception:  # noqa: BLE001 - the step's state says it stopped; the server log has the trace
        logger.exception("first-sync step %s of connection %s failed", step, connection.id)
        state, error = "failed", _error_text(*both("sync.step_crashed"))
    with UnitOfWork(connector.db) as uow:
        run = uow.session.get(StepRun, run_id)
        run.state, run.summary, run.error = state, summary, error
        run.finished_at = datetime.now(timezone.utc)
        uow.commit()
