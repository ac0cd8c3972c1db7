"""Messages over HTTP are wholly in the language asked for (issue 6, item 14): the
examples the issue found, in Vietnamese (default) and English."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from tests.conftest import connect, run_step

ACC = "/api/v1/accounting/customers"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROBLEM = "application/problem+json"


def workbook(headers: list, rows: list) -> bytes:
    wb = Workbook()
    wb.active.append(headers)
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "lang, message",
    [("vi", "Không có nhân viên với mã NV404."), ("en", "There is no employee with the code NV404.")],
)
def test_an_unknown_reference_names_the_record_in_the_language_asked_for(api, lang, message):
    r = api.as_(api.token, lang).post(ACC, json={"code": "KH1", "name": "A", "salesperson_code": "NV404"})
    assert r.json()["errors"][0]["message"] == message


@pytest.mark.parametrize("lang, detail", [("vi", "Không tìm thấy khách hàng 999."), ("en", "No customer 999.")])
def test_an_unknown_record_is_named_in_the_language_asked_for(api, lang, detail):
    r = api.as_(api.token, lang).get(f"{ACC}/999")
    assert r.status_code == 404
    assert r.json()["detail"] == detail


@pytest.mark.parametrize("lang, detail", [("vi", "Không tìm thấy kết nối 2."), ("en", "No connection 2.")])
def test_an_unknown_connection_is_named_in_the_language_asked_for(api, lang, detail):
    r = api.as_(api.token, lang).get("/api/v1/sync/connections/2")
    assert r.status_code == 404
    assert r.json()["detail"] == detail


@pytest.mark.parametrize("lang, message", [("vi", "Phải là số nguyên."), ("en", "Must be a whole number.")])
def test_a_wrong_type_is_explained_in_the_language_asked_for(api, lang, message):
    r = api.as_(api.token, lang).get(ACC, params={"limit": "abc"})
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "limit", "code": "int_parsing", "message": message}]


@pytest.mark.parametrize("lang, message", [("vi", "Giá trị phải là một trong: sales_order, contract."), ("en", "Must be one of: sales_order, contract.")])
def test_a_wrong_choice_lists_the_choices_without_an_english_or(api, lang, message):
    r = api.as_(api.token, lang).post("/api/v1/sync/connections", json={"apps": ["accounting", "crm"], "order_mapping": "x"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["message"] == message


@pytest.mark.parametrize(
    "lang, message",
    [("vi", "Tệp không phải sổ Excel (.xlsx) hợp lệ."), ("en", "The file is not a valid Excel workbook (.xlsx).")],
)
def test_a_file_that_is_no_workbook_is_refused_in_the_language_asked_for(api, lang, message):
    r = api.as_(api.token, lang).post(f"{ACC}/import", files={"file": ("kh.xlsx", b"not a zip", XLSX)})
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "file", "code": "bad_file", "message": message}]


@pytest.mark.parametrize(
    "lang, message",
    [
        ("vi", "Dòng 2: Nhân viên bán hàng: Không có nhân viên với mã NV404."),
        ("en", "Row 2: Salesperson: There is no employee with the code NV404."),
    ],
)
def test_an_import_row_names_its_column_in_the_language_asked_for(api, lang, message):
    data = workbook(["Mã khách hàng", "Tên khách hàng", "Nhân viên bán hàng"], [["KH1", "A", "NV404"]])
    r = api.as_(api.token, lang).post(f"{ACC}/import", files={"file": ("kh.xlsx", data, XLSX)})
    assert r.status_code == 422
    assert r.json()["errors"][0]["message"] == message


@pytest.mark.parametrize(
    "lang, title, detail",
    [
        ("vi", "Phương thức không được hỗ trợ", "Đường dẫn này không nhận phương thức PUT."),
        ("en", "Method not allowed", "This path does not accept the method PUT."),
    ],
)
def test_a_method_not_allowed_is_our_own_problem(api, lang, title, detail):
    r = api.client.put(ACC, json={}, headers=api.as_(api.token, lang).headers())
    assert r.status_code == 405
    assert r.headers["content-type"].startswith(PROBLEM)
    assert (r.json()["title"], r.json()["detail"]) == (title, detail)
    assert r.headers["allow"] == "GET, POST"


@pytest.mark.parametrize("lang, detail", [("vi", "Không có đường dẫn này."), ("en", "No such path.")])
def test_an_unknown_path_is_our_own_problem(api, lang, detail):
    r = api.as_(api.token, lang).get("/api/v1/nowhere")
    assert r.status_code == 404
    assert r.json()["detail"] == detail


@pytest.mark.parametrize(
    "lang, reason",
    [("vi", "Khi kết nối, khách hàng KH30: tạo mới."), ("en", "At connection, customer KH30: created.")],
)
def test_the_first_sync_log_is_wholly_in_the_language_asked_for(people, lang, reason):
    api = people
    api.ok("post", ACC, 201, json={"code": "KH30", "name": "A"})
    api.drain()
    conn = connect(api)
    run_step(api, conn["id"], 1)
    run_step(api, conn["id"], 2)
    assert [e["reason"] for e in api.as_(api.token, lang).log(code="KH30", rule="CON-3")] == [reason]


@pytest.mark.parametrize(
    "lang, reason",
    [
        ("vi", "Nhóm khách hàng VIP được đồng bộ kèm khách hàng (tạo mới)."),
        ("en", "Customer group VIP went along with the customer (created)."),
    ],
)
def test_a_group_brought_along_is_logged_wholly_in_one_language(connected, lang, reason):
    api = connected
    api.ok("post", "/api/v1/accounting/customer-groups", 201, json={"code": "VIP", "name": "Khách VIP"})
    api.ok("post", ACC, 201, json={"code": "KH20", "name": "A", "group_code": "VIP"})
    api.drain()
    assert [e["reason"] for e in api.as_(api.token, lang).log(code="VIP", rule="CGR-2")] == [reason]


@pytest.mark.parametrize(
    "lang, reason",
    [("vi", "CRM: mã KH2 đã liên kết với bản ghi khác."), ("en", "CRM: the code KH2 is already linked to another record.")],
)
def test_a_step_summary_reason_is_in_the_language_asked_for(people, lang, reason):
    """A CRM customer already linked to KH1 was renamed KH2: accounting's KH2 cannot take it."""
    api = people
    api.ok("post", ACC, 201, json={"code": "KH1", "name": "A"})
    conn = connect(api)
    api.drain()
    crm = api.one("/api/v1/crm/customers", "KH1")
    api.ok("patch", f"/api/v1/crm/customers/{crm['id']}", json={"code": "KH2"})
    api.ok("post", ACC, 201, json={"code": "KH2", "name": "B"})
    api.drain()
    run_step(api, conn["id"], 1)
    run_step(api, conn["id"], 2)
    step = api.as_(api.token, lang).ok("get", f"/api/v1/sync/connections/{conn['id']}/steps/2")
    assert [r["reason"] for r in step["summary"]["reasons"] if r["code"] == "KH2"] == [reason]
