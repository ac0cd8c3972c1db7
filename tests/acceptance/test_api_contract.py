"""API.md's contract: auth, tenants, problem+json, languages, lists; ENG-5 and ENG-7 over HTTP."""

from __future__ import annotations

import pytest

from tests.conftest import Api

PROBLEM = "application/problem+json"


def test_401_without_or_with_a_bad_token(client):
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}):
        r = client.get("/api/v1/accounting/customers", headers=headers)
        assert r.status_code == 401
        assert r.headers["content-type"].startswith(PROBLEM)
        assert r.json()["status"] == 401
        assert r.json()["detail"] == "Thiếu mã truy cập hoặc mã truy cập không hợp lệ."


def test_a_tenant_sees_nothing_of_another_tenant(suite, api, client):
    _, other_token = suite.new_tenant("Công ty B")
    other = Api(client, other_token)
    mine = api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH1", "name": "Của A"})
    assert other.ok("get", "/api/v1/accounting/customers")["items"] == []
    assert other.get(f"/api/v1/accounting/customers/{mine['id']}").status_code == 404
    assert other.patch(f"/api/v1/accounting/customers/{mine['id']}", json={"name": "x"}).status_code == 404
    assert other.delete(f"/api/v1/accounting/customers/{mine['id']}").status_code == 404
    theirs = other.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH1", "name": "Của B"})  # same code, other tenant
    assert theirs["id"] != mine["id"]
    api.drain()
    other.drain()  # a drain waits for its own tenant's changes only
    assert {e["source"]["id"] for e in other.log(code="KH1")} == {theirs["id"]}
    assert {e["source"]["id"] for e in api.log(code="KH1")} == {mine["id"]}
    assert [u["code"] for u in other.ok("get", "/api/v1/system/users")["items"]] == ["admin"]


def test_users_get_tokens_and_roles_limit_them(api):
    emp = api.ok("post", "/api/v1/system/employees", 201, json={"code": "NV1", "name": "Kế toán viên"})
    user = api.ok("post", "/api/v1/system/users", 201, json={"code": "ketoan", "name": "Kế toán", "role": "accountant", "employee_code": emp["code"]})
    token = api.ok("post", f"/api/v1/system/users/{user['id']}/tokens", 201)["token"]
    accountant = api.as_(token)
    accountant.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH1", "name": "A"})
    assert accountant.post("/api/v1/system/employees", json={"code": "NV2", "name": "B"}).status_code == 403
    assert accountant.ok("get", "/api/v1/system/me")["role"] == "accountant"
    api.ok("patch", f"/api/v1/system/users/{user['id']}", json={"active": False})
    assert accountant.get("/api/v1/accounting/customers").status_code == 401


@pytest.mark.parametrize(
    "body, field, message",
    [
        ({"name": "Không mã"}, "code", "Trường này là bắt buộc."),
        ({"code": "KH 1", "name": "A"}, "code", "Sai định dạng mã: chỉ gồm chữ cái (kể cả chữ tiếng Việt), chữ số và ký hiệu ASCII; không có khoảng trắng, ký tự điều khiển hay ký tự ẩn (như khoảng trắng độ rộng 0, dấu viết từ phải sang trái)."),
        ({"code": "KH1", "name": "A", "email": "không-phải-email"}, "email", "Email không hợp lệ."),
        ({"code": "KH1", "name": "A", "tax_code": "ABC"}, "tax_code", "Mã số thuế phải gồm 10 chữ số, hoặc 10 chữ số, dấu '-' và 3 chữ số của chi nhánh (0101234567-001), hoặc 12 chữ số (số định danh cá nhân)."),
        ({"code": "KH1", "name": "A", "salesperson_code": "NV404"}, "salesperson_code", "Không có nhân viên với mã NV404."),
        ({"code": "KH1", "name": "A", "group_code": "G404"}, "group_code", "Không có nhóm khách hàng với mã G404."),
        ({"code": "KH1", "name": "A", "colour": "red"}, "colour", "Trường không được hỗ trợ."),
        ({"code": "KH1", "name": "A" * 201}, "name", "Dài quá 200 ký tự."),
    ],
)
def test_ENG_7_bad_input_names_the_field_and_changes_nothing(api, body, field, message):
    """ENG-7."""
    r = api.post("/api/v1/accounting/customers", json=body)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith(PROBLEM)
    problem = r.json()
    assert sorted(problem) == ["detail", "errors", "status", "title", "type"]
    assert [(e["field"], e["message"]) for e in problem["errors"]] == [(field, message)]
    assert api.ok("get", "/api/v1/accounting/customers")["items"] == []


def test_ENG_7_errors_in_english_on_request(api):
    """ENG-7."""
    r = api.as_(api.token, "en").post("/api/v1/accounting/customers", json={"code": "KH1", "name": "A", "salesperson_code": "NV404"})
    assert r.json()["errors"][0]["message"] == "There is no employee with the code NV404."
    assert r.json()["title"] == "Invalid input"


def test_ENG_7_malformed_json_duplicate_code_and_unknown_id(api):
    """ENG-7."""
    r = api.post("/api/v1/accounting/customers", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "body"
    api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH1", "name": "A"})
    r = api.post("/api/v1/accounting/customers", json={"code": "KH1", "name": "B"})
    assert r.status_code == 409
    assert r.json()["errors"][0]["field"] == "code"
    assert api.get("/api/v1/accounting/customers/999").status_code == 404
    assert api.patch("/api/v1/accounting/customers/999", json={"name": "x"}).status_code == 404
    r = api.patch("/api/v1/accounting/customers/1", json={"name": None})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "name"
    assert api.get("/api/v1/nowhere").status_code == 404


def test_lists_page_with_a_cursor_and_filter(api):
    for i in range(7):
        api.ok("post", "/api/v1/accounting/customers", 201, json={"code": f"KH{i}", "name": f"Khách {i}"})
    first = api.ok("get", "/api/v1/accounting/customers", params={"limit": 5})
    second = api.ok("get", "/api/v1/accounting/customers", params={"limit": 5, "cursor": first["next_cursor"]})
    assert [c["code"] for c in first["items"]] == ["KH0", "KH1", "KH2", "KH3", "KH4"]
    assert [c["code"] for c in second["items"]] == ["KH5", "KH6"]
    assert second["next_cursor"] is None
    assert [c["code"] for c in api.ok("get", "/api/v1/accounting/customers", params={"q": "khách 3"})["items"]] == ["KH3"]
    assert api.get("/api/v1/accounting/customers", params={"cursor": "%%%"}).status_code == 422


def test_ENG_5_the_log_is_searchable_by_rule_outcome_code_and_app(connected):
    """ENG-5."""
    api = connected
    api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH1", "name": "A"})
    api.ok("post", "/api/v1/crm/customers", 201, json={"code": "C1", "name": "B"})
    api.drain()
    applied = api.log(rule="CUS-A1", outcome="applied")
    assert [e["source"]["code"] for e in applied] == ["KH1"]
    entry = applied[0]
    assert {"rule", "outcome", "reason", "source", "target", "at"} <= entry.keys()
    assert entry["source"]["app"] == "accounting"
    assert entry["target"]["app"] == "crm"
    assert [e["rule"] for e in api.log(code="C1", app="crm")] == ["CUS-C1"]
    assert [(e["rule"], e["outcome"]) for e in api.log(outcome="skipped")] == [("CUS-C1", "skipped")]
    assert api.get("/api/v1/sync/log", params={"outcome": "maybe"}).status_code == 422
    newest_first = api.log()
    assert [e["id"] for e in newest_first] == sorted((e["id"] for e in newest_first), reverse=True)


def test_status_parked_and_retry_endpoints(connected, suite):
    api = connected
    status = api.ok("get", "/api/v1/sync/status")
    assert status["pending"] == 0
    assert status["parked"] == 0
    assert status["apps"]["crm"]["reachable"] is True
    # accounting keeps KH-X, whose CRM copy is deleted; CRM then renames linked KH1 to
    # KH-X, which accounting refuses (duplicate code)
    api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH-X", "name": "chặn"})
    api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH1", "name": "A"})
    api.drain()
    api.ok("delete", f"/api/v1/crm/customers/{api.one('/api/v1/crm/customers', 'KH-X')['id']}", 204)
    api.ok("patch", f"/api/v1/crm/customers/{api.one('/api/v1/crm/customers', 'KH1')['id']}", json={"code": "KH-X"})
    api.drain()
    parked = api.ok("get", "/api/v1/sync/parked")["items"]
    assert [p["source"]["code"] for p in parked] == ["KH-X"]
    assert parked[0]["error"] == "Mã KH-X đã tồn tại."
    assert api.ok("get", "/api/v1/sync/status")["parked"] == 1
    assert api.log(outcome="parked")[0]["rule"] == "ENG-4"
    blocking = api.one("/api/v1/accounting/customers", "KH-X")
    api.ok("patch", f"/api/v1/accounting/customers/{blocking['id']}", json={"code": "KH-Y"})
    assert api.ok("post", f"/api/v1/sync/parked/{parked[0]['id']}/retry")["state"] == "pending"
    api.drain()
    assert api.ok("get", "/api/v1/sync/status")["parked"] == 0
    assert api.one("/api/v1/accounting/customers", "KH-X")["name"] == "A"
    assert api.post(f"/api/v1/sync/parked/{parked[0]['id']}/retry").status_code == 409
    assert api.post("/api/v1/sync/parked/9999/retry").status_code == 404


def test_CON_7_while_crm_is_unreachable_changes_wait_and_drain_answers_409(connected, suite):
    """CON-7."""
    from lienthong.sync.peers import PeerUnavailable

    api = connected
    crm = suite.connector.peers["crm"]
    calls = ("events_after", "count_after", "apply", "query")

    def down(*args, **kwargs):
        raise PeerUnavailable("crm", "connection refused")

    for call in calls:  # CRM's server is gone: every call fails as a refused connection would
        setattr(crm, call, down)
    try:
        for i in range(3):
            api.ok("post", "/api/v1/accounting/customers", 201, json={"code": f"KH{i}", "name": f"v{i}"})
        r = api.post("/api/v1/sync/drain?timeout=0.5")
        assert r.status_code == 409
        assert r.headers["content-type"].startswith(PROBLEM)
        status = api.ok("get", "/api/v1/sync/status")
        assert status["pending"] == 3
        assert status["parked"] == 0
        assert status["apps"]["crm"]["reachable"] is False
        assert status["apps"]["crm"]["error"] == "connection refused"
    finally:
        for call in calls:
            delattr(crm, call)
    api.drain()
    assert [c["code"] for c in api.ok("get", "/api/v1/crm/customers")["items"]] == ["KH0", "KH1", "KH2"]
    assert len(api.log(rule="CUS-A1")) == 3
    assert api.ok("get", "/api/v1/sync/status")["apps"]["crm"]["reachable"] is True


@pytest.mark.parametrize("name, value, choices", [("app", "nope", "system, accounting, crm, process"), ("outcome", "bogus", "applied, skipped, parked")])
def test_a_log_filter_outside_its_choices_is_refused_with_the_choices(api, name, value, choices):
    r = api.as_(api.token, "en").get("/api/v1/sync/log", params={name: value})
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": name, "code": "literal_error", "message": f"Must be one of: {choices}."}]
