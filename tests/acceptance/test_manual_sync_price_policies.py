"""Price policies by hand (CON-9, CUS-C6): accounting's policies carried to CRM now by the
live rule's one-to-many form (PRC-2: one CRM policy per product group, a part of a group
removed since marked inactive), with an outcome per part; never from CRM (PRC-1)."""

from __future__ import annotations

import re

import pytest

from tests.acceptance.test_manual_sync_screens import outcome_rows, rows
from tests.acceptance.test_screen_forms import post, signed_in
from tests.conftest import Api, connect, run_step

ACC, CRM = "/api/v1/accounting", "/api/v1/crm"
PUSH, PULL = "/api/v1/sync/push", "/api/v1/sync/pull"


def said(answer: dict) -> list[tuple[str, str, str]]:
    """Each outcome as (code, outcome, reason)."""
    return [(i["code"], i["outcome"], i["reason"]) for i in answer["items"]]


def parts(api: Api) -> dict[str, tuple]:
    """CRM's parts of accounting policies by their code: (source policy, group, active, items)."""
    out = {}
    for p in api.ok("get", f"{CRM}/price-policies")["items"]:
        items = [(i["product_code"], i["price"], i["discount_percent"]) for i in p["items"]]
        out[p["code"]] = (p["source_policy_code"], p["product_group_code"], p["active"], items)
    return out


@pytest.fixture
def shop(people) -> dict:
    """Before connecting: accounting groups NH01..NH03 with products HH01..HH03, policies
    CS01 (NH01, NH02) and CS02 (NH03); then connected, steps 1 and 2 run (groups and
    products are in CRM and linked; the policies never reached CRM). Users lan (manager),
    ha (accountant), minh (sales)."""
    api = people
    for n in (1, 2, 3):
        api.ok("post", f"{ACC}/product-groups", 201, json={"code": f"NH0{n}", "name": f"Nhóm {n}"})
        api.ok("post", f"{ACC}/products", 201, json={"code": f"HH0{n}", "name": f"Hàng {n}", "group_code": f"NH0{n}", "unit_price": "10000"})
    ids = {
        "CS01": api.ok("post", f"{ACC}/price-policies", 201, json={
            "code": "CS01", "name": "Giá đại lý", "product_group_codes": ["NH01", "NH02"],
            "items": [{"product_code": "HH01", "price": "9000"}, {"product_code": "HH02", "discount_percent": "12.5"}],
        })["id"],
        "CS02": api.ok("post", f"{ACC}/price-policies", 201, json={"code": "CS02", "name": "Giá sỉ", "product_group_codes": ["NH03"], "items": [{"product_code": "HH03", "price": "8000"}]})["id"],
    }
    api.drain()
    conn = connect(api)
    assert run_step(api, conn["id"], 1)["state"] == "succeeded"
    assert run_step(api, conn["id"], 2)["state"] == "succeeded"
    clients = {"admin": api, "ids": ids}
    for code, role in (("lan", "manager"), ("ha", "accountant"), ("minh", "sales")):
        user = api.ok("post", "/api/v1/system/users", 201, json={"code": code, "name": code.title(), "role": role})
        clients[code] = api.as_(api.ok("post", f"/api/v1/system/users/{user['id']}/tokens", 201)["token"])
    api.drain()
    return clients


def test_CON_9_a_price_policy_pushed_by_id_becomes_one_crm_policy_per_group(shop):
    admin = shop["admin"]
    answer = admin.ok("post", PUSH, json={"kind": "price-policies", "from": "accounting", "ids": [shop["ids"]["CS01"]]})
    assert said(answer) == [
        ("CS01", "created", "Đã tạo chính sách giá CS01 trên CRM cho nhóm hàng hóa NH01."),
        ("CS01", "created", "Đã tạo chính sách giá CS01 trên CRM cho nhóm hàng hóa NH02."),
    ]
    assert [i["target"]["code"] for i in answer["items"]] == ["CS01.NH01", "CS01.NH02"]
    assert answer["counts"]["created"] == 2
    assert parts(admin) == {
        "CS01.NH01": ("CS01", "NH01", True, [("HH01", "9000", None)]),
        "CS01.NH02": ("CS01", "NH02", True, [("HH02", None, "12.5")]),
    }


def test_CON_9_each_part_pushed_is_in_the_log_under_its_rule(shop):
    admin = shop["admin"]
    admin.ok("post", PUSH, json={"kind": "price-policies", "from": "accounting", "ids": [shop["ids"]["CS01"]]})
    entries = admin.as_(admin.token, "en").log(code="CS01", rule="CON-9")
    assert sorted((e["reason"], e["target"]["code"]) for e in entries) == [
        ("Price policy CS01 was created in CRM for product group NH01.", "CS01.NH01"),
        ("Price policy CS01 was created in CRM for product group NH02.", "CS01.NH02"),
    ]


def test_CON_9_pushing_all_price_policies_again_changes_nothing_and_makes_no_duplicate(shop):
    admin = shop["admin"]
    body = {"kind": "price-policies", "from": "accounting", "all": True}
    first = admin.ok("post", PUSH, json=body)
    assert [(i["code"], i["outcome"]) for i in first["items"]] == [("CS01", "created"), ("CS01", "created"), ("CS02", "created")]
    again = admin.ok("post", PUSH, json=body)
    assert said(again) == [
        ("CS01", "unchanged", "Không cập nhật chính sách giá CS01 trên CRM cho nhóm hàng hóa NH01: đã có đúng các thông tin này."),
        ("CS01", "unchanged", "Không cập nhật chính sách giá CS01 trên CRM cho nhóm hàng hóa NH02: đã có đúng các thông tin này."),
        ("CS02", "unchanged", "Không cập nhật chính sách giá CS02 trên CRM cho nhóm hàng hóa NH03: đã có đúng các thông tin này."),
    ]
    assert sorted(parts(admin)) == ["CS01.NH01", "CS01.NH02", "CS02.NH03"]


def test_CON_9_an_edit_made_in_accounting_is_carried_to_every_part(shop):
    """The connector was behind (the edit's change is still waiting): a push carries it now."""
    admin, cs01 = shop["admin"], shop["ids"]["CS01"]
    admin.ok("post", PUSH, json={"kind": "price-policies", "from": "accounting", "ids": [cs01]})
    admin.ok("patch", f"{ACC}/price-policies/{cs01}", json={"items": [{"product_code": "HH01", "price": "8800"}, {"product_code": "HH02", "discount_percent": "12.5"}]})
    answer = admin.ok("post", PUSH, json={"kind": "price-policies", "from": "accounting", "ids": [cs01]})
    assert said(answer) == [
        ("CS01", "updated", "Đã cập nhật chính sách giá CS01 trên CRM cho nhóm hàng hóa NH01."),
        ("CS01", "unchanged", "Không cập nhật chính sách giá CS01 trên CRM cho nhóm hàng hóa NH02: đã có đúng các thông tin này."),
    ]
    assert parts(admin)["CS01.NH01"][3] == [("HH01", "8800", None)]


def test_PRC_2_a_group_removed_since_marks_its_part_inactive_by_hand(shop):
    admin, cs01 = shop["admin"], shop["ids"]["CS01"]
    body = {"kind": "price-policies", "from": "accounting", "ids": [cs01]}
    admin.ok("post", PUSH, json=body)
    admin.ok("patch", f"{ACC}/price-policies/{cs01}", json={"product_group_codes": ["NH01"]})
    answer = admin.ok("post", PUSH, json=body)
    assert said(answer) == [
        ("CS01", "unchanged", "Không cập nhật chính sách giá CS01 trên CRM cho nhóm hàng hóa NH01: đã có đúng các thông tin này."),
        ("CS01", "updated", "Chính sách giá CS01 không còn áp dụng cho nhóm hàng hóa của CS01.NH02 trên CRM: CS01.NH02 được đánh dấu ngừng sử dụng, không bị xóa."),
    ]
    assert {code: part[2] for code, part in parts(admin).items()} == {"CS01.NH01": True, "CS01.NH02": False}
    again = admin.as_(admin.token, "en").ok("post", PUSH, json=body)
    assert said(again)[1] == ("CS01", "unchanged", "Price policy CS01 no longer applies to the product group of CS01.NH02 in CRM; CS01.NH02 was inactive already: nothing to update.")


def test_CON_9_the_preview_of_a_price_policy_push_is_exactly_the_run(shop):
    """Created, updated, marked inactive and unchanged: previewed, then run, the same."""
    admin, cs01 = shop["admin"], shop["ids"]["CS01"]
    admin.ok("post", PUSH, json={"kind": "price-policies", "from": "accounting", "all": True})
    admin.ok("patch", f"{ACC}/price-policies/{cs01}", json={"name": "Giá đại lý 2027", "product_group_codes": ["NH01"]})
    admin.ok("post", f"{ACC}/price-policies", 201, json={"code": "CS03", "name": "Giá lẻ", "product_group_codes": ["NH02"], "items": [{"product_code": "HH02", "price": "9900"}]})
    before_preview, log_before = parts(admin), admin.log(rule="CON-9")
    body = {"kind": "price-policies", "from": "accounting", "all": True}
    preview = admin.ok("post", f"{PUSH}?preview=true", json=body)
    assert (parts(admin), admin.log(rule="CON-9")) == (before_preview, log_before)
    run = admin.ok("post", PUSH, json=body)
    assert [(i["code"], i["outcome"]) for i in preview["items"]] == [("CS01", "updated"), ("CS01", "updated"), ("CS02", "unchanged"), ("CS03", "created")]
    assert said(preview) == said(run)
    assert [i["target"] for i in preview["items"][:3]] == [i["target"] for i in run["items"][:3]]
    assert preview["counts"] == run["counts"]
    assert parts(admin)["CS01.NH02"][2] is False
    still = admin.ok("post", f"{PUSH}?preview=true", json=body)
    assert said(still) == said(admin.ok("post", PUSH, json=body))
    assert {i["outcome"] for i in still["items"]} == {"unchanged"}


def test_CUS_C6_normalising_pulls_the_accounting_price_policies_never_synced(shop):
    lan = shop["lan"]
    lan.ok("post", PULL, json={"kind": "price-policies", "from": "accounting", "ids": [shop["ids"]["CS01"]]})
    answer = lan.as_(lan.token, "en").ok("post", PULL, json={"kind": "price-policies", "from": "accounting", "all": True})
    assert said(answer) == [("CS02", "created", "Price policy CS02 was created in CRM for product group NH03.")]
    assert lan.ok("post", PULL, json={"kind": "price-policies", "from": "accounting", "all": True})["items"] == []
    assert sorted(parts(shop["admin"])) == ["CS01.NH01", "CS01.NH02", "CS02.NH03"]
    assert len(shop["admin"].log(code="CS02", rule="CUS-C6")) == 1


def test_CON_9_a_product_not_in_crm_is_left_out_of_its_part_and_logged(shop):
    """HH09 was added in accounting while the connector was behind: not in CRM yet."""
    admin, cs02 = shop["admin"], shop["ids"]["CS02"]
    admin.ok("post", f"{ACC}/products", 201, json={"code": "HH09", "name": "Hàng 9", "group_code": "NH03"})
    admin.ok("patch", f"{ACC}/price-policies/{cs02}", json={"items": [{"product_code": "HH03", "price": "8000"}, {"product_code": "HH09", "price": "100"}]})
    admin.ok("post", PUSH, json={"kind": "price-policies", "from": "accounting", "ids": [cs02]})
    assert parts(admin)["CS02.NH03"][3] == [("HH03", "8000", None)]
    [entry] = [e for e in admin.log(code="CS02", rule="CON-9") if e["outcome"] == "skipped"]
    assert entry["reason"] == "Chính sách giá CS02: hàng hóa HH09 chưa có trên CRM nên không có trong chính sách giá bên đó."


def test_CON_9_a_part_crm_refuses_fails_with_its_reason_and_the_other_parts_go_on(shop, suite):
    admin = shop["admin"]
    nh02 = admin.one(f"{CRM}/product-groups", "NH02")["id"]
    crm = suite.connector.peers["crm"]
    real = crm.apply

    def refuse_nh02(tenant_id, source_app, commands):
        refused = [c for c in commands if c["args"].get("product_group_id") == nh02]
        out = real(tenant_id, source_app, [c for c in commands if c not in refused])
        return [{"ok": False, "status": 422, "error_vi": "Nhóm bị khóa", "error_en": "Group locked"} if c in refused else out.pop(0) for c in commands]

    crm.apply = refuse_nh02
    try:
        answer = admin.as_(admin.token, "en").ok("post", PUSH, json={"kind": "price-policies", "from": "accounting", "ids": [shop["ids"]["CS01"]]})
    finally:
        crm.apply = real
    assert said(answer) == [
        ("CS01", "created", "Price policy CS01 was created in CRM for product group NH01."),
        ("CS01", "failed", "Price policy CS01 could not be synced for product group NH02: CRM refused it — Group locked"),
    ]
    [entry] = [e for e in admin.log(code="CS01", rule="CON-9") if e["outcome"] == "skipped"]
    assert entry["reason"] == "Không đồng bộ được chính sách giá CS01 cho nhóm hàng hóa NH02: CRM từ chối — Nhóm bị khóa"
    assert sorted(parts(admin)) == ["CS01.NH01"]
    again = admin.ok("post", PUSH, json={"kind": "price-policies", "from": "accounting", "ids": [shop["ids"]["CS01"]]})
    assert [(i["outcome"], i["target"]["code"]) for i in again["items"]] == [("unchanged", "CS01.NH01"), ("created", "CS01.NH02")]


# -- never from CRM ---------------------------------------------------------------------------------

REFUSED_EN = (
    "Price policies do not sync from CRM to accounting (rule PRC-1: CRM-side changes never sync to accounting). "
    "CRM's own price policies stay in CRM, and those that came from accounting belong to accounting and are edited there only. "
    "Sync price policies from accounting (from: accounting)."
)
REFUSED_VI = (
    "Chính sách giá không đồng bộ từ CRM sang Kế toán (quy tắc PRC-1: thay đổi trên CRM không bao giờ đồng bộ sang Kế toán). "
    "Chính sách giá riêng của CRM chỉ dùng trên CRM, còn chính sách lấy từ Kế toán thuộc về Kế toán và chỉ sửa được ở đó. "
    "Hãy đồng bộ chính sách giá từ Kế toán (from: accounting)."
)


@pytest.mark.parametrize(("who", "path"), [("admin", PUSH), ("admin", PULL), ("ha", PULL)])
@pytest.mark.parametrize(("lang", "message"), [(None, REFUSED_VI), ("en", REFUSED_EN)])
def test_PRC_1_price_policies_from_crm_are_refused_naming_from_and_the_rule(shop, who, path, lang, message):
    admin = shop["admin"]
    own = admin.ok("post", f"{CRM}/price-policies", 201, json={"code": "CRM1", "name": "Giá riêng", "product_group_code": "NH01", "items": [{"product_code": "HH01", "price": "1"}]})
    r = shop[who].as_(shop[who].token, lang).post(path, json={"kind": "price-policies", "from": "crm", "ids": [own["id"]]})
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"] == [{"field": "from", "code": "one_way", "message": message}]
    assert r.json()["detail"] == message
    assert [p["code"] for p in admin.ok("get", f"{ACC}/price-policies")["items"]] == ["CS01", "CS02"]
    assert admin.log(code="CRM1") == []


def test_PRC_1_a_preview_from_crm_is_refused_too(shop):
    r = shop["admin"].post(f"{PUSH}?preview=true", json={"kind": "price-policies", "from": "crm", "all": True})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "from"


# -- tenants and roles ----------------------------------------------------------------------------


def test_CON_9_another_tenants_price_policies_are_not_found(shop, suite):
    _, token = suite.new_tenant("Công ty B")
    other = shop["admin"].as_(token, "en")
    connect(other)
    r = other.post(PUSH, json={"kind": "price-policies", "from": "accounting", "ids": [shop["ids"]["CS01"]]})
    assert r.status_code == 404
    assert r.json()["errors"] == [{"field": "ids", "code": "not_found", "message": f"There is no price policy with the id: {shop['ids']['CS01']}."}]
    assert other.ok("post", PUSH, json={"kind": "price-policies", "from": "accounting", "all": True})["items"] == []
    assert parts(shop["admin"]) == {}


@pytest.mark.parametrize(
    ("who", "path", "allowed"),
    [("admin", PUSH, True), ("admin", PULL, True), ("lan", PULL, True), ("lan", PUSH, False), ("ha", PULL, False), ("ha", PUSH, False), ("minh", PULL, False), ("minh", PUSH, False)],
)
def test_CON_9_who_may_carry_price_policies(shop, who, path, allowed):
    """Administrators push and pull; managers normalise into CRM; accountants pull only from CRM (where price policies do not come from)."""
    r = shop[who].post(path, json={"kind": "price-policies", "from": "accounting", "ids": [shop["ids"]["CS02"]]})
    assert r.status_code == (200 if allowed else 403)
    assert sorted(parts(shop["admin"])) == (["CS02.NH03"] if allowed else [])


# -- the screens ------------------------------------------------------------------------------------


def test_CON_9_the_manual_screen_offers_price_policies_from_accounting_only(shop, client):
    signed_in(client)
    page = client.get("/ui/sync/manual", params={"kind": "price-policies", "from": "crm"})
    assert rows(page.text) == ["CS01", "CS02"]
    assert '<input type="hidden" name="from" value="accounting">' in page.text
    assert '<option value="crm"' not in page.text
    assert "Chính sách giá chỉ đồng bộ từ Kế toán sang CRM: chính sách giá trên CRM không đồng bộ sang Kế toán." in page.text
    assert '<option value="price-policies"' in client.get("/ui/sync/manual").text


def test_CON_9_the_manual_screen_runs_a_price_policy_with_an_outcome_per_part(shop, client):
    csrf = signed_in(client)
    form = {"mode": "manual", "kind": "price-policies", "from": "accounting", "ids": [str(shop["ids"]["CS01"])]}
    run = post(client, "/ui/sync/run", csrf, **form)
    assert outcome_rows(run.text) == [("created", "CS01"), ("created", "CS01")]
    assert "Đã tạo chính sách giá CS01 trên CRM cho nhóm hàng hóa NH02." in run.text
    page = client.get("/ui/sync/manual", params={"kind": "price-policies"})
    assert re.findall(r'<tr data-code="(\w+)" data-id="\d+">.*?badge (\w+)', page.text, re.S) == [("CS01", "succeeded"), ("CS02", "pending")]


def test_PRC_1_a_screen_form_asking_price_policies_from_crm_is_refused_in_words(shop, client):
    csrf = signed_in(client)
    r = post(client, "/ui/sync/run?lang=en", csrf, mode="manual", kind="price-policies", all="true", preview="true", **{"from": "crm"})
    assert r.status_code == 422
    assert "Price policies do not sync from CRM to accounting (rule PRC-1" in r.text
    assert parts(shop["admin"]) == {}


def test_CUS_C6_chuan_hoa_lists_the_price_policies_never_synced(shop, client):
    shop["admin"].ok("post", PUSH, json={"kind": "price-policies", "from": "accounting", "ids": [shop["ids"]["CS01"]]})
    signed_in(client, shop["lan"].token)
    assert rows(client.get("/ui/sync/normalise", params={"kind": "price-policies"}).text) == ["CS02"]


def test_CON_9_a_policy_made_again_in_accounting_links_the_parts_crm_kept_and_the_preview_says_so(shop):
    """CS01 deleted in accounting (its parts kept inactive in CRM, its links gone), then made again."""
    admin, cs01 = shop["admin"], shop["ids"]["CS01"]
    admin.ok("post", PUSH, json={"kind": "price-policies", "from": "accounting", "ids": [cs01]})
    assert admin.delete(f"{ACC}/price-policies/{cs01}").status_code == 204
    admin.drain()
    again = admin.ok("post", f"{ACC}/price-policies", 201, json={"code": "CS01", "name": "Giá đại lý mới", "product_group_codes": ["NH01", "NH02"], "items": [{"product_code": "HH01", "price": "9100"}]})
    body = {"kind": "price-policies", "from": "accounting", "ids": [again["id"]]}
    preview = admin.ok("post", f"{PUSH}?preview=true", json=body)
    run = admin.ok("post", PUSH, json=body)
    assert said(run) == [
        ("CS01", "linked", "Chính sách giá CS01 cho nhóm hàng hóa NH01 đã có trên CRM nhưng chưa liên kết: đã liên kết và cập nhật nó."),
        ("CS01", "linked", "Chính sách giá CS01 cho nhóm hàng hóa NH02 đã có trên CRM nhưng chưa liên kết: đã liên kết và cập nhật nó."),
    ]
    assert said(preview) == said(run)
    assert [i["target"] for i in preview["items"]] == [i["target"] for i in run["items"]]
    assert parts(admin) == {
        "CS01.NH01": ("CS01", "NH01", True, [("HH01", "9100", None)]),
        "CS01.NH02": ("CS01", "NH02", True, []),
    }
    assert {i["outcome"] for i in admin.ok("post", PUSH, json=body)["items"]} == {"unchanged"}


def test_CON_9_the_api_description_names_price_policies_and_their_one_way(client):
    kind = client.get("/openapi.json").json()["components"]["schemas"]["ManualSyncRequest"]["properties"]["kind"]
    assert kind["enum"] == ["customers", "customer-groups", "products", "product-groups", "price-policies"]
    assert "`price-policies` go from accounting only" in kind["description"]
