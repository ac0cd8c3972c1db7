"""Step 4, record: links, log entries and each change's new state, for a whole batch
in one transaction; a refusal is retried after a wait, then parked; a counterpart
that no longer exists drops its link and the change is decided again; a deleted
record's links go with it, and a merged record's move to its survivor."""

from __future__ import annotations

import time
from collections import defaultdict

from sqlalchemy import update

from lienthong.kernel.i18n import term
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.sync import links, log
from lienthong.sync.decisions import load
from lienthong.sync.engine import verb_of
from lienthong.sync.rules import Action, Note
from lienthong.sync.rules.base import MERGED
from lienthong.sync.rules.connection import LINKS, PARKING
from lienthong.sync.tables import Change

KEPT_WHEN_MERGED = ("customers", "contacts")  # merged customers: their merged-away counterparts keep pointing at the survivor


class Record:
    """The connector's record step (mixed into :class:`~lienthong.sync.delivery.Connector`)."""

    def _record(self, changes: list[Change], results: dict) -> None:
        """Links, log entries and new states of a whole batch, in one transaction."""
        with UnitOfWork(self.db) as uow:
            session = uow.session
            entries: list[dict] = []
            new_links: dict[str, list] = defaultdict(list)
            deleted: dict[tuple[str, str, str], list[int]] = defaultdict(list)
            merged: list[tuple[Change, dict]] = []
            done: list[int] = []
            for change in changes:
                decision = load(change.decision, self._rules_by_id)
                failed = [(d, results.get(d.key, {})) for d in decision if isinstance(d, Action) and not results.get(d.key, {}).get("ok")]
                if failed:
                    stored = session.get(Change, change.id)
                    if not self._counterpart_gone(session, stored, failed, entries):
                        self._failed(stored, failed[0][1], entries)
                    continue
                self._succeeded(change, decision, results, entries, new_links[change.tenant_id])
                survivor = self._survivor(change)
                if survivor is not None:
                    merged.append((change, survivor))
                elif verb_of(change.type) == "Deleted":
                    deleted[(change.tenant_id, change.source_app, change.kind)].append(change.record_id)
                done.append(change.id)
            for tenant_id, pairs in new_links.items():
                links.put_many(session, tenant_id, pairs)
            for change, survivor in merged:
                self._move_links(session, change, survivor, entries)
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

    @staticmethod
    def _survivor(change: Change) -> dict | None:
        """The record a merged record was merged into (``{"id", "code"}``): a ``Merged``
        event names it in its data, a CRM customer's merge in its Deleted event's ``changed``."""
        verb = verb_of(change.type)
        if verb == MERGED and (change.data or {}).get("survivor_id") is not None:
            return {"id": change.data["survivor_id"], "code": change.data.get("survivor_code")}
        if verb == "Deleted":
            return (change.changed or {}).get("merged_into")
        return None

    def _move_links(self, session, change: Change, survivor: dict, entries: list) -> None:
        """A merged record's links go to its survivor where the survivor has none for that
        app. Otherwise a merged customer's counterpart keeps pointing at the survivor
        (so later documents still resolve) and any other link is dropped (a link never
        outlives what it joins); each logged."""
        keep = change.kind in KEPT_WHEN_MERGED
        for other, what in links.move_to_survivor(session, change.tenant_id, change.source_app, change.kind, change.record_id, survivor["id"], keep=keep):
            params = {"code": change.record_code, "survivor": survivor.get("code"), "target": term(f"app.{other[0]}")}
            entries.append(log.entry(LINKS, "applied", tenant_id=change.tenant_id, params=params, source=self._source(change), target=(*other, None), change_id=change.id, event_type=change.type, named=what))

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
