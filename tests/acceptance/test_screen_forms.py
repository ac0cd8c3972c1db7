"""The screens' unhappy paths over HTTP (the happy paths run in a browser, tests/browser):
bad input shows every error next to its field and changes nothing, a wrong role or another
tenant's record is refused in words, every screen is wholly in the language asked for."""

from __future__ import annotations

import re

import pytest

from lienthong.kernel.i18n import t
from tests.conftest import ADMIN, Api

SAME = {"origin": "http://testserver"}


def signed_in(client, token: str = ADMIN):
    """The TestClient as a browser signed in with ``token``; returns the CSRF token."""
    client.cookies.clear()
    assert client.post("/", data={"token": token}, follow_redirects=False).status_code == 303
    return re.search(r'name="csrf_token" value="([0-9a-f]+)"', client.get("/ui/accounting/customers").text).group(1)


def post(client, path: str, csrf: str, **data):
    return client.post(path, data={"csrf_token": csrf, **data}, headers=SAME, follow_redirects=False)


def token_for(api: Api, code: str, role: str) -> str:
    user = api.ok("post", "/api/v1/system/users", 201, json={"code": code, "name": code.title(), "role": role})
    return api.ok("post", f"/api/v1/system/users/{user['id']}/tokens", 201)["token"]


def test_a_bad_edit_shows_every_error_next_to_its_field_and_changes_nothing(api, client):
    made = api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH1", "name": "An Phát", "email": "a@b.vn"})
    csrf = signed_in(client)
    r = post(client, f"/ui/accounting/customers/{made['id']}/edit", csrf, code="KH 1", name="", email="sai", tax_code="", salesperson_code="")
    assert r.status_code == 422
    errors = dict(re.findall(r'<small class="field-error" data-field="(\w+)">([^<]+)</small>', r.text))
    assert sorted(errors) == ["code", "email", "name"]
    assert "Chưa lưu được. Hãy sửa 3 lỗi dưới đây." in r.text
    assert api.ok("get", f"/api/v1/accounting/customers/{made['id']}")["email"] == "a@b.vn"


def test_an_unknown_salesperson_is_named_next_to_its_field(api, client):
    csrf = signed_in(client)
    r = post(client, "/ui/accounting/customers", csrf, code="KH2", name="Bình Minh", salesperson_code="NV99")
    assert r.status_code == 422
    assert re.search(r'<small class="field-error" data-field="salesperson_code">[^<]*NV99', r.text)
    assert api.ok("get", "/api/v1/accounting/customers")["items"] == []


def test_another_tenants_record_is_not_found_in_words(suite, api, client):
    _, other_token = suite.new_tenant("Công ty B")
    mine = api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH1", "name": "Của A"})
    csrf = signed_in(client, other_token)
    for path in (f"/ui/accounting/customers/{mine['id']}", f"/ui/accounting/customers/{mine['id']}/edit"):
        r = client.get(path)
        assert r.status_code == 404
        assert "Của A" not in r.text
    assert post(client, f"/ui/accounting/customers/{mine['id']}/delete", csrf).status_code == 404
    assert post(client, f"/ui/accounting/customers/{mine['id']}/edit", csrf, code="KH1", name="Đổi").status_code == 404
    assert api.ok("get", f"/api/v1/accounting/customers/{mine['id']}")["name"] == "Của A"


def test_a_sales_user_may_not_change_accounting_customers_and_is_told_why(api, client):
    made = api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH1", "name": "An Phát"})
    csrf = signed_in(client, token_for(api, "minh", "sales"))
    r = post(client, "/ui/accounting/customers/delete", csrf, ids=[str(made["id"])])
    assert r.status_code == 403
    assert t("forbidden_role", "vi", role=t("role.sales", "vi")) in r.text
    assert api.ok("get", "/api/v1/accounting/customers")["items"][0]["code"] == "KH1"


def test_deleting_with_nothing_ticked_says_so(client):
    csrf = signed_in(client)
    r = post(client, "/ui/accounting/customers/delete", csrf)
    assert r.status_code == 422
    assert t("ui.form.none_ticked", "vi") in r.text


def test_the_owner_picker_finds_users_by_name_and_a_sales_user_gets_nobody(people, client):
    signed_in(client)
    r = client.get("/ui/crm/people", params={"field": "owner_code", "owner_code_search": "ho tra"})
    assert re.findall(r'data-code="(\w*)" data-name="([^"]*)"', r.text) == [("trang", "Hồ Trang"), ("", "")]
    signed_in(client, token_for(people, "minh", "sales"))
    r = client.get("/ui/crm/people", params={"field": "owner_code", "owner_code_search": "ho tra"})
    assert re.findall(r'data-code="(\w*)"', r.text) == []
    assert t("ui.picker.none", "vi") in r.text


def test_an_import_without_a_file_is_refused_and_another_users_import_is_not_shown(api, client):
    csrf = signed_in(client)
    r = client.post("/ui/accounting/customers/import", data={"csrf_token": csrf, "mode": "upsert"}, headers=SAME)
    assert r.status_code == 422
    assert t("ui.import.no_file", "vi") in r.text
    assert client.get("/ui/accounting/customers/import/not-a-job").status_code == 404


def test_the_log_by_record_shows_only_that_record(connected, client):
    api = connected
    a = api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH1", "name": "A"})
    api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH2", "name": "B"})
    api.drain()
    signed_in(client)
    page = client.get("/ui/log", params={"app": "accounting", "kind": "customers", "record_id": a["id"]}).text
    me = ("accounting", "customers", a["id"])
    about = [e for e in api.log() if me in ((e["source"]["app"], e["source"]["kind"], e["source"]["id"]), (e["target"]["app"], e["target"]["kind"], e["target"]["id"]))]
    assert len(re.findall(r'<tr data-rule="', page)) == len(about)
    assert "KH2" not in page


@pytest.mark.parametrize("path", ["/ui/accounting/customers", "/ui/crm/customers", "/ui/system/employees", "/ui/system/users", "/ui/connections", "/ui/log", "/ui/parked", "/ui/accounting/customers/import"])
def test_every_screen_is_wholly_in_english_when_asked(people, client, path):
    signed_in(client)
    page = client.get(path, params={"lang": "en"}).text
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S))
    vietnamese = set("ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")
    data = ("Tiếng", "Việt", "Hồ", "Trang", "Lê", "Quản", "trị", "viên")  # the switch back, and people's names
    leftovers = [w for w in text.split() if set(w) & vietnamese and w not in data]
    assert leftovers == []


@pytest.mark.parametrize(
    "path",
    [
        "/ui/accounting/customers",
        "/ui/accounting/customers/1/edit",
        "/ui/accounting/customers/1/delete",
        "/ui/accounting/customers/delete",
        "/ui/accounting/customers/import",
        "/ui/crm/customers",
        "/ui/crm/customers/delete",
        "/ui/system/employees",
        "/ui/system/users",
        "/ui/system/users/deactivate",
        "/ui/system/users/1/active",
        "/ui/parked/1/retry",
    ],
)
def test_every_screen_form_checks_the_csrf_token(api, client, path):
    signed_in(client)
    r = client.post(path, data={"code": "KH1", "name": "Giả mạo", "ids": ["1"], "active": "false"}, headers=SAME, follow_redirects=False)
    assert r.status_code == 403
    assert api.ok("get", "/api/v1/accounting/customers")["items"] == []
    assert api.ok("get", "/api/v1/system/users")["items"][0]["active"] is True


def test_an_import_answers_with_its_progress_line_then_its_report(api, client):
    import io
    import time

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Mã khách hàng", "Tên khách hàng"])
    for n in range(1, 21):
        book.active.append([f"KH{n:02}", f"Khách {n}"])
    data = io.BytesIO()
    book.save(data)
    csrf = signed_in(client)
    r = client.post("/ui/accounting/customers/import", data={"csrf_token": csrf, "mode": "insert"}, files={"file": ("k.xlsx", data.getvalue())}, headers=SAME)
    assert r.status_code == 202
    job = re.search(r'id="job-(\w+)"', r.text).group(1)
    for _ in range(200):
        line = client.get(f"/ui/accounting/customers/import/{job}").text
        if 'data-state="running"' not in line:
            break
        time.sleep(0.05)
    assert 'data-state="succeeded"' in line
    assert re.search(r'class="count-created">Tạo mới <b>(\d+)</b>', line).group(1) == "20"
    assert len(api.ok("get", "/api/v1/accounting/customers")["items"]) == 20
    # another user of the tenant does not see it
    signed_in(client, token_for(api, "ketoan", "accountant"))
    assert client.get(f"/ui/accounting/customers/import/{job}").status_code == 404


def test_an_import_that_ends_before_its_page_is_drawn_shows_its_report_at_once(api, client, monkeypatch):
    """The job's thread may end before the page that started it is drawn: the page then
    shows the report (here: the bad rows), not an empty failure."""
    import io

    from openpyxl import Workbook

    from lienthong.kernel.jobs import Jobs

    start = Jobs.start
    monkeypatch.setattr(Jobs, "start", lambda self, principal, work, background=True: start(self, principal, work, background=False))
    book = Workbook()
    book.active.append(["Mã khách hàng", "Tên khách hàng"])
    book.active.append(["KH1", "A"])
    book.active.append(["KH1", "B"])
    data = io.BytesIO()
    book.save(data)
    csrf = signed_in(client)
    r = client.post("/ui/accounting/customers/import", data={"csrf_token": csrf, "mode": "insert"}, files={"file": ("k.xlsx", data.getvalue())}, headers=SAME)
    assert 'data-state="failed"' in r.text
    assert re.findall(r'<tr class="import-error"><td data-label="[^"]+">(\d+)</td>', r.text) == ["3"]
    assert t("import.rejected", "vi", count=1) in r.text
    assert api.ok("get", "/api/v1/accounting/customers")["items"] == []
