"""PRC-2 through the connector (SPEC section 6): an accounting price policy over several
product groups becomes one CRM price policy per group, kept by edits, a removed group's
part marked inactive, a deleted policy's parts too; CRM cannot edit them (PRC-3)."""

from __future__ import annotations

import pytest

from tests.conftest import connect, run_step

ACC = "/api/v1/accounting"
CRM = "/api/v1/crm"


@pytest.fixture
def catalog(connected):
    """Connected; groups NH01..NH04 with products HH01..HH04 (one each, HH05 in NH01 too), synced to CRM."""
    api = connected
    for n in (1, 2, 3, 4):
        api.ok("post", f"{ACC}/product-groups", 201, json={"code": f"NH0{n}", "name": f"Nhóm {n}"})
        api.ok("post", f"{ACC}/products", 201, json={"code": f"HH0{n}", "name": f"Hàng {n}", "group_code": f"NH0{n}", "unit_price": "10000"})
    api.ok("post", f"{ACC}/products", 201, json={"code": "HH05", "name": "Hàng 5", "group_code": "NH01", "unit_price": "10000"})
    api.drain()
    return api


POLICY = {
    "code": "CS01",
    "name": "Giá đại lý",
    "valid_from": "2026-01-01",
    "valid_to": "2026-12-31",
    "product_group_codes": ["NH01", "NH02", "NH03"],
    "items": [
        {"product_code": "HH01", "price": "9000"},
        {"product_code": "HH05", "price": "9500.50"},
        {"product_code": "HH02", "discount_percent": "12.5"},
        {"product_code": "HH03", "price": "8000"},
    ],
}


def parts(api) -> dict[str, dict]:
    """CRM's parts of CS01 by group: (code, name, active, items as (product, price, discount))."""
    out = {}
    for p in api.ok("get", f"{CRM}/price-policies", params={"source_policy_code": "CS01"})["items"]:
        out[p["product_group_code"]] = {
            "code": p["code"], "name": p["name"], "active": p["active"], "source": p["source_policy_code"],
            "items": [(i["product_code"], i["price"], i["discount_percent"]) for i in p["items"]],
        }
    return out


def create(api) -> dict:
    made = api.ok("post", f"{ACC}/price-policies", 201, json=POLICY)
    api.drain()
    return made


def test_PRC_2_a_policy_over_three_groups_becomes_three_crm_policies_with_their_items(catalog):
    create(catalog)
    got = parts(catalog)
    assert sorted(got) == ["NH01", "NH02", "NH03"]
    assert got["NH01"]["items"] == [("HH01", "9000", None), ("HH05", "9500.5", None)]
    assert got["NH02"]["items"] == [("HH02", None, "12.5")]
    assert got["NH03"]["items"] == [("HH03", "8000", None)]
    assert {g: (p["code"], p["source"], p["name"], p["active"]) for g, p in got.items()} == {
        "NH01": ("CS01.NH01", "CS01", "Giá đại lý", True),
        "NH02": ("CS01.NH02", "CS01", "Giá đại lý", True),
        "NH03": ("CS01.NH03", "CS01", "Giá đại lý", True),
    }


def test_PRC_2_each_part_is_logged_in_both_languages(catalog):
    create(catalog)
    reasons = sorted(e["reason"] for e in catalog.log(code="CS01", rule="PRC-2"))
    assert reasons == [f"Đã tạo chính sách giá CS01 trên CRM cho nhóm hàng hóa NH0{n}." for n in (1, 2, 3)]
    english = sorted(e["reason"] for e in catalog.as_(catalog.token, "en").log(code="CS01", rule="PRC-2"))
    assert english == [f"Price policy CS01 was created in CRM for product group NH0{n}." for n in (1, 2, 3)]


def test_PRC_2_editing_items_and_name_updates_every_part(catalog):
    made = create(catalog)
    catalog.ok("patch", f"{ACC}/price-policies/{made['id']}", json={
        "name": "Giá đại lý 2027",
        "items": [{"product_code": "HH01", "price": "8800"}, {"product_code": "HH02", "price": "7000"}],
    })
    catalog.drain()
    got = parts(catalog)
    assert {g: p["name"] for g, p in got.items()} == {"NH01": "Giá đại lý 2027", "NH02": "Giá đại lý 2027", "NH03": "Giá đại lý 2027"}
    assert (got["NH01"]["items"], got["NH02"]["items"], got["NH03"]["items"]) == ([("HH01", "8800", None)], [("HH02", "7000", None)], [])
    newest = catalog.log(code="CS01", rule="PRC-2")[0]
    assert newest["reason"].startswith("Đã cập nhật chính sách giá CS01 trên CRM cho nhóm hàng hóa ")


def test_PRC_2_removing_a_group_marks_its_crm_part_inactive(catalog):
    made = create(catalog)
    catalog.ok("patch", f"{ACC}/price-policies/{made['id']}", json={"product_group_codes": ["NH01", "NH03"]})
    catalog.drain()
    got = parts(catalog)
    assert {g: p["active"] for g, p in got.items()} == {"NH01": True, "NH02": False, "NH03": True}
    newest_of_nh02 = [e for e in catalog.log(code="CS01", rule="PRC-2") if e["target"]["code"] == "CS01.NH02"][0]
    entry = newest_of_nh02
    assert entry["reason"] == (
        "Chính sách giá CS01 không còn áp dụng cho một nhóm hàng hóa (nhóm bị bỏ hoặc chính sách bị xóa trên Kế toán); "
        "chính sách tương ứng trên CRM được đánh dấu ngừng sử dụng, không bị xóa."
    )


def test_PRC_2_adding_a_group_makes_a_new_part_and_a_group_back_reactivates_its_part(catalog):
    made = create(catalog)
    catalog.ok("patch", f"{ACC}/price-policies/{made['id']}", json={"product_group_codes": ["NH01", "NH03"]})
    catalog.drain()
    catalog.ok("patch", f"{ACC}/price-policies/{made['id']}", json={
        "product_group_codes": ["NH01", "NH02", "NH03", "NH04"],
        "items": [{"product_code": "HH02", "price": "1"}, {"product_code": "HH04", "price": "2"}],
    })
    catalog.drain()
    got = parts(catalog)
    assert {g: p["active"] for g, p in got.items()} == {"NH01": True, "NH02": True, "NH03": True, "NH04": True}
    assert (got["NH04"]["code"], got["NH04"]["items"]) == ("CS01.NH04", [("HH04", "2", None)])
    assert len(catalog.ok("get", f"{CRM}/price-policies")["items"]) == 4


def test_PRC_2_deleting_the_policy_marks_every_part_inactive_and_keeps_them(catalog):
    made = create(catalog)
    assert catalog.delete(f"{ACC}/price-policies/{made['id']}").status_code == 204
    catalog.drain()
    assert {g: p["active"] for g, p in parts(catalog).items()} == {"NH01": False, "NH02": False, "NH03": False}
    inactive = [e for e in catalog.log(code="CS01", rule="PRC-2") if "ngừng sử dụng" in e["reason"]]
    assert sorted(e["target"]["code"] for e in inactive) == ["CS01.NH01", "CS01.NH02", "CS01.NH03"]


def test_PRC_2_a_product_not_in_crm_is_left_out_of_its_part_and_logged(catalog):
    """HH06's code is taken in CRM by a CRM product of its own (PRD-1 did not sync it)."""
    catalog.ok("post", f"{CRM}/products", 201, json={"code": "HH06", "name": "Hàng CRM"})
    catalog.ok("post", f"{ACC}/products", 201, json={"code": "HH06", "name": "Hàng 6", "group_code": "NH01"})
    catalog.drain()
    catalog.ok("post", f"{ACC}/price-policies", 201, json={**POLICY, "items": [{"product_code": "HH01", "price": "1"}, {"product_code": "HH06", "price": "2"}]})
    catalog.drain()
    assert parts(catalog)["NH01"]["items"] == [("HH01", "1", None)]
    [entry] = [e for e in catalog.log(code="CS01", rule="PRC-2") if e["outcome"] == "skipped"]
    assert entry["reason"] == "Chính sách giá CS01: hàng hóa HH06 chưa có trên CRM nên không có trong chính sách giá bên đó."


def test_PRC_2_a_policy_code_changed_in_accounting_updates_the_same_parts(catalog):
    made = create(catalog)
    catalog.ok("patch", f"{ACC}/price-policies/{made['id']}", json={"code": "CS02"})
    catalog.drain()
    crm = catalog.ok("get", f"{CRM}/price-policies")["items"]
    assert sorted((p["code"], p["source_policy_code"], p["active"]) for p in crm) == [("CS01.NH01", "CS02", True), ("CS01.NH02", "CS02", True), ("CS01.NH03", "CS02", True)]


def test_PRC_2_parts_are_not_synced_when_price_policies_are_not_connected(people):
    api = people
    conn = connect(api, kinds=["products", "product-groups"])
    assert run_step(api, conn["id"], 1)["state"] == "succeeded"
    api.ok("post", f"{ACC}/product-groups", 201, json={"code": "NH01", "name": "Nhóm 1"})
    api.ok("post", f"{ACC}/products", 201, json={"code": "HH01", "name": "Hàng 1", "group_code": "NH01"})
    api.ok("post", f"{ACC}/price-policies", 201, json={"code": "CS01", "name": "Giá", "product_group_codes": ["NH01"], "items": [{"product_code": "HH01", "price": "1"}]})
    api.drain()
    assert api.ok("get", f"{CRM}/price-policies")["items"] == []


@pytest.mark.parametrize("change", [{"name": "Sửa trên CRM"}, {"active": False}])
def test_PRC_3_a_part_the_connector_made_is_refused_on_edit_in_crm(catalog, change):
    create(catalog)
    part = catalog.ok("get", f"{CRM}/price-policies", params={"source_policy_code": "CS01"})["items"][0]
    r = catalog.patch(f"{CRM}/price-policies/{part['id']}", json=change)
    assert r.status_code == 403
    assert catalog.ok("get", f"{CRM}/price-policies/{part['id']}") == part
