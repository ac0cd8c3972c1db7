"""The web UI in a real browser: Playwright drives Debian's Chromium against a live server.

The server is the real app (``create_app``) under uvicorn in a thread, on the suite of
``tests/conftest.py`` (SQLite, or PostgreSQL when the run says so), with the connector
running in its own thread. Without /usr/bin/chromium the tests are skipped, except
under CI=true, where a missing browser fails.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
import uvicorn

from lienthong.sync import connections
from lienthong.web.app import create_app
from tests.conftest import ADMIN

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOT = Path("/tmp/lienthong-ui.png")
TIMEOUT_MS = 15_000
COUNTS = ("created", "linked", "updated", "unchanged", "skipped", "failed")
COUNT_LABELS = ("Tạo mới", "Liên kết", "Cập nhật", "Không đổi", "Bỏ qua", "Lỗi")


def _unavailable(why: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run under CI=true: {why}")
    pytest.skip(why)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        _unavailable(f"{CHROMIUM} is missing (scripts/browser installs it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (scripts/setup)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def server(suite):
    """The whole product on a free local port; its URL."""
    suite.connector.start()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    uv = uvicorn.Server(uvicorn.Config(create_app(suite), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not uv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(15)
    sock.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server, locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    pg = context.new_page()
    yield pg
    context.close()


def api(server: str, method: str, path: str, **kw):
    r = httpx.request(method, server + path, headers={"Authorization": f"Bearer {ADMIN}"}, timeout=30, **kw)
    assert r.status_code < 300, (r.status_code, r.text)
    return r.json() if r.content else None


def sign_in(page, token: str = ADMIN) -> None:
    """Sign in with the access token (the administrator has no password here)."""
    page.goto("/")
    page.click("details.with-token summary")
    page.fill("input[name=token]", token)
    page.click("details.with-token button[type=submit]")


def reload_until(page, url: str, selector: str, seconds: float = 15) -> None:
    """The connector works in its thread: reload ``url`` until ``selector`` shows."""
    deadline = time.monotonic() + seconds
    while True:
        page.goto(url)
        if page.locator(selector).count():
            return
        assert time.monotonic() < deadline, f"{selector} did not appear on {url}"
        time.sleep(0.2)


def test_unauthenticated_pages_go_to_sign_in_and_a_bad_token_is_refused(page):
    for path in ("/ui/connections", "/ui/log", "/ui/customers"):
        page.goto(path)
        url = urlparse(page.url)
        assert url.path == "/" and parse_qs(url.query) == {"next": [path]}
        assert page.locator("h1").inner_text() == "Đăng nhập"
    sign_in(page, "not-a-token")
    assert "Thiếu mã truy cập hoặc mã truy cập không hợp lệ." in page.locator(".alert.error").inner_text()
    assert page.locator("nav.main").count() == 0


def test_connect_run_the_steps_and_a_customer_flows_to_crm(page, server):
    api(server, "POST", "/api/v1/system/employees", json={"code": "NV01", "name": "Hồ Trang"})
    api(server, "POST", "/api/v1/system/users", json={"code": "trang", "name": "Hồ Trang", "role": "sales", "employee_code": "NV01"})

    # sign in: the token goes into an HttpOnly cookie
    page.goto("/ui/connections")
    page.click("details.with-token summary")
    page.fill("input[name=token]", ADMIN)
    page.click("details.with-token button[type=submit]")
    page.wait_for_url("**/ui/connections")
    cookie = next(c for c in page.context.cookies() if c["name"] == "lt_session")
    assert cookie["httpOnly"] is True
    assert cookie["value"] != ADMIN  # a session of its own, not the token

    # the CON-1 recommendation, with every kind ticked
    box = page.locator("#recommendation")
    assert box.is_visible()
    assert connections.recommendation([], "vi")["message"] in box.inner_text()
    kinds = box.locator("input[name=kinds]")
    assert [kinds.nth(i).is_checked() for i in range(kinds.count())] == [True] * len(connections.KINDS)
    assert box.locator("input[name=order_mapping][value=sales_order]").is_checked()
    box.get_by_role("button", name="Kết nối ngay").click()

    card = page.locator("section.connection")
    card.wait_for()  # the connect form posts and the page comes back with the new connection
    assert card.is_visible()
    assert page.locator("#recommendation").count() == 0
    assert "Đơn đặt hàng" in card.inner_text()
    [conn] = api(server, "GET", "/api/v1/sync/connections")["items"]
    cid = conn["id"]

    # step 2 before step 1: CON-4, as a readable message
    step2 = page.locator(f"#step-{cid}-2")
    step2.get_by_role("button", name="Chạy bước 2").click()
    assert "Phải chạy xong bước 1 trước khi chạy bước 2" in page.locator(f"#progress-{cid}-2 .alert.error").inner_text()

    # step 1: the progress line follows it to the end without a reload
    polls = []
    page.on("request", lambda r: polls.append(r.url) if r.method == "GET" and r.url.endswith(f"/ui/connections/{cid}/steps/1") else None)
    with page.expect_response(lambda r: r.request.method == "POST" and "/steps/1" in r.url) as started:
        page.locator(f"#step-{cid}-1").get_by_role("button", name="Chạy bước 1").click()
    line = page.locator(f"#progress-{cid}-1[data-state=succeeded]")
    line.wait_for()
    if 'data-state="running"' in started.value.text():
        assert polls, "the running step's line was not polled"
    assert line.locator(".badge.state").inner_text() == "Thành công"
    step1 = api(server, "GET", f"/api/v1/sync/connections/{cid}/steps/1")
    assert step1["progress"]["total"] == step1["progress"]["done"] == sum(step1["summary"][k] for k in COUNTS)
    assert line.locator(".count").inner_text() == f"{step1['progress']['done']} / {step1['progress']['total']}"
    assert line.locator("progress").count() == 1
    shown = [line.locator(f"li.count-{k}").inner_text() for k in COUNTS]
    assert shown == [f"{label} {step1['summary'][k]}" for k, label in zip(COUNTS, COUNT_LABELS)]

    # step 2: preview first (writes nothing), then run it
    step2.get_by_role("button", name="Xem trước").click()
    page.locator(f"#progress-{cid}-2[data-state=preview]").wait_for()
    step2.get_by_role("button", name="Chạy bước 2").click()
    page.locator(f"#progress-{cid}-2[data-state=succeeded]").wait_for()
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    # add an accounting customer through the form
    page.click("nav.main >> text=Khách hàng")
    page.wait_for_url("**/ui/customers")
    form = page.locator("#add-customer form")
    form.locator("input[name=code]").fill("KH00006")
    form.locator("input[name=name]").fill("Công ty An Phát")
    form.locator("input[name=tax_code]").fill("0101234567")
    form.locator("input[name=phone]").fill("0912345678")
    form.locator("input[name=salesperson_code]").fill("NV01")
    form.get_by_role("button", name="Lưu").click()
    assert "Đã thêm khách hàng KH00006" in page.locator(".alert.ok").inner_text()
    row = page.locator("#customers-accounting tr[data-code=KH00006]")
    assert "Công ty An Phát" in row.inner_text()
    assert "NV01" in row.inner_text()

    # a bad submission names the field and adds nothing
    form = page.locator("#add-customer form")
    form.locator("input[name=code]").fill("KH 07")
    form.locator("input[name=name]").fill("Công ty Bình Minh")
    form.get_by_role("button", name="Lưu").click()
    errors = page.locator("#add-customer .alert.error")
    assert "Mã khách hàng" in errors.locator("li[data-field=code]").inner_text()
    assert page.locator("#add-customer input[name=code][aria-invalid=true]").input_value() == "KH 07"
    assert api(server, "GET", "/api/v1/accounting/customers", params={"q": "Bình Minh"})["items"] == []
    assert page.locator("#customers-accounting tbody tr[data-code]").count() == 1

    # the connector creates it in CRM, owned by the salesperson's user
    reload_until(page, "/ui/customers?tab=crm", "#customers-crm tr[data-code=KH00006]")
    crm_row = page.locator("#customers-crm tr[data-code=KH00006]")
    assert "Công ty An Phát" in crm_row.inner_text()
    assert "trang" in crm_row.inner_text()
    page.fill("input[name=q]", "An Phát")
    page.click("form.search button")
    assert page.locator("#customers-crm tr[data-code]").count() == 1

    # and the log says why, in Vietnamese, newest first, with the status line
    page.click("nav.main >> text=Nhật ký đồng bộ")
    reload_until(page, "/ui/log", "tr[data-rule=CUS-A1][data-outcome=applied]")
    entry = page.locator("tr[data-rule=CUS-A1][data-outcome=applied]").first
    assert "Đã áp dụng" in entry.inner_text()
    assert "KH00006" in entry.inner_text()
    assert "Đã tạo khách hàng KH00006 trên CRM." in entry.inner_text()
    status = page.locator("#status").inner_text()
    assert "Đang chờ" in status
    assert "Kế toán: truy cập được" in status
    assert "CRM: truy cập được" in status

    # filters: by code and outcome
    page.fill("form.filters input[name=code]", "KH00006")
    page.select_option("form.filters select[name=outcome]", "applied")
    page.click("form.filters button[type=submit]")
    rows = page.locator("table.log tbody tr[data-rule]")
    expected = api(server, "GET", "/api/v1/sync/log", params={"code": "KH00006", "outcome": "applied"})["items"]
    assert [rows.nth(i).get_attribute("data-rule") for i in range(rows.count())] == [e["rule"] for e in expected]
    assert {rows.nth(i).get_attribute("data-outcome") for i in range(rows.count())} == {"applied"}
    page.select_option("form.filters select[name=outcome]", "parked")
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
        assert "cursor=" in page.url
    else:
        assert page.locator("a.older").count() == 0


def test_english_switch_and_sign_out(page):
    sign_in(page)
    page.wait_for_url("**/ui/connections")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.click("a.lang")
    nav = page.locator("header.top").inner_text()
    for label in ("Connections", "Sync log", "Customers", "Sign out", "Tiếng Việt"):
        assert label in nav
    assert page.locator("html").get_attribute("lang") == "en"
    assert connections.recommendation([], "en")["message"] in page.locator("#recommendation").inner_text()
    assert page.get_by_role("button", name="Connect now").is_visible()
    # the choice is kept in the `lang` cookie
    page.goto("/ui/customers")
    assert page.locator("h1").inner_text() == "Customers"
    assert "Add customer" in page.locator("#add-customer h2").inner_text()
    page.goto("/ui/log")
    assert "Time (UTC)" in page.locator("table.log thead").inner_text()
    # and back
    page.click("a.lang")
    assert page.locator("h1").inner_text() == "Nhật ký đồng bộ"

    page.click("form.sign-out button")
    assert page.locator("h1").inner_text() == "Đăng nhập"
    assert not [c for c in page.context.cookies() if c["name"] == "lt_session"]
    page.goto("/ui/customers")
    assert page.locator("input[name=password]").is_visible()
