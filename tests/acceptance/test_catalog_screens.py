"""The product, product-group and price-policy screens of accounting and CRM over HTTP
(issue 8, items 1-2): lists with search and page numbers, the forms and their errors next
to each field, merge, Excel import with its progress line, export, the record page's
counterpart and decisions, a CRM part of an accounting policy that is edited in accounting
only; and the unhappy paths (nothing ticked, wrong role, a product in use, a bad file)."""

from __future__ import annotations

import io
import re
import threading

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from lienthong.crm import price_policies as crm_policies
from lienthong.crm.tables import ProductGroup as CrmGroup
from lienthong.kernel.i18n import t
from lienthong.kernel.jobs import Jobs
from lienthong.kernel.pages import vn_money
from lienthong.kernel.product_pages import amount_input
from lienthong.kernel.unit_of_work import UnitOfWork
from tests.acceptance.test_screen_forms import SAME, post, signed_in, token_for

ACC = "/api/v1/accounting"
CRM = "/api/v1/crm"
UI = "/ui/accounting/products"


def field_errors(html: str) -> dict[str, str]:
    return dict(re.findall(r'<small class="field-error" data-field="([\w.]+)">([^<]+)</small>', html))


def codes_on(html: str) -> list[str]:
    return re.findall(r'<tr data-code="([^"]+)" data-id=', html)


def products(api, base: str = ACC) -> dict[str, dict]:
    return {p["code"]: p for p in api.ok("get", f"{base}/products", params={"limit": 200})["items"]}


@pytest.fixture
def catalog(api):
    """Accounting: groups NH01 Đồ uống and NH02 Bánh; products SP01 Cà phê (NH01), SP02 Trà đá (NH01), SP03 Bánh mì (NH02)."""
    api.ok("post", f"{ACC}/product-groups", 201, json={"code": "NH01", "name": "Đồ uống"})
    api.ok("post", f"{ACC}/product-groups", 201, json={"code": "NH02", "name": "Bánh"})
    for code, name, group, price in (("SP01", "Cà phê", "NH01", "25000"), ("SP02", "Trà đá", "NH01", "5000"), ("SP03", "Bánh mì", "NH02", "1234567")):
        api.ok("post", f"{ACC}/products", 201, json={"code": code, "name": name, "group_code": group, "unit_price": price, "unit": "Cái"})
    return api


@pytest.fixture
def at_once(monkeypatch):
    """A job runs before the page that starts it is drawn."""
    start = Jobs.start
    monkeypatch.setattr(Jobs, "start", lambda self, principal, work, background=True: start(self, principal, work, background=False))


def xlsx(rows: list[list], header=("Mã hàng hóa", "Tên hàng hóa", "Nhóm hàng hóa", "Đơn giá")) -> bytes:
    book = Workbook()
    book.active.append(list(header))
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, path: str, csrf: str, data: bytes, **form):
    return client.post(path, data={"csrf_token": csrf, **form}, files={"file": ("hh.xlsx", data)}, headers=SAME)


# -- money as Vietnamese write it --------------------------------------------------------------


@pytest.mark.parametrize(("amount", "shown"), [("1234567", "1.234.567 đ"), ("0", "0 đ"), ("12.50", "12,5 đ"), ("-1000", "-1.000 đ")])
def test_money_is_shown_in_the_vietnamese_way(amount, shown):
    assert vn_money(amount) == shown


@pytest.mark.parametrize(("typed", "sent"), [("1.234.567", "1234567"), ("12,5", "12.5"), ("25000 đ", "25000"), ("12.5", "12.5"), ("abc", "abc")])
def test_an_amount_typed_in_the_vietnamese_way_is_read_as_meant(typed, sent):
    assert amount_input(typed) == sent


# -- the product list ----------------------------------------------------------------------------


def test_the_product_list_shows_money_in_the_vietnamese_way_and_the_group_by_name(catalog, client):
    signed_in(client)
    html = client.get(UI).text
    row = re.search(r'<tr data-code="SP03".*?</tr>', html, re.S).group(0)
    assert '<td data-label="Đơn giá" class="num money">1.234.567 đ</td>' in row
    assert '<td data-label="Nhóm hàng hóa" class="group">Bánh</td>' in row


def test_the_product_search_ignores_case_and_diacritics_and_counts_the_matches(catalog, client):
    signed_in(client)
    html = client.get(UI, params={"q": "CA PHE"}).text
    assert codes_on(html) == ["SP01"]
    assert t("ui.list.total", "vi", n=1) in html


def test_the_product_list_has_page_numbers(api, client):
    for n in range(1, 53):
        api.ok("post", f"{ACC}/products", 201, json={"code": f"HH{n:02}", "name": f"Hàng {n}"})
    signed_in(client)
    html = client.get(UI, params={"page": 2}).text
    assert codes_on(html) == ["HH51", "HH52"]
    assert '<span class="current" aria-current="page" aria-label="Trang 2">2</span>' in html


def test_adding_a_product_reads_the_price_as_typed_in_vietnamese(catalog, client):
    csrf = signed_in(client)
    r = post(client, UI, csrf, code="SP09", name="Sữa chua", group_code="NH01", unit="Hộp", unit_price="1.250.000", vat_rate="8", kind="goods", active="true")
    assert r.headers["location"] == f"{UI}?saved=SP09"
    made = products(catalog)["SP09"]
    assert (made["unit_price"], made["vat_rate"], made["group_code"]) == ("1250000", "8", "NH01")


def test_a_failed_product_save_shows_every_error_next_to_its_field_and_adds_nothing(catalog, client):
    csrf = signed_in(client)
    r = post(client, UI, csrf, code="SP 9", name="", unit_price="mười nghìn", vat_rate="7", kind="goods")
    assert r.status_code == 422
    assert sorted(field_errors(r.text)) == ["code", "name", "unit_price", "vat_rate"]
    assert t("ui.form.not_saved", "vi", n=4) in r.text
    assert set(products(catalog)) == {"SP01", "SP02", "SP03"}


def test_an_unknown_group_is_named_next_to_the_group_field(catalog, client):
    csrf = signed_in(client)
    r = post(client, UI, csrf, code="SP09", name="Sữa", group_code="NH99", unit_price="1", vat_rate="10", kind="goods")
    assert r.status_code == 422
    assert list(field_errors(r.text)) == ["group_code"]


def test_editing_a_product_shows_its_price_in_the_vietnamese_way_and_saves_it(catalog, client):
    csrf = signed_in(client)
    sp03 = products(catalog)["SP03"]["id"]
    form = client.get(f"{UI}/{sp03}/edit").text
    assert 'name="unit_price" value="1.234.567"' in form
    r = post(client, f"{UI}/{sp03}/edit", csrf, code="SP03", name="Bánh mì pa-tê", group_code="NH02", unit="Cái", unit_price="15.000", vat_rate="10", kind="goods", active="true")
    assert r.headers["location"] == f"{UI}/{sp03}?saved=SP03"
    assert (products(catalog)["SP03"]["name"], products(catalog)["SP03"]["unit_price"]) == ("Bánh mì pa-tê", "15000")


def test_a_sales_user_may_not_add_an_accounting_product_and_is_told_why(catalog, client):
    csrf = signed_in(client, token_for(catalog, "lan", "sales"))
    r = post(client, UI, csrf, code="SP09", name="Sữa", unit_price="1", vat_rate="10", kind="goods")
    assert r.status_code == 403
    assert 'class="alert error form-errors"' in r.text
    assert "SP09" not in products(catalog)


def test_a_product_in_a_price_policy_is_not_deleted_and_the_list_says_why(catalog, client):
    catalog.ok("post", f"{ACC}/price-policies", 201, json={"code": "CS01", "name": "Giá sỉ", "product_group_codes": ["NH01"], "items": [{"product_code": "SP01", "price": "20000"}]})
    csrf = signed_in(client)
    r = post(client, f"{UI}/{products(catalog)['SP01']['id']}/delete", csrf)
    assert r.status_code == 409
    assert t("in_use", "vi", what=t("kind.products", "vi"), code="SP01") in r.text.replace("&#39;", "'")
    assert "SP01" in products(catalog)


def test_deleting_the_ticked_products(catalog, client):
    csrf = signed_in(client)
    ids = [str(products(catalog)[c]["id"]) for c in ("SP02", "SP03")]
    r = post(client, f"{UI}/delete", csrf, ids=ids)
    assert r.headers["location"] == f"{UI}?deleted=2"
    assert set(products(catalog)) == {"SP01"}


def test_the_product_screens_are_wholly_in_english_when_asked(catalog, client):
    signed_in(client)
    for path in (UI, "/ui/accounting/product-groups", "/ui/crm/products", "/ui/accounting/price-policies", "/ui/crm/price-policies", f"{UI}/import"):
        page = client.get(path, params={"lang": "en"}).text
        text = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S))
        vietnamese = set("ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")
        data = ("Tiếng", "Việt", "Cà", "phê", "Trà", "đá", "Bánh", "mì", "Đồ", "uống", "Quản", "trị", "viên", "Cái", "1.234.567", "đ")  # data, not the screen's words
        assert [w for w in text.split() if set(w) & vietnamese and w not in data] == [], path


# -- merge ----------------------------------------------------------------------------------------


def test_merging_products_keeps_the_survivor_with_the_values_picked_field_by_field(catalog, client):
    csrf = signed_in(client)
    ids = products(catalog)
    sp01, sp02 = str(ids["SP01"]["id"]), str(ids["SP02"]["id"])
    form = post(client, f"{UI}/merge", csrf, ids=[sp01, sp02])
    assert form.status_code == 200
    assert re.findall(r'<fieldset class="field merge-field" data-field="(\w+)">', form.text)[:3] == ["code", "name", "group_code"]
    assert "25.000 đ" in form.text  # the values in words, money the Vietnamese way
    r = post(client, f"{UI}/merge", csrf, ids=[sp01, sp02], confirm="true", survivor_id=sp01, value_name=sp02, value_unit_price=sp02)
    assert r.headers["location"] == f"{UI}/{sp01}?saved=SP01"
    kept = products(catalog)
    assert set(kept) == {"SP01", "SP03"}
    assert (kept["SP01"]["name"], kept["SP01"]["unit_price"]) == ("Trà đá", "5000")


def test_merging_one_or_four_products_says_how_many_and_changes_nothing(catalog, client):
    catalog.ok("post", f"{ACC}/products", 201, json={"code": "SP04", "name": "Nước cam"})
    csrf = signed_in(client)
    ids = [str(p["id"]) for p in products(catalog).values()]
    for ticked in (ids[:1], ids):
        r = post(client, f"{UI}/merge", csrf, ids=ticked, confirm="true")
        assert r.status_code == 422
        assert t("ui.products.merge.count", "vi", n=len(ticked)) in r.text
    assert len(products(catalog)) == 4


def test_merging_with_nothing_ticked_says_so(catalog, client):
    csrf = signed_in(client)
    r = post(client, f"{UI}/merge", csrf)
    assert r.status_code == 422
    assert t("ui.form.none_ticked", "vi") in r.text


def test_merging_product_groups_moves_their_products_to_the_survivor(catalog, client):
    groups = {g["code"]: g["id"] for g in catalog.ok("get", f"{ACC}/product-groups")["items"]}
    csrf = signed_in(client)
    r = post(client, "/ui/accounting/product-groups/merge", csrf, ids=[str(groups["NH01"]), str(groups["NH02"])], confirm="true", survivor_id=str(groups["NH01"]), value_name=str(groups["NH02"]))
    assert r.headers["location"] == f"/ui/accounting/product-groups/{groups['NH01']}?saved=NH01"
    assert [(g["code"], g["name"]) for g in catalog.ok("get", f"{ACC}/product-groups")["items"]] == [("NH01", "Bánh")]
    assert {p["group_code"] for p in products(catalog).values()} == {"NH01"}


def test_a_sales_user_may_not_merge_accounting_products(catalog, client):
    csrf = signed_in(client, token_for(catalog, "lan", "sales"))
    ids = products(catalog)
    r = post(client, f"{UI}/merge", csrf, ids=[str(ids["SP01"]["id"]), str(ids["SP02"]["id"])], confirm="true")
    assert r.status_code == 403
    assert set(products(catalog)) == {"SP01", "SP02", "SP03"}


# -- Excel import and export -------------------------------------------------------------------------


def test_a_product_import_shows_its_progress_line_while_it_runs(catalog, client, monkeypatch):
    """The page that starts an import shows its progress line; the line's answer, once the
    import ends, is the report (held at a gate: no timing)."""
    gate, ended = threading.Event(), threading.Event()
    start = Jobs.start

    def held(self, principal, work, background=True):
        def run(progress):
            gate.wait(30)
            try:
                return work(progress)
            finally:
                ended.set()

        return start(self, principal, run, background=background)

    monkeypatch.setattr(Jobs, "start", held)
    csrf = signed_in(client)
    r = upload(client, f"{UI}/import", csrf, xlsx([["SP09", "Sữa chua", "NH01", 12000], ["SP01", "Cà phê sữa", "NH01", 30000]]), mode="upsert")
    assert r.status_code == 202
    line = re.search(r'<div class="progress-line import-job" id="job-(\w+)" data-state="running"', r.text)
    assert line is not None
    gate.set()
    assert ended.wait(30)
    report = client.get(f"{UI}/import/{line.group(1)}")
    assert report.headers["HX-Retarget"] == "#import"
    assert re.search(r'class="count-created">[^<]+<b>1</b>', report.text)
    assert re.search(r'class="count-updated">[^<]+<b>1</b>', report.text)
    assert products(catalog)["SP01"]["name"] == "Cà phê sữa"


def test_a_bad_product_row_is_reported_with_its_row_column_and_reason_and_changes_nothing(catalog, client, at_once):
    csrf = signed_in(client)
    r = upload(client, f"{UI}/import", csrf, xlsx([["SP09", "Sữa chua", "NH01", 12000], ["SP10", "Bơ", "NH99", 1]]), mode="insert")
    cells = re.findall(r'<tr class="import-error"><td[^>]*>(\d+)</td><td[^>]*>([^<]+)</td>', r.text)
    assert cells == [("3", "Nhóm hàng hóa")]
    assert set(products(catalog)) == {"SP01", "SP02", "SP03"}


def test_a_file_that_is_not_a_workbook_is_named_next_to_the_file_field(catalog, client, at_once):
    csrf = signed_in(client)
    r = upload(client, f"{UI}/import", csrf, b"not a workbook", mode="upsert")
    assert list(field_errors(r.text)) == ["file"]
    assert set(products(catalog)) == {"SP01", "SP02", "SP03"}


def test_a_product_import_without_a_file_asks_for_one(catalog, client):
    csrf = signed_in(client)
    r = post(client, f"{UI}/import", csrf, mode="upsert")
    assert r.status_code == 422
    assert field_errors(r.text) == {"file": t("ui.import.no_file", "vi")}


def test_the_export_of_the_ticked_products_reads_back_as_an_import(catalog, client, at_once):
    csrf = signed_in(client)
    ids = products(catalog)
    r = post(client, f"{UI}/export", csrf, ids=[str(ids["SP03"]["id"]), str(ids["SP01"]["id"])])
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[1][:5] == ("Mã hàng hóa", "Tên hàng hóa", "Nhóm hàng hóa", "Đơn vị tính", "Đơn giá")
    assert [row[0] for row in rows[2:]] == ["SP03", "SP01"]
    back = upload(client, f"{UI}/import", csrf, r.content, mode="update")
    assert re.search(r'class="count-unchanged">[^<]+<b>2</b>', back.text)


def test_the_export_link_carries_the_lists_search(catalog, client):
    signed_in(client)
    html = client.get(UI, params={"q": "banh"}).text
    href = re.search(r'<a class="button secondary export-filtered" href="([^"]+)"', html).group(1)
    rows = list(load_workbook(io.BytesIO(client.get(href.replace("&amp;", "&")).content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[2:]] == ["SP03"]


def test_exporting_with_nothing_ticked_says_so(catalog, client):
    csrf = signed_in(client)
    r = post(client, f"{UI}/export", csrf)
    assert r.status_code == 422
    assert t("ui.form.none_ticked", "vi") in r.text


# -- the record page: its counterpart in the other app and the latest decisions ---------------------------


def test_a_product_page_links_its_crm_counterpart_and_shows_the_decision_in_words(connected, client):
    api = connected
    made = api.ok("post", f"{ACC}/products", 201, json={"code": "SP01", "name": "Cà phê"})
    api.drain()
    crm_id = products(api, CRM)["SP01"]["id"]
    signed_in(client)
    page = client.get(f"{UI}/{made['id']}").text
    assert re.search(rf'<a href="/ui/crm/products/{crm_id}">[^<]+SP01</a>', page)
    decision = re.search(r'<li data-outcome="applied">.*?<span class="reason">([^<]+)</span>', page, re.S).group(1)
    assert "SP01" in decision
    assert "PRD-" not in decision  # the rule ID only in the detail


def test_a_crm_product_page_links_back_to_accounting(connected, client):
    api = connected
    made = api.ok("post", f"{ACC}/product-groups", 201, json={"code": "NH01", "name": "Đồ uống"})
    api.drain()
    crm_id = api.ok("get", f"{CRM}/product-groups")["items"][0]["id"]
    signed_in(client)
    page = client.get(f"/ui/crm/product-groups/{crm_id}").text
    assert f'<a href="/ui/accounting/product-groups/{made["id"]}">' in page


# -- price policies -----------------------------------------------------------------------------------------


POLICIES = "/ui/accounting/price-policies"


def policy_form(csrf: str, **extra) -> dict:
    form = {"csrf_token": csrf, "code": "CS01", "name": "Giá sỉ", "valid_from": "2026-01-01", "valid_to": "2026-12-31", "active": "true",
            "product_group_codes": ["NH01", "NH02"], "item_product_code": ["SP01", "", "SP03"], "item_price": ["20.000", "", ""], "item_discount_percent": ["", "", "5"]}
    return {**form, **extra}


def test_an_accounting_policy_takes_several_groups_and_prices_or_discounts(catalog, client):
    csrf = signed_in(client)
    r = client.post(POLICIES, data=policy_form(csrf), headers=SAME, follow_redirects=False)
    assert r.headers["location"] == f"{POLICIES}?saved=CS01"
    made = catalog.ok("get", f"{ACC}/price-policies")["items"][0]
    assert made["product_group_codes"] == ["NH01", "NH02"]
    assert [(i["product_code"], i["price"], i["discount_percent"]) for i in made["items"]] == [("SP01", "20000", None), ("SP03", None, "5")]
    assert made["valid_to"] == "2026-12-31"
    page = client.get(f"{POLICIES}/{made['id']}").text
    assert "31/12/2026" in page
    assert '<td data-label="Đơn giá" class="num money">20.000 đ</td>' in page


def test_a_failed_policy_save_shows_each_error_next_to_its_field_or_item_cell(catalog, client):
    csrf = signed_in(client)
    r = client.post(POLICIES, data=policy_form(csrf, code="CS 1", name="", product_group_codes=[], item_price=["không", "", ""]), headers=SAME, follow_redirects=False)
    assert r.status_code == 422
    assert sorted(field_errors(r.text)) == ["code", "items.0.price", "name", "product_group_codes"]
    assert catalog.ok("get", f"{ACC}/price-policies")["items"] == []


def test_editing_a_policy_replaces_its_items(catalog, client):
    csrf = signed_in(client)
    client.post(POLICIES, data=policy_form(csrf), headers=SAME)
    pid = catalog.ok("get", f"{ACC}/price-policies")["items"][0]["id"]
    form = client.get(f"{POLICIES}/{pid}/edit").text
    assert re.findall(r'name="item_product_code" value="(\w*)"', form) == ["SP01", "SP03", "", "", ""]
    r = client.post(f"{POLICIES}/{pid}/edit", data=policy_form(csrf, product_group_codes=["NH01"], item_product_code=["SP02"], item_price=["4.500"], item_discount_percent=[""]), headers=SAME, follow_redirects=False)
    assert r.headers["location"] == f"{POLICIES}/{pid}?saved=CS01"
    made = catalog.ok("get", f"{ACC}/price-policies/{pid}")
    assert (made["product_group_codes"], [(i["product_code"], i["price"]) for i in made["items"]]) == (["NH01"], [("SP02", "4500")])


def _crm_part(suite, api) -> int:
    """Accounting's policy CS01 as its CRM part for group NH01 (as the connector makes it)."""
    api.ok("post", f"{CRM}/product-groups", 201, json={"code": "NH01", "name": "Đồ uống"})
    with UnitOfWork(suite.databases["crm"]) as uow:
        group = uow.session.scalar(select(CrmGroup).where(CrmGroup.code == "NH01"))
        part = crm_policies.upsert_policy_part(uow, tenant_id=group.tenant_id, origin="accounting", source_policy_code="CS01", product_group_id=group.id, values={"name": "Giá sỉ", "items": []})
        uow.commit()
    return part["id"]


def test_the_crm_policy_list_shows_where_each_policy_comes_from(suite, api, client):
    part = _crm_part(suite, api)
    api.ok("post", f"{CRM}/price-policies", 201, json={"code": "KM01", "name": "Khuyến mãi"})
    signed_in(client)
    html = client.get("/ui/crm/price-policies").text
    row = re.search(r'<tr data-code="CS01.NH01".*?</tr>', html, re.S).group(0)
    assert '<code>CS01</code>' in row
    assert "Đồ uống" in row
    assert f'href="/ui/crm/price-policies/{part}/edit"' not in row  # no edit for a part of an accounting policy
    own = re.search(r'<tr data-code="KM01" data-id="(\d+)".*?</tr>', html, re.S)
    assert f'href="/ui/crm/price-policies/{own.group(1)}/edit"' in own.group(0)


def test_a_part_of_an_accounting_policy_says_it_is_edited_in_accounting_and_refuses_an_edit(suite, api, client):
    part = _crm_part(suite, api)
    csrf = signed_in(client)
    page = client.get(f"/ui/crm/price-policies/{part}").text
    said = t("price_policy.from_accounting", "vi", code="CS01.NH01", source="CS01")
    assert f'<p class="alert info locked" role="note">{said}</p>' in page
    assert f'href="/ui/crm/price-policies/{part}/edit"' not in page
    assert client.get(f"/ui/crm/price-policies/{part}/edit").status_code == 403
    r = post(client, f"/ui/crm/price-policies/{part}/edit", csrf, code="CS01.NH01", name="Đổi tên", active="true")
    assert r.status_code == 403
    assert api.ok("get", f"{CRM}/price-policies/{part}")["name"] == "Giá sỉ"


def test_a_crm_policy_of_its_own_is_edited_in_crm(api, client):
    api.ok("post", f"{CRM}/products", 201, json={"code": "SP01", "name": "Cà phê"})
    made = api.ok("post", f"{CRM}/price-policies", 201, json={"code": "KM01", "name": "Khuyến mãi"})
    csrf = signed_in(client)
    assert client.get(f"/ui/crm/price-policies/{made['id']}/edit").status_code == 200
    r = client.post(f"/ui/crm/price-policies/{made['id']}/edit", data={"csrf_token": csrf, "code": "KM01", "name": "Khuyến mãi Tết", "active": "true", "item_product_code": ["SP01"], "item_price": [""], "item_discount_percent": ["10"]}, headers=SAME, follow_redirects=False)
    assert r.status_code == 303
    policy = api.ok("get", f"{CRM}/price-policies/{made['id']}")
    assert (policy["name"], policy["items"][0]["discount_percent"]) == ("Khuyến mãi Tết", "10")


# -- the CRM customer import's progress line -------------------------------------------------------------------


def test_the_crm_customer_import_shows_its_progress_line(api, client, monkeypatch):
    gate = threading.Event()
    start = Jobs.start
    monkeypatch.setattr(Jobs, "start", lambda self, principal, work, background=True: start(self, principal, lambda progress: (gate.wait(30), work(progress))[1], background=background))
    csrf = signed_in(client)
    book = xlsx([["KH1", "An Phát"]], header=("Mã khách hàng", "Tên khách hàng"))
    r = upload(client, "/ui/crm/customers/import", csrf, book, mode="upsert", owner_from="file")
    gate.set()
    assert r.status_code == 202
    assert re.search(r'<div class="progress-line import-job" id="job-\w+" data-state="running"[^>]*hx-get="/ui/crm/customers/import/\w+"', r.text.replace("\n", " "))


@pytest.mark.parametrize("path", [UI, f"{UI}/merge", f"{UI}/export", f"{UI}/import", "/ui/accounting/product-groups/merge", POLICIES, "/ui/crm/price-policies", "/ui/crm/customers/import"])
def test_every_catalog_form_checks_the_csrf_token(catalog, client, path):
    signed_in(client)
    ids = [str(p["id"]) for p in products(catalog).values()][:2]
    r = client.post(path, data={"code": "SP09", "name": "Giả mạo", "ids": ids, "confirm": "true", "product_group_codes": ["NH01"]}, headers=SAME, follow_redirects=False)
    assert r.status_code == 403
    assert set(products(catalog)) == {"SP01", "SP02", "SP03"}
