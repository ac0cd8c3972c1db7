"""codes compare without case (code_key, unique per tenant); text search without case or diacritics (search_key)

Revision ID: a61c0de5e001
Revises: cb1834fcfc2c
Create Date: 2026-11-23 20:00:00
"""

from lienthong.kernel.migrate import add_code_and_search_keys, drop_code_and_search_keys

revision = "a61c0de5e001"
down_revision = "cb1834fcfc2c"
branch_labels = None
depends_on = None

# table: (unique index on tenant_id + code_key, the fields its search key folds)
TABLES = {
    "employees": ("uq_employees_code_key", ("code", "name", "email")),
    "users": ("uq_users_code_key", ("code", "name", "email")),
}


def upgrade() -> None:
    add_code_and_search_keys(TABLES)


def downgrade() -> None:
    drop_code_and_search_keys(TABLES)
