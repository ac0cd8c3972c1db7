"""codes compare without case (code_key, unique per tenant); text search without case or diacritics (search_key)

Revision ID: a61c0de5e002
Revises: 20c51cff2ecf
Create Date: 2026-11-23 20:00:00
"""

from lienthong.kernel.migrate import add_code_and_search_keys, drop_code_and_search_keys

revision = "a61c0de5e002"
down_revision = "20c51cff2ecf"
branch_labels = None
depends_on = None

# table: (unique index on tenant_id + code_key, the fields its search key folds)
TABLES = {
    "employees": ("uq_acc_employees_code_key", ("code", "name")),
    "customer_groups": ("uq_acc_customer_groups_code_key", ("code", "name")),
    "customers": ("uq_acc_customers_code_key", ("code", "name", "tax_code", "phone", "email")),
}


def upgrade() -> None:
    add_code_and_search_keys(TABLES)


def downgrade() -> None:
    drop_code_and_search_keys(TABLES)
