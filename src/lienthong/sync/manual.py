"""Manual sync and pulling on demand ("Lấy về", "Chuẩn hóa dữ liệu"): one record, a selection or a
whole kind, carried now from the app it comes from (``source``) to the other app of
the connection, with the outcome of each record.

What happens to a record is the rule interpreter's answer (:func:`engine.decide` with
the forms of :mod:`lienthong.sync.rules.manual`): nothing is mapped here. This module
reads the records, asks the interpreter, sends the commands in one call per chunk (a
group brought along by one record is the one the next record refers to), then writes
the links and one log entry per record in one transaction of the connector's database.

A *push* carries the chosen records, or every record of the kind (``all``). A *pull*
is the same move asked for by the receiving side: with ``all`` it takes only the
records that never reached the other app (no link): data normalisation. A preview
reads the same records and takes the same decisions, and writes nothing; it cannot
know that the other app will refuse a record (a failure shows only in the run).

A record kept in parts (an accounting price policy: one CRM policy per product group)
has an outcome per part: each part created, updated, unchanged or linked, a part of a
group removed since marked inactive (updated) or found inactive already (unchanged).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from lienthong.kernel.auth import Principal, require_role
from lienthong.kernel.i18n import current_language, term
from lienthong.kernel.problems import Conflict, FieldError, NotFound, Unavailable, ValidationProblem
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.sync import links, log
from lienthong.sync.engine import Batch, Ctx, decide, prefetch
from lienthong.sync.first_sync import read_all
from lienthong.sync.log import in_both
from lienthong.sync.peers import PeerUnavailable
from lienthong.sync.rules import Action, Note
from lienthong.sync.rules.base import NOUNS
from lienthong.sync.rules.manual import CLOSED, KINDS, MANUAL_RULES, PULLED, PUSHED
from lienthong.sync.tables import Connection

CHUNK = 200  # records decided and sent together; progress moves a chunk at a time
APPS = ("accounting", "crm")
DIRECTIONS = {"push": PUSHED, "pull": PULLED}
OUTCOMES = ("created", "updated", "linked", "unchanged", "skipped", "failed")

# Who may: administrators always; an accountant pulls into accounting (from CRM), a
# manager pulls into CRM (from accounting: normalisation). Pushing is the administrator's.
PULL_ROLES = {"crm": ("accountant",), "accounting": ("manager",)}


def other(app: str) -> str:
    return "crm" if app == "accounting" else "accounting"


@dataclass
class Item:
    """The outcome of one record."""

    id: int
    code: str
    outcome: str
    reason: tuple[str, str]  # (Vietnamese, English)
    target: dict = field(default_factory=dict)  # app, kind, id, code of its counterpart

    def read(self, lang: str) -> dict:
        return {"id": self.id, "code": self.code, "outcome": self.outcome, "reason": self.reason[1] if lang == "en" else self.reason[0], "target": self.target}


# -- checks ---------------------------------------------------------------------------
def check_role(principal: Principal, direction: str, source: str) -> None:
    """Administrators push and pull; an accountant pulls from CRM, a manager from accounting."""
    if direction == "pull" and source in PULL_ROLES:
        require_role(principal, *PULL_ROLES[source], reason=f"forbidden.manual_pull_{source}")
    else:
        require_role(principal, reason="forbidden.manual_push")


def check_request(kind: str, source: str, ids: list[int] | None, everything: bool) -> None:
    """Every fault of the request at once, each naming its field."""
    errors = []
    if kind not in KINDS:
        errors.append(FieldError("kind", "invalid", "sync.manual.bad_kind", {"kind": kind, "choices": ", ".join(KINDS)}))
    if source not in APPS:
        errors.append(FieldError("from", "invalid", "sync.manual.bad_app", {"app": source, "choices": ", ".join(APPS)}))
    if ids is not None and everything:
        errors.append(FieldError("all", "conflict", "sync.manual.ids_and_all"))
    elif ids is None and not everything:
        errors.append(FieldError("ids", "missing", "sync.manual.nothing_chosen"))
    elif ids is not None and not ids:
        errors.append(FieldError("ids", "too_short", "sync.manual.ids_empty"))
    if (source, kind) in CLOSED:
        rule, key = CLOSED[(source, kind)]
        errors.insert(0, FieldError("from", "one_way", key, {"rule": rule.id}))
    if errors:
        raise ValidationProblem(errors[0].key, errors=errors, **errors[0].params)


def check_connected(session, tenant_id: str, kind: str, source: str) -> None:
    """The two apps are connected, for this kind."""
    row = session.scalar(select(Connection).where(Connection.tenant_id == tenant_id, Connection.app_a == "accounting", Connection.app_b == "crm"))
    if row is None:
        raise Conflict("sync.manual.not_connected", errors=[FieldError("from", "not_connected", "sync.manual.not_connected", {"source": term(f"app.{source}"), "target": term(f"app.{other(source)}")})], source=term(f"app.{source}"), target=term(f"app.{other(source)}"))
    if kind not in row.kinds:
        raise Conflict("sync.manual.kind_not_connected", errors=[FieldError("kind", "not_connected", "sync.manual.kind_not_connected", {"kind": term(f"kind.{kind}")})], kind=term(f"kind.{kind}"))


# -- reading --------------------------------------------------------------------------
def read_chosen(peer, tenant_id: str, kind: str, ids: list[int]) -> list[dict]:
    """The records of these ids, in the order given (each once); an id of no record of
    this tenant is a 404 naming it (another tenant's records do not exist here)."""
    query = kind.replace("-", "_")
    found, missing = [], []
    for rid in dict.fromkeys(ids):
        page = peer.query(tenant_id, query, after=rid - 1, limit=1)  # the record with this id, if any
        if page and page[0]["id"] == rid:
            found.append(page[0])
        else:
            missing.append(rid)
    if missing:
        text = ", ".join(map(str, missing))
        raise NotFound("sync.manual.not_found", errors=[FieldError("ids", "not_found", "sync.manual.not_found", {"kind": term(f"kind.{kind}"), "ids": text})], kind=term(f"kind.{kind}"), ids=text)
    return found


def linked_ids(session, tenant_id: str, source: str, kind: str, ids: list[int]) -> set[int]:
    """Which of these records have a counterpart in the other app (whole, or a part of them)."""
    target = other(source)
    whole = {rid for rid, app in links.of_records(session, tenant_id, source, kind, ids) if app == target}
    return whole | links.with_parts(session, tenant_id, source, kind, ids, target)


def unlinked(connector, tenant_id: str, source: str, kind: str, records: list[dict]) -> list[dict]:
    """The records with no counterpart in the other app (never synced)."""
    out = []
    with connector.db.reader() as session:
        for start in range(0, len(records), CHUNK):
            chunk = records[start : start + CHUNK]
            known = linked_ids(session, tenant_id, source, kind, [r["id"] for r in chunk])
            out += [r for r in chunk if r["id"] not in known]
    return out


def candidates(connector, tenant_id: str, source: str, kind: str) -> list[dict]:
    """What a pull of the whole kind takes: the records that never reached the other app."""
    return unlinked(connector, tenant_id, source, kind, read_all(connector.peers[source], tenant_id, kind.replace("-", "_")))


# -- running --------------------------------------------------------------------------
class ManualSync:
    """One push or pull of ``records`` of ``kind`` from ``source``."""

    def __init__(self, connector, tenant_id: str, *, direction: str, kind: str, source: str, preview: bool = False, progress: Callable[[int, int], None] | None = None):
        self.connector = connector
        self.tenant_id = tenant_id
        self.verb = DIRECTIONS[direction]
        self.rules = MANUAL_RULES[self.verb]
        self.kind, self.source, self.target = kind, source, other(source)
        self.preview = preview
        self.progress = progress or (lambda done, total: None)
        self.run_id = uuid.uuid4().hex

    def run(self, records: list[dict]) -> list[Item]:
        items: list[Item] = []
        self.progress(0, len(records))
        for start in range(0, len(records), CHUNK):
            chunk = records[start : start + CHUNK]
            items += self._chunk(chunk)
            self.progress(start + len(chunk), len(records))  # records, not outcomes (a record in parts has several)
        return items

    def _change(self, record: dict) -> dict:
        return {
            "id": None, "tenant_id": self.tenant_id, "source_app": self.source, "kind": self.kind, "type": self.verb,
            "event_id": f"manual:{self.run_id}:{self.source}:{self.kind}:{record['id']}",
            "record_id": record["id"], "record_code": record["code"], "data": record, "changed": {}, "origin_app": None,
        }

    def _chunk(self, records: list[dict]) -> list[Item]:
        connector, plan = self.connector, Batch.new()
        changes = [self._change(r) for r in records]
        with connector.db.reader() as session:
            for r in records:
                plan.links[(self.tenant_id, self.source, self.kind, r["id"])] = {}
            for (rid, app), linked in links.of_records(session, self.tenant_id, self.source, self.kind, [r["id"] for r in records]).items():
                plan.links[(self.tenant_id, self.source, self.kind, rid)][app] = linked
            connections = connector.connections()

            def ctx(change: dict, asked: list | None = None) -> Ctx:
                return Ctx(session=session, peers=connector.peers, connections=connections, change=change, batch=plan, recording=asked)

            prefetch(ctx, changes, plan, connector.peers, self.rules)
            decisions = [decide(ctx(c), self.rules) for c in changes]
        if self.preview:
            return [item for c, d in zip(changes, decisions) for item in self._previewed(c, d)]
        commands = [{"name": d.command, "key": d.key, "args": d.args} for ds in decisions for d in ds if isinstance(d, Action)]
        outcomes = connector.peers[self.target].apply(self.tenant_id, self.source, commands) if commands else []
        results = {c["key"]: o for c, o in zip(commands, outcomes)}
        return self._record(changes, decisions, results)

    # what each record's decision means
    @staticmethod
    def _units(decision: list) -> list[Action | Note]:
        """The decisions about the record itself, each with an outcome: one, or one per part
        of a record kept in parts (a group brought along comes before them, and is none)."""
        return [d for d in decision if d.link_source is None]

    def _params(self, change: dict, d: Action | Note, target_code: str | None = None) -> dict:
        kept = {k: v for k, v in d.params.items() if k in ("former", "part")}
        return {"kind": term(f"kind.{self.kind}"), "code": change["record_code"], "target": term(f"app.{self.target}"), "target_code": target_code, **kept}

    @staticmethod
    def _how(d: Action | Note, changed: bool, created: bool = True) -> str:
        """The outcome: ``changed`` and ``created`` are the target's answer (a preview foresees them)."""
        if isinstance(d, Note):
            return "skipped"
        if d.command.startswith("create_"):
            return "created"
        if _is_part(d) and "target_id" not in d.args:  # a part with no counterpart yet: made, or found by its policy and group
            return "created" if created else "linked"
        if d.link:
            return "linked"
        return "updated" if changed else "unchanged"

    @staticmethod
    def _named(how: str, d: Action | Note) -> str | None:
        """The rule's reason that says what happened (None: its created text)."""
        if _is_part(d):
            if d.command.startswith("deactivate_"):
                return "part_inactive" if how == "updated" else "part_inactive_unchanged"
            return f"part_{how}"
        if how == "linked":
            return d.reason or "linked"
        return None if how == "created" else (d.reason if how == "skipped" else how)

    def _item(self, change: dict, d: Action | Note, how: str, target_id=None, target_code=None) -> Item:
        named = self._named(how, d)
        reason = d.rule.reason("skipped" if how == "skipped" else "applied", named, **self._params(change, d, target_code))
        target = {"app": self.target, "kind": d.target_kind, "id": target_id, "code": target_code}
        return Item(change["record_id"], change["record_code"], how, reason, target)

    def _previewed(self, change: dict, decision: list) -> list[Item]:
        return [self._foreseen(change, d) for d in self._units(decision)]

    def _foreseen(self, change: dict, d: Action | Note) -> Item:
        """What the run will say of one decision: an update reads the target's record to tell
        updated from unchanged, as the target's answer will."""
        if isinstance(d, Note):
            return self._item(change, d, "skipped", d.target_id, d.target_code)
        target_id, changed, code = d.args.get("target_id"), True, None
        if _is_part(d) and target_id is None:  # a part the target already keeps, unlinked, is linked
            kept = self._kept_part(d)
            if kept is not None:
                return self._item(change, d, self._how(d, True, created=False), kept["id"], kept["code"])
        if target_id is not None and not d.link:
            current = self._current(d.target_kind, target_id)
            changed = current is None or _differs(d, current)
            code = current["code"] if current else None
        return self._item(change, d, self._how(d, changed), target_id, code)

    def _kept_part(self, d: Action) -> dict | None:
        """The target's part of the same source record and group, which its part command
        would find (None when the group is brought along now: no part can have it yet)."""
        source, part = d.rule.part_args  # the values naming a part: its source record's code, the target's record it is for
        if not isinstance(d.args.get(part), int):
            return None
        kept = self.connector.peers[self.target].query(self.tenant_id, f"{NOUNS[d.target_kind]}_parts", value=d.args.get(source))
        return next((p for p in kept if p.get(part) == d.args[part]), None)

    def _current(self, kind: str, record_id: int) -> dict | None:
        page = self.connector.peers[self.target].query(self.tenant_id, kind.replace("-", "_"), after=record_id - 1, limit=1)
        return page[0] if page and page[0]["id"] == record_id else None

    def _failed(self, change: dict, d: Action, refusal: dict, source: tuple, entries: list) -> Item:
        """A record (or part) the other app refused, with its refusal in both languages."""
        params = self._params(change, d)
        named = "part_failed" if "part" in params else "failed"  # a part to upsert names its group
        vi = d.rule.reason("skipped", named, **params, error=refusal.get("error_vi"))[0]
        en = d.rule.reason("skipped", named, **params, error=refusal.get("error_en"))[1]
        target = (self.target, d.target_kind, d.args.get("target_id"), None)
        entries.append(log.entry(d.rule, "skipped", tenant_id=self.tenant_id, params={**params, "error": in_both(refusal.get("error_vi"), refusal.get("error_en"))}, source=source, target=target, event_type=self.verb, named=named))
        return Item(change["record_id"], change["record_code"], "failed", (vi, en), dict(zip(("app", "kind", "id", "code"), target)))

    def _record(self, changes: list[dict], decisions: list[list], results: dict) -> list[Item]:
        """Links and the log (one entry per record or part, and one per group brought along
        or owner looked up, as in live sync), in one transaction; the outcome of each."""
        items, entries, new_links = [], [], []
        for change, decision in zip(changes, decisions):
            source = (self.source, self.kind, change["record_id"], change["record_code"])
            units = self._units(decision)
            along_refused = None
            for d in decision:
                if d.link_source is None:
                    continue
                outcome = results.get(d.key) if isinstance(d, Action) else None
                if outcome is not None and not outcome.get("ok"):
                    along_refused = along_refused or outcome
                    continue
                target_id = outcome.get("id") if outcome else d.target_id
                target_code = outcome.get("code") if outcome else d.target_code
                if d.link and target_id is not None:
                    new_links.append((d.link_source, (self.target, d.target_kind, target_id), d.part))
                # a group brought along: its own rule says so
                entries.append(log.entry(d.rule, "applied", tenant_id=self.tenant_id, params={"code": change["record_code"], **d.params}, source=source, target=(self.target, d.target_kind, target_id, target_code), event_type=self.verb))
            for d in units:
                outcome = results.get(d.key) if isinstance(d, Action) else None
                ok = outcome is None or outcome.get("ok")
                target_id = outcome.get("id") if outcome else d.target_id
                target_code = outcome.get("code") if outcome else d.target_code
                if ok and d.link and target_id is not None:
                    new_links.append((source[:3], (self.target, d.target_kind, target_id), d.part))
                # the record refused, or (one outcome only) the group it needed: said once
                refusal = outcome if not ok else (along_refused if len(units) == 1 else None)
                if refusal is not None:
                    items.append(self._failed(change, d, refusal, source, entries))
                    continue
                how = self._how(d, bool(outcome.get("changed", True)) if outcome else True, bool(outcome.get("created", True)) if outcome else True)
                items.append(self._item(change, d, how, target_id, target_code))
                target = (self.target, d.target_kind, target_id, target_code)
                entries.append(log.entry(d.rule, "skipped" if how == "skipped" else "applied", tenant_id=self.tenant_id, params=self._params(change, d, target_code), source=source, target=target, event_type=self.verb, named=self._named(how, d)))
                for note in getattr(d, "notes", []):
                    entries.append(log.entry(note.rule, note.outcome, tenant_id=self.tenant_id, params={"code": change["record_code"], **note.params}, source=source, target=target, event_type=self.verb, named=note.reason))
        with UnitOfWork(self.connector.db) as uow:
            links.put_many(uow.session, self.tenant_id, new_links)
            log.write(uow.session, entries)
            uow.commit()
        return items


def _is_part(d: Action | Note) -> bool:
    """A command about one part of a record kept in parts (``upsert_<noun>_part``, ``deactivate_<noun>_part``)."""
    return isinstance(d, Action) and d.command.endswith("_part")


def _rows(nested, rows: list[dict]) -> list[tuple]:
    """Nested records as the target keeps them: each referenced record once (the first)."""
    out, seen = [], set()
    for row in rows:
        if row.get(nested.id_field) not in seen:
            seen.add(row.get(nested.id_field))
            out.append(tuple(row.get(k) for k in (nested.id_field, *nested.keep)))
    return out


def _differs(d: Action, current: dict) -> bool:
    """Would the command change the target's ``current`` record? The values sent (a part's
    naming values beside them, nested records by their field map), or a part to mark inactive."""
    if d.command.startswith("deactivate_"):
        return current.get("active") is not False
    nested = {n.field: n for n in (d.rule.fields.nested if d.rule.fields else ())}
    for name, value in d.args["values"].items():
        if name in nested:
            if _rows(nested[name], value) != _rows(nested[name], current.get(name) or []):
                return True
        elif current.get(name) != value:
            return True
    return any(current.get(name) != d.args.get(name) for name in d.rule.part_args)


def sync_records(connector, principal: Principal, *, direction: str, kind: str, source: str, ids: list[int] | None = None, everything: bool = False, preview: bool = False, progress=None) -> dict:
    """Push or pull, after every check (nothing is read or written before they pass)."""
    check_role(principal, direction, source)
    check_request(kind, source, ids, everything)
    tenant_id = principal.tenant_id
    with connector.db.reader() as session:
        check_connected(session, tenant_id, kind, source)
    try:
        records = _chosen(connector, tenant_id, direction, kind, source, ids)
        job = ManualSync(connector, tenant_id, direction=direction, kind=kind, source=source, preview=preview, progress=progress)
        if preview:
            items = job.run(records)
        else:
            with connector.lock:  # live sync waits meanwhile, so the two never race over a record
                items = job.run(records)
    except PeerUnavailable as exc:  # the chunks sent before it stay done; running again finishes the rest
        raise Unavailable("peer.unreachable", app=term(f"app.{exc.app}"), detail=exc.detail) from None
    return summary(direction, kind, source, preview, items)


def _chosen(connector, tenant_id: str, direction: str, kind: str, source: str, ids: list[int] | None) -> list[dict]:
    """The chosen records; else the whole kind (a pull: the records never synced)."""
    if ids is not None:
        return read_chosen(connector.peers[source], tenant_id, kind, ids)
    if direction == "pull":
        return candidates(connector, tenant_id, source, kind)
    return read_all(connector.peers[source], tenant_id, kind.replace("-", "_"))


def summary(direction: str, kind: str, source: str, preview: bool, items: list[Item]) -> dict:
    lang = current_language()
    counts = {o: 0 for o in OUTCOMES}
    for item in items:
        counts[item.outcome] += 1
    return {"direction": direction, "kind": kind, "from": source, "to": other(source), "preview": preview, "counts": counts, "items": [i.read(lang) for i in items]}
