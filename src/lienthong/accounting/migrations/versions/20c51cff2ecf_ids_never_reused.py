"""ids are never reused: every table with an integer id gets AUTOINCREMENT on SQLite

SQLite gives a deleted top id to the next row unless the table declares
AUTOINCREMENT; the connector links and logs records by id, so an id must always
mean the same record. Each table is rebuilt with its data (batch mode). PostgreSQL's
sequences never reuse an id: nothing to do there.

Revision ID: 20c51cff2ecf
Revises: f1e269ab9381
Create Date: 2026-11-23 19:55:00
"""

from alembic import op


revision = '20c51cff2ecf'
down_revision = 'f1e269ab9381'
branch_labels = None
depends_on = None

TABLES = ('applied_events', 'customer_groups', 'employees', 'outbox', 'customers')


def _rebuild(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}):
            pass


def upgrade() -> None:
    _rebuild(True)


def downgrade() -> None:
    _rebuild(False)
