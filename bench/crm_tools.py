"""Benchmark of the CRM owner tools (issue 9), on an SQLite data folder.

    .venv/bin/python bench/crm_tools.py [--customers N] [--handover M]

In one CRM database with N customers (default 10,000):

1. handover of M ticked customers (default 1,000) and their contacts to another user
   (goal: under 1 s); baseline: plain openpyxl writing those M rows to a workbook;
2. export of all N customers in the source layout (goal: under 3 s); baseline: plain
   openpyxl (write-only) writing the same rows;
3. import of that exported workbook back, the owner column filled in, mode upsert, owner
   from the file: N updates (goal: under 5 s); and of an N-row workbook of new customers
   into another tenant: N inserts; baseline: plain openpyxl (read-only) reading the file.

Every figure is measured in this run; each tool is shown against its baseline as a ratio.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from openpyxl import Workbook, load_workbook  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from lienthong.bootstrap import Suite  # noqa: E402
from lienthong.crm import customer_excel, owners  # noqa: E402
from lienthong.crm.customers import CONTACTS, CUSTOMERS  # noqa: E402
from lienthong.crm.tables import Customer  # noqa: E402
from lienthong.crm.users import USERS  # noqa: E402
from lienthong.kernel.auth import Principal  # noqa: E402
from lienthong.kernel.unit_of_work import UnitOfWork  # noqa: E402

console = Console(width=None if sys.stdout.isatty() else 130)
TENANT_A, TENANT_B = "bench-tenant-a", "bench-tenant-b"


def admin(tenant: str) -> Principal:
    return Principal(tenant_id=tenant, user_id=1, user_code="admin", role="admin")


def timed(fn):
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def seed(db, customers: int) -> list[int]:
    """Users admin, minh, hoa in both tenants; N customers of minh's in tenant A, each with a contact."""
    with UnitOfWork(db) as uow:
        for tenant in (TENANT_A, TENANT_B):
            for code in ("admin", "minh", "hoa"):
                USERS.create(uow, tenant, {"code": code, "name": code.title(), "role": "admin" if code == "admin" else "sales", "active": True})
        uow.commit()
    with UnitOfWork(db) as uow:
        minh = USERS.find(uow, TENANT_A, "minh").id
        made = CUSTOMERS.create_many(uow, TENANT_A, [{"code": f"KH{i:06d}", "name": f"Công ty TNHH Số {i}", "phone": f"09{i:08d}", "owner_id": minh} for i in range(customers)])
        CONTACTS.create_many(uow, TENANT_A, [{"code": f"LH{i:06d}", "name": f"Liên hệ {i}", "owner_id": minh, "customer_id": c.id} for i, c in enumerate(made)])
        uow.commit()
    return [c.id for c in made]


def plain_write(rows: list[list]) -> tuple[float, bytes]:
    def write() -> bytes:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        for row in rows:
            sheet.append(row)
        out = BytesIO()
        workbook.save(out)
        return out.getvalue()

    return timed(write)


def plain_read(data: bytes) -> float:
    def read() -> int:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
        count = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
        workbook.close()
        return count

    return timed(read)[0]


def with_owner(data: bytes, owner: str) -> bytes:
    """The exported workbook with every Chủ sở hữu cell filled in, as the seed's user does."""
    workbook = load_workbook(BytesIO(data))
    sheet = workbook.active
    for row in range(4, sheet.max_row + 1):
        sheet.cell(row=row, column=8, value=owner)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--handover", type=int, default=1_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        suite = Suite.open(data_dir=Path(folder), only=("crm",), first_start=False)
        db = suite.databases["crm"]
        try:
            ids = seed(db, args.customers)
            rows = []

            # 1. handover
            chosen = ids[: args.handover]
            with UnitOfWork(db) as uow:
                took, changed = timed(lambda: owners.handover(uow=uow, principal=admin(TENANT_A), customer_ids=chosen, assignee_code="hoa", kinds=["customers", "contacts"]))
            assert len(changed["customers"]) == len(chosen) and len(changed["contacts"]) == len(chosen)
            base, _ = plain_write([[c.code, c.name, c.phone, "hoa"] for c in changed["customers"]])
            rows.append((f"handover of {len(chosen):,} customers + contacts", "< 1 s", took, f"openpyxl write of those {len(chosen):,} rows", base))

            # 2. export
            with UnitOfWork(db) as uow:
                took, data = timed(lambda: customer_excel.export_customers(uow=uow, principal=admin(TENANT_A)))
                plain = [list(r) for r in uow.session.execute(Customer.__table__.select().with_only_columns(Customer.code, Customer.name, Customer.tax_code, Customer.address, Customer.phone, Customer.email, Customer.group_id, Customer.owner_id))]
            base, _ = plain_write(plain)
            rows.append((f"export of {len(plain):,} customers", "< 3 s", took, f"openpyxl write-only of the same {len(plain):,} rows", base))

            # 3. import back (updates) and into another tenant (inserts)
            filled = with_owner(data, "hoa")  # the 1,000 handed over already are hoa's: unchanged
            base = plain_read(filled)
            took, result = timed(lambda: customer_excel.import_customers(db=db, principal=admin(TENANT_A), data=filled, mode="upsert", owner_from="file"))
            assert result.updated + result.unchanged == args.customers, result
            rows.append((f"import of {args.customers:,} rows (upsert: {result.updated:,} owner changes)", "< 5 s", took, "openpyxl read-only read of the file", base))
            took, result = timed(lambda: customer_excel.import_customers(db=db, principal=admin(TENANT_B), data=filled, mode="insert", owner_from="file"))
            assert result.created == args.customers, result
            rows.append((f"import of {args.customers:,} rows (insert: new customers)", "< 5 s", took, "openpyxl read-only read of the file", base))
        finally:
            suite.close()

    table = Table(title="CRM owner tools (SQLite)")
    for column in ("tool", "goal", "seconds", "baseline", "baseline s", "ratio"):
        table.add_column(column)
    for name, goal, took, what, base in rows:
        table.add_row(name, goal, f"{took:.2f}", what, f"{base:.2f}", f"{took / base:.1f}×")
    console.print(table)


if __name__ == "__main__":
    main()
