"""Nhập khẩu khách hàng: importing accounting customers from an Excel file.

Two phases, so that one tenant's big file never stops the others' writes:

1. **Check**, outside any write transaction: the workbook is streamed
   (:func:`lienthong.kernel.excel.read_table` finds the header row by itself) and every
   row is validated as the form's schemas validate it (a clean batch of rows a column
   at a time, :class:`~lienthong.kernel.quick_check.QuickCheck`; any other row by the
   schema itself, for its messages), against the groups, salespeople and existing
   codes read through a reading session (:meth:`Database.reader`, which takes no
   write lock). Each bad row is reported with its row number, column and reason; if
   any row is bad the file is rejected (422 ``import.rejected``) and nothing is written.
   A tax code or phone typed as a number that lost its leading zero is such a bad row.
2. **Write**, in chunks in file order, each chunk its own short transaction holding
   the write lock about :data:`CHUNK_SECONDS` (the chunk size adapts to the measured
   speed, at most doubling from one chunk to the next). A chunk writes its rows and
   their CustomerCreated / CustomerUpdated events together (:data:`CUSTOMERS`
   ``create_many`` and ``update``, the same rows and events as the form), so the
   connector carries them to CRM. An update that changes nothing emits nothing.

What a failure mid-import means: the check phase makes a clash rare, but a customer
may be created or deleted by someone else (or a referenced group deleted) between the
check and the chunk that writes that row. Each chunk re-checks its rows under the
write lock; on a clash the import stops there with 409 ``import.partial`` naming the
row: the rows before it stay imported (each with its event, so CRM agrees), that row
and the rest are not. The import is therefore all-or-nothing for
every problem found in the file itself, and resumable for a concurrent change:
importing the same file again in upsert mode finishes it (rows already imported are
unchanged). Undoing the written chunks instead would send CRM creates and then deletes,
which CRM keeps (a customer deleted in accounting stays in CRM), so it is not done.

Modes (kiểu nhập khẩu): ``insert`` Thêm mới, ``update`` Cập nhật, ``upsert`` Cả hai.
A column missing from the file is left as it is; in update mode a blank cell too.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice
from typing import BinaryIO

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lienthong.accounting.customers import CUSTOMERS, WRITERS
from lienthong.accounting.schemas import CustomerCreate, CustomerUpdate, ImportResult, ImportRowError
from lienthong.accounting.tables import Customer, CustomerGroup, Employee
from lienthong.kernel.auth import Principal, require_role
from lienthong.kernel.db import Database
from lienthong.kernel.excel import Digits, phone_lost_zero, read_table, tax_code_lost_zero, validation_messages
from lienthong.kernel.i18n import t, term
from lienthong.kernel.problems import Conflict, FieldError, ValidationProblem, invalid
from lienthong.kernel.quick_check import QuickCheck
from lienthong.kernel.text import code_key
from lienthong.kernel.unit_of_work import UnitOfWork

MODES = ("insert", "update", "upsert")

# field -> accepted header texts; the first is what the export writes.
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("Mã khách hàng", "code"),
    "name": ("Tên khách hàng", "name"),
    "tax_code": ("Mã số thuế", "tax_code"),
    "address": ("Địa chỉ", "address"),
    "phone": ("Điện thoại", "phone"),
    "email": ("Email", "email"),
    "group_code": ("Nhóm khách hàng", "Mã nhóm khách hàng", "group_code"),
    "salesperson_code": ("Nhân viên bán hàng", "Mã nhân viên bán hàng", "salesperson_code"),
    "is_individual": ("Khách hàng cá nhân", "Là cá nhân", "is_individual"),
}

YES = {"có", "x", "yes", "true", "1"}
NO = {"không", "no", "false", "0"}

# code field -> (id field, table, message key of what it is called in messages)
REFS = {
    "group_code": ("group_id", CustomerGroup, "kind.customer-groups"),
    "salesperson_code": ("salesperson_id", Employee, "kind.employees"),
}

QUICK_CREATE, QUICK_UPDATE = QuickCheck(CustomerCreate), QuickCheck(CustomerUpdate)

# field -> how to tell that Excel dropped the leading zero of a number typed in it
LOST_ZERO = {"tax_code": tax_code_lost_zero, "phone": phone_lost_zero}

CHUNK_SECONDS = 0.15  # aimed write-lock hold of one chunk: a busy machine may take 5 times longer, still under 1 s
FIRST_CHUNK = 500  # rows of the first chunk, before the speed is known
MAX_CHUNK = 20_000
CHECK_BATCH = 1000  # rows checked together (see _quick_values)

Problems = list[tuple[str, str, str]]  # (field, code, message)
Plan = tuple[int, str, str, dict]  # (excel row, code, its code key, checked values with references as ids)
Progress = Callable[[str, int, int | None], None]  # (phase "check" | "write", done, total)


def _yes_no(value: object) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    word = str(value).strip().casefold()
    if word in YES:
        return True
    if word in NO:
        return False
    raise ValueError(word)


def _codes(session, model, tenant_id: str) -> dict[str, int]:
    """code key -> id of a tenant's records, read as plain columns: codes compare up to
    case and spaces, as everywhere (:func:`kernel.text.code_key`)."""
    return dict(session.execute(select(model.code_key, model.id).where(model.tenant_id == tenant_id)).all())


def _values(cells: dict, mode: str, problems: Problems) -> dict | None:
    """The row's values checked by the form's schema, or None if they are bad."""
    cells = dict(cells)
    for field, lost_zero in LOST_ZERO.items():
        if lost_zero(cells.get(field)):
            problems.append((field, "lost_zero", t("import.lost_zero", value=cells.pop(field))))
    if "is_individual" in cells:
        try:
            cells["is_individual"] = _yes_no(cells["is_individual"])
        except ValueError:
            problems.append(("is_individual", "invalid_choice", t("invalid_choice", choices=term("choices.yes_no"))))
            del cells["is_individual"]
    given = {k: v for k, v in cells.items() if v is not None}
    schema, keep = (CustomerUpdate, set(given)) if mode == "update" else (CustomerCreate, set(cells))
    if mode == "update" and "code" not in given:
        problems.append(("code", "required", t("required")))
    try:
        values = schema.model_validate(given).model_dump(include=keep)
    except ValidationError as exc:
        problems.extend(validation_messages(exc))
        return None
    return None if problems else values


def import_customers(
    *, db: Database, principal: Principal, data: bytes | BinaryIO, mode: str = "upsert", progress: Progress | None = None
) -> ImportResult:
    """Import a workbook (bytes or a binary file) into the principal's tenant."""
    require_role(principal, *WRITERS)
    if mode not in MODES:
        raise invalid("mode", "invalid_choice", "invalid_choice", choices=", ".join(MODES))
    rows, unknown = read_table(data, COLUMNS, ("code",) if mode == "update" else ("code", "name"))
    tenant = principal.tenant_id
    with db.reader() as session:  # takes no write lock
        existing = set(_codes(session, Customer, tenant))
        known = {field: _codes(session, model, tenant) for field, (_, model, _) in REFS.items()}
    plans = _check(rows, mode, existing, known, progress)
    created, updated, unchanged = _write(db, tenant, mode, plans, progress)
    return ImportResult(mode=mode, created=created, updated=updated, unchanged=unchanged, ignored_columns=unknown)


def _check(rows: Iterable[tuple[int, dict]], mode: str, existing: set[str], known: dict, progress: Progress | None) -> list[Plan]:
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
        quick = _quick_values(batch, mode)
        for index, (number, cells) in enumerate(batch):
            count += 1
            if progress and count % 1000 == 0:
                progress("check", count, None)
            problems: Problems = []
            values = quick[index] if quick else _values(cells, mode, problems)
            code = values["code"] if values else cells.get("code")  # as it is stored
            key = None
            if isinstance(code, str) and not any(p[0] == "code" for p in problems):
                key = code_key(code)
                if key in first_row:
                    problems.append(("code", "duplicate", t("import.duplicate_in_file", code=code, first=first_row[key])))
                elif mode == "insert" and key in existing:
                    problems.append(("code", "exists", t("import.exists_for_insert", code=code)))
                elif mode == "update" and key not in existing:
                    problems.append(("code", "not_found", t("import.not_found_for_update", code=code)))
                first_row.setdefault(key, number)
            for field, (_, _, what) in REFS.items():
                ref_code = cells.get(field)
                if ref_code is None or any(p[0] == field for p in problems):
                    continue
                if ref_key(ref_code) not in known[field]:
                    problems.append((field, "unknown_code", t("unknown_code", what=term(what), code=ref_code)))
            if problems:
                bad.extend((number, *p) for p in problems)
                continue
            for field, (id_field, _, _) in REFS.items():
                if field in values:
                    ref_code = values.pop(field)
                    values[id_field] = known[field].get(ref_key(ref_code)) if ref_code else None
            plans.append((number, code, key, values))
    if bad:
        raise _rejected(bad)
    return plans


def _quick_values(batch: tuple[tuple[int, dict], ...], mode: str) -> list[dict] | None:
    """The checked values of every row of ``batch`` if each of its columns is clean
    (:class:`QuickCheck`: what the form's schema would return unchanged), the same as
    :func:`_values` gives; None if any cell needs the schema's own check (or a message)."""
    fields = list(batch[0][1])  # every row has the file's columns
    columns = {field: [cells[field] for _, cells in batch] for field in fields}
    if "is_individual" in columns:
        try:
            columns["is_individual"] = [_yes_no(v) for v in columns["is_individual"]]
        except ValueError:
            return None
    for field, lost_zero in LOST_ZERO.items():
        if field in columns and any(map(lost_zero, columns[field])):
            return None
    required = ("code",) if mode == "update" else ("code", "name")
    if any(None in columns.get(field, [None]) for field in required):
        return None
    quick = QUICK_UPDATE if mode == "update" else QUICK_CREATE
    if not all(quick.clean(field, column) for field, column in columns.items()):
        return None
    for field, column in columns.items():  # numbers read as digits are plain text now
        if any(type(v) is Digits for v in column):
            columns[field] = [str(v) if type(v) is Digits else v for v in column]
    rows = [dict(zip(fields, values)) for values in zip(*columns.values())]
    if mode == "update":  # a blank cell is left as it is
        return [{k: v for k, v in row.items() if v is not None} for row in rows]
    defaults = {field: CustomerCreate.model_fields[field].default for field in fields}
    return [{k: defaults[k] if v is None else v for k, v in row.items()} for row in rows]


def _write(db: Database, tenant: str, mode: str, plans: list[Plan], progress: Progress | None) -> tuple[int, int, int]:
    """Write the plans in chunks, each in its own short write transaction."""
    totals = [0, 0, 0]  # created, updated, unchanged
    done, size = 0, FIRST_CHUNK
    while done < len(plans):
        chunk = plans[done : done + size]
        with UnitOfWork(db) as uow:
            uow.session.connection()  # the write lock is taken here (SQLite: BEGIN IMMEDIATE)
            started = time.perf_counter()
            try:
                current = _current(uow, tenant, chunk)
                clash = _clash(uow, mode, chunk, current)
                if clash is not None:
                    chunk = chunk[: clash.index]  # the rows before the clash are written
                counts = _write_chunk(uow, tenant, chunk, current)
                uow.commit()
            except IntegrityError:  # a code or reference changed meanwhile (PostgreSQL locks no table)
                clash = Clash(0, chunk[0][0], "code", chunk[0][1], "changed")
                chunk, counts = [], (0, 0, 0)
            held = time.perf_counter() - started
        totals = [a + b for a, b in zip(totals, counts)]
        done += len(chunk)
        if clash is not None:
            raise _stopped(clash, done, totals)
        if progress:
            progress("write", done, len(plans))
        size = max(1, min(MAX_CHUNK, 2 * len(chunk), int(len(chunk) * CHUNK_SECONDS / max(held, 1e-3))))
    return totals[0], totals[1], totals[2]


@dataclass
class Clash:
    """A row of a chunk that something else changed since the check."""

    index: int  # in the chunk
    row: int  # in the workbook
    field: str
    code: str
    reason: str  # created | deleted | reference | changed
    ref: str = ""


def _current(uow: UnitOfWork, tenant: str, chunk: list[Plan]) -> dict[str, int]:
    """code key -> id of the chunk's customers that exist now, read under the write lock."""
    keys = [p[2] for p in chunk]
    return dict(uow.session.execute(select(Customer.code_key, Customer.id).where(Customer.tenant_id == tenant, Customer.code_key.in_(keys))).all())


def _clash(uow: UnitOfWork, mode: str, chunk: list[Plan], current: dict[str, int]) -> Clash | None:
    """The chunk's first row whose code or references changed since the check."""
    session = uow.session
    live = {}
    for field, (id_field, model, _) in REFS.items():
        wanted = {p[3][id_field] for p in chunk if p[3].get(id_field) is not None}
        live[id_field] = set(session.scalars(select(model.id).where(model.id.in_(wanted)))) if wanted else set()
    for index, (number, code, key, values) in enumerate(chunk):
        if mode == "insert" and key in current:
            return Clash(index, number, "code", code, "created")
        if mode == "update" and key not in current:
            return Clash(index, number, "code", code, "deleted")
        for field, (id_field, _, _) in REFS.items():
            if values.get(id_field) is not None and values[id_field] not in live[id_field]:
                return Clash(index, number, field, code, "reference", ref=COLUMNS[field][0])
    return None


def _write_chunk(uow: UnitOfWork, tenant: str, chunk: list[Plan], current: dict[str, int]) -> tuple[int, int, int]:
    """Write a chunk's rows with their events: ``(created, updated, unchanged)``.

    Every row goes through :data:`CUSTOMERS` (updates one by one with ``update``, new
    rows in one statement with ``create_many``), which builds the stored row and its
    event exactly as the form does. ``current``: the chunk's existing customers."""
    if not chunk:
        return 0, 0, 0
    wanted = [current[p[2]] for p in chunk if p[2] in current]
    rows = {row.code_key: row for row in uow.session.scalars(select(Customer).where(Customer.id.in_(wanted)))} if wanted else {}
    new, updated, unchanged = [], 0, 0
    for _, _, key, values in chunk:
        row = rows.get(key)
        if row is None:
            new.append(values)
        elif CUSTOMERS.update(uow, row, {k: v for k, v in values.items() if k != "code"}):
            updated += 1
        else:
            unchanged += 1
    CUSTOMERS.create_many(uow, tenant, new)
    return len(new), updated, unchanged


def _stopped(clash: Clash, done: int, totals: list[int]) -> Conflict:
    """409: the import stopped at the clashing row; the ``done`` rows before it stay imported."""
    why = t(f"import.clash.{clash.reason}", ref=clash.ref)
    message = t("import.row", row=clash.row, message=t("import.clash", code=clash.code, reason=why))
    error = FieldError(f"rows[{clash.row}].{clash.field}", "clash", "import.clash", text=message)
    return Conflict("import.partial", errors=[error], row=clash.row, done=done, created=totals[0], updated=totals[1])


def _rejected(bad: list[tuple[int, str, str, str]]) -> ValidationProblem:
    """422 naming every bad cell as ``rows[<excel row>].<field>``; nothing was written.

    ``errors`` renders as problem+json; ``rows`` keeps them as :class:`ImportRowError`.
    """
    rows, field_errors = [], []
    for number, field, code, reason in bad:
        label = t(f"column.{field}") if field in COLUMNS else field
        message = t("import.row", row=number, message=f"{label}: {reason}")
        rows.append(ImportRowError(row=number, field=field, message=message))
        field_errors.append(FieldError(f"rows[{number}].{field}", code, "import.row", {"row": number}, text=message))
    problem = ValidationProblem("import.rejected", errors=field_errors, count=len({r.row for r in rows}))
    problem.rows = rows
    return problem
