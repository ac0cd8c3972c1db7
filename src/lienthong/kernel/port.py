"""What every app offers the connector: its outbox, and idempotent application of
commands that come from another app.

A command is ``{"name": ..., "key": ..., "args": {...}}``. ``key`` is unique per
source change and purpose; the target stores it with the outcome in the same
transaction as the change, so a second delivery returns the stored outcome and
changes nothing. An argument may refer to an earlier command's result in the same
call: ``{"$ref": "<key>", "field": "id"}``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lienthong.kernel.bulk import insert_rows
from lienthong.kernel.contracts import Command
from lienthong.kernel.db import Database
from lienthong.kernel.problems import Problem
from lienthong.kernel.text import code_key
from lienthong.kernel.unit_of_work import UnitOfWork

Handler = Command  # a command of the app's contract, bound to one of its use cases
Query = Callable[..., Any]  # a read the connector may ask of the app


def _resolve_refs(value: Any, results: dict[str, dict]) -> Any:
    if isinstance(value, dict):
        if "$ref" in value:
            return (results.get(value["$ref"]) or {}).get(value.get("field", "id"))
        return {name: _resolve_refs(v, results) for name, v in value.items()}
    return value


def problem_outcome(problem: Problem) -> dict:
    """A refused command, with its reason in both languages for the decision log."""
    vi, en = problem.to_dict("vi"), problem.to_dict("en")
    return {
        "ok": False,
        "status": problem.status,
        "error_vi": _flatten(vi),
        "error_en": _flatten(en),
    }


def _flatten(body: dict) -> str:
    """The detail, then each field's message unless it only repeats the detail."""
    detail = body.get("detail", "")
    parts = [detail] + [f"{err['field']}: {err['message']}" for err in body.get("errors", []) if err["message"] != detail]
    return " — ".join(p for p in parts if p)


def apply_commands(db: Database, handlers: dict[str, Handler], *, tenant_id: str, source_app: str, commands: list[dict]) -> list[dict]:
    """Apply ``commands`` in order in one transaction; each succeeds or fails alone.

    The fast path runs them all without savepoints; if any is refused, the
    transaction is rolled back and every command is applied again in its own
    savepoint, so the refused ones leave no trace and the others still apply."""
    try:
        return _apply_all(db, handlers, tenant_id, source_app, commands, isolated=False)
    except (_Refused, IntegrityError):
        return _apply_all(db, handlers, tenant_id, source_app, commands, isolated=True)


class _Refused(Exception):
    pass


def _apply_all(db: Database, handlers: dict[str, Handler], tenant_id: str, source_app: str, commands: list[dict], *, isolated: bool) -> list[dict]:
    applied_model = db.base.registry._class_registry["AppliedEvent"]
    results: list[dict] = []
    by_key: dict[str, dict] = {}
    with UnitOfWork(db) as uow:
        uow.trust_constraints = not isolated
        session = uow.session
        keys = [c["key"] for c in commands]
        done = {
            row.event_id: row.outcome
            for row in session.scalars(
                select(applied_model).where(applied_model.source_app == source_app, applied_model.event_id.in_(keys))
            )
        }
        applied_rows: list[dict] = []  # fast path: written in one statement at the end
        i = 0
        while i < len(commands):
            run = [] if isolated else _bulk_run(commands, i, handlers, done)
            if len(run) > 1:
                for cmd, outcome in zip(run, _run_many(uow, handlers, run, tenant_id, source_app)):
                    applied_rows.append({"source_app": source_app, "event_id": cmd["key"], "tenant_id": tenant_id, "outcome": outcome})
                    done[cmd["key"]] = outcome
                    results.append(outcome)
                    by_key[cmd["key"]] = outcome
                i += len(run)
                continue
            cmd = commands[i]
            i += 1
            key = cmd["key"]
            if key in done:
                outcome = {**done[key], "replayed": True}
            else:
                handler = handlers.get(cmd["name"])
                if handler is None:
                    outcome = {"ok": False, "status": 400, "error_vi": f"Lệnh không hỗ trợ: {cmd['name']}", "error_en": f"Unsupported command: {cmd['name']}"}
                else:
                    outcome = _apply_one(uow, applied_model, handler, cmd, tenant_id, source_app, by_key, isolated, applied_rows)
                    if outcome.get("ok"):
                        done[key] = outcome
                if not outcome.get("ok") and not isolated:
                    raise _Refused(key)
            results.append(outcome)
            by_key[key] = outcome
        if applied_rows:
            insert_rows(session, applied_model.__table__, applied_rows)
        uow.commit()
    return results


def _has_ref(value: Any) -> bool:
    if isinstance(value, dict):
        return "$ref" in value or any(_has_ref(v) for v in value.values())
    return False


_BULK_ARGS = {"create": {"values"}, "update": {"target_id", "values"}}  # by verb: the arguments of a command a bulk run takes


def _bulk_run(commands: list[dict], start: int, handlers: dict, done: dict) -> list[dict]:
    """Consecutive new commands of one name with a bulk form (``<name>_many``) and no
    reference to another command: creates of one kind, or updates of one kind each of
    another record (so each item is checked as it would be one after another). They
    go to the bulk form in one call (the fast path only)."""
    name = commands[start]["name"]
    fields = _BULK_ARGS.get(name.partition("_")[0])
    if fields is None or f"{name}_many" not in handlers:
        return []
    run, targets = [], set()
    for cmd in commands[start:]:
        args = cmd.get("args") or {}
        if cmd["name"] != name or cmd["key"] in done or set(args) != fields or _has_ref(args):
            break
        if "target_id" in fields:  # a record edited again, or a target that is no id: the path one at a time
            target = args["target_id"]
            if type(target) is not int or target in targets:
                break
            targets.add(target)
        run.append(cmd)
    return run


def _run_many(uow: UnitOfWork, handlers: dict, run: list[dict], tenant_id: str, source_app: str) -> list[dict]:
    """The outcomes of a bulk run, from its ``<name>_many`` command; any refusal refuses
    the run (the isolated path then gives each command its own outcome)."""
    name = run[0]["name"]
    if name.startswith("create_"):  # the items are the values; the outcome says it made a record
        items, extra = [c["args"]["values"] for c in run], {"created": True}
    else:
        items, extra = [c["args"] for c in run], {}
    try:
        made = handlers[f"{name}_many"].run(uow, tenant_id=tenant_id, origin=source_app, args={"items": items})
    except Exception:  # noqa: BLE001 - a Problem or any other failure: each command alone tells
        raise _Refused(run[0]["key"]) from None
    return [{"ok": True, **extra, **item} for item in made["items"]]


def _apply_one(uow: UnitOfWork, applied_model, handler: Handler, cmd: dict, tenant_id: str, source_app: str, by_key: dict, isolated: bool, applied_rows: list) -> dict:
    session = uow.session
    savepoint = session.begin_nested() if isolated else None
    try:
        args = _resolve_refs(cmd.get("args") or {}, by_key)
        result: dict[str, Any] = handler.run(uow, tenant_id=tenant_id, origin=source_app, args=args)
        outcome = {"ok": True, **result}
        if savepoint is None:
            applied_rows.append({"source_app": source_app, "event_id": cmd["key"], "tenant_id": tenant_id, "outcome": outcome})
            return outcome
        session.add(applied_model(source_app=source_app, event_id=cmd["key"], tenant_id=tenant_id, outcome=outcome))
        session.flush()
        savepoint.commit()
        return outcome
    except Problem as problem:
        if savepoint is None:
            raise _Refused(cmd["key"]) from None
        savepoint.rollback()
        return problem_outcome(problem)
    except Exception as exc:  # noqa: BLE001 - one broken command must not sink the others
        if savepoint is None:
            raise _Refused(cmd["key"]) from None
        savepoint.rollback()
        return {"ok": False, "status": 500, "error_vi": f"Lỗi nội bộ: {exc!r}", "error_en": f"Internal error: {exc!r}"}


class AppPort:
    """One app as the connector sees it: its outbox, its commands, its read-only queries."""

    def __init__(self, name: str, db: Database, handlers: dict[str, Handler], queries: dict[str, Query], events: tuple = ()):
        self.name = name
        self.db = db
        self.handlers = handlers
        self.queries = queries
        self.events = events  # the app's event types (kernel.contracts.Event), checked by the connector at start

    @classmethod
    def of(cls, contract, db: Database) -> "AppPort":
        """The port of an app's :class:`~lienthong.kernel.contracts.Contract`."""
        return cls(contract.app, db, handlers=contract.handlers, queries=contract.queries, events=contract.events)

    def names(self) -> dict:
        """What the app declares, by name and version (the port's ``/contract`` answer),
        so a connector in another server checks its rulebook against it at start."""
        return {
            "app": self.name,
            "commands": [{"name": n, "version": 1} for n in sorted(self.handlers)],
            "queries": [{"name": n, "version": 1} for n in sorted(self.queries)],
            "events": [{"name": e.type_name(), "kind": e.kind, "version": 1} for e in self.events],
        }

    def events_after(self, after: int, limit: int = 500) -> dict:
        """``{"items": [events], "position": next read position}``."""
        from lienthong.kernel.outbox import read_after

        return read_after(self.db, after, limit)

    def count_after(self, after: int, tenant_id: str | None = None) -> int:
        """How many events (of ``tenant_id``) the connector has not read after ``after``."""
        from lienthong.kernel.outbox import count_after

        return count_after(self.db, after, tenant_id)

    def apply(self, tenant_id: str, source_app: str, commands: list[dict]) -> list[dict]:
        return apply_commands(self.db, self.handlers, tenant_id=tenant_id, source_app=source_app, commands=commands)

    def query(self, tenant_id: str, name: str, params: dict) -> Any:
        fn = self.queries[name]
        with self.db.reader() as session:
            return fn(session, tenant_id, **params)


def catalog_lister(catalog) -> Query:
    """A query listing every record of a :class:`~lienthong.kernel.catalog.Catalog` in id
    order, a page at a time, as its event data (read as plain columns: fast)."""

    def _list(session, tenant_id: str, after: int = 0, limit: int = 1000) -> list[dict]:
        return catalog.page_data(session, tenant_id, after, limit)

    return _list


def lister(model, to_dict: Callable[[Any], dict]) -> Query:
    """A query listing every row of ``model`` in id order, a page at a time."""

    def _list(session, tenant_id: str, after: int = 0, limit: int = 1000) -> list[dict]:
        rows = session.scalars(
            select(model).where(model.tenant_id == tenant_id, model.id > after).order_by(model.id).limit(limit)
        )
        return [to_dict(r) for r in rows]

    return _list


def finder(model, to_dict: Callable[[Any], dict], column: str = "code") -> Query:
    """A query finding rows of ``model`` by a column (a code, unless said otherwise):
    one row for ``value``, or ``{value: row}`` for a list of ``values`` (one round trip)."""

    # Codes compare as people mean them: ``KH1`` finds ``kh1`` (see kernel.text.code_key).
    col, key = (model.code_key, code_key) if column == "code" else (getattr(model, column), lambda v: v)

    def _find(session, tenant_id: str, value: str | None = None, values: list[str] | None = None):
        if values is not None:
            asked = {}
            for v in values:
                asked.setdefault(key(v), []).append(v)
            out: dict = {}
            for row in session.scalars(select(model).where(model.tenant_id == tenant_id, col.in_(list(asked)))):
                for v in asked[key(getattr(row, column))]:
                    out.setdefault(v, to_dict(row))
            return out
        row = session.scalar(select(model).where(model.tenant_id == tenant_id, col == key(value)).limit(1))
        return to_dict(row) if row is not None else None

    return _find
