"""Alembic environment of the crm database (see lienthong.kernel.migrate)."""

from lienthong.crm.tables import Base
from lienthong.kernel.migrate import run_env

run_env(Base.metadata)
