"""Alembic environment of the sync database (see lienthong.kernel.migrate)."""

from lienthong.sync.tables import Base
from lienthong.kernel.migrate import run_env

run_env(Base.metadata)
