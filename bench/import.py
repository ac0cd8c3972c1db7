"""Benchmark of the accounting customer import (issue 6, item 5), on an SQLite data folder.

    .venv/bin/python bench/import.py [--rows N] [--create-every S]

1. makes an N-row workbook (default 100,000) with openpyxl, as a user's file would be;
2. reads it with plain openpyxl (read-only, values only) and with plain python-calamine
   (the reader the import uses): the baselines;
3. in a fresh process (so its peak memory is the import's own), imports it in upsert
   mode into tenant A, alone: once with CPython's default garbage-collector thresholds
   (the baseline of the suite's tuning, ``kernel/runtime.py``), then as the suite runs;
4. again in a fresh process and data folder, while a thread creates customers of
   tenant B one by one, as another user of the same server would.

Prints rows/s, the import's CPU time (steadier than its wall clock on a shared
machine), the peak resident memory of the importing process (``getrusage``), the
longest write transaction (every transaction on accounting's writing engine is timed,
from the moment it holds SQLite's write lock to its commit), tenant B's create latency
(p50 / max, and failures), and the import time against the plain reads'.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from openpyxl import Workbook, load_workbook  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from sqlalchemy import event  # noqa: E402

from lienthong.accounting.customer_import import COLUMNS, import_customers  # noqa: E402
from lienthong.accounting.customers import create_customer  # noqa: E402
from lienthong.accounting.schemas import CustomerCreate  # noqa: E402
from lienthong.accounting.tables import CustomerGroup, Employee  # noqa: E402
from lienthong.bootstrap import Suite  # noqa: E402
from lienthong.kernel.unit_of_work import UnitOfWork  # noqa: E402

console = Console(width=None if sys.stdout.isatty() else 130)
ADMIN = "bench-admin-token-0123456789"


def make_workbook(path: Path, rows: int) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["DANH SÁCH KHÁCH HÀNG"])
    sheet.append([texts[0] for texts in COLUMNS.values()])
    for i in range(rows):
        sheet.append([f"KH{i:06d}", f"Công ty TNHH Số {i}", f"01{i:08d}", f"{i} Lê Lợi, Quận 1, TP. Hồ Chí Minh",
                      f"09{i:08d}", f"kh{i}@example.vn", "VIP", "NV01", "Không"])
    workbook.save(path)


def plain_read(path: Path) -> tuple[float, int]:
    started = time.perf_counter()
    workbook = load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return time.perf_counter() - started, count


def plain_calamine_read(path: Path) -> float:
    started = time.perf_counter()
    workbook = CalamineWorkbook.from_path(str(path))
    sum(1 for _ in workbook.get_sheet_by_index(0).iter_rows())
    workbook.close()
    return time.perf_counter() - started


class LockClock:
    """Times every transaction of an engine from BEGIN (after the kernel's BEGIN
    IMMEDIATE, i.e. once the write lock is held) to its commit or rollback."""

    def __init__(self, engine):
        self.started: dict[int, float] = {}
        self.holds: list[tuple[int, float]] = []  # (thread, seconds)
        event.listen(engine, "begin", lambda conn: self.started.__setitem__(id(conn), time.perf_counter()))
        event.listen(engine, "commit", self._end)
        event.listen(engine, "rollback", self._end)

    def _end(self, conn) -> None:
        began = self.started.pop(id(conn), None)
        if began is not None:
            self.holds.append((threading.get_ident(), time.perf_counter() - began))

    def total(self, thread: int) -> float:
        return sum(seconds for who, seconds in self.holds if who == thread)


def run_import(path: str, data_dir: str, create_every: float, out, default_gc: bool = False) -> None:
    """The child process: one tenant imports, another creates; report the figures.
    ``default_gc``: with CPython's default collector thresholds instead of the suite's
    (:mod:`lienthong.kernel.runtime`), the baseline of that tuning."""
    suite = Suite.open(data_dir=data_dir, admin_token=ADMIN, only=("system", "accounting"))
    if default_gc:
        gc.set_threshold(700, 10, 10)
    try:
        db = suite.databases["accounting"]
        importer = suite.authenticate(ADMIN)
        _, other_token = suite.new_tenant("Công ty khác")
        other = suite.authenticate(other_token)
        with UnitOfWork(db) as uow:
            uow.session.add_all([CustomerGroup(tenant_id=importer.tenant_id, code="VIP", name="Khách VIP"),
                                 Employee(tenant_id=importer.tenant_id, code="NV01", name="Nguyễn Văn A")])
            uow.commit()
        clock = LockClock(db.engine)
        latencies: list[float] = []
        failures: list[str] = []
        importing = threading.Event()
        importing.set()

        def creates() -> None:
            n = 0
            while importing.is_set():
                n += 1
                started = time.perf_counter()
                try:
                    with UnitOfWork(db) as uow:
                        create_customer(uow=uow, principal=other, data=CustomerCreate(code=f"B{n:05d}", name=f"Khách B {n}"))
                    latencies.append(time.perf_counter() - started)
                except Exception as exc:  # a failure is a finding, not a crash of the bench
                    failures.append(type(exc).__name__)
                time.sleep(create_every)

        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        thread = threading.Thread(target=creates if create_every is not None else lambda: None)
        thread.start()
        started, cpu = time.perf_counter(), time.process_time()
        try:
            with open(path, "rb") as file:
                result = import_customers(db=db, principal=importer, data=file, mode="upsert")
        finally:
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            importing.clear()
            thread.join()
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        out.send({
            "created": result.created, "seconds": seconds, "cpu": cpu, "rss_mb": rss_after / 1024, "rss_growth_mb": (rss_after - rss_before) / 1024,
            "longest_hold": max(seconds for _, seconds in clock.holds), "transactions": len(clock.holds),
            "writing": clock.total(threading.get_ident()), "latencies": latencies, "failures": failures,
        })
    finally:
        suite.close()


def in_child(path: Path, data_dir: Path, create_every: float | None, default_gc: bool = False) -> dict:
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=run_import, args=(str(path), str(data_dir), create_every, send, default_gc))
    child.start()
    figures = receive.recv()
    child.join()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--create-every", type=float, default=0.02, help="pause between tenant B's creates (s)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "customers.xlsx"
        console.print(f"making a {args.rows:,}-row workbook with openpyxl ...")
        make_workbook(path, args.rows)
        baseline, read_rows = plain_read(path)
        calamine = plain_calamine_read(path)
        default_gc = in_child(path, Path(tmp) / "default-gc", None, default_gc=True)
        alone = in_child(path, Path(tmp) / "alone", None)
        figures = in_child(path, Path(tmp) / "shared", args.create_every)

    lat = sorted(figures["latencies"])
    table = Table(title=f"Import of {args.rows:,} customers (upsert, SQLite) — bench/import.py --rows {args.rows}")
    table.add_column("Figure")
    table.add_column("Value", justify="right")
    table.add_row("plain openpyxl read-only read (baseline)", f"{baseline:.2f} s ({read_rows:,} rows)")
    table.add_row("import alone", f"{alone['seconds']:.2f} s ({alone['created']:,} created)")
    table.add_row("import alone / plain read", f"{alone['seconds'] / baseline:.2f}")
    table.add_row("plain python-calamine read (the import's reader)", f"{calamine:.2f} s")
    table.add_row("import alone / plain calamine read", f"{alone['seconds'] / calamine:.2f}")
    table.add_row("import alone, CPU time of its process", f"{alone['cpu']:.2f} s (on a busy machine, steadier than the wall clock)")
    table.add_row("import alone with CPython's default GC thresholds", f"{default_gc['seconds']:.2f} s, CPU {default_gc['cpu']:.2f} s")
    table.add_row("import alone / with default GC", f"{alone['seconds'] / default_gc['seconds']:.2f} (CPU {alone['cpu'] / default_gc['cpu']:.2f})")
    table.add_row("rows/s (import alone)", f"{alone['created'] / alone['seconds']:,.0f}")
    table.add_row("of which the import's write transactions", f"{alone['writing']:.2f} s (the rest: reading and checking)")
    table.add_row("peak memory of the importing process (RSS)", f"{alone['rss_mb']:.0f} MB (+{alone['rss_growth_mb']:.0f} MB during the import)")
    table.add_row("longest write transaction (lock hold), alone", f"{alone['longest_hold'] * 1000:.0f} ms of {alone['transactions']} transactions")
    table.add_row("import while tenant B creates", f"{figures['seconds']:.2f} s ({figures['created']:,} created)")
    table.add_row("longest write transaction (lock hold), shared", f"{figures['longest_hold'] * 1000:.0f} ms of {figures['transactions']} transactions")
    table.add_row("tenant B creates during the import", f"{len(lat)} ok, {len(figures['failures'])} failed")
    if lat:
        table.add_row("tenant B create latency p50 / max", f"{statistics.median(lat) * 1000:.0f} ms / {lat[-1] * 1000:.0f} ms")
    console.print(table)
    if figures["failures"]:
        console.print(f"[red]failed creates: {', '.join(sorted(set(figures['failures'])))}[/red]")


if __name__ == "__main__":
    main()
