"""Create, update, delete and list one kind of catalog record, with its events.

Customers, contacts, customer groups, products and product groups of accounting and CRM
share this shape; an app configures a :class:`Catalog` per kind and keeps its own
permission checks and business rules in its use cases. Nothing here commits: the use case does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import repeat
from typing import Any

from sqlalchemy import bindparam, exists, func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from lienthong.kernel.bulk import Same, column_values, insert_columns
from lienthong.kernel.outbox import emit, emit_columns, emit_many, utcnow
from lienthong.kernel.auth import Principal, require_role
from lienthong.kernel.money import amounts_of, texts_of
from lienthong.kernel.i18n import term
from lienthong.kernel.problems import Conflict, duplicate_code, invalid
from lienthong.kernel.records import apply_changes, by_code, get_or_404, numbered_page, page, resolve_code
from lienthong.kernel.tables import keys_of
from lienthong.kernel.text import code_key, search_key
from lienthong.kernel.unit_of_work import UnitOfWork


class PlainRow:
    """A record's column values as attributes, without the ORM: what :attr:`Catalog.data`
    reads of a row written in bulk (and of a record it refers to)."""

    def __init__(self, attributes: dict):
        self.__dict__ = attributes


@dataclass(frozen=True)
class Ref:
    """A reference by code in requests (``group_code``) kept as a foreign key (``group_id``)."""

    code_field: str
    id_field: str
    model: type
    what: str  # the message key of the record's name, e.g. kind.customer-groups


@dataclass
class Catalog:
    model: type
    kind: str
    what: str  # the message key of the record's name in messages, e.g. kind.customers
    event_prefix: str
    data: Callable[[Any], dict]
    refs: tuple[Ref, ...] = ()
    filters: tuple[str, ...] = field(default=())
    writers: tuple[str, ...] = ()  # roles that may change records through the *_by use cases (admin always may)
    used_by: tuple = ()  # foreign-key columns that forbid deleting a record still referenced
    money: tuple[str, ...] = ()  # amounts (see kernel.money): Decimal in rows, text in bulk writes

    def _resolve(self, uow: UnitOfWork, tenant_id: str, values: dict) -> dict:
        """``values`` with each reference by code as its id and amounts as Decimal (a copy;
        ``values`` itself if it has neither)."""
        if not self.money and not any(ref.code_field in values for ref in self.refs):
            return values
        out = amounts_of(values, self.money)
        for ref in self.refs:
            if ref.code_field in out:
                row = resolve_code(uow.session, ref.model, tenant_id, out.pop(ref.code_field), field=ref.code_field, what=ref.what)
                out[ref.id_field] = row.id if row else None
        return out

    def check_code_free(self, uow: UnitOfWork, tenant_id: str, code: str, except_id: int | None = None) -> None:
        if uow.trust_constraints:
            return
        existing = by_code(uow.session, self.model, tenant_id, code)
        if existing is not None and existing.id != except_id:
            raise duplicate_code(code)

    def emit(self, uow: UnitOfWork, row, verb: str, *, changed: dict | None = None, origin: str | None = None, extra: dict | None = None) -> None:
        emit(
            uow,
            tenant_id=row.tenant_id,
            kind=self.kind,
            type=f"{self.event_prefix}{verb}",
            record_id=row.id,
            record_code=row.code,
            data={**self.data(row), **(extra or {})},
            changed=changed,
            origin_app=origin,
        )

    def create(self, uow: UnitOfWork, tenant_id: str, values: dict, *, origin: str | None = None):
        self.check_code_free(uow, tenant_id, values["code"])
        row = self.model(tenant_id=tenant_id, **self._resolve(uow, tenant_id, values))
        uow.session.add(row)
        uow.flush()
        self.emit(uow, row, "Created", origin=origin)
        return row

    def create_many(self, uow: UnitOfWork, tenant_id: str, items: list[dict], *, origin: str | None = None) -> list:
        """Create many records in one statement, each with its Created event (imports,
        first-sync bulk). The database's unique constraints guard the codes; a violation raises.

        The rows and their events are written column by column (one executemany each),
        and each event's data is :attr:`data` of a plain copy of its row: no ORM object,
        no dict per stored row. Returns those plain copies (``id``, ``code``, ...)."""
        if not items:
            return []
        session, table = uow.session, self.model.__table__
        code_fields = {ref.code_field for ref in self.refs}
        if self.money or any(not code_fields.isdisjoint(values) for values in items):
            items = [texts_of(self._resolve(uow, tenant_id, values), self.money) for values in items]
        count = len(items)
        columns: dict[str, list | Same] = {name: column_values(items, name, self._defaults.get(name)) for name in set().union(*items)}
        codes = columns["code"]
        columns["code_key"] = list(map(code_key, codes))
        missing = [None] * count
        columns["search_key"] = list(map(search_key, zip(*(columns.get(f, missing) for f in self.model.search_fields))))
        now = utcnow()  # one moment for the whole statement
        columns.update(tenant_id=Same(tenant_id), created_at=Same(now), updated_at=Same(now))
        before = session.scalar(select(func.max(table.c.id))) or 0
        insert_columns(session, table, count, columns)  # one executemany, no ORM objects
        # The new rows' ids: every id given from here on is above ``before`` (a record
        # another writer of the tenant commits meanwhile has another code).
        ids = dict(session.execute(select(table.c.code, table.c.id).where(table.c.tenant_id == tenant_id, table.c.id > before)).all())
        record_ids = list(map(ids.__getitem__, codes))
        made = self._plain_rows(session, items, ids=record_ids, tenant_id=tenant_id)
        emit_columns(uow, count, {
            "tenant_id": Same(tenant_id), "kind": Same(self.kind), "type": Same(f"{self.event_prefix}Created"),
            "record_id": record_ids, "record_code": codes, "data": list(map(self.data, made)), "origin_app": Same(origin),
        })
        return made

    @cached_property
    def _defaults(self) -> dict:
        """The value a stored row takes for a column it leaves out (a plain default; a
        computed one, such as a timestamp, is not part of the data)."""
        return {c.name: (c.default.arg if c.default is not None and not callable(c.default.arg) else None) for c in self.model.__table__.columns}

    def _plain_rows(self, session, rows: list[dict], ids: list[int] | None = None, tenant_id: str | None = None, complete: bool = False) -> list[PlainRow]:
        """Plain copies of rows (column values, a column left out at its default) with
        their references attached, for :attr:`data`: each referenced record is loaded
        once, not once per row. ``ids``/``tenant_id``: of new rows, whose values have none;
        ``complete``: the rows, read from the table, have every column and are the
        caller's to keep (they become the copies)."""
        referenced = []
        for ref in self.refs:
            wanted = {r.get(ref.id_field) for r in rows} - {None}
            found = session.scalars(select(ref.model).where(ref.model.id.in_(wanted))) if wanted else []
            name = ref.id_field.removesuffix("_id")
            columns = [c.key for c in ref.model.__mapper__.column_attrs]
            # id -> the attributes the row gets: the record (a plain copy) and its code
            attached = {o.id: {name: PlainRow({c: getattr(o, c) for c in columns}), f"{name}_code": o.code} for o in found}
            referenced.append((ref.id_field, attached, {name: None, f"{name}_code": None}))
        defaults = self._defaults if tenant_id is None else {**self._defaults, "tenant_id": tenant_id}
        out = []
        for values, record_id in zip(rows, ids or repeat(None)):
            attributes = values if complete else {**defaults, **values}
            if record_id is not None:
                attributes["id"] = record_id
            for id_field, attached, none in referenced:
                attributes.update(attached.get(values.get(id_field), none))
            out.append(PlainRow(attributes))
        return out

    def page_data(self, session, tenant_id: str, after: int = 0, limit: int = 1000) -> list[dict]:
        """A page of every record's :attr:`data`, in id order, read as plain columns (the
        connector's bulk reads: no ORM objects)."""
        table = self.model.__table__
        columns = [c for c in table.columns if c.name not in ("created_at", "updated_at")]  # not in the data; costly to parse
        result = session.execute(select(*columns).where(table.c.tenant_id == tenant_id, table.c.id > after).order_by(table.c.id).limit(limit))
        names = tuple(result.keys())
        rows = [dict(zip(names, row)) for row in result.all()]  # every column: no default to fill in
        return list(map(self.data, self._plain_rows(session, rows, complete=True)))

    def update(self, uow: UnitOfWork, row, values: dict, *, origin: str | None = None) -> dict:
        """Apply ``values``; returns ``{field: old}`` of what changed (ids shown as codes)."""
        if "code" in values:
            self.check_code_free(uow, row.tenant_id, values["code"], row.id)
        before = self.data(row)
        changed = apply_changes(row, self._resolve(uow, row.tenant_id, values))
        if changed:
            uow.flush()
            uow.session.expire(row)
            after = self.data(row)
            changed = {k: before.get(k) for k in after if k in before and before[k] != after[k] and k != "id"}
            self.emit(uow, row, "Updated", changed=changed, origin=origin)
        return changed

    def update_many(self, uow: UnitOfWork, changes: list[tuple[Any, dict]], *, origin: str | None = None) -> list[tuple[Any, dict]]:
        """Apply to many rows their ``values`` as :meth:`update_each` does (bulk changes:
        imports, handover). Returns ``(row, {field: old})`` of the rows that changed."""
        outcomes = self.update_each(uow, changes, origin=origin)
        return [(row, changed) for (row, _), changed in zip(changes, outcomes) if changed is not None]

    def update_each(self, uow: UnitOfWork, changes: list[tuple[Any, dict]], *, origin: str | None = None) -> list[dict | None]:
        """Apply each ``(row, values)`` in order as :meth:`update` does (a reference by
        code or id, amounts as text or Decimal, a new code checked free), written in bulk:
        one UPDATE statement per set of changed columns (executemany by id), each changed
        row with its Updated event, all events in one insert. The loaded rows show their
        new values. Returns, per change, ``{field: old}`` (ids shown as codes), or None
        where no column changed.

        A row may come more than once: its earlier changes are written before its later
        ones, so the last one wins as it would one after another."""
        resolved = [(row, self._resolve(uow, row.tenant_id, values)) for row, values in changes]
        for row, values in changes:
            if "code" in values and values["code"] != row.code:
                self.check_code_free(uow, row.tenant_id, values["code"], row.id)
        referenced = {ref.id_field: self._referenced(uow, ref, {v[ref.id_field] for _, v in resolved if v.get(ref.id_field) is not None}) for ref in self.refs}
        now = utcnow()
        outcomes: list[dict | None] = []
        events, statements, pending = [], {}, set()
        for row, values in resolved:
            columns = {k: v for k, v in values.items() if getattr(row, k) != v}
            if not columns:
                outcomes.append(None)
                continue
            if row.id in pending:  # its earlier change first: the statements below may run in another order
                self._write_updates(uow, statements)
                pending.clear()
            before = self.data(row)
            if "code" in columns:
                columns["code_key"] = code_key(columns["code"])
            if any(f in columns for f in self.model.search_fields):
                columns["search_key"] = keys_of(self.model, {**{f: getattr(row, f) for f in ("code", *self.model.search_fields)}, **columns})["search_key"]
            columns["updated_at"] = now
            for key, value in columns.items():  # the loaded row shows the change, which no flush repeats
                set_committed_value(row, key, value)
            for ref in self.refs:
                if ref.id_field in columns:
                    set_committed_value(row, ref.id_field.removesuffix("_id"), referenced[ref.id_field].get(columns[ref.id_field]))
            statements.setdefault(tuple(sorted(columns)), []).append({"row_id": row.id, **columns})
            pending.add(row.id)
            after = self.data(row)
            changed = {k: before.get(k) for k in after if k in before and before[k] != after[k] and k != "id"}
            events.append({"tenant_id": row.tenant_id, "kind": self.kind, "type": f"{self.event_prefix}Updated", "record_id": row.id, "record_code": row.code, "data": after, "changed": changed, "origin_app": origin})
            outcomes.append(changed)
        self._write_updates(uow, statements)
        emit_many(uow, events)
        return outcomes

    def _referenced(self, uow: UnitOfWork, ref: Ref, ids: set) -> dict:
        """The records of ``ref`` with these ids, by id, read in one query."""
        return {o.id: o for o in uow.session.scalars(select(ref.model).where(ref.model.id.in_(ids)))} if ids else {}

    def _write_updates(self, uow: UnitOfWork, statements: dict[tuple, list[dict]]) -> None:
        """Run :meth:`update_each`'s statements (one executemany per set of columns) and forget them."""
        table = self.model.__table__
        for columns, params in statements.items():
            # Core's executemany by id: the loaded rows already show the change, so the
            # ORM's bulk update, which would find and refresh them, is not needed.
            stmt = update(table).where(table.c.id == bindparam("row_id")).values({name: bindparam(name) for name in columns})
            uow.session.execute(stmt, params)
        statements.clear()

    def delete(self, uow: UnitOfWork, row, *, origin: str | None = None) -> None:
        self.emit(uow, row, "Deleted", origin=origin)
        uow.session.delete(row)
        uow.flush()

    def merge(self, uow: UnitOfWork, survivor, merged: list, movers: tuple[Callable[[UnitOfWork, int, int], None], ...]) -> None:
        """Merge (Gộp) ``merged`` into ``survivor``: each mover moves what refers to a merged
        record over to the survivor (each moved row with its own event); then each merged
        record is deleted with its ``Merged`` event, which names the survivor."""
        for row in merged:
            for move in movers:
                move(uow, row.id, survivor.id)
            self.emit(uow, row, "Merged", extra={"survivor_id": survivor.id, "survivor_code": survivor.code})
            uow.session.delete(row)
        uow.flush()

    def mover(self, id_field: str) -> Callable[[UnitOfWork, int, int], None]:
        """A mover for :meth:`merge` of the records this catalog's ``id_field`` refers to:
        every row pointing at the merged record points at the survivor, with its Updated event."""

        def move(uow: UnitOfWork, old_id: int, new_id: int) -> None:
            for row in uow.session.scalars(select(self.model).where(getattr(self.model, id_field) == old_id).order_by(self.model.id)).all():
                self.update(uow, row, {id_field: new_id})

        return move

    def clear_references(self, uow: UnitOfWork, code_field: str, record_id: int) -> None:
        """Clear the reference ``code_field`` of every row pointing at a record about to
        be deleted (the users of a deleted employee), each with its Updated event, so
        the copies of those rows in other apps follow; never a bare UPDATE."""
        ref = next(r for r in self.refs if r.code_field == code_field)
        for row in uow.session.scalars(select(self.model).where(getattr(self.model, ref.id_field) == record_id)).all():
            self.update(uow, row, {code_field: None})

    # -- the use cases an app's users call (permission, change, commit) ----------------
    def create_by(self, uow: UnitOfWork, principal: Principal, values: dict):
        require_role(principal, *self.writers)
        row = self.create(uow, principal.tenant_id, values)
        uow.commit()
        return row

    def update_by(self, uow: UnitOfWork, principal: Principal, record_id: int, values: dict):
        require_role(principal, *self.writers)
        row = self.get(uow, principal.tenant_id, record_id)
        self.update(uow, row, values)
        uow.commit()
        return row

    def delete_by(self, uow: UnitOfWork, principal: Principal, record_id: int) -> None:
        require_role(principal, *self.writers)
        row = self.get(uow, principal.tenant_id, record_id)
        for column in self.used_by:
            if uow.session.scalar(select(exists().where(column == row.id))):
                raise Conflict("in_use", what=term(self.what), code=row.code)
        self.delete(uow, row)
        uow.commit()

    def merge_by(self, uow: UnitOfWork, principal: Principal, survivor_id: int, merged_ids: list[int], movers: tuple = ()):
        """The merge use case: the survivor and each merged record must exist in the
        tenant and differ; a bad id is a 422 naming it in ``merged_ids``."""
        require_role(principal, *self.writers)
        survivor = self.get(uow, principal.tenant_id, survivor_id)
        merged = []
        for index, record_id in enumerate(merged_ids):
            row = uow.session.get(self.model, record_id)
            if record_id == survivor_id or record_id in merged_ids[:index]:
                raise invalid(f"merged_ids.{index}", "invalid", "merge.same_record", ident=record_id)
            if row is None or row.tenant_id != principal.tenant_id:
                raise invalid(f"merged_ids.{index}", "not_found", "not_found", what=term(self.what), ident=record_id)
            merged.append(row)
        self.merge(uow, survivor, merged, movers)
        uow.commit()
        return survivor

    def get(self, uow: UnitOfWork, tenant_id: str, record_id: int):
        return get_or_404(uow.session, self.model, tenant_id, record_id, self.what)

    def get_many(self, uow: UnitOfWork, tenant_id: str, record_ids: set[int]) -> dict:
        """The tenant's records of these ids, by id (an id of no record, or of another
        tenant's, is not there), read a chunk of ids per query."""
        ids, found = sorted(record_ids), {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            found.update((row.id, row) for row in uow.session.scalars(select(self.model).where(self.model.tenant_id == tenant_id, self.model.id.in_(chunk))).unique())
        return found

    def find(self, uow: UnitOfWork, tenant_id: str, code: str):
        return by_code(uow.session, self.model, tenant_id, code)

    def query(self, uow: UnitOfWork, tenant_id: str, *, filters: dict | None = None, where=()):
        """The tenant's records matching ``filters`` (by field, or a reference by its code)."""
        stmt = select(self.model).where(self.model.tenant_id == tenant_id, *where)
        for name, value in (filters or {}).items():
            if value is None:
                continue
            ref = next((r for r in self.refs if r.code_field == name), None)
            if ref is not None:
                target = by_code(uow.session, ref.model, tenant_id, value)
                stmt = stmt.where(getattr(self.model, ref.id_field) == (target.id if target else -1))
            elif name == "code":
                stmt = stmt.where(self.model.code_key == code_key(value))
            else:
                stmt = stmt.where(getattr(self.model, name) == value)
        return stmt

    def list(self, uow: UnitOfWork, tenant_id: str, *, filters: dict | None = None, q: str | None = None, limit: int = 50, cursor: str | None = None, where=()):
        return page(uow.session, self.query(uow, tenant_id, filters=filters, where=where), self.model, limit=limit, cursor=cursor, q=q)

    def list_numbered(self, uow: UnitOfWork, tenant_id: str, *, number: int, size: int, filters: dict | None = None, q: str | None = None, where=()):
        """Page ``number`` of the matching records and their total (the screens' lists)."""
        return numbered_page(uow.session, self.query(uow, tenant_id, filters=filters, where=where), self.model, number=number, size=size, q=q)
