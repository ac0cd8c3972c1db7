"""The web UI in a real browser: signing in, connecting, the first-sync steps and the log
(the fixtures are in ``conftest.py``; the other screens in ``test_screens.py``)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from lienthong.sync import connections
from lienthong.sync.pages import available_kinds
from tests.browser.conftest import api, reload_until, sign_in
from tests.conftest import ADMIN as ADMIN_TOKEN

COUNTS = ("created", "linked", "updated", "unchanged", "skipped", "failed")
COUNT_LABELS = ("Tạo mới", "Liên kết", "Cập nhật", "Không đổi", "Bỏ qua", "Lỗi")


def test_unauthenticated_pages_go_to_sign_in_and_a_bad_token_is_refused(page):
    for path in ("/ui/connections", "/ui/log", "/ui/accounting/customers"):
        page.goto(path)
        url = urlparse(page.url)
        assert url.path == "/" and parse_qs(url.query) == {"next": [path]}
        assert page.locator("h1").inner_text() == "Đăng nhập"
    sign_in(page, "not-a-token")
    assert "Thiếu mã truy cập hoặc mã truy cập không hợp lệ." in page.locator(".alert.error").inner_text()
    assert page.locator("nav.main").count() == 0


def test_connect_then_each_step_button_is_enabled_only_when_it_may_run(page, server, shot):
    api(server, "POST", "/api/v1/system/employees", json={"code": "NV01", "name": "Hồ Trang"})
    api(server, "POST", "/api/v1/system/users", json={"code": "trang", "name": "Hồ Trang", "role": "sales", "employee_code": "NV01"})

    # sign in: the token goes into an HttpOnly cookie
    page.goto("/ui/connections")
    page.click("details.with-token summary")
    page.fill("input[name=token]", ADMIN_TOKEN)
    page.click("details.with-token button[type=submit]")
    page.wait_for_url("**/ui/connections")
    cookie = next(c for c in page.context.cookies() if c["name"] == "lt_session")
    assert cookie["httpOnly"] is True
    assert cookie["value"] != ADMIN_TOKEN  # a session of its own, not the token

    # the CON-1 recommendation, in words, offering only the kinds that exist today
    box = page.locator("#recommendation")
    assert connections.recommendation([], "vi")["message"] in box.inner_text()
    assert "CON-1" not in box.inner_text()
    kinds = box.locator("input[name=kinds]")
    assert [kinds.nth(i).get_attribute("value") for i in range(kinds.count())] == list(available_kinds())
    assert [kinds.nth(i).is_checked() for i in range(kinds.count())] == [True] * len(available_kinds())
    assert box.locator("input[value=quotes]").count() == 0
    shot(page, "recommendation")
    box.get_by_role("button", name="Kết nối ngay").click()

    card = page.locator("section.connection")
    card.wait_for()
    assert page.locator("#recommendation").count() == 0
    [conn] = api(server, "GET", "/api/v1/sync/connections")["items"]
    cid = conn["id"]

    # before step 1 has run, step 2's and step 3's buttons are off and say why, in words
    step2 = page.locator(f"#step-{cid}-2")
    assert step2.get_by_role("button", name="Chạy bước 2").is_disabled()
    assert step2.locator(".wait").inner_text() == "Chạy được khi bước 1 đã thành công."
    assert page.locator(f"#step-{cid}-3").get_by_role("button", name="Chạy bước 3").is_disabled()
    assert page.locator(f"#step-{cid}-1").get_by_role("button", name="Chạy bước 1").is_enabled()

    # step 1: the progress line follows it to the end without a reload
    page.locator(f"#step-{cid}-1").get_by_role("button", name="Chạy bước 1").click()
    line = page.locator(f"#progress-{cid}-1[data-state=succeeded]")
    line.wait_for()
    assert line.locator(".badge.state").inner_text() == "Thành công"
    step1 = api(server, "GET", f"/api/v1/sync/connections/{cid}/steps/1")
    assert line.locator(".count").inner_text() == f"{step1['progress']['done']} / {step1['progress']['total']}"
    shown = [line.locator(f"li.count-{k}").inner_text() for k in COUNTS]
    assert shown == [f"{label} {step1['summary'][k]}" for k, label in zip(COUNTS, COUNT_LABELS)]

    # and step 2's block follows without a reload: its button is on, the old reason gone
    page.locator(f"#step-{cid}-2 button.run:not([disabled])").wait_for()
    assert page.locator(f"#step-{cid}-2 .wait").count() == 0
    assert page.locator(f"#step-{cid}-3").get_by_role("button", name="Chạy bước 3").is_disabled()

    # step 2: preview first (writes nothing), then run it
    step2.get_by_role("button", name="Xem trước").click()
    page.locator(f"#progress-{cid}-2[data-state=preview]").wait_for()
    page.locator(f"#step-{cid}-2").get_by_role("button", name="Chạy bước 2").click()
    page.locator(f"#progress-{cid}-2[data-state=succeeded]").wait_for()
    page.locator(f"#step-{cid}-3 button.run:not([disabled])").wait_for()
    shot(page, "steps")


def test_the_log_filters_by_record_rule_and_outcome_and_shows_words_not_rule_ids(page, server, shot):
    api(server, "POST", "/api/v1/sync/connections", json={"apps": ["accounting", "crm"]})
    api(server, "POST", "/api/v1/accounting/customers", json={"code": "KH00006", "name": "Công ty An Phát"})
    api(server, "POST", "/api/v1/accounting/customers", json={"code": "KH00007", "name": "Công ty Bình Minh"})
    api(server, "POST", "/api/v1/sync/drain")
    sign_in(page)
    reload_until(page, "/ui/log", "tr[data-rule=CUS-A1][data-outcome=applied]")
    entry = page.locator("tr[data-rule=CUS-A1][data-outcome=applied]").first
    assert "Đã tạo khách hàng KH00007 trên CRM." in entry.inner_text()
    assert "CUS-A1" not in entry.locator("td.reason").evaluate("td => td.firstChild.textContent")
    entry.locator("details.rule summary").click()
    assert entry.locator("details.rule").inner_text().endswith("Mã quy tắc: CUS-A1")
    status = page.locator("#status").inner_text()
    assert "Kế toán: truy cập được" in status

    # filters: by record code, by rule (chosen by its words) and by outcome
    page.fill("form.filters input[name=code]", "KH00006")
    page.select_option("form.filters select[name=rule]", "CUS-A1")
    page.select_option("form.filters select[name=outcome]", "applied")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    rows = page.locator("table.log tbody tr[data-rule]")
    expected = api(server, "GET", "/api/v1/sync/log", params={"code": "KH00006", "rule": "CUS-A1", "outcome": "applied"})["items"]
    assert rows.count() == len(expected) == 1
    assert "KH00006" in rows.first.inner_text()
    shot(page, "filtered")
    page.select_option("form.filters select[name=outcome]", "parked")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert page.locator("table.log tbody tr[data-rule]").count() == 0
    assert "Không có quyết định nào." in page.locator("table.log").inner_text()


def test_log_pages_older_entries_with_a_cursor(page, server):
    for n in range(3):
        api(server, "POST", "/api/v1/system/employees", json={"code": f"NV{n}", "name": f"Người {n}"})
    api(server, "POST", "/api/v1/sync/drain")
    total = len(api(server, "GET", "/api/v1/sync/log", params={"limit": 500})["items"])
    assert total >= 3
    sign_in(page)
    page.goto("/ui/log")
    assert page.locator("table.log tbody tr[data-rule]").count() == min(total, 50)
    if total > 50:  # the suite's own start-up may log less than a page; then no link
        page.click("a.older")
        page.wait_for_url("**cursor=**")
    else:
        assert page.locator("a.older").count() == 0


def test_english_switch_and_sign_out(page):
    sign_in(page)
    page.wait_for_url("**/ui/connections")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert "(Quản trị viên)" in page.locator(".who").inner_text()
    page.click("a.lang")
    nav = page.locator("header.top").inner_text()
    for label in ("Connections", "Sync log", "Customers (accounting)", "Employees", "Users", "Sign out", "Tiếng Việt", "(Administrator)"):
        assert label in nav
    assert "admin)" not in nav  # the role in words, not its code
    assert page.locator("html").get_attribute("lang") == "en"
    assert connections.recommendation([], "en")["message"] in page.locator("#recommendation").inner_text()
    # the choice is kept in the `lang` cookie
    page.goto("/ui/accounting/customers")
    assert page.locator("h1").inner_text() == "Accounting customers"
    assert "Add customer" in page.locator("#add summary").inner_text()
    page.goto("/ui/log")
    assert "Time" in page.locator("table.log thead").inner_text()
    # and back
    page.click("a.lang")
    assert page.locator("h1").inner_text() == "Nhật ký đồng bộ"

    page.click("form.sign-out button")
    assert page.locator("h1").inner_text() == "Đăng nhập"
    assert not [c for c in page.context.cookies() if c["name"] == "lt_session"]
    page.goto("/ui/accounting/customers")
    assert page.locator("input[name=password]").is_visible()
