"""Each tenant has its own line at the connector: one tenant's backlog never holds up
another's changes, and status, drain, parked and log show a tenant only its own."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lienthong.accounting.customers import CUSTOMERS
from lienthong.crm.tables import Customer as CrmCustomer
from lienthong.kernel.unit_of_work import UnitOfWork
from tests.conftest import connect, run_step

BACKLOG = 3000


@pytest.fixture
def tenants(connected, suite):
    """Tenant A (the first start's, connected) and tenant B (created after, connected too)."""
    tenant_b, token_b = suite.new_tenant("Công ty B")
    b = connected.as_(token_b)
    assert run_step(b, connect(b)["id"], 1)["state"] == "succeeded"
    b.drain()  # its administrator, made with the tenant
    b.tenant_id = tenant_b
    return connected, b


def backlog(suite, tenant_id: str, n: int = BACKLOG, prefix: str = "KB") -> None:
    """``n`` accounting customers of one tenant, made by the bulk path (each with its event)."""
    with UnitOfWork(suite.databases["accounting"]) as uow:
        CUSTOMERS.create_many(uow, tenant_id, [{"code": f"{prefix}{i:05d}", "name": f"Khách {i}"} for i in range(n)])
        uow.commit()


def relay_all(suite) -> None:
    """Copy every app's unread events into the connector's queue (nothing delivered)."""
    while suite.connector.relay():
        pass


def crm_count(suite, tenant_id: str) -> int:
    with suite.databases["crm"].sessions() as session:
        return session.scalar(select(func.count()).select_from(CrmCustomer).where(CrmCustomer.tenant_id == tenant_id))


def status(api) -> dict:
    body = api.ok("get", "/api/v1/sync/status")
    return {k: body[k] for k in ("pending", "parked", "held")}


def test_a_change_of_one_tenant_is_delivered_before_another_tenants_backlog_is_done(tenants, suite):
    a, b = tenants
    backlog(suite, b.tenant_id)
    relay_all(suite)
    a.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KHA1", "name": "Công ty A"})
    for _ in range(50):  # the connector's own loop, one batch at a time
        suite.connector.step()
        if a.one("/api/v1/crm/customers", "KHA1") is not None:
            break
    assert a.one("/api/v1/crm/customers", "KHA1") is not None
    assert crm_count(suite, b.tenant_id) < BACKLOG  # B's backlog still under way


def test_status_shows_a_tenant_only_its_own_changes(tenants, suite):
    a, b = tenants
    backlog(suite, b.tenant_id)
    relay_all(suite)  # queued at the connector
    backlog(suite, b.tenant_id, prefix="KC")  # still unread in accounting's outbox
    assert status(a) == {"pending": 0, "parked": 0, "held": 0}
    assert status(b) == {"pending": 2 * BACKLOG, "parked": 0, "held": 0}


def test_status_counts_a_tenants_unread_events(tenants, suite):
    a, b = tenants
    a.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KHA1", "name": "Công ty A"})
    backlog(suite, b.tenant_id)
    assert status(a)["pending"] == 1


def test_drain_returns_when_the_asking_tenant_has_nothing_pending(tenants, suite):
    a, b = tenants
    backlog(suite, b.tenant_id)
    relay_all(suite)
    a.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KHA1", "name": "Công ty A"})
    assert a.post("/api/v1/sync/drain?timeout=30").json() == {"pending": 0, "parked": 0}
    assert a.one("/api/v1/crm/customers", "KHA1")["name"] == "Công ty A"
    assert status(b)["pending"] == BACKLOG  # B's backlog waits for the connector, not for A's drain
    assert [e["source"]["code"] for e in a.log(rule="CUS-A1")] == ["KHA1"]


def test_the_relay_reads_a_backlog_page_after_page(tenants, suite):
    a, b = tenants
    backlog(suite, b.tenant_id, n=2500)
    assert [suite.connector.relay() for _ in range(4)] == [1000, 1000, 500, 0]
