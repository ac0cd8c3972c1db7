"""Alembic environment of the accounting database (see lienthong.kernel.migrate)."""

from lienthong.accounting.tables import Base
from lienthong.kernel.migrate import run_env

run_env(Base.metadata)
