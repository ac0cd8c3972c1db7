"""Benchmark of the product import (issue 8), on an SQLite data folder.

    .venv/bin/python bench/product_import.py [--rows N] [--app accounting|crm]

1. makes an N-row workbook (default 10,000) with openpyxl, as a user's file would be:
   a title row, the header row, then products in 100 groups with prices, VAT rates in
   words and numbers, and kinds in words;
2. reads it with plain openpyxl (read-only, values only): the baseline, in this run;
3. imports it in upsert mode into a fresh data folder (timed), then again (every row
   unchanged: the cost of checking a file already imported).

Prints both times, each as a ratio to the plain read, and rows/s. Goal: under 5 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from openpyxl import Workbook, load_workbook  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from lienthong.bootstrap import Suite  # noqa: E402
from lienthong.kernel.product_import import PRODUCT_COLUMNS  # noqa: E402
from lienthong.kernel.unit_of_work import UnitOfWork  # noqa: E402

console = Console(width=None if sys.stdout.isatty() else 130)
ADMIN = "bench-admin-token-0123456789"
GROUPS = 100
RATES = ["10%", "8", 0.05, "Không chịu thuế", "0"]


def make_workbook(path: Path, rows: int) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["DANH MỤC VẬT TƯ HÀNG HÓA"])
    sheet.append([texts[0] for texts in PRODUCT_COLUMNS.values()])
    for i in range(rows):
        sheet.append([f"HH{i:06d}", f"Hàng hóa số {i} – cà phê rang xay", f"NH{i % GROUPS:03d}", "Gói", 10_000 + i * 0.5,
                      RATES[i % len(RATES)], "Dịch vụ" if i % 7 == 0 else "Hàng hóa", "Có"])
    workbook.save(path)


def plain_read(path: Path) -> tuple[float, int]:
    started = time.perf_counter()
    workbook = load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return time.perf_counter() - started, count


def timed_imports(path: Path, data_dir: Path, app_name: str) -> tuple[tuple[float, object], tuple[float, object]]:
    suite = Suite.open(data_dir=data_dir, admin_token=ADMIN, only=("system", app_name))
    try:
        db = suite.databases[app_name]
        principal = suite.authenticate(ADMIN)
        group_model = db.base.registry._class_registry["ProductGroup"]
        with UnitOfWork(db) as uow:
            uow.session.add_all([group_model(tenant_id=principal.tenant_id, code=f"NH{g:03d}", name=f"Nhóm {g}") for g in range(GROUPS)])
            uow.commit()
        if app_name == "crm":
            from lienthong.crm.product_import import import_products
        else:
            from lienthong.accounting.product_import import import_products
        out = []
        for _ in range(2):
            started = time.perf_counter()
            with path.open("rb") as file:
                result = import_products(db=db, principal=principal, data=file, mode="upsert")
            out.append((time.perf_counter() - started, result))
        return out[0], out[1]
    finally:
        suite.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--app", choices=("accounting", "crm"), default="accounting")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "hang-hoa.xlsx"
        console.print(f"making a {args.rows:,}-row workbook with openpyxl ...")
        make_workbook(path, args.rows)
        baseline, read_rows = plain_read(path)
        (first, made), (again, same) = timed_imports(path, Path(tmp) / "data", args.app)

    table = Table(title=f"Import of {args.rows:,} products into {args.app} (upsert, SQLite) — bench/product_import.py --rows {args.rows} --app {args.app}")
    table.add_column("Figure")
    table.add_column("Value", justify="right")
    table.add_row("plain openpyxl read-only read (baseline)", f"{baseline:.2f} s ({read_rows:,} rows)")
    table.add_row("import (every row new)", f"{first:.2f} s ({made.created:,} created)")
    table.add_row("import / plain read", f"{first / baseline:.2f}")
    table.add_row("rows/s", f"{made.created / first:,.0f}")
    table.add_row("same file again (every row unchanged)", f"{again:.2f} s ({same.unchanged:,} unchanged)")
    table.add_row("again / plain read", f"{again / baseline:.2f}")
    table.add_row("goal: under 5 s", "met" if first < 5 else "NOT met")
    console.print(table)


if __name__ == "__main__":
    main()
