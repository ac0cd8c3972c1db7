"""codes compare without case (code_key, unique per tenant); text search without case or diacritics (search_key)

Revision ID: a61c0de5e003
Revises: 9330d1a50acd
Create Date: 2026-11-23 20:00:00
"""

from lienthong.kernel.migrate import add_code_and_search_keys, drop_code_and_search_keys

revision = "a61c0de5e003"
down_revision = "9330d1a50acd"
branch_labels = None
depends_on = None

# table: (unique index on tenant_id + code_key, the fields its search key folds)
TABLES = {
    "users": ("uq_crm_users_code_key", ("code", "name")),
    "customer_groups": ("uq_crm_customer_groups_code_key", ("code", "name")),
    "customers": ("uq_crm_customers_code_key", ("code", "name", "tax_code", "phone", "email")),
    "contacts": ("uq_crm_contacts_code_key", ("code", "name", "phone", "email")),
}


def upgrade() -> None:
    add_code_and_search_keys(TABLES)


def downgrade() -> None:
    drop_code_and_search_keys(TABLES)
