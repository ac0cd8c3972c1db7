"""The screens of issue 8 (products, product groups, price policies in accounting and CRM)
and the CRM customer merge, import and export of issue 9, in a real browser, each at
1366×768 and at 390×844: no page scrolls sideways, a failed save shows every error next to
its field, end users read words (no rule IDs). Screenshots as the other browser tests."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from lienthong.crm import price_policies as crm_policies
from lienthong.crm.tables import ProductGroup as CrmGroup
from lienthong.kernel.unit_of_work import UnitOfWork
from tests.browser.conftest import DESKTOP, PHONE, _page, api, no_sideways_scroll, reload_until, sign_in

ACC, CRM = "/api/v1/accounting", "/api/v1/crm"


@pytest.fixture(params=["desktop", "phone"])
def view(request, browser, server):
    """A browser tab at 1366×768, then at 390×844."""
    context, pg = _page(browser, server, DESKTOP if request.param == "desktop" else PHONE)
    pg.on("dialog", lambda d: d.accept())  # "Xóa bản ghi này?"
    yield pg
    context.close()


def codes(page, table: str) -> list[str]:
    rows = page.locator(f"{table} tbody tr[data-code]")
    return [rows.nth(i).get_attribute("data-code") for i in range(rows.count())]


def workbook(header: list[str], rows: list[list]) -> bytes:
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def groups_and_products(server: str) -> None:
    api(server, "POST", f"{ACC}/product-groups", json={"code": "NH01", "name": "Đồ uống"})
    api(server, "POST", f"{ACC}/product-groups", json={"code": "NH02", "name": "Bánh"})
    api(server, "POST", f"{ACC}/products", json={"code": "SP01", "name": "Cà phê", "group_code": "NH01", "unit_price": "25000"})
    api(server, "POST", f"{ACC}/products", json={"code": "SP02", "name": "Trà đá", "group_code": "NH01", "unit_price": "5000"})


# -- products ------------------------------------------------------------------------------------


def test_products_are_added_with_the_group_picked_by_name_searched_edited_and_deleted(view, server, shot):
    groups_and_products(server)
    sign_in(view)
    view.goto("/ui/accounting/products")
    view.click("#add summary")
    form = view.locator("#add form")
    form.locator("input[name=code]").fill("SP09")
    form.locator("input[name=name]").fill("Bánh bông lan")
    form.locator("input[name=group_code_search]").fill("banh")
    pick = view.locator("#picks-group_code button.pick[data-code=NH02]")
    pick.click()
    form.locator("input[name=unit_price]").fill("1.234.567")
    form.locator("select[name=vat_rate]").select_option("8")
    assert no_sideways_scroll(view)
    shot(view, "add")
    form.get_by_role("button", name="Lưu").click()
    assert view.locator(".alert.ok").inner_text() == "Đã lưu SP09."
    row = view.locator("#accounting-products tr[data-code=SP09]")
    assert row.locator("td.money").inner_text() == "1.234.567 đ"
    assert row.locator("td.group").inner_text() == "Bánh"
    assert api(server, "GET", f"{ACC}/products", params={"code": "SP09"})["items"][0]["unit_price"] == "1234567"

    # search ignores case and diacritics; the total counts the matches
    view.fill("form.search input[name=q]", "CA PHE")
    with view.expect_navigation():
        view.click("form.search button")
    assert codes(view, "#accounting-products") == ["SP01"]
    assert view.locator(".pager .total").inner_text() == "Tổng cộng: 1"

    # edit from the row, then delete it from the list (it asks first)
    view.locator("tr[data-code=SP01] a.edit").click()
    view.fill("#edit input[name=unit_price]", "30.000")
    view.click("#edit button[type=submit]")
    assert view.locator("#record dl.facts").inner_text().count("30.000 đ") == 1
    assert no_sideways_scroll(view)
    shot(view, "record")
    view.goto("/ui/accounting/products")
    view.locator("tr[data-code=SP02] button.delete").click()
    assert view.locator(".alert.ok").inner_text() == "Đã xóa 1 bản ghi."
    assert codes(view, "#accounting-products") == ["SP01", "SP09"]


def test_a_failed_product_save_shows_every_error_next_to_its_field(view, server, shot):
    sign_in(view)
    view.goto("/ui/crm/products")
    view.click("#add summary")
    form = view.locator("#add form")
    form.locator("input[name=code]").fill("SP 1")
    form.locator("input[name=unit_price]").fill("mười nghìn")
    form.get_by_role("button", name="Lưu").click()
    assert view.locator("#add .form-errors p").first.inner_text() == "Chưa lưu được. Hãy sửa 3 lỗi dưới đây."
    for name in ("code", "name", "unit_price"):
        field = view.locator(f"#add label.field:has(input[name={name}])")
        assert field.locator("input").get_attribute("aria-invalid") == "true"
        assert field.locator(f".field-error[data-field={name}]").is_visible()
    assert view.locator("#add .form-errors").is_visible()  # above the list: where a phone's user looks
    assert no_sideways_scroll(view)
    shot(view, "errors")
    assert api(server, "GET", f"{CRM}/products")["items"] == []


def test_two_products_are_merged_keeping_the_values_picked_field_by_field(view, server, shot):
    groups_and_products(server)
    sign_in(view)
    view.goto("/ui/accounting/products")
    view.check("tr[data-code=SP01] input.tick")
    view.check("tr[data-code=SP02] input.tick")
    view.locator(".bulk-bar button.merge").click()
    merge = view.locator("#merge")
    merge.locator("fieldset.merge-field[data-field=name] label.check", has_text="Trà đá").locator("input").check()
    merge.locator("fieldset.merge-field[data-field=unit_price] label.check", has_text=re.compile(r"^\s*5\.000 đ")).locator("input").check()
    assert no_sideways_scroll(view)
    shot(view, "merge")
    view.get_by_role("button", name="Xác nhận gộp").click()
    assert view.locator(".alert.ok").inner_text() == "Đã lưu SP01."
    facts = view.locator("#record dl.facts").inner_text()
    assert "Trà đá" in facts
    assert "5.000 đ" in facts
    assert [p["code"] for p in api(server, "GET", f"{ACC}/products")["items"]] == ["SP01"]


def test_products_are_imported_with_a_progress_line_and_exported(view, server, shot, tmp_path):
    api(server, "POST", f"{CRM}/product-groups", json={"code": "NH01", "name": "Đồ uống"})
    good = tmp_path / "hang-hoa.xlsx"
    good.write_bytes(workbook(["Mã hàng hóa", "Tên hàng hóa", "Nhóm hàng hóa", "Đơn giá", "Thuế suất GTGT"], [[f"SP{n:03}", f"Hàng {n}", "NH01", 1000 * n, "10%"] for n in range(1, 201)]))
    sign_in(view)
    view.goto("/ui/crm/products")
    view.click("a.import")
    view.set_input_files("input[name=file]", str(good))
    view.check("input[name=mode][value=insert]")
    view.click("#import button[type=submit]")
    report = view.locator(".import-job[data-state=succeeded]")
    report.wait_for()
    assert report.locator("li.count-created").inner_text() == "Tạo mới 200"
    assert no_sideways_scroll(view)
    shot(view, "import-report")

    # a bad row: its row number, column and reason; nothing imported
    bad = tmp_path / "loi.xlsx"
    bad.write_bytes(workbook(["Mã hàng hóa", "Tên hàng hóa", "Nhóm hàng hóa"], [["SP900", "Mới", "NH01"], ["SP901", "Nhóm lạ", "NH99"]]))
    view.goto("/ui/crm/products/import")
    view.set_input_files("input[name=file]", str(bad))
    view.click("#import button[type=submit]")
    failed = view.locator(".import-job[data-state=failed]")
    failed.wait_for()
    cells = failed.locator("tr.import-error td")
    assert [cells.nth(i).inner_text() for i in range(2)] == ["3", "Nhóm hàng hóa"]
    assert api(server, "GET", f"{CRM}/products", params={"code": "SP900"})["items"] == []
    shot(view, "import-bad-row")

    # the export of the ticked rows
    view.goto("/ui/crm/products?q=hang+19")
    view.check("tr[data-code=SP019] input.tick")
    view.check("tr[data-code=SP190] input.tick")
    with view.expect_download() as download:
        view.locator(".bulk-bar button.export").click()
    rows = list(load_workbook(io.BytesIO(download.value.path().read_bytes())).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[2:]] == ["SP019", "SP190"]


def test_product_groups_are_added_and_merged(view, server, shot):
    groups_and_products(server)
    sign_in(view)
    view.goto("/ui/accounting/product-groups")
    view.click("#add summary")
    view.locator("#add input[name=code]").fill("NH03")
    view.locator("#add input[name=name]").fill("Đồ uống nóng")
    view.locator("#add").get_by_role("button", name="Lưu").click()
    assert view.locator(".alert.ok").inner_text() == "Đã lưu NH03."
    assert codes(view, "#accounting-product-groups") == ["NH01", "NH02", "NH03"]
    view.check("tr[data-code=NH01] input.tick")
    view.check("tr[data-code=NH03] input.tick")
    view.locator(".bulk-bar button.merge").click()
    view.locator("fieldset.merge-field[data-field=name] label.check", has_text="Đồ uống nóng").locator("input").check()
    assert no_sideways_scroll(view)
    shot(view, "group-merge")
    view.get_by_role("button", name="Xác nhận gộp").click()
    assert view.locator("h1").inner_text().startswith("Đồ uống nóng")
    assert [g["code"] for g in api(server, "GET", f"{ACC}/product-groups")["items"]] == ["NH01", "NH02"]


def test_a_product_page_links_its_counterpart_and_tells_why_in_words(view, server, shot):
    api(server, "POST", "/api/v1/sync/connections", json={"apps": ["accounting", "crm"]})
    made = api(server, "POST", f"{ACC}/products", json={"code": "SP01", "name": "Cà phê"})
    sign_in(view)
    reload_until(view, f"/ui/accounting/products/{made['id']}", ".counterpart a")
    decisions = view.locator("#record-sync ul.decisions")
    decisions.wait_for()
    assert "PRD-" not in decisions.locator(".reason").first.inner_text()  # the rule ID only in the detail
    assert no_sideways_scroll(view)
    shot(view, "counterpart")
    view.locator(".counterpart a").click()
    view.wait_for_url(f"**/ui/crm/products/{api(server, 'GET', f'{CRM}/products')['items'][0]['id']}")
    assert view.locator(".counterpart[data-app=accounting] a").count() == 1


# -- price policies --------------------------------------------------------------------------------------


def test_an_accounting_policy_is_added_for_two_groups_with_a_price_and_a_discount(view, server, shot):
    groups_and_products(server)
    api(server, "POST", f"{ACC}/products", json={"code": "SP03", "name": "Bánh mì", "group_code": "NH02", "unit_price": "15000"})
    sign_in(view)
    view.goto("/ui/accounting/price-policies")
    view.click("#add summary")
    form = view.locator("#add form")
    form.locator("input[name=code]").fill("CS01")
    form.locator("input[name=name]").fill("Giá sỉ")
    form.locator("input[name=valid_from]").fill("2026-01-01")
    form.locator("input[name=product_group_codes][value=NH01]").check()
    form.locator("input[name=product_group_codes][value=NH02]").check()
    rows = form.locator("tr.item-row")
    rows.nth(0).locator("input[name=item_product_code]").fill("SP01")
    rows.nth(0).locator("input[name=item_price]").fill("20.000")
    rows.nth(1).locator("input[name=item_product_code]").fill("SP03")
    rows.nth(1).locator("input[name=item_discount_percent]").fill("5")
    assert no_sideways_scroll(view)
    shot(view, "policy-form")
    form.get_by_role("button", name="Lưu").click()
    assert view.locator(".alert.ok").inner_text() == "Đã lưu CS01."
    assert view.locator("tr[data-code=CS01] td.groups").inner_text() == "Đồ uống, Bánh"
    view.locator("tr[data-code=CS01] a.open").click()
    assert view.locator("table.items tr[data-code=SP01] td.money").inner_text() == "20.000 đ"
    assert no_sideways_scroll(view)
    shot(view, "policy-record")


def test_a_failed_policy_save_shows_the_errors_next_to_the_fields_and_item_cells(view, server, shot):
    groups_and_products(server)
    sign_in(view)
    view.goto("/ui/accounting/price-policies")
    view.click("#add summary")
    form = view.locator("#add form")
    form.locator("input[name=code]").fill("CS01")
    form.locator("input[name=name]").fill("Giá sỉ")
    form.locator("tr.item-row").nth(0).locator("input[name=item_product_code]").fill("SP01")
    form.locator("tr.item-row").nth(0).locator("input[name=item_price]").fill("hai mươi")
    form.get_by_role("button", name="Lưu").click()
    assert view.locator("#add fieldset.groups .field-error").is_visible()
    cell = view.locator("#add tr.item-row").nth(0).locator("td.invalid")
    assert cell.locator(".field-error[data-field='items.0.price']").is_visible()
    assert view.locator("#add tr.item-row").nth(0).locator("input[name=item_product_code]").input_value() == "SP01"  # what was typed stays
    assert no_sideways_scroll(view)
    shot(view, "policy-errors")


def test_a_crm_part_of_an_accounting_policy_offers_no_edit_and_says_where_to_edit_it(view, server, shot, suite):
    api(server, "POST", f"{CRM}/product-groups", json={"code": "NH01", "name": "Đồ uống"})
    with UnitOfWork(suite.databases["crm"]) as uow:
        group = uow.session.scalar(select(CrmGroup).where(CrmGroup.code == "NH01"))
        crm_policies.upsert_policy_part(uow, tenant_id=group.tenant_id, origin="accounting", source_policy_code="CS01", product_group_id=group.id, values={"name": "Giá sỉ", "items": []})
        uow.commit()
    api(server, "POST", f"{CRM}/price-policies", json={"code": "KM01", "name": "Khuyến mãi"})
    sign_in(view)
    view.goto("/ui/crm/price-policies")
    part = view.locator("tr[data-code='CS01.NH01']")
    assert part.locator("td.source").inner_text() == "CS01"
    assert part.locator("td.group").inner_text().startswith("Đồ uống")
    assert part.locator("a.edit").count() == 0
    assert view.locator("tr[data-code=KM01] a.edit").count() == 1
    assert no_sideways_scroll(view)
    shot(view, "crm-policies")
    part.locator("a.open").click()
    assert view.locator("p.locked").inner_text() == "Chính sách giá CS01.NH01 được lấy từ Kế toán (chính sách CS01) nên không sửa được trên CRM; hãy sửa chính sách gốc trên Kế toán."
    assert view.locator("#record a.edit").count() == 0
    shot(view, "crm-part")


# -- the CRM customer merge, import and export (issue 9) ----------------------------------------------------------


def crm_customers(server: str) -> None:
    for code, name, phone in (("KH1", "An Phát", "0901234567"), ("KH2", "Bình Minh", None), ("KH3", "Cửu Long", "0903456789")):
        api(server, "POST", f"{CRM}/customers", json={"code": code, "name": name, "phone": phone})


def test_crm_customers_are_merged_picking_the_survivor_and_values(view, server, shot):
    crm_customers(server)
    sign_in(view)
    view.goto("/ui/crm/customers")
    view.check("tr[data-code=KH1] input.tick")
    view.check("tr[data-code=KH2] input.tick")
    view.locator(".bulk-bar button.merge").click()
    merge = view.locator("#merge")
    merge.locator("label.check", has_text="Bình Minh").first.locator("input[name=survivor_id]").check()
    merge.locator("fieldset.merge-field[data-field=phone] label.check", has_text="0901234567").locator("input").check()
    assert no_sideways_scroll(view)
    shot(view, "customer-merge")
    view.get_by_role("button", name="Xác nhận gộp").click()
    assert view.locator(".alert.ok").inner_text() == "Đã lưu KH2."
    kept = api(server, "GET", f"{CRM}/customers", params={"code": "KH2"})["items"][0]
    assert (kept["name"], kept["phone"]) == ("Bình Minh", "0901234567")
    assert api(server, "GET", f"{CRM}/customers", params={"code": "KH1"})["items"] == []


def test_crm_customers_are_imported_with_a_progress_line_then_exported(view, server, shot, tmp_path):
    crm_customers(server)
    file = tmp_path / "khach.xlsx"
    file.write_bytes(workbook(["Mã khách hàng", "Tên khách hàng", "Điện thoại"], [[f"KM{n:03}", f"Khách {n}", None] for n in range(1, 151)]))
    sign_in(view)
    view.goto("/ui/crm/customers")
    view.click("a.import")
    view.set_input_files("input[name=file]", str(file))
    view.click("#import button[type=submit]")
    report = view.locator(".import-job[data-state=succeeded]")
    report.wait_for()
    assert report.locator("li.count-created").inner_text() == "Tạo mới 150"
    assert no_sideways_scroll(view)
    shot(view, "customer-import")

    # a file that is not a workbook: the reason next to the file field, nothing imported
    bad = tmp_path / "khong-phai.xlsx"
    bad.write_bytes(b"not a workbook")
    view.goto("/ui/crm/customers/import")
    view.set_input_files("input[name=file]", str(bad))
    view.click("#import button[type=submit]")
    view.locator(".import-job[data-state=failed]").wait_for()
    assert view.locator("#import label.field.invalid .field-error[data-field=file]").is_visible()
    shot(view, "customer-import-bad-file")

    # the export of this list (its search) in the source layout
    view.goto("/ui/crm/customers?q=cuu+long")
    with view.expect_download() as download:
        view.locator("a.export-filtered").click()
    rows = list(load_workbook(io.BytesIO(download.value.path().read_bytes())).active.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "Mã khách hàng")
    assert [r[0] for r in rows[header + 1 :]] == ["KH3"]
