"""kernel.bulk writes rows that read back exactly as SQLAlchemy would have written them."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import JSON, Column, Integer, MetaData, Numeric, Table, select

from lienthong.kernel.bulk import insert_rows
from lienthong.kernel.outbox import emit, emit_many, event_ids, read_after
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.sync.tables import Change, LogEntry


def test_bulk_rows_read_back_like_orm_rows(suite):
    db = suite.connector.db
    at = datetime(2026, 11, 23, 8, 30, 15, 123456, tzinfo=timezone.utc)
    before = datetime.now(timezone.utc)
    row = {"tenant_id": "t", "rule": "CUS-A1", "outcome": "applied", "reason": "applied", "params": {"code": "KH1"}, "source_code": "KH1", "at": at}
    with UnitOfWork(db) as uow:
        insert_rows(uow.session, LogEntry.__table__, [row, {k: v for k, v in row.items() if k != "at"} | {"source_code": "KH2"}])
        insert_rows(uow.session, Change.__table__, [{"tenant_id": "t", "source_app": "crm", "source_position": 1, "event_id": "e1", "kind": "customers", "type": "CustomerCreated", "record_id": 7, "record_code": "KH1", "record_key": "k", "data": {"name": "Khách", "tags": [1, 2], "vip": True}, "changed": None, "occurred_at": "x"}])
        uow.commit()
    with db.sessions() as session:
        entries = session.scalars(select(LogEntry).order_by(LogEntry.id)).all()
        change = session.scalars(select(Change)).one()
    assert entries[0].at.replace(tzinfo=timezone.utc) == at
    assert entries[0].params == {"code": "KH1"}
    assert abs(entries[1].at.replace(tzinfo=timezone.utc) - before) < timedelta(minutes=1)  # the column's default: now
    assert change.data == {"name": "Khách", "tags": [1, 2], "vip": True}
    assert change.changed is None
    assert change.state == "pending"  # column defaults applied
    assert change.attempts == 0


# -- issue 7: money as Decimal in the bulk writer and in event JSON ------------------------
MONEY = MetaData()
PRICES = Table("bulk_prices", MONEY, Column("id", Integer, primary_key=True), Column("amount", Numeric(18, 2)), Column("terms", JSON))


def test_a_decimal_is_written_by_the_bulk_writer_as_sqlalchemy_writes_it(suite):
    """Before: SQLite's driver refused a Decimal ('unsupported type') and the JSON column's
    json.dumps raised TypeError; Decimal in JSON is carried as its exact string."""
    db = suite.databases["accounting"]
    MONEY.create_all(db.engine)
    with UnitOfWork(db) as uow:
        insert_rows(uow.session, PRICES, [{"amount": Decimal("1250000.50"), "terms": {"discount": Decimal("0.10"), "lines": [Decimal("3")]}}])
        uow.commit()
    with db.reader() as session:
        row = session.execute(select(PRICES)).one()
    assert row.amount == Decimal("1250000.50")
    assert row.terms == {"discount": "0.10", "lines": ["3"]}


def test_an_event_carries_a_decimal_as_a_string_in_its_json(suite):
    """Before: emitting an event whose data held a Decimal raised TypeError (json.dumps)."""
    db = suite.databases["accounting"]
    with UnitOfWork(db) as uow:
        emit(uow, tenant_id="t", kind="invoices", type="InvoiceCreated", record_id=1, record_code="HD1", data={"total": Decimal("1250000.50")})
        uow.commit()
    with UnitOfWork(db) as uow:
        emit_many(uow, [{"tenant_id": "t", "kind": "invoices", "type": "InvoiceCreated", "record_id": 2, "record_code": "HD2", "data": {"total": Decimal("99.90")}}])
        uow.commit()
    items = read_after(db, 0, 10)["items"]
    assert [e["data"] for e in items] == [{"total": "1250000.50"}, {"total": "99.90"}]


def test_bulk_event_ids_are_distinct_time_ordered_uuids():
    first, later = event_ids(1000), event_ids(1)
    assert len(set(first)) == 1000
    assert {uuid.UUID(i).version for i in first} == {7}
    assert {uuid.UUID(i).variant for i in first} == {uuid.RFC_4122}
    assert all(str(uuid.UUID(i)) == i for i in first)  # the canonical spelling
    assert max(i[:13] for i in first) <= later[0][:13]  # the time comes first
