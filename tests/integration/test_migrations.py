"""Each app's database is made by its own Alembic migrations, and they match its tables."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect


def test_every_app_database_is_migrated_to_exactly_its_tables(suite):
    for name, db in suite.databases.items():
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), db.base.metadata)
            tables = set(inspect(conn).get_table_names())
        assert diff == [], (name, diff)
        assert tables == set(db.base.metadata.tables) | {"alembic_version"}, name


def test_each_app_keeps_its_own_database(suite):
    urls = {str(db.engine.url) + (db.schema or "") for db in suite.databases.values()}
    assert sorted(suite.databases) == ["accounting", "crm", "process", "sync", "system"]
    assert len(urls) == 5
