"""Fairness across tenants: how long one change of tenant A takes to reach CRM while
tenant B has a large backlog, against the same latency with B idle, in the same run.

    .venv/bin/python bench/tenants.py [--backlog 100000] [--samples 5] [--connector process|thread]

On a fresh temporary data folder (SQLite), with two connected tenants and the
connector running as ``lienthong serve`` runs it (a worker process by default):

1. baseline: B idle; A creates one customer at a time, each waiting until it is in
   CRM; latency = CRM ``created_at`` minus accounting ``created_at``;
2. loaded: B's backlog (``--backlog`` customers, made by the bulk path, each with its
   event) is put in the connector's queue while the connector is held off (its lock),
   then the connector is let go and A creates its customers the same way, while B's
   backlog is worked on.

Prints both latencies, their ratio (loaded / idle), and how much of B's backlog was
still pending while A's changes went through (goal: A's change under a second).
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from sqlalchemy import select  # noqa: E402

from lienthong.accounting.customers import CUSTOMERS, create_customer  # noqa: E402
from lienthong.accounting.schemas import CustomerCreate  # noqa: E402
from lienthong.bootstrap import ALL, Suite  # noqa: E402
from lienthong.crm import tables as crm_tables  # noqa: E402
from lienthong.kernel.unit_of_work import UnitOfWork  # noqa: E402
from lienthong.sync.connections import ConnectionCreate, connect  # noqa: E402

console = Console(width=None if sys.stdout.isatty() else 130)
ADMIN = "bench-administrator-token-0123456789"
CHUNK = 10_000


def utc(dt: datetime) -> datetime:
    return dt.astimezone(timezone.utc) if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def make_connection(suite, principal) -> None:
    with UnitOfWork(suite.connector.db) as uow:
        connect(uow=uow, principal=principal, data=ConnectionCreate(apps=["accounting", "crm"]))
    suite.connector.connections_changed()


def one_change(suite, principal, code: str, timeout: float = 120.0) -> float:
    """Create one accounting customer of ``principal``'s tenant and wait until it is in
    CRM; returns its latency in seconds (the two apps' ``created_at``)."""
    with UnitOfWork(suite.databases["accounting"]) as uow:
        made = create_customer(uow=uow, principal=principal, data=CustomerCreate(code=code, name=f"Khách hàng {code}"))
        uow.commit()
        at_accounting = utc(made.created_at)
    crm = crm_tables.Customer
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with suite.databases["crm"].sessions() as s:
            at_crm = s.scalar(select(crm.created_at).where(crm.tenant_id == principal.tenant_id, crm.code == code))
        if at_crm is not None:
            return (utc(at_crm) - at_accounting).total_seconds()
        time.sleep(0.002)
    raise TimeoutError(f"{code} did not reach CRM in {timeout:.0f} s")


def backlog(suite, tenant_id: str, n: int) -> None:
    for start in range(0, n, CHUNK):
        with UnitOfWork(suite.databases["accounting"]) as uow:
            CUSTOMERS.create_many(uow, tenant_id, [{"code": f"KB{i:07d}", "name": f"Khách hàng B {i}"} for i in range(start, min(start + CHUNK, n))])
            uow.commit()


def run(n: int, samples: int, mode: str) -> dict:
    from lienthong.bootstrap import connector_worker as worker_main
    from lienthong.sync import worker as connector_worker
    from lienthong.sync.locking import ProcessLock

    with tempfile.TemporaryDirectory(prefix="lt-bench-tenants-") as tmp:
        worker = None
        options = {}
        if mode == "process":
            wake = connector_worker.new_wake()
            options = {"lock": ProcessLock(connector_worker.lock_path(tmp)), "wake": wake}
        suite = Suite.open(data_dir=tmp, admin_token=ADMIN, connector_options=options)
        try:
            a = suite.authenticate(ADMIN)
            _, token_b = suite.new_tenant("Công ty B")
            b = suite.authenticate(token_b)
            make_connection(suite, a)
            make_connection(suite, b)
            suite.connector.drain(timeout=60)  # the tenants' administrators
            if mode == "process":
                settings = {"data_dir": tmp, "url": None, "only": ALL, "remote": {}, "connector_token": suite.connector_token}
                worker = connector_worker.start(worker_main, settings, wake)
                one_change(suite, a, "WARM")  # the worker has imported and opened the databases
            else:
                suite.connector.start()

            idle = [one_change(suite, a, f"KA{i:03d}") for i in range(samples)]

            t = time.perf_counter()
            with suite.connector.lock:  # the connector waits while B's backlog is queued
                backlog(suite, b.tenant_id, n)
                while suite.connector.relay():
                    pass
            setup_s = time.perf_counter() - t
            b_before = suite.connector.pending(b.tenant_id)
            loaded = [one_change(suite, a, f"KL{i:03d}") for i in range(samples)]
            b_after = suite.connector.pending(b.tenant_id)
        finally:
            suite.connector.stop()
            if worker is not None:
                worker.terminate()
                worker.join(timeout=10)
            suite.close()
    res = {
        "idle": statistics.median(idle),
        "loaded": statistics.median(loaded),
        "loaded_max": max(loaded),
        "b_before": b_before,
        "b_after": b_after,
        "setup_s": setup_s,
    }
    res["ratio"] = res["loaded"] / res["idle"]
    t = Table(title=f"Tenant A's single change while tenant B has {n:,} changes pending (connector in a {mode})", title_justify="left", header_style="bold")
    t.add_column("Figure")
    t.add_column("Value", justify="right")
    t.add_row("setup: B's backlog made and queued (not measured)", f"{setup_s:.1f} s")
    t.add_row(f"A, B idle: median of {samples}", f"{res['idle'] * 1000:.0f} ms  (all: {', '.join(f'{x * 1000:.0f}' for x in idle)})")
    t.add_row(f"A, B's backlog pending: median of {samples}", f"{res['loaded'] * 1000:.0f} ms  (all: {', '.join(f'{x * 1000:.0f}' for x in loaded)})")
    t.add_row("ratio loaded / idle (medians)", f"{res['ratio']:.2f}")
    t.add_row("A's slowest change with B's backlog pending", f"{res['loaded_max'] * 1000:.0f} ms  (goal < 1000 ms)")
    t.add_row("B's changes pending: before A's / after A's", f"{b_before:,} / {b_after:,}")
    console.print(t)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--backlog", type=int, default=100_000, help="tenant B's pending changes (default 100000)")
    ap.add_argument("--samples", type=int, default=5, help="tenant A's single changes per measurement (default 5)")
    ap.add_argument("--connector", choices=("process", "thread"), default="process", help="how the connector runs (default: a worker process, as `serve` runs it)")
    args = ap.parse_args()
    run(args.backlog, args.samples, args.connector)
    console.print("command: " + " ".join(shlex.quote(x) for x in [sys.executable, *sys.argv]), markup=False)


if __name__ == "__main__":
    main()
