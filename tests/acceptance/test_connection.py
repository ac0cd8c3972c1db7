"""SPEC section 1: connecting accounting with CRM and the first synchronisation."""

from __future__ import annotations


from tests.conftest import connect, run_step

CONN = "/api/v1/sync/connections"


def test_CON_1_accounting_recommends_connecting_until_it_is_connected(people):
    """CON-1."""
    api = people
    listed = api.ok("get", CONN)
    assert listed["items"] == []
    assert listed["recommendation"] == {
        "rule": "CON-1",
        "message": "Chưa kết nối Kế toán với CRM. Hãy kết nối để khách hàng, hàng hóa và chứng từ được đồng bộ tự động.",
    }
    connect(api)
    assert api.ok("get", CONN)["recommendation"] is None


def test_CON_1_only_an_administrator_connects(people):
    """CON-1."""
    api = people
    user = api.ok("get", "/api/v1/system/users", params={"code": "trang"})["items"][0]
    token = api.ok("post", f"/api/v1/system/users/{user['id']}/tokens", 201)["token"]
    r = api.as_(token).post(CONN, json={"apps": ["accounting", "crm"]})
    assert r.status_code == 403
    assert r.headers["content-type"].startswith("application/problem+json")


def test_CON_2_only_connected_kinds_sync(people):
    """CON-2."""
    api = people
    connect(api, kinds=["customer-groups"])
    api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH1", "name": "A"})
    api.drain()
    assert api.one("/api/v1/crm/customers", "KH1") is None
    [entry] = api.log(code="KH1")
    assert entry["rule"] == "CON-2"
    assert entry["outcome"] == "skipped"
    assert entry["reason"] == "Không đồng bộ KH1: loại dữ liệu khách hàng chưa được kết nối giữa Kế toán và CRM."
    [english] = api.as_(api.token, "en").log(code="KH1")
    assert english["reason"] == "KH1 was not synced: the data kind customer is not connected between Accounting and CRM."


def test_CON_2_a_connection_refuses_unknown_kinds_and_apps(people):
    """CON-2."""
    api = people
    r = api.post(CONN, json={"apps": ["accounting", "crm"], "kinds": ["customers", "spaceships"]})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["kinds.1"]  # the second kind is the unknown one
    r = api.post(CONN, json={"apps": ["accounting", "system"]})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["apps"]
    r = api.post(CONN, json={"apps": ["accounting", "crm"], "order_mapping": "invoice"})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["order_mapping"]
    assert api.ok("get", CONN)["items"] == []


def test_CON_6_the_order_mapping_is_kept_and_can_be_changed(people):
    """CON-6."""
    api = people
    conn = api.ok("post", CONN, 201, json={"apps": ["crm", "accounting"], "order_mapping": "contract"})
    assert conn["order_mapping"] == "contract"
    assert conn["apps"] == ["accounting", "crm"]
    assert api.post(CONN, json={"apps": ["accounting", "crm"]}).status_code == 409
    changed = api.ok("patch", f"{CONN}/{conn['id']}", json={"order_mapping": "sales_order"})
    assert changed["order_mapping"] == "sales_order"


def test_CON_3_three_steps_in_order_and_CON_4_step_2_waits_for_step_1(people):
    """CON-3, CON-4."""
    api = people
    conn = connect(api)
    r = api.post(f"{CONN}/{conn['id']}/steps/2")
    assert r.status_code == 409
    assert r.json()["detail"] == "Phải chạy xong bước 1 trước khi chạy bước 2 (CON-4: đồng bộ nhân viên trước khi đồng bộ danh mục)."
    assert api.post(f"{CONN}/{conn['id']}/steps/4").status_code == 422
    step1 = run_step(api, conn["id"], 1)
    assert step1["state"] == "succeeded"
    assert step1["progress"] == {"done": 6, "total": 6}  # 2 employees to accounting; 2 users (admin, trang) to CRM and to process
    # the live sync had already copied employees and users: the step finds nothing to change
    assert {k: step1["summary"][k] for k in ("created", "linked", "updated", "unchanged", "skipped", "failed")} == {"created": 0, "linked": 0, "updated": 0, "unchanged": 6, "skipped": 0, "failed": 0}
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
    assert preview["state"] == "preview"
    assert api.one("/api/v1/crm/customers", "KH1") is None  # the preview wrote nothing
    step = run_step(api, conn["id"], 2)
    assert step["state"] == "succeeded", step
    kh1 = api.one("/api/v1/crm/customers", "KH1")
    assert kh1["group_code"] == "SI"
    assert kh1["owner_code"] == "trang"
    assert api.one("/api/v1/crm/customers", "KH2")["name"] == "Tên Kế toán"  # accounting wins for catalogs
    assert api.one("/api/v1/accounting/customers", "CRM9")["group_code"] == "LE"
    assert sorted(e["source"]["code"] for e in api.log(rule="CGR-3")) == ["LE", "SI"]
    assert sorted(e["source"]["code"] for e in api.log(rule="CON-3") if e["source"]["kind"] == "customers") == ["CRM9", "KH1", "KH2"]
    again = run_step(api, conn["id"], 2)
    assert again["state"] == "succeeded"
    assert again["summary"]["created"] == 0
    assert len(api.ok("get", "/api/v1/crm/customers")["items"]) == 3
    assert len(api.ok("get", "/api/v1/accounting/customers")["items"]) == 3
    # linked by the step: a later accounting edit updates the same CRM record
    kh2 = api.one("/api/v1/accounting/customers", "KH2")
    api.ok("patch", f"/api/v1/accounting/customers/{kh2['id']}", json={"phone": "0987 654 321"})
    api.drain()
    assert api.one("/api/v1/crm/customers", "KH2")["phone"] == "0987 654 321"


def test_CON_3_the_step_2_preview_counts_what_the_run_does(people):
    """CON-3."""
    api = people
    api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH2", "name": "Tên Kế toán"})
    api.ok("post", "/api/v1/crm/customers", 201, json={"code": "KH2", "name": "Tên CRM"})
    api.drain()
    conn = connect(api)
    run_step(api, conn["id"], 1)
    preview = api.ok("post", f"{CONN}/{conn['id']}/steps/2?preview=true")
    run = run_step(api, conn["id"], 2)
    assert preview["summary"]["linked"] == run["summary"]["linked"]


def test_CON_5_employees_go_one_way_system_to_accounting(connected):
    """CON-5."""
    api = connected
    assert api.one("/api/v1/accounting/employees", "NV01")["name"] == "Hồ Trang"
    # there is no way to write employees in accounting: the copy is the connector's
    assert api.post("/api/v1/accounting/employees", json={"code": "X", "name": "Y"}).status_code == 405
    assert sorted(e["source"]["code"] for e in api.log(rule="EMP-1")) == ["NV01", "NV02"]


def test_a_step_that_stops_on_an_unexpected_error_says_so_in_words_not_python(people, monkeypatch):
    """Before: the step's error was the exception's repr (``KeyError('code')``) for every reader."""
    from lienthong.sync import first_sync

    def broken(self):
        raise KeyError("code")

    monkeypatch.setattr(first_sync.StepRunner, "run", broken)
    conn = connect(people)
    failed = run_step(people, conn["id"], 1)
    assert (failed["state"], failed["error"]) == ("failed", "Bước dừng lại vì một lỗi ngoài dự kiến; chi tiết nằm trong nhật ký của máy chủ. Có thể chạy lại bước này.")
    read_in_english = people.as_(people.token, lang="en").get(f"{CONN}/{conn['id']}/steps/1").json()
    assert read_in_english["error"] == "The step stopped on an unexpected error; the server log has the details. The step may be run again."


def test_a_step_refused_by_an_app_shows_the_apps_reason_in_the_readers_language(people, monkeypatch):
    from lienthong.kernel.problems import NotFound
    from lienthong.kernel.i18n import term
    from lienthong.sync import first_sync

    def refused(self):
        raise NotFound("not_found", what=term("customer"), ident=7)

    monkeypatch.setattr(first_sync.StepRunner, "run", refused)
    conn = connect(people)
    failed = run_step(people, conn["id"], 1)
    read_in_english = people.as_(people.token, lang="en").get(f"{CONN}/{conn['id']}/steps/1").json()
    assert (failed["error"], read_in_english["error"]) == (NotFound("not_found", what=term("customer"), ident=7).detail("vi"), NotFound("not_found", what=term("customer"), ident=7).detail("en"))
    assert failed["error"] != read_in_english["error"]


def test_CON_3_each_step_2_entry_names_its_record_in_words(people):
    """CON-3, CUS-OWN-1: the first sync stores a record's code once, as the entry's
    source; each reason still names the record, in the reader's language."""
    api = people
    api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH1", "name": "Có nhân viên", "salesperson_code": "NV01"})
    api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH2", "name": "Không nhân viên"})
    api.drain()
    conn = connect(api)
    run_step(api, conn["id"], 1)
    assert run_step(api, conn["id"], 2)["state"] == "succeeded"
    created = {e["source"]["code"]: e["reason"] for e in api.log(rule="CON-3") if e["source"]["kind"] == "customers"}
    owners = {e["source"]["code"]: e["reason"] for e in api.log(rule="CUS-OWN-1")}
    english = {e["source"]["code"]: e["reason"] for e in api.as_(api.token, "en").log(rule="CUS-OWN-1")}
    assert created == {"KH1": "Khi kết nối, khách hàng KH1: tạo mới.", "KH2": "Khi kết nối, khách hàng KH2: tạo mới."}
    assert owners == {"KH1": "Chủ sở hữu của KH1 trên CRM: trang (nhân viên bán hàng: NV01).", "KH2": "Chủ sở hữu của KH2 trên CRM: — (nhân viên bán hàng: —)."}
    assert english == {"KH1": "Owner of KH1 in CRM: trang (salesperson: NV01).", "KH2": "Owner of KH2 in CRM: — (salesperson: —)."}
