"""Echo suppression, narrowed (issue 7, item 4): a change the connector caused in one
app travels on to a third app, and never back to the app it came from."""

from __future__ import annotations

from sqlalchemy import select

from lienthong.sync.delivery import Connector
from lienthong.sync.rules import in_precedence
from lienthong.sync.rules.base import Into, On, Rule
from lienthong.sync.rules.people import COPY, OWNER_FROM_SALESPERSON, USER_MAP
from lienthong.sync.tables import Change

# test doubles: CRM's copy of a user goes on to the process app, or back to system
ONWARD = Rule("T-1", "Người dùng CRM sang Quy trình.", "CRM users go on to the process app.", on=On("crm", ("users",), ("Created", "Updated")), target="process", fields=USER_MAP, into=Into("users"), **COPY)
BACK = Rule("T-2", "Người dùng CRM về Hệ thống.", "CRM users go back to system.", on=On("crm", ("users",), ("Created", "Updated")), target="system", needs_connection=False)


def test_a_change_travels_system_to_crm_to_a_third_app_and_never_back(suite, api):
    connector = Connector(suite.connector.db, suite.connector.peers, rules=in_precedence([OWNER_FROM_SALESPERSON, ONWARD, BACK]))
    api.ok("post", "/api/v1/system/users", 201, json={"code": "lan", "name": "Ngô Lan", "role": "sales"})
    assert connector.drain()
    crm_copy = api.one("/api/v1/crm/users", "lan")
    assert crm_copy["name"] == "Ngô Lan"  # system -> CRM (EMP-2)
    assert api.one("/api/v1/process/users", "lan")["name"] == "Ngô Lan"  # CRM -> process (the rule T-1)
    with suite.connector.db.reader() as session:
        from_crm = session.scalars(select(Change).where(Change.source_app == "crm", Change.kind == "users", Change.record_code == "lan")).one()
    assert from_crm.origin_app == "system"
    assert [d["rule"] for d in from_crm.decision] == ["T-1"]  # T-2 would send it back to system: it does not answer


def test_a_caused_change_no_rule_takes_further_is_not_queued(suite, connected):
    """Today's rulebook: the CRM customer the connector made has nowhere to go but back."""
    api = connected
    api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH1", "name": "Khách 1"})
    api.drain()
    with suite.connector.db.reader() as session:
        sources = session.scalars(select(Change.source_app).where(Change.kind == "customers")).all()
    assert api.one("/api/v1/crm/customers", "KH1") is not None
    assert sources == ["accounting"]
