"""Throughput and latency benchmark of the embedded connector (SQLite data folder).

    .venv/bin/python bench/run.py [--customers N] [--first-sync M] [--rate R] [--seconds S]

Scenarios, each on a fresh temporary data folder:

1. producer ceiling: N customers through ``create_customer`` (connector idle), then
   ``connector.drain()`` into CRM; drain/produce ratio (goal >= 1.0);
2. latency at a steady rate (default 200 changes/s for 10 s) with the connector
   thread running: CRM ``created_at`` minus accounting ``created_at`` (goal p99 <= 100 ms);
3. first sync: M customers bulk-inserted into accounting (no outbox rows), then
   step 1 and a timed step 2 (goal <= 5 s, issue 7); ``g``: the same with CPython's
   default garbage-collector thresholds, the baseline of the suite's tuning.
"""

from __future__ import annotations

import argparse
import gc
import shlex
import statistics
import sys
import tempfile
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from rich.console import Console  # noqa: E402
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn  # noqa: E402
from rich.table import Table  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from lienthong.accounting import tables as acc_tables  # noqa: E402
from lienthong.accounting.customers import create_customer  # noqa: E402
from lienthong.accounting.schemas import CustomerCreate  # noqa: E402
from lienthong.bootstrap import Suite  # noqa: E402
from lienthong.crm import tables as crm_tables  # noqa: E402
from lienthong.kernel.runtime import tune_gc  # noqa: E402
from lienthong.kernel.unit_of_work import UnitOfWork  # noqa: E402
from lienthong.sync.connections import ConnectionCreate, connect, start_step  # noqa: E402

console = Console(width=None if sys.stdout.isatty() else 130)
ADMIN = "bench-admin-token-0123456789abcdef"


# -- helpers ------------------------------------------------------------------------------
def open_suite(tmp: str):
    suite = Suite.open(data_dir=tmp, admin_token=ADMIN)
    principal = suite.authenticate(ADMIN)
    return suite, principal


def make_connection(suite, principal, kinds=None):
    with UnitOfWork(suite.connector.db) as uow:
        conn = connect(uow=uow, principal=principal, data=ConnectionCreate(apps=["accounting", "crm"], kinds=kinds))
    suite.connector.connections_changed()
    return conn


def crm_count(suite, tenant_id: str) -> int:
    with suite.databases["crm"].sessions() as s:
        return s.scalar(select(func.count()).select_from(crm_tables.Customer).where(crm_tables.Customer.tenant_id == tenant_id)) or 0


def naive_utc(dt: datetime) -> datetime:
    return dt.astimezone(timezone.utc).replace(tzinfo=None) if dt.tzinfo else dt


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def kv_table(title: str, rows: list[tuple[str, str]]) -> Table:
    t = Table(title=title, title_justify="left", show_header=True, header_style="bold")
    t.add_column("Figure")
    t.add_column("Value", justify="right")
    for k, v in rows:
        t.add_row(k, v)
    return t


# -- scenario 1 ---------------------------------------------------------------------------
def producer_ceiling(n: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="lt-bench1-") as tmp:
        suite, principal = open_suite(tmp)
        try:
            make_connection(suite, principal)  # connected, but the connector thread is not running
            acc = suite.databases["accounting"]
            t0 = time.perf_counter()
            for i in range(1, n + 1):
                with UnitOfWork(acc) as uow:
                    create_customer(uow=uow, principal=principal, data=CustomerCreate(code=f"KH{i:06d}", name=f"Khách hàng {i}"))
            produce_s = time.perf_counter() - t0
            t1 = time.perf_counter()
            ok = suite.connector.drain(timeout=600)
            drain_s = time.perf_counter() - t1
            count = crm_count(suite, principal.tenant_id)
            parked = suite.connector.parked()
        finally:
            suite.close()
    produce_rate = n / produce_s
    drain_rate = n / drain_s
    ratio = drain_rate / produce_rate
    console.print(
        kv_table(
            f"1. Producer ceiling ({n:,} customers)",
            [
                ("create_customer, one tx each", f"{produce_s:.2f} s  →  {produce_rate:,.0f} creates/s"),
                ("connector.drain() into CRM", f"{drain_s:.2f} s  →  {drain_rate:,.0f} changes/s" + ("" if ok else "  (TIMED OUT)")),
                ("ratio drain / produce", f"{ratio:.2f}  (goal ≥ 1.0)"),
                ("CRM customers", f"{count:,} / {n:,}  {'OK' if count == n else 'MISMATCH'}"),
                ("parked changes", f"{parked}"),
            ],
        )
    )
    return {"produce_rate": produce_rate, "drain_rate": drain_rate, "ratio": ratio, "crm_ok": count == n, "drained": ok}


# -- scenario 2 ---------------------------------------------------------------------------
def latency(rate: float, seconds: float, mode: str = "process") -> dict:
    """``mode`` is how ``lienthong serve`` runs the connector: ``process`` (its default, a
    worker process woken on every commit) or ``thread`` (inside the server process)."""
    from lienthong.sync import worker as connector_worker
    from lienthong.sync.locking import ProcessLock

    with tempfile.TemporaryDirectory(prefix="lt-bench2-") as tmp:
        worker = None
        if mode == "process":
            wake = connector_worker.new_wake()
            suite = Suite.open(data_dir=tmp, admin_token=ADMIN, connector_options={"lock": ProcessLock(connector_worker.lock_path(tmp)), "wake": wake})
            principal = suite.authenticate(ADMIN)
        else:
            suite, principal = open_suite(tmp)
        try:
            make_connection(suite, principal)
            if mode == "process":
                settings = {"data_dir": tmp, "url": None, "only": ("system", "accounting", "crm", "process", "sync"), "remote": {}, "connector_token": suite.connector_token}
                from lienthong.bootstrap import connector_worker as worker_main

                worker = connector_worker.start(worker_main, settings, wake)
                time.sleep(3)  # the worker imports and opens the databases
            else:
                suite.connector.start()
            acc = suite.databases["accounting"]
            total = int(rate * seconds)
            interval = 1.0 / rate
            codes: list[str] = []
            behind = 0
            start = time.perf_counter()
            for i in range(total):
                due = start + i * interval
                now = time.perf_counter()
                if due > now:
                    time.sleep(due - now)
                elif now - due > interval:
                    behind += 1
                code = f"LT{i:06d}"
                with UnitOfWork(acc) as uow:
                    create_customer(uow=uow, principal=principal, data=CustomerCreate(code=code, name=f"Khách hàng {i}"))
                codes.append(code)
            produced_s = time.perf_counter() - start
            # wait for the thread to catch up
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and (suite.connector.pending() or crm_count(suite, principal.tenant_id) < total):
                time.sleep(0.05)
            suite.connector.stop()
            if worker is not None:
                worker.terminate()
                worker.join(timeout=10)
            with acc.sessions() as s:
                acc_at = dict(s.execute(select(acc_tables.Customer.code, acc_tables.Customer.created_at).where(acc_tables.Customer.tenant_id == principal.tenant_id)).all())
            with suite.databases["crm"].sessions() as s:
                crm_at = dict(s.execute(select(crm_tables.Customer.code, crm_tables.Customer.created_at).where(crm_tables.Customer.tenant_id == principal.tenant_id)).all())
        finally:
            suite.close()
    lat = [(naive_utc(crm_at[c]) - naive_utc(acc_at[c])).total_seconds() * 1000 for c in codes if c in crm_at and c in acc_at]
    missing = total - len(lat)
    res = {
        "p50": pct(lat, 50),
        "p95": pct(lat, 95),
        "p99": pct(lat, 99),
        "max": max(lat) if lat else float("nan"),
        "mean": statistics.fmean(lat) if lat else float("nan"),
        "missing": missing,
        "achieved_rate": total / produced_s,
    }
    console.print(
        kv_table(
            f"2. Latency at {rate:.0f} changes/s for {seconds:.0f} s ({total:,} customers, connector in a {mode})",
            [
                ("achieved produce rate", f"{res['achieved_rate']:,.1f} /s" + (f"  ({behind} creates late by > 1 interval)" if behind else "")),
                ("p50", f"{res['p50']:.1f} ms"),
                ("p95", f"{res['p95']:.1f} ms"),
                ("p99", f"{res['p99']:.1f} ms  (goal ≤ 100 ms)"),
                ("max", f"{res['max']:.1f} ms"),
                ("mean", f"{res['mean']:.1f} ms"),
                ("not in CRM", f"{missing}"),
            ],
        )
    )
    return res


# -- scenario 3 ---------------------------------------------------------------------------
def first_sync(m: int, default_gc: bool = False) -> dict:
    """``default_gc``: with CPython's default garbage-collector thresholds instead of the
    suite's (``kernel/runtime.py``), the baseline of that tuning (scenario g)."""
    with tempfile.TemporaryDirectory(prefix="lt-bench3-") as tmp:
        suite, principal = open_suite(tmp)
        if default_gc:
            gc.set_threshold(700, 10, 10)
        try:
            suite.connector.drain(timeout=60)  # the first start's own events (admin user)
            acc = suite.databases["accounting"]
            t = time.perf_counter()
            with acc.engine.begin() as c:
                for start in range(1, m + 1, 10_000):
                    c.execute(
                        insert(acc_tables.Customer),
                        [{"tenant_id": principal.tenant_id, "code": f"KH{i:06d}", "name": f"Khách hàng {i}", "is_individual": False} for i in range(start, min(start + 10_000, m + 1))],
                    )
            setup_s = time.perf_counter() - t
            conn = make_connection(suite, principal, kinds=["customers", "customer-groups"])
            assert suite.connector.pending() == 0, "direct inserts must queue nothing"
            t = time.perf_counter()
            with UnitOfWork(suite.connector.db) as uow:
                s1 = start_step(connector=suite.connector, uow=uow, principal=principal, connection_id=conn.id, step=1, background=False)
            step1_s = time.perf_counter() - t
            if s1["state"] != "succeeded":
                raise RuntimeError(f"step 1 {s1['state']}: {s1.get('error')} {s1.get('summary')}")
            with Progress(TextColumn("step 2"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(), TimeElapsedColumn(), console=console, transient=True) as bar:
                task = bar.add_task("step2", total=None)

                def progress(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total)

                t = time.perf_counter()
                with UnitOfWork(suite.connector.db) as uow:
                    s2 = start_step(connector=suite.connector, uow=uow, principal=principal, connection_id=conn.id, step=2, background=False, progress=progress)
                step2_s = time.perf_counter() - t
            count = crm_count(suite, principal.tenant_id)
        finally:
            suite.close()
            tune_gc()
    summary = s2.get("summary") or {}
    counts = {k: summary.get(k, 0) for k in ("created", "linked", "updated", "unchanged", "skipped", "failed")}
    console.print(
        kv_table(
            f"3. First sync ({m:,} accounting customers){' with the default GC thresholds' if default_gc else ''}",
            [
                ("setup: bulk insert (not measured)", f"{setup_s:.2f} s"),
                ("step 1", f"{step1_s:.2f} s  ({s1['state']})"),
                ("step 2", f"{step2_s:.2f} s  →  {m / step2_s:,.0f} records/s  ({s2['state']}; goal ≤ 5 s)"),
                ("step 2 summary", ", ".join(f"{k} {v:,}" for k, v in counts.items())),
                ("by kind", str(summary.get("by_kind"))),
                ("CRM customers", f"{count:,} / {m:,}  {'OK' if count == m else 'MISMATCH'}"),
            ]
            + ([("error", str(s2.get("error")))] if s2.get("error") else []),
        )
    )
    return {"step2_s": step2_s, "rate": m / step2_s, "state": s2["state"], "crm_ok": count == m, "counts": counts}


# -- main ---------------------------------------------------------------------------------
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--customers", type=int, default=5000, help="scenario 1: customers to create (default 5000)")
    ap.add_argument("--first-sync", type=int, default=100_000, help="scenario 3: customers for the first sync (default 100000)")
    ap.add_argument("--rate", type=float, default=200.0, help="scenario 2: changes/s (default 200)")
    ap.add_argument("--seconds", type=float, default=10.0, help="scenario 2: duration (default 10)")
    ap.add_argument("--only", default="12t3", help="which scenarios to run, e.g. 13 (default 12t3; t = latency with the connector in a thread; g = scenario 3 with CPython's default GC thresholds)")
    args = ap.parse_args()
    cmd = " ".join(shlex.quote(a) for a in [sys.executable, *sys.argv])

    results: dict = {}
    scenarios = {
        "1": ("producer ceiling", lambda: producer_ceiling(args.customers)),
        "2": ("latency, connector in its own process (as `serve` runs it)", lambda: latency(args.rate, args.seconds, "process")),
        "t": ("latency baseline, connector in a thread of the server", lambda: latency(args.rate, args.seconds, "thread")),
        "g": ("first sync baseline, CPython's default GC thresholds", lambda: first_sync(args.first_sync, default_gc=True)),
        "3": ("first sync", lambda: first_sync(args.first_sync)),
    }
    for key in args.only:
        name, fn = scenarios[key]
        console.rule(f"[bold]Scenario {key}: {name}")
        try:
            results[key] = fn()
        except Exception as exc:  # noqa: BLE001 - report and go on
            results[key] = {"error": repr(exc)}
            console.print(f"[red]Scenario {key} failed: {exc!r}")
            console.print(traceback.format_exc(), markup=False)

    def verdict(ok: bool) -> str:
        return "[green]goal met[/]" if ok else "[red]goal not met[/]"

    t = Table(title="Summary", title_justify="left", header_style="bold")
    t.add_column("Scenario")
    t.add_column("Figure", justify="right")
    t.add_column("Goal")
    t.add_column("Verdict")
    if "1" in results:
        r = results["1"]
        if "error" in r:
            t.add_row("1 producer ceiling", r["error"], "drain/produce ≥ 1.0", "[red]error[/]")
        else:
            t.add_row("1 producer ceiling", f"produce {r['produce_rate']:,.0f}/s, drain {r['drain_rate']:,.0f}/s, ratio {r['ratio']:.2f}", "drain/produce ≥ 1.0", verdict(r["ratio"] >= 1.0 and r["crm_ok"]))
    if "2" in results:
        r = results["2"]
        if "error" in r:
            t.add_row("2 latency", r["error"], "p99 ≤ 100 ms", "[red]error[/]")
        else:
            t.add_row("2 latency", f"p50 {r['p50']:.1f} / p95 {r['p95']:.1f} / p99 {r['p99']:.1f} / max {r['max']:.1f} ms", "p99 ≤ 100 ms", verdict(r["p99"] <= 100 and r["missing"] == 0))
    if "t" in results and "error" not in results["t"]:
        r = results["t"]
        t.add_row("2t latency (thread)", f"p50 {r['p50']:.1f} / p95 {r['p95']:.1f} / p99 {r['p99']:.1f} / max {r['max']:.1f} ms", "baseline", "")
    if "3" in results:
        r = results["3"]
        if "error" in r:
            t.add_row("3 first sync", r["error"], "step 2 ≤ 5 s", "[red]error[/]")
        else:
            t.add_row("3 first sync", f"step 2 {r['step2_s']:.2f} s ({r['rate']:,.0f} rec/s)", "step 2 ≤ 5 s", verdict(r["step2_s"] <= 5 and r["crm_ok"] and r["state"] == "succeeded"))
    if "g" in results and "3" in results and "error" not in results["g"] and "error" not in results["3"]:
        g = results["g"]
        t.add_row("3g default GC thresholds", f"step 2 {g['step2_s']:.2f} s; tuned / default {results['3']['step2_s'] / g['step2_s']:.2f}", "baseline", "")
    console.rule("[bold]Summary")
    console.print(t)
    console.print(f"command: {cmd}", markup=False)


if __name__ == "__main__":
    main()
