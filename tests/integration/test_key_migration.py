"""The migration that adds code and search keys fills them for the rows already there
(issue 6, items 12 and 20), on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from pathlib import Path

from alembic import command
from sqlalchemy import select, text

from lienthong import accounting
from lienthong.accounting.tables import Base, Customer
from lienthong.kernel.db import open_database
from lienthong.kernel.migrate import config_for, upgrade
from tests.conftest import PG_URL

INITIAL = "f1e269ab9381"
PACKAGE = Path(accounting.__file__).parent


def _legacy_rows(db) -> None:
    cfg = config_for(db, PACKAGE)
    with db.engine.connect() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, INITIAL)
        insert = text("INSERT INTO customers (tenant_id, code, name, is_individual, created_at, updated_at) VALUES ('t1', :code, :name, false, '2025-01-01', '2025-01-01')")
        connection.execute(insert, [{"code": "KH1", "name": "Nguyễn Văn Đức"}, {"code": "kh1", "name": "Bản sao"}, {"code": "KH2", "name": "Trần Thị Dung"}])
        connection.commit()


def test_existing_rows_get_their_keys_and_case_twins_survive(tmp_path):
    prefix = f"m{uuid.uuid4().hex[:10]}"
    db = open_database("accounting", Base, data_dir=tmp_path, url=PG_URL, schema_prefix=prefix)
    try:
        _legacy_rows(db)
        upgrade(db, PACKAGE)
        with db.reader() as session:
            rows = session.execute(select(Customer.code, Customer.code_key, Customer.search_key).order_by(Customer.id)).all()
        assert [tuple(r) for r in rows] == [
            ("KH1", "kh1", "kh1\nnguyen van duc"),
            ("kh1", "kh1#2", "kh1\nban sao"),
            ("KH2", "kh2", "kh2\ntran thi dung"),
        ]
    finally:
        if PG_URL:
            with db.engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{db.schema}" CASCADE'))
        db.dispose()
