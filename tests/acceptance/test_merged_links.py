"""Merged records' links (issue 9, item 4; issue 8's merges): when a record is merged into
another (CRM customers; products and product groups in either app), the connector points
its links at the survivor where the survivor has no counterpart in that app yet. Otherwise
a merged customer's counterpart keeps pointing at the survivor without being its
counterpart (CUS-C5), and other links are dropped (a link never outlives what it joins);
each with a log entry (ENG-6)."""

from __future__ import annotations

import pytest

from lienthong.sync import links
from tests.acceptance.test_products_sync import APPS, OTHER, add_group, add_product, url
from tests.conftest import ADMIN

ACC, CRM = "/api/v1/accounting/customers", "/api/v1/crm/customers"


def linked(suite, app: str, kind: str, record_id: int, other: str):
    with suite.connector.db.reader() as session:
        return links.find(session, suite.authenticate(ADMIN).tenant_id, app, kind, record_id, other)


def link_entries(api, code: str) -> list[dict]:
    return [e for e in api.log(code=code, rule="ENG-6")]


def test_ENG_6_a_crm_customer_merged_into_an_unlinked_survivor_moves_its_link(connected, suite):
    """CUS-C5's merge: accounting KH1 now answers to CRM's survivor KH2; its edits reach KH2."""
    api = connected
    acc = api.ok("post", ACC, 201, json={"code": "KH1", "name": "Khách một"})
    survivor = api.ok("post", CRM, 201, json={"code": "KH2", "name": "Khách hai"})
    api.drain()
    merged = api.one(CRM, "KH1")
    api.ok("post", f"{CRM}/merge", json={"survivor_id": survivor["id"], "merged_ids": [merged["id"]], "values": {}})
    api.drain()
    assert linked(suite, "accounting", "customers", acc["id"], "crm") == ("customers", survivor["id"])
    api.ok("patch", f"{ACC}/{acc['id']}", json={"phone": "0900000001"})
    api.drain()
    assert api.one(CRM, "KH2")["phone"] == "0900000001"
    [entry] = link_entries(api, "KH1")
    assert entry["reason"] == "KH1 đã được gộp vào KH2; liên kết với bản ghi tương ứng trên Kế toán được chuyển sang KH2."
    assert entry["target"]["id"] == acc["id"]


@pytest.fixture
def merged_both_linked(connected):
    """Accounting KH1 and KH2, each linked to its CRM copy; CRM merges KH1 into KH2."""
    api = connected
    first = api.ok("post", ACC, 201, json={"code": "KH1", "name": "Khách một"})
    second = api.ok("post", ACC, 201, json={"code": "KH2", "name": "Khách hai"})
    api.drain()
    survivor = api.one(CRM, "KH2")
    api.ok("post", f"{CRM}/merge", json={"survivor_id": survivor["id"], "merged_ids": [api.one(CRM, "KH1")["id"]], "values": {}})
    api.drain()
    return api, first, second, survivor


def merged_into(suite, record_id: int):
    with suite.connector.db.reader() as session:
        return links.merged_into(session, suite.authenticate(ADMIN).tenant_id, "accounting", "customers", record_id, "crm")


def test_CUS_C5_a_merged_customers_accounting_record_keeps_pointing_at_the_survivor(merged_both_linked, suite):
    """Before: the link of accounting KH1 was dropped, so a later document of KH1 could
    not find its CRM customer. KH1 is not KH2's counterpart (KH2 keeps its own)."""
    api, first, second, survivor = merged_both_linked
    assert merged_into(suite, first["id"]) == ("customers", survivor["id"])
    assert linked(suite, "accounting", "customers", first["id"], "crm") is None
    assert linked(suite, "crm", "customers", survivor["id"], "accounting") == ("customers", second["id"])
    assert api.ok("get", f"{ACC}/{first['id']}")["name"] == "Khách một"


def test_CUS_C5_the_link_entry_says_the_record_still_points_at_the_survivor(merged_both_linked):
    api = merged_both_linked[0]
    [entry] = link_entries(api, "KH1")
    english = api.as_(api.token, "en").log(code="KH1", rule="ENG-6")[0]
    assert entry["reason"] == "KH1 đã được gộp vào KH2, vốn đã có bản ghi tương ứng trên Kế toán; bản ghi trên Kế toán trước đây tương ứng với KH1 vẫn trỏ tới KH2 để chứng từ sau này vẫn tìm được khách hàng, nhưng sửa đổi của nó không còn được đồng bộ."
    assert english["reason"] == "KH1 was merged into KH2, which already has a counterpart in Accounting; the record in Accounting that was KH1's counterpart still points at KH2, so later documents still find the customer, but its edits are no longer synced."


def test_CUS_C5_an_edit_of_the_merged_away_accounting_customer_does_not_undo_the_merge(merged_both_linked):
    """Before: with its link gone, an edit of accounting KH1 created KH1 in CRM again (CUS-A4)."""
    api, first, _, _ = merged_both_linked
    api.ok("patch", f"{ACC}/{first['id']}", json={"phone": "0900000001"})
    api.drain()
    assert api.one(CRM, "KH1") is None
    assert api.one(CRM, "KH2")["phone"] is None
    [entry] = api.log(code="KH1", rule="CUS-C5")
    assert (entry["outcome"], entry["reason"]) == ("skipped", "Khách hàng KH1: bản tương ứng trên CRM đã được gộp vào một khách hàng khác, nên sửa đổi này không được chuyển sang CRM (khách hàng được giữ lại chỉ nhận dữ liệu từ bản tương ứng của chính nó).")


def test_CUS_C5_the_survivors_edits_reach_only_its_own_counterpart(merged_both_linked):
    api, first, second, survivor = merged_both_linked
    api.ok("patch", f"{CRM}/{survivor['id']}", json={"name": "Khách hai mới"})
    api.drain()
    assert api.ok("get", f"{ACC}/{second['id']}")["name"] == "Khách hai mới"
    assert api.ok("get", f"{ACC}/{first['id']}")["name"] == "Khách một"


def test_CUS_C5_a_merged_away_customer_taking_an_unlinked_crm_code_is_linked_to_it(merged_both_linked, suite):
    api, first, _, _ = merged_both_linked
    other = api.ok("post", CRM, 201, json={"code": "KH9", "name": "Khách chín"})
    api.ok("patch", f"{ACC}/{first['id']}", json={"code": "KH9"})
    api.drain()
    assert linked(suite, "accounting", "customers", first["id"], "crm") == ("customers", other["id"])
    assert merged_into(suite, first["id"]) is None
    assert api.one(CRM, "KH9")["name"] == "Khách một"


def test_CUS_C5_deleting_the_survivor_leaves_no_link_to_it(merged_both_linked, suite):
    """A link never outlives what it joins, the kept pointer of a merged record included."""
    api, first, _, survivor = merged_both_linked
    api.ok("delete", f"{CRM}/{survivor['id']}", 204)
    api.drain()
    assert merged_into(suite, first["id"]) is None


def test_CUS_C4_a_merged_customer_is_not_said_to_lose_its_link(connected):
    """The delete rule's entry of a merged customer does not claim the link was removed."""
    api = connected
    api.ok("post", ACC, 201, json={"code": "KH1", "name": "Khách một"})
    survivor = api.ok("post", CRM, 201, json={"code": "KH2", "name": "Khách hai"})
    api.drain()
    api.ok("post", f"{CRM}/merge", json={"survivor_id": survivor["id"], "merged_ids": [api.one(CRM, "KH1")["id"]], "values": {}})
    api.drain()
    [entry] = api.log(code="KH1", rule="CUS-C4")
    assert entry["reason"] == "Khách hàng KH1 bị xóa trên CRM; Kế toán giữ nguyên khách hàng này."


@pytest.mark.parametrize("source", APPS)
def test_ENG_6_a_product_merged_into_a_survivor_with_no_counterpart_moves_its_link(connected, suite, source):
    """HH1's counterpart was deleted in the other app (HH1 is unlinked); HH2 merged into HH1
    hands HH1 its counterpart, so HH1's next edit updates the other app's HH2."""
    api, target = connected, OTHER[source]
    survivor = add_product(api, source, "HH1")
    merged = add_product(api, source, "HH2")
    api.drain()
    api.ok("delete", url(target, "products", api.one(url(target, "products"), "HH1")["id"]), 204)
    api.drain()
    counterpart = api.one(url(target, "products"), "HH2")
    api.ok("post", url(source, "products", survivor["id"], "merge"), json={"merged_ids": [merged["id"]]})
    api.drain()
    assert linked(suite, source, "products", survivor["id"], target) == ("products", counterpart["id"])
    api.ok("patch", url(source, "products", survivor["id"]), json={"unit": "Thùng"})
    api.drain()
    assert api.ok("get", url(target, "products", counterpart["id"]))["unit"] == "Thùng"
    [entry] = link_entries(api, "HH2")
    assert entry["reason"].endswith("được chuyển sang HH1.")


@pytest.mark.parametrize("source", APPS)
def test_ENG_6_a_merged_group_whose_survivor_is_linked_drops_its_link(connected, suite, source):
    api, target = connected, OTHER[source]
    survivor = add_group(api, source, "NH1")
    merged = add_group(api, source, "NH2", name="Nhóm hai")
    api.drain()
    counterpart = api.one(url(target, "product-groups"), "NH2")
    api.ok("post", url(source, "product-groups", survivor["id"], "merge"), json={"merged_ids": [merged["id"]]})
    api.drain()
    assert linked(suite, target, "product-groups", counterpart["id"], source) is None
    assert api.ok("get", url(target, "product-groups", counterpart["id"]))["name"] == "Nhóm hai"
    [entry] = link_entries(api, "NH2")
    assert entry["target"] == {"app": target, "kind": "product-groups", "id": counterpart["id"], "code": None}
    assert entry["reason"].startswith("NH2 đã được gộp vào NH1, vốn đã có bản ghi tương ứng trên ")
