"""links: a part key, so one record may have one counterpart per part (one-to-many)

Existing links are one-to-one: their part is "" (the whole record).

Revision ID: f2b8d51e6a47
Revises: e4a1f07c2b93
Create Date: 2026-11-23 23:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = "f2b8d51e6a47"
down_revision = "e4a1f07c2b93"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("links", schema=None) as batch_op:
        batch_op.add_column(sa.Column("part", sa.String(length=64), server_default="", nullable=False))
        batch_op.drop_constraint("uq_link_a", type_="unique")
        batch_op.create_unique_constraint("uq_link_a_part", ["tenant_id", "a_app", "a_kind", "a_id", "b_app", "part"])


def downgrade() -> None:
    op.execute("DELETE FROM links WHERE part <> ''")  # one-to-one again: the parts go
    with op.batch_alter_table("links", schema=None) as batch_op:
        batch_op.drop_constraint("uq_link_a_part", type_="unique")
        batch_op.create_unique_constraint("uq_link_a", ["tenant_id", "a_app", "a_kind", "a_id", "b_app"])
        batch_op.drop_column("part")
