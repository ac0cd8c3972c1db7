"""The use cases an app offers the connector for a catalog kind, and their typed inputs.

:class:`CatalogUseCases` binds a :class:`~lienthong.kernel.catalog.Catalog` of the app
to the app's own form models: the connector's values are checked by the same field
checks as a person's form (:func:`values_model`), then the use case checks the
connector's permission (``may``) and any business check the app adds (``check``)
before it writes. Each app names its commands in its contract (its ``port.py``):
``create_<name>`` makes a record, ``update_<name>`` changes a linked record (by id),
``create_<name>_many`` makes many in one statement (the first sync: its items are
checked for their field names, not their values, which would cost more than the
write), ``update_<name>_many`` changes many linked records at once (the live drain of
edits: each item checked as ``update_<name>`` checks it). All answer
``{"id", "code"}`` for the connector's link store (an update also ``changed``). Field values arrive mapped to the
target's names; references arrive as ids of the target's own records (``group_id``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model

from lienthong.kernel.auth import ROLES, Principal, require_role
from lienthong.kernel.catalog import Catalog
from lienthong.kernel.contracts import CONNECTOR, Command
from lienthong.kernel.i18n import term
from lienthong.kernel.problems import NotFound
from lienthong.kernel.records import MAX_ID
from lienthong.kernel.schemas import Code, Email, Input, Name, Phone, RefCode, Text, not_null
from lienthong.kernel.unit_of_work import UnitOfWork

RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]
Check = Callable[[UnitOfWork, Principal, dict, object], None]  # (uow, principal, values, row or None): raises a Problem


def values_model(form: type[BaseModel], ids: tuple[str, ...] = ()) -> type[BaseModel]:
    """The app's own form model, taking also the references the connector sends as ids
    of the app's records (``group_id``): every field check of the form applies."""
    return create_model(f"{form.__name__}FromConnector", __base__=form, **{name: (RecordId | None, None) for name in ids})


def _names_in(allowed: frozenset[str]) -> Callable[[list[dict]], list[dict]]:
    """A check that every item is a record naming only fields of ``allowed``."""

    def check(items: list) -> list[dict]:
        for item in items:
            if not isinstance(item, dict):
                raise ValueError("command.not_a_record:")
            if not allowed.issuperset(item):
                raise ValueError(f"command.unknown_field:{min(item.keys() - allowed)}")
        return items

    return check


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class CatalogUseCases:
    """The connector's use cases of one catalog of the app, with their input models."""

    catalog: Catalog
    create_form: type[BaseModel]
    update_form: type[BaseModel]
    ids: tuple[str, ...] = ()
    may: tuple[str, ...] = (CONNECTOR,)  # who may run them: the connector's permission here
    check: Check | None = None  # the app's business check of the values, before any write
    inputs: dict = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        create_values = values_model(self.create_form, self.ids)
        update_values = values_model(self.update_form, self.ids)
        name = self.create_form.__name__.removesuffix("Create")
        self.inputs["create"] = create_model(f"Create{name}Input", __base__=_Args, values=(create_values, ...))
        self.inputs["update"] = create_model(f"Update{name}Input", __base__=_Args, target_id=(RecordId, ...), values=(update_values, ...))
        # The first sync sends 100,000 records through ``create_<name>_many``: its items are
        # checked for their field names only (a full check costs more than the write).
        names = AfterValidator(_names_in(frozenset(create_values.model_fields)))
        self.inputs["create_many"] = create_model(f"Create{name}ManyInput", __base__=_Args, items=(Annotated[list, names], ...))
        self.inputs["update_many"] = create_model(f"Update{name}ManyInput", __base__=_Args, items=(list[self.inputs["update"]], ...))

    def commands(self, noun: str) -> tuple[Command, ...]:
        """``create_<noun>``, ``update_<noun>``, ``create_<noun>_many`` and
        ``update_<noun>_many``, bound to these use cases."""
        return (
            Command(f"create_{noun}", self.create, self.inputs["create"]),
            Command(f"update_{noun}", self.update, self.inputs["update"]),
            Command(f"create_{noun}_many", self.create_many, self.inputs["create_many"]),
            Command(f"update_{noun}_many", self.update_many, self.inputs["update_many"]),
        )

    def _allowed(self, uow: UnitOfWork, principal: Principal, values: dict, row) -> None:
        require_role(principal, *self.may)
        if self.check is not None:
            self.check(uow, principal, values, row)

    def create(self, uow: UnitOfWork, principal: Principal, data, *, origin: str) -> dict:
        values = data.values.model_dump(exclude_unset=True)
        self._allowed(uow, principal, values, None)
        row = self.catalog.create(uow, principal.tenant_id, values, origin=origin)
        return {"id": row.id, "code": row.code, "created": True}

    def update(self, uow: UnitOfWork, principal: Principal, data, *, origin: str) -> dict:
        row = uow.session.get(self.catalog.model, data.target_id)
        if row is None or row.tenant_id != principal.tenant_id:
            raise NotFound("not_found", what=term(self.catalog.what), ident=data.target_id)
        values = data.values.model_dump(exclude_unset=True)
        self._allowed(uow, principal, values, row)
        changed = self.catalog.update(uow, row, values, origin=origin)
        return {"id": row.id, "code": row.code, "changed": sorted(changed)}

    def update_many(self, uow: UnitOfWork, principal: Principal, data, *, origin: str) -> dict:
        """:meth:`update` of every item, written together (one UPDATE per set of changed
        columns, the events in one insert): ``{"items": [{"id", "code", "changed"}]}`` in
        the items' order. Every item is checked (its target in the tenant, the permission,
        the app's ``check``) before anything is written; the first refused one refuses all."""
        rows = self.catalog.get_many(uow, principal.tenant_id, {item.target_id for item in data.items})
        changes = []
        for item in data.items:
            row = rows.get(item.target_id)
            if row is None:
                raise NotFound("not_found", what=term(self.catalog.what), ident=item.target_id)
            values = item.values.model_dump(exclude_unset=True)
            self._allowed(uow, principal, values, row)
            changes.append((row, values))
        outcomes = self.catalog.update_each(uow, changes, origin=origin)
        return {"items": [{"id": row.id, "code": row.code, "changed": sorted(changed or ())} for (row, _), changed in zip(changes, outcomes)]}

    def create_many(self, uow: UnitOfWork, principal: Principal, data, *, origin: str) -> dict:
        require_role(principal, *self.may)
        if self.check is not None:
            for values in data.items:
                self.check(uow, principal, values, None)
        rows = self.catalog.create_many(uow, principal.tenant_id, data.items, origin=origin)
        return {"items": [{"id": r.id, "code": r.code} for r in rows]}


@dataclass(frozen=True)
class CopyUseCase:
    """The use case keeping an app's copy of another app's record (users, employees):
    updates the linked copy (``target_id``) or creates it; ``input`` lists the copied
    fields with the app's checks."""

    catalog: Catalog
    input: type[BaseModel]
    may: tuple[str, ...] = (CONNECTOR,)

    def __call__(self, uow: UnitOfWork, principal: Principal, data, *, origin: str) -> dict:
        require_role(principal, *self.may)
        values = data.model_dump(exclude_unset=True, exclude={"target_id"})
        row = uow.session.get(self.catalog.model, data.target_id) if data.target_id else None
        if row is not None and row.tenant_id == principal.tenant_id:
            changed = self.catalog.update(uow, row, values, origin=origin)
            return {"id": row.id, "code": row.code, "created": False, "changed": sorted(changed)}
        row = self.catalog.create(uow, principal.tenant_id, values, origin=origin)
        return {"id": row.id, "code": row.code, "created": True}


class _Copy(Input):
    target_id: RecordId | None = None  # the linked copy, when there is one
    code: Code | None = None
    name: Name | None = None
    email: Email = None

    check_required = not_null("code", "name")


class UserCopy(_Copy):
    """A copy of a system user (CRM, process), with the system form's field checks."""

    role: Literal[ROLES] | None = None  # type: ignore[valid-type]
    active: bool | None = None
    employee_code: RefCode | None = None


class EmployeeCopy(_Copy):
    """A copy of a system employee (accounting), with the system form's field checks."""

    phone: Phone | None = None
    title: Text | None = None
