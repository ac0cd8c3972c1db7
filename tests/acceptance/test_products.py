"""Products and product groups in accounting and CRM, over the API (issue 8, the apps'
side): what a user adds, edits, finds, deletes and merges, each change with the event the
connector acts on (adding and editing sync, PRD-1 and PGR-1; deleting and merging do
not, PRD-2, so their events must say which they are); bad input, a wrong role and
another tenant change nothing."""

from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy import select

from tests.conftest import Api

APPS = ("accounting", "crm")
PROBLEM = "application/problem+json"


def url(app: str, resource: str, *rest) -> str:
    return "/".join([f"/api/v1/{app}/{resource}", *map(str, rest)])


def events(suite, app: str, kind: str) -> list[tuple[str, str]]:
    """The app's outbox for ``kind``: ``(type, record code)`` in order."""
    db = suite.databases[app]
    outbox = db.base.registry._class_registry["Outbox"]
    with db.reader() as session:
        return [(e.type, e.record_code) for e in session.scalars(select(outbox).where(outbox.kind == kind).order_by(outbox.id))]


def outbox_data(suite, app: str, type_: str) -> list[dict]:
    db = suite.databases[app]
    outbox = db.base.registry._class_registry["Outbox"]
    with db.reader() as session:
        return [e.data for e in session.scalars(select(outbox).where(outbox.type == type_).order_by(outbox.id))]


@pytest.fixture
def catalog(api: Api):
    """Groups NH01 (Đồ uống), NH02 (Bánh) and products HH01, HH02 in both apps."""
    for app in APPS:
        api.ok("post", url(app, "product-groups"), 201, json={"code": "NH01", "name": "Đồ uống"})
        api.ok("post", url(app, "product-groups"), 201, json={"code": "NH02", "name": "Bánh"})
        api.ok("post", url(app, "products"), 201, json={"code": "HH01", "name": "Cà phê sữa đá", "group_code": "NH01", "unit": "Ly", "unit_price": "25000", "vat_rate": "8"})
        api.ok("post", url(app, "products"), 201, json={"code": "HH02", "name": "Bánh mì Đức", "group_code": "NH02", "unit": "Cái", "unit_price": "15000.5", "kind": "goods"})
    return api


def _one(api: Api, app: str, code: str, resource: str = "products") -> dict:
    return api.one(url(app, resource), code)


@pytest.mark.parametrize("app", APPS)
def test_PRD_1_a_product_is_added_with_every_field_and_its_event(api, suite, app):
    """PRD-1: the ProductCreated event carries every synced field, the amount as text."""
    api.ok("post", url(app, "product-groups"), 201, json={"code": "NH01", "name": "Đồ uống"})
    made = api.ok("post", url(app, "products"), 201, json={
        "code": "HH01", "name": "Cà phê", "group_code": "NH01", "unit": "Ly", "unit_price": "25000.50", "vat_rate": "exempt", "kind": "service", "active": False,
    })
    assert {k: made[k] for k in ("code", "name", "group_code", "unit", "unit_price", "vat_rate", "kind", "active")} == {
        "code": "HH01", "name": "Cà phê", "group_code": "NH01", "unit": "Ly", "unit_price": "25000.5", "vat_rate": "exempt", "kind": "service", "active": False,
    }
    assert api.ok("get", url(app, "products", made["id"])) == made
    assert events(suite, app, "products") == [("ProductCreated", "HH01")]
    assert outbox_data(suite, app, "ProductCreated")[0]["unit_price"] == "25000.5"


@pytest.mark.parametrize("app", APPS)
def test_a_product_left_without_price_rate_or_kind_gets_the_defaults(api, app):
    made = api.ok("post", url(app, "products"), 201, json={"code": "HH01", "name": "Cà phê"})
    assert (made["unit_price"], made["vat_rate"], made["kind"], made["active"], made["group_code"]) == ("0", "not_declared", "goods", True, None)


@pytest.mark.parametrize("app", APPS)
def test_PRD_1_editing_a_product_writes_what_changed_in_its_event(catalog, suite, app):
    product = _one(catalog, app, "HH01")
    changed = catalog.ok("patch", url(app, "products", product["id"]), json={"unit_price": "26000", "group_code": "NH02"})
    assert (changed["unit_price"], changed["group_code"]) == ("26000", "NH02")
    updated = [e for e in events(suite, app, "products") if e[0] == "ProductUpdated"]
    assert updated == [("ProductUpdated", "HH01")]


@pytest.mark.parametrize("app", APPS)
def test_PRD_1_an_edit_that_changes_nothing_writes_no_event(catalog, suite, app):
    product = _one(catalog, app, "HH01")
    catalog.ok("patch", url(app, "products", product["id"]), json={"unit_price": "25000.000", "name": "Cà phê sữa đá"})
    assert [e for e in events(suite, app, "products") if e[0] == "ProductUpdated"] == []


@pytest.mark.parametrize("app", APPS)
def test_PGR_1_a_product_group_is_added_and_edited_with_its_events(api, suite, app):
    """PGR-1: adding and editing a group each write the event the connector syncs."""
    group = api.ok("post", url(app, "product-groups"), 201, json={"code": "NH01", "name": "Đồ uống", "description": "Nước"})
    api.ok("patch", url(app, "product-groups", group["id"]), json={"name": "Đồ uống lạnh"})
    assert api.ok("get", url(app, "product-groups", group["id"]))["name"] == "Đồ uống lạnh"
    assert events(suite, app, "product-groups") == [("ProductGroupCreated", "NH01"), ("ProductGroupUpdated", "NH01")]


@pytest.mark.parametrize("app", APPS)
@pytest.mark.parametrize("q", ["ca phe", "CÀ PHÊ", "cà phê sữa", unicodedata.normalize("NFD", "Cà phê"), "hh01"])
def test_products_are_found_without_case_or_diacritics(catalog, app, q):
    assert [p["code"] for p in catalog.ok("get", url(app, "products"), params={"q": q})["items"]] == ["HH01"]


@pytest.mark.parametrize("app", APPS)
def test_product_lists_page_with_a_cursor_and_filter_by_group(catalog, app):
    first = catalog.ok("get", url(app, "products"), params={"limit": 1})
    second = catalog.ok("get", url(app, "products"), params={"limit": 1, "cursor": first["next_cursor"]})
    assert [p["code"] for p in first["items"] + second["items"]] == ["HH01", "HH02"]
    assert second["next_cursor"] is None
    assert [p["code"] for p in catalog.ok("get", url(app, "products"), params={"group_code": "nh02"})["items"]] == ["HH02"]


@pytest.mark.parametrize("app", APPS)
def test_codes_and_names_are_trimmed_and_in_nfc(api, app):
    made = api.ok("post", url(app, "products"), 201, json={"code": " HHO\u0301 ", "name": "\u200b " + unicodedata.normalize("NFD", "Cà phê") + "  "})
    assert (made["code"], made["name"]) == ("HHÓ", "Cà phê")


@pytest.mark.parametrize("app", APPS)
def test_product_codes_are_unique_without_case(catalog, app):
    r = catalog.post(url(app, "products"), json={"code": "hh01", "name": "Trùng"})
    assert r.status_code == 409
    assert r.json()["errors"] == [{"field": "code", "code": "duplicate", "message": "Mã hh01 đã tồn tại."}]


@pytest.mark.parametrize("app", APPS)
@pytest.mark.parametrize("body, field, message", [
    ({"code": "HH9", "name": "x", "unit_price": 12}, "unit_price", "Phải là chuỗi ký tự."),
    ({"code": "HH9", "name": "x", "unit_price": "-5"}, "unit_price", "Số tiền phải là một chuỗi số thập phân: tối đa 15 chữ số, có thể thêm dấu '.' và tối đa 4 chữ số thập phân (\"1250000\")."),
    ({"code": "HH9", "name": "x", "unit_price": "1.23456"}, "unit_price", "Số tiền phải là một chuỗi số thập phân: tối đa 15 chữ số, có thể thêm dấu '.' và tối đa 4 chữ số thập phân (\"1250000\")."),
    ({"code": "HH9", "name": "x", "vat_rate": "7"}, "vat_rate", "Giá trị phải là một trong: 0, 5, 8, 10, exempt, not_declared."),
    ({"code": "HH9", "name": "x", "kind": "thing"}, "kind", "Giá trị phải là một trong: goods, service."),
    ({"code": "HH9", "name": "x", "group_code": "NH404"}, "group_code", "Không có nhóm hàng hóa với mã NH404."),
    ({"code": "HH 9", "name": "x"}, "code", None),
])
def test_bad_product_input_names_the_field_and_changes_nothing(api, suite, app, body, field, message):
    r = api.post(url(app, "products"), json=body)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith(PROBLEM)
    error = next(e for e in r.json()["errors"] if e["field"] == field)
    if message is not None:
        assert error["message"] == message
    assert api.ok("get", url(app, "products"))["items"] == []
    assert events(suite, app, "products") == []


@pytest.mark.parametrize("app", APPS)
def test_a_bad_amount_is_explained_in_english_on_request(api, app):
    r = api.as_(api.token, lang="en").post(url(app, "products"), json={"code": "HH9", "name": "x", "unit_price": "12,5"})
    assert r.json()["errors"][0]["message"] == "An amount is a decimal string: up to 15 digits, optionally '.' and up to 4 decimals (\"1250000\")."


@pytest.mark.parametrize("app", APPS)
def test_a_patch_cannot_set_a_required_field_to_null(catalog, app):
    product = _one(catalog, app, "HH01")
    r = catalog.patch(url(app, "products", product["id"]), json={"unit_price": None})
    assert r.status_code == 422
    assert _one(catalog, app, "HH01")["unit_price"] == "25000"


@pytest.mark.parametrize("app", APPS)
def test_PRD_2_deleting_a_product_writes_its_event(catalog, suite, app):
    """PRD-2: a delete is told apart from an edit, so the connector can skip it."""
    product = _one(catalog, app, "HH02")
    catalog.ok("delete", url(app, "products", product["id"]), 204)
    assert _one(catalog, app, "HH02") is None
    assert events(suite, app, "products")[-1] == ("ProductDeleted", "HH02")


@pytest.mark.parametrize("app", APPS)
def test_a_product_group_with_products_cannot_be_deleted(catalog, suite, app):
    group = _one(catalog, app, "NH01", "product-groups")
    r = catalog.delete(url(app, "product-groups", group["id"]))
    assert r.status_code == 409
    assert r.json()["detail"] == "Không thể xóa nhóm hàng hóa NH01 vì đang được sử dụng."
    assert _one(catalog, app, "NH01", "product-groups") is not None


@pytest.mark.parametrize("app", APPS)
def test_PGR_1_deleting_an_unused_group_writes_its_event(api, suite, app):
    group = api.ok("post", url(app, "product-groups"), 201, json={"code": "NH09", "name": "Trống"})
    api.ok("delete", url(app, "product-groups", group["id"]), 204)
    assert events(suite, app, "product-groups")[-1] == ("ProductGroupDeleted", "NH09")


@pytest.mark.parametrize("app", APPS)
def test_PRD_2_merging_products_keeps_the_survivor_and_deletes_the_others(catalog, suite, app):
    """PRD-2: a merge writes a Merged event naming the survivor, not a Deleted one."""
    extra = catalog.ok("post", url(app, "products"), 201, json={"code": "HH03", "name": "Cà phê đen", "group_code": "NH01"})
    survivor = _one(catalog, app, "HH01")
    kept = catalog.ok("post", url(app, "products", survivor["id"], "merge"), json={"merged_ids": [extra["id"]]})
    assert (kept["id"], kept["code"], kept["unit_price"]) == (survivor["id"], "HH01", "25000")
    assert _one(catalog, app, "HH03") is None
    assert events(suite, app, "products")[-1] == ("ProductMerged", "HH03")
    assert ("ProductDeleted", "HH03") not in events(suite, app, "products")
    merged = outbox_data(suite, app, "ProductMerged")[0]
    assert (merged["survivor_id"], merged["survivor_code"]) == (survivor["id"], "HH01")


@pytest.mark.parametrize("app", APPS)
def test_PRD_2_merging_groups_moves_their_products_to_the_survivor(catalog, suite, app):
    nh01, nh02 = (_one(catalog, app, c, "product-groups") for c in ("NH01", "NH02"))
    catalog.ok("post", url(app, "product-groups", nh01["id"], "merge"), json={"merged_ids": [nh02["id"]]})
    assert _one(catalog, app, "HH02")["group_code"] == "NH01"
    assert _one(catalog, app, "NH02", "product-groups") is None
    assert events(suite, app, "products")[-1] == ("ProductUpdated", "HH02")
    assert events(suite, app, "product-groups")[-1] == ("ProductGroupMerged", "NH02")


@pytest.mark.parametrize("app", APPS)
@pytest.mark.parametrize("merged, field", [("self", "merged_ids.0"), ("twice", "merged_ids.1"), ("unknown", "merged_ids.0"), ("beyond 64 bits", "merged_ids.0")])
def test_a_bad_merge_names_the_id_and_changes_nothing(catalog, suite, app, merged, field):
    survivor, other = _one(catalog, app, "HH01"), _one(catalog, app, "HH02")
    ids = {"self": [survivor["id"]], "twice": [other["id"], other["id"]], "unknown": [999999], "beyond 64 bits": [2**64]}[merged]
    before = events(suite, app, "products")
    r = catalog.post(url(app, "products", survivor["id"], "merge"), json={"merged_ids": ids})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == [field]
    assert _one(catalog, app, "HH02") is not None
    assert events(suite, app, "products") == before


@pytest.mark.parametrize("app", APPS)
def test_more_than_three_records_are_not_merged_at_once(catalog, app):
    survivor = _one(catalog, app, "HH01")
    r = catalog.post(url(app, "products", survivor["id"], "merge"), json={"merged_ids": [2, 3, 4, 5]})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "merged_ids"


@pytest.fixture
def staff(api: Api) -> dict[str, Api]:
    out = {"admin": api}
    for role, code in (("manager", "lan"), ("accountant", "ha"), ("sales", "minh")):
        user = api.ok("post", "/api/v1/system/users", 201, json={"code": code, "name": code.title(), "role": role})
        out[role] = api.as_(api.ok("post", f"/api/v1/system/users/{user['id']}/tokens", 201)["token"])
    return out


@pytest.mark.parametrize("app, writers", [("accounting", {"admin", "accountant"}), ("crm", {"admin", "manager", "sales"})])
@pytest.mark.parametrize("resource", ["products", "product-groups"])
def test_who_may_change_products_as_for_customers(staff, app, writers, resource):
    """Accounting's catalogs are changed by accountants, CRM's by its sales staff and managers;
    everybody reads them."""
    answers = {}
    for n, (role, client) in enumerate(staff.items()):
        answers[role] = client.post(url(app, resource), json={"code": f"X{n}", "name": "Thử"}).status_code
    assert answers == {role: 201 if role in writers else 403 for role in staff}
    assert {role: client.get(url(app, resource)).status_code for role, client in staff.items()} == dict.fromkeys(staff, 200)


@pytest.mark.parametrize("app", APPS)
def test_another_tenant_sees_nothing_of_the_products(catalog, suite, app):
    _, token = suite.new_tenant("Công ty khác")
    other = catalog.as_(token)
    product = _one(catalog, app, "HH01")
    assert other.get(url(app, "products", product["id"])).status_code == 404
    assert other.ok("get", url(app, "products"))["items"] == []
    assert other.patch(url(app, "products", product["id"]), json={"name": "Của tôi"}).status_code == 404
    assert other.post(url(app, "products", product["id"], "merge"), json={"merged_ids": [product["id"] + 1]}).status_code == 404
    assert _one(catalog, app, "HH01")["name"] == "Cà phê sữa đá"


@pytest.mark.parametrize("app", APPS)
def test_the_connector_commands_create_and_update_products_and_groups(suite, app):
    """What the connector calls (kernel.sync_handlers): references arrive as the target's ids."""
    tenant = suite.authenticate("test-admin-token-0123456789abcdef").tenant_id
    port = suite.ports[app]
    other = "crm" if app == "accounting" else "accounting"
    group, product = port.apply(tenant, other, [
        {"name": "create_product_group", "key": "e1", "args": {"values": {"code": "NH01", "name": "Đồ uống"}}},
        {"name": "create_product", "key": "e2", "args": {"values": {"code": "HH01", "name": "Cà phê", "group_id": {"$ref": "e1"}, "unit_price": "25000"}}},
    ])
    assert (group["ok"], product["ok"]) == (True, True)
    [updated] = port.apply(tenant, other, [{"name": "update_product", "key": "e3", "args": {"target_id": product["id"], "values": {"unit_price": "25000.00", "name": "Cà phê đá"}}}])
    assert updated["changed"] == ["name"]
    assert port.query(tenant, "find_product", {"value": "hh01"})["group_code"] == "NH01"
    assert events(suite, app, "products") == [("ProductCreated", "HH01"), ("ProductUpdated", "HH01")]
