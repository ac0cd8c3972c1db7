"""Step 2, decide: the next fair batch of ready changes, and the rulebook's decisions
about them, stored with each change in one transaction."""

from __future__ import annotations

import time

from sqlalchemy import select

from lienthong.kernel.i18n import both
from lienthong.sync import links
from lienthong.sync.decisions import dump
from lienthong.sync.engine import Batch, Ctx, decide, people_edits, prefetch
from lienthong.sync.peers import PeerUnavailable
from lienthong.sync.tables import Change

ACTIVE = ("pending", "decided")
_CHOOSING = (Change.id, Change.record_key, Change.next_attempt_at, Change.source_app, Change.kind)  # what a batch is chosen by


class Decide:
    """The connector's choice of batches and its decisions (mixed into
    :class:`~lienthong.sync.delivery.Connector`)."""

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
        """The tenant's next batch: the oldest ready changes of one kind of one app, one
        per record, none behind a parked change of its record. The window ahead is read
        as the few columns that choose; only the chosen changes are loaded whole."""
        parked = set(session.scalars(select(Change.record_key).where(Change.state == "parked", Change.tenant_id == tenant_id).distinct()))
        window = self.batch_size * 5
        candidates: list = []
        for state in ACTIVE:  # one ordered index range per state; merged below
            candidates += session.execute(select(*_CHOOSING).where(Change.state == state, Change.tenant_id == tenant_id).order_by(Change.id).limit(window)).all()
        candidates.sort(key=lambda c: c.id)
        now = time.time()
        chosen: list = []
        blocked = set(parked)
        for change in candidates[:window]:
            if change.record_key in blocked:
                continue
            blocked.add(change.record_key)  # later changes of this record wait for this one
            if change.next_attempt_at > now:
                continue
            if chosen and (change.source_app, change.kind) != (chosen[0].source_app, chosen[0].kind):
                break  # a batch holds one kind of one app: a customer decided after its new user was applied
            chosen.append(change)
            if len(chosen) >= self.batch_size:
                break
        if not chosen:
            return []
        return list(session.scalars(select(Change).where(Change.id.in_([c.id for c in chosen])).order_by(Change.id)))

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
        # the counterparts' own edits, for edits made on both sides (one query per batch)
        counterparts = {f"{first.tenant_id}:{other}:{kind}:{rid}" for (_, other), (kind, rid) in found.items()}
        plan.edits = people_edits(session, sorted(counterparts)) if any(c.type.endswith("Updated") for c in batch) else {}

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
        change.decision = dump(decision)
        change.state = "decided"

    @staticmethod
    def _as_dict(change: Change) -> dict:
        return {c: getattr(change, c) for c in ("id", "tenant_id", "source_app", "event_id", "kind", "type", "record_id", "record_code", "data", "changed", "origin_app", "occurred_at")}
