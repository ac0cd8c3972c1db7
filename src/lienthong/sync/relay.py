"""Step 1, relay: copy new outbox events into the connector's queue, moving the read
position in the same transaction of the connector's database."""

from __future__ import annotations

import time

from pydantic import ValidationError
from sqlalchemy import select

from lienthong.kernel.bulk import insert_rows
from lienthong.kernel.contracts import input_problem
from lienthong.kernel.i18n import t, term
from lienthong.kernel.port import problem_outcome
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.sync import log
from lienthong.sync.peers import PeerUnavailable
from lienthong.sync.rules.connection import PARKING
from lienthong.sync.tables import Change, ReadPosition

RELAY_PAGE = 1000  # events read from one app's outbox per pass


class Relay:
    """The connector's relay (mixed into :class:`~lienthong.sync.delivery.Connector`)."""

    def relay(self) -> int:
        """Copy new outbox events into the queue; returns how many were read."""
        moved = 0
        with self.db.reader() as session:
            positions = {p.app: p.position for p in session.scalars(select(ReadPosition))}
        for name, peer in self.peers.items():
            after = positions.get(name, 0)
            if self.watch_commits and name not in self._dirty and peer.mode != "http" and after and time.monotonic() - self._last_read.get(name, 0) < self.poll:
                continue  # an in-process app that committed nothing since the last read
            if not self._contract_checked(name):
                continue
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
                    self._checked(name, {
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
                    })
                    for e in events
                    if e.get("origin_app") is None or self._travels_on(name, e["kind"], e["origin_app"])
                ]
                unfit = [r for r in rows if r["state"] == "parked"]
                rows = [r for r in rows if r["state"] != "parked"]
                if rows:
                    insert_rows(uow.session, Change.__table__, rows)
                self._park_unfit(uow.session, unfit)
                if stored is None:
                    uow.session.add(ReadPosition(app=name, position=position))
                else:
                    stored.position = position
                uow.commit()
                moved += len(events)
        return moved

    def _checked(self, app: str, row: dict) -> dict:
        """The queued change of one event, parked at once with the reason if its data does
        not fit the model the app declares for its type (no rule ever sees it). A type
        the app does not declare is named by no rule (checked at start) and goes on to
        be decided as nothing."""
        model = self._event_models(app).get(row["type"])
        if model is None:
            return row
        try:
            model.model_validate(row["data"])
        except ValidationError as exc:
            fields = problem_outcome(input_problem(exc))
            params = {"app": term(f"app.{app}"), "type": row["type"]}
            row.update(state="parked", attempts=1, error_vi=t("connector.event_unfit", "vi", **params, reason=fields["error_vi"]), error_en=t("connector.event_unfit", "en", **params, reason=fields["error_en"]))
        return row

    def _event_models(self, app: str) -> dict:
        if app not in self._models:
            self._models[app] = {e.type_name(): e for e in getattr(self.peers[app], "events", ())}
        return self._models[app]

    @staticmethod
    def _park_unfit(session, rows: list[dict]) -> None:
        """Unfit events, queued as parked changes with their reason in the decision log."""
        for row in rows:
            change = Change(**row)
            session.add(change)
            session.flush()
            params = {"attempts": 1, "code": change.record_code, "error": log.in_both(change.error_vi, change.error_en)}
            source = (change.source_app, change.kind, change.record_id, change.record_code)
            log.write(session, [log.entry(PARKING, "parked", tenant_id=change.tenant_id, params=params, source=source, change_id=change.id, event_type=change.type, named="unfit")])

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
