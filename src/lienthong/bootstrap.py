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
from lienthong.kernel.migrate import upgrade
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.process import port as process_port
from lienthong.process.tables import Base as ProcessBase
from lienthong.sync.delivery import Connector
from lienthong.sync.peers import HttpPeer, LocalPeer
from lienthong.sync.tables import Base as SyncBase
from lienthong.system import port as system_port
from lienthong.system.tables import Base as SystemBase
from lienthong.system.tenants import create_tenant, first_tenant
from lienthong.system.users import resolve_token

APPS = {
    system.NAME: (SystemBase, system_port.make_port, Path(system.__file__).parent),
    accounting.NAME: (AccountingBase, accounting_port.make_port, Path(accounting.__file__).parent),
    crm.NAME: (CrmBase, crm_port.make_port, Path(crm.__file__).parent),
    process.NAME: (ProcessBase, process_port.make_port, Path(process.__file__).parent),
}
SYNC_DIR = Path(__file__).parent / "sync"
ALL = (*APPS, "sync")


@dataclass
class Suite:
    databases: dict[str, Database]
    ports: dict
    connector: Connector | None
    connector_token: str
    remote: dict[str, str] = field(default_factory=dict)
    admin_token: str | None = None  # set only when this start created the first tenant

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
        remote = dict(remote or {})
        databases: dict[str, Database] = {}
        for name in only:
            base, _, package = APPS[name] if name in APPS else (SyncBase, None, SYNC_DIR)
            db = open_database(name, base, data_dir=data_dir, url=url, schema_prefix=schema_prefix)
            if migrate:
                upgrade(db, package)
            databases[name] = db
        ports = {name: APPS[name][1](databases[name]) for name in only if name in APPS}
        token = connector_token or os.environ.get("LIENTHONG_CONNECTOR_TOKEN") or _stored_token(data_dir)
        connector = None
        if "sync" in databases:
            peers: dict = {name: LocalPeer(port) for name, port in ports.items()}
            for name, app_url in remote.items():
                peers[name] = HttpPeer(name, app_url, token)
            options = dict(connector_options or {})
            if backoff is not None:
                options["backoff"] = backoff
            connector = Connector(databases["sync"], peers, **options)
            for name, db in databases.items():
                if name != "sync":
                    db.on_commit(lambda name=name: connector.committed(name))
        suite = cls(databases=databases, ports=ports, connector=connector, connector_token=token, remote=remote)
        if "system" in databases and first_start:
            suite.admin_token = suite._first_start(admin_token or os.environ.get("LIENTHONG_ADMIN_TOKEN"))
        return suite

    def _first_start(self, admin_token: str | None) -> str | None:
        with UnitOfWork(self.databases["system"]) as uow:
            if first_tenant(uow=uow) is not None:
                return None
            _, token = create_tenant(uow=uow, name="Công ty", admin_token=admin_token)
            return token

    def new_tenant(self, name: str) -> tuple[str, str]:
        """Another company: returns (tenant id, its administrator's token)."""
        with UnitOfWork(self.databases["system"]) as uow:
            tenant, token = create_tenant(uow=uow, name=name)
            return tenant.id, token

    def authenticate(self, token: str):
        if "system" in self.databases:
            with UnitOfWork(self.databases["system"]) as uow:
                return resolve_token(uow=uow, token=token)
        return _remote_principal(self.remote["system"], token)

    def close(self) -> None:
        if self.connector:
            self.connector.stop()
            for peer in self.connector.peers.values():
                if hasattr(peer, "close"):
                    peer.close()
        for db in self.databases.values():
            db.dispose()


def _stored_token(data_dir) -> str:
    """The connector's token, kept beside the data so separate servers on one data
    folder agree; set LIENTHONG_CONNECTOR_TOKEN when they do not share a folder."""
    if data_dir is None:
        return secrets.token_urlsafe(32)
    path = Path(data_dir) / "connector.token"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


_principal_cache: dict = {}


def _remote_principal(system_url: str, token: str):
    """Ask the system app who a token is (a server hosting no system app)."""
    import time

    import httpx

    from lienthong.kernel.auth import Principal
    from lienthong.kernel.problems import Unauthorized, Unavailable

    hit = _principal_cache.get(token)
    if hit and hit[1] > time.monotonic():
        return hit[0]
    try:
        response = httpx.get(f"{system_url.rstrip('/')}/api/v1/system/me", headers={"Authorization": f"Bearer {token}"}, timeout=5)
    except httpx.HTTPError as exc:
        raise Unavailable("peer.unreachable", app="system", detail=str(exc)) from None
    if response.status_code != 200:
        raise Unauthorized("unauthorized")
    me = response.json()
    principal = Principal(tenant_id=me["tenant_id"], user_id=me["id"], user_code=me["code"], role=me["role"])
    _principal_cache[token] = (principal, time.monotonic() + 30)
    return principal


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
