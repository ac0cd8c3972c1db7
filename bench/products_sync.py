"""Products between accounting and CRM: first-sync step 2 and the live drain.

    .venv/bin/python bench/products_sync.py [--products N] [--groups G] [--edits K]

Each scenario on a fresh temporary data folder (SQLite):

1. first sync: N products and G product groups in each app, half of them on both sides
   by code (accounting P0..P(N-1), CRM P(N/2)..P(N/2+N-1); groups alike), written
   straight into the tables (no outbox rows), then step 1 and a timed step 2 (issue 8's
   goal with N = 100,000 and G = 1,000: under 20 s);
2. live drain: K product edits through accounting's ``update_product`` use case (the
   producer, timed, connector idle), then ``connector.drain()`` into CRM (timed); the
   ratio is the drain's rate over the producer's, measured in the same run (goal >= 1.0).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sqlalchemy import func, insert, select  # noqa: E402

from lienthong.accounting import products as acc_products  # noqa: E402
from lienthong.accounting import tables as acc_tables  # noqa: E402
from lienthong.bootstrap import Suite  # noqa: E402
from lienthong.crm import tables as crm_tables  # noqa: E402
from lienthong.kernel.product_schemas import ProductCreate, ProductUpdate  # noqa: E402
from lienthong.kernel.tables import keys_of  # noqa: E402
from lienthong.kernel.unit_of_work import UnitOfWork  # noqa: E402
from lienthong.sync.connections import ConnectionCreate, connect, start_step  # noqa: E402

ADMIN = "bench-admin-token-0123456789abcdef"
KINDS = ["products", "product-groups"]


def open_suite(tmp: str):
    suite = Suite.open(data_dir=tmp, admin_token=ADMIN)
    return suite, suite.authenticate(ADMIN)


def make_connection(suite, principal):
    with UnitOfWork(suite.connector.db) as uow:
        conn = connect(uow=uow, principal=principal, data=ConnectionCreate(apps=["accounting", "crm"], kinds=KINDS))
    suite.connector.connections_changed()
    return conn


def run_step(suite, principal, conn, step: int) -> dict:
    with UnitOfWork(suite.connector.db) as uow:
        return start_step(connector=suite.connector, uow=uow, principal=principal, connection_id=conn.id, step=step, background=False)


def fill(db, tables, tenant_id: str, first: int, products: int, groups: int) -> None:
    """``groups`` groups G<first_g>.. and ``products`` products P<first>.., each in a group, written straight in."""
    first_group = first * groups // max(products, 1)
    with db.engine.begin() as c:
        rows = [{"tenant_id": tenant_id, "code": f"G{i:05d}", "name": f"Nhóm {i}"} for i in range(first_group, first_group + groups)]
        c.execute(insert(tables.ProductGroup), [{**r, **keys_of(tables.ProductGroup, r)} for r in rows])
        ids = dict(c.execute(select(tables.ProductGroup.code, tables.ProductGroup.id)).all())
        for start in range(first, first + products, 10_000):
            rows = []
            for i in range(start, min(start + 10_000, first + products)):
                row = {"tenant_id": tenant_id, "code": f"P{i:07d}", "name": f"Hàng {i}", "unit": "Cái", "unit_price": "1000", "vat_rate": "10", "kind": "goods", "active": True,
                       "group_id": ids[f"G{first_group + (i - first) % groups:05d}"]}
                rows.append({**row, **keys_of(tables.Product, row)})
            c.execute(insert(tables.Product), rows)


def count(db, model, tenant_id: str) -> int:
    with db.sessions() as s:
        return s.scalar(select(func.count()).select_from(model).where(model.tenant_id == tenant_id)) or 0


def first_sync(products: int, groups: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="lt-bench-products-") as tmp:
        suite, principal = open_suite(tmp)
        try:
            suite.connector.drain(timeout=60)  # the first start's own events
            tenant = principal.tenant_id
            fill(suite.databases["accounting"], acc_tables, tenant, 0, products, groups)
            fill(suite.databases["crm"], crm_tables, tenant, products // 2, products, groups)
            conn = make_connection(suite, principal)
            assert run_step(suite, principal, conn, 1)["state"] == "succeeded"
            t = time.perf_counter()
            s2 = run_step(suite, principal, conn, 2)
            step2_s = time.perf_counter() - t
            union = products + products // 2
            got = (count(suite.databases["accounting"], acc_tables.Product, tenant), count(suite.databases["crm"], crm_tables.Product, tenant))
        finally:
            suite.close()
    summary = s2.get("summary") or {}
    print(f"1. first sync, step 2: {products:,} products and {groups:,} groups in each app, half shared by code")
    print(f"   step 2: {step2_s:.2f} s ({s2['state']}; goal < 20 s at 100,000 / 1,000)")
    print(f"   summary: " + ", ".join(f"{k} {summary.get(k, 0):,}" for k in ("created", "linked", "updated", "unchanged", "skipped", "failed")))
    print(f"   products after: accounting {got[0]:,}, CRM {got[1]:,} (expected {union:,} each: {'OK' if got == (union, union) else 'MISMATCH'})")
    return {"step2_s": step2_s, "ok": got == (union, union) and s2["state"] == "succeeded"}


def live_drain(edits: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="lt-bench-drain-") as tmp:
        suite, principal = open_suite(tmp)
        try:
            conn = make_connection(suite, principal)
            assert run_step(suite, principal, conn, 1)["state"] == "succeeded"
            acc = suite.databases["accounting"]
            ids = []
            for i in range(edits):  # the products to edit, synced first (not measured)
                with UnitOfWork(acc) as uow:
                    ids.append(acc_products.create_product(uow=uow, principal=principal, data=ProductCreate(code=f"P{i:06d}", name=f"Hàng {i}", unit_price="1000")).id)
            assert suite.connector.drain(timeout=600)
            t = time.perf_counter()
            for n, product_id in enumerate(ids):
                with UnitOfWork(acc) as uow:
                    acc_products.update_product(uow=uow, principal=principal, product_id=product_id, data=ProductUpdate(name=f"Hàng sửa {n}", unit_price="1200"))
            produce_s = time.perf_counter() - t
            t = time.perf_counter()
            assert suite.connector.drain(timeout=600)
            drain_s = time.perf_counter() - t
            with suite.databases["crm"].sessions() as s:
                edited = s.scalar(select(func.count()).select_from(crm_tables.Product).where(crm_tables.Product.name.like("Hàng sửa %"))) or 0
        finally:
            suite.close()
    ratio = produce_s / drain_s
    print(f"2. live drain of {edits:,} product edits (accounting -> CRM)")
    print(f"   producer (update_product): {produce_s:.2f} s = {edits / produce_s:,.0f} edits/s")
    print(f"   drain: {drain_s:.2f} s = {edits / drain_s:,.0f} edits/s; CRM products edited {edited:,} / {edits:,}")
    print(f"   drain/produce ratio: {ratio:.2f} (goal >= 1.0)")
    return {"ratio": ratio, "ok": edited == edits}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--products", type=int, default=100_000, help="products in each app for step 2 (default 100000)")
    ap.add_argument("--groups", type=int, default=1_000, help="product groups in each app for step 2 (default 1000)")
    ap.add_argument("--edits", type=int, default=5_000, help="product edits for the live drain (default 5000)")
    ap.add_argument("--only", type=int, choices=(1, 2), help="run one scenario")
    args = ap.parse_args()
    print(f"command: .venv/bin/python bench/products_sync.py {' '.join(sys.argv[1:])}")
    results = {}
    if args.only in (None, 1):
        results["first_sync"] = first_sync(args.products, args.groups)
    if args.only in (None, 2):
        results["drain"] = live_drain(args.edits)
    if not all(r["ok"] for r in results.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
