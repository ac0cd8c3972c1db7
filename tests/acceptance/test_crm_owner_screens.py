"""The owner tools on the CRM customer list over HTTP (issue 9, item 4): handover, export,
import and merge on the ticked rows, each through the service the API calls, with its
unhappy paths (nothing ticked, someone else's customer, a bad file, a wrong count) and
wholly in the language asked for."""

from __future__ import annotations

import re
from io import BytesIO

import pytest

from openpyxl import load_workbook

from lienthong.kernel.i18n import t
from lienthong.kernel.jobs import Jobs
from tests.acceptance.test_crm_owner_tools import HEADER, owners, workbook
from tests.acceptance.test_crm_sharing import CUSTOMERS, codes, crm  # noqa: F401 - the fixture
from tests.acceptance.test_screen_forms import post, signed_in

UI = "/ui/crm/customers"


def ids_of(crm, *codes_: str) -> list[str]:
    return [str(crm["ids"][c]) for c in codes_]


def field_errors(html: str) -> dict[str, str]:
    return dict(re.findall(r'<small class="field-error" data-field="([\w.]+)">([^<]+)</small>', html))


# -- the list's buttons -------------------------------------------------------------------------


def test_the_list_offers_handover_export_merge_on_the_ticked_rows_and_the_import(crm, client):
    signed_in(client, crm["lan"].token)
    html = client.get(UI).text
    for path in ("handover", "export", "merge"):
        assert f'formaction="{UI}/{path}"' in html
    assert f'href="{UI}/import"' in html


def test_the_list_is_in_english_with_lang_en(crm, client):
    signed_in(client, crm["lan"].token)
    html = client.get(UI, params={"lang": "en"}).text
    for key in ("ui.crm.handover.action", "ui.crm.export.action", "ui.crm.merge.action", "ui.crm.export.filtered"):
        assert t(key, "en") in html
    assert t("ui.crm.handover.action", "vi") not in html


# -- handover -----------------------------------------------------------------------------------


def test_handover_first_shows_the_form_for_the_ticked_rows(crm, client):
    csrf = signed_in(client, crm["lan"].token)
    r = post(client, f"{UI}/handover", csrf, ids=ids_of(crm, "KH1", "KH3"))
    assert r.status_code == 200
    assert re.findall(r'<li data-code="(\w+)">', r.text) == ["KH1", "KH3"]
    assert owners(crm["admin"]) == {"KH1": "minh", "KH2": "hoa", "KH3": None}


def test_handover_confirmed_changes_the_owners_and_shows_what_changed(crm, client):
    csrf = signed_in(client, crm["lan"].token)
    r = post(client, f"{UI}/handover", csrf, ids=ids_of(crm, "KH1", "KH3"), confirm="true", assignee_code="hoa", kinds=["customers", "contacts"])
    assert r.status_code == 200
    assert t("ui.crm.handover.done", "vi", customers=2, contacts=2) in r.text
    assert owners(crm["admin"]) == {"KH1": "hoa", "KH2": "hoa", "KH3": "hoa"}
    assert {c["code"]: c["owner_code"] for c in crm["admin"].ok("get", "/api/v1/crm/contacts")["items"]} == {"LH1": "hoa", "LH2": "hoa", "LH3": "hoa"}


def test_handover_errors_sit_next_to_their_fields_and_change_nothing(crm, client):
    csrf = signed_in(client, crm["lan"].token)
    r = post(client, f"{UI}/handover", csrf, ids=ids_of(crm, "KH1"), confirm="true", assignee_code="khong-co", kinds=["customers"])
    assert r.status_code == 422
    assert "khong-co" in field_errors(r.text)["assignee_code"]
    r = post(client, f"{UI}/handover", csrf, ids=ids_of(crm, "KH1"), confirm="true", assignee_code="hoa")
    assert r.status_code == 422
    assert list(field_errors(r.text)) == ["kinds"]
    assert owners(crm["admin"]) == {"KH1": "minh", "KH2": "hoa", "KH3": None}


def test_an_accountant_may_not_hand_over_and_is_told_why(crm, client):
    csrf = signed_in(client, crm["ha"].token)
    r = post(client, f"{UI}/handover", csrf, ids=ids_of(crm, "KH1"), confirm="true", assignee_code="hoa", kinds=["customers"])
    assert r.status_code == 403
    assert t("forbidden_role", "vi", role=t("role.accountant", "vi")) in r.text
    assert owners(crm["admin"])["KH1"] == "minh"


def test_handover_with_nothing_ticked_says_so(crm, client):
    csrf = signed_in(client, crm["lan"].token)
    r = post(client, f"{UI}/handover", csrf)
    assert r.status_code == 422
    assert t("ui.form.none_ticked", "vi") in r.text


def test_a_sales_user_handing_over_someone_elses_customer_is_not_found(crm, client):
    csrf = signed_in(client, crm["minh"].token)
    r = post(client, f"{UI}/handover", csrf, ids=ids_of(crm, "KH1", "KH2"), confirm="true", assignee_code="minh", kinds=["customers"])
    assert r.status_code == 404
    assert owners(crm["admin"]) == {"KH1": "minh", "KH2": "hoa", "KH3": None}


def test_the_handover_form_is_in_english_with_lang_en(crm, client):
    csrf = signed_in(client, crm["lan"].token)
    r = client.post(f"{UI}/handover", params={"lang": "en"}, data={"csrf_token": csrf, "ids": ids_of(crm, "KH1")}, headers={"origin": "http://testserver"})
    assert t("ui.crm.handover.assignee", "en") in r.text
    assert t("ui.crm.handover.kind.contacts", "en") in r.text
    assert t("ui.crm.handover.assignee", "vi") not in r.text


# -- export -------------------------------------------------------------------------------------


def exported(r) -> list[str]:
    return [row[0] for row in load_workbook(BytesIO(r.content)).active.iter_rows(min_row=4, values_only=True)]


def test_export_of_the_ticked_rows_downloads_them(crm, client):
    csrf = signed_in(client, crm["lan"].token)
    r = post(client, f"{UI}/export", csrf, ids=ids_of(crm, "KH2", "KH3"))
    assert r.status_code == 200
    assert r.headers["content-disposition"] == 'attachment; filename="khach-hang.xlsx"'
    assert exported(r) == ["KH2", "KH3"]


def test_export_with_nothing_ticked_takes_the_current_filter(crm, client):
    signed_in(client, crm["lan"].token)
    assert exported(client.get(f"{UI}/export", params={"owner_empty": "true"})) == ["KH3"]


def test_export_of_the_ticked_rows_with_nothing_ticked_says_so(crm, client):
    csrf = signed_in(client, crm["lan"].token)
    r = post(client, f"{UI}/export", csrf)
    assert r.status_code == 422
    assert t("ui.form.none_ticked", "vi") in r.text


def test_a_sales_user_exporting_someone_elses_customer_is_not_found(crm, client):
    csrf = signed_in(client, crm["minh"].token)
    assert post(client, f"{UI}/export", csrf, ids=ids_of(crm, "KH2")).status_code == 404


# -- import -------------------------------------------------------------------------------------


@pytest.fixture
def at_once(monkeypatch):
    """An import's job runs before its page is drawn, so the page is its report."""
    start = Jobs.start
    monkeypatch.setattr(Jobs, "start", lambda self, principal, work, background=True: start(self, principal, work, background=False))


def upload(client, csrf: str, data: bytes, lang: str | None = None, **form):
    params = {"lang": lang} if lang else {}
    return client.post(f"{UI}/import", params=params, data={"csrf_token": csrf, **form}, files={"file": ("kh.xlsx", data)}, headers={"origin": "http://testserver"})


def test_import_shows_its_counts(crm, client, at_once):
    csrf = signed_in(client, crm["lan"].token)
    r = upload(client, csrf, workbook([["KH3", "Cửu Long", None, None, None, None, None, "hoa"], ["KH9", "Khách mới"]]), mode="upsert", owner_from="file")
    assert 'data-state="succeeded"' in r.text
    assert re.search(r'class="count-created">[^<]+<b>1</b>', r.text)
    assert re.search(r'class="count-updated">[^<]+<b>1</b>', r.text)
    assert owners(crm["admin"])["KH3"] == "hoa"


def test_import_with_one_owner_for_every_row(crm, client, at_once):
    csrf = signed_in(client, crm["lan"].token)
    r = upload(client, csrf, workbook([["KH9", "Khách mới"]], header=HEADER[:2]), mode="insert", owner_from="user", owner_code="minh")
    assert 'data-state="succeeded"' in r.text
    assert owners(crm["admin"])["KH9"] == "minh"


def test_a_bad_row_is_reported_with_its_row_column_and_reason_and_changes_nothing(crm, client, at_once):
    csrf = signed_in(client, crm["lan"].token)
    rows = [["KH3", "Cửu Long", None, None, None, None, None, "hoa"], ["KH8", "Khách tám", None, None, None, None, None, "khong-co"]]
    r = upload(client, csrf, workbook(rows), mode="upsert", owner_from="file")
    assert 'data-state="failed"' in r.text
    cells = re.findall(r'<tr class="import-error"><td[^>]*>(\d+)</td><td[^>]*>([^<]+)</td><td[^>]*>([^<]+)</td>', r.text)
    assert [(row, column) for row, column, _ in cells] == [("5", "Chủ sở hữu")]
    assert "khong-co" in cells[0][2]
    assert owners(crm["admin"]) == {"KH1": "minh", "KH2": "hoa", "KH3": None}


def test_a_file_that_is_not_xlsx_is_named_next_to_the_file_field(crm, client, at_once):
    csrf = signed_in(client, crm["lan"].token)
    r = upload(client, csrf, b"not a workbook", mode="upsert")
    assert 'data-state="failed"' in r.text
    assert list(field_errors(r.text)) == ["file"]
    assert codes(crm["admin"]) == {"KH1", "KH2", "KH3"}


def test_an_import_without_a_file_asks_for_one(crm, client):
    csrf = signed_in(client, crm["lan"].token)
    r = post(client, f"{UI}/import", csrf, mode="upsert")
    assert r.status_code == 422
    assert field_errors(r.text) == {"file": t("ui.import.no_file", "vi")}


def test_the_import_report_is_in_english_with_lang_en(crm, client, at_once):
    csrf = signed_in(client, crm["lan"].token)
    r = upload(client, csrf, workbook([["KH8", "Tám", None, None, None, None, None, "khong-co"]]), lang="en", mode="upsert")
    assert t("ui.import.failed", "en") in r.text
    assert t("ui.import.row", "en") in r.text
    assert t("ui.import.failed", "vi") not in r.text


# -- merge --------------------------------------------------------------------------------------


def test_merge_shows_the_form_then_keeps_the_survivor_with_the_chosen_values(crm, client):
    csrf = signed_in(client, crm["lan"].token)
    kh1, kh3 = ids_of(crm, "KH1", "KH3")
    assert post(client, f"{UI}/merge", csrf, ids=[kh1, kh3]).status_code == 200
    r = post(client, f"{UI}/merge", csrf, ids=[kh1, kh3], confirm="true", survivor_id=kh3, value_name=kh1, value_code="")
    assert r.status_code == 303
    assert r.headers["location"] == f"{UI}/{kh3}?saved=KH3"
    survivor = crm["admin"].ok("get", f"{CUSTOMERS}/{kh3}")
    assert (survivor["code"], survivor["name"]) == ("KH3", "An Phát")
    assert codes(crm["admin"]) == {"KH2", "KH3"}


def test_merge_with_one_or_four_ticked_says_how_many_and_changes_nothing(crm, api, client):
    kh4 = api.ok("post", CUSTOMERS, 201, json={"code": "KH4", "name": "Đông Á", "owner_code": "minh"})["id"]
    csrf = signed_in(client, crm["lan"].token)
    for ticked in (ids_of(crm, "KH1"), [*ids_of(crm, "KH1", "KH2", "KH3"), str(kh4)]):
        r = post(client, f"{UI}/merge", csrf, ids=ticked, confirm="true")
        assert r.status_code == 422
        assert t("ui.crm.merge.count", "vi", n=len(ticked)) in r.text
    assert codes(crm["admin"]) == {"KH1", "KH2", "KH3", "KH4"}


def test_merge_with_nothing_ticked_says_so(crm, client):
    csrf = signed_in(client, crm["lan"].token)
    r = post(client, f"{UI}/merge", csrf)
    assert r.status_code == 422
    assert t("ui.form.none_ticked", "vi") in r.text


def test_a_sales_user_merging_someone_elses_customer_is_not_found(crm, client):
    csrf = signed_in(client, crm["minh"].token)
    r = post(client, f"{UI}/merge", csrf, ids=ids_of(crm, "KH1", "KH2"), confirm="true")
    assert r.status_code == 404
    assert codes(crm["admin"]) == {"KH1", "KH2", "KH3"}


def test_the_merge_form_is_in_english_with_lang_en(crm, client):
    csrf = signed_in(client, crm["lan"].token)
    r = client.post(f"{UI}/merge", params={"lang": "en"}, data={"csrf_token": csrf, "ids": ids_of(crm, "KH1", "KH2")}, headers={"origin": "http://testserver"})
    assert t("ui.crm.merge.survivor", "en") in r.text
    assert t("ui.crm.merge.survivor", "vi") not in r.text


def test_the_lists_export_link_carries_its_search_and_filter(crm, client):
    signed_in(client, crm["lan"].token)
    html = client.get(UI, params={"q": "cửu", "owner_empty": "true"}).text
    href = re.search(r'<a class="button secondary export-filtered" href="([^"]+)"', html).group(1)
    assert exported(client.get(href.replace("&amp;", "&"))) == ["KH3"]
