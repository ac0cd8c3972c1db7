"""The screens of issue 9 in a real browser, at 1366×768 and at 390×844: the accountant's
customers and Excel import, the CRM customers with the "owner is empty" filter, the
administrator's employees and users, parked changes, record pages with their counterpart
and sync decisions, and a phone that never scrolls sideways."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import pytest
from openpyxl import Workbook

from lienthong.kernel.i18n import t
from tests.browser.conftest import api, no_sideways_scroll, reload_until, sign_in

VIETNAM_TODAY = (datetime.now(timezone.utc) + timedelta(hours=7)).strftime("%d/%m/%Y")


def token_for(server: str, code: str, name: str, role: str, employee_code: str | None = None) -> str:
    user = api(server, "POST", "/api/v1/system/users", json={"code": code, "name": name, "role": role, "employee_code": employee_code})
    return api(server, "POST", f"/api/v1/system/users/{user['id']}/tokens")["token"]


def staff(server: str) -> None:
    """Employees NV01 Hồ Trang (user trang, sales) and NV02 Lê Minh, synced to the apps."""
    api(server, "POST", "/api/v1/system/employees", json={"code": "NV01", "name": "Hồ Trang", "title": "Kinh doanh"})
    api(server, "POST", "/api/v1/system/employees", json={"code": "NV02", "name": "Lê Minh"})
    api(server, "POST", "/api/v1/system/users", json={"code": "trang", "name": "Hồ Trang", "role": "sales", "employee_code": "NV01"})
    api(server, "POST", "/api/v1/sync/drain")


def codes(page, table: str) -> list[str]:
    rows = page.locator(f"{table} tbody tr[data-code]")
    return [rows.nth(i).get_attribute("data-code") for i in range(rows.count())]


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Mã khách hàng", "Tên khách hàng", "Mã số thuế"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- the accountant ----------------------------------------------------------------------------


def test_the_accountant_adds_a_customer_picking_the_salesperson_by_name(page, server, shot):
    staff(server)
    sign_in(page, token_for(server, "ketoan", "Phạm Thu", "accountant"))
    page.goto("/ui/accounting/customers")
    page.click("#add summary")
    form = page.locator("#add form")
    form.locator("input[name=code]").fill("KH00006")
    form.locator("input[name=name]").fill("Công ty An Phát")
    form.locator("input[name=tax_code]").fill("0101234567")
    form.locator("input[name=salesperson_code_search]").fill("trang")
    pick = page.locator("#picks-salesperson_code button.pick[data-code=NV01]")
    pick.wait_for()
    assert pick.inner_text().startswith("Hồ Trang")
    shot(page, "picker")
    pick.click()
    assert form.locator("input[name=salesperson_code_search]").input_value() == "Hồ Trang"
    form.get_by_role("button", name="Lưu").click()
    assert page.locator(".alert.ok").inner_text() == "Đã lưu KH00006."
    row = page.locator("#accounting-customers tr[data-code=KH00006]")
    assert row.locator("td.person").inner_text() == "Hồ Trang"  # the name, not NV01
    assert api(server, "GET", "/api/v1/accounting/customers", params={"code": "KH00006"})["items"][0]["salesperson_code"] == "NV01"

    # its record page: the fields in words, dates as dd/mm/yyyy in Vietnam time
    row.get_by_role("link", name="Xem").click()
    facts = page.locator("#record dl.facts").inner_text()
    assert "Hồ Trang" in facts
    assert f"Ngày tạo\n{VIETNAM_TODAY}" in facts
    shot(page, "record")


def test_a_failed_save_shows_every_error_next_to_its_field_and_adds_nothing(page, server, shot):
    sign_in(page)
    page.goto("/ui/accounting/customers")
    page.click("#add summary")
    form = page.locator("#add form")
    form.locator("input[name=code]").fill("KH 07")
    form.locator("input[name=name]").fill("")
    form.locator("input[name=email]").fill("not-an-email")
    form.get_by_role("button", name="Lưu").click()
    errors = page.locator("#add .form-errors")
    assert errors.locator("p").first.inner_text() == "Chưa lưu được. Hãy sửa 3 lỗi dưới đây."
    for name in ("code", "name", "email"):
        field = page.locator(f"#add label.field:has(input[name={name}])")
        assert field.locator("input").get_attribute("aria-invalid") == "true"
        assert field.locator(f".field-error[data-field={name}]").count() == 1
    assert page.locator("#add input[name=code]").input_value() == "KH 07"  # what was typed stays
    assert api(server, "GET", "/api/v1/accounting/customers")["items"] == []
    shot(page, "errors")


def test_the_customer_list_searches_pages_edits_and_deletes_one_or_the_ticked(page, server, shot):
    for n in range(1, 58):
        api(server, "POST", "/api/v1/accounting/customers", json={"code": f"KH{n:03}", "name": f"Khách {n:03}"})
    sign_in(page)
    page.goto("/ui/accounting/customers")
    assert page.locator(".pager .total").inner_text() == "Tổng cộng: 57"
    assert len(codes(page, "#accounting-customers")) == 50
    assert page.locator(".pager .current").inner_text() == "1"
    with page.expect_navigation():
        page.locator(".pager a.next").click()
    assert codes(page, "#accounting-customers") == [f"KH{n:03}" for n in range(51, 58)]
    assert page.locator(".pager .current").inner_text() == "2"
    with page.expect_navigation():
        page.locator(".pager a.prev").click()
    assert codes(page, "#accounting-customers")[0] == "KH001"

    page.fill("form.search input[name=q]", "khach 05")
    with page.expect_navigation():
        page.click("form.search button")
    assert codes(page, "#accounting-customers") == [f"KH{n:03}" for n in range(50, 58)]
    assert page.locator(".pager .total").inner_text() == "Tổng cộng: 8"

    # edit from the row
    page.locator("tr[data-code=KH050] a.edit").click()
    page.fill("#edit input[name=name]", "Khách năm mươi")
    page.click("#edit button[type=submit]")
    assert page.locator("h1").inner_text().startswith("Khách năm mươi")
    assert page.locator(".alert.ok").inner_text() == "Đã lưu KH050."

    # delete one (it asks first)
    page.on("dialog", lambda d: d.accept())
    page.goto("/ui/accounting/customers?q=khach+05")
    page.locator("tr[data-code=KH051] button.delete").click()
    assert page.locator(".alert.ok").inner_text() == "Đã xóa 1 bản ghi."
    assert "KH051" not in codes(page, "#accounting-customers")

    # the bulk bar: off until rows are ticked; then it deletes the ticked ones
    page.goto("/ui/accounting/customers?q=khach+05")
    bar = page.locator(".bulk-bar")
    assert bar.locator("button.danger").is_disabled()
    page.check("tr[data-code=KH052] input.tick")
    page.check("tr[data-code=KH053] input.tick")
    assert bar.locator(".ticked").inner_text() == "Đã chọn 2"
    shot(page, "ticked")
    bar.locator("button.danger").click()
    assert page.locator(".alert.ok").inner_text() == "Đã xóa 2 bản ghi."
    assert [c["code"] for c in api(server, "GET", "/api/v1/accounting/customers", params={"q": "khach 05"})["items"]] == ["KH054", "KH055", "KH056", "KH057"]


def test_the_import_shows_a_progress_line_then_its_report(page, server, shot, tmp_path):
    good = tmp_path / "khach.xlsx"
    good.write_bytes(xlsx([[f"KH{n:03}", f"Khách {n}", None] for n in range(1, 301)]))
    sign_in(page)
    page.goto("/ui/accounting/customers")
    page.click("a.import")
    page.set_input_files("input[name=file]", str(good))
    page.check("input[name=mode][value=insert]")
    page.click("#import button[type=submit]")
    report = page.locator(".import-job[data-state=succeeded]")
    report.wait_for()
    assert report.locator("li.count-created").inner_text() == "Tạo mới 300"
    assert api(server, "GET", "/api/v1/accounting/customers", params={"code": "KH300"})["items"][0]["name"] == "Khách 300"
    shot(page, "report")
    api(server, "POST", "/api/v1/sync/drain")

    # a bad file: each bad row with its row number, column and reason; nothing imported
    bad = tmp_path / "loi.xlsx"
    bad.write_bytes(xlsx([["KH900", "Mới", None], ["KH900", "Trùng", None], ["KH901", "Thuế sai", "12"]]))
    page.goto("/ui/accounting/customers/import")
    page.set_input_files("input[name=file]", str(bad))
    page.click("#import button[type=submit]")
    failed = page.locator(".import-job[data-state=failed]")
    failed.wait_for()
    rows = failed.locator("tr.import-error")
    assert [rows.nth(i).locator("td").nth(0).inner_text() for i in range(rows.count())] == ["3", "4"]
    assert rows.nth(0).locator("td").nth(1).inner_text() == "Mã khách hàng"
    assert rows.nth(1).locator("td").nth(1).inner_text() == "Mã số thuế"
    assert api(server, "GET", "/api/v1/accounting/customers", params={"code": "KH900"})["items"] == []
    shot(page, "bad-file")


# -- CRM and the record pages --------------------------------------------------------------------


def test_crm_filters_owner_is_empty_adds_with_an_owner_picked_by_name(page, server, shot):
    staff(server)
    api(server, "POST", "/api/v1/sync/connections", json={"apps": ["accounting", "crm"]})
    api(server, "POST", "/api/v1/accounting/customers", json={"code": "KH1", "name": "Có chủ", "salesperson_code": "NV01"})
    api(server, "POST", "/api/v1/accounting/customers", json={"code": "KH2", "name": "Không chủ"})
    api(server, "POST", "/api/v1/sync/drain")
    sign_in(page)
    page.goto("/ui/crm/customers")
    assert codes(page, "#crm-customers") == ["KH1", "KH2"]
    assert page.locator("tr[data-code=KH1] td.person").inner_text() == "Hồ Trang"
    page.check("form.search input[name=owner_empty]")
    with page.expect_navigation():
        page.click("form.search button")
    assert codes(page, "#crm-customers") == ["KH2"]
    assert "owner_empty=true" in page.url
    shot(page, "owner-empty")

    # the add form, the owner picked by name
    page.click("#add summary")
    form = page.locator("#add form")
    form.locator("input[name=code]").fill("KH3")
    form.locator("input[name=name]").fill("Mới trên CRM")
    form.locator("input[name=owner_code_search]").fill("ho tr")
    page.locator("#picks-owner_code button.pick[data-code=trang]").click()
    form.get_by_role("button", name="Lưu").click()
    assert page.locator(".alert.ok").inner_text() == "Đã lưu KH3."
    assert api(server, "GET", "/api/v1/crm/customers", params={"code": "KH3"})["items"][0]["owner_code"] == "trang"


def test_crm_ticks_two_rows_and_hands_them_over_on_a_phone(phone, server, shot):
    staff(server)
    for code, name in (("KH1", "An Phát"), ("KH2", "Bình Minh"), ("KH3", "Cửu Long")):
        api(server, "POST", "/api/v1/crm/customers", json={"code": code, "name": name})
    sign_in(phone)
    phone.goto("/ui/crm/customers")
    phone.check("tr[data-code=KH1] input.tick")
    phone.check("tr[data-code=KH3] input.tick")
    phone.locator(".bulk-bar button.handover").click()
    phone.wait_for_url("**/ui/crm/customers/handover")
    assert [li.get_attribute("data-code") for li in phone.locator("ul.ticked-rows li").all()] == ["KH1", "KH3"]
    phone.locator("input[name=assignee_code_search]").fill("ho tr")
    phone.locator("#picks-assignee_code button.pick[data-code=trang]").click()
    assert no_sideways_scroll(phone)
    shot(phone, "handover-form")
    phone.get_by_role("button", name="Xác nhận bàn giao").click()
    assert phone.locator(".handover-done").inner_text() == "Đã bàn giao: 2 khách hàng, 0 liên hệ."
    assert no_sideways_scroll(phone)
    shot(phone, "handover-done")
    owned = {c["code"]: c["owner_code"] for c in api(server, "GET", "/api/v1/crm/customers")["items"]}
    assert owned == {"KH1": "trang", "KH2": "admin", "KH3": "trang"}  # the creator owned them


def test_each_record_page_links_its_counterpart_and_shows_the_latest_decisions(page, server, shot):
    staff(server)
    api(server, "POST", "/api/v1/sync/connections", json={"apps": ["accounting", "crm"]})
    made = api(server, "POST", "/api/v1/accounting/customers", json={"code": "KH00006", "name": "Công ty An Phát"})
    api(server, "POST", "/api/v1/sync/drain")
    sign_in(page)
    reload_until(page, f"/ui/accounting/customers/{made['id']}", "#record-sync .counterpart a")
    sync = page.locator("#record-sync")
    assert sync.locator(".counterpart").inner_text() == "Bản ghi tương ứng trên CRM: Khách hàng KH00006"
    reasons = sync.locator("ul.decisions li .reason")
    assert "Đã tạo khách hàng KH00006 trên CRM." in [reasons.nth(i).inner_text() for i in range(reasons.count())]
    assert [r for r in (reasons.nth(i).inner_text() for i in range(reasons.count())) if "CUS-" in r] == []  # rule IDs only in the details
    shot(page, "accounting")
    crm = api(server, "GET", "/api/v1/crm/customers", params={"code": "KH00006"})["items"][0]
    sync.locator(".counterpart a").click()
    page.wait_for_url(f"**/ui/crm/customers/{crm['id']}")
    assert page.locator("#record-sync .counterpart a").get_attribute("href") == f"/ui/accounting/customers/{made['id']}"
    shot(page, "crm")
    # every decision about it, in the log
    page.locator("#record-sync a[href^='/ui/log']").click()
    page.wait_for_url("**/ui/log**")
    rows = page.locator("table.log tbody tr[data-rule]")
    assert rows.count() >= 1
    assert all("KH00006" in rows.nth(i).inner_text() for i in range(rows.count()))


# -- the administrator ----------------------------------------------------------------------


def test_the_administrator_adds_a_user_with_a_role_in_words_and_deactivates_users(page, server, shot):
    staff(server)
    sign_in(page)
    page.goto("/ui/system/employees")
    page.click("#add summary")
    page.fill("#add input[name=code]", "NV03")
    page.fill("#add input[name=name]", "Đỗ Hà")
    page.fill("#add input[name=title]", "Kế toán")
    page.click("#add button[type=submit]")
    assert page.locator(".alert.ok").inner_text() == "Đã lưu NV03."

    page.goto("/ui/system/users")
    assert page.locator("tr[data-code=trang] td.role").inner_text() == "Nhân viên kinh doanh"
    page.click("#add summary")
    options = page.locator("#add select[name=role] option")
    assert [options.nth(i).inner_text() for i in range(options.count())] == ["Quản trị viên", "Quản lý", "Nhân viên kinh doanh", "Kế toán viên"]
    page.fill("#add input[name=code]", "ha")
    page.fill("#add input[name=name]", "Đỗ Hà")
    page.select_option("#add select[name=role]", label="Kế toán viên")
    page.fill("#add input[name=employee_code_search]", "do ha")
    page.locator("#picks-employee_code button.pick[data-code=NV03]").click()
    page.click("#add button[type=submit]")
    assert page.locator("tr[data-code=ha] td.role").inner_text() == "Kế toán viên"
    assert page.locator("tr[data-code=ha] td.person").inner_text() == "Đỗ Hà"
    shot(page, "users")

    # deactivate the ticked; then reactivate one from its page
    page.on("dialog", lambda d: d.accept())
    page.check("tr[data-code=ha] input.tick")
    page.check("tr[data-code=trang] input.tick")
    page.locator(".bulk-bar button.deactivate").click()
    assert page.locator(".alert.ok").inner_text() == "Đã ngừng hoạt động 2 người dùng."
    assert page.locator("tr[data-code=ha] td.state").inner_text() == "Ngừng hoạt động"
    page.locator("tr[data-code=ha] a.open").click()
    page.click("button.reactivate")
    assert "Đang hoạt động" in page.locator("#record dl.facts").inner_text()
    users = {u["code"]: u["active"] for u in api(server, "GET", "/api/v1/system/users")["items"]}
    assert users == {"admin": True, "trang": False, "ha": True}


def test_the_administrator_may_not_deactivate_themself_and_is_told_why(page, server):
    sign_in(page)
    page.goto("/ui/system/users")
    page.on("dialog", lambda d: d.accept())
    page.check("tr[data-code=admin] input.tick")
    page.locator(".bulk-bar button.deactivate").click()
    assert page.locator(".alert.error").inner_text() == t("self_demotion", "vi")
    assert page.locator("#add[open]").count() == 0  # not the add form's error
    assert api(server, "GET", "/api/v1/system/users", params={"code": "admin"})["items"][0]["active"] is True


def test_a_sales_user_is_refused_the_user_list_in_words(page, server):
    staff(server)
    sign_in(page, token_for(server, "minh", "Lê Minh", "sales", "NV02"))
    assert page.locator("nav.main a[href='/ui/system/users']").count() == 0
    page.goto("/ui/system/users")
    assert page.locator(".alert.error").inner_text() == t("forbidden.users", "vi", role=t("role.sales", "vi"))
    assert page.locator("tr[data-code]").count() == 0


def test_parked_changes_show_their_reason_and_retry(page, server, shot):
    staff(server)
    api(server, "POST", "/api/v1/sync/connections", json={"apps": ["accounting", "crm"]})
    api(server, "POST", "/api/v1/accounting/customers", json={"code": "KH-X", "name": "chặn"})
    api(server, "POST", "/api/v1/accounting/customers", json={"code": "KH1", "name": "A"})
    api(server, "POST", "/api/v1/sync/drain")
    crm = {c["code"]: c["id"] for c in api(server, "GET", "/api/v1/crm/customers")["items"]}
    api(server, "DELETE", f"/api/v1/crm/customers/{crm['KH-X']}")
    api(server, "PATCH", f"/api/v1/crm/customers/{crm['KH1']}", json={"code": "KH-X"})
    api(server, "POST", "/api/v1/sync/drain")
    sign_in(page)
    page.goto("/ui/parked")
    row = page.locator("table.parked tbody tr[data-id]")
    assert row.count() == 1
    assert row.locator("td.reason").inner_text() == "Mã KH-X đã tồn tại."
    shot(page, "parked")
    blocking = api(server, "GET", "/api/v1/accounting/customers", params={"code": "KH-X"})["items"][0]
    api(server, "PATCH", f"/api/v1/accounting/customers/{blocking['id']}", json={"code": "KH-Y"})
    row.locator("button.retry").click()
    assert page.locator(".alert.ok").inner_text().startswith("Đã đưa thay đổi")
    api(server, "POST", "/api/v1/sync/drain")
    page.goto("/ui/parked")
    assert page.locator("table.parked tbody tr[data-id]").count() == 0


# -- a phone ----------------------------------------------------------------------------------

PAGES = ["/ui/connections", "/ui/log", "/ui/parked", "/ui/accounting/customers", "/ui/accounting/customers/import", "/ui/crm/customers", "/ui/crm/customers/import", "/ui/system/employees", "/ui/system/users"]


@pytest.mark.parametrize("path", PAGES)
def test_at_phone_width_no_page_scrolls_sideways(phone, server, shot, path):
    staff(server)
    api(server, "POST", "/api/v1/sync/connections", json={"apps": ["accounting", "crm"]})
    api(server, "POST", "/api/v1/accounting/customers", json={"code": "KH00006", "name": "Công ty Trách nhiệm hữu hạn Thương mại và Dịch vụ An Phát Hưng Thịnh", "tax_code": "0101234567", "phone": "0912345678", "salesperson_code": "NV01"})
    api(server, "POST", "/api/v1/sync/drain")
    sign_in(phone)
    phone.goto(path)
    assert phone.locator("h1").count() == 1
    assert no_sideways_scroll(phone)
    shot(phone, "page")


def test_at_phone_width_a_failed_save_shows_its_errors_in_view(phone, server, shot):
    for n in range(1, 30):
        api(server, "POST", "/api/v1/accounting/customers", json={"code": f"KH{n:03}", "name": f"Khách {n:03}"})
    sign_in(phone)
    phone.goto("/ui/accounting/customers")
    phone.click("#add summary")
    phone.fill("#add input[name=code]", "KH001")  # taken
    phone.fill("#add input[name=name]", "Trùng mã")
    phone.click("#add button[type=submit]")
    errors = phone.locator("#add .form-errors")
    errors.wait_for()
    box = errors.bounding_box()
    assert 0 <= round(box["y"]) < phone.viewport_size["height"]
    assert phone.locator(".field-error[data-field=code]").is_visible()
    assert no_sideways_scroll(phone)
    shot(phone, "errors")
