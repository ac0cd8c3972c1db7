"""log: index each tenant's entries by rule; drop the code index no query could use

A filter by rule read the rule's entries of every tenant, newest first, to find one
tenant's; a code filter looks at the source and the target code at once, which an index
of the source code alone cannot serve. One index fewer to write per decision.

Revision ID: d5f1a8c3e902
Revises: a9c3e7b15d20
Create Date: 2026-11-24 08:50:00
"""

from alembic import op


revision = "d5f1a8c3e902"
down_revision = "a9c3e7b15d20"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("log", schema=None) as batch_op:
        batch_op.drop_index("ix_log_rule")
        batch_op.drop_index("ix_log_source_code")
        batch_op.create_index("ix_log_tenant_rule", ["tenant_id", "rule", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("log", schema=None) as batch_op:
        batch_op.drop_index("ix_log_tenant_rule")
        batch_op.create_index("ix_log_source_code", ["source_code"], unique=False)
        batch_op.create_index("ix_log_rule", ["rule"], unique=False)
