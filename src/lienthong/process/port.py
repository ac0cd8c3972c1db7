"""The process app's face to the connector."""

from __future__ import annotations

from lienthong.kernel.db import Database
from lienthong.kernel.port import AppPort, lister
from lienthong.process import users
from lienthong.process.tables import User


def make_port(db: Database) -> AppPort:
    return AppPort("process", db, handlers={"upsert_user": users.upsert}, queries={"users": lister(User, users.user_data)})
