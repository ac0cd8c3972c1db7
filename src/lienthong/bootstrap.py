"""The composition root: builds the databases, the apps, the connector and the web app.

Nothing is built at import time. ``Suite.open`` takes where the data lives (a data
folder of SQLite files, or a PostgreSQL URL) and which apps this process hosts;
apps hosted elsewhere are reached over HTTP by URL.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from lienthong import accounting, crm, process, system
from lienthong.accounting import port as accounting_port
from lienthong.accounting.tables import Base as AccountingBase
from lienthong.crm import port as crm_port
from lienthong.crm.tables import Base as CrmBase
from lienthong.kernel.db import Database, open_database
from lienthong.kernel.identity import RemoteIdentity
from lienthong.kernel.migrate import upgrade
from lienthong.kernel.runtime import tune_gc
from lienthong.kernel.private import private_dir, private_file
from lienthong.kernel.problems import Unavailable
from lienthong.kernel.settings import settings
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.process import port as process_port
from lienthong.process.tables import Base as ProcessBase
from lienthong.sync.delivery import Connector
from lienthong.sync.guards import GuardDesk, RemoteDesk
from lienthong.sync.peers import HttpPeer, LocalPeer
from lienthong.sync.tables import Base as SyncBase
from lienthong.system import port as system_port
from lienthong.system.tables import Base as SystemBase
from lienthong.system.tenants import check_admin_token, create_tenant, first_tenant
from lienthong.system.users import resolve_token

APPS = {
    system.NAME: (SystemBase, system_port.make_port, Path(system.__file__).parent),
    accounting.NAME: (AccountingBase, accounting_port.make_port, Path(accounting.__file__).parent),
    crm.NAME: (CrmBase, crm_port.make_port, Path(crm.__file__).parent),
    process.NAME: (ProcessBase, process_port.make_port, Path(process.__file__).parent),
}
# the apps' contracts, known to this code wherever an app runs: the connector checks the
# events it reads from an app in another server against that app's declared models
CONTRACTS = {m.CONTRACT.app: m.CONTRACT for m in (system_port, accounting_port, crm_port, process_port)}
SYNC_DIR = Path(__file__).parent / "sync"
ALL = (*APPS, "sync")


@dataclass
class Suite:
    databases: dict[str, Database]
    ports: dict
    connector: Connector | None
    connector_token: str
    remote: dict[str, str] = field(default_factory=dict)
    admin_token: str | None = None  # set only when this start created the first tenant and generated its token
    identity: RemoteIdentity | None = None  # who a token is, when the system app is elsewhere
    guards: GuardDesk | RemoteDesk | None = None  # who answers the apps' guards (kernel.guards)

    @classmethod
    def open(
        cls,
        *,
        data_dir: str | Path | None = None,
        url: str | None = None,
        only: tuple[str, ...] = ALL,
        remote: dict[str, str] | None = None,
        admin_token: str | None = None,
        connector_token: str | None = None,
        schema_prefix: str = "lt",
        backoff: tuple[float, ...] | None = None,
        migrate: bool = True,
        first_start: bool = True,
        connector_options: dict | None = None,
    ) -> "Suite":
        tune_gc()
        remote = dict(remote or {})
        admin_token = admin_token or settings().admin_token
        if admin_token is not None and "system" in only and first_start:
            check_admin_token(admin_token)  # before anything is made
        databases: dict[str, Database] = {}
        for name in only:
            base, _, package = APPS[name] if name in APPS else (SyncBase, None, SYNC_DIR)
            db = open_database(name, base, data_dir=data_dir, url=url, schema_prefix=schema_prefix)
            if migrate:
                upgrade(db, package)
            databases[name] = db
        ports = {name: APPS[name][1](databases[name]) for name in only if name in APPS}
        token = connector_token or settings().connector_token or _stored_token(data_dir)
        connector = None
        if "sync" in databases:
            peers: dict = {name: LocalPeer(port) for name, port in ports.items()}
            for name, app_url in remote.items():
                if name == "sync":
                    continue
                peers[name] = HttpPeer(name, app_url, token, events=CONTRACTS[name].events if name in CONTRACTS else ())
            options = dict(connector_options or {})
            if backoff is not None:
                options["backoff"] = backoff
            connector = Connector(databases["sync"], peers, **options)
            desk = GuardDesk(databases["sync"], peers)
            for name, db in databases.items():
                if name != "sync":
                    db.on_commit(lambda name=name: connector.committed(name))
                    db.guards = desk
        elif "sync" in remote:  # the connector runs in another server: its guards are asked there
            desk = RemoteDesk(remote["sync"], token)
            for db in databases.values():
                db.guards = desk
        else:
            desk = None
        identity = RemoteIdentity(remote["system"]) if "system" not in databases and "system" in remote else None
        suite = cls(databases=databases, ports=ports, connector=connector, connector_token=token, remote=remote, identity=identity, guards=desk)
        if "system" in databases and first_start:
            suite.admin_token = suite._first_start(admin_token)
        return suite

    def _first_start(self, admin_token: str | None) -> str | None:
        """Create the first tenant if there is none; the administrator's token when this
        start generated it (to be shown once), else None (none made, or the operator chose it)."""
        with UnitOfWork(self.databases["system"]) as uow:
            if first_tenant(uow=uow) is not None:
                return None
            _, token = create_tenant(uow=uow, name="Công ty", admin_token=admin_token)
            return None if admin_token else token

    def new_tenant(self, name: str) -> tuple[str, str]:
        """Another company: returns (tenant id, its administrator's token)."""
        with UnitOfWork(self.databases["system"]) as uow:
            tenant, token = create_tenant(uow=uow, name=name)
            return tenant.id, token

    def authenticate(self, token: str):
        """The principal of a bearer token: asked of the system app here, or of its server."""
        if "system" in self.databases:
            with UnitOfWork(self.databases["system"]) as uow:
                return resolve_token(uow=uow, token=token)
        if self.identity is None:
            raise Unavailable("peer.unreachable", app="system", detail="--peer system=URL")
        return self.identity(token)

    def close(self) -> None:
        if self.connector:
            self.connector.stop()
            for peer in self.connector.peers.values():
                if hasattr(peer, "close"):
                    peer.close()
        if self.identity is not None:
            self.identity.close()
        if isinstance(self.guards, RemoteDesk):
            self.guards.close()
        for db in self.databases.values():
            db.dispose()


def installed(*, data_dir: str | Path | None = None, url: str | None = None, schema_prefix: str = "lt") -> bool:
    """Whether an installation (the system app's database with its tenants) is there,
    found without creating anything: commands other than ``serve`` refuse to make one."""
    if not url:
        return data_dir is not None and (Path(data_dir) / "system.sqlite3").is_file()
    from sqlalchemy import create_engine, inspect

    engine = create_engine(url)
    try:
        return inspect(engine).has_table("tenants", schema=f"{schema_prefix}_system")
    finally:
        engine.dispose()


def _stored_token(data_dir) -> str:
    """The connector's token, kept beside the data so separate servers on one data
    folder agree; set LIENTHONG_CONNECTOR_TOKEN when they do not share a folder."""
    if data_dir is None:
        return secrets.token_urlsafe(32)
    path = private_dir(data_dir) / "connector.token"
    if not path.exists():
        private_file(path).write_text(secrets.token_urlsafe(32))
    return path.read_text().strip()


def connector_worker(settings: dict, reader) -> None:
    """The body of the connector's worker process (see :mod:`lienthong.sync.worker`):
    the same connector on the same databases, taking turns with the server through
    the lock file, woken by the server's commits through ``reader`` (a pipe); it ends
    with its server, on SIGTERM, or by itself when the server is gone."""
    from lienthong.sync.locking import ProcessLock
    from lienthong.sync.worker import Waiter, end_with_server, lock_path

    parent = settings["parent"]
    end_with_server(parent)
    wake = Waiter(reader)
    suite = Suite.open(
        data_dir=settings["data_dir"],
        url=settings["url"],
        only=settings["only"],
        remote=settings["remote"],
        connector_token=settings["connector_token"],
        migrate=False,
        first_start=False,
        connector_options={"lock": ProcessLock(lock_path(settings["data_dir"])), "wake": wake, "watch_commits": False, "poll": 0.5},
    )
    try:
        suite.connector.run_forever(alive=lambda: not wake.server_gone and os.getppid() == parent)
    finally:
        suite.close()
