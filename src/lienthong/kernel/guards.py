"""Guards across apps: a check other apps must answer before a use case commits.

An app declares, in its own terms, what it asks before one of its use cases commits:
a :class:`Guard` names the use case and the kind of the app's record it asks about
(with the orders: CRM asks before ``withdraw_revenue_request`` whether accounting
has invoiced the order; no use case of today's rulebook declares one). The use case
calls :func:`check` before it writes anything.

The connector answers (:mod:`lienthong.sync.guards`): it finds the record's
counterparts in the other apps through its links and asks each app that declared an
answer, in process or over HTTP. An app answers with one of its queries, which returns
``None`` when nothing stands in the way, or an :func:`objection` (a message key and its
parameters, so the refusal reads in the asker's language).

A refusal is a 409 giving the other app's reason; an app that cannot be reached, or no
connector to ask, is a 503 naming it. Either way the use case commits nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from lienthong.kernel.i18n import t, term
from lienthong.kernel.problems import Conflict, Unavailable
from lienthong.kernel.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Guard:
    app: str  # the asking app
    use_case: str  # the use case it guards, e.g. withdraw_revenue_request
    kind: str  # the kind of the asking app's record it asks about, e.g. orders


class Answerer(Protocol):
    """Who answers guards (the connector): raises :class:`Refused` or :class:`Unreachable`."""

    def check(self, guard: Guard, tenant_id: str, record_id: int) -> None: ...


def objection(key: str, **params: object) -> dict:
    """An app's answer that something stands in the way: a message key of
    :mod:`lienthong.kernel.i18n` and its parameters (plain values)."""
    return {"key": key, "params": params}


class Refused(Conflict):
    """Another app objected: the detail is its reason, in the reader's language."""

    type_slug = "refused-by-other-app"

    def __init__(self, app: str, reason: dict):
        super().__init__("guard.refused", app=term(f"app.{app}"))
        self.app = app
        self.reason = reason

    def detail(self, lang: str | None = None) -> str:
        return t(self.key, lang, app=self.params["app"], reason=t(self.reason["key"], lang, **self.reason.get("params", {})))


class Unreachable(Unavailable):
    """The other app (or the connector) could not be asked, so the action is not done."""

    type_slug = "other-app-unreachable"

    def __init__(self, app: str):
        super().__init__("guard.unreachable", app=term(f"app.{app}"))
        self.app = app


def check(uow: UnitOfWork, guard: Guard, tenant_id: str, record_id: int) -> None:
    """Ask the other apps about ``record_id`` before the use case writes; raises
    :class:`Refused` or :class:`Unreachable`. Call it before the first write, so no
    write lock is held while another app is asked."""
    answerer: Answerer | None = uow.db.guards
    if answerer is None:
        raise Unreachable("sync")
    answerer.check(guard, tenant_id, record_id)
