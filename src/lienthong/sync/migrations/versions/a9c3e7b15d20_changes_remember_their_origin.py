"""changes: remember the app a change came from, so it travels on but never back there

Revision ID: a9c3e7b15d20
Revises: f2b8d51e6a47
Create Date: 2026-11-23 23:10:00
"""

from alembic import op
import sqlalchemy as sa


revision = "a9c3e7b15d20"
down_revision = "f2b8d51e6a47"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("origin_app", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_column("origin_app")
