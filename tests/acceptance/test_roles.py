"""Each role against each endpoint that reveals users, the queue or the log (issue 6, item 6).

Who may do what:
- users (in system, and the copies in CRM and process): an administrator or a manager
  lists and reads them (a manager hands customers over between owners); anybody reads
  themself (``/users/{own id}`` and ``/me``);
- tokens: one's own, or anybody's for an administrator;
- drain: administrators; parked changes and their retry: administrators and accountants;
- status: every role (counts of its own tenant only);
- the log: every role, a sales user only the entries about the CRM customers and
  contacts they own (CRM sharing by owner).
"""

from __future__ import annotations

import re

import pytest

from lienthong.kernel.i18n import t
from tests.conftest import Api

ROLES = ("admin", "manager", "accountant", "sales")
ALL = dict.fromkeys(ROLES, 200)


@pytest.fixture
def staff(api: Api) -> dict[str, tuple[Api, int]]:
    """One user of each role with a token: role -> (their client, their user id)."""
    me = api.ok("get", "/api/v1/system/me")
    out = {"admin": (api, me["id"])}
    for role, code in (("manager", "lan"), ("accountant", "ha"), ("sales", "minh")):
        user = api.ok("post", "/api/v1/system/users", 201, json={"code": code, "name": code.title(), "role": role})
        token = api.ok("post", f"/api/v1/system/users/{user['id']}/tokens", 201)["token"]
        out[role] = (api.as_(token), user["id"])
    return out


# (method, path, status by role, the reason key of a 403); "{me}" is the caller's own user id,
# "{admin}" the administrator's.
TABLE = [
    ("get", "/api/v1/system/users", {"admin": 200, "manager": 200, "accountant": 403, "sales": 403}, "forbidden.users"),
    ("get", "/api/v1/system/users/{admin}", {"admin": 200, "manager": 200, "accountant": 403, "sales": 403}, "forbidden.users"),
    ("get", "/api/v1/crm/users", {"admin": 200, "manager": 200, "accountant": 403, "sales": 403}, "forbidden.users"),
    ("get", "/api/v1/process/users", {"admin": 200, "manager": 200, "accountant": 403, "sales": 403}, "forbidden.users"),
    ("get", "/api/v1/system/users/{me}", ALL, None),
    ("get", "/api/v1/system/me", ALL, None),
    ("get", "/api/v1/system/users/{me}/tokens", ALL, None),
    ("get", "/api/v1/system/users/{admin}/tokens", {"admin": 200, "manager": 403, "accountant": 403, "sales": 403}, "forbidden.tokens"),
    ("post", "/api/v1/system/users/{admin}/tokens", {"admin": 201, "manager": 403, "accountant": 403, "sales": 403}, "forbidden.tokens"),
    ("delete", "/api/v1/system/users/{admin}/tokens/999999", {"admin": 404, "manager": 403, "accountant": 403, "sales": 403}, "forbidden.tokens"),
    ("post", "/api/v1/sync/drain?timeout=30", {"admin": 200, "manager": 403, "accountant": 403, "sales": 403}, "forbidden.drain"),
    ("get", "/api/v1/sync/parked", {"admin": 200, "manager": 403, "accountant": 200, "sales": 403}, "forbidden.parked"),
    ("post", "/api/v1/sync/parked/999999/retry", {"admin": 404, "manager": 403, "accountant": 404, "sales": 403}, "forbidden.parked"),
    ("get", "/api/v1/sync/status", ALL, None),
    ("get", "/api/v1/sync/log", ALL, None),
]


@pytest.mark.parametrize("method, path, expected, reason", TABLE, ids=[f"{m} {p}" for m, p, *_ in TABLE])
def test_each_role_gets_exactly_what_it_may(staff, method, path, expected, reason):
    answers = {}
    for role in ROLES:
        client, me = staff[role]
        answers[role] = getattr(client.as_(client.token, lang="en"), method)(path.format(me=me, admin=staff["admin"][1]))
    assert {role: r.status_code for role, r in answers.items()} == expected
    refused = {role: r for role, r in answers.items() if r.status_code == 403}
    assert {role: r.headers["content-type"] for role, r in refused.items()} == dict.fromkeys(refused, "application/problem+json")
    assert {role: r.json()["detail"] for role, r in refused.items()} == {role: t(reason, "en", role=t(f"role.{role}", "en")) for role in refused}


def test_a_403_names_the_reason_in_vietnamese_by_default(staff):
    sales, _ = staff["sales"]
    r = sales.post("/api/v1/sync/drain?timeout=600")
    assert r.json()["detail"] == "Vai trò nhân viên kinh doanh không được chờ xử lý hết hàng đợi: chỉ quản trị viên được làm."


def _codes(client: Api, **filters) -> set[str]:
    """The codes of the CRM-side records of the log entries ``client`` may read."""
    return {e["source"]["code"] if e["source"]["app"] == "crm" else e["target"]["code"] for e in client.log(**filters)}


def test_a_sales_user_reads_only_the_log_of_the_customers_they_own(connected):
    """Sharing by owner: trang owns KH00006 (salesperson NV01), nobody owns KH00007."""
    api = connected
    trang_id = api.ok("get", "/api/v1/system/users", params={"code": "trang"})["items"][0]["id"]
    trang = api.as_(api.ok("post", f"/api/v1/system/users/{trang_id}/tokens", 201)["token"])
    api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH00006", "name": "An Phát", "salesperson_code": "NV01"})
    api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH00007", "name": "Bình Minh"})
    api.drain()
    mine = trang.ok("post", "/api/v1/crm/contacts", 201, json={"code": "LH01", "name": "Chị Mai"})
    api.drain()

    assert _codes(api, kind="customers") == {"KH00006", "KH00007"}
    assert _codes(trang) == {"KH00006", "LH01"}
    assert [e["rule"] for e in trang.log(code="KH00006", rule="CUS-A1")] == ["CUS-A1"]
    assert trang.log(code="KH00007") == []
    assert trang.log(code="trang") == []  # the user copies are not a sales user's records
    assert [e["source"]["id"] for e in trang.log(code="LH01")] == [mine["id"]]


def test_the_log_page_shows_a_sales_user_only_their_records(connected, client):
    """The UI's log page scopes the log as the API does."""
    api = connected
    trang_id = api.ok("get", "/api/v1/system/users", params={"code": "trang"})["items"][0]["id"]
    token = api.ok("post", f"/api/v1/system/users/{trang_id}/tokens", 201)["token"]
    api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH00006", "name": "An Phát", "salesperson_code": "NV01"})
    api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH00007", "name": "Bình Minh"})
    api.drain()
    client.post("/", data={"token": token})
    page = client.get("/ui/log").text
    assert set(re.findall(r"<code>(KH\d+)</code>", page)) == {"KH00006"}
