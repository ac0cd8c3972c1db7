"""a contact's customer (contacts move with handover and merge); the log of owner changes (who handed what to whom)

Revision ID: e9a1b2c3d403
Revises: a8d1c3e50002
Create Date: 2026-11-23 22:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "e9a1b2c3d403"
down_revision = "a8d1c3e50002"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("contacts", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.add_column(sa.Column("customer_id", BigId, nullable=True))
        batch_op.create_index(batch_op.f("ix_contacts_customer_id"), ["customer_id"], unique=False)
        batch_op.create_foreign_key("fk_contacts_customer_id_customers", "customers", ["customer_id"], ["id"], ondelete="SET NULL")
    op.create_table(
        "owner_changes",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("record_id", BigId, nullable=False),
        sa.Column("record_code", sa.String(length=50), nullable=False),
        sa.Column("from_owner_code", sa.String(length=50), nullable=True),
        sa.Column("to_owner_code", sa.String(length=50), nullable=True),
        sa.Column("by_user_code", sa.String(length=50), nullable=False),
        sa.Column("via", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("owner_changes") as batch_op:
        batch_op.create_index(batch_op.f("ix_owner_changes_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_owner_changes_record_id"), ["record_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("owner_changes") as batch_op:
        batch_op.drop_index(batch_op.f("ix_owner_changes_record_id"))
        batch_op.drop_index(batch_op.f("ix_owner_changes_tenant_id"))
    op.drop_table("owner_changes")
    with op.batch_alter_table("contacts", recreate="always", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_constraint("fk_contacts_customer_id_customers", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_contacts_customer_id"))
        batch_op.drop_column("customer_id")
