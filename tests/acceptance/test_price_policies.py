"""Price policies in accounting and CRM (issue 8, the apps' side of PRC-1..PRC-3): an
accounting policy over several product groups, CRM's own policies, and the parts of
accounting policies that the connector keeps in CRM (one per group, read-only there)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lienthong.crm import price_policies as crm_policies
from lienthong.kernel.problems import NotFound
from lienthong.kernel.unit_of_work import UnitOfWork
from tests.conftest import ADMIN, Api

ACC = "/api/v1/accounting"
CRM = "/api/v1/crm"


def events(suite, app: str) -> list[tuple[str, str, dict | None]]:
    db = suite.databases[app]
    outbox = db.base.registry._class_registry["Outbox"]
    with db.reader() as session:
        return [(e.type, e.record_code, e.changed) for e in session.scalars(select(outbox).where(outbox.kind == "price-policies").order_by(outbox.id))]


@pytest.fixture
def catalog(api: Api):
    """Groups NH01, NH02, NH03 and products HH01 (NH01), HH02 (NH02), HH03 (NH03) in both apps."""
    for base in (ACC, CRM):
        for n in (1, 2, 3):
            api.ok("post", f"{base}/product-groups", 201, json={"code": f"NH0{n}", "name": f"Nhóm {n}"})
            api.ok("post", f"{base}/products", 201, json={"code": f"HH0{n}", "name": f"Hàng {n}", "group_code": f"NH0{n}", "unit_price": "10000"})
    return api


POLICY = {
    "code": "CS01",
    "name": "Giá đại lý",
    "valid_from": "2026-01-01",
    "valid_to": "2026-12-31",
    "product_group_codes": ["NH01", "NH02"],
    "items": [{"product_code": "HH01", "price": "9000"}, {"product_code": "HH02", "discount_percent": "12.5"}],
}


def test_a_price_policy_over_several_groups_is_created_with_its_event(catalog, suite):
    made = catalog.ok("post", f"{ACC}/price-policies", 201, json=POLICY)
    assert made["product_group_codes"] == ["NH01", "NH02"]
    assert made["items"] == [
        {"product_id": 1, "product_code": "HH01", "price": "9000", "discount_percent": None},
        {"product_id": 2, "product_code": "HH02", "price": None, "discount_percent": "12.5"},
    ]
    assert (made["valid_from"], made["valid_to"], made["active"]) == ("2026-01-01", "2026-12-31", True)
    assert catalog.ok("get", f"{ACC}/price-policies/{made['id']}") == made
    assert events(suite, "accounting") == [("PricePolicyCreated", "CS01", None)]


def test_the_event_of_a_policy_gives_each_item_its_group(catalog, suite):
    """What the connector needs to make one CRM policy per group (PRC-2)."""
    catalog.ok("post", f"{ACC}/price-policies", 201, json=POLICY)
    db = suite.databases["accounting"]
    outbox = db.base.registry._class_registry["Outbox"]
    with db.reader() as session:
        data = session.scalars(select(outbox).where(outbox.type == "PricePolicyCreated")).one().data
    assert [(g["code"], i["product_code"], i["group_code"]) for g, i in zip(data["groups"], data["items"])] == [("NH01", "HH01", "NH01"), ("NH02", "HH02", "NH02")]


def test_removing_a_group_drops_its_items_and_the_event_names_the_old_groups(catalog, suite):
    made = catalog.ok("post", f"{ACC}/price-policies", 201, json=POLICY)
    changed = catalog.ok("patch", f"{ACC}/price-policies/{made['id']}", json={"product_group_codes": ["NH01", "NH03"]})
    assert changed["product_group_codes"] == ["NH01", "NH03"]
    assert [i["product_code"] for i in changed["items"]] == ["HH01"]
    kind, code, old = events(suite, "accounting")[-1]
    assert (kind, code, old["product_group_codes"]) == ("PricePolicyUpdated", "CS01", ["NH01", "NH02"])


def test_new_items_replace_the_old(catalog):
    made = catalog.ok("post", f"{ACC}/price-policies", 201, json=POLICY)
    changed = catalog.ok("patch", f"{ACC}/price-policies/{made['id']}", json={"items": [{"product_code": "HH01", "price": "8500"}]})
    assert [(i["product_code"], i["price"]) for i in changed["items"]] == [("HH01", "8500")]


def test_the_list_filters_by_product_group(catalog):
    catalog.ok("post", f"{ACC}/price-policies", 201, json=POLICY)
    catalog.ok("post", f"{ACC}/price-policies", 201, json={"code": "CS02", "name": "Lẻ", "product_group_codes": ["NH03"]})
    assert [p["code"] for p in catalog.ok("get", f"{ACC}/price-policies", params={"product_group_code": "NH02"})["items"]] == ["CS01"]
    assert [p["code"] for p in catalog.ok("get", f"{ACC}/price-policies", params={"q": "gia dai ly"})["items"]] == ["CS01"]


@pytest.mark.parametrize("change, field, message", [
    ({"items": [{"product_code": "HH03", "price": "1"}]}, "items.0.product_code", "Hàng hóa HH03 không thuộc nhóm hàng hóa nào mà chính sách giá áp dụng."),
    ({"items": [{"product_code": "HH01", "price": "1"}, {"product_code": "hh01", "price": "2"}]}, "items.1.product_code", "Hàng hóa HH01 đã có ở dòng trước."),
    ({"items": [{"product_code": "HH01", "price": "1", "discount_percent": "5"}]}, "items.0", "Mỗi dòng hàng cần đúng một trong hai: đơn giá (price) hoặc tỷ lệ chiết khấu (discount_percent)."),
    ({"items": [{"product_code": "HH01"}]}, "items.0", "Mỗi dòng hàng cần đúng một trong hai: đơn giá (price) hoặc tỷ lệ chiết khấu (discount_percent)."),
    ({"items": [{"product_code": "HH01", "discount_percent": "120"}]}, "items.0.discount_percent", "Tỷ lệ phần trăm phải là một chuỗi số từ 0 đến 100, tối đa 4 chữ số thập phân (\"12.5\")."),
    ({"items": [{"product_code": "HH404", "price": "1"}]}, "items.0.product_code", "Không có hàng hóa với mã HH404."),
    ({"product_group_codes": ["NH01", "NH404"]}, "product_group_codes.1", "Không có nhóm hàng hóa với mã NH404."),
    ({"product_group_codes": []}, "product_group_codes", None),
    ({"valid_from": "2026-12-31", "valid_to": "2026-01-01"}, "valid_to", "Ngày hết hiệu lực không được trước ngày bắt đầu hiệu lực."),
])
def test_a_bad_policy_names_the_field_and_changes_nothing(catalog, suite, change, field, message):
    r = catalog.post(f"{ACC}/price-policies", json={**POLICY, **change})
    assert r.status_code == 422
    error = next(e for e in r.json()["errors"] if e["field"] == field)
    if message is not None:
        assert error["message"] == message
    assert catalog.ok("get", f"{ACC}/price-policies")["items"] == []
    assert events(suite, "accounting") == []


def test_a_policy_code_is_unique_without_case(catalog):
    catalog.ok("post", f"{ACC}/price-policies", 201, json=POLICY)
    assert catalog.post(f"{ACC}/price-policies", json={**POLICY, "code": "cs01"}).status_code == 409


def test_deleting_a_policy_writes_its_event_and_frees_its_groups(catalog, suite):
    made = catalog.ok("post", f"{ACC}/price-policies", 201, json=POLICY)
    group = catalog.one(f"{ACC}/product-groups", "NH02")
    assert catalog.delete(f"{ACC}/product-groups/{group['id']}").status_code == 409  # its products and the policy use it
    catalog.ok("delete", f"{ACC}/price-policies/{made['id']}", 204)
    assert events(suite, "accounting")[-1][:2] == ("PricePolicyDeleted", "CS01")
    assert catalog.get(f"{ACC}/price-policies/{made['id']}").status_code == 404


def test_merging_products_moves_policy_items_to_the_survivor(catalog, suite):
    extra = catalog.ok("post", f"{ACC}/products", 201, json={"code": "HH04", "name": "Hàng 4", "group_code": "NH02"})
    catalog.ok("post", f"{ACC}/price-policies", 201, json={**POLICY, "items": [{"product_code": "HH04", "price": "7000"}]})
    survivor = catalog.one(f"{ACC}/products", "HH02")
    catalog.ok("post", f"{ACC}/products/{survivor['id']}/merge", json={"merged_ids": [extra["id"]]})
    policy = catalog.one(f"{ACC}/price-policies", "CS01")
    assert [(i["product_code"], i["price"]) for i in policy["items"]] == [("HH02", "7000")]
    assert events(suite, "accounting")[-1][:2] == ("PricePolicyUpdated", "CS01")


def test_merging_groups_moves_policies_to_the_survivor(catalog):
    catalog.ok("post", f"{ACC}/price-policies", 201, json=POLICY)
    nh01, nh02 = (catalog.one(f"{ACC}/product-groups", c) for c in ("NH01", "NH02"))
    catalog.ok("post", f"{ACC}/product-groups/{nh01['id']}/merge", json={"merged_ids": [nh02["id"]]})
    policy = catalog.one(f"{ACC}/price-policies", "CS01")
    assert policy["product_group_codes"] == ["NH01"]
    assert [i["product_code"] for i in policy["items"]] == ["HH01", "HH02"]


def test_a_sales_user_cannot_change_accounting_policies(catalog):
    user = catalog.ok("post", "/api/v1/system/users", 201, json={"code": "minh", "name": "Minh", "role": "sales"})
    sales = catalog.as_(catalog.ok("post", f"/api/v1/system/users/{user['id']}/tokens", 201)["token"])
    assert sales.post(f"{ACC}/price-policies", json=POLICY).status_code == 403
    assert sales.get(f"{ACC}/price-policies").status_code == 200


def test_another_tenant_sees_no_policy(catalog, suite):
    made = catalog.ok("post", f"{ACC}/price-policies", 201, json=POLICY)
    _, token = suite.new_tenant("Công ty khác")
    other = catalog.as_(token)
    assert other.get(f"{ACC}/price-policies/{made['id']}").status_code == 404
    assert other.delete(f"{ACC}/price-policies/{made['id']}").status_code == 404
    assert other.ok("get", f"{ACC}/price-policies")["items"] == []


# -- CRM ---------------------------------------------------------------------------------
def _tenant(suite) -> str:
    return suite.authenticate(ADMIN).tenant_id


def _crm_id(suite, model_name: str, code: str) -> int:
    db = suite.databases["crm"]
    model = db.base.registry._class_registry[model_name]
    with db.reader() as session:
        return session.scalar(select(model.id).where(model.code == code))


def _upsert_part(suite, source="CS01", group="NH01", **values) -> dict:
    db = suite.databases["crm"]
    values.setdefault("name", "Giá đại lý")
    values.setdefault("items", [{"product_id": _crm_id(suite, "Product", "HH01"), "price": "9000", "discount_percent": None}])
    with UnitOfWork(db) as uow:
        outcome = crm_policies.upsert_policy_part(uow, tenant_id=_tenant(suite), origin="accounting", source_policy_code=source, product_group_id=_crm_id(suite, "ProductGroup", group), values=values)
        uow.commit()
    return outcome


def test_PRC_1_crm_keeps_price_policies_of_its_own_editable(catalog, suite):
    """PRC-1: CRM's own policies are CRM's to change (their events carry no source policy)."""
    made = catalog.ok("post", f"{CRM}/price-policies", 201, json={"code": "KM01", "name": "Khuyến mãi", "product_group_code": "NH01", "items": [{"product_code": "HH01", "discount_percent": "10"}]})
    assert (made["source_policy_code"], made["product_group_code"]) == (None, "NH01")
    changed = catalog.ok("patch", f"{CRM}/price-policies/{made['id']}", json={"name": "Khuyến mãi hè", "items": [{"product_code": "HH01", "price": "8000"}]})
    assert (changed["name"], changed["items"][0]["price"]) == ("Khuyến mãi hè", "8000")
    assert [e[:2] for e in events(suite, "crm")] == [("PricePolicyCreated", "KM01"), ("PricePolicyUpdated", "KM01")]


def test_PRC_1_a_crm_policy_of_a_group_takes_only_that_groups_products(catalog):
    r = catalog.post(f"{CRM}/price-policies", json={"code": "KM01", "name": "Khuyến mãi", "product_group_code": "NH01", "items": [{"product_code": "HH02", "price": "1"}]})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "items.0.product_code"


def test_PRC_2_the_connector_makes_one_crm_policy_per_group(catalog, suite):
    """PRC-2: the command the connector calls once per group of an accounting policy."""
    first = _upsert_part(suite, group="NH01")
    second = _upsert_part(suite, group="NH02", items=[{"product_id": _crm_id(suite, "Product", "HH02"), "price": None, "discount_percent": "12.5"}])
    assert (first["created"], first["code"], second["code"]) == (True, "CS01.NH01", "CS01.NH02")
    parts = catalog.ok("get", f"{CRM}/price-policies", params={"source_policy_code": "CS01"})["items"]
    assert [(p["product_group_code"], [i["product_code"] for i in p["items"]]) for p in parts] == [("NH01", ["HH01"]), ("NH02", ["HH02"])]
    assert [p["code"] for p in catalog.ok("get", f"{CRM}/price-policies", params={"product_group_code": "NH02"})["items"]] == ["CS01.NH02"]
    assert [e[:2] for e in events(suite, "crm")] == [("PricePolicyCreated", "CS01.NH01"), ("PricePolicyCreated", "CS01.NH02")]


def test_PRC_2_the_connector_updates_the_part_of_a_group_in_place(catalog, suite):
    first = _upsert_part(suite)
    again = _upsert_part(suite, name="Giá đại lý 2026", valid_to="2026-12-31", items=[{"product_id": _crm_id(suite, "Product", "HH01"), "price": "8500", "discount_percent": None}])
    assert (again["id"], again["created"], again["changed"]) == (first["id"], False, ["items", "name", "valid_to"])
    part = catalog.ok("get", f"{CRM}/price-policies/{first['id']}")
    assert (part["name"], part["valid_to"], part["items"][0]["price"]) == ("Giá đại lý 2026", "2026-12-31", "8500")


def test_PRC_2_a_part_sent_again_unchanged_writes_no_event(catalog, suite):
    _upsert_part(suite)
    assert _upsert_part(suite)["changed"] == []
    assert len(events(suite, "crm")) == 1


def test_PRC_2_a_group_removed_in_accounting_marks_its_crm_part_inactive(catalog, suite):
    part = _upsert_part(suite)
    with UnitOfWork(suite.databases["crm"]) as uow:
        outcome = crm_policies.deactivate_policy_part(uow, tenant_id=_tenant(suite), origin="accounting", source_policy_code="CS01", product_group_id=_crm_id(suite, "ProductGroup", "NH01"))
        uow.commit()
    assert outcome == {"id": part["id"], "code": "CS01.NH01", "changed": ["active"]}
    assert catalog.ok("get", f"{CRM}/price-policies/{part['id']}")["active"] is False
    assert events(suite, "crm")[-1] == ("PricePolicyUpdated", "CS01.NH01", {"active": True})


def test_PRC_2_marking_a_part_that_does_not_exist_is_refused(catalog, suite):
    with UnitOfWork(suite.databases["crm"]) as uow, pytest.raises(NotFound):
        crm_policies.deactivate_policy_part(uow, tenant_id=_tenant(suite), origin="accounting", source_policy_code="CS09", product_group_id=_crm_id(suite, "ProductGroup", "NH01"))


def test_PRC_2_the_part_commands_are_offered_to_the_connector(catalog, suite):
    port = suite.ports["crm"]
    group_id, product_id = _crm_id(suite, "ProductGroup", "NH03"), _crm_id(suite, "Product", "HH03")
    made, inactive = port.apply(_tenant(suite), "accounting", [
        {"name": "upsert_price_policy_part", "key": "p1", "args": {"source_policy_code": "CS01", "product_group_id": group_id, "values": {"name": "Giá", "items": [{"product_id": product_id, "price": "1"}]}}},
        {"name": "deactivate_price_policy_part", "key": "p2", "args": {"source_policy_code": "CS01", "product_group_id": group_id}},
    ])
    assert (made["ok"], made["code"], inactive["ok"], inactive["changed"]) == (True, "CS01.NH03", True, ["active"])


@pytest.mark.parametrize("lang, detail", [
    (None, "Chính sách giá CS01.NH01 được lấy từ Kế toán (chính sách CS01) nên không sửa được trên CRM; hãy sửa chính sách gốc trên Kế toán."),
    ("en", "The price policy CS01.NH01 comes from accounting (policy CS01), so it cannot be edited in CRM; edit the original policy in accounting."),
])
def test_PRC_3_a_policy_from_accounting_cannot_be_edited_in_crm(catalog, suite, lang, detail):
    """PRC-3: refused with 403 and a message saying where to edit it; nothing changes."""
    part = _upsert_part(suite)
    before = catalog.ok("get", f"{CRM}/price-policies/{part['id']}")
    r = catalog.as_(catalog.token, lang=lang).patch(f"{CRM}/price-policies/{part['id']}", json={"name": "Sửa trên CRM"})
    assert r.status_code == 403
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["detail"] == detail
    assert catalog.ok("get", f"{CRM}/price-policies/{part['id']}") == before
    assert len(events(suite, "crm")) == 1


@pytest.mark.parametrize("change", [{"active": False}, {"items": []}, {"valid_to": "2027-01-01"}])
def test_PRC_3_a_quick_edit_of_one_field_is_refused_too(catalog, suite, change):
    part = _upsert_part(suite)
    assert catalog.patch(f"{CRM}/price-policies/{part['id']}", json=change).status_code == 403
    assert catalog.ok("get", f"{CRM}/price-policies/{part['id']}")["active"] is True


def test_an_accountant_cannot_change_crm_policies(catalog):
    user = catalog.ok("post", "/api/v1/system/users", 201, json={"code": "ha", "name": "Hà", "role": "accountant"})
    accountant = catalog.as_(catalog.ok("post", f"/api/v1/system/users/{user['id']}/tokens", 201)["token"])
    assert accountant.post(f"{CRM}/price-policies", json={"code": "KM01", "name": "x"}).status_code == 403


def test_PRC_2_a_crm_product_sent_twice_in_a_part_is_listed_once(catalog, suite):
    """Two accounting products may be linked to one CRM product after a merge in CRM."""
    product_id = _crm_id(suite, "Product", "HH01")
    part = _upsert_part(suite, items=[{"product_id": product_id, "price": "9000"}, {"product_id": product_id, "price": "9500"}])
    assert [(i["product_code"], i["price"]) for i in catalog.ok("get", f"{CRM}/price-policies/{part['id']}")["items"]] == [("HH01", "9000")]
