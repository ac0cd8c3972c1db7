"""Nhập khẩu khách hàng: importing accounting customers from an Excel file.

Two phases, so that one tenant's big file never stops the others' writes:

1. **Check**, outside any write transaction: the workbook is streamed
   (:func:`lienthong.kernel.excel.read_table` finds the header row by itself) and every
   row is validated with the form's schemas, against the groups, salespeople and
   existing codes read through a reading session (:meth:`Database.reader`, which takes
   no write lock). Each bad row is reported with its row number, column and reason; if
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

from collections.abc import Iterable
from typing import BinaryIO

from pydantic import ValidationError
from sqlalchemy import select

from lienthong.accounting.customers import CUSTOMERS, WRITERS
from lienthong.accounting.schemas import CustomerCreate, CustomerUpdate
from lienthong.accounting.tables import Customer, CustomerGroup, Employee
from lienthong.kernel.auth import Principal, require_role
from lienthong.kernel.db import Database
from lienthong.kernel.excel import phone_lost_zero, read_table, tax_code_lost_zero, validation_messages
from lienthong.kernel.i18n import t, term
from lienthong.kernel.schemas import ImportResult
from lienthong.kernel.table_import import Bad, Clash, CodeCheck, Problems, Progress, check_mode, code_ids, rejected, write_in_chunks
from lienthong.kernel.text import code_key
from lienthong.kernel.unit_of_work import UnitOfWork

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

# field -> how to tell that Excel dropped the leading zero of a number typed in it
LOST_ZERO = {"tax_code": tax_code_lost_zero, "phone": phone_lost_zero}

Plan = tuple[int, str, dict]  # (excel row, code, checked values with references as ids)


def _yes_no(value: object) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    word = str(value).strip().casefold()
    if word in YES:
        return True
    if word in NO:
        return False
    raise ValueError(word)


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
    check_mode(mode)
    rows, unknown = read_table(data, COLUMNS, ("code",) if mode == "update" else ("code", "name"))
    tenant = principal.tenant_id
    with db.reader() as session:  # takes no write lock
        existing = set(code_ids(session, Customer, tenant))
        known = {field: code_ids(session, model, tenant) for field, (_, model, _) in REFS.items()}
    plans = _check(rows, mode, existing, known, progress)
    created, updated, unchanged = _write(db, tenant, mode, plans, progress)
    return ImportResult(mode=mode, created=created, updated=updated, unchanged=unchanged, ignored_columns=unknown)


def _check(rows: Iterable[tuple[int, dict]], mode: str, existing: set[str], known: dict, progress: Progress | None) -> list[Plan]:
    """Every row validated; the plans of a good file, else a 422 naming every bad cell."""
    code_check = CodeCheck(mode, existing)
    plans: list[Plan] = []
    bad: list[Bad] = []
    for count, (number, cells) in enumerate(rows, start=1):
        if progress and count % 1000 == 0:
            progress("check", count, None)
        problems: Problems = []
        values = _values(cells, mode, problems)
        code = values["code"] if values else cells.get("code")  # as it is stored
        if isinstance(code, str) and not any(p[0] == "code" for p in problems):
            problem = code_check(number, code)
            if problem is not None:
                problems.append(problem)
        for field, (_, _, what) in REFS.items():
            ref_code = cells.get(field)
            if ref_code is not None and code_key(str(ref_code)) not in known[field] and not any(p[0] == field for p in problems):
                problems.append((field, "unknown_code", t("unknown_code", what=term(what), code=ref_code)))
        if problems:
            bad.extend((number, *p) for p in problems)
            continue
        for field, (id_field, _, _) in REFS.items():
            if field in values:
                ref_code = values.pop(field)
                values[id_field] = known[field].get(code_key(ref_code)) if ref_code else None
        plans.append((number, code, values))
    if bad:
        raise rejected(bad, lambda field: t(f"column.{field}") if field in COLUMNS else field)
    return plans


def _write(db: Database, tenant: str, mode: str, plans: list[Plan], progress: Progress | None) -> tuple[int, int, int]:
    """Write the plans in chunks, each in its own short write transaction."""

    def write(uow: UnitOfWork, chunk: list[Plan]):
        clash = _clash(uow, tenant, mode, chunk)
        if clash is not None:
            chunk = chunk[: clash.index]  # the rows before the clash are written
        return len(chunk), _write_chunk(uow, tenant, chunk), (clash.stopped if clash is not None else None)

    def changed(chunk: list[Plan]):
        return Clash(0, chunk[0][0], "code", chunk[0][1], "changed").stopped

    created, updated, unchanged = write_in_chunks(db, plans, write, changed, progress)
    return created, updated, unchanged


def _clash(uow: UnitOfWork, tenant: str, mode: str, chunk: list[Plan]) -> Clash | None:
    """The chunk's first row whose code or references changed since the check, read
    under the write lock."""
    session = uow.session
    current = set(session.scalars(select(Customer.code_key).where(Customer.tenant_id == tenant, Customer.code_key.in_([code_key(p[1]) for p in chunk]))))
    live = {}
    for field, (id_field, model, _) in REFS.items():
        wanted = {p[2][id_field] for p in chunk if p[2].get(id_field) is not None}
        live[id_field] = set(session.scalars(select(model.id).where(model.id.in_(wanted)))) if wanted else set()
    for index, (number, code, values) in enumerate(chunk):
        if mode == "insert" and code_key(code) in current:
            return Clash(index, number, "code", code, "created")
        if mode == "update" and code_key(code) not in current:
            return Clash(index, number, "code", code, "deleted")
        for field, (id_field, _, _) in REFS.items():
            if values.get(id_field) is not None and values[id_field] not in live[id_field]:
                return Clash(index, number, field, code, "reference", ref=COLUMNS[field][0])
    return None


def _write_chunk(uow: UnitOfWork, tenant: str, chunk: list[Plan]) -> tuple[int, int, int]:
    """Write a chunk's rows with their events: ``(created, updated, unchanged)``.

    Every row goes through :data:`CUSTOMERS` (updates one by one with ``update``, new
    rows in one statement with ``create_many``), which builds the stored row and its
    event exactly as the form does."""
    if not chunk:
        return 0, 0, 0
    current = {
        row.code_key: row
        for row in uow.session.scalars(select(Customer).where(Customer.tenant_id == tenant, Customer.code_key.in_([code_key(p[1]) for p in chunk])))
    }
    new, updated, unchanged = [], 0, 0
    for _, code, values in chunk:
        row = current.get(code_key(code))
        if row is None:
            new.append(values)
        elif CUSTOMERS.update(uow, row, {k: v for k, v in values.items() if k != "code"}):
            updated += 1
        else:
            unchanged += 1
    CUSTOMERS.create_many(uow, tenant, new)
    return len(new), updated, unchanged
