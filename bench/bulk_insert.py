"""The kernel's bulk writer against SQLAlchemy 2's own bulk insert, in one run (issue 7).

    .venv/bin/python bench/bulk_insert.py [--rows 50000] [--batch 5000] [--database-url URL]

Writes the same rows, in batches of ``--batch`` per transaction, into accounting's
``customers`` table (text, a bool, timestamps) and its ``outbox`` (JSON event data),
with each way:

* ``kernel.bulk.insert_rows``: on SQLite the driver's ``executemany`` with values
  already in storage form; elsewhere SQLAlchemy's ``insert`` (so the same as the next);
* ``session.execute(insert(table), rows)``: SQLAlchemy's bulk insert (``executemany``
  with its per-row parameter processing; on PostgreSQL its "insertmanyvalues" batches);
* the same with ``.returning(id, sort_by_parameter_order=True)``: when the caller needs
  the new ids (as ``Catalog.create_many`` does for its events).

On a temporary SQLite file, and on PostgreSQL if ``--database-url`` (or
``LIENTHONG_TEST_DATABASE_URL``) is given. Prints rows/s of each way and its time
against the kernel writer's in the same run (ratio > 1: slower than the kernel's).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402

from lienthong.accounting.tables import Base, Customer, Outbox  # noqa: E402
from lienthong.kernel.bulk import insert_rows  # noqa: E402
from lienthong.kernel.db import open_database  # noqa: E402
from lienthong.kernel.outbox import event_ids, utcnow  # noqa: E402
from lienthong.kernel.unit_of_work import UnitOfWork  # noqa: E402

console = Console(width=None if sys.stdout.isatty() else 130)


def customer_rows(start: int, count: int, tenant: str) -> list[dict]:
    now = utcnow()
    return [
        {"tenant_id": tenant, "code": f"KH{i:07d}", "code_key": f"kh{i:07d}", "search_key": f"kh{i:07d}\ncong ty so {i}",
         "name": f"Công ty TNHH Số {i}", "tax_code": f"01{i:08d}", "address": f"{i} Lê Lợi, Quận 1", "phone": f"09{i:08d}",
         "email": f"kh{i}@example.vn", "is_individual": False, "group_id": None, "salesperson_id": None, "created_at": now, "updated_at": now}
        for i in range(start, start + count)
    ]


def outbox_rows(start: int, count: int, tenant: str) -> list[dict]:
    now = utcnow()
    return [
        {"event_id": event_id, "tenant_id": tenant, "kind": "customers", "type": "CustomerCreated", "record_id": i, "record_code": f"KH{i:07d}",
         "data": {"id": i, "code": f"KH{i:07d}", "name": f"Công ty TNHH Số {i}", "is_individual": False, "group": None}, "changed": None,
         "origin_app": None, "occurred_at": now}
        for i, event_id in zip(range(start, start + count), event_ids(count))
    ]


def kernel(session, table, rows):
    insert_rows(session, table, rows)


def sqlalchemy_bulk(session, table, rows):
    session.execute(insert(table), rows)


def sqlalchemy_returning(session, table, rows):
    session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows).all()


WAYS = {"kernel.bulk.insert_rows": kernel, "SQLAlchemy insert(table), rows": sqlalchemy_bulk, "SQLAlchemy insert ... returning(id)": sqlalchemy_returning}


def measure(db, way, rows: int, batch: int, tenant: str) -> dict[str, float]:
    """Seconds spent writing ``rows`` customers and ``rows`` events (statement and commit)."""
    seconds = {}
    for name, table, make in (("customers", Customer.__table__, customer_rows), ("outbox", Outbox.__table__, outbox_rows)):
        spent = 0.0
        for start in range(0, rows, batch):
            data = make(start, min(batch, rows - start), tenant)  # made outside the clock
            with UnitOfWork(db) as uow:
                began = time.perf_counter()
                way(uow.session, table, data)
                uow.commit()
                spent += time.perf_counter() - began
        seconds[name] = spent
    return seconds


def run(label: str, db, rows: int, batch: int) -> list[tuple]:
    figures = []
    for round_ in range(2):  # the second round decides; the first warms caches and files
        for i, (name, way) in enumerate(WAYS.items()):
            # each way its own tenant (and codes): the tables grow alike for all
            seconds = measure(db, way, rows, batch, tenant=f"r{round_}-w{i}")
            if round_:
                figures.append((label, name, seconds))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--database-url", default=os.environ.get("LIENTHONG_TEST_DATABASE_URL"))
    args = parser.parse_args()
    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database("accounting", Base, data_dir=tmp)
        db.create_all()
        figures += run("SQLite", db, args.rows, args.batch)
        db.dispose()
    if args.database_url:
        db = open_database("accounting", Base, url=args.database_url, schema_prefix="bench_bulk")
        try:
            db.base.metadata.drop_all(db.engine)
            db.create_all()
            figures += run("PostgreSQL", db, args.rows, args.batch)
        finally:
            db.base.metadata.drop_all(db.engine)
            with db.engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{db.schema}" CASCADE'))
            db.dispose()

    table = Table(title=f"{args.rows:,} customers and {args.rows:,} events, {args.batch:,} per transaction — bench/bulk_insert.py")
    for column in ("Database", "Way", "customers rows/s", "events rows/s", "time / kernel's"):
        table.add_column(column, justify="left" if column in ("Database", "Way") else "right")
    baseline = {label: sum(s.values()) for label, name, s in figures if name == "kernel.bulk.insert_rows"}
    for label, name, seconds in figures:
        table.add_row(label, name, f"{args.rows / seconds['customers']:,.0f}", f"{args.rows / seconds['outbox']:,.0f}",
                      f"{sum(seconds.values()) / baseline[label]:.2f}")
    console.print(table)


if __name__ == "__main__":
    main()
