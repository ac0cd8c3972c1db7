"""SPEC section 1: connecting accounting with CRM and the first synchronisation."""

from __future__ import annotations

from tests.conftest import connect, run_step

CONN = "/api/v1/sync/connections"


def test_CON_1_accounting_recommends_connecting_until_it_is_connected(people):
    """CON-1."""
    api = people
    listed = api.ok("get", CONN)
    assert listed["items"] == [] and listed["recommendation"]["rule"] == "CON-1"
    assert "Kết nối" in listed["recommendation"]["message"] or "kết nối" in listed["recommendation"]["message"]
    connect(api)
    assert api.ok("get", CONN)["recommendation"] is None


def test_CON_1_only_an_administrator_connects(people):
    """CON-1."""
    api = people
    user = api.ok("get", "/api/v1/system/users", params={"code": "trang"})["items"][0]
    token = api.ok("post", f"/api/v1/system/users/{user['id']}/tokens", 201)["token"]
    r = api.as_(token).post(CONN, json={"apps": ["accounting", "crm"]})
    assert r.status_code == 403 and r.headers["content-type"].startswith("application/problem+json")


def test_CON_2_only_connected_kinds_sync(people):
    """CON-2."""
    api = people
    connect(api, kinds=["customer-groups"])
    api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH1", "name": "A"})
    api.drain()
    assert api.one("/api/v1/crm/customers", "KH1") is None
    entry = api.log(code="KH1")[0]
    assert entry["rule"] == "CON-2" and entry["outcome"] == "skipped" and "customers" in entry["reason"]


def test_CON_2_a_connection_refuses_unknown_kinds_and_apps(people):
    """CON-2."""
    api = people
    r = api.post(CONN, json={"apps": ["accounting", "crm"], "kinds": ["customers", "spaceships"]})
    assert r.status_code == 422 and r.json()["errors"][0]["field"].startswith("kinds")
    r = api.post(CONN, json={"apps": ["accounting", "system"]})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "apps"
    r = api.post(CONN, json={"apps": ["accounting", "crm"], "order_mapping": "invoice"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "order_mapping"
    assert api.ok("get", CONN)["items"] == []


def test_CON_6_the_order_mapping_is_kept_and_can_be_changed(people):
    """CON-6."""
    api = people
    conn = api.ok("post", CONN, 201, json={"apps": ["crm", "accounting"], "order_mapping": "contract"})
    assert conn["order_mapping"] == "contract" and conn["apps"] == ["accounting", "crm"]
    assert api.post(CONN, json={"apps": ["accounting", "crm"]}).status_code == 409
    changed = api.ok("patch", f"{CONN}/{conn['id']}", json={"order_mapping": "sales_order"})
    assert changed["order_mapping"] == "sales_order"


def test_CON_3_three_steps_in_order_and_CON_4_step_2_waits_for_step_1(people):
    """CON-3, CON-4."""
    api = people
    conn = connect(api)
    r = api.post(f"{CONN}/{conn['id']}/steps/2")
    assert r.status_code == 409 and "bước 1" in r.json()["detail"]
    assert api.post(f"{CONN}/{conn['id']}/steps/4").status_code == 422
    step1 = run_step(api, conn["id"], 1)
    assert step1["state"] == "succeeded" and step1["progress"]["done"] == step1["progress"]["total"]
    # the live sync had already copied employees and users: the step finds nothing to change
    assert step1["summary"]["created"] == 0 and step1["summary"]["updated"] == 0 and step1["summary"]["unchanged"] >= 5
    assert run_step(api, conn["id"], 2)["state"] == "succeeded"
    step3 = run_step(api, conn["id"], 3)
    assert step3["state"] == "succeeded"
    listed = api.ok("get", f"{CONN}/{conn['id']}")
    assert [s["state"] for s in listed["steps"]] == ["succeeded"] * 3


def test_CON_3_step_2_links_same_codes_creates_the_rest_both_ways_and_reruns_without_duplicates(people):
    """CON-3."""
    api = people
    api.ok("post", "/api/v1/accounting/customer-groups", 201, json={"code": "SI", "name": "Khách sỉ"})
    api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH1", "name": "Kế toán 1", "group_code": "SI", "salesperson_code": "NV01"})
    api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH2", "name": "Tên Kế toán"})
    api.ok("post", "/api/v1/crm/customer-groups", 201, json={"code": "LE", "name": "Khách lẻ"})
    api.ok("post", "/api/v1/crm/customers", 201, json={"code": "KH2", "name": "Tên CRM"})
    api.ok("post", "/api/v1/crm/customers", 201, json={"code": "CRM9", "name": "Chỉ CRM", "group_code": "LE"})
    api.drain()
    conn = connect(api)
    run_step(api, conn["id"], 1)
    preview = api.ok("post", f"{CONN}/{conn['id']}/steps/2?preview=true")
    assert preview["state"] == "preview" and preview["summary"]["linked"] >= 1
    assert api.one("/api/v1/crm/customers", "KH1") is None  # the preview wrote nothing
    step = run_step(api, conn["id"], 2)
    assert step["state"] == "succeeded", step
    kh1 = api.one("/api/v1/crm/customers", "KH1")
    assert kh1["group_code"] == "SI" and kh1["owner_code"] == "trang"
    assert api.one("/api/v1/crm/customers", "KH2")["name"] == "Tên Kế toán"  # accounting wins for catalogs
    assert api.one("/api/v1/accounting/customers", "CRM9")["group_code"] == "LE"
    assert api.log(rule="CGR-3") and api.log(rule="CON-3")
    again = run_step(api, conn["id"], 2)
    assert again["state"] == "succeeded" and again["summary"]["created"] == 0
    assert len(api.ok("get", "/api/v1/crm/customers")["items"]) == 3
    assert len(api.ok("get", "/api/v1/accounting/customers")["items"]) == 3
    # linked by the step: a later accounting edit updates the same CRM record
    kh2 = api.one("/api/v1/accounting/customers", "KH2")
    api.ok("patch", f"/api/v1/accounting/customers/{kh2['id']}", json={"phone": "0987 654 321"})
    api.drain()
    assert api.one("/api/v1/crm/customers", "KH2")["phone"] == "0987 654 321"


def test_CON_5_employees_go_one_way_system_to_accounting(connected):
    """CON-5."""
    api = connected
    assert api.one("/api/v1/accounting/employees", "NV01")["name"] == "Hồ Trang"
    # there is no way to write employees in accounting: the copy is the connector's
    assert api.post("/api/v1/accounting/employees", json={"code": "X", "name": "Y"}).status_code in (404, 405)
    assert api.log(rule="EMP-1")
