"""kernel.bulk writes rows that read back exactly as SQLAlchemy would have written them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from lienthong.kernel.bulk import insert_rows
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
