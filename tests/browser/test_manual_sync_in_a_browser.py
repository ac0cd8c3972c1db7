"""CUS-C6 "Lấy về" in a real browser, at 1366×768 and at 390×844: the accountant opens it
from the accounting customer list, ticks a CRM customer, previews, pulls, and sees the
outcome per record; then a whole kind on the administrator's "Đồng bộ thủ công"."""

from __future__ import annotations

import pytest

from tests.browser.conftest import api, no_sideways_scroll, sign_in
from tests.browser.test_screens import token_for


@pytest.mark.parametrize("tab", ["page", "phone"])
def test_CUS_C6_the_accountant_pulls_a_ticked_crm_customer(request, server, shot, tab):
    browser_tab = request.getfixturevalue(tab)
    api(server, "POST", "/api/v1/sync/connections", json={"apps": ["accounting", "crm"]})
    for code, name in (("KC1", "An Phát"), ("KC2", "Bình Minh")):
        api(server, "POST", "/api/v1/crm/customers", json={"code": code, "name": name})
    api(server, "POST", "/api/v1/sync/drain")  # CRM customers do not reach accounting by themselves (CUS-C1)
    sign_in(browser_tab, token_for(server, "ha", "Hà Kế Toán", "accountant"))
    browser_tab.goto("/ui/accounting/customers")
    browser_tab.locator("a.pull-link").click()
    browser_tab.wait_for_url("**/ui/sync/pull**")
    browser_tab.check("tr[data-code=KC1] input.tick")
    browser_tab.locator("#run button.preview").click()
    preview = browser_tab.locator("#outcome .manual-result[data-state=preview]")
    assert preview.locator("tr.outcome-created").get_attribute("data-code") == "KC1"
    assert no_sideways_scroll(browser_tab)
    shot(browser_tab, "preview")
    assert api(server, "GET", "/api/v1/accounting/customers?code=KC1")["items"] == []
    browser_tab.locator("#run button.run").click()
    done = browser_tab.locator("#outcome .manual-result[data-state=done]")
    assert done.locator("tr.outcome-created td").nth(2).inner_text() == "Lấy về: đã tạo khách hàng KC1 trên Kế toán."
    assert no_sideways_scroll(browser_tab)
    shot(browser_tab, "pulled")
    assert [c["code"] for c in api(server, "GET", "/api/v1/accounting/customers")["items"]] == ["KC1"]
    browser_tab.locator("#manual-rows tr[data-code=KC1]").wait_for(state="detached")  # the list refreshed: KC1 is in accounting now
    assert browser_tab.locator("#manual-rows tr[data-code=KC2]").count() == 1


@pytest.mark.parametrize("tab", ["page", "phone"])
def test_CON_9_the_administrator_pushes_a_whole_kind_with_a_progress_line(request, server, shot, tab):
    browser_tab = request.getfixturevalue(tab)
    for code in ("NH1", "NH2", "NH3"):
        api(server, "POST", "/api/v1/accounting/product-groups", json={"code": code, "name": f"Nhóm {code}"})
    api(server, "POST", "/api/v1/sync/drain")  # made before connecting: they never reached CRM
    api(server, "POST", "/api/v1/sync/connections", json={"apps": ["accounting", "crm"]})
    sign_in(browser_tab)
    browser_tab.goto("/ui/sync/manual")
    browser_tab.select_option("select[name=kind]", "product-groups")
    browser_tab.locator("#choose button").click()
    browser_tab.check("#run input[name=all]")
    browser_tab.locator("#run button.run").click()
    done = browser_tab.locator("#outcome .manual-result[data-state=done]")
    done.wait_for()  # after the progress line, which asks for itself until the run ends
    assert [row.get_attribute("data-code") for row in done.locator("tr.outcome-created").all()] == ["NH1", "NH2", "NH3"]
    assert no_sideways_scroll(browser_tab)
    shot(browser_tab, "whole-kind")
    assert sorted(g["code"] for g in api(server, "GET", "/api/v1/crm/product-groups")["items"]) == ["NH1", "NH2", "NH3"]


def test_CON_9_the_administrator_pushes_a_price_policy_from_accounting_only(page, server, shot):
    """Price policies are offered one way: asked from CRM, the screen shows them from accounting and says why."""
    for n in (1, 2):
        api(server, "POST", "/api/v1/accounting/product-groups", json={"code": f"NH0{n}", "name": f"Nhóm {n}"})
        api(server, "POST", "/api/v1/accounting/products", json={"code": f"HH0{n}", "name": f"Hàng {n}", "group_code": f"NH0{n}"})
    api(server, "POST", "/api/v1/accounting/price-policies", json={"code": "CS01", "name": "Giá đại lý", "product_group_codes": ["NH01", "NH02"], "items": [{"product_code": "HH01", "price": "9000"}]})
    api(server, "POST", "/api/v1/sync/drain")  # made before connecting: they never reached CRM
    api(server, "POST", "/api/v1/sync/connections", json={"apps": ["accounting", "crm"]})
    api(server, "POST", "/api/v1/sync/push", json={"kind": "products", "from": "accounting", "all": True})
    sign_in(page)
    page.goto("/ui/sync/manual")
    page.select_option("select[name=kind]", "price-policies")
    page.select_option("select[name=from]", "crm")
    page.locator("#choose button").click()
    page.wait_for_url("**kind=price-policies**")
    assert page.locator("select[name=from]").count() == 0
    assert page.locator("#one-way").inner_text() == "Kế toán → CRM: Chính sách giá chỉ đồng bộ từ Kế toán sang CRM: chính sách giá trên CRM không đồng bộ sang Kế toán."
    page.check("tr[data-code=CS01] input.tick")
    page.locator("#run button.run").click()
    done = page.locator("#outcome .manual-result[data-state=done]")
    done.wait_for()
    assert [row.inner_text() for row in done.locator("tr.outcome-created td:nth-child(3)").all()] == [
        "Đã tạo chính sách giá CS01 trên CRM cho nhóm hàng hóa NH01.",
        "Đã tạo chính sách giá CS01 trên CRM cho nhóm hàng hóa NH02.",
    ]
    assert no_sideways_scroll(page)
    shot(page, "price-policy")
    assert sorted(p["code"] for p in api(server, "GET", "/api/v1/crm/price-policies")["items"]) == ["CS01.NH01", "CS01.NH02"]
