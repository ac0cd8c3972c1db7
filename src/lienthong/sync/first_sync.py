"""The three first-sync steps of a connection, strictly in order.

Each step runs its passes (declared in :mod:`lienthong.sync.rules.bulk`): it reads
whole catalogs from both apps, links records already linked or with the same code
(accounting's values win for catalogs, as SPEC's decision says), creates what is
missing, and records a summary. What a record becomes in the target (its kind, the
command, the values) is the rule interpreter's answer (``engine.bulk_command``), from
the same field maps as the live rules: nothing is mapped here. Re-running a step creates no
duplicates: links and codes find what an earlier run made. With ``preview`` the
step reports what it would do and writes nothing.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from lienthong.kernel.i18n import both, term
from lienthong.kernel.problems import Conflict
from lienthong.kernel.text import code_key
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.sync import links, log
from lienthong.sync.engine import Batch, Ctx, bulk_command, shown
from lienthong.sync.rules.base import Bulk
from lienthong.sync.rules.bulk import passes
from lienthong.sync.rules.connection import STEP_ORDER
from lienthong.sync.tables import StepRun

CHUNK = 2000
MAX_REASONS = 200
MAX_CONFLICTS = 1000


@dataclass
class Summary:
    counts: Counter = field(default_factory=Counter)
    by_kind: dict = field(default_factory=dict)
    reasons: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)
    conflicts_total: int = 0

    def conflict(self, item: dict) -> None:
        """A field whose value differs between two records the step matched; ``winner``'s
        value is written to the other side."""
        self.conflicts_total += 1
        if len(self.conflicts) < MAX_CONFLICTS:
            self.conflicts.append(item)

    def add(self, kind: str, outcome: str, code: str | None = None, reason: tuple[str, str] | None = None) -> None:
        """Count one record; ``reason`` is ``(Vietnamese, English)``: :func:`in_language` picks one."""
        self.counts[outcome] += 1
        self.by_kind.setdefault(kind, Counter())[outcome] += 1
        if reason and len(self.reasons) < MAX_REASONS:
            self.reasons.append({"kind": kind, "code": code, "outcome": outcome, "reason_vi": reason[0], "reason_en": reason[1]})

    def add_counts(self, kind: str, counts: Counter) -> None:
        """Count many records of ``kind`` at once, by outcome (a chunk's, without reasons)."""
        self.counts.update(counts)
        self.by_kind.setdefault(kind, Counter()).update(counts)

    def as_dict(self) -> dict:
        out = {k: self.counts.get(k, 0) for k in ("created", "linked", "updated", "unchanged", "skipped", "failed")}
        out["by_kind"] = {k: dict(v) for k, v in self.by_kind.items()}
        out["reasons"] = self.reasons
        out["conflicts"] = self.conflicts
        out["conflicts_total"] = self.conflicts_total
        return out


def in_language(summary: dict | None, lang: str) -> dict | None:
    """A stored summary as answered: each reason in the request's language only."""
    if not summary:
        return summary
    reasons = [{k: v for k, v in r.items() if k not in ("reason_vi", "reason_en")} | {"reason": r.get(f"reason_{lang}", r.get("reason"))} for r in summary.get("reasons", [])]
    return {**summary, "reasons": reasons}


@dataclass
class Match:
    """What the step does with one source record: ``how`` is created, linked, updated
    (already linked) or skipped (with ``reason``)."""

    record: dict
    kind: str
    target: dict | None
    how: str
    reason: tuple[str, str] | None = None  # (Vietnamese, English)


def read_all(peer, tenant_id: str, query: str) -> list[dict]:
    rows: list[dict] = []
    after = 0
    while True:
        chunk = peer.query(tenant_id, query, after=after, limit=CHUNK)
        rows.extend(chunk)
        if len(chunk) < CHUNK:
            return rows
        after = chunk[-1]["id"]


class StepRunner:
    def __init__(self, connector, connection, step: int, *, preview: bool = False, progress: Callable[[int, int], None] | None = None):
        self.connector = connector
        self.connection = connection
        self.step = step
        self.preview = preview
        self.progress = progress or (lambda done, total: None)
        self.tenant_id = connection.tenant_id
        self.summary = Summary()
        self.run_id = int(time.time() * 1000)
        self.lookups: dict = {}
        self.facts = Batch.new()

    def _facts(self, p: Bulk) -> Ctx:
        """What the interpreter may ask about a record of pass ``p``, answered from what
        the step read (one context per pass, aimed at each record in turn)."""
        change = {"tenant_id": self.tenant_id, "source_app": p.source, "kind": p.kind, "type": "Listed", "event_id": "", "record_id": 0, "data": {}, "changed": {}}
        return Ctx(session=None, peers=self.connector.peers, connections={}, change=change, batch=self.facts, bulk=True)

    # -- running ----------------------------------------------------------------------
    def run(self) -> dict:
        peers = self.connector.peers
        pairs = passes(self.step, set(self.connection.kinds))
        self.lookups["links"] = self.facts.catalog_links
        sources = {}
        for p in pairs:
            if p.source not in peers or p.target not in peers:
                continue
            sources[id(p)] = self._read(p.source, p.kind)
            self._look_up(p, sources[id(p)])
        matches = self._match_all([p for p in pairs if id(p) in sources], sources)
        self._total = total = sum(len(m) for m in matches.values())  # each record once: a matched pair is one
        done = 0
        self.progress(done, total)
        for p in pairs:
            if id(p) not in matches:
                continue
            for chunk_start in range(0, len(matches[id(p)]), CHUNK):
                chunk = matches[id(p)][chunk_start : chunk_start + CHUNK]
                done += len(chunk)
                self._sync_chunk(p, chunk, done)
        return self.summary.as_dict()

    def _look_up(self, p: Bulk, records: list[dict]) -> None:
        """Ask the target, once per field-map lookup, what the pass's records will ask
        (the users of their salespeople), so the interpreter finds every answer."""
        for lookup in p.fields.lookups:
            keys = sorted({r[lookup.key] for r in records if r.get(lookup.key)})
            for start in range(0, len(keys), CHUNK):
                found = self.connector.peers[p.target].query(self.tenant_id, lookup.query, values=keys[start : start + CHUNK])
                for key in keys[start : start + CHUNK]:
                    self.facts.found[(self.tenant_id, p.target, lookup.query, key)] = found.get(key)

    def _match_all(self, pairs: list[Bulk], sources: dict) -> dict[int, list[Match]]:
        """Which record goes where, for every pair, before anything is written (the same
        for a preview and a run). A record an earlier pair matched (the reverse pass's
        side of a pair linked by code) is left out: it is counted once, with its pair."""
        claimed: set[tuple[str, str, int]] = set()  # (app, kind, id) matched by an earlier pair
        out: dict[int, list[Match]] = {}
        for p in pairs:
            link_map = self._links(p)
            taken = self._reverse_linked(p)
            matches = out[id(p)] = []
            for record in sources[id(p)]:
                kind = p.into.of(record)
                linked = link_map.get((p.kind, record["id"]))
                if p.reverse and (linked or (p.source, p.kind, record["id"]) in claimed):
                    continue
                if linked:
                    target = (None if p.copies else self._target_by_id(p, kind, linked[1])) or {"id": linked[1]}
                    matches.append(Match(record, kind, target, "updated"))
                    claimed.add((p.target, kind, linked[1]))
                    continue
                match = self._targets(p, kind).get(code_key(record["code"]))  # codes match without case, as in the apps
                if match is None:
                    matches.append(Match(record, kind, None, "created"))
                elif (kind, match["id"]) in taken:
                    matches.append(Match(record, kind, match, "skipped", both("first_sync.code_taken", app=term(f"app.{p.target}"), code=record["code"])))
                else:
                    matches.append(Match(record, kind, match, "linked"))
                    claimed.add((p.target, kind, match["id"]))
        return out

    def _write(self, new_links: list, entries: list[log.Columns], done: int) -> None:
        """Write a chunk's links and log entries, then report the records done.

        In this thread, after the chunk was applied in the target app: a second thread
        writing the connector's database meanwhile was measured slower (10.2 s against
        7.1 s for 100,000 customers), because both threads hand the interpreter's lock
        back and forth for every row either driver steps through."""
        with UnitOfWork(self.connector.db) as uow:
            links.add_many(uow.session, self.tenant_id, new_links)
            log.write_columns(uow.session, entries)
            uow.commit()
        self.progress(done, self._total)

    def _links(self, p: Bulk) -> dict:
        key = (p.source, p.kind, p.target)
        if key not in self.lookups["links"]:
            with self.connector.db.reader() as session:
                self.lookups["links"][key] = links.all_for(session, self.tenant_id, p.source, (p.kind,), p.target)
        return self.lookups["links"][key]

    def _read(self, app: str, kind: str) -> list[dict]:
        """Every record of ``kind`` in ``app``, read once: every pass is matched before
        anything is written, so a pass's targets are the reverse pass's sources."""
        key = ("read", app, kind)
        if key not in self.lookups:
            self.lookups[key] = read_all(self.connector.peers[app], self.tenant_id, kind.replace("-", "_"))
        return self.lookups[key]

    def _targets(self, p: Bulk, kind: str) -> dict:
        """The target app's records of ``kind``, by code."""
        key = ("targets", p.target, kind)
        if key not in self.lookups:
            self.lookups[key] = {code_key(r["code"]): r for r in self._read(p.target, kind)}
        return self.lookups[key]

    def _target_by_id(self, p: Bulk, kind: str, record_id: int) -> dict | None:
        key = ("targets by id", p.target, kind)
        if key not in self.lookups:
            self.lookups[key] = {r["id"]: r for r in self._targets(p, kind).values()}
        return self.lookups[key].get(record_id)

    def _reverse_linked(self, p: Bulk) -> set:
        """Target records already linked to some source record (loaded once per pass,
        kept current as the step links more)."""
        key = ("taken", p.source, p.kind, p.target)
        if key not in self.lookups:
            with self.connector.db.reader() as session:
                self.lookups[key] = set(links.all_for(session, self.tenant_id, p.target, p.into.kinds, p.source).keys())
        return self.lookups[key]

    def _sync_chunk(self, p: Bulk, matches: list[Match], done: int) -> None:
        """Sync one chunk of a pass; ``done``: the records done once it is written."""
        commands, plans = [], []
        facts = self._facts(p)
        for m in matches:
            record, kind, target, how = m.record, m.kind, m.target, m.how
            if how == "skipped":
                self.summary.add(p.kind, "skipped", record["code"], m.reason)
                continue
            if target and not p.update and not p.copies:  # the pass back links what the other side has
                plans.append((record, kind, target, "linked", None, [], []))
                continue
            name, args, notes = bulk_command(facts.aim(record), p, target)
            key = f"step{self.step}:{self.run_id}:{p.source}:{p.kind}:{record['id']}:{p.target}"
            conflicts = self._conflicts(p, record, target, args["values"]) if target and not p.copies else []
            commands.append({"name": name, "key": key, "args": args})
            plans.append((record, kind, target, how, key, conflicts, notes))
        results = {} if self.preview or not commands else self._send(p, commands)
        self._record(p, plans, results, done)

    @staticmethod
    def _conflicts(p: Bulk, record: dict, target: dict, values: dict) -> list[dict]:
        """The fields an update would overwrite: where the target's value differs from the
        one sent. The source side wins (for catalogs, the side that owns the kind:
        accounting). A reference is compared by its id in the target and shown by its code."""
        out = []
        for name, value in values.items():
            if value == target.get(name):
                continue
            field = shown(p.fields, name)
            mine, theirs = (value, target.get(name)) if field == name else (record.get(field), target.get(field))
            out.append({"kind": p.kind, "code": record["code"], "field": field, "values": {p.source: mine, p.target: theirs}, "winner": p.source})
        return out

    def _send(self, p: Bulk, commands: list[dict]) -> dict:
        """Creates go as one bulk command per kind; if the target refuses the bulk (one bad
        record), every command goes alone so each record gets its own outcome."""
        peer = self.connector.peers[p.target]
        results: dict = {}
        creates = [c for c in commands if c["name"].startswith("create_") and "values" in c["args"]]
        rest = [c for c in commands if not (c["name"].startswith("create_") and "values" in c["args"])]
        by_name: dict[str, list[dict]] = {}
        for cmd in creates:
            by_name.setdefault(cmd["name"], []).append(cmd)
        for name, cmds in by_name.items():
            bulk = {"name": f"{name}_many", "key": f"{cmds[0]['key']}:bulk:{len(cmds)}", "args": {"items": [c["args"]["values"] for c in cmds]}}
            outcome = peer.apply(self.tenant_id, p.source, [bulk])[0]
            if outcome.get("ok"):
                for cmd, item in zip(cmds, outcome["items"]):
                    results[cmd["key"]] = {"ok": True, "created": True, **item}
            else:
                rest = rest + cmds
        if rest:
            for cmd, outcome in zip(rest, peer.apply(self.tenant_id, p.source, rest)):
                results[cmd["key"]] = outcome
        return results

    def _record(self, p: Bulk, plans: list, results: dict, done: int) -> None:
        applied = log.Columns(p.rule, "applied", tenant_id=self.tenant_id)
        remarks: dict[tuple, log.Columns] = {}  # what the field maps explain, by rule, outcome and reason
        new_links = []
        link_map, taken = self._links(p), self._reverse_linked(p)
        how_params = {}  # the stored parameters each outcome shares (the code is the source's)
        note_params: dict[int, dict] = {}  # a note's parameters as stored, by the note's dict
        counted: Counter = Counter()  # the chunk's outcomes, added to the summary at once
        for record, kind, target, how, key, conflicts, notes in plans:
            outcome = results.get(key) if key else {"ok": True, "id": target["id"], "code": target.get("code")}
            if not self.preview and (not outcome or not outcome.get("ok")):
                reason = ((outcome or {}).get("error_vi", ""), (outcome or {}).get("error_en", ""))
                self.summary.add(p.kind, "failed", record["code"], reason)
                continue
            if how == "updated" and not (conflicts if self.preview else outcome.get("changed")):
                how = "unchanged"  # the target already had these values
            counted[how] += 1
            for conflict in conflicts:
                self.summary.conflict(conflict)
            if self.preview:
                continue
            if how in ("created", "linked") or (p.copies and outcome.get("created")):
                new_links.append(((p.source, p.kind, record["id"]), (p.target, kind, outcome["id"])))
                link_map[(p.kind, record["id"])] = (kind, outcome["id"])
                taken.add((kind, outcome["id"]))
            source = (p.source, p.kind, record["id"], record["code"])
            target_of = (p.target, kind, outcome["id"], outcome.get("code"))
            shared = how_params.get(how) or how_params.setdefault(how, log.stored({"kind": term(f"kind.{p.kind}"), "how": term(f"how.{how}")}))
            applied.add(shared, source, target_of)
            for note in notes:  # what the field map explains (the owner of a new CRM customer)
                group = (note.rule.id, note.outcome, note.reason)
                if group not in remarks:
                    remarks[group] = log.Columns(note.rule, note.outcome, tenant_id=self.tenant_id, named=note.reason)
                params = note_params.get(id(note.params))  # the notes live until the chunk is written: ids stay theirs
                if params is None:
                    params = note_params[id(note.params)] = log.stored(note.params)
                remarks[group].add(params, source, target_of)
        if counted:
            self.summary.add_counts(p.kind, counted)
        if self.preview:
            self.progress(done, self._total)
            return
        self._write(new_links, [applied, *remarks.values()], done)


def check_order(session, connection_id: int, step: int) -> None:
    """a step runs only after the one before it succeeded."""
    if step == 1:
        return
    previous = session.query(StepRun).filter_by(connection_id=connection_id, step=step - 1).one_or_none()
    if previous is None or previous.state != "succeeded":
        raise Conflict("sync.step_order", previous=step - 1, step=step, rule=STEP_ORDER.id)
