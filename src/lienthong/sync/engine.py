"""Event -> matching rules -> decisions. No I/O of its own beyond the questions a
rule asks through its context (links, the target app's queries, the connection)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from lienthong.kernel.i18n import term
from lienthong.sync import links
from lienthong.sync.rules import EVENT_RULES, Action, Note, Rule
from lienthong.sync.rules.connection import CONNECTED_KINDS

VERBS = ("Created", "Updated", "Deleted")
# A kind of one app that travels under another kind's connection setting.
CONNECTION_KIND = {"contacts": "customers"}
ALWAYS_ON = {"employees", "users"}


def verb_of(event_type: str) -> str:
    return next((v for v in VERBS if event_type.endswith(v)), event_type)


@dataclass
class Batch:
    """What the decisions of one batch already plan, so two changes that need the
    same new group in the same target make it once."""

    refs: dict
    links: dict  # prefetched: {(tenant, app, kind, id): {other app: (kind, id)}}
    found: dict  # prefetched answers: {(tenant, target, query, value): row or None}

    @classmethod
    def new(cls) -> "Batch":
        return cls(refs={}, links={}, found={})


class Ctx:
    """What a rule may ask while deciding about one change."""

    def __init__(self, *, session: Session, peers: dict, connections: dict, change: dict, batch: Batch, recording: list | None = None):
        self.session = session
        self.peers = peers
        self.connections = connections  # frozenset({app, app}) -> set of kinds
        self.change = change
        self.batch = batch
        self.tenant_id: str = change["tenant_id"]
        self.source: str = change["source_app"]
        self.kind: str = change["kind"]
        self.verb: str = verb_of(change["type"])
        self.data: dict = change["data"] or {}
        self.changed: dict = change["changed"] or {}
        self.rule: Rule | None = None
        self._cache: dict = {}
        self.recording = recording  # a dry run: questions are noted, not asked

    def key(self, purpose: str) -> str:
        return f"{self.change['event_id']}:{purpose}"

    def link(self, target: str, source: tuple[str, str, int] | None = None) -> tuple[str, int] | None:
        app, kind, rid = source or (self.source, self.kind, self.change["record_id"])
        known = self.batch.links.get((self.tenant_id, app, kind, rid))
        if known is not None:
            return known.get(target)
        cache_key = ("link", app, kind, rid, target)
        if cache_key not in self._cache:
            self._cache[cache_key] = links.find(self.session, self.tenant_id, app, kind, rid, target)
        return self._cache[cache_key]

    def linked_elsewhere(self, app: str, kind: str, record_id: int) -> bool:
        """Is ``app``'s record already linked to some record of the change's source app?"""
        return links.find(self.session, self.tenant_id, app, kind, record_id, self.source) is not None

    def find(self, target: str, query: str, value: Any) -> dict | None:
        known = (self.tenant_id, target, query, value)
        if known in self.batch.found:
            return self.batch.found[known]
        if self.recording is not None:
            self.recording.append(known)
            return None
        cache_key = ("find", target, query, value)
        if cache_key not in self._cache:
            self._cache[cache_key] = self.peers[target].query(self.tenant_id, query, value=value)
        return self._cache[cache_key]

    def get(self, target: str, query: str, value: Any) -> dict | None:
        """A rare lookup, asked alone (never batched); nothing in a dry run."""
        if self.recording is not None:
            return None
        return self.peers[target].query(self.tenant_id, query, value=value)

    def connected(self, target: str) -> bool:
        if self.kind in ALWAYS_ON:
            return True
        kinds = self.connections.get((self.tenant_id, frozenset((self.source, target))), set())
        return CONNECTION_KIND.get(self.kind, self.kind) in kinds

    def other_app(self) -> str | None:
        for (tenant, pair) in self.connections:
            if tenant == self.tenant_id and self.source in pair:
                return next(iter(pair - {self.source}))
        return {"accounting": "crm", "crm": "accounting"}.get(self.source)

    def batch_ref(self, target: str, kind: str, source_id: int) -> str | None:
        return self.batch.refs.get((self.tenant_id, self.source, target, kind, source_id))

    def remember_ref(self, target: str, kind: str, source_id: int, key: str) -> None:
        if self.recording is None:
            self.batch.refs[(self.tenant_id, self.source, target, kind, source_id)] = key


def prefetch(make_ctx, changes: list[dict], batch: Batch, peers: dict) -> None:
    """Learn which lookups a batch's decisions ask (a dry run of the rules), then ask
    each target once for all of them; a lookup the dry run missed is asked later alone."""
    asked: list = []
    for change in changes:
        try:
            decide(make_ctx(change, asked))
        except Exception:  # noqa: BLE001 - the real run reports it
            continue
    grouped: dict = {}
    for tenant, target, query, value in asked:
        if value is not None:
            grouped.setdefault((tenant, target, query), set()).add(value)
    for (tenant, target, query), values in grouped.items():
        if len(values) < 2:
            continue
        rows = peers[target].query(tenant, query, values=sorted(values))
        for value in values:
            batch.found[(tenant, target, query, value)] = rows.get(value)


def _skip(ctx: Ctx, rule: Rule, target: str) -> Note:
    """A rule that does nothing. The delivery drops a deleted record's links; a rule
    with words for that (its "unlinked" reason) says so and names the counterpart kept."""
    linked = ctx.link(target) if ctx.verb == "Deleted" and "unlinked" in rule.reasons else None
    if linked:
        return Note(rule, "skipped", target, linked[0], linked[1], reason="unlinked")
    return Note(rule, "skipped", target)


def decide(ctx: Ctx) -> list[Action | Note]:
    """The decisions about one change: per target app, the first declared rule that
    answers the event and whose condition holds."""
    decisions: list[Action | Note] = []
    seen_targets: set[str] = set()
    unmet: dict[str, Rule] = {}  # a rule whose condition failed and that says why it skips
    for rule in EVENT_RULES:
        if not rule.answers(ctx.source, ctx.kind, ctx.verb):
            continue
        target = rule.target or ctx.other_app()
        if target in seen_targets or target not in ctx.peers:
            continue
        if rule.needs_connection and not ctx.connected(target):
            seen_targets.add(target)
            decisions.append(Note(CONNECTED_KINDS, "skipped", target, params={"kind": term(f"kind.{ctx.kind}"), "source": term(f"app.{ctx.source}"), "target": term(f"app.{target}")}))
            continue
        ctx.rule = rule
        if rule.when is not None and not rule.when(ctx):
            if rule.skipped_vi and rule.then is not None:
                unmet.setdefault(target, rule)
            continue
        seen_targets.add(target)
        if rule.then is None:
            decisions.append(_skip(ctx, rule, target))
            continue
        made = rule.then(ctx)
        decisions.extend(made or [Note(rule, "skipped", target)])
    decisions.extend(Note(rule, "skipped", target) for target, rule in unmet.items() if target not in seen_targets)
    return decisions
