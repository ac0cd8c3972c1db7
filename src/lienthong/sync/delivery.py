"""The connector: read every app's outbox in order, decide, apply, record.

Each step lives in its own module, mixed into :class:`Connector` here:
:mod:`~lienthong.sync.relay`, :mod:`~lienthong.sync.decide`,
:mod:`~lienthong.sync.apply` and :mod:`~lienthong.sync.record`.
A change goes through three transactions, so a crash anywhere loses nothing and
applies nothing twice:

1. *relay* — events are copied from an app's outbox into the queue, and the read
   position moves, in one transaction of the connector's database;
2. *decide* — the rulebook's decisions are stored with the change;
3. *apply* and *record* — each target app applies the commands with their keys (a
   replay returns the stored outcome), then links, log entries and the change's new
   state are written in one transaction.

Changes of one record go one at a time, in order; a record whose change keeps
failing is parked and holds back only its own later changes.
"""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, select

from lienthong.kernel.contracts import ContractError
from lienthong.kernel.db import Database
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.sync import contracts, log
from lienthong.sync.apply import Apply
from lienthong.sync.decide import ACTIVE, Decide
from lienthong.sync.engine import Batch
from lienthong.sync.peers import PeerUnavailable
from lienthong.sync.record import Record
from lienthong.sync.relay import Relay
from lienthong.sync.rules import EVENT_RULES, Rule
from lienthong.sync.rules.bulk import PASSES
from lienthong.sync.tables import Change, Connection, ReadPosition


class InjectedCrash(BaseException):
    """Raised at a named point when a test asks for it (``Connector.crash_at``)."""


class Connector(Relay, Decide, Apply, Record):
    def __init__(self, db: Database, peers: dict, *, batch_size: int = 200, backoff: tuple[float, ...] = (0.1, 0.5, 2.0), poll: float = 1.0, lock=None, wake=None, watch_commits: bool = True, rules: list[Rule] | None = None):
        self.db = db
        self.peers = peers
        self.rules = EVENT_RULES if rules is None else rules  # in precedence (sync.rules.in_precedence)
        self._rules_by_id = {r.id: r for r in self.rules}
        self._models: dict[str, dict] = {}  # app: {event type: its declared model} (sync.relay)
        self._onward: dict[tuple[str, str, str], bool] = {}  # (app, kind, origin): may a caused change travel on?
        self._needs = contracts.needs(self.rules, PASSES)
        # a name no app declares fails here, at start-up; an app that cannot be asked yet waits
        self._unchecked: dict[str, str] = contracts.check(peers, self.rules, PASSES)
        self.batch_size = batch_size
        self.backoff = backoff  # waits between attempts; a change is parked after len(backoff)+1 failures
        self.poll = poll
        self.lock = lock or threading.RLock()  # a ProcessLock when a worker process shares the queue
        self.wake = wake or threading.Event()  # a worker process: its end of the pipe from the server (sync.worker)
        # True when this process sees every local commit (its apps call committed());
        # a worker process does not, so it reads every outbox on each pass.
        self.watch_commits = watch_commits
        self.reachable: dict[str, dict] = {name: {"reachable": name not in self._unchecked, "error": self._unchecked.get(name)} for name in peers}
        self.crash_at: str | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._connections: dict | None = None
        self._dirty: set[str] = set(peers)  # in-process apps that committed since their last read
        self._last_read: dict[str, float] = {}
        self._turn = ""  # the tenant whose batch went last: the next batch is the next tenant's

    def committed(self, app: str) -> None:
        """An in-process app committed: read its outbox on the next pass."""
        self._dirty.add(app)
        self.wake.set()

    # -- test hook ---------------------------------------------------------------
    def _crash_point(self, name: str) -> None:
        if self.crash_at == name:
            self.crash_at = None
            raise InjectedCrash(name)

    # -- connections -------------------------------------------------------------
    def connections(self) -> dict:
        """{(tenant, frozenset(apps)): set(kinds)}, cached until a connection changes
        (a worker process, which is not told, reads them afresh for each batch)."""
        if self._connections is None:
            with self.db.reader() as session:
                self._connections = {(c.tenant_id, frozenset((c.app_a, c.app_b))): set(c.kinds) for c in session.scalars(select(Connection))}
        return self._connections

    def connections_changed(self) -> None:
        self._connections = None
        self.wake.set()

    # -- the loop ----------------------------------------------------------------

    def _mark(self, name: str, ok: bool, error: str | None) -> None:
        self.reachable[name] = {"reachable": ok, "error": error}

    def _contract_checked(self, name: str) -> bool:
        """Whether the app's names are known to fit the rulebook; an app that could not
        be asked at start is asked now. A misfit leaves it unreachable with the reason
        (the connector neither reads from it nor sends to it), asked again next time."""
        if name not in self._unchecked:
            return True
        try:
            contracts.check_one(name, self.peers[name], self._needs)
        except PeerUnavailable as exc:
            self._unchecked[name] = exc.detail
        except ContractError as exc:
            self._unchecked[name] = str(exc)
        else:
            del self._unchecked[name]
            return True
        self._mark(name, False, self._unchecked[name])
        return False

    def process(self, tenant_id: str | None = None) -> int:
        """Decide and apply one batch of ready changes (of ``tenant_id``, or of the next
        tenant in turn); returns how many were handled."""
        if not self.watch_commits:
            self._connections = None
        self.connections()  # loaded outside the transaction below (SQLite: one writer per file)
        with UnitOfWork(self.db) as uow:
            batch = self._ready(uow.session, tenant_id)
            if not batch:
                return 0
            plan = Batch.new()
            self._prefetch_links(uow.session, batch, plan)
            self._prefetch_lookups(uow.session, batch, plan)
            entries: list[dict] = []
            for change in batch:
                if change.state == "pending":
                    self._decide(uow.session, change, plan, entries)
            log.write(uow.session, entries)
            uow.commit()
        self._crash_point("after_decide")
        decided = [c for c in batch if c.state == "decided"]
        results = self._apply(decided)
        self._crash_point("after_apply")
        self._record(decided, results)
        self._crash_point("after_record")
        return len(batch)

    # -- running -------------------------------------------------------------------
    def step(self, tenant_id: str | None = None) -> int:
        with self.lock:
            return self.relay() + self.process(tenant_id)

    def pending(self, tenant_id: str | None = None) -> int:
        """Changes (of ``tenant_id``, or of every tenant) still to deliver: queued ones
        not held behind a parked change, and events the apps have that the queue has not
        read yet (each app counts its own, for that tenant only)."""
        with self.db.reader() as session:
            parked_keys = select(Change.record_key).where(Change.state == "parked")
            stmt = select(func.count()).select_from(Change).where(Change.state.in_(ACTIVE))
            if tenant_id:
                parked_keys = parked_keys.where(Change.tenant_id == tenant_id)
                stmt = stmt.where(Change.tenant_id == tenant_id)
            # changes held behind a parked change of their record wait for a retry, not for time
            queued = session.scalar(stmt.where(Change.record_key.not_in(parked_keys))) or 0
            positions = {p.app: p.position for p in session.scalars(select(ReadPosition))}
        unread = 0  # asked of the apps outside the transaction above
        for name, peer in self.peers.items():
            try:
                unread += peer.count_after(positions.get(name, 0), tenant_id)
                self._mark(name, True, None)
            except PeerUnavailable as exc:
                self._mark(name, False, exc.detail)
        return queued + unread

    def held(self, tenant_id: str | None = None) -> int:
        """Changes waiting behind a parked change of the same record."""
        with self.db.reader() as session:
            parked_keys = select(Change.record_key).where(Change.state == "parked")
            stmt = select(func.count()).select_from(Change).where(Change.state.in_(ACTIVE))
            if tenant_id:
                parked_keys = parked_keys.where(Change.tenant_id == tenant_id)
                stmt = stmt.where(Change.tenant_id == tenant_id)
            return session.scalar(stmt.where(Change.record_key.in_(parked_keys))) or 0

    def parked(self, tenant_id: str | None = None) -> int:
        with self.db.reader() as session:
            stmt = select(func.count()).select_from(Change).where(Change.state == "parked")
            if tenant_id:
                stmt = stmt.where(Change.tenant_id == tenant_id)
            return session.scalar(stmt) or 0

    def drain(self, timeout: float = 10.0, tenant_id: str | None = None) -> bool:
        """Work until nothing (of ``tenant_id``) is pending; False if still pending after
        ``timeout`` s. For one tenant, only its own changes are worked on here, and it
        returns as soon as that tenant has nothing pending, whatever others have."""
        deadline = time.monotonic() + timeout
        while True:
            with self.lock:
                self.relay()
                worked = self.process(tenant_id)
            if worked < self.batch_size and self.pending(tenant_id) == 0:  # a full batch: surely more
                return True
            if time.monotonic() > deadline:
                return False
            if not worked:
                time.sleep(0.01)

    def retry(self, tenant_id: str, change_id: int) -> str | None:
        """Put a parked change back in the queue, to be decided afresh.
        Returns the state the change was in, or None when there is no such change."""
        with UnitOfWork(self.db) as uow:
            change = uow.session.get(Change, change_id)
            if change is None or change.tenant_id != tenant_id:
                return None
            was = change.state
            if was == "parked":
                change.state, change.attempts, change.next_attempt_at, change.decision = "pending", 0, 0.0, None
                uow.commit()
                self.wake.set()
            return was

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="lienthong-connector", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def run_forever(self, alive=lambda: True) -> None:
        """The worker process's loop: until stopped, or until ``alive()`` says no."""
        self._alive = alive
        self._run()

    def _run(self) -> None:
        remote = any(p.mode == "http" for p in self.peers.values())
        alive = getattr(self, "_alive", lambda: True)
        while not self._stop.is_set() and alive():
            try:
                worked = self.step()
            except Exception:  # noqa: BLE001 - the loop must survive; the change stays queued
                import logging

                logging.getLogger("lienthong.sync").exception("connector step failed")
                worked = 0
            if worked:
                continue
            self.wake.wait(timeout=0.2 if remote else self.poll)
            self.wake.clear()
