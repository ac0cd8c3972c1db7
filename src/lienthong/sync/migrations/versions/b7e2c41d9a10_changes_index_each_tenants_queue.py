"""changes: index each tenant's queue in order (state, tenant_id, id), replacing (state, id)

Delivery takes its batches round-robin across tenants, so one tenant's backlog
never holds up another's changes; status and drain count one tenant's changes.

Revision ID: b7e2c41d9a10
Revises: c68eac64c115
Create Date: 2026-11-23 19:50:00
"""

from alembic import op


revision = "b7e2c41d9a10"
down_revision = "c68eac64c115"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.create_index("ix_changes_state_tenant", ["state", "tenant_id", "id"], unique=False)
        batch_op.drop_index("ix_changes_state_id")


def downgrade() -> None:
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.create_index("ix_changes_state_id", ["state", "id"], unique=False)
        batch_op.drop_index("ix_changes_state_tenant")
