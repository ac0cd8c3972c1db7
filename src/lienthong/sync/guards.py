"""The connector answers the apps' guards (see :mod:`lienthong.kernel.guards`).

An :class:`Answer` says which app answers a guard and with which of its queries. The
connector finds the asked record's counterpart in that app through its links (never by
code): no counterpart, nothing there relies on the record. Otherwise it asks the app,
through the same peer that delivers changes to it (in process or over HTTP); an app
that does not answer refuses the action, naming the app.

No rule of today's rulebook needs an answer, so :data:`ANSWERS` is empty; the first will
be withdrawing a revenue request, when orders come (tests/acceptance/test_guards.py shows
its shape with a test double).
"""

from __future__ import annotations

from dataclasses import dataclass

from lienthong.kernel.db import Database
from lienthong.kernel.guards import Guard, Refused, Unreachable
from lienthong.sync import links
from lienthong.sync.peers import LocalPeer, PeerUnavailable


@dataclass(frozen=True)
class Answer:
    app: str  # the asking app
    use_case: str  # the guarded use case
    by: str  # the answering app
    query: str  # its query, asked with the counterpart's id: None, or an objection


# The answers of today's rulebook: none yet. With the orders, withdrawing a revenue
# request: Answer("crm", "withdraw_revenue_request", "accounting", "check_order_uninvoiced").
ANSWERS: tuple[Answer, ...] = ()


class GuardDesk:
    """Answers guards for the apps this connector reaches."""

    def __init__(self, db: Database, peers: dict, answers: tuple[Answer, ...] = ANSWERS):
        self.db = db
        self.peers = peers
        self.answers = answers
        for answer in answers:  # a misspelt query fails at start, not at the first call
            peer = peers.get(answer.by)
            if isinstance(peer, LocalPeer) and answer.query not in peer.port.queries:
                raise LookupError(f"{answer.by} has no query {answer.query!r} to answer {answer.app}.{answer.use_case}")

    def check(self, guard: Guard, tenant_id: str, record_id: int) -> None:
        for answer in self.answers:
            if (answer.app, answer.use_case) != (guard.app, guard.use_case) or answer.by not in self.peers:
                continue  # an app this connector does not reach keeps no copy of the record
            with self.db.reader() as session:
                counterpart = links.find(session, tenant_id, guard.app, guard.kind, record_id, answer.by)
            if counterpart is None:
                continue
            try:
                reason = self.peers[answer.by].query(tenant_id, answer.query, id=counterpart[1])
            except PeerUnavailable:
                raise Unreachable(answer.by) from None
            if reason is not None:
                raise Refused(answer.by, reason)
