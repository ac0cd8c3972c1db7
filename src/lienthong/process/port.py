"""The process app's face to the connector: its contract."""

from __future__ import annotations

from lienthong.kernel.contracts import Command, Contract
from lienthong.kernel.db import Database
from lienthong.kernel.port import AppPort, lister
from lienthong.kernel.sync_handlers import UserCopy
from lienthong.process import events, users
from lienthong.process.tables import User

CONTRACT = Contract("process", events=events.EVENTS, commands=(Command("upsert_user", users.upsert, UserCopy),), queries={"users": lister(User, users.user_data)})


def make_port(db: Database) -> AppPort:
    return AppPort.of(CONTRACT, db)
