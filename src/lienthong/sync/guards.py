"""The connector answers the apps' guards (see :mod:`lienthong.kernel.guards`).

An :class:`Answer` says which app answers a guard and with which of its queries. The
connector finds the asked record's counterpart in that app through its links (never by
code): no counterpart, nothing there relies on the record. Otherwise it asks the app,
through the same peer that delivers changes to it (in process or over HTTP); an app
that does not answer refuses the action, naming the app. An app server with no
connector in its process asks the connector's server (:class:`RemoteDesk`, answered by
:func:`guard_router`).

No rule of today's rulebook needs an answer, so :data:`ANSWERS` is empty; the first will
be withdrawing a revenue request, when orders come (tests/acceptance/test_guards.py shows
its shape with a test double).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated

import httpx
from fastapi import APIRouter, Header, Request
from pydantic import BaseModel, Field

from lienthong.kernel.db import Database
from lienthong.kernel.guards import Guard, Refused, Unreachable
from lienthong.kernel.problems import Unauthorized
from lienthong.kernel.records import MAX_ID
from lienthong.kernel.routing import Route
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


# -- across servers: an app server with no connector in its process asks the connector's ----


class GuardBody(BaseModel):
    app: str
    use_case: str
    kind: str
    tenant_id: str
    record_id: int = Field(ge=1, le=MAX_ID)


def guard_router() -> APIRouter:
    """The connector's answer to an app server elsewhere: ``POST
    /api/v1/sync/_connector/guard``, allowed only with the connector token. The answer
    is ``agreed``, ``refused`` (with the objecting app and its reason, a message key and
    its parameters, so the asking server renders it in its reader's language) or
    ``unreachable`` (naming the app that could not be asked)."""
    router = APIRouter(prefix="/api/v1/sync/_connector", tags=["connector"], include_in_schema=False, route_class=Route)

    @router.post("/guard")
    def answer(body: GuardBody, request: Request, authorization: Annotated[str | None, Header()] = None) -> dict:
        expected = request.app.state.connector_token
        if not expected or not hmac.compare_digest((authorization or "")[7:].strip(), expected):
            raise Unauthorized("unauthorized")
        desk: GuardDesk = request.app.state.suite.guards
        try:
            desk.check(Guard(body.app, body.use_case, body.kind), body.tenant_id, body.record_id)
        except Refused as exc:
            return {"answer": "refused", "app": exc.app, "reason": exc.reason}
        except Unreachable as exc:
            return {"answer": "unreachable", "app": exc.app}
        return {"answer": "agreed"}

    return router


class RemoteDesk:
    """Answers guards for an app server whose connector runs in another server, by asking
    that server (``--peer sync=URL``) with the connector token. A connector that does
    not answer refuses the action, naming the connector."""

    def __init__(self, url: str, token: str, timeout: float = 10.0):
        self.url = url.rstrip("/")
        self._client = httpx.Client(base_url=f"{self.url}/api/v1/sync/_connector", headers={"Authorization": f"Bearer {token}"}, timeout=timeout)

    def check(self, guard: Guard, tenant_id: str, record_id: int) -> None:
        body = {"app": guard.app, "use_case": guard.use_case, "kind": guard.kind, "tenant_id": tenant_id, "record_id": record_id}
        try:
            response = self._client.post("/guard", json=body)
        except httpx.HTTPError:
            raise Unreachable("sync") from None
        if response.status_code != 200:
            raise Unreachable("sync")
        answer = response.json()
        if answer["answer"] == "refused":
            raise Refused(answer["app"], answer["reason"])
        if answer["answer"] == "unreachable":
            raise Unreachable(answer["app"])

    def close(self) -> None:
        self._client.close()
