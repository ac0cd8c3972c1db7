"""Alembic environment of the system database (see lienthong.kernel.migrate)."""

from lienthong.system.tables import Base
from lienthong.kernel.migrate import run_env

run_env(Base.metadata)
