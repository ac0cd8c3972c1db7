"""Issue 6, item 1: an id, once given, always means the same record, in every table
of every app and of the connector, on both databases (SQLite reuses a deleted top id
unless the table declares AUTOINCREMENT)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from alembic import command
from alembic.migration import MigrationContext
from alembic.operations import Operations
from alembic.script import ScriptDirectory
from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, MetaData, String, Table, delete, insert, select

from lienthong.bootstrap import APPS, SYNC_DIR
from lienthong.kernel.db import open_database
from lienthong.kernel.migrate import config_for, run
from lienthong.kernel.money import MoneyColumn
from lienthong.sync.tables import Base as SyncBase
from tests.conftest import PG_URL

# The revision of each app that makes ids never reused; the tables are filled just before it.
REVISIONS = {"system": "cb1834fcfc2c", "accounting": "20c51cff2ecf", "crm": "9330d1a50acd", "process": "ec5067ada4bb", "sync": "c68eac64c115"}


def _package(name: str):
    return APPS[name] if name in APPS else (SyncBase, None, SYNC_DIR)


def _value(table: Table, column, n: int, made: dict):
    """A plausible value for ``column`` of the ``n``-th test row of ``table``."""
    if column.foreign_keys:
        return made[next(iter(column.foreign_keys)).column.table.name][0]  # the oldest: the newest may go
    if isinstance(column.type, Boolean):
        return True
    if isinstance(column.type, DateTime):
        return dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    if isinstance(column.type, Date):
        return dt.date(2026, 1, 1)
    if isinstance(column.type, MoneyColumn):
        return Decimal(n)
    if isinstance(column.type, Float):
        return 1.5
    if isinstance(column.type, JSON):
        return {"n": n}
    if isinstance(column.type, Integer):
        return n
    if isinstance(column.type, String):
        return f"{column.name}{n}"[: column.type.length or 50]
    raise AssertionError(f"no test value for {table.name}.{column.name}: {column.type!r}")


def _serial_id(table: Table):
    """The table's integer id column, when the database gives the ids."""
    pk = list(table.primary_key.columns)
    return pk[0] if len(pk) == 1 and isinstance(pk[0].type, Integer) else None


def _add(conn, table: Table, n: int, made: dict):
    serial = _serial_id(table)
    row = {c.name: _value(table, c, n, made) for c in table.columns if c is not serial}
    key = conn.execute(insert(table).values(row)).inserted_primary_key[0]
    made.setdefault(table.name, []).append(key)
    return key


def _fill(conn, tables: list[Table]) -> dict:
    """Two rows in every table (parents first); {table: [ids]}."""
    made: dict = {}
    for n in (1, 2):
        for table in tables:
            _add(conn, table, n, made)
    return made


def _delete_newest_and_add(conn, table: Table, made: dict) -> tuple[int, int]:
    serial = _serial_id(table)
    newest = made[table.name][-1]
    conn.execute(delete(table).where(serial == newest))
    made[table.name].pop()
    return newest, _add(conn, table, 3, made)


def test_every_table_of_every_app_never_gives_a_deleted_id_again(suite):
    for name, db in suite.databases.items():
        tables = [t for t in db.base.metadata.sorted_tables]
        with db.engine.begin() as conn:
            made = _fill(conn, tables)
        serial_tables = [t for t in reversed(tables) if _serial_id(t) is not None]  # children first
        assert serial_tables, name
        for table in serial_tables:
            with db.engine.begin() as conn:
                deleted, new = _delete_newest_and_add(conn, table, made)
            assert new > deleted, (name, table.name, deleted, new)


@pytest.mark.skipif(bool(PG_URL), reason="the revisions rebuild SQLite tables only (PostgreSQL's sequences never reuse)")
def test_the_migration_keeps_every_row_and_then_ids_are_never_reused(tmp_path):
    for name, revision in REVISIONS.items():
        base, _, package = _package(name)
        db = open_database(name, base, data_dir=tmp_path / name)
        try:
            before = ScriptDirectory.from_config(config_for(db, package)).get_revision(revision).down_revision
            run(db, package, command.upgrade, before)
            old = MetaData()
            old.reflect(db.engine)
            tables = [t for t in old.sorted_tables if t.name != "alembic_version"]
            with db.engine.begin() as conn:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                _fill(conn, tables)
                rows = {t.name: conn.execute(select(t).order_by(*t.primary_key.columns)).all() for t in tables}
            run(db, package, command.upgrade, revision)  # this revision, not what later ones add
            new = MetaData()
            new.reflect(db.engine)
            with db.engine.begin() as conn:
                for table in tables:
                    assert conn.execute(select(new.tables[table.name]).order_by(*new.tables[table.name].primary_key.columns)).all() == rows[table.name], (name, table.name)
                made = {t.name: [r._mapping[t.primary_key.columns[0].name] for r in rows[t.name]] for t in tables}
                for table in reversed([new.tables[t.name] for t in tables]):
                    if _serial_id(table) is not None:
                        deleted, added = _delete_newest_and_add(conn, table, made)
                        assert added > deleted, (name, table.name)
        finally:
            db.dispose()


@pytest.mark.skipif(bool(PG_URL), reason="SQLite only: Alembic's batch mode rebuilds SQLite tables")
def test_a_later_migration_that_rebuilds_a_table_does_not_bring_id_reuse_back(tmp_path):
    base, _, package = _package("accounting")
    db = open_database("accounting", base, data_dir=tmp_path)
    try:
        run(db, package, command.upgrade, "head")
        with db.engine.begin() as conn:  # what a later batch migration does to a table
            ops = Operations(MigrationContext.configure(conn))
            with ops.batch_alter_table("customers", recreate="always"):
                pass
        run(db, package, command.upgrade, "head")
        table = db.base.metadata.tables["customers"]
        with db.engine.begin() as conn:
            made = _fill(conn, [t for t in db.base.metadata.sorted_tables if t.name in ("customer_groups", "employees", "customers")])
            deleted, added = _delete_newest_and_add(conn, table, made)
        assert added > deleted
    finally:
        db.dispose()
