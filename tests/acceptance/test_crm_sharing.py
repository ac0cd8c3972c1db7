"""CUS-S1 CRM sharing (issue 9, item 5): a sales user sees, searches, exports and changes
only the customers and contacts they own; managers and administrators see all; a
record with no owner is visible to managers and administrators only. The API enforces
it: 404 for a record the user may not see, 403 for an action their role may not take."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.conftest import Api

CUSTOMERS = "/api/v1/crm/customers"
CONTACTS = "/api/v1/crm/contacts"


@pytest.fixture
def crm(api: Api):
    """Users lan (manager), minh and hoa (sales), ha (accountant), with their clients;
    customers KH1 (minh's), KH2 (hoa's), KH3 (no owner), each with a contact."""
    clients = {"admin": api}
    for code, role in (("lan", "manager"), ("minh", "sales"), ("hoa", "sales"), ("ha", "accountant")):
        user = api.ok("post", "/api/v1/system/users", 201, json={"code": code, "name": code.title(), "role": role})
        clients[code] = api.as_(api.ok("post", f"/api/v1/system/users/{user['id']}/tokens", 201)["token"])
    api.drain()  # the users reach CRM's copy
    ids = {}
    for code, name, owner in (("KH1", "An Phát", "minh"), ("KH2", "Bình Minh", "hoa"), ("KH3", "Cửu Long", "")):
        ids[code] = api.ok("post", CUSTOMERS, 201, json={"code": code, "name": name, "owner_code": owner})["id"]
        ids[f"LH{code[-1]}"] = api.ok("post", CONTACTS, 201, json={"code": f"LH{code[-1]}", "name": f"Liên hệ {name}", "owner_code": owner, "customer_code": code})["id"]
    clients["ids"] = ids
    return clients


def codes(client: Api, path: str = CUSTOMERS, **params) -> set[str]:
    return {c["code"] for c in client.ok("get", path, params=params)["items"]}


@pytest.mark.parametrize(
    "who, expected",
    [("admin", {"KH1", "KH2", "KH3"}), ("lan", {"KH1", "KH2", "KH3"}), ("minh", {"KH1"}), ("hoa", {"KH2"}), ("ha", {"KH1", "KH2", "KH3"})],
)
def test_CUS_S1_each_role_lists_exactly_the_customers_it_may_see(crm, who, expected):
    assert codes(crm[who]) == expected


@pytest.mark.parametrize("who, expected", [("lan", {"LH1", "LH2", "LH3"}), ("minh", {"LH1"}), ("hoa", {"LH2"})])
def test_CUS_S1_each_role_lists_exactly_the_contacts_it_may_see(crm, who, expected):
    assert codes(crm[who], CONTACTS) == expected


def test_CUS_S1_a_sales_users_search_finds_only_their_own(crm):
    assert codes(crm["minh"], q="minh") == set()  # "Bình Minh" is hoa's
    assert codes(crm["hoa"], q="minh") == {"KH2"}


def test_CUS_S1_a_customer_with_no_owner_is_hidden_from_sales_even_by_the_owner_empty_filter(crm):
    assert codes(crm["minh"], owner_empty="true") == set()
    assert codes(crm["lan"], owner_empty="true") == {"KH3"}


@pytest.mark.parametrize("code", ["KH2", "KH3"], ids=["someone else's", "no owner"])
def test_CUS_S1_reading_a_customer_one_may_not_see_is_a_404_like_no_customer(crm, code):
    r = crm["minh"].as_(crm["minh"].token, lang="en").get(f"{CUSTOMERS}/{crm['ids'][code]}")
    assert r.status_code == 404
    assert r.json()["detail"] == f"No customer {crm['ids'][code]}."


def test_CUS_S1_a_sales_user_reads_their_own_customer_and_contact(crm):
    assert crm["minh"].ok("get", f"{CUSTOMERS}/{crm['ids']['KH1']}")["code"] == "KH1"
    assert crm["minh"].ok("get", f"{CONTACTS}/{crm['ids']['LH1']}")["customer_code"] == "KH1"


def test_CUS_S1_changing_someone_elses_customer_is_a_404_and_changes_nothing(crm):
    r = crm["minh"].patch(f"{CUSTOMERS}/{crm['ids']['KH2']}", json={"name": "Đổi tên"})
    assert r.status_code == 404
    assert crm["admin"].ok("get", f"{CUSTOMERS}/{crm['ids']['KH2']}")["name"] == "Bình Minh"


def test_CUS_S1_deleting_someone_elses_customer_or_contact_is_a_404_and_deletes_nothing(crm):
    assert crm["minh"].delete(f"{CUSTOMERS}/{crm['ids']['KH2']}").status_code == 404
    assert crm["minh"].delete(f"{CONTACTS}/{crm['ids']['LH3']}").status_code == 404
    assert codes(crm["admin"]) == {"KH1", "KH2", "KH3"}
    assert codes(crm["admin"], CONTACTS) == {"LH1", "LH2", "LH3"}


def test_CUS_S1_a_sales_user_changes_their_own_customer(crm):
    assert crm["minh"].ok("patch", f"{CUSTOMERS}/{crm['ids']['KH1']}", json={"name": "An Phát mới"})["name"] == "An Phát mới"


def test_CUS_S1_an_accountant_sees_but_may_not_change_a_crm_customer(crm):
    r = crm["ha"].patch(f"{CUSTOMERS}/{crm['ids']['KH1']}", json={"name": "Đổi tên"})
    assert r.status_code == 403
    assert crm["admin"].ok("get", f"{CUSTOMERS}/{crm['ids']['KH1']}")["name"] == "An Phát"


def test_CUS_S1_a_manager_changes_anybodys_customer(crm):
    assert crm["lan"].ok("patch", f"{CUSTOMERS}/{crm['ids']['KH2']}", json={"name": "Bình Minh 2"})["name"] == "Bình Minh 2"


def _exported_codes(client: Api, body: dict) -> list[str]:
    r = client.post(f"{CUSTOMERS}/export", json=body)
    assert r.status_code == 200, r.text
    sheet = load_workbook(BytesIO(r.content)).active
    return [row[0] for row in sheet.iter_rows(min_row=4, values_only=True)]


def test_CUS_S1_a_sales_user_exports_only_their_own_customers(crm):
    assert _exported_codes(crm["minh"], {}) == ["KH1"]
    assert _exported_codes(crm["lan"], {}) == ["KH1", "KH2", "KH3"]


def test_CUS_S1_exporting_a_customer_one_may_not_see_is_a_404(crm):
    assert crm["minh"].post(f"{CUSTOMERS}/export", json={"ids": [crm["ids"]["KH1"], crm["ids"]["KH2"]]}).status_code == 404


def test_CUS_S1_another_tenant_sees_none_of_our_customers(crm, suite):
    _, token = suite.new_tenant("Công ty B")
    other = crm["admin"].as_(token)
    assert codes(other) == set()
    assert other.get(f"{CUSTOMERS}/{crm['ids']['KH1']}").status_code == 404
    assert other.patch(f"{CUSTOMERS}/{crm['ids']['KH1']}", json={"name": "X"}).status_code == 404
    assert other.post(f"{CUSTOMERS}/export", json={"ids": [crm["ids"]["KH1"]]}).status_code == 404
