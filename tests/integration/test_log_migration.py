"""The migration that makes the log keep reason names and parameters keeps the entries
written before it readable, in both languages, on SQLite and PostgreSQL (issue 7)."""

from __future__ import annotations

import uuid
from pathlib import Path

from alembic import command
from sqlalchemy import select, text

from lienthong import sync
from lienthong.kernel.db import open_database
from lienthong.kernel.migrate import config_for, upgrade
from lienthong.sync import log
from lienthong.sync.tables import Base, LogEntry
from tests.conftest import PG_URL

BEFORE = "b7e2c41d9a10"  # the last revision whose log stored both texts
PACKAGE = Path(sync.__file__).parent


def _legacy_entry(db) -> None:
    cfg = config_for(db, PACKAGE)
    with db.engine.connect() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, BEFORE)
        connection.execute(
            text("INSERT INTO log (tenant_id, at, rule, outcome, reason_vi, reason_en, source_code) VALUES ('t1', '2026-01-01', 'CUS-A1', 'applied', :vi, :en, 'KH1')"),
            {"vi": "Đã tạo khách hàng KH1 trên CRM.", "en": "Customer KH1 was created in CRM."},
        )
        connection.commit()


def test_entries_written_before_read_as_they_were_in_both_languages(tmp_path):
    db = open_database("sync", Base, data_dir=tmp_path, url=PG_URL, schema_prefix=f"m{uuid.uuid4().hex[:10]}")
    try:
        _legacy_entry(db)
        upgrade(db, PACKAGE)
        with db.reader() as session:
            entry = session.scalars(select(LogEntry)).one()
            assert log.render(entry, "vi") == "Đã tạo khách hàng KH1 trên CRM."
            assert log.render(entry, "en") == "Customer KH1 was created in CRM."
    finally:
        if PG_URL:
            with db.engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{db.schema}" CASCADE'))
        db.dispose()


def test_an_entry_stores_its_reason_by_name_and_renders_it_when_read(suite):
    from lienthong.kernel.i18n import term
    from lienthong.kernel.unit_of_work import UnitOfWork
    from lienthong.sync.rules import by_id

    row = log.entry(by_id("CGR-2"), "applied", tenant_id="t1", params={"code": "NH1", "how": term("how.created")})
    assert row["reason"] == "applied"
    assert row["params"] == {"code": "NH1", "how": {"t": "how.created"}}
    with UnitOfWork(suite.connector.db) as uow:
        log.write(uow.session, [row])
        uow.commit()
    with suite.connector.db.reader() as session:
        entry = session.scalars(select(LogEntry)).one()
        assert log.render(entry, "vi") == "Nhóm khách hàng NH1 được đồng bộ kèm khách hàng (tạo mới)."
        assert log.render(entry, "en") == "Customer group NH1 went along with the customer (created)."
