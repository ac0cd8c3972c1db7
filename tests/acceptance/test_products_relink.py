"""The duplicate-code decision of customers (CUS-A5's shape) for products and product
groups, both ways (SPEC section 5's decision): an edited record whose code equals an
unlinked record's of the other app is linked to it and updates it; a former counterpart
is unlinked and keeps its data; the log says so under PRD-1 / PGR-1."""

from __future__ import annotations

import pytest

from lienthong.sync import links
from tests.acceptance.test_products_sync import APPS, NAME, OTHER, add_group, add_product, url
from tests.conftest import ADMIN


def linked(suite, app: str, kind: str, record_id: int, other: str):
    with suite.connector.db.reader() as session:
        return links.find(session, suite.authenticate(ADMIN).tenant_id, app, kind, record_id, other)


@pytest.mark.parametrize("source", APPS)
def test_PRD_1_an_unlinked_product_edited_links_to_the_other_apps_product_of_its_code(connected, suite, source):
    """The other app had HH01 first, so the new HH01 was not synced; its next edit links the two."""
    api, target = connected, OTHER[source]
    theirs = add_product(api, target, "HH01", name="Hàng bên kia", unit="Cái")
    api.drain()
    mine = api.one(url(source, "products"), "HH01")  # the copy PRD-1 made
    api.ok("delete", url(source, "products", mine["id"]), 204)
    api.drain()
    ours = add_product(api, source, "HH01", name="Hàng bên này", unit="Hộp")
    api.drain()
    api.ok("patch", url(source, "products", ours["id"]), json={"name": "Hàng bên này sửa"})
    api.drain()
    copy = api.one(url(target, "products"), "HH01")
    assert (copy["id"], copy["name"], copy["unit"]) == (theirs["id"], "Hàng bên này sửa", "Hộp")
    assert linked(suite, source, "products", ours["id"], target) == ("products", theirs["id"])
    newest = [e for e in api.log(code="HH01", rule="PRD-1") if e["source"]["app"] == source][0]
    assert newest["reason"] == f"Đã liên kết hàng hóa HH01 với hàng hóa cùng mã trên {NAME[target]} và cập nhật nó."


@pytest.mark.parametrize("source", APPS)
def test_PGR_1_a_group_code_changed_to_an_unlinked_code_relinks_and_the_former_keeps_its_data(connected, suite, source):
    api, target = connected, OTHER[source]
    group = add_group(api, source, "NH01", name="Nhóm một")
    add_group(api, target, "NH09", name="Nhóm chín")
    api.drain()
    api.ok("delete", url(source, "product-groups", api.one(url(source, "product-groups"), "NH09")["id"]), 204)
    api.drain()
    api.ok("patch", url(source, "product-groups", group["id"]), json={"code": "NH09", "name": "Nhóm mới"})
    api.drain()
    former, now = api.one(url(target, "product-groups"), "NH01"), api.one(url(target, "product-groups"), "NH09")
    assert (former["name"], now["name"]) == ("Nhóm một", "Nhóm mới")
    assert linked(suite, source, "product-groups", group["id"], target) == ("product-groups", now["id"])
    assert linked(suite, target, "product-groups", former["id"], source) is None
    entry = [e for e in api.as_(api.token, "en").log(code="NH09", rule="PGR-1") if e["source"]["app"] == source][0]
    other = "CRM" if target == "crm" else "Accounting"
    assert entry["reason"] == (
        f"Product group NH09 is now linked to product group NH09 in {other}, which was updated; "
        f"product group NH01 in {other}, its former counterpart, was unlinked and keeps its data."
    )


def test_PRD_1_a_code_changed_to_one_linked_elsewhere_is_not_synced(connected):
    """Not a relink: both edits are decided in one batch, while CRM's HH02 is still the
    counterpart of accounting's former HH02, so accounting HH01 taking code HH02 is a duplicate."""
    api = connected
    first = add_product(api, "accounting", "HH01")
    second = add_product(api, "accounting", "HH02")
    api.drain()
    api.ok("patch", url("accounting", "products", second["id"]), json={"code": "HH03"})
    api.ok("patch", url("accounting", "products", first["id"]), json={"code": "HH02"})
    api.drain()
    assert [api.one(url("crm", "products"), c)["name"] for c in ("HH01", "HH03")] == ["Hàng HH01", "Hàng HH02"]
    [entry] = [e for e in api.log(code="HH02", rule="PRD-1") if e["outcome"] == "skipped"]
    assert entry["reason"] == "Không đồng bộ hàng hóa HH02: CRM đã có hàng hóa trùng mã."
