"""The connector's loop: read every app's outbox in order, decide, apply, record.

A change goes through three transactions, so a crash anywhere loses nothing and
applies nothing twice:

1. *relay* — events are copied from an app's outbox into the queue, and the read
   position moves, in one transaction of the connector's database;
2. *decide* — the rulebook's decisions are stored with the change;
3. *apply* — each target app applies the commands with their keys (a replay returns
   the stored outcome), then links, log entries and the change's new state are
   written in one transaction.

Changes of one record go one at a time, in order; a record whose change keeps
failing is parked and holds back only its own later changes.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import fields

from sqlalchemy import func, select, update

from lienthong.kernel.bulk import insert_rows
from lienthong.kernel.db import Database
from lienthong.kernel.i18n import both, term
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.sync import contracts, links, log
from lienthong.sync.engine import Batch, Ctx, decide, prefetch, verb_of
from lienthong.sync.peers import PeerUnavailable
from lienthong.sync.rules import EVENT_RULES, Action, Note, Rule, find
from lienthong.sync.rules.bulk import PASSES
from lienthong.sync.rules.connection import LINKS, PARKING
from lienthong.sync.tables import Change, Connection, ReadPosition

ACTIVE = ("pending", "decided")
RELAY_PAGE = 1000  # events read from one app's outbox per pass


class InjectedCrash(BaseException):
    """Raised at a named point when a test asks for it (``Connector.crash_at``)."""


def _plain(d) -> dict:
    item = {f.name: getattr(d, f.name) for f in fields(d)}
    item["rule"] = d.rule.id
    return item


def _dump(decision: list) -> list[dict]:
    out = []
    for d in decision:
        item = _plain(d)
        item["type"] = "action" if isinstance(d, Action) else "note"
        if isinstance(d, Action):
            item["notes"] = [_plain(n) for n in d.notes]
        out.append(item)
    return out


def _load(items: list[dict], rules: dict[str, Rule]) -> list:
    """A stored decision, its rules found by ID (the connector's own rules first)."""

    def by_id(rule_id: str) -> Rule:
        return rules.get(rule_id) or find(rule_id)

    out = []
    for item in items:
        item = dict(item)
        kind = item.pop("type")
        item["rule"] = by_id(item["rule"])
        if kind == "action":
            item["notes"] = [Note(**{**n, "rule": by_id(n["rule"]), "link_source": tuple(n["link_source"]) if n.get("link_source") else None}) for n in item["notes"]]
            item["link_source"] = tuple(item["link_source"]) if item.get("link_source") else None
            out.append(Action(**item))
        else:
            item["link_source"] = tuple(item["link_source"]) if item.get("link_source") else None
            out.append(Note(**item))
    return out


class Connector:
    def __init__(self, db: Database, peers: dict, *, batch_size: int = 200, backoff: tuple[float, ...] = (0.1, 0.5, 2.0), poll: float = 1.0, lock=None, wake=None, watch_commits: bool = True, rules: list[Rule] | None = None):
        self.db = db
        self.peers = peers
        self.rules = EVENT_RULES if rules is None else rules  # in precedence (sync.rules.in_precedence)
        self._rules_by_id = {r.id: r for r in self.rules}
        self._onward: dict[tuple[str, str, str], bool] = {}  # (app, kind, origin): may a caused change travel on?
        contracts.check(peers, self.rules, PASSES)  # a name no app declares fails here, at start-up
        self.batch_size = batch_size
        self.backoff = backoff  # waits between attempts; a change is parked after len(backoff)+1 failures
        self.poll = poll
        self.lock = lock or threading.RLock()  # a ProcessLock when a worker process shares the queue
        self.wake = wake or threading.Event()  # a worker process: its end of the pipe from the server (sync.worker)
        # True when this process sees every local commit (its apps call committed());
        # a worker process does not, so it reads every outbox on each pass.
        self.watch_commits = watch_commits
        self.reachable: dict[str, dict] = {name: {"reachable": True, "error": None} for name in peers}
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
    def relay(self) -> int:
        """Copy new outbox events into the queue; returns how many were read."""
        moved = 0
        with self.db.reader() as session:
            positions = {p.app: p.position for p in session.scalars(select(ReadPosition))}
        for name, peer in self.peers.items():
            after = positions.get(name, 0)
            if self.watch_commits and name not in self._dirty and peer.mode != "http" and after and time.monotonic() - self._last_read.get(name, 0) < self.poll:
                continue  # an in-process app that committed nothing since the last read
            self._dirty.discard(name)
            try:  # asked outside any transaction of ours: the app may be far away
                page = peer.events_after(after, RELAY_PAGE)
            except PeerUnavailable as exc:
                self._mark(name, False, exc.detail)
                continue
            self._mark(name, True, None)
            self._last_read[name] = time.monotonic()
            events, position = page["items"], page["position"]
            if len(events) == RELAY_PAGE:
                self._dirty.add(name)  # a full page: more to read on the next pass, not after a poll
            if position == after:
                continue
            with UnitOfWork(self.db) as uow:
                stored = uow.session.get(ReadPosition, name)
                now = time.time()
                rows = [
                    {
                        "tenant_id": e["tenant_id"],
                        "source_app": name,
                        "source_position": e["id"],
                        "event_id": e["event_id"],
                        "kind": e["kind"],
                        "type": e["type"],
                        "record_id": e["record_id"],
                        "record_code": e["record_code"],
                        "record_key": f"{e['tenant_id']}:{name}:{e['kind']}:{e['record_id']}",
                        "data": e["data"],
                        "changed": e["changed"],
                        "occurred_at": e["occurred_at"],
                        "origin_app": e.get("origin_app"),
                        "state": "pending",
                        "attempts": 0,
                        "next_attempt_at": 0.0,
                        "received_at": now,
                    }
                    for e in events
                    if e.get("origin_app") is None or self._travels_on(name, e["kind"], e["origin_app"])
                ]
                if rows:
                    insert_rows(uow.session, Change.__table__, rows)
                if stored is None:
                    uow.session.add(ReadPosition(app=name, position=position))
                else:
                    stored.position = position
                uow.commit()
                moved += len(events)
        return moved

    def _travels_on(self, app: str, kind: str, origin: str) -> bool:
        """Can a change the connector caused in ``app`` go on to an app other than the one
        it came from? If no rule could take it there, it is not queued at all."""
        key = (app, kind, origin)
        if key not in self._onward:
            targets = set()
            for rule in self.rules:
                if rule.on is not None and app in rule.on.apps and kind in rule.on.kinds:
                    targets |= {rule.target} if rule.target else set(self.peers) - {app}
            self._onward[key] = bool(targets - {origin})
        return self._onward[key]

    def _mark(self, name: str, ok: bool, error: str | None) -> None:
        self.reachable[name] = {"reachable": ok, "error": error}

    def _ready(self, session, tenant_id: str | None = None) -> list[Change]:
        """The next batch: ``tenant_id``'s, or else the next tenant's in turn that has
        changes ready, so that no tenant's backlog holds up another's changes."""
        if tenant_id is not None:
            return self._ready_of(session, tenant_id)
        tried: set[str] = set()
        while True:
            tenant = self._next_tenant(session, self._turn)
            if tenant is None or tenant in tried:
                return []
            tried.add(tenant)
            self._turn = tenant
            batch = self._ready_of(session, tenant)
            if batch:
                return batch

    @staticmethod
    def _next_tenant(session, after: str) -> str | None:
        """The first tenant after ``after`` with changes to work on, wrapping round
        (one index seek per state along ``ix_changes_state_tenant``)."""

        def first(bound: str) -> str | None:
            found = [
                session.scalar(select(Change.tenant_id).where(Change.state == state, Change.tenant_id > bound).order_by(Change.tenant_id).limit(1))
                for state in ACTIVE
            ]
            return min((t for t in found if t is not None), default=None)

        return first(after) or first("")

    def _ready_of(self, session, tenant_id: str) -> list[Change]:
        parked = set(session.scalars(select(Change.record_key).where(Change.state == "parked", Change.tenant_id == tenant_id).distinct()))
        window = self.batch_size * 5
        candidates: list[Change] = []
        for state in ACTIVE:  # one ordered index range per state; merged below
            candidates += session.scalars(select(Change).where(Change.state == state, Change.tenant_id == tenant_id).order_by(Change.id).limit(window))
        candidates.sort(key=lambda c: c.id)
        now = time.time()
        batch: list[Change] = []
        blocked = set(parked)
        for change in candidates[:window]:
            if change.record_key in blocked:
                continue
            blocked.add(change.record_key)  # later changes of this record wait for this one
            if change.next_attempt_at > now:
                continue
            if batch and (change.source_app, change.kind) != (batch[0].source_app, batch[0].kind):
                break  # a batch holds one kind of one app: a customer decided after its new user was applied
            batch.append(change)
            if len(batch) >= self.batch_size:
                break
        return batch

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

    @staticmethod
    def _prefetch_links(session, batch: list[Change], plan: Batch) -> None:
        """One query for the links of every record in the batch (a batch is one kind of one app)."""
        first = batch[0]
        ids = [c.record_id for c in batch if c.tenant_id == first.tenant_id]
        found = links.of_records(session, first.tenant_id, first.source_app, first.kind, ids)
        for rid in ids:
            plan.links[(first.tenant_id, first.source_app, first.kind, rid)] = {}
        for (rid, other), target in found.items():
            plan.links[(first.tenant_id, first.source_app, first.kind, rid)][other] = target

    def _prefetch_lookups(self, session, batch: list[Change], plan: Batch) -> None:
        pending = [self._as_dict(c) for c in batch if c.state == "pending"]
        if len(pending) < 2:
            return
        connections = self.connections()

        def make_ctx(change: dict, asked: list) -> Ctx:
            return Ctx(session=session, peers=self.peers, connections=connections, change=change, batch=plan, recording=asked)

        try:
            prefetch(make_ctx, pending, plan, self.peers, self.rules)
        except PeerUnavailable as exc:
            self._mark(exc.app, False, exc.detail)

    def _decide(self, session, change: Change, plan: Batch, entries: list) -> None:
        ctx = Ctx(session=session, peers=self.peers, connections=self.connections(), change=self._as_dict(change), batch=plan)
        try:
            decision = decide(ctx, self.rules)
        except PeerUnavailable as exc:
            self._mark(exc.app, False, exc.detail)
            change.next_attempt_at = time.time() + 0.5
            return
        except Exception as exc:  # noqa: BLE001 - a broken change must not stop the others
            vi, en = both("connector.internal_error", detail=repr(exc))
            self._failed(change, {"error_vi": vi, "error_en": en}, entries)
            return
        change.decision = _dump(decision)
        change.state = "decided"

    @staticmethod
    def _as_dict(change: Change) -> dict:
        return {c: getattr(change, c) for c in ("id", "tenant_id", "source_app", "event_id", "kind", "type", "record_id", "record_code", "data", "changed", "origin_app")}

    def _apply(self, changes: list[Change]) -> dict:
        """Send every change's commands, one call per (target app, tenant), in order."""
        calls: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for change in changes:
            for d in _load(change.decision, self._rules_by_id):
                if isinstance(d, Action):
                    calls[(d.target, change.tenant_id)].append({"name": d.command, "key": d.key, "args": d.args, "_source": change.source_app})
        results: dict[str, dict] = {}
        for (target, tenant), commands in calls.items():
            by_source: dict[str, list[dict]] = defaultdict(list)
            for cmd in commands:
                by_source[cmd.pop("_source")].append(cmd)
            for source, cmds in by_source.items():
                try:
                    outcomes = self.peers[target].apply(tenant, source, cmds)
                except PeerUnavailable as exc:
                    self._mark(target, False, exc.detail)
                    vi, en = both("peer.unreachable", app=term(f"app.{target}"), detail=exc.detail)
                    outcomes = [{"ok": False, "unreachable": True, "error_vi": vi, "error_en": en}] * len(cmds)
                for cmd, outcome in zip(cmds, outcomes):
                    results[cmd["key"]] = outcome
        return results

    def _record(self, changes: list[Change], results: dict) -> None:
        """Links, log entries and new states of a whole batch, in one transaction."""
        with UnitOfWork(self.db) as uow:
            session = uow.session
            entries: list[dict] = []
            new_links: dict[str, list] = defaultdict(list)
            deleted: dict[tuple[str, str, str], list[int]] = defaultdict(list)
            done: list[int] = []
            for change in changes:
                decision = _load(change.decision, self._rules_by_id)
                failed = [(d, results.get(d.key, {})) for d in decision if isinstance(d, Action) and not results.get(d.key, {}).get("ok")]
                if failed:
                    stored = session.get(Change, change.id)
                    if not self._counterpart_gone(session, stored, failed, entries):
                        self._failed(stored, failed[0][1], entries)
                    continue
                self._succeeded(change, decision, results, entries, new_links[change.tenant_id])
                if verb_of(change.type) == "Deleted":
                    deleted[(change.tenant_id, change.source_app, change.kind)].append(change.record_id)
                done.append(change.id)
            for tenant_id, pairs in new_links.items():
                links.put_many(session, tenant_id, pairs)
            for (tenant_id, app, kind), ids in deleted.items():  # a link never outlives what it joins
                links.remove_records(session, tenant_id, app, kind, ids)
            if done:
                session.execute(update(Change).where(Change.id.in_(done)).values(state="done", done_at=time.time(), error_vi=None, error_en=None))
            log.write(session, entries)
            uow.commit()

    def _counterpart_gone(self, session, change: Change, failed: list, entries: list) -> bool:
        """Every refusal says the linked target no longer exists (deleted while the
        connector was behind): its link goes, the log says so, and the change is decided
        again as one without a counterpart, never parked. False when that is not the case."""
        if any(outcome.get("status") != 404 or d.args.get("target_id") is None for d, outcome in failed):
            return False
        for d, _ in failed:
            source = d.link_source or (change.source_app, change.kind, change.record_id)
            target = (d.target, d.target_kind, d.args["target_id"])
            if not links.remove(session, change.tenant_id, source, target):
                return False  # not a linked counterpart: a plain failure
            rule = d.rule if "gone" in d.rule.reasons else LINKS
            entries.append(log.entry(rule, "skipped", tenant_id=change.tenant_id, params={"code": change.record_code}, source=self._source(change), target=(*target, None), change_id=change.id, event_type=change.type, named="gone"))
        change.state, change.decision, change.next_attempt_at = "pending", None, 0.0
        return True

    def _source(self, change: Change) -> tuple:
        return (change.source_app, change.kind, change.record_id, change.record_code)

    def _succeeded(self, change: Change, decision: list, results: dict, entries: list, new_links: list) -> None:
        params = {"code": change.record_code}
        source = self._source(change)
        for d in decision:
            outcome = results.get(d.key) if isinstance(d, Action) else None
            target_id = outcome.get("id") if outcome else d.target_id
            target_code = outcome.get("code") if outcome else d.target_code
            if d.link and target_id is not None:
                a = d.link_source or (change.source_app, change.kind, change.record_id)
                new_links.append((a, (d.target, d.target_kind, target_id), d.part))
            target = (d.target, d.target_kind, target_id, target_code)
            entries.append(log.entry(d.rule, d.outcome if isinstance(d, Note) else "applied", tenant_id=change.tenant_id, params={**params, **d.params}, source=source, target=target, change_id=change.id, event_type=change.type, named=d.reason))
            for note in getattr(d, "notes", []):
                entries.append(log.entry(note.rule, note.outcome, tenant_id=change.tenant_id, params={**params, **note.params}, source=source, target=target, change_id=change.id, event_type=change.type, named=note.reason))

    def _failed(self, change: Change, outcome: dict, entries: list) -> None:
        change.error_vi, change.error_en = outcome.get("error_vi"), outcome.get("error_en")
        if outcome.get("unreachable"):
            change.next_attempt_at = time.time() + 0.5  # wait, never park
            return
        change.attempts += 1
        if change.attempts > len(self.backoff):
            change.state = "parked"
            params = {"attempts": change.attempts, "code": change.record_code, "error": log.in_both(change.error_vi, change.error_en)}
            entries.append(log.entry(PARKING, "parked", tenant_id=change.tenant_id, params=params, source=self._source(change), change_id=change.id, event_type=change.type))
        else:
            change.state = "pending"  # decide again: the cause may be gone by then
            change.decision = None
            change.next_attempt_at = time.time() + self.backoff[change.attempts - 1]

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
