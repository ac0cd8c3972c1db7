"""Nhập khẩu: importing catalog records (customers, products, ...) from an Excel file.

An app describes its import with an :class:`ImportSpec` (its catalog, columns,
references by code, form schemas) and calls :func:`import_rows`; an import with rules of
its own (CRM's customers with their owners, ``crm.customer_excel``) uses the same parts:
:func:`check_mode`, :func:`code_ids`, :class:`CodeCheck`, :func:`rejected` and
:func:`write_in_chunks`. Two phases, so that one
tenant's big file never stops the others' writes:

1. **Check**, outside any write transaction: the workbook is streamed
   (:func:`lienthong.kernel.excel.read_table` finds the header row by itself) and every
   row is validated as the form's schemas validate it (a clean batch of rows a column
   at a time, :class:`~lienthong.kernel.quick_check.QuickCheck`; any other row by the
   schema itself, for its messages), against the referenced records and
   existing codes read through a reading session (:meth:`Database.reader`, which takes
   no write lock). Each bad row is reported with its row number, column and reason; if
   any row is bad the file is rejected (422 ``import.rejected``) and nothing is written.
   A code, tax code or phone typed as a number that lost its leading zero is such a bad row.
2. **Write**, in chunks in file order, each chunk its own short transaction holding
   the write lock about :data:`CHUNK_SECONDS` (the chunk size adapts to the measured
   speed, at most doubling from one chunk to the next). A chunk writes its rows and
   their Created / Updated events together (the catalog's ``create_many`` and
   ``update``, the same rows and events as the form), so the connector carries them to
   the other app. An update that changes nothing emits nothing.

What a failure mid-import means: the check phase makes a clash rare, but a record
may be created or deleted by someone else (or a referenced record deleted) between the
check and the chunk that writes that row. Each chunk re-checks its rows under the
write lock; on a clash the import stops there with 409 ``import.partial`` naming the
row: the rows before it stay imported (each with its event, so the other app agrees),
that row and the rest are not. The import is therefore all-or-nothing for
every problem found in the file itself, and resumable for a concurrent change:
importing the same file again in upsert mode finishes it (rows already imported are
unchanged). Undoing the written chunks instead would send creates and then deletes,
which the other app keeps (a delete does not sync), so it is not done.

Modes (kiểu nhập khẩu): ``insert`` Thêm mới, ``update`` Cập nhật, ``upsert`` Cả hai.
A column missing from the file is left as it is; in update mode a blank cell too.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice
from typing import Any, BinaryIO

from pydantic import BaseModel, ValidationError
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from lienthong.kernel.auth import Principal, require_role
from lienthong.kernel.bulk import column_values
from lienthong.kernel.catalog import Catalog
from lienthong.kernel.db import Database
from lienthong.kernel.excel import Digits, read_table, validation_messages
from lienthong.kernel.i18n import t, term
from lienthong.kernel.problems import Conflict, FieldError, Problem, ValidationProblem, invalid
from lienthong.kernel.quick_check import QuickCheck
from lienthong.kernel.schemas import ImportResult, ImportRowError
from lienthong.kernel.text import code_key
from lienthong.kernel.unit_of_work import UnitOfWork

MODES = ("insert", "update", "upsert")
YES = {"có", "x", "yes", "true", "1"}
NO = {"không", "no", "false", "0"}

CHUNK_SECONDS = 0.15  # aimed write-lock hold of one chunk: a busy machine may take 5 times longer, still under 1 s
FIRST_CHUNK = 500  # rows of the first chunk, before the speed is known
MAX_CHUNK = 20_000
CHECK_BATCH = 1000  # rows checked together (see _quick_values)

Problems = list[tuple[str, str, str]]  # (field, code, message) of one row
Bad = tuple[int, str, str, str]  # (excel row, field, code, message)
Plan = tuple[int, str, str, dict]  # (excel row, code, its code key, checked values with references as ids)
Progress = Callable[[str, int, int | None], None]  # (phase "check" | "write", done, total)


@dataclass(frozen=True)
class ImportSpec:
    """What one kind of record needs to be imported."""

    catalog: Catalog
    writers: tuple[str, ...]  # roles that may import (admin always may)
    columns: dict[str, tuple[str, ...]]  # field -> accepted header texts; the first is what the export writes
    create_schema: type[BaseModel]
    update_schema: type[BaseModel]
    refs: dict[str, tuple[str, type, str]] = field(default_factory=dict)  # code field -> (id field, table, message key of its name)
    lost_zero: dict[str, Callable[[object], bool]] = field(default_factory=dict)  # field -> did Excel drop a leading zero?
    yes_no: tuple[str, ...] = ()  # fields read as yes / no
    cells: Callable[[dict], dict] | None = None  # the row's cells as the form takes them (words to codes, numbers to text)
    column_key: str = "column"  # message keys of the column names: ``<column_key>.<field>``
    texts: str = "import"  # the prefix of the messages that name the record: <texts>.exists_for_insert, .not_found_for_update, .clash

    @cached_property
    def quick_create(self) -> QuickCheck:
        return QuickCheck(self.create_schema)

    @cached_property
    def quick_update(self) -> QuickCheck:
        return QuickCheck(self.update_schema)


def _yes_no(value: object) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    word = str(value).strip().casefold()
    if word in YES:
        return True
    if word in NO:
        return False
    raise ValueError(word)


def check_mode(mode: str) -> None:
    if mode not in MODES:
        raise invalid("mode", "invalid_choice", "invalid_choice", choices=", ".join(MODES))


def code_ids(session, model, tenant_id: str) -> dict[str, int]:
    """code key -> id of a tenant's records, read as plain columns: codes compare up to
    case and spaces, as everywhere (:func:`kernel.text.code_key`)."""
    return dict(session.execute(select(model.code_key, model.id).where(model.tenant_id == tenant_id)).all())


class CodeCheck:
    """The code of each row against the mode and the file: a code twice in the file, a
    new code in update mode, an existing one in insert mode."""

    def __init__(self, mode: str, existing: set[str] | dict[str, Any]):
        self.mode, self.existing, self.first_row = mode, existing, {}

    def __call__(self, number: int, code: str) -> tuple[str, str, str] | None:
        key = code_key(code)
        first = self.first_row.setdefault(key, number)
        if first != number:
            return ("code", "duplicate", t("import.duplicate_in_file", code=code, first=first))
        if self.mode == "insert" and key in self.existing:
            return ("code", "exists", t("import.exists_for_insert", code=code))
        if self.mode == "update" and key not in self.existing:
            return ("code", "not_found", t("import.not_found_for_update", code=code))
        return None


def _values(spec: ImportSpec, cells: dict, mode: str, problems: Problems) -> dict | None:
    """The row's values checked by the form's schema, or None if they are bad."""
    cells = spec.cells(cells) if spec.cells else dict(cells)
    for name, lost_zero in spec.lost_zero.items():
        if lost_zero(cells.get(name)):
            problems.append((name, "lost_zero", t("import.lost_zero", value=cells.pop(name))))
    for name in spec.yes_no:
        if name in cells:
            try:
                cells[name] = _yes_no(cells[name])
            except ValueError:
                problems.append((name, "invalid_choice", t("invalid_choice", choices=term("choices.yes_no"))))
                del cells[name]
    given = {k: v for k, v in cells.items() if v is not None}
    schema, keep = (spec.update_schema, set(given)) if mode == "update" else (spec.create_schema, set(cells))
    if mode == "update" and "code" not in given:
        problems.append(("code", "required", t("required")))
    try:
        values = schema.model_validate(given).model_dump(include=keep)
    except ValidationError as exc:
        problems.extend(validation_messages(exc))
        return None
    return None if problems else values


def import_rows(
    spec: ImportSpec, *, db: Database, principal: Principal, data: bytes | BinaryIO, mode: str = "upsert", progress: Progress | None = None
) -> ImportResult:
    """Import a workbook (bytes or a binary file) into the principal's tenant."""
    require_role(principal, *spec.writers)
    check_mode(mode)
    rows, unknown = read_table(data, spec.columns, ("code",) if mode == "update" else ("code", "name"))
    tenant = principal.tenant_id
    with db.reader() as session:  # takes no write lock
        existing = set(code_ids(session, spec.catalog.model, tenant))
        known = {name: code_ids(session, model, tenant) for name, (_, model, _) in spec.refs.items()}
    plans = _check(spec, rows, mode, existing, known, progress)
    created, updated, unchanged = _write(spec, db, tenant, mode, plans, progress)
    return ImportResult(mode=mode, created=created, updated=updated, unchanged=unchanged, ignored_columns=unknown)


def _check(spec: ImportSpec, rows: Iterable[tuple[int, dict]], mode: str, existing: set[str], known: dict, progress: Progress | None) -> list[Plan]:
    """Every row validated; the plans of a good file, else a 422 naming every bad cell.

    Rows are checked a batch at a time: a batch whose every column is clean (see
    :func:`_quick_values`) skips the per-row schema; any other batch is checked row by
    row with it, for its messages."""
    first_row: dict[str, int] = {}
    plans: list[Plan] = []
    bad: list[tuple[int, str, str, str]] = []  # (row, field, code, message)
    ref_keys: dict = {}  # a reference's text -> its code key: a file names few groups and salespeople

    def ref_key(value) -> str:
        key = ref_keys.get(value)
        if key is None:
            key = ref_keys[value] = code_key(str(value))
        return key

    count = 0
    rows = iter(rows)
    while batch := tuple(islice(rows, CHECK_BATCH)):
        planned = _quick_plans(spec, batch, mode, existing, known, first_row, ref_key) if mode != "update" else None
        if planned is not None:
            plans.extend(planned)
            count += len(batch)
            if progress and count // 1000 != (count - len(batch)) // 1000:
                progress("check", count, None)
            continue
        quick = _quick_values(spec, batch, mode)
        for index, (number, cells) in enumerate(batch):
            count += 1
            if progress and count % 1000 == 0:
                progress("check", count, None)
            problems: Problems = []
            values = quick[index] if quick else _values(spec, cells, mode, problems)
            code = values["code"] if values else cells.get("code")  # as it is stored
            key = None
            if isinstance(code, str) and not any(p[0] == "code" for p in problems):
                key = code_key(code)
                if key in first_row:
                    problems.append(("code", "duplicate", t("import.duplicate_in_file", code=code, first=first_row[key])))
                elif mode == "insert" and key in existing:
                    problems.append(("code", "exists", t(f"{spec.texts}.exists_for_insert", code=code)))
                elif mode == "update" and key not in existing:
                    problems.append(("code", "not_found", t(f"{spec.texts}.not_found_for_update", code=code)))
                first_row.setdefault(key, number)
            for name, (_, _, what) in spec.refs.items():
                ref_code = cells.get(name)
                if ref_code is None or any(p[0] == name for p in problems):
                    continue
                if ref_key(ref_code) not in known[name]:
                    problems.append((name, "unknown_code", t("unknown_code", what=term(what), code=ref_code)))
            if problems:
                bad.extend((number, *p) for p in problems)
                continue
            for name, (id_field, _, _) in spec.refs.items():
                if name in values:
                    ref_code = values.pop(name)
                    values[id_field] = known[name].get(ref_key(ref_code)) if ref_code else None
            plans.append((number, code, key, values))
    if bad:
        raise rejected(bad, lambda name: t(f"{spec.column_key}.{name}") if name in spec.columns else name)
    return plans


def _quick_values(spec: ImportSpec, batch: tuple[tuple[int, dict], ...], mode: str) -> list[dict] | None:
    """The checked values of every row of ``batch`` if each of its columns is clean
    (:class:`QuickCheck`: what the form's schema would return unchanged), the same as
    :func:`_values` gives; None if any cell needs the schema's own check (or a message)."""
    columns = _quick_columns(spec, batch, mode)
    if columns is None:
        return None
    if mode == "update":  # a blank cell is left as it is
        return [{k: v for k, v in zip(columns, values) if v is not None} for values in zip(*columns.values())]
    return [dict(zip(columns, values)) for values in zip(*columns.values())]


def _quick_columns(spec: ImportSpec, batch: tuple[tuple[int, dict], ...], mode: str) -> dict[str, list] | None:
    """:func:`_quick_values` a column at a time (field -> the rows' values; in insert and
    upsert mode a blank cell at the form's default), worked out in C where it can (``map``,
    ``set``); None if some cell is not clean."""
    if spec.cells:
        batch = tuple((number, spec.cells(cells)) for number, cells in batch)
    fields = list(batch[0][1])  # every row has the file's columns
    rows = [cells for _, cells in batch]
    columns = {name: column_values(rows, name, None) for name in fields}
    kinds = {name: set(map(type, column)) for name, column in columns.items()}
    for name in spec.yes_no:
        if name in columns:
            try:
                words = {v: _yes_no(v) for v in set(columns[name])}  # a file says yes and no in few words
            except ValueError:
                return None
            columns[name] = list(map(words.__getitem__, columns[name]))
    for name, lost_zero in spec.lost_zero.items():
        if name in columns and Digits in kinds[name] and any(map(lost_zero, columns[name])):
            return None
    required = ("code",) if mode == "update" else ("code", "name")
    if any(None in columns.get(name, [None]) for name in required):
        return None
    quick = spec.quick_update if mode == "update" else spec.quick_create
    if not all(quick.clean(name, column) for name, column in columns.items()):
        return None
    for name, column in columns.items():  # numbers read as digits are plain text now
        if Digits in kinds[name]:
            columns[name] = [str(v) if type(v) is Digits else v for v in column]
    if mode != "update":
        for name, column in columns.items():  # a blank cell takes the form's default
            default = spec.create_schema.model_fields[name].default
            if default is not None and None in column:
                columns[name] = [default if v is None else v for v in column]
    return columns


def _quick_plans(spec: ImportSpec, batch: tuple[tuple[int, dict], ...], mode: str, existing: set[str], known: dict, first_row: dict[str, int], ref_key: Callable[[object], str]) -> list[Plan] | None:
    """The plans of a batch in insert or upsert mode whose every cell is clean
    (:func:`_quick_columns`), checked a column at a time: codes new to the file (and, in
    insert mode, to the tenant) and every reference known. None if some row is at fault
    or a cell is not clean: the row-by-row check then names it."""
    columns = _quick_columns(spec, batch, mode)
    if columns is None:
        return None
    codes = columns["code"]
    keys = list(map(code_key, codes))
    if len(set(keys)) != len(keys) or not first_row.keys().isdisjoint(keys):
        return None
    if mode == "insert" and not existing.isdisjoint(keys):
        return None
    for name, (id_field, _, _) in spec.refs.items():
        if name in columns:
            ids = {v: known[name].get(ref_key(v)) for v in set(columns[name]) - {None}}
            if None in ids.values():
                return None
            ids[None] = None
            columns[id_field] = list(map(ids.__getitem__, columns.pop(name)))
    numbers = [number for number, _ in batch]
    first_row.update(zip(keys, numbers))
    return list(zip(numbers, codes, keys, [dict(zip(columns, values)) for values in zip(*columns.values())]))


def _write(spec: ImportSpec, db: Database, tenant: str, mode: str, plans: list[Plan], progress: Progress | None) -> tuple[int, int, int]:
    """Write the plans in chunks (:func:`write_in_chunks`); a chunk re-checks its rows under
    the write lock and stops at the first that changed since the check."""

    def write(uow: UnitOfWork, chunk: list[Plan]):
        current = _current(spec, uow, tenant, chunk)
        clash = _clash(spec, uow, mode, chunk, current)
        if clash is not None:
            chunk = chunk[: clash.index]  # the rows before the clash are written
        return len(chunk), _write_chunk(spec, uow, tenant, chunk, current), clash and clash.stopped

    def changed(chunk: list[Plan]):  # a code or reference changed meanwhile (PostgreSQL locks no table)
        return Clash(0, chunk[0][0], "code", chunk[0][1], "changed", texts=spec.texts).stopped

    created, updated, unchanged = write_in_chunks(db, plans, write, changed, progress)
    return created, updated, unchanged


@dataclass
class Clash:
    """A row of a chunk that something else changed since the check."""

    index: int  # in the chunk
    row: int  # in the workbook
    field: str
    code: str
    reason: str  # created | deleted | reference | changed
    ref: str = ""

    texts: str = "import"  # the prefix of the message naming the record: <texts>.clash

    def stopped(self, done: int, totals: list[int]) -> Conflict:
        """409: the import stopped at this row; the ``done`` rows before it stay imported."""
        why = t(f"import.clash.{self.reason}", ref=self.ref)
        message = t("import.row", row=self.row, message=t(f"{self.texts}.clash", code=self.code, reason=why))
        error = FieldError(f"rows[{self.row}].{self.field}", "clash", f"{self.texts}.clash", text=message)
        return Conflict("import.partial", errors=[error], row=self.row, done=done, created=totals[0], updated=totals[1])


# write(uow, chunk) -> (rows written, counts, a problem stopping the import or None)
ChunkWriter = Callable[[UnitOfWork, list], tuple[int, Sequence[int], Callable[[int, list[int]], Problem] | None]]


def write_in_chunks(db: Database, plans: list, write: ChunkWriter, on_integrity_error: Callable[[list], Callable[[int, list[int]], Problem]], progress: Progress | None = None, counts: int = 3) -> list[int]:
    """Write ``plans`` in file order, in chunks, each its own short write transaction
    holding the write lock about :data:`CHUNK_SECONDS` (the size adapts to the measured
    speed, at most doubling from one chunk to the next). ``write`` writes a chunk's rows
    with their events and may stop at a row that changed since the check: the rows
    before it stay written and the import stops with the problem it makes of
    ``(rows done, totals)``. Returns the totals of ``write``'s counts."""
    totals = [0] * counts
    done, size = 0, FIRST_CHUNK
    while done < len(plans):
        chunk = plans[done : done + size]
        with UnitOfWork(db) as uow:
            uow.session.connection()  # the write lock is taken here (SQLite: BEGIN IMMEDIATE)
            started = time.perf_counter()
            try:
                written, made, stop = write(uow, chunk)
                uow.commit()
            except IntegrityError:  # a code or reference changed meanwhile (PostgreSQL locks no table)
                written, made, stop = 0, [0] * counts, on_integrity_error(chunk)
            held = time.perf_counter() - started
        totals = [a + b for a, b in zip(totals, made)]
        done += written
        if stop is not None:
            raise stop(done, totals)
        if progress:
            progress("write", done, len(plans))
        size = max(1, min(MAX_CHUNK, 2 * written, int(written * CHUNK_SECONDS / max(held, 1e-3))))
    return totals


def _current(spec: ImportSpec, uow: UnitOfWork, tenant: str, chunk: list[Plan]) -> dict[str, int]:
    """code key -> id of the chunk's records that exist now, read under the write lock."""
    table = spec.catalog.model.__table__
    stmt = select(table.c.code_key, table.c.id).where(table.c.tenant_id == tenant, table.c.code_key.in_(bindparam("keys", expanding=True)))
    return dict(uow.session.connection().execute(stmt, {"keys": [p[2] for p in chunk]}).all())


def _clash(spec: ImportSpec, uow: UnitOfWork, mode: str, chunk: list[Plan], current: dict[str, int]) -> Clash | None:
    """The chunk's first row whose code or references changed since the check."""
    session = uow.session
    live, gone = {}, False
    for id_field, ref_model, _ in spec.refs.values():
        wanted = {p[3][id_field] for p in chunk if p[3].get(id_field) is not None}
        live[id_field] = set(session.scalars(select(ref_model.id).where(ref_model.id.in_(wanted)))) if wanted else set()
        gone = gone or not wanted <= live[id_field]
    if not gone and ((mode == "insert" and not current) or (mode == "update" and len(current) == len(chunk)) or mode == "upsert"):
        return None  # the usual chunk: nothing changed (a file's codes are distinct)
    for index, (number, code, key, values) in enumerate(chunk):
        if mode == "insert" and key in current:
            return Clash(index, number, "code", code, "created", texts=spec.texts)
        if mode == "update" and key not in current:
            return Clash(index, number, "code", code, "deleted", texts=spec.texts)
        for name, (id_field, _, _) in spec.refs.items():
            if values.get(id_field) is not None and values[id_field] not in live[id_field]:
                return Clash(index, number, name, code, "reference", ref=spec.columns[name][0], texts=spec.texts)
    return None


def _write_chunk(spec: ImportSpec, uow: UnitOfWork, tenant: str, chunk: list[Plan], current: dict[str, int]) -> tuple[int, int, int]:
    """Write a chunk's rows with their events: ``(created, updated, unchanged)``.

    Every row goes through the catalog (updates one by one with ``update``, new rows in
    one statement with ``create_many``), which builds the stored row and its event
    exactly as the form does. ``current``: the chunk's existing records."""
    if not chunk:
        return 0, 0, 0
    catalog, model = spec.catalog, spec.catalog.model
    wanted = [current[p[2]] for p in chunk if p[2] in current]
    rows = {row.code_key: row for row in uow.session.scalars(select(model).where(model.id.in_(wanted)))} if wanted else {}
    new, updated, unchanged = [], 0, 0
    for _, _, key, values in chunk:
        row = rows.get(key)
        if row is None:
            new.append(values)
        elif catalog.update(uow, row, {k: v for k, v in values.items() if k != "code"}):
            updated += 1
        else:
            unchanged += 1
    catalog.create_many(uow, tenant, new)
    return len(new), updated, unchanged


def rejected(bad: Sequence[Bad], label: Callable[[str], str]) -> ValidationProblem:
    """422 naming every bad cell as ``rows[<excel row>].<field>``; nothing was written.

    ``label`` gives a field's column title. ``errors`` renders as problem+json; ``rows``
    keeps them as :class:`ImportRowError`."""
    rows, field_errors = [], []
    for number, field, code, reason in bad:
        message = t("import.row", row=number, message=f"{label(field)}: {reason}")
        rows.append(ImportRowError(row=number, field=field, message=message))
        field_errors.append(FieldError(f"rows[{number}].{field}", code, "import.row", {"row": number}, text=message))
    problem = ValidationProblem("import.rejected", errors=field_errors, count=len({r.row for r in rows}))
    problem.rows = rows
    return problem
