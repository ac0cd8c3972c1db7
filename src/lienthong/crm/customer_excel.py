"""CRM customers to and from Excel: export and import.

The export reproduces the source product's layout: two title rows, then the header row
(``Mã khách hàng``, ``Tên khách hàng``, …, ``Chủ sở hữu``), then a row per customer,
the owner as a user code. The import takes that file back as it is: the header row is
found by itself (:func:`lienthong.kernel.excel.read_table`), every row is checked
first and a file with any bad row changes nothing (its report names each bad row, its
column and the reason); a good file is written in short transactions, each row with its
event, through :data:`lienthong.crm.customers.CUSTOMERS` as the form writes it
(:mod:`lienthong.kernel.importing`).

The owner comes from the file's ``Chủ sở hữu`` column (``owner_from=file``: user codes;
a blank cell keeps an existing customer's owner, a new customer's is the importer), or
is one user for every row (``owner_from=user`` with ``owner_code``). Owner changes made
this way are CRM-local: the connector's rules carry no owner to accounting.
Each one is in the owner log, as a handover's is.

Sharing: a sales user exports only what they see, and an import may not change
a customer that is someone else's (its row is reported).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from typing import BinaryIO

from pydantic import ValidationError
from sqlalchemy import select

from lienthong.crm.customers import CUSTOMERS, owner_empty
from lienthong.crm.owners import log_owner_changes
from lienthong.crm.schemas import CustomerCreate, CustomerUpdate
from lienthong.crm.sharing import my_user_id, scope, sees_all, visible_many
from lienthong.crm.tables import Customer, CustomerGroup, User
from lienthong.kernel.auth import Principal, require_role
from lienthong.kernel.db import Database
from lienthong.kernel.excel import phone_lost_zero, read_table, tax_code_lost_zero, validation_messages, write_table
from lienthong.kernel.i18n import t, term
from lienthong.kernel.problems import invalid, unknown_code
from lienthong.kernel.schemas import ImportResult
from lienthong.kernel.importing import Bad, Clash, CodeCheck, Problems, Progress, check_mode, code_ids, rejected, write_in_chunks
from lienthong.kernel.text import code_key, fold
from lienthong.kernel.unit_of_work import UnitOfWork

# field -> accepted header texts; the first is what the export writes (the source's titles).
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("Mã khách hàng", "code"),
    "name": ("Tên khách hàng", "name"),
    "tax_code": ("Mã số thuế", "tax_code"),
    "address": ("Địa chỉ", "address"),
    "phone": ("Điện thoại", "phone"),
    "email": ("Email", "email"),
    "group_code": ("Nhóm khách hàng", "Mã nhóm khách hàng", "group_code"),
    "owner_code": ("Chủ sở hữu", "Mã chủ sở hữu", "owner_code"),
}
TITLE = "DANH SÁCH KHÁCH HÀNG"
VIETNAM = timezone(timedelta(hours=7))
OWNER_FROM = ("file", "user")
LOST_ZERO = {"tax_code": tax_code_lost_zero, "phone": phone_lost_zero}
# code field -> (id field, table, message key of what it is called)
REFS = {"group_code": ("group_id", CustomerGroup, "kind.customer-groups"), "owner_code": ("owner_id", User, "kind.users")}

Plan = tuple[int, str, dict]  # (excel row, code, checked values with references as ids)


# -- export ----------------------------------------------------------------------------


def title_rows(now: datetime | None = None) -> list[str]:
    """The two title rows above the header row, as the source product writes them."""
    day = (now or datetime.now(timezone.utc)).astimezone(VIETNAM).strftime("%d/%m/%Y")
    return [TITLE, f"Ngày xuất: {day}"]


def export_customers(*, uow: UnitOfWork, principal: Principal, ids: list[int] | None = None, owner_empty_only: bool = False, q: str | None = None) -> bytes:
    """The chosen customers (``ids``, each one the user may see, else 404), those of the
    filter, or the chosen ones the filter keeps, as a workbook in the source layout."""
    table = Customer.__table__
    owner, group = User.__table__.alias("owner"), CustomerGroup.__table__.alias("grp")
    columns = (table.c.code, table.c.name, table.c.tax_code, table.c.address, table.c.phone, table.c.email, group.c.code, owner.c.code)
    stmt = select(table.c.id, *columns).select_from(table.outerjoin(owner, table.c.owner_id == owner.c.id).outerjoin(group, table.c.group_id == group.c.id))
    stmt = stmt.where(table.c.tenant_id == principal.tenant_id, *scope(uow, principal, Customer), *owner_empty({"owner_empty": owner_empty_only}))
    if q and fold(q).strip():
        stmt = stmt.where(table.c.search_key.contains(fold(q).strip(), autoescape=True))
    if ids is not None:
        visible_many(uow, principal, CUSTOMERS, ids)  # 404 for one the user may not see
        rows = []
        for start in range(0, len(ids), 500):
            rows.extend(uow.session.execute(stmt.where(table.c.id.in_(ids[start : start + 500]))).all())
        order = {i: n for n, i in enumerate(dict.fromkeys(ids))}
        rows.sort(key=lambda r: order[r[0]])
    else:
        rows = uow.session.execute(stmt.order_by(table.c.id)).all()
    return write_table(title_rows(), [texts[0] for texts in COLUMNS.values()], [r[1:] for r in rows])


# -- import --------------------------------------------------------------------


def import_customers(
    *,
    db: Database,
    principal: Principal,
    data: bytes | BinaryIO,
    mode: str = "upsert",
    owner_from: str = "file",
    owner_code: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a workbook of customers into the principal's tenant (see the module's text)."""
    require_role(principal, *CUSTOMERS.writers)
    check_mode(mode)
    if owner_from not in OWNER_FROM:
        raise invalid("owner_from", "invalid_choice", "invalid_choice", choices=", ".join(OWNER_FROM))
    tenant = principal.tenant_id
    with db.reader() as session:  # takes no write lock
        existing = dict(session.execute(select(Customer.code_key, Customer.owner_id).where(Customer.tenant_id == tenant)).all())
        known = {field: code_ids(session, model, tenant) for field, (_, model, _) in REFS.items()}
        me = my_user_id(session, principal)
    fixed = None
    if owner_from == "user":
        if not owner_code:
            raise invalid("owner_code", "required", "required")
        fixed = known["owner_code"].get(code_key(owner_code))
        if fixed is None:
            raise unknown_code("owner_code", "kind.users", owner_code)
    rows, unknown = read_table(data, COLUMNS, ("code",) if mode == "update" else ("code", "name"))
    mine = None if sees_all(principal) else me
    plans = _check(rows, mode, existing, known, mine, progress)
    for _, _, values in plans:
        if fixed is not None:
            values["owner_id"] = fixed
    created, updated, unchanged = _write(db, principal, mode, plans, me, progress)
    return ImportResult(mode=mode, created=created, updated=updated, unchanged=unchanged, ignored_columns=unknown)


def _values(cells: dict, mode: str, problems: Problems) -> dict | None:
    """The row's values checked by the form's schema, or None if they are bad."""
    cells = dict(cells)
    for field, lost_zero in LOST_ZERO.items():
        if lost_zero(cells.get(field)):
            problems.append((field, "lost_zero", t("import.lost_zero", value=cells.pop(field))))
    given = {k: (str(v) if k in REFS else v) for k, v in cells.items() if v is not None}
    schema, keep = (CustomerUpdate, set(given)) if mode == "update" else (CustomerCreate, set(cells))
    if mode == "update" and "code" not in given:
        problems.append(("code", "required", t("required")))
    try:
        values = schema.model_validate(given).model_dump(include=keep)
    except ValidationError as exc:
        problems.extend(validation_messages(exc))
        return None
    return None if problems else values


def _check(rows: Iterable[tuple[int, dict]], mode: str, existing: dict[str, int | None], known: dict, mine: int | None, progress: Progress | None) -> list[Plan]:
    """Every row validated; the plans of a good file, else a 422 naming every bad cell.
    ``mine``: the importer's user id when they may change only their own customers."""
    code_check = CodeCheck(mode, existing)
    plans: list[Plan] = []
    bad: list[Bad] = []
    for count, (number, cells) in enumerate(rows, start=1):
        if progress and count % 1000 == 0:
            progress("check", count, None)
        problems: Problems = []
        values = _values(cells, mode, problems)
        code = values["code"] if values else cells.get("code")
        if isinstance(code, str) and not any(p[0] == "code" for p in problems):
            problem = code_check(number, code)
            if problem is None and mine is not None and code_key(code) in existing and existing[code_key(code)] != mine:
                problem = ("code", "not_yours", t("import.not_yours", code=code))
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
            ref_code = values.pop(field, None)
            if ref_code:
                values[id_field] = known[field][code_key(ref_code)]
            elif field == "group_code" and field in cells and mode != "update":
                values[id_field] = None  # a blank group clears it; a blank owner keeps it
        plans.append((number, code, values))
    if bad:
        raise rejected(bad, lambda field: t(f"column.{field}") if field in COLUMNS else field)
    return plans


def _write(db: Database, principal: Principal, mode: str, plans: list[Plan], me: int | None, progress: Progress | None) -> tuple[int, int, int]:
    """Write the plans in chunks, each in its own short write transaction."""
    tenant = principal.tenant_id

    def write(uow: UnitOfWork, chunk: list[Plan]):
        current = {
            row.code_key: row
            for row in uow.session.scalars(select(Customer).where(Customer.tenant_id == tenant, Customer.code_key.in_([code_key(p[1]) for p in chunk]))).unique()
        }
        for index, (number, code, _) in enumerate(chunk):
            if mode == "update" and code_key(code) not in current:
                chunk = chunk[:index]
                return len(chunk), _write_chunk(uow, principal, chunk, current, me), Clash(index, number, "code", code, "deleted").stopped
        return len(chunk), _write_chunk(uow, principal, chunk, current, me), None

    def changed(chunk: list[Plan]):
        return Clash(0, chunk[0][0], "code", chunk[0][1], "changed").stopped

    created, updated, unchanged = write_in_chunks(db, plans, write, changed, progress)
    return created, updated, unchanged


def _write_chunk(uow: UnitOfWork, principal: Principal, chunk: list[Plan], current: dict, me: int | None) -> tuple[int, int, int]:
    """A chunk's rows with their events, through :data:`CUSTOMERS` (new rows in one
    statement, changes in one flush): ``(created, updated, unchanged)``; owner changes
    go to the owner log."""
    new, changes = [], []
    for _, code, values in chunk:
        row = current.get(code_key(code))
        if row is None:
            values.setdefault("owner_id", me)
            new.append(values)
        else:
            changes.append((row, {k: v for k, v in values.items() if k != "code"}))
    owners_before = {row.id: row.owner_code for row, _ in changes}
    done = CUSTOMERS.update_many(uow, changes)
    made = CUSTOMERS.create_many(uow, principal.tenant_id, new)
    moved = [(row.id, row.code, owners_before[row.id], row.owner_code) for row, changed in done if "owner_code" in changed]
    log_owner_changes(uow, principal, "customers", moved, via="import")
    return len(made), len(done), len(changes) - len(done)
