"""Alembic environment of the process database (see lienthong.kernel.migrate)."""

from lienthong.process.tables import Base
from lienthong.kernel.migrate import run_env

run_env(Base.metadata)
