"""CON-9 (manual sync) and CUS-C6 (pull on demand, normalisation; PRD-4: products and
groups too) over HTTP: POST /api/v1/sync/push and /pull."""

from __future__ import annotations

import pytest

from tests.conftest import Api, connect, run_step

PUSH, PULL = "/api/v1/sync/push", "/api/v1/sync/pull"


def add(api: Api, app: str, resource: str, code: str, **fields) -> dict:
    return api.ok("post", f"/api/v1/{app}/{resource}", 201, json={"code": code, "name": f"Tên {code}", **fields})


def codes(api: Api, app: str, resource: str) -> list[str]:
    return sorted(r["code"] for r in api.ok("get", f"/api/v1/{app}/{resource}")["items"])


def outcomes(answer: dict) -> dict[str, str]:
    return {i["code"]: i["outcome"] for i in answer["items"]}


@pytest.fixture
def team(api: Api) -> dict:
    """Users lan (manager), ha (accountant), minh (sales): their clients by code."""
    clients = {"admin": api}
    for code, role in (("lan", "manager"), ("ha", "accountant"), ("minh", "sales")):
        user = api.ok("post", "/api/v1/system/users", 201, json={"code": code, "name": code.title(), "role": role})
        clients[code] = api.as_(api.ok("post", f"/api/v1/system/users/{user['id']}/tokens", 201)["token"])
    api.drain()
    return clients


@pytest.fixture
def before(team) -> dict:
    """Records made before the apps were connected (they never reached the other app):
    accounting customers KH1, KH2 (group NKH1), product HH1 (group NH1); CRM customers
    KC1, KC2 (group NKC); then accounting is connected with CRM and step 1 has run."""
    api = team["admin"]
    ids = {"NKH1": add(api, "accounting", "customer-groups", "NKH1")["id"]}
    ids["KH1"] = add(api, "accounting", "customers", "KH1")["id"]
    ids["KH2"] = add(api, "accounting", "customers", "KH2", group_code="NKH1")["id"]
    ids["NH1"] = add(api, "accounting", "product-groups", "NH1")["id"]
    ids["HH1"] = add(api, "accounting", "products", "HH1", group_code="NH1", unit="cái", unit_price="25000")["id"]
    ids["NKC"] = add(api, "crm", "customer-groups", "NKC")["id"]
    ids["KC1"] = add(api, "crm", "customers", "KC1")["id"]
    ids["KC2"] = add(api, "crm", "customers", "KC2", group_code="NKC")["id"]
    api.drain()
    conn = connect(api)
    assert run_step(api, conn["id"], 1)["state"] == "succeeded"
    team["ids"] = ids
    return team


# -- CUS-C6: Lấy về (accounting pulls chosen CRM customers) --------------------------------------


def test_CUS_C6_an_accountant_pulls_chosen_crm_customers_into_accounting(before):
    ha, ids = before["ha"], before["ids"]
    answer = ha.ok("post", PULL, json={"kind": "customers", "from": "crm", "ids": [ids["KC2"]]})
    assert outcomes(answer) == {"KC2": "created"}
    assert (answer["direction"], answer["from"], answer["to"], answer["preview"]) == ("pull", "crm", "accounting", False)
    assert answer["items"][0]["reason"] == "Lấy về: đã tạo khách hàng KC2 trên Kế toán."
    made = before["admin"].one("/api/v1/accounting/customers", "KC2")
    assert made["group_code"] == "NKC"  # its group came along (CGR-2)
    assert answer["items"][0]["target"] == {"app": "accounting", "kind": "customers", "id": made["id"], "code": "KC2"}
    assert codes(before["admin"], "accounting", "customers") == ["KC2", "KH1", "KH2"]


def test_CUS_C6_a_pull_is_in_the_log_under_its_rule_with_the_record(before):
    admin, ids = before["admin"], before["ids"]
    before["ha"].ok("post", PULL, json={"kind": "customers", "from": "crm", "ids": [ids["KC1"]]})
    [entry] = admin.as_(admin.token, "en").log(code="KC1", rule="CUS-C6")
    assert entry["reason"] == "Pulled: the customer KC1 was created in Accounting."
    assert (entry["source"]["app"], entry["source"]["id"], entry["target"]["app"]) == ("crm", ids["KC1"], "accounting")


def test_CUS_C6_pulling_again_creates_nothing_new(before):
    ha, ids = before["ha"], before["ids"]
    body = {"kind": "customers", "from": "crm", "ids": [ids["KC1"], ids["KC2"]]}
    ha.ok("post", PULL, json=body)
    again = ha.ok("post", PULL, json=body)
    assert outcomes(again) == {"KC1": "unchanged", "KC2": "unchanged"}
    assert codes(before["admin"], "accounting", "customers") == ["KC1", "KC2", "KH1", "KH2"]
    assert codes(before["admin"], "accounting", "customer-groups") == ["NKC", "NKH1"]


# -- CUS-C6: Chuẩn hóa dữ liệu (CRM pulls what accounting never synced) --------------------------


@pytest.mark.parametrize(("kind", "expected"), [("customers", ["KH1", "KH2"]), ("products", ["HH1"]), ("product-groups", ["NH1"]), ("customer-groups", ["NKH1"])])
def test_CUS_C6_normalising_pulls_every_accounting_record_never_synced(before, kind, expected):
    """CUS-C6, and PRD-4: products and groups too."""
    lan = before["lan"]
    answer = lan.ok("post", PULL, json={"kind": kind, "from": "accounting", "all": True})
    assert sorted(outcomes(answer)) == expected
    assert set(outcomes(answer).values()) == {"created"}
    assert codes(before["admin"], "crm", kind) == sorted(expected + (["NKC"] if kind == "customer-groups" else []) + (["KC1", "KC2"] if kind == "customers" else []))


def test_CUS_C6_normalising_leaves_out_records_already_synced(before):
    lan, ids = before["lan"], before["ids"]
    lan.ok("post", PULL, json={"kind": "customers", "from": "accounting", "ids": [ids["KH1"]]})
    answer = lan.ok("post", PULL, json={"kind": "customers", "from": "accounting", "all": True})
    assert outcomes(answer) == {"KH2": "created"}
    assert lan.ok("post", PULL, json={"kind": "customers", "from": "accounting", "all": True})["items"] == []


def test_CUS_C6_the_preview_lists_what_the_run_does_and_writes_nothing(before):
    lan, admin = before["lan"], before["admin"]
    preview = lan.ok("post", f"{PULL}?preview=true", json={"kind": "products", "from": "accounting", "all": True})
    assert preview["preview"] is True
    assert codes(admin, "crm", "products") == []
    assert codes(admin, "crm", "product-groups") == []
    assert admin.log(rule="CUS-C6") == []
    run = lan.ok("post", PULL, json={"kind": "products", "from": "accounting", "all": True})
    assert [(i["code"], i["outcome"], i["reason"]) for i in preview["items"]] == [(i["code"], i["outcome"], i["reason"]) for i in run["items"]]
    assert preview["counts"] == run["counts"]


def test_PRD_4_a_product_pulled_into_crm_brings_its_group_first(before):
    """PRD-4 (normalisation of the accounting catalog), with PRD-3 along a pull."""
    lan, admin = before["lan"], before["admin"]
    lan.ok("post", PULL, json={"kind": "products", "from": "accounting", "ids": [before["ids"]["HH1"]]})
    assert admin.one("/api/v1/crm/products", "HH1")["group_code"] == "NH1"
    [along] = admin.log(code="HH1", rule="PRD-3")
    assert along["target"]["code"] == "NH1"


# -- CON-9: push ---------------------------------------------------------------------------------


def test_CON_9_pushing_a_whole_kind_creates_then_re_running_changes_nothing(before):
    admin = before["admin"]
    first = admin.ok("post", PUSH, json={"kind": "customer-groups", "from": "crm", "all": True})
    assert outcomes(first) == {"NKC": "created"}
    again = admin.ok("post", PUSH, json={"kind": "customer-groups", "from": "crm", "all": True})
    assert outcomes(again) == {"NKC": "unchanged"}
    assert again["items"][0]["reason"] == "Không cập nhật nhóm khách hàng NKC: Kế toán đã có đúng các thông tin này."
    assert codes(admin, "accounting", "customer-groups") == ["NKC", "NKH1"]


def test_CGR_3_the_customer_group_catalog_is_synced_by_hand_both_ways(before):
    admin = before["admin"]
    to_crm = admin.ok("post", PUSH, json={"kind": "customer-groups", "from": "accounting", "all": True})
    to_accounting = admin.ok("post", PUSH, json={"kind": "customer-groups", "from": "crm", "all": True})
    assert outcomes(to_crm) == {"NKH1": "created"}
    assert outcomes(to_accounting) == {"NKC": "created", "NKH1": "unchanged"}
    assert codes(admin, "accounting", "customer-groups") == codes(admin, "crm", "customer-groups") == ["NKC", "NKH1"]


def test_CON_9_an_unlinked_record_of_the_same_code_is_linked_and_updated(before):
    admin = before["admin"]
    add(admin, "crm", "product-groups", "NH1", name="Tên cũ")
    answer = admin.ok("post", PUSH, json={"kind": "product-groups", "from": "accounting", "ids": [before["ids"]["NH1"]]})
    assert outcomes(answer) == {"NH1": "linked"}
    assert admin.one("/api/v1/crm/product-groups", "NH1")["name"] == "Tên NH1"
    assert codes(admin, "crm", "product-groups") == ["NH1"]


def test_CON_9_a_code_the_other_app_has_linked_to_another_record_is_skipped_with_its_reason(before):
    admin, ids = before["admin"], before["ids"]
    admin.ok("post", PUSH, json={"kind": "customer-groups", "from": "accounting", "ids": [ids["NKH1"]]})
    copy = admin.one("/api/v1/crm/customer-groups", "NKH1")
    admin.ok("patch", f"/api/v1/crm/customer-groups/{copy['id']}", json={"code": "NKH9"})  # groups do not sync by themselves (CGR-1)
    other = add(admin, "accounting", "customer-groups", "NKH9")
    answer = admin.as_(admin.token, "en").ok("post", PUSH, json={"kind": "customer-groups", "from": "accounting", "ids": [other["id"]]})
    assert outcomes(answer) == {"NKH9": "skipped"}
    assert answer["items"][0]["reason"] == "The customer group NKH9 was skipped: CRM has a record with the code NKH9 that is linked to another record."
    [entry] = admin.log(code="NKH9", rule="CON-9")
    assert entry["outcome"] == "skipped"


def test_CON_9_an_edit_is_carried_to_the_counterpart(before):
    admin, ids = before["admin"], before["ids"]
    admin.ok("post", PUSH, json={"kind": "customer-groups", "from": "accounting", "ids": [ids["NKH1"]]})
    admin.ok("patch", f"/api/v1/accounting/customer-groups/{ids['NKH1']}", json={"name": "Khách sỉ"})
    answer = admin.ok("post", PUSH, json={"kind": "customer-groups", "from": "accounting", "ids": [ids["NKH1"]]})
    assert outcomes(answer) == {"NKH1": "updated"}
    assert admin.one("/api/v1/crm/customer-groups", "NKH1")["name"] == "Khách sỉ"


def test_CON_9_the_preview_of_a_push_is_the_run(before):
    """Created, linked, updated and unchanged, previewed then run: the same outcomes."""
    admin, ids = before["admin"], before["ids"]
    admin.ok("post", PUSH, json={"kind": "customers", "from": "accounting", "ids": [ids["KH1"]]})
    admin.ok("patch", f"/api/v1/accounting/customers/{ids['KH1']}", json={"name": "Đổi tên"})
    add(admin, "crm", "customers", "KH2")
    body = {"kind": "customers", "from": "accounting", "all": True}
    preview = admin.ok("post", f"{PUSH}?preview=true", json=body)
    run = admin.ok("post", PUSH, json=body)
    assert outcomes(preview) == {"KH1": "updated", "KH2": "linked"}
    assert [(i["code"], i["outcome"], i["reason"]) for i in preview["items"]] == [(i["code"], i["outcome"], i["reason"]) for i in run["items"]]
    unchanged = admin.ok("post", f"{PUSH}?preview=true", json=body)
    assert outcomes(unchanged) == outcomes(admin.ok("post", PUSH, json=body)) == {"KH1": "unchanged", "KH2": "unchanged"}


def test_CON_9_a_record_the_other_app_refuses_fails_with_its_reason_and_the_rest_go_on(before, suite):
    admin, ids = before["admin"], before["ids"]
    crm = suite.connector.peers["crm"]
    real = crm.apply

    def refuse_kh1(tenant_id, source_app, commands):
        out = real(tenant_id, source_app, [c for c in commands if c["args"]["values"].get("code") != "KH1"])
        refusal = {"ok": False, "status": 422, "error_vi": "Tên không hợp lệ", "error_en": "Bad name"}
        return [refusal if c["args"]["values"].get("code") == "KH1" else out.pop(0) for c in commands]

    crm.apply = refuse_kh1
    try:
        answer = admin.as_(admin.token, "en").ok("post", PUSH, json={"kind": "customers", "from": "accounting", "ids": [ids["KH1"], ids["KH2"]]})
    finally:
        crm.apply = real
    assert outcomes(answer) == {"KH1": "failed", "KH2": "created"}
    assert answer["items"][0]["reason"] == "The customer KH1 could not be synced: CRM refused it — Bad name"
    assert admin.one("/api/v1/crm/customers", "KH1") is None
    [entry] = admin.log(code="KH1", rule="CON-9")
    assert entry["reason"] == "Không đồng bộ được khách hàng KH1: CRM từ chối — Tên không hợp lệ"


# -- bad requests: problem+json naming the field; nothing changes ---------------------------------


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"kind": "quotes", "from": "crm", "all": True}, "kind", "The kind quotes cannot be synced by hand; choose one of: customers, customer-groups, products, product-groups, price-policies."),
        ({"kind": "customers", "from": "process", "all": True}, "from", "There is no app process to sync from; choose one of: accounting, crm."),
        ({"kind": "customers", "from": "crm", "ids": [], "all": False}, "ids", "The list of records (ids) is empty: choose at least one record."),
        ({"kind": "customers", "from": "crm"}, "ids", "Choose records (ids) or take all of them (all: true)."),
        ({"kind": "customers", "from": "crm", "ids": [1], "all": True}, "all", "Choose records by their ids or take all of them (all), not both."),
    ],
)
def test_CON_9_a_bad_request_is_a_422_naming_the_field(before, body, field, message):
    r = before["admin"].as_(before["admin"].token, "en").post(PUSH, json=body)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"] == [{"field": field, "code": r.json()["errors"][0]["code"], "message": message}]


def test_CON_9_a_bad_request_is_told_in_vietnamese_by_default(before):
    r = before["admin"].post(PUSH, json={"kind": "quotes", "from": "crm", "all": True})
    assert r.json()["errors"][0]["message"] == "Loại dữ liệu quotes không đồng bộ thủ công được; chọn một trong: customers, customer-groups, products, product-groups, price-policies."


def test_CON_9_an_unknown_id_is_a_404_naming_ids_and_nothing_is_pulled(before):
    admin, ids = before["admin"], before["ids"]
    r = admin.as_(admin.token, "en").post(PULL, json={"kind": "customers", "from": "crm", "ids": [ids["KC1"], 999]})
    assert r.status_code == 404
    assert r.json()["errors"] == [{"field": "ids", "code": "not_found", "message": "There is no customer with the id: 999."}]
    assert codes(admin, "accounting", "customers") == ["KH1", "KH2"]


def test_CON_9_apps_not_connected_is_a_409_naming_from(team):
    admin = team["admin"]
    add(admin, "crm", "customers", "KC1")
    r = admin.as_(admin.token, "en").post(PULL, json={"kind": "customers", "from": "crm", "all": True})
    assert r.status_code == 409
    assert r.json()["errors"][0]["field"] == "from"
    assert r.json()["detail"] == "CRM and Accounting are not connected: connect the two apps first."


def test_CON_9_a_kind_not_connected_is_a_409_naming_kind(team):
    admin = team["admin"]
    connect(admin, kinds=["customers"])
    r = admin.as_(admin.token, "en").post(PUSH, json={"kind": "products", "from": "accounting", "all": True})
    assert r.status_code == 409
    assert r.json()["errors"][0]["field"] == "kind"
    assert r.json()["detail"] == "The kind product is not connected: add it to the connection's kinds first."


# -- roles and tenants ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "path", "source", "allowed"),
    [
        ("admin", PUSH, "accounting", True),
        ("admin", PULL, "crm", True),
        ("ha", PULL, "crm", True),
        ("ha", PULL, "accounting", False),
        ("ha", PUSH, "accounting", False),
        ("lan", PULL, "accounting", True),
        ("lan", PULL, "crm", False),
        ("lan", PUSH, "crm", False),
        ("minh", PULL, "accounting", False),
        ("minh", PUSH, "crm", False),
    ],
)
def test_CON_9_who_may_push_and_pull(before, who, path, source, allowed):
    """Administrators push and pull; accountants pull into accounting; managers normalise into CRM; sales staff neither."""
    r = before[who].post(f"{path}?preview=true", json={"kind": "customers", "from": source, "all": True})
    assert r.status_code == (200 if allowed else 403)


def test_CON_9_a_push_by_an_accountant_is_refused_in_words(before):
    r = before["ha"].as_(before["ha"].token, "en").post(PUSH, json={"kind": "customers", "from": "crm", "all": True})
    assert r.json()["detail"] == "The role accountant may not run a manual sync: only administrators may."


def test_CON_9_a_refused_role_is_told_who_may_and_nothing_is_pulled(before):
    r = before["lan"].as_(before["lan"].token, "en").post(PULL, json={"kind": "customers", "from": "crm", "all": True})
    assert r.json()["detail"] == "The role manager may not pull records from CRM into accounting: only administrators and accountants may."
    assert codes(before["admin"], "accounting", "customers") == ["KH1", "KH2"]


def test_CON_9_another_tenants_ids_are_not_found(before, suite):
    _, token = suite.new_tenant("Công ty B")
    other = before["admin"].as_(token)
    connect(other)
    r = other.post(PULL, json={"kind": "customers", "from": "crm", "ids": [before["ids"]["KC1"]]})
    assert r.status_code == 404
    assert other.ok("post", PULL, json={"kind": "customers", "from": "crm", "all": True})["items"] == []
    assert codes(before["admin"], "accounting", "customers") == ["KH1", "KH2"]


def test_CON_9_an_app_that_cannot_be_reached_is_a_503_naming_it(before, suite):
    from lienthong.sync.peers import PeerUnavailable

    admin, crm = before["admin"], suite.connector.peers["crm"]
    real = crm.apply

    def down(tenant_id, source_app, commands):
        raise PeerUnavailable("crm", "connection refused")

    crm.apply = down
    try:
        r = admin.as_(admin.token, "en").post(PUSH, json={"kind": "customers", "from": "accounting", "all": True})
    finally:
        crm.apply = real
    assert r.status_code == 503
    assert r.json()["detail"] == "Application CRM cannot be reached: connection refused"
    assert codes(admin, "crm", "customers") == ["KC1", "KC2"]
    assert admin.log(rule="CON-9") == []
