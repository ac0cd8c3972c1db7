"""log: keep each reason's name and parameters, rendered when read, instead of its text in both languages

Entries written before keep their text: ``reason`` stays empty and ``params`` holds
``{"vi": ..., "en": ...}``, which the log renders as it is (see ``sync.log``).

Revision ID: e4a1f07c2b93
Revises: b7e2c41d9a10
Create Date: 2026-11-23 22:50:00
"""

from alembic import op
import sqlalchemy as sa


revision = "e4a1f07c2b93"
down_revision = "b7e2c41d9a10"
branch_labels = None
depends_on = None


def _pair(dialect: str, vi: str, en: str) -> str:
    """SQL for the JSON object {"vi": vi, "en": en} in this database's dialect."""
    if dialect == "postgresql":
        return f"json_build_object('vi', {vi}, 'en', {en})"
    return f"json_object('vi', {vi}, 'en', {en})"


def upgrade() -> None:
    with op.batch_alter_table("log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("params", sa.JSON(), nullable=True))
    dialect = op.get_bind().dialect.name
    op.execute(f"UPDATE log SET params = {_pair(dialect, 'reason_vi', 'reason_en')}")
    with op.batch_alter_table("log", schema=None) as batch_op:
        batch_op.drop_column("reason_vi")
        batch_op.drop_column("reason_en")


def downgrade() -> None:
    """Every entry gets its text back in both languages, rendered from the rulebook."""
    from lienthong.sync.log import render

    with op.batch_alter_table("log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason_vi", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("reason_en", sa.Text(), nullable=True))
    bind = op.get_bind()
    log = sa.table("log", sa.column("id", sa.BigInteger), sa.column("rule", sa.String), sa.column("outcome", sa.String), sa.column("reason", sa.String), sa.column("params", sa.JSON), sa.column("reason_vi", sa.Text), sa.column("reason_en", sa.Text))
    rows = bind.execute(sa.select(log.c.id, log.c.rule, log.c.outcome, log.c.reason, log.c.params)).all()
    for row in rows:
        bind.execute(sa.update(log).where(log.c.id == row.id).values(reason_vi=render(row, "vi"), reason_en=render(row, "en")))
    with op.batch_alter_table("log", schema=None) as batch_op:
        batch_op.alter_column("reason_vi", nullable=False)
        batch_op.alter_column("reason_en", nullable=False)
        batch_op.drop_column("reason")
        batch_op.drop_column("params")
