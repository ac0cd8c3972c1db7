"""SPEC sections 5 and 6, the connector's side: products and product groups kept alike
both ways, a product's group brought along, deleting and merging not synced, CRM's own
price policies staying in CRM (seeds 002, 003)."""

from __future__ import annotations

import pytest

from tests.conftest import connect, run_step

APPS = ("accounting", "crm")
OTHER = {"accounting": "crm", "crm": "accounting"}
NAME = {"accounting": "Kế toán", "crm": "CRM"}


def url(app: str, resource: str, *rest) -> str:
    return "/".join([f"/api/v1/{app}/{resource}", *map(str, rest)])


def add_group(api, app: str, code: str, name: str = "Đồ uống", **fields) -> dict:
    return api.ok("post", url(app, "product-groups"), 201, json={"code": code, "name": name, **fields})


def add_product(api, app: str, code: str, **fields) -> dict:
    return api.ok("post", url(app, "products"), 201, json={"code": code, "name": f"Hàng {code}", **fields})


SYNCED = ("code", "name", "group_code", "unit", "unit_price", "vat_rate", "kind", "active")


@pytest.mark.parametrize("source", APPS)
def test_PGR_1_adding_then_editing_a_product_group_updates_the_other_app(connected, source):
    """PGR-1: add creates the group in the other app, edit updates it."""
    api, target = connected, OTHER[source]
    group = add_group(api, source, "NH01", description="Nước")
    api.drain()
    copy = api.one(url(target, "product-groups"), "NH01")
    assert (copy["name"], copy["description"]) == ("Đồ uống", "Nước")
    api.ok("patch", url(source, "product-groups", group["id"]), json={"name": "Đồ uống lạnh"})
    api.drain()
    assert api.one(url(target, "product-groups"), "NH01")["name"] == "Đồ uống lạnh"
    created, updated = reversed(api.log(code="NH01", rule="PGR-1"))
    assert created["reason"] == f"Đã tạo nhóm hàng hóa NH01 trên {NAME[target]}."
    assert created["target"]["id"] == copy["id"]
    assert updated["reason"] == f"Đã cập nhật nhóm hàng hóa NH01 trên {NAME[target]}."


def test_PGR_1_a_synced_group_is_not_sent_back(connected):
    """PGR-1: the copy's own event does not come back to the app it came from."""
    api = connected
    add_group(api, "accounting", "NH01")
    api.drain()
    api.drain()
    assert [e["source"]["app"] for e in api.log(code="NH01", rule="PGR-1")] == ["accounting"]
    assert api.ok("get", url("accounting", "product-groups"))["items"][0]["code"] == "NH01"


@pytest.mark.parametrize("source", APPS)
def test_PGR_1_a_new_group_whose_code_the_other_app_has_is_not_synced(connected, source):
    """PGR-1 with the duplicate-code decision (CUS-A2's shape)."""
    api, target = connected, OTHER[source]
    add_group(api, target, "NH09", name="Nhóm bên kia")
    add_group(api, source, "NH09", name="Nhóm bên này")
    api.drain()
    assert api.one(url(target, "product-groups"), "NH09")["name"] == "Nhóm bên kia"
    [entry] = [e for e in api.log(code="NH09", rule="PGR-1") if e["source"]["app"] == source]
    assert entry["outcome"] == "skipped"
    assert entry["reason"] == f"Không đồng bộ nhóm hàng hóa NH09: {NAME[target]} đã có nhóm hàng hóa trùng mã."
    en = [e for e in api.as_(api.token, "en").log(code="NH09", rule="PGR-1") if e["source"]["app"] == source][0]
    assert en["reason"] == f"Product group NH09 was not synced: {'CRM' if target == 'crm' else 'Accounting'} already has a product group with that code."


def test_PGR_1_deleting_a_group_does_not_sync(connected):
    """PGR-1: delete does not sync."""
    api = connected
    group = add_group(api, "accounting", "NH01")
    api.drain()
    api.ok("delete", url("accounting", "product-groups", group["id"]), 204)
    api.drain()
    assert api.one(url("crm", "product-groups"), "NH01")["name"] == "Đồ uống"
    entry = api.log(code="NH01", rule="PGR-1")[0]  # the newest
    assert entry["outcome"] == "skipped"
    assert entry["reason"] == "Nhóm hàng hóa NH01 bị xóa hoặc gộp; CRM giữ nguyên nhóm tương ứng."


@pytest.mark.parametrize("source", APPS)
def test_PRD_1_adding_a_product_creates_it_in_the_other_app_with_every_field(connected, source):
    """PRD-1."""
    api, target = connected, OTHER[source]
    add_group(api, source, "NH01")
    add_product(api, source, "HH01", name="Cà phê", group_code="NH01", unit="Ly", unit_price="25000.50", vat_rate="8", kind="service", active=False)
    api.drain()
    copy = api.one(url(target, "products"), "HH01")
    assert {k: copy[k] for k in SYNCED} == {
        "code": "HH01", "name": "Cà phê", "group_code": "NH01", "unit": "Ly", "unit_price": "25000.5", "vat_rate": "8", "kind": "service", "active": False,
    }
    [entry] = api.log(code="HH01", rule="PRD-1")
    assert entry["reason"] == f"Đã tạo hàng hóa HH01 trên {NAME[target]}."
    assert entry["target"] == {"app": target, "kind": "products", "id": copy["id"], "code": "HH01"}


@pytest.mark.parametrize("source", APPS)
def test_PRD_1_editing_a_product_updates_the_other_app(connected, source):
    """PRD-1: only what changed is sent."""
    api, target = connected, OTHER[source]
    product = add_product(api, source, "HH01", unit_price="25000")
    api.drain()
    api.ok("patch", url(source, "products", product["id"]), json={"unit_price": "26000", "vat_rate": "10"})
    api.drain()
    copy = api.one(url(target, "products"), "HH01")
    assert (copy["unit_price"], copy["vat_rate"]) == ("26000", "10")
    newest = api.log(code="HH01", rule="PRD-1")[0]
    assert newest["reason"] == f"Đã cập nhật hàng hóa HH01 trên {NAME[target]}."


@pytest.mark.parametrize("source", APPS)
def test_PRD_1_a_new_product_whose_code_the_other_app_has_is_not_synced(connected, source):
    """PRD-1 with the duplicate-code decision (CUS-A2's shape)."""
    api, target = connected, OTHER[source]
    add_product(api, target, "HH09", name="Hàng bên kia")
    add_product(api, source, "HH09", name="Hàng bên này")
    api.drain()
    assert api.one(url(target, "products"), "HH09")["name"] == "Hàng bên kia"
    [entry] = [e for e in api.log(code="HH09", rule="PRD-1") if e["source"]["app"] == source]
    assert entry["outcome"] == "skipped"
    assert entry["reason"] == f"Không đồng bộ hàng hóa HH09: {NAME[target]} đã có hàng hóa trùng mã."


@pytest.mark.parametrize("source", APPS)
def test_PRD_2_deleting_or_merging_a_product_does_not_sync(connected, source):
    """PRD-2."""
    api, target = connected, OTHER[source]
    survivor = add_product(api, source, "HH01")
    merged = add_product(api, source, "HH02")
    gone = add_product(api, source, "HH03")
    api.drain()
    api.ok("post", url(source, "products", survivor["id"], "merge"), json={"merged_ids": [merged["id"]]})
    api.ok("delete", url(source, "products", gone["id"]), 204)
    api.drain()
    assert [api.one(url(target, "products"), c)["code"] for c in ("HH02", "HH03")] == ["HH02", "HH03"]
    for code in ("HH02", "HH03"):
        [entry] = api.log(code=code, rule="PRD-2")
        assert entry["outcome"] == "skipped"
        assert entry["reason"] == f"Hàng hóa {code} bị xóa hoặc gộp; ứng dụng kia giữ nguyên hàng hóa này."


def test_PRD_3_a_product_brings_its_group_along_when_the_other_app_has_none(connected):
    """PRD-3: the group's CRM counterpart was deleted; the product brings the group again."""
    api = connected
    add_group(api, "accounting", "NH01")
    api.drain()
    api.ok("delete", url("crm", "product-groups", api.one(url("crm", "product-groups"), "NH01")["id"]), 204)
    api.drain()
    add_product(api, "accounting", "HH01", group_code="NH01")
    api.drain()
    assert api.one(url("crm", "products"), "HH01")["group_code"] == "NH01"
    [entry] = api.log(code="NH01", rule="PRD-3")
    assert entry["reason"] == "Nhóm hàng hóa NH01 được đồng bộ kèm hàng hóa (tạo mới)."


def test_PRD_3_a_product_links_its_group_to_the_other_apps_group_of_the_same_code(connected):
    """PRD-3: the group was not synced (CRM had its code); the product links the two."""
    api = connected
    crm_group = add_group(api, "crm", "NH01", name="Nhóm CRM")
    add_group(api, "accounting", "NH01")
    add_product(api, "accounting", "HH01", group_code="NH01")
    api.drain()
    assert api.one(url("crm", "products"), "HH01")["group_code"] == "NH01"
    [entry] = api.log(code="NH01", rule="PRD-3")
    assert entry["target"]["id"] == crm_group["id"]


def test_PRC_1_crm_price_policies_stay_in_crm(connected):
    """PRC-1: CRM-side changes never sync to accounting."""
    api = connected
    add_group(api, "crm", "NH01")
    add_product(api, "crm", "HH01", group_code="NH01")
    api.ok("post", url("crm", "price-policies"), 201, json={"code": "KM01", "name": "Khuyến mãi", "product_group_code": "NH01", "items": [{"product_code": "HH01", "discount_percent": "10"}]})
    api.drain()
    assert api.ok("get", url("accounting", "price-policies"))["items"] == []
    [entry] = api.log(code="KM01", rule="PRC-1")
    assert entry["outcome"] == "skipped"
    assert entry["reason"] == "Chính sách giá KM01 thay đổi trên CRM; thay đổi trên CRM không đồng bộ sang Kế toán."


@pytest.fixture
def catalogs_before_connecting(people):
    """NH01/HH01 in both apps (different names), NH02/HH02 only in accounting, NH03/HH03 only in CRM; then connected, step 1 done."""
    api = people
    for app, name in (("accounting", "Kế toán"), ("crm", "CRM")):
        add_group(api, app, "NH01", name=f"Nhóm {name}")
        add_product(api, app, "HH01", name=f"Hàng {name}", group_code="NH01", unit_price="100")
    add_group(api, "accounting", "NH02")
    add_product(api, "accounting", "HH02", group_code="NH02", unit_price="200")
    add_group(api, "crm", "NH03")
    add_product(api, "crm", "HH03", group_code="NH03", unit_price="300")
    api.drain()
    api.connection = connect(api)
    assert run_step(api, api.connection["id"], 1)["state"] == "succeeded"
    return api


def test_PRD_4_at_connection_products_and_groups_sync_in_bulk_both_ways(catalogs_before_connecting):
    """PRD-4: step 2 links equal codes (accounting wins), creates the rest on each side."""
    api = catalogs_before_connecting
    assert run_step(api, api.connection["id"], 2)["state"] == "succeeded"
    for app in APPS:
        assert sorted(p["code"] for p in api.ok("get", url(app, "products"))["items"]) == ["HH01", "HH02", "HH03"]
        assert sorted(g["code"] for g in api.ok("get", url(app, "product-groups"))["items"]) == ["NH01", "NH02", "NH03"]
    assert api.one(url("crm", "products"), "HH01")["name"] == "Hàng Kế toán"
    assert (api.one(url("crm", "products"), "HH02")["group_code"], api.one(url("crm", "products"), "HH02")["unit_price"]) == ("NH02", "200")
    assert api.one(url("accounting", "products"), "HH03")["group_code"] == "NH03"
    [entry] = api.log(code="HH02", rule="PRD-4")
    assert entry["reason"] == "Khi kết nối, hàng hóa HH02: tạo mới."


def test_PRD_4_running_step_2_again_creates_nothing_new(catalogs_before_connecting):
    """PRD-4 with CON-3: re-running creates no duplicates."""
    api = catalogs_before_connecting
    run_step(api, api.connection["id"], 2)
    again = run_step(api, api.connection["id"], 2)
    assert again["summary"]["created"] == 0
    assert len(api.ok("get", url("crm", "products"))["items"]) == 3


@pytest.mark.parametrize("source", APPS)
def test_PRD_1_a_code_changed_to_an_unlinked_code_of_the_other_app_relinks(connected, source):
    """PRD-1 with the duplicate-code decision (CUS-A5's shape): the other app's unlinked
    HH09 becomes the counterpart and is updated; the former counterpart keeps its data."""
    api, target = connected, OTHER[source]
    product = add_product(api, source, "HH01")
    add_product(api, target, "HH09", name="Hàng bên kia")
    api.drain()
    api.ok("delete", url(source, "products", api.one(url(source, "products"), "HH09")["id"]), 204)  # its copy, deleted here only
    api.drain()
    api.ok("patch", url(source, "products", product["id"]), json={"code": "HH09"})
    api.drain()
    assert api.one(url(target, "products"), "HH01")["name"] == "Hàng HH01"
    assert api.one(url(target, "products"), "HH09")["name"] == "Hàng HH01"
    [entry] = [e for e in api.log(code="HH09", rule="PRD-1") if e["source"]["app"] == source]
    assert entry["outcome"] == "applied"
    assert entry["reason"] == (
        f"Đã liên kết hàng hóa HH09 với hàng hóa HH09 trên {NAME[target]} và cập nhật nó; "
        f"hàng hóa HH01 trên {NAME[target]}, bản tương ứng trước đây, được gỡ liên kết và giữ nguyên dữ liệu."
    )
