"""Links with shape (issue 7, item 3): a one-to-many rule gives a record one counterpart
per part (a price policy split by product group, PRC-2 to come), kept and updated per
part and dropped with the record; a document line links to its counterpart line."""

from __future__ import annotations

from sqlalchemy import select

from lienthong.crm.tables import CustomerGroup
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.sync import links
from lienthong.sync.delivery import Connector
from lienthong.sync.rules.base import FieldMap, Into, On, Rule
from tests.conftest import ADMIN

# a test double: each accounting customer becomes two CRM groups, parts A and B
SPLIT = Rule(
    "T-1",
    "Mỗi khách hàng thành hai nhóm.",
    "Each customer becomes two groups.",
    on=On("accounting", ("customers",), ("Created", "Updated")),
    target="crm",
    action="create",
    cardinality="many",
    parts=lambda data: [{"part": p, "code": f"{data['code']}-{p}", "name": f"{data['name']} {p}"} for p in ("A", "B")],
    part_key="part",
    into=Into("customer-groups"),
    fields=FieldMap(copy=("code", "name")),
    needs_connection=False,
)


def crm_groups(suite) -> dict[str, str]:
    with suite.databases["crm"].reader() as session:
        return {g.code: g.name for g in session.scalars(select(CustomerGroup).order_by(CustomerGroup.code))}


def test_a_one_to_many_rule_keeps_one_counterpart_per_part(suite, api):
    connector = Connector(suite.connector.db, suite.connector.peers, rules=[SPLIT])
    customer = api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH1", "name": "Khách"})
    assert connector.drain()
    assert crm_groups(suite) == {"KH1-A": "Khách A", "KH1-B": "Khách B"}
    with suite.connector.db.reader() as session:
        parts = links.parts(session, api_tenant(suite), "accounting", "customers", customer["id"], "crm")
        whole = links.find(session, api_tenant(suite), "accounting", "customers", customer["id"], "crm")
    assert sorted(parts) == ["A", "B"]
    assert whole is None  # no one-to-one counterpart: only parts
    # an edit updates each part's own counterpart, creating nothing new
    api.ok("patch", f"/api/v1/accounting/customers/{customer['id']}", json={"name": "Đổi tên"})
    assert connector.drain()
    assert crm_groups(suite) == {"KH1-A": "Đổi tên A", "KH1-B": "Đổi tên B"}
    # deleting the record drops every part's link (a link never outlives what it joins)
    assert api.delete(f"/api/v1/accounting/customers/{customer['id']}").status_code == 204
    assert connector.drain()
    with suite.connector.db.reader() as session:
        assert links.parts(session, api_tenant(suite), "accounting", "customers", customer["id"], "crm") == {}


def test_a_document_line_links_to_its_counterpart_line(suite):
    tenant = api_tenant(suite)
    with UnitOfWork(suite.connector.db) as uow:
        links.put_many(uow.session, tenant, [(("crm", "quote-lines", 10), ("accounting", "order-lines", 20)), (("crm", "quote-lines", 11), ("accounting", "order-lines", 21))])
        uow.commit()
    with suite.connector.db.reader() as session:
        assert links.find(session, tenant, "crm", "quote-lines", 11, "accounting") == ("order-lines", 21)
        assert links.find(session, tenant, "accounting", "order-lines", 20, "crm") == ("quote-lines", 10)


def api_tenant(suite) -> str:
    return suite.authenticate(ADMIN).tenant_id
