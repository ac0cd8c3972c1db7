"""products, product groups and price policies (CRM's own, and the parts of accounting policies)

Amounts are exact: NUMERIC(19, 4) on PostgreSQL, decimal text on SQLite
(lienthong.kernel.money.MoneyColumn).

Revision ID: a8d1c3e50002
Revises: a61c0de5e003
Create Date: 2026-11-23 22:36:32.256302
"""

from alembic import op
import sqlalchemy as sa

from lienthong.kernel.money import MoneyColumn


revision = 'a8d1c3e50002'
down_revision = 'a61c0de5e003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('product_groups',
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=True),
    sa.Column('code_key', sa.String(length=200), nullable=True),
    sa.Column('search_key', sa.Text(), nullable=True),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('tenant_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('tenant_id', 'code', name='uq_crm_product_groups_code'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('product_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_groups_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('uq_crm_product_groups_code_key', ['tenant_id', 'code_key'], unique=True)

    op.create_table('price_policies',
    sa.Column('code', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('source_policy_code', sa.String(length=50), nullable=True),
    sa.Column('product_group_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('code_key', sa.String(length=200), nullable=True),
    sa.Column('search_key', sa.Text(), nullable=True),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('tenant_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['product_group_id'], ['product_groups.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('tenant_id', 'code', name='uq_crm_price_policies_code'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('price_policies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_price_policies_product_group_id'), ['product_group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_price_policies_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('uq_crm_price_policies_code_key', ['tenant_id', 'code_key'], unique=True)
        batch_op.create_index('uq_crm_price_policies_part', ['tenant_id', 'source_policy_code', 'product_group_id'], unique=True)

    op.create_table('products',
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('group_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('unit', sa.String(length=200), nullable=True),
    sa.Column('unit_price', MoneyColumn(), nullable=False),
    sa.Column('vat_rate', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('code_key', sa.String(length=200), nullable=True),
    sa.Column('search_key', sa.Text(), nullable=True),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('tenant_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['product_groups.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('tenant_id', 'code', name='uq_crm_products_code'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_products_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_products_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('uq_crm_products_code_key', ['tenant_id', 'code_key'], unique=True)

    op.create_table('price_policy_items',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('policy_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('product_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('price', MoneyColumn(), nullable=True),
    sa.Column('discount_percent', MoneyColumn(), nullable=True),
    sa.ForeignKeyConstraint(['policy_id'], ['price_policies.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('price_policy_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_price_policy_items_policy_id'), ['policy_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_price_policy_items_product_id'), ['product_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('price_policy_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_price_policy_items_product_id'))
        batch_op.drop_index(batch_op.f('ix_price_policy_items_policy_id'))

    op.drop_table('price_policy_items')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_index('uq_crm_products_code_key')
        batch_op.drop_index(batch_op.f('ix_products_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_products_group_id'))

    op.drop_table('products')
    with op.batch_alter_table('price_policies', schema=None) as batch_op:
        batch_op.drop_index('uq_crm_price_policies_part')
        batch_op.drop_index('uq_crm_price_policies_code_key')
        batch_op.drop_index(batch_op.f('ix_price_policies_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_price_policies_product_group_id'))

    op.drop_table('price_policies')
    with op.batch_alter_table('product_groups', schema=None) as batch_op:
        batch_op.drop_index('uq_crm_product_groups_code_key')
        batch_op.drop_index(batch_op.f('ix_product_groups_tenant_id'))

    op.drop_table('product_groups')
