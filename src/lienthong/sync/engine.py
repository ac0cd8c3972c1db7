"""The interpreter of the rule language: event -> the rule that answers it -> decisions.

One interpreter for live changes and, in bulk, for the first sync. It has no I/O of
its own beyond the questions a rule's guards and field map ask through the context
(links, the target app's queries, the connection); the first sync answers them from
what it read beforehand (``Ctx(bulk=True)``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lienthong.kernel.i18n import term
from lienthong.sync import links
from lienthong.sync.rules import EVENT_RULES, Action, Note, Rule
from lienthong.sync.rules.base import EVENT_VERBS, NOUNS, Along, Bulk, FieldMap, Lookup, Nested
from lienthong.sync.rules.connection import CONNECTED_KINDS, RECORD_ORDER
from lienthong.sync.tables import Change

# A kind of one app that travels under another kind's connection setting.
CONNECTION_KIND = {"contacts": "customers"}
ALWAYS_ON = {"employees", "users"}


@cache
def verb_of(event_type: str) -> str:
    return next((v for v in EVENT_VERBS if event_type.endswith(v)), event_type)


@dataclass
class Batch:
    """What the decisions of one batch already plan, so two changes that need the
    same new group in the same target make it once."""

    refs: dict
    links: dict  # prefetched: {(tenant, app, kind, id): {other app: (kind, id)}}
    found: dict  # prefetched answers: {(tenant, target, query, value): row or None}
    # the first sync's link maps: {(app, kind, other app): {(kind, id): (other kind, other id)}}
    catalog_links: dict = field(default_factory=dict)
    # prefetched: people's edits of the counterparts, {record key: [(occurred_at, changed)]};
    # None: not prefetched (ask the queue)
    edits: dict | None = None

    @classmethod
    def new(cls) -> "Batch":
        return cls(refs={}, links={}, found={})


def people_edits(session: Session, record_keys: list[str]) -> dict[str, list[tuple[str, dict | None]]]:
    """The queued edits people made of these records (not those the connector caused),
    whether waiting or done: ``{record key: [(occurred_at, changed)]}``."""
    out: dict[str, list] = {}
    rows = session.execute(
        select(Change.record_key, Change.occurred_at, Change.changed).where(
            Change.record_key.in_(record_keys), Change.origin_app.is_(None), Change.type.like("%Updated")
        )
    )
    for key, at, changed in rows:
        out.setdefault(key, []).append((at or "", changed))
    return out


class Ctx:
    """What a rule may ask while deciding about one change."""

    def __init__(self, *, session: Session | None, peers: dict, connections: dict, change: dict, batch: Batch, recording: list | None = None, bulk: bool = False):
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
        self.origin: str | None = change.get("origin_app")  # a change the connector caused: never back there
        self.rule: Rule | None = None
        self.into_kind: str | None = None  # the kind of the target the record becomes, under ``rule``
        self._cache: dict = {}
        self.recording = recording  # a dry run: questions are noted, not asked
        self.bulk = bulk  # the first sync: every answer was read beforehand (``batch``)
        self.part = ""  # the part of the record a one-to-many rule is deciding about

    def aim(self, record: dict) -> "Ctx":
        """The same context about another record of the same app and kind (the first
        sync asks about a whole catalog; a context per record would cost more than the rule)."""
        self.change["record_id"], self.change["data"] = record["id"], record
        self.data = record
        return self

    def key(self, purpose: str) -> str:
        return f"{self.change['event_id']}:{purpose}" + (f":{self.part}" if self.part else "")

    def link(self, target: str, source: tuple[str, str, int] | None = None) -> tuple[str, int] | None:
        if self.part and source is None:  # a one-to-many rule: this part's counterpart
            return links.find(self.session, self.tenant_id, self.source, self.kind, self.change["record_id"], target, part=self.part)
        app, kind, rid = source or (self.source, self.kind, self.change["record_id"])
        if self.bulk:
            return self.batch.catalog_links.get((app, kind, target), {}).get((kind, rid))
        known = self.batch.links.get((self.tenant_id, app, kind, rid))
        if known is not None:
            return known.get(target)
        cache_key = ("link", app, kind, rid, target)
        if cache_key not in self._cache:
            self._cache[cache_key] = links.find(self.session, self.tenant_id, app, kind, rid, target)
        return self._cache[cache_key]

    def edited_later(self, target: str, kind: str, target_id: int) -> set[str]:
        """The fields that people's edits of ``target``'s record changed after this change
        was made (queued, waiting or done), as that app names them; none in the first
        sync or for a change that does not say when it was made."""
        made_at = self.change.get("occurred_at")
        if self.session is None or self.bulk or not made_at:
            return set()
        key = f"{self.tenant_id}:{target}:{kind}:{target_id}"
        edits = self.batch.edits.get(key, []) if self.batch.edits is not None else people_edits(self.session, [key]).get(key, [])
        return {name for at, changed in edits if at > made_at for name in (changed or {})}

    def merged_into(self, target: str) -> tuple[str, int] | None:
        """The target's record this record's counterpart was merged into (a merged customer), if it was."""
        if self.session is None:
            return None
        return links.merged_into(self.session, self.tenant_id, self.source, self.kind, self.change["record_id"], target)

    def linked_elsewhere(self, app: str, kind: str, record_id: int) -> bool:
        """Is ``app``'s record already linked to some record of the change's source app?"""
        return links.find(self.session, self.tenant_id, app, kind, record_id, self.source) is not None

    def find(self, target: str, query: str, value: Any) -> dict | None:
        known = (self.tenant_id, target, query, value)
        if known in self.batch.found or self.bulk:
            return self.batch.found.get(known)
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

    def same_code(self, target: str) -> dict | None:
        """The target's record of the kind this one becomes with the same code."""
        return self.find(target, f"find_{NOUNS[self.into_kind]}", self.data.get("code"))

    def same_code_unlinked(self, target: str) -> dict | None:
        """... when it is linked to no record of the source app."""
        found = self.same_code(target)
        if found and not self.linked_elsewhere(target, self.into_kind, found["id"]):
            return found
        return None

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


def prefetch(make_ctx, changes: list[dict], batch: Batch, peers: dict, rules: list[Rule] = EVENT_RULES) -> None:
    """Learn which lookups a batch's decisions ask (a dry run of the rules), then ask
    each target once for all of them; a lookup the dry run missed is asked later alone."""
    asked: list = []
    for change in changes:
        try:
            decide(make_ctx(change, asked), rules)
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


def decide(ctx: Ctx, rules: list[Rule] = EVENT_RULES) -> list[Action | Note]:
    """The decisions about one change: per target app, the first rule in precedence
    that answers the event and whose guards hold."""
    decisions: list[Action | Note] = []
    seen_targets: set[str] = set()
    for rule in rules:
        if not rule.answers(ctx.source, ctx.kind, ctx.verb):
            continue
        target = rule.target or ctx.other_app()
        if target in seen_targets or target not in ctx.peers or target == ctx.origin:
            continue
        if rule.needs_connection and not ctx.connected(target):
            seen_targets.add(target)
            decisions.append(Note(CONNECTED_KINDS, "skipped", target, params={"kind": term(f"kind.{ctx.kind}"), "source": term(f"app.{ctx.source}"), "target": term(f"app.{target}")}))
            continue
        ctx.rule = rule
        ctx.into_kind = rule.into.of(ctx.data) if rule.into else None
        if not all(guard(ctx, target) for guard in rule.when):
            continue
        seen_targets.add(target)
        if rule.action == "skip" or any(guard(ctx, target) for guard in rule.skip_when):
            decisions.append(_skip(ctx, rule, target))
            continue
        act = _per_part if rule.cardinality == "many" and rule.action != "keep_parts" else ACTIONS[rule.action]
        decisions.extend(act(ctx, rule, target) or [Note(rule, "skipped", target)])
    return decisions


# -- actions ----------------------------------------------------------------------------
def _skip(ctx: Ctx, rule: Rule, target: str) -> Note:
    """A rule that does nothing. The delivery drops a deleted record's links; a rule
    with words for that (its "unlinked" reason) says so and names the counterpart kept."""
    merged_away = (ctx.changed or {}).get("merged_into")  # its links move to the survivor (record step)
    linked = ctx.link(target) if ctx.verb == "Deleted" and "unlinked" in rule.reasons and not merged_away else None
    if linked:
        return Note(rule, "skipped", target, linked[0], linked[1], reason="unlinked")
    why = next((g.reason for g in rule.skip_when if g.reason and g(ctx, target)), None)
    if why:
        return Note(rule, "skipped", target, params={"target": term(f"app.{target}")}, reason=why)
    return Note(rule, "skipped", target)


def _create(ctx: Ctx, rule: Rule, target: str) -> list:
    made: list = []
    notes: list[Note] = []
    values = values_for(ctx, rule.fields, target, creating=True, only_changed=False, made=made, notes=notes)
    notes += _remarks(ctx, rule, target)
    kind = ctx.into_kind
    made.append(Action(rule, target, kind, f"create_{NOUNS[kind]}", ctx.key("create"), {"values": values}, link=True, notes=notes))
    return made


def _update(ctx: Ctx, rule: Rule, target: str, *, counterpart: tuple[str, int] | None = None, only_changed: bool | None = None) -> list:
    """Update the linked record, or ``counterpart`` (a record to link to); an
    ``or_create`` rule keeps a copy, creating it when there is none."""
    if rule.or_create:
        return _copy(ctx, rule, target)
    linked = ctx.link(target)
    kind, target_id = counterpart or linked
    if only_changed is None:
        only_changed = rule.only_changed and ctx.verb == "Updated"
    made: list = []
    notes: list[Note] = []
    values = values_for(ctx, rule.fields, target, creating=False, only_changed=only_changed, made=made, notes=notes)
    if only_changed and counterpart is None:
        later = _edited_later(ctx, target, kind, target_id, values)
        if later and not values:  # every field this edit changed was edited there since
            return made + later
        notes += later
    if only_changed and not values:  # nothing the target keeps changed
        kept = _remarks(ctx, rule, target, outcome="skipped", on=(kind, target_id))
        return made + (kept or [Note(rule, "skipped", target, kind, target_id, reason="unchanged")])
    notes += _remarks(ctx, rule, target)
    made.append(Action(rule, target, kind, f"update_{NOUNS[kind]}", ctx.key("update"), {"target_id": target_id, "values": values}, link=counterpart is not None, notes=notes))
    return made


def _edited_later(ctx: Ctx, target: str, kind: str, target_id: int, values: dict) -> list[Note]:
    """The fields of ``values`` that the counterpart's own edits changed after this change
    was made, taken out of ``values``, each with its note: the two records are one, so
    the later edit stands (its own change brings it back here)."""
    later = ctx.edited_later(target, kind, target_id) if values else set()
    notes = []
    for name in [n for n in values if n in later]:
        del values[name]
        notes.append(Note(RECORD_ORDER, "skipped", target, kind, target_id, params={"field": term(f"ui.conflict.field.{name}"), "target": term(f"app.{target}")}, reason="later_edit"))
    return notes


def _copy(ctx: Ctx, rule: Rule, target: str) -> list:
    linked = ctx.link(target)
    kind = ctx.into_kind
    args = values_for(ctx, rule.fields, target, creating=linked is None, only_changed=False, made=[], notes=[])
    if linked:
        args["target_id"] = linked[1]
    command = f"upsert_{NOUNS[kind]}"
    return [Action(rule, target, kind, command, ctx.key(f"{target}:{command}"), args, link=linked is None)]


def _link(ctx: Ctx, rule: Rule, target: str) -> list:
    """Link to the target's unlinked record of the same code and update it; a former
    counterpart is unlinked (a record keeps one link per app) and keeps its data."""
    former = ctx.link(target)
    found = ctx.same_code_unlinked(target)
    made = _update(ctx, rule, target, counterpart=(ctx.into_kind, found["id"]), only_changed=False)
    if former:
        kept = ctx.get(target, f"{NOUNS[former[0]]}_by_id", former[1])
        made[-1].reason = "relinked"
        made[-1].params["former"] = kept["code"] if kept else former[1]
    return made


def _delete(ctx: Ctx, rule: Rule, target: str) -> list:
    linked = ctx.link(target)
    if linked is None:
        return []
    return [Action(rule, target, linked[0], f"delete_{NOUNS[linked[0]]}", ctx.key("delete"), {"target_id": linked[1]})]


def _set_status(ctx: Ctx, rule: Rule, target: str) -> list:
    """The linked record takes the source's status (through the field map's ``status``)."""
    linked = ctx.link(target)
    if linked is None:
        return []
    values = values_for(ctx, rule.fields, target, creating=False, only_changed=False, made=[], notes=[])
    return [Action(rule, target, linked[0], f"set_{NOUNS[linked[0]]}_status", ctx.key("status"), {"target_id": linked[1], "status": values.get("status")})]


def _per_part(ctx: Ctx, rule: Rule, target: str) -> list:
    """A one-to-many rule: each part of the record has its own counterpart, updated
    when linked, else made; the part's values join the record's for the field map."""
    record, made = ctx.data, []
    try:
        for item in rule.parts(record):
            ctx.part, ctx.data = str(item[rule.part_key]), {**record, **item}
            answer = _update(ctx, rule, target) if ctx.link(target) else _create(ctx, rule, target)
            for decision in answer:
                if decision.link and decision.link_source is None:
                    decision.part = ctx.part
            made += answer
    finally:
        ctx.part, ctx.data = "", record
    return made


def _keep_parts(ctx: Ctx, rule: Rule, target: str) -> list:
    """A one-to-many record kept by its target's part commands: each part of the record
    is upserted (``upsert_<noun>_part``, its linked counterpart named when it has one;
    what its field map explains, an item left out, is logged with it once it succeeded);
    a part linked before that the record no longer has (a group removed) is marked
    inactive (``deactivate_<noun>_part``), and so is every part of a deleted record."""
    record, made = ctx.data, []
    noun = NOUNS[ctx.into_kind]
    linked_parts = links.parts(ctx.session, ctx.tenant_id, ctx.source, ctx.kind, ctx.change["record_id"], target)
    current = [] if ctx.verb == "Deleted" else rule.parts(record)
    try:
        for item in current:
            ctx.part, ctx.data = str(item[rule.part_key]), {**record, **item}
            linked = linked_parts.get(ctx.part)
            notes: list[Note] = []
            values = values_for(ctx, rule.fields, target, creating=linked is None, only_changed=False, made=made, notes=notes)
            args = {name: values.pop(name, None) for name in rule.part_args} | {"values": values}
            if linked:
                args["target_id"] = linked[1]
            params = {"target": term(f"app.{target}"), "part": item.get("part_code", ctx.part)}
            made.append(Action(rule, target, ctx.into_kind, f"upsert_{noun}_part", ctx.key("part"), args, params, link=linked is None, notes=notes, reason="part_updated" if linked else None, part=ctx.part))
    finally:
        ctx.part, ctx.data = "", record
    kept = {str(item[rule.part_key]) for item in current}
    for part, (kind, target_id) in sorted(linked_parts.items()):
        if part not in kept:
            ctx.part = part
            made.append(Action(rule, target, kind, f"deactivate_{noun}_part", ctx.key("inactive"), {"target_id": target_id}, {"target": term(f"app.{target}")}, reason="part_inactive"))
            ctx.part = ""
    return made


def _keep(ctx: Ctx, rule: Rule, target: str) -> list:
    """Update the linked record, else create it (a catalog kept alike both ways), or link
    to the target's unlinked record of the same code when the rule's ``link_when`` holds; a
    record created here is what later changes of the same batch refer to (a product
    whose new group is in the batch too)."""
    if any(guard(ctx, target) for guard in rule.link_when):
        made = _link(ctx, rule, target)
        made[-1].reason = made[-1].reason or "linked"
    elif ctx.link(target):
        made = _update(ctx, rule, target)
        if isinstance(made[-1], Action):
            made[-1].reason = "updated"
    else:
        made = _create(ctx, rule, target)
        ctx.remember_ref(target, ctx.kind, ctx.change["record_id"], made[-1].key)
    made[-1].params["target"] = term(f"app.{target}")
    return made


ACTIONS = {"create": _create, "keep": _keep, "keep_parts": _keep_parts, "update": _update, "link": _link, "delete": _delete, "set_status": _set_status}


def shown(fields: FieldMap, name: str) -> str:
    """The source field that shows the target's ``name`` to a person: a reference
    brought along is shown by its code (``group_id`` as ``group_code``)."""
    ref = next((a for a in fields.along if a.field == name), None)
    return f"{ref.source}_code" if ref else name


def bulk_command(ctx: Ctx, bulk: Bulk, matched: dict | None) -> tuple[str, dict, list[Note]]:
    """The first sync's command for one record (``ctx.data``) of a pass: the name, the
    arguments, and what the field map explains; ``matched``: the target record it was
    linked or matched to, None when it is to be created."""
    notes: list[Note] = []
    ctx.into_kind = bulk.into.of(ctx.data)
    noun = NOUNS[ctx.into_kind]
    values = values_for(ctx, bulk.fields, bulk.target, creating=matched is None, only_changed=False, made=[], notes=notes)
    if bulk.copies:
        return f"upsert_{noun}", {**values, **({"target_id": matched["id"]} if matched else {})}, notes
    if matched:
        return f"update_{noun}", {"target_id": matched["id"], "values": values}, notes
    return f"create_{noun}", {"values": values}, notes


# -- the field map -----------------------------------------------------------------------
def values_for(ctx: Ctx, fields: FieldMap | None, target: str, *, creating: bool, only_changed: bool, made: list, notes: list) -> dict:
    """The target's values of the record under ``fields``. Records brought along first
    add their actions to ``made``; looked-up values add their explanations to ``notes``."""
    if fields is None:
        return {}
    data, changes = ctx.data, ctx.changed
    sources = fields.sources.items()
    values: dict = {name: data.get(source) for name, source in sources if not only_changed or source in changes}
    for name, mapping in fields.value_map.items():  # then each value mapped, then converted
        if name in values:
            values[name] = mapping.get(values[name], values[name])
    for name, convert in fields.convert.items():
        if name in values:
            values[name] = convert(values[name])
    if creating:
        values.update(fields.constants)
    if ctx.verb == "Deleted":
        values.update(fields.on_delete)
    for ref in fields.along:
        if ref.into is not None and ctx.into_kind not in ref.into:
            continue
        if only_changed and not any(k in changes for k in ref.changed):
            continue
        values[ref.field] = _along(ctx, ref, target, made)
    for nested in fields.nested:
        if not only_changed or nested.field in changes:
            values[nested.field] = _nested(ctx, nested, target, notes)
    for lookup in fields.lookups:
        if lookup.on_create and not creating:
            continue
        values[lookup.field], note = _looked_up(ctx, lookup, target)
        notes.append(note)
    return values


def _along(ctx: Ctx, ref: Along, target: str, made: list):
    """The target's id of the referenced record, bringing it along first."""
    record = ctx.data.get(ref.source)
    if not record:
        return None
    source = (ctx.source, ref.kind, record["id"])
    linked = ctx.link(target, source=source)
    if linked:
        return linked[1]
    if ctx.bulk:  # the first sync brings referenced kinds in an earlier pass
        return None
    pending = ctx.batch_ref(target, ref.kind, record["id"])
    if pending:
        return {"$ref": pending}
    rule = ref.rule
    same_code = ctx.find(target, ref.query, record["code"])
    if same_code and not ctx.linked_elsewhere(target, ref.kind, same_code["id"]):
        made.append(Note(rule, "applied", target, ref.kind, same_code["id"], same_code["code"], {"code": record["code"], "how": term("how.linked")}, link=True, link_source=source, reason=ref.reason))
        return same_code["id"]
    key = ctx.key(f"{ref.source}:{record['id']}")
    ctx.remember_ref(target, ref.kind, record["id"], key)
    values = {f: record.get(f) for f in ref.fields}
    made.append(Action(rule, target, ref.kind, f"create_{NOUNS[ref.kind]}", key, {"values": values}, {"code": record["code"], "how": term("how.created")}, link=True, link_source=source, reason=ref.reason))
    return {"$ref": key}


def _nested(ctx: Ctx, nested: Nested, target: str, notes: list) -> list[dict]:
    """The nested records with their references mapped to the target's own records; one
    whose referenced record has no counterpart there is left out, and ``notes`` say so."""
    out = []
    for row in ctx.data.get(nested.field) or []:
        linked = ctx.link(target, source=(ctx.source, nested.kind, row[nested.id_field]))
        if linked is None:
            notes.append(Note(ctx.rule, "skipped", target, params={"item": row.get(nested.code_field), "target": term(f"app.{target}")}, reason=nested.reason))
            continue
        out.append({nested.id_field: linked[1], **{k: row.get(k) for k in nested.keep}})
    return out


# The first sync shares one dict among its records' notes (stored once, never changed);
# a live decision gets its own (it is stored with the change and may be added to).
_NO_OWNER = {"owner": None, "salesperson": None}


def _looked_up(ctx: Ctx, lookup: Lookup, target: str) -> tuple:
    key = ctx.data.get(lookup.key)
    if not key:
        return None, Note(lookup.blank, "applied", params=_NO_OWNER if ctx.bulk else dict(_NO_OWNER))
    row = ctx.find(target, lookup.query, key)
    if row is None or not lookup.usable(row):
        return None, Note(lookup.missing, "skipped", params={"salesperson": key})
    return row[lookup.take], Note(lookup.found, "applied", params={"owner": row["code"], "salesperson": key})


def _remarks(ctx: Ctx, rule: Rule, target: str, *, outcome: str | None = None, on: tuple[str, int] | None = None) -> list[Note]:
    """The other rules the decision logs (of ``outcome`` only, if given); ``on``: the
    target record they are about, when no command carries it."""
    notes = []
    for remark in rule.remarks:
        if (outcome and remark.outcome != outcome) or not remark.when(ctx, target):
            continue
        params = {name: ctx.data.get(field) for name, field in remark.params.items()}
        kind, target_id = on or (None, None)
        notes.append(Note(remark.rule, remark.outcome, target if on else None, kind, target_id, params=params))
    return notes
