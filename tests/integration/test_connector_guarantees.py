"""SPEC section 12: what holds for every rule (ENG-1..ENG-7), tested on the engine."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lienthong.accounting.customers import create_customer, update_customer
from lienthong.accounting.schemas import CustomerCreate, CustomerUpdate
from lienthong.accounting.tables import Customer as AccCustomer
from lienthong.accounting.tables import Outbox as AccOutbox
from lienthong.crm.tables import Customer as CrmCustomer
from lienthong.crm.tables import Outbox as CrmOutbox
from lienthong.kernel.problems import Problem
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.sync.connections import ConnectionCreate, connect
from lienthong.sync import log
from lienthong.sync.delivery import InjectedCrash
from lienthong.sync.tables import Change, LogEntry
from tests.conftest import ADMIN


@pytest.fixture
def admin(suite):
    return suite.authenticate(ADMIN)


@pytest.fixture
def linked(suite, admin):
    with UnitOfWork(suite.connector.db) as uow:
        connect(uow=uow, principal=admin, data=ConnectionCreate(apps=["accounting", "crm"]))
    suite.connector.connections_changed()
    return suite


def add(suite, admin, code, **fields):
    with UnitOfWork(suite.databases["accounting"]) as uow:
        return create_customer(uow=uow, principal=admin, data=CustomerCreate(code=code, name=fields.pop("name", code), **fields))


def edit(suite, admin, customer_id, **fields):
    with UnitOfWork(suite.databases["accounting"]) as uow:
        return update_customer(uow=uow, principal=admin, customer_id=customer_id, data=CustomerUpdate(**fields))


def count(db, stmt):
    with db.sessions() as session:
        return session.scalar(stmt)


def crm_codes(suite) -> list[str]:
    with suite.databases["crm"].sessions() as session:
        return sorted(session.scalars(select(CrmCustomer.code)))


def test_ENG_1_a_change_and_its_event_commit_together_or_not_at_all(suite, admin):
    """ENG-1."""
    acc = suite.databases["accounting"]
    add(suite, admin, "KH1")
    assert count(acc, select(func.count()).select_from(AccOutbox)) == 1
    with pytest.raises(Problem):
        add(suite, admin, "KH2", salesperson_code="NOBODY")  # refused half-way: nothing stays
    assert count(acc, select(func.count()).select_from(AccCustomer)) == 1
    assert count(acc, select(func.count()).select_from(AccOutbox)) == 1
    with UnitOfWork(acc) as uow:  # a use case that does not commit leaves nothing either
        uow.session.add(AccCustomer(tenant_id=admin.tenant_id, code="KH3", name="x"))
    assert count(acc, select(func.count()).select_from(AccCustomer)) == 1


@pytest.mark.parametrize("point", ["after_decide", "after_apply", "after_record"])
def test_ENG_2_a_crash_at_any_step_applies_every_change_exactly_once(linked, admin, point):
    """ENG-2."""
    suite = linked
    for i in range(5):
        add(suite, admin, f"KH{i}")
    suite.connector.crash_at = point
    with pytest.raises(InjectedCrash):
        suite.connector.drain(timeout=10)
    # "restart": a new connector on the same databases, as after a kill
    from lienthong.sync.delivery import Connector

    restarted = Connector(suite.connector.db, suite.connector.peers, backoff=(0.01,))
    assert restarted.drain(timeout=10)
    assert crm_codes(suite) == [f"KH{i}" for i in range(5)]
    sync = suite.connector.db
    assert count(sync, select(func.count()).select_from(LogEntry).where(LogEntry.rule == "CUS-A1")) == 5
    # CRM wrote one event per created customer: nothing was applied twice
    assert count(suite.databases["crm"], select(func.count()).select_from(CrmOutbox).where(CrmOutbox.kind == "customers")) == 5


def test_ENG_2_a_repeated_delivery_changes_nothing(linked, admin):
    """ENG-2."""
    suite = linked
    add(suite, admin, "KH1")
    suite.connector.drain()
    port = suite.ports["crm"]
    command = {"name": "create_customer", "key": "replayed-key", "args": {"values": {"code": "KH9", "name": "x"}}}
    first = port.apply(admin.tenant_id, "accounting", [command])[0]
    second = port.apply(admin.tenant_id, "accounting", [command])[0]
    assert first["ok"] is True
    assert second["replayed"] is True
    assert second["id"] == first["id"]
    assert crm_codes(suite) == ["KH1", "KH9"]


def test_ENG_3_changes_of_one_record_apply_in_order(linked, admin):
    """ENG-3."""
    suite = linked
    customer = add(suite, admin, "KH1")
    for name in ("một", "hai", "ba", "bốn"):
        edit(suite, admin, customer.id, name=name)
    suite.connector.drain()
    with suite.databases["crm"].sessions() as session:
        assert session.scalar(select(CrmCustomer.name)) == "bốn"


def test_ENG_3_and_ENG_4_a_failing_record_is_parked_without_holding_up_others_and_retry_applies_it(linked, admin):
    """ENG-3, ENG-4."""
    suite = linked
    # CRM has KH-X already, linked to another accounting customer (not a CUS-A5 match);
    # renaming linked KH1 to KH-X fails there (duplicate code)
    add(suite, admin, "KH-Z")
    kh1 = add(suite, admin, "KH1")
    suite.connector.drain()
    with UnitOfWork(suite.databases["crm"]) as uow:
        uow.session.scalars(select(CrmCustomer).where(CrmCustomer.code == "KH-Z")).one().code = "KH-X"
        uow.commit()
    edit(suite, admin, kh1.id, code="KH-X")
    edit(suite, admin, kh1.id, name="sau")  # waits behind the parked change of the same record
    add(suite, admin, "KH2")  # another record goes through
    assert suite.connector.drain()
    assert crm_codes(suite) == ["KH-X", "KH1", "KH2"]  # KH1 keeps its old code in CRM while its rename is parked
    assert suite.connector.parked() == 1
    sync = suite.connector.db
    with sync.sessions() as session:
        parked = session.scalars(select(Change).where(Change.state == "parked")).one()
        held = session.scalars(select(Change).where(Change.state == "pending")).all()
        entry = session.scalars(select(LogEntry).where(LogEntry.outcome == "parked")).one()
    assert parked.record_code == "KH-X"
    assert parked.error_en == "The code KH-X already exists."
    assert [c.record_code for c in held] == ["KH-X"]  # the rename "sau" waits behind it
    assert entry.rule == "ENG-4"
    assert log.render(entry, "vi") == "Tạm giữ sau 3 lần thử: Mã KH-X đã tồn tại."
    assert log.render(entry, "en") == "Parked after 3 attempts: The code KH-X already exists."
    # the cause is fixed in CRM, then the administrator retries
    with UnitOfWork(suite.databases["crm"]) as uow:
        row = uow.session.scalars(select(CrmCustomer).where(CrmCustomer.code == "KH-X")).one()
        row.code = "KH-OLD"
        uow.commit()
    suite.connector.retry(admin.tenant_id, parked.id)
    assert suite.connector.drain()
    with suite.databases["crm"].sessions() as session:
        names = dict(session.execute(select(CrmCustomer.code, CrmCustomer.name)).all())
    assert names["KH-X"] == "sau"
    assert suite.connector.parked() == 0


def test_ENG_6_links_not_codes_find_the_counterpart(linked, admin):
    """ENG-6."""
    suite = linked
    kh = add(suite, admin, "KH1", name="Một")
    suite.connector.drain()
    with UnitOfWork(suite.databases["crm"]) as uow:  # someone renames the CRM code by hand
        row = uow.session.scalars(select(CrmCustomer)).one()
        row.code = "KH1-CRM"
        uow.commit()
    edit(suite, admin, kh.id, name="Hai")
    suite.connector.drain()
    with suite.databases["crm"].sessions() as session:
        rows = session.execute(select(CrmCustomer.code, CrmCustomer.name)).all()
    assert [tuple(r) for r in rows] == [("KH1-CRM", "Hai")]


def test_ENG_7_a_refused_command_leaves_no_trace_and_its_neighbours_still_apply(linked, admin):
    """ENG-7, ENG-2: the fast path's failure falls back to one savepoint per command."""
    suite = linked
    port = suite.ports["crm"]
    commands = [
        {"name": "create_customer", "key": "k1", "args": {"values": {"code": "A1", "name": "một"}}},
        {"name": "create_customer", "key": "k2", "args": {"values": {"code": "A1", "name": "trùng mã"}}},
        {"name": "create_customer_many", "key": "k3", "args": {"items": [{"code": "B1", "name": "x"}, {"code": "B1", "name": "y"}]}},
        {"name": "create_customer_many", "key": "k4", "args": {"items": [{"code": "C1", "name": "x"}, {"code": "C2", "name": "y"}]}},
    ]
    results = port.apply(admin.tenant_id, "accounting", commands)
    assert [r["ok"] for r in results] == [True, False, False, True]
    assert results[1]["status"] == 409
    assert results[1]["error_en"] == "The code A1 already exists."
    assert [i["code"] for i in results[3]["items"]] == ["C1", "C2"]
    assert crm_codes(suite) == ["A1", "C1", "C2"]
    with suite.databases["crm"].sessions() as session:
        events = session.scalars(select(CrmOutbox.record_code).where(CrmOutbox.kind == "customers")).all()
    assert sorted(events) == ["A1", "C1", "C2"]
